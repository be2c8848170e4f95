# Retrieval-augmented answers from a PDF loaded into a Qdrant collection.
from agno.agent import Agent
from agno.knowledge.embedder.openai import OpenAIEmbedder
from agno.knowledge.knowledge import Knowledge
from agno.models.openai import OpenAIChat
from agno.vectordb.qdrant import Qdrant

knowledge = Knowledge(
    vector_db=Qdrant(
        collection="handbook",
        url="http://localhost:6333",
        embedder=OpenAIEmbedder(id="text-embedding-3-small"),
    ),
)
knowledge.add_content(path="docs/handbook.pdf")

agent = Agent(model=OpenAIChat(id="gpt-4o-mini"), knowledge=knowledge, search_knowledge=True)
agent.print_response("What is the on-call rotation policy?")
