"""The stores a use case works on, built on first use: importing a handler costs no AWS setup."""

from __future__ import annotations

from orders_api.store.deliverability import Deliverability
from orders_api.store.orders import Repository
from orders_api.store.registry import Registry
from orders_api.store.templates import TemplateStore
from orders_api.store.webhooks import Webhooks


class UsesStores:
    """Give a use case its stores for tests; without them it builds the function's own when first used."""

    def __init__(
        self,
        repository: Repository | None = None,
        registry: Registry | None = None,
        deliverability: Deliverability | None = None,
        webhooks: Webhooks | None = None,
    ) -> None:
        self._repository = repository
        self._registry = registry
        self._deliverability = deliverability
        self._templates: TemplateStore | None = None
        self._webhooks = webhooks

    @property
    def repository(self) -> Repository:
        if self._repository is None:
            self._repository = Repository()
        return self._repository

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = Registry()
        return self._registry

    @property
    def deliverability(self) -> Deliverability:
        if self._deliverability is None:
            self._deliverability = Deliverability()
        return self._deliverability

    @property
    def templates(self) -> TemplateStore:
        """Built on first use like the others; only the template routes, the preview and the mailer need it."""
        if self._templates is None:
            self._templates = TemplateStore()
        return self._templates

    @property
    def webhooks(self) -> Webhooks:
        if self._webhooks is None:
            self._webhooks = Webhooks()
        return self._webhooks
