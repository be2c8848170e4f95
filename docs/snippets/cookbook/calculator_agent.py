# An agent that does arithmetic through a toolkit instead of guessing.
from agno.agent import Agent
from agno.models.openai import OpenAIChat
from agno.tools.calculator import CalculatorTools

agent = Agent(
    model=OpenAIChat(id="gpt-4o-mini"),  # reads OPENAI_API_KEY
    tools=[CalculatorTools()],
    instructions="Use the calculator for every computation and show each step.",
    markdown=True,
)

agent.print_response("A 12-step workflow takes 3.5 s per step. How long for 40 runs, in minutes?")
