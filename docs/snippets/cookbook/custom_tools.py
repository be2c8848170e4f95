# An agent whose tools are plain Python functions: the signature and docstring describe each tool.
from agno.agent import Agent
from agno.models.openai import OpenAIChat


def shipping_cost(weight_kg: float, express: bool) -> dict:
    """Cost in euros to ship a parcel of this weight; express doubles it."""
    base = 4.5 + 1.2 * weight_kg
    return {"weight_kg": weight_kg, "express": express, "eur": round(base * (2 if express else 1), 2)}


def delivery_days(country: str) -> int:
    """Working days to deliver to this country (ISO code)."""
    return {"DE": 1, "FR": 2, "IT": 3}.get(country.upper(), 5)


agent = Agent(
    model=OpenAIChat(id="gpt-4o-mini"),  # reads OPENAI_API_KEY
    tools=[shipping_cost, delivery_days],
)

agent.print_response("What does a 3 kg express parcel to France cost, and when does it arrive?")
