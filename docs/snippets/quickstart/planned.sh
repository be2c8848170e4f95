# The reference server serves the planned contract's matrix, benchmark and telemetry endpoints
# (from this project's snapshot, not from a runtime).
agno-docs serve-runtime --port 8765 &
export AGNO_RUNTIME_URL=http://127.0.0.1:8765

curl -sS -D - -o matrix.json "$AGNO_RUNTIME_URL/v1/runtime/go/support-matrix" | grep -i '^etag'
curl -sS "$AGNO_RUNTIME_URL/v1/runtime/go/benchmarks" | jq 'length'
curl -sS "$AGNO_RUNTIME_URL/v1/runtime/go/telemetry/events?sessionId=sess-quickstart-1&runtime=go" | jq 'length'
