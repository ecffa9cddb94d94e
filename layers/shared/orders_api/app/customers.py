"""Customers: reading one, their opt-out, and unsubscribing the one a link names (app.unsubscribe_links)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from orders_api.app.clock import utcnow
from orders_api.app.stores import UsesStores
from orders_api.app.unsubscribe_links import customer_of
from orders_api.domain.client_settings import ClientSettings
from orders_api.domain.customer_models import CustomerPatch, CustomerProfile
from orders_api.domain.errors import NotFound, Unreadable
from orders_api.domain.locales import languages, resolve
from orders_api.domain.models import Customer
from orders_api.store.orders import Repository
from orders_api.store.registry import Registry


class Customers(UsesStores):
    def __init__(
        self,
        repository: Repository | None = None,
        registry: Registry | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(repository, registry=registry)
        self.clock = clock

    def update(self, client_id: str, customer_id: str, patch: CustomerPatch) -> CustomerProfile:
        """Sets the opt-out and, with suppressed: null, lifts the suppression of the customer's address."""
        if patch.opt_out is not None:
            customer = self.set_opt_out(client_id, customer_id, patch.opt_out)
        else:
            record = self.repository.get_customer(client_id, customer_id)
            if record is None:
                raise NotFound(f"Customer {customer_id!r} does not exist.")
            customer = record.customer
        if "suppressed" in patch.model_fields_set and customer.email:
            self.deliverability.lift(client_id, customer.email)
        return self._profile(client_id, customer)

    def _profile(self, client_id: str, customer: Customer) -> CustomerProfile:
        email = customer.email
        suppressed = self.deliverability.suppression(client_id, email) if email else None
        return CustomerProfile.model_validate({**customer.model_dump(), "suppressed": suppressed})

    def set_opt_out(self, client_id: str, customer_id: str, opt_out: bool) -> Customer:
        """Records the choice on the customer (created if unknown), then on each of their orders.

        The mailer checks the order's copy right before it sends, so an opt-out stops
        every invitation and reminder that has not gone out yet.
        """
        repository = self.repository
        customer = repository.set_customer_opt_out(client_id, customer_id, opt_out, self.clock())
        for key in repository.order_keys_of_customer(client_id, customer_id):
            repository.copy_opt_out_to_order(key, opt_out)
        return customer

    def unsubscribe(self, token_value: str | None) -> tuple[ClientSettings, str]:
        """Opts out the customer a genuine token names; answers the shop's settings and the page's language."""
        named = customer_of(token_value)
        if named is None:
            raise Unreadable("The unsubscribe link is incomplete or not genuine.")
        self.set_opt_out(named.client_id, named.customer_id, True)
        shop = ClientSettings.stored(named.client_id, self.registry.get_client_settings(named.client_id))
        return shop, resolve(named.locale, shop.default_locale, languages())
