# Telemetry events of one session, as the Go runtime recorded them.
curl -sS "$AGNO_RUNTIME_URL/v1/runtime/go/telemetry/events?sessionId=sess-quickstart-1&runtime=go" \
  | jq -r '.[] | [.timestamp, .type, .step, .duration_ms] | @tsv'

# Benchmarks: run the Go ones, then read what the control plane stored.
go test -run '^$' -bench . -benchmem ./pkg/agno/workflow/... | tee bench-go.txt
curl -sS "$AGNO_RUNTIME_URL/v1/runtime/go/benchmarks" | jq '.benchmarks[] | {name, ratios}'
