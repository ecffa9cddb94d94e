"""A page of orders as the list route answers it. The list function writes pages from the stored
documents (orders_api.domain.public); these models declare the answer in the OpenAPI document.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from orders_api.domain import examples
from orders_api.domain.base_models import Wire
from orders_api.domain.models import Order


class Links(Wire):
    next: str | None = Field(description="The next page with the same filters; null on the last page")


class OrderPage(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ORDER_PAGE]})

    data: list[Order]
    links: Links
    next_cursor: str | None = Field(
        description="The cursor of the next page, for `after` with the same filters; null on the last page"
    )
