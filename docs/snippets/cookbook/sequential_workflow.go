// The same two-step workflow on the Go runtime.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/rexleimo/agno-go/pkg/agno/agent"
	"github.com/rexleimo/agno-go/pkg/agno/models/openai"
	"github.com/rexleimo/agno-go/pkg/agno/tools/hackernews"
	"github.com/rexleimo/agno-go/pkg/agno/tools/toolkit"
	"github.com/rexleimo/agno-go/pkg/agno/workflow"
)

func mustAgent(name, instructions string, kits ...toolkit.Toolkit) *agent.Agent {
	model, err := openai.New("gpt-4o-mini", openai.Config{APIKey: os.Getenv("OPENAI_API_KEY")})
	if err != nil {
		log.Fatal(err)
	}
	a, err := agent.New(agent.Config{Name: name, Model: model, Instructions: instructions, Toolkits: kits})
	if err != nil {
		log.Fatal(err)
	}
	return a
}

func main() {
	researcher := mustAgent("researcher", "Find the five most discussed facts about the topic, with links.",
		hackernews.New())
	writer := mustAgent("writer", "Write a 150-word brief from the research you are given.")

	research, _ := workflow.NewStep(workflow.StepConfig{ID: "research", Agent: researcher})
	write, _ := workflow.NewStep(workflow.StepConfig{ID: "write", Agent: writer})
	wf, err := workflow.New(workflow.Config{Name: "research-brief", Steps: []workflow.Node{research, write}})
	if err != nil {
		log.Fatal(err)
	}
	out, err := wf.Run(context.Background(), "Open-weight models in production", "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Output)
}
