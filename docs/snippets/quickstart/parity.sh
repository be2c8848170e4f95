# 1. Run the same fixture (stub model, fixed input) on both runtimes and keep both outputs.
curl -sS -X POST "$PYTHON_AGENTOS_URL/workflows/research-strategy/runs" \
     -F message="Small modular reactors in Europe" > out-python.json
curl -sS -X POST "$AGNO_RUNTIME_URL/v1/runtime/go/workflows/research-strategy:run" \
     -H 'Content-Type: application/json' \
     -d '{"input": "Small modular reactors in Europe"}' > out-go.json

# 2. Your parity harness compares the two outputs field by field and writes one
#    ParityTestResult per fixture into parity/ (format: Reference > Evidence formats).
jq '{fixture, status, metrics_match, diffs}' parity/research_strategy.json

# 3. Join the results into the support matrix: modules a failing fixture exercises become Partial.
agno-docs compute --python-root ../agno --go-root ../agno-Go --parity parity/ --out matrix/data/snapshot.json
