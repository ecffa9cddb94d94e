"""The least the project's stack costs a function that only reads: the floor's boto3 and DynamoDB
client, plus Powertools' Logger and REST resolver without validation, and one route; no code of ours."""

from __future__ import annotations

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


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
