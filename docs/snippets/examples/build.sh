git clone https://github.com/rexleimo/agno-Go && cd agno-Go
go build -o bin/workflow_demo ./cmd/examples/workflow_demo
export OPENAI_API_KEY=sk-...     # the only setting the example reads; same name as in Python
./bin/workflow_demo | tee run.log
