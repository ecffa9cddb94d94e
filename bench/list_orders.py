"""Lists the orders of one customer page by page and reports pages, DynamoDB calls and time.

In-process against moto with the table from template.yaml: the call count is what
DynamoDB would see; the time inside calls is moto's (a linear scan in Python), not
DynamoDB's, so the handler's own share (parsing and serialising orders) is reported apart.

    python -m bench.list_orders [--orders 10000] [--limit 1000] [--output FILE]
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext
from moto import mock_aws
from orders_api.adapters import aws
from orders_api.domain.models import Customer, Item, Order
from orders_api.log import logger
from orders_api.store.orders import OrderRecord, Repository
from orders_local.template import create_tables, load_template

from bench import output
from bench.capacity import item_size
from functions.list_orders import app

CLIENT_ID = "bench"
CUSTOMER_ID = "bench-customer"


def _environment() -> None:
    """Dummy credentials and the template's table name, before any AWS client exists."""
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.update(
        AWS_DEFAULT_REGION="eu-west-1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",  # noqa: S106 - moto's dummy credentials
        TABLE_NAME=load_template().functions["ListOrdersFunction"].environment["TABLE_NAME"],
    )


def _seed(count: int) -> float:
    repository = Repository()
    started = time.perf_counter()
    first = datetime(2024, 1, 1, tzinfo=UTC)
    for number in range(count):
        created = first + timedelta(seconds=number)
        order = Order(
            id=f"O{number:06}",
            customer=Customer(id=CUSTOMER_ID, email="bench@example.com", name="Bench Customer"),
            items=[
                Item(id=f"SKU-{n}", name=f"Product {n}", price=19.99, created_at=created, updated_at=created)
                for n in range(2)
            ],
            created_at=created,
            updated_at=created,
        )
        repository.save_order(CLIENT_ID, OrderRecord(order), expected_version=None, due_at=None)
    return time.perf_counter() - started


def _event(query: dict[str, str]) -> dict[str, Any]:
    return {
        "resource": "/v1/orders",
        "path": "/v1/orders",
        "httpMethod": "GET",
        "headers": {},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {name: [value] for name, value in query.items()},
        "requestContext": {"requestId": "bench", "authorizer": {"client_id": CLIENT_ID}},
        "body": None,
        "isBase64Encoded": False,
    }


def run(orders: int, limit: int) -> dict[str, Any]:
    calls: Counter[str] = Counter()
    in_dynamodb: list[float] = []
    # Per page: the Queries it took and the bytes of the items they read (DynamoDB's item size).
    page_queries: list[int] = []
    page_bytes: list[int] = []

    def before(event_name: str, **_: Any) -> None:
        calls[event_name.rsplit(".", 1)[-1]] += 1
        page_queries[-1] += 1
        in_dynamodb.append(-time.perf_counter())

    def after(parsed: dict[str, Any], **_: Any) -> None:
        in_dynamodb[-1] += time.perf_counter()
        page_bytes[-1] += sum(item_size(item) for item in parsed.get("Items", []))

    seconds_to_seed = _seed(orders)
    aws.dynamodb().meta.events.register("before-call.dynamodb", before)
    aws.dynamodb().meta.events.register("after-call.dynamodb", after)
    query = {"limit": str(limit), "customer_id": CUSTOMER_ID}
    times: list[float] = []
    listed = largest = 0
    while True:
        page_queries.append(0)
        page_bytes.append(0)
        started = time.perf_counter()
        response = app.lambda_handler(_event(query), LambdaContext())
        times.append(time.perf_counter() - started)
        assert response["statusCode"] == 200, response["body"]
        body = json.loads(response["body"])
        listed += len(body["data"])
        largest = max(largest, len(response["body"].encode()))
        if body["links"]["next"] is None:
            break
        query = dict(parse_qsl(urlsplit(body["links"]["next"]).query))
    assert listed == orders, f"listed {listed} of {orders} orders"
    return {
        "orders": orders,
        "limit": limit,
        "pages": len(times),
        "dynamodb_calls": dict(calls),
        "seconds_total": round(sum(times), 3),
        "seconds_per_page": {
            "median": round(statistics.median(times), 3),
            "max": round(max(times), 3),
        },
        "seconds_in_dynamodb_calls": round(sum(in_dynamodb), 3),
        "seconds_in_handler_code": round(sum(times) - sum(in_dynamodb), 3),
        "largest_page_bytes": largest,
        "queries_per_page": page_queries,
        "read_bytes_per_page": page_bytes,
        "seconds_to_seed": round(seconds_to_seed, 1),
    }


def main() -> None:
    parser = output.parser(__doc__)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=1000)
    arguments = parser.parse_args()
    _environment()
    logger.setLevel("WARNING")
    with mock_aws():
        create_tables(boto3.client("dynamodb"), load_template())
        output.emit(run(arguments.orders, arguments.limit), arguments.output)


if __name__ == "__main__":
    main()
