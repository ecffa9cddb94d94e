"""One request per route, run through the real handlers in-process against moto, and recorded.

Each route is called as API Gateway calls it (testkit's Api goes through the local
API Gateway emulator, which builds the REST proxy events and runs the authorizer), for
an order of 1 item and one of 100 items, in an order that leaves every call a real
change: create, read, merge, move, list, opt out, opt in, delete. The recordings carry the event, the answer's status and every
DynamoDB call with its response, so the cost part prices them and the warm part
replays them through botocore's Stubber.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from orders_api.adapters import aws
from orders_api.app import unsubscribe_links as unsubscribe
from orders_api.store.registry import Registry

from bench.capacity import Table
from bench.recorder import Call, Recorder
from testkit import TEMPLATE, Api, Context, demo_api, fake_aws, handler_module

SIZES = (1, 100)
CUSTOMER = "C1"
ORDER = "O1"
ORDERS_OF_CUSTOMER = 10
# The list page the warm part times: a page of the route's default limit, of 100-item orders.
PAGE_ORDERS = 100
LIST_PAGE = f"list_orders (page of {PAGE_ORDERS})"
TABLES = {table.name: Table.from_create_args(table.create_args) for table in TEMPLATE.tables.values()}


@dataclass
class Recording:
    route: str
    function: str
    items: int | None
    event: dict[str, Any]
    status: int
    calls: list[Call]

    @property
    def function_name(self) -> str:
        """functions/<name>: the name the results use."""
        return TEMPLATE.functions[self.function].code_uri.name


def order_body(order_id: str, items: int, first: int = 0) -> dict[str, Any]:
    return {
        "order": {
            "id": order_id,
            "customer": {"id": CUSTOMER, "email": "jane@example.com", "name": "Jane Doe"},
            "items": [
                {
                    "id": f"SKU-{n}",
                    "name": f"Trail shoe, size {n}",
                    "price": 89.95,
                    "quantity": 1,
                    "url": f"https://shop.example/p/sku-{n}",
                    "image_url": f"https://shop.example/img/sku-{n}.jpg",
                }
                for n in range(first, first + items)
            ],
        }
    }


@contextmanager
def moto_session() -> Iterator[tuple[Api, Recorder]]:
    """Fresh tables, the demo clients and keys, and a recorder on the functions' client."""
    with fake_aws():
        api = demo_api(Registry())
        key_names = {name: list(table.keys) for name, table in TABLES.items()}
        yield api, Recorder(aws.dynamodb(), boto3.client("dynamodb"), key_names)


class _Session:
    def __init__(self, api: Api, recorder: Recorder, items: int | None) -> None:
        self.api, self.recorder, self.items = api, recorder, items
        self.recordings: list[Recording] = []

    def call(self, route: str, method: str, path: str, expected: int, **options: Any) -> None:
        with self.recorder.recording() as calls:
            reply = self.api.call(method, path, **options)
        if reply.status != expected:
            raise RuntimeError(f"{route}: {method} {path} answered {reply.status}: {reply.text[:500]}")
        if reply.function is None or reply.event is None:
            raise RuntimeError(f"{route}: {method} {path} reached no function")
        self.recordings.append(Recording(route, reply.function, self.items, reply.event, reply.status, calls))

    def authorize(self) -> None:
        """The authorizer on the event the gateway gives it, invoked again so its own calls are recorded."""
        function = next(iter(TEMPLATE.authorizers.values())).function
        request = self.api.call("GET", f"/v1/orders/{ORDER}").authorizer_event
        if request is None:
            raise RuntimeError("the gateway did not invoke the authorizer")
        with self.recorder.recording() as calls:
            decision = handler_module(function).lambda_handler(request, Context())
        if decision.get("principalId") != "demo":
            raise RuntimeError(f"the authorizer denied the demo key: {decision}")
        self.recordings.append(Recording("authorizer", function, None, request, 200, calls))


def record(items: int, *, size_free: bool) -> list[Recording]:
    """Every route for an order of `items` items; with size_free also the routes no order size changes."""
    with moto_session() as (api, recorder):
        session = _Session(api, recorder, items)
        orders = f"/v1/orders/{ORDER}"
        session.call("create_order", "POST", "/v1/orders", 201, body=order_body(ORDER, items))
        for number in range(2, ORDERS_OF_CUSTOMER + 1):
            api.call("POST", "/v1/orders", body=order_body(f"O{number}", items))
        session.call("get_order", "GET", orders, 200)
        session.call(
            "create_order (merge)", "POST", "/v1/orders", 200, body=order_body(ORDER, 1, first=items)
        )
        session.call("update_order_status", "PUT", f"{orders}/status", 200, body={"status": "shipped"})
        session.call("list_orders", "GET", f"/v1/orders?customer_id={CUSTOMER}", 200)
        session.call("get_customer", "GET", f"/v1/customers/{CUSTOMER}", 200)
        token = unsubscribe.token("demo", CUSTOMER)
        session.call("unsubscribe", "GET", "/v1/unsubscribe", 200, query={"token": token}, key=None)
        session.call("update_customer", "PATCH", f"/v1/customers/{CUSTOMER}", 200, body={"opt_out": False})
        session.call("delete_order", "DELETE", orders, 200)
        if size_free:
            session.items = None
            session.authorize()
            session.call("docs", "GET", "/v1/openapi.json", 200, key=None)
            session.call("fallback", "PATCH", orders, 405, key=None)
        return session.recordings


def record_list_page(items: int = SIZES[-1], orders: int = PAGE_ORDERS) -> Recording:
    """A list page of `orders` orders of one customer, each of `items` items, as the API writes them;
    DynamoDB returns at most 1 MB a Query, so the page takes several."""
    with moto_session() as (api, recorder):
        for number in range(orders):
            reply = api.call("POST", "/v1/orders", body=order_body(f"O{number}", items))
            if reply.status != 201:
                raise RuntimeError(f"seeding the list page: {reply.status} {reply.text[:500]}")
        session = _Session(api, recorder, items)
        session.call(LIST_PAGE, "GET", f"/v1/orders?customer_id={CUSTOMER}&limit={orders}", 200)
        return session.recordings[0]


def record_all() -> list[Recording]:
    recordings: list[Recording] = []
    for number, items in enumerate(SIZES):
        recordings.extend(record(items, size_free=number == 0))
    return recordings
