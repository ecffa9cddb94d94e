"""The least the project's stack costs a function that only reads: the floor's boto3 and DynamoDB
client, plus Powertools' Logger and REST resolver without validation, and one route; no code of ours
but the init without the cyclic collector that every function has (orders_api.startup)."""

from __future__ import annotations

# First, as in every function: importing orders_api turns the collector off for the init.
from orders_api.startup import ready

# isort: split
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

dynamodb = boto3.client("dynamodb")
logger = Logger(service="stack-reader")
app = APIGatewayRestResolver()


@app.get("/v1/orders/<order_id>")
def get_order(order_id: str) -> dict[str, Any]:
    return {"id": order_id}


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)


lambda_handler = ready(handle)
