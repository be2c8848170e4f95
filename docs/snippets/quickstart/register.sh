# The control plane listens where you started the runtime (here: loopback, port 7777).
export AGNO_RUNTIME_URL=http://127.0.0.1:7777

# Register both agents: one POST per entry of agents.json.
jq -c '.[]' agents.json | while read -r agent; do
  curl -sS -X POST "$AGNO_RUNTIME_URL/v1/runtime/go/agents" \
       -H 'Content-Type: application/json' -d "$agent"
done
