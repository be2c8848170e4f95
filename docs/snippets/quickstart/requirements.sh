go version              # go1.24 or newer (the runtime's go.mod asks for go 1.24)
python3 --version       # 3.9 or newer, only for the Python side of parity checks
export OPENAI_API_KEY=sk-...   # the same variable names as the Python runtime
