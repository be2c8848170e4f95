// agentos_server.go: serve one agent over HTTP with agno-Go's AgentOS server.
package main

import (
	"log"
	"os"

	"github.com/rexleimo/agno-go/pkg/agentos"
	"github.com/rexleimo/agno-go/pkg/agno/agent"
	"github.com/rexleimo/agno-go/pkg/agno/models/openai"
)

func main() {
	model, err := openai.New("gpt-4o-mini", openai.Config{APIKey: os.Getenv("OPENAI_API_KEY")})
	if err != nil {
		log.Fatalf("model: %v", err)
	}
	assistant, err := agent.New(agent.Config{
		Name:         "assistant",
		Model:        model,
		Instructions: "Answer in two sentences.",
	})
	if err != nil {
		log.Fatalf("agent: %v", err)
	}

	// Address defaults to ":8080"; sessions live in memory unless Config.SessionStorage is set.
	server, err := agentos.NewServer(&agentos.Config{Address: "127.0.0.1:8080"})
	if err != nil {
		log.Fatalf("server: %v", err)
	}
	if err := server.RegisterAgent("assistant", assistant); err != nil {
		log.Fatalf("register: %v", err)
	}
	// Start blocks; routes under /api/v1, plus /health, /openapi.yaml and /docs.
	if err := server.Start(); err != nil {
		log.Fatal(err)
	}
}
