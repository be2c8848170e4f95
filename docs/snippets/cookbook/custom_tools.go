// The same agent on agno-Go: the two functions are registered on a toolkit of our own.
package main

import (
	"context"
	"fmt"
	"log"
	"math"
	"os"
	"strings"

	"github.com/rexleimo/agno-go/pkg/agno/agent"
	"github.com/rexleimo/agno-go/pkg/agno/models/openai"
	"github.com/rexleimo/agno-go/pkg/agno/tools/toolkit"
)

func shippingTools() toolkit.Toolkit {
	kit := toolkit.NewBaseToolkit("shipping")
	kit.RegisterFunction(&toolkit.Function{
		Name:        "shipping_cost",
		Description: "Cost in euros to ship a parcel of this weight; express doubles it.",
		Parameters: map[string]toolkit.Parameter{
			"weight_kg": {Type: "number", Description: "Parcel weight in kg", Required: true},
			"express":   {Type: "boolean", Description: "Express delivery", Required: true},
		},
		Handler: func(_ context.Context, args map[string]interface{}) (interface{}, error) {
			weight, _ := args["weight_kg"].(float64)
			express, _ := args["express"].(bool)
			cost := 4.5 + 1.2*weight
			if express {
				cost *= 2
			}
			return map[string]interface{}{"weight_kg": weight, "express": express,
				"eur": math.Round(cost*100) / 100}, nil
		},
	})
	kit.RegisterFunction(&toolkit.Function{
		Name:        "delivery_days",
		Description: "Working days to deliver to this country (ISO code).",
		Parameters: map[string]toolkit.Parameter{
			"country": {Type: "string", Description: "ISO country code", Required: true},
		},
		Handler: func(_ context.Context, args map[string]interface{}) (interface{}, error) {
			country, _ := args["country"].(string)
			days := map[string]int{"DE": 1, "FR": 2, "IT": 3}
			if d, ok := days[strings.ToUpper(country)]; ok {
				return d, nil
			}
			return 5, nil
		},
	})
	return kit
}

func main() {
	model, err := openai.New("gpt-4o-mini", openai.Config{APIKey: os.Getenv("OPENAI_API_KEY")})
	if err != nil {
		log.Fatal(err)
	}
	a, err := agent.New(agent.Config{Model: model, Toolkits: []toolkit.Toolkit{shippingTools()}})
	if err != nil {
		log.Fatal(err)
	}
	out, err := a.Run(context.Background(), "What does a 3 kg express parcel to France cost, and when does it arrive?")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Content)
}
