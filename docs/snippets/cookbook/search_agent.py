# A news-aware agent that searches the web before answering.
from agno.agent import Agent
from agno.models.openai import OpenAIChat
from agno.tools.duckduckgo import DuckDuckGoTools

agent = Agent(
    model=OpenAIChat(id="gpt-4o-mini"),
    tools=[DuckDuckGoTools()],
    instructions="Search first, then answer in three bullet points with the links you used.",
)

agent.print_response("What changed in the EU AI Act timeline this year?")
