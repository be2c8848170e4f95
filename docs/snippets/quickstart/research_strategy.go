// research_strategy.go: two agents, one sequential workflow, run on the Go runtime.
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

// newAgent builds one agent on the same model; the key comes from OPENAI_API_KEY,
// the variable the Python runtime reads too.
func newAgent(id, instructions string) *agent.Agent {
	model, err := openai.New("gpt-4o-mini", openai.Config{APIKey: os.Getenv("OPENAI_API_KEY")})
	if err != nil {
		log.Fatalf("model: %v", err)
	}
	a, err := agent.New(agent.Config{ID: id, Name: id, Model: model, Instructions: instructions})
	if err != nil {
		log.Fatalf("agent %s: %v", id, err)
	}
	return a
}

func main() {
	researcher := newAgent("researcher", "Collect five verifiable facts about the topic, each with its source.")
	strategist := newAgent("strategist", "Turn the researcher's facts into a three-point strategy.")

	research, _ := workflow.NewStep(workflow.StepConfig{ID: "research", Agent: researcher})
	strategy, _ := workflow.NewStep(workflow.StepConfig{ID: "strategy", Agent: strategist})

	wf, err := workflow.New(workflow.Config{
		Name:  "research-strategy",
		Steps: []workflow.Node{research, strategy}, // sequential: strategy reads research's output
	})
	if err != nil {
		log.Fatalf("workflow: %v", err)
	}

	out, err := wf.Run(context.Background(), "Small modular reactors in Europe", "")
	if err != nil {
		log.Fatalf("run: %v", err) // a python-only module would stop here with code not_migrated
	}
	fmt.Println(out.Output)
}
