# Telemetry of one session, as the runtime's control plane serves it (a JSON array of events).
curl -sS "$AGNO_RUNTIME_URL/v1/runtime/go/telemetry/events?sessionId=sess-demo-1&runtime=go" > events.json
agno-docs telemetry-audit events.json     # every event must say runtime=go and carry no secret

# Benchmarks of the workflow package (stub models, no network), then Go / Python ratios.
go test -run '^$' -bench . -benchmem -count 5 ./pkg/agno/workflow/ | tee bench-go.txt
agno-docs bench --go bench-go.txt --python bench-python.json --format markdown
agno-docs bench --go bench-go.txt --python bench-python.json --submit "$AGNO_RUNTIME_URL"  # publish
