"""The one table and the client that reaches it, shared by the registry and the repository."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orders_api import settings
from orders_api.adapters import aws


@dataclass(frozen=True)
class Table:
    name: str
    client: Any

    @classmethod
    def default(cls) -> Table:
        """The function's table (TABLE_NAME) through the container's one DynamoDB client."""
        return cls(settings.current().table_name, aws.dynamodb())
