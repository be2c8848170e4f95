// Nearest in Go: the same two steps on agno-Go, without what the recipe needs and Go lacks
// (WebSearch, a SQLite store for runs, Workflow.description). agno-Go's HackerNews toolkit is
// left out too: its search_stories returns canned data (a stub), so a researcher could cite it.
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

func mustStep(id, instructions string) *workflow.Step {
	model, err := openai.New("gpt-4o-mini", openai.Config{APIKey: os.Getenv("OPENAI_API_KEY")})
	if err != nil {
		log.Fatal(err)
	}
	a, err := agent.New(agent.Config{Name: id, Model: model, Instructions: instructions})
	if err != nil {
		log.Fatal(err)
	}
	step, err := workflow.NewStep(workflow.StepConfig{ID: id, Agent: a})
	if err != nil {
		log.Fatal(err)
	}
	return step
}

func main() {
	wf, err := workflow.New(workflow.Config{Name: "research-brief", Steps: []workflow.Node{
		mustStep("research", "List the five facts about the topic you are most sure of."),
		mustStep("write", "Write a 150-word brief from the research you are given."),
	}})
	if err != nil {
		log.Fatal(err)
	}
	out, err := wf.Run(context.Background(), "Open-weight models in production", "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Output)
}
