go version                     # go1.24 or newer: agno-Go's go.mod says go 1.24.0
export OPENAI_API_KEY=sk-...   # read by the samples below (the Python OpenAIChat reads the same name)
