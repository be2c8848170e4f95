# Start the server (agentos_server.go above), then call it from another shell.
go run ./agentos_server.go &

curl -sS http://127.0.0.1:8080/health                      # {"status":"ok","service":"agentos",...}
curl -sS http://127.0.0.1:8080/api/v1/agents               # the registered agents

# A session first (the run refuses an unknown session_id with 404 SESSION_NOT_FOUND) ...
SESSION=$(curl -sS -X POST http://127.0.0.1:8080/api/v1/sessions \
  -H 'Content-Type: application/json' -d '{"agent_id": "assistant"}' | jq -r .session_id)

# ... then a run in it: {"run_id", "status", "content", "session_id", "metadata"}
curl -sS -X POST http://127.0.0.1:8080/api/v1/agents/assistant/run \
  -H 'Content-Type: application/json' \
  -d "{\"input\": \"What is a sequential workflow?\", \"session_id\": \"$SESSION\"}" | jq .

curl -sS "http://127.0.0.1:8080/api/v1/sessions/$SESSION" | jq '{session_id, run_count, runs}'
