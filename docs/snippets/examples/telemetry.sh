# In the agno-Go checkout: the workflow package's benchmarks, five runs each.
go test -run '^$' -bench . -benchmem -count 5 ./pkg/agno/workflow/ | tee bench-go.txt
# Pair them with a Python baseline by name; ratio = Go / Python per metric.
agno-docs bench --go bench-go.txt --python bench-python.json --format markdown
