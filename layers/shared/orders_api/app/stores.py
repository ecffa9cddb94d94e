"""The stores a use case works on, built on first use: importing a handler costs no AWS setup.

The stores that work on the models (orders, templates, webhooks) are imported on first use too,
so a function that only reads and shows never loads pydantic through them.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from orders_api.store.deliverability import Deliverability
from orders_api.store.documents import Documents
from orders_api.store.registry import Registry

if TYPE_CHECKING:
    from orders_api.store.orders import Repository
    from orders_api.store.pages import OrderPages
    from orders_api.store.templates import TemplateStore
    from orders_api.store.webhooks import Webhooks


class UsesStores:
    """Give a use case its stores for tests; without them it builds the function's own when first used.

    A store given here takes the place of the cached property of the same name. Two of the
    mailer's workers may both build one on first use; either serves, as a store holds only
    the table's name and the container's one client.
    """

    def __init__(
        self,
        repository: Repository | None = None,
        *,
        registry: Registry | None = None,
        deliverability: Deliverability | None = None,
        webhooks: Webhooks | None = None,
        documents: Documents | None = None,
        order_pages: OrderPages | None = None,
    ) -> None:
        given = {
            "repository": repository,
            "registry": registry,
            "deliverability": deliverability,
            "webhooks": webhooks,
            "documents": documents,
            "order_pages": order_pages,
        }
        self.__dict__.update({name: store for name, store in given.items() if store is not None})

    @cached_property
    def repository(self) -> Repository:
        from orders_api.store.orders import Repository  # noqa: PLC0415 - the models, on first use

        return Repository()

    @cached_property
    def registry(self) -> Registry:
        return Registry()

    @cached_property
    def deliverability(self) -> Deliverability:
        return Deliverability()

    @cached_property
    def templates(self) -> TemplateStore:
        from orders_api.store.templates import TemplateStore  # noqa: PLC0415 - the models, on first use

        return TemplateStore()

    @cached_property
    def webhooks(self) -> Webhooks:
        from orders_api.store.webhooks import Webhooks  # noqa: PLC0415 - the models, on first use

        return Webhooks()

    @cached_property
    def documents(self) -> Documents:
        return Documents()

    @cached_property
    def order_pages(self) -> OrderPages:
        from orders_api.store.pages import OrderPages  # noqa: PLC0415 - only the list function reads pages

        return OrderPages()
