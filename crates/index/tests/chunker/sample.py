"""Inventory helpers, to pin how Python files are chunked."""
import json
from dataclasses import dataclass

DEFAULT_WAREHOUSE = "main"


@dataclass
class Item:
    """One stocked item."""

    sku: str
    quantity: int = 0

    def restock(self, amount: int) -> None:
        # Negative amounts are refunds, handled elsewhere.
        if amount < 0:
            raise ValueError("amount must be positive")
        self.quantity += amount

    @property
    def empty(self) -> bool:
        return self.quantity == 0


def load_items(path):
    with open(path) as f:
        return [Item(**row) for row in json.load(f)]


async def sync_remote(client, items):
    for item in items:
        await client.put(item.sku, item.quantity)


if __name__ == "__main__":
    print(load_items("items.json"))
