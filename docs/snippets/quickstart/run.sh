# Run the workflow: the manifest travels with the run; the response is the run's SessionRecord.
jq -n --slurpfile wf workflow.json \
   '{workflow: $wf[0], input: "Small modular reactors in Europe", session_id: "sess-quickstart-1"}' \
| curl -sS -X POST "$AGNO_RUNTIME_URL/v1/runtime/go/workflows/research-strategy:run" \
       -H 'Content-Type: application/json' -d @- \
| tee session.json | jq '{runtime, state, summary, metrics}'
