# Two agents in sequence: research, then a written brief; runs are stored in SQLite.
from agno.agent import Agent
from agno.db.sqlite import SqliteDb
from agno.models.openai import OpenAIChat
from agno.tools.hackernews import HackerNewsTools
from agno.tools.websearch import WebSearchTools
from agno.workflow.step import Step
from agno.workflow.workflow import Workflow

researcher = Agent(
    name="researcher",
    model=OpenAIChat(id="gpt-4o-mini"),
    tools=[HackerNewsTools(), WebSearchTools()],
    instructions="Find the five most discussed facts about the topic, with links.",
)
writer = Agent(
    name="writer",
    model=OpenAIChat(id="gpt-4o-mini"),
    instructions="Write a 150-word brief from the research you are given.",
)

brief = Workflow(
    name="research-brief",
    db=SqliteDb(db_file="tmp/workflows.db"),
    steps=[Step(name="research", agent=researcher), Step(name="write", agent=writer)],
)
brief.print_response("Open-weight models in production", markdown=True)
