// research_strategy.go: two agents in one sequential workflow, on the agno-Go library.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/rexleimo/agno-go/pkg/agno/agent"
	"github.com/rexleimo/agno-go/pkg/agno/models/openai"
	"github.com/rexleimo/agno-go/pkg/agno/workflow"
)

// newAgent builds one agent. agno-Go's OpenAI model takes the key in openai.Config;
// this program reads it from OPENAI_API_KEY, the variable the Python OpenAIChat reads.
func newAgent(id, instructions string) *agent.Agent {
	model, err := openai.New("gpt-4o-mini", openai.Config{APIKey: os.Getenv("OPENAI_API_KEY")})
	if err != nil {
		log.Fatalf("model: %v", err) // an empty key is refused here, before any request
	}
	a, err := agent.New(agent.Config{ID: id, Name: id, Model: model, Instructions: instructions})
	if err != nil {
		log.Fatalf("agent %s: %v", id, err)
	}
	return a
}

func newStep(id string, a *agent.Agent) *workflow.Step {
	s, err := workflow.NewStep(workflow.StepConfig{ID: id, Agent: a})
	if err != nil {
		log.Fatalf("step %s: %v", id, err)
	}
	return s
}

func main() {
	researcher := newAgent("researcher", "Collect five verifiable facts about the topic, each with its source.")
	strategist := newAgent("strategist", "Turn the researcher's facts into a three-point strategy.")

	wf, err := workflow.New(workflow.Config{
		Name: "research-strategy",
		// Sequential: each step's input is the previous step's output.
		Steps: []workflow.Node{newStep("research", researcher), newStep("strategy", strategist)},
	})
	if err != nil {
		log.Fatalf("workflow: %v", err)
	}

	// An empty session id makes the workflow generate one.
	out, err := wf.Run(context.Background(), "Small modular reactors in Europe", "")
	if err != nil {
		log.Fatalf("run: %v", err)
	}
	fmt.Printf("session %s\n%s\n", out.SessionID, out.Output)
}
