// Nearest in Go: the calculator toolkit on an agno-Go agent (Go has no markdown flag; the instructions ask for steps).
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/rexleimo/agno-go/pkg/agno/agent"
	"github.com/rexleimo/agno-go/pkg/agno/models/openai"
	"github.com/rexleimo/agno-go/pkg/agno/tools/calculator"
	"github.com/rexleimo/agno-go/pkg/agno/tools/toolkit"
)

func main() {
	model, err := openai.New("gpt-4o-mini", openai.Config{APIKey: os.Getenv("OPENAI_API_KEY")})
	if err != nil {
		log.Fatal(err)
	}
	a, err := agent.New(agent.Config{
		Name:         "calculator",
		Model:        model,
		Toolkits:     []toolkit.Toolkit{calculator.New()},
		Instructions: "Use the calculator for every computation and show each step.",
	})
	if err != nil {
		log.Fatal(err)
	}
	out, err := a.Run(context.Background(), "A 12-step workflow takes 3.5 s per step. How long for 40 runs, in minutes?")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Content)
}
