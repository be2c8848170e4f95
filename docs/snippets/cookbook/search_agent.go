// The same agent on the Go runtime, with the DuckDuckGo-backed search toolkit.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/rexleimo/agno-go/pkg/agno/agent"
	"github.com/rexleimo/agno-go/pkg/agno/models/openai"
	"github.com/rexleimo/agno-go/pkg/agno/tools/search"
	"github.com/rexleimo/agno-go/pkg/agno/tools/toolkit"
)

func main() {
	model, err := openai.New("gpt-4o-mini", openai.Config{APIKey: os.Getenv("OPENAI_API_KEY")})
	if err != nil {
		log.Fatal(err)
	}
	a, err := agent.New(agent.Config{
		Name:         "news",
		Model:        model,
		Toolkits:     []toolkit.Toolkit{search.New()},
		Instructions: "Search first, then answer in three bullet points with the links you used.",
	})
	if err != nil {
		log.Fatal(err)
	}
	out, err := a.Run(context.Background(), "What changed in the EU AI Act timeline this year?")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Content)
}
