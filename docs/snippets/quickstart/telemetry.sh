# Benchmarks agno-Go ships for its workflow package (no model, no network), in the runtime tree:
go test -run '^$' -bench . -benchmem ./pkg/agno/workflow/ | tee bench-go.txt
# Pair them with Python figures by name; ratio = Go / Python per metric.
agno-docs bench --go bench-go.txt --python python-bench.json --format markdown
