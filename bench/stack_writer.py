"""The least the project's stack costs a function that takes a body: stack_reader's, plus Powertools'
validation of one pydantic model; no code of ours but the init without the cyclic collector that every
function has (orders_api.startup)."""

from __future__ import annotations

# First, as in every function: importing orders_api turns the collector off for the init.
from orders_api.startup import ready

# isort: split
from typing import Annotated, Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel

dynamodb = boto3.client("dynamodb")
logger = Logger(service="stack-writer")
app = APIGatewayRestResolver(enable_validation=True)


class OrderIn(BaseModel):
    id: str
    note: str | None = None


@app.post("/v1/orders")
def create_order(order: Annotated[OrderIn, Body()]) -> dict[str, Any]:
    return {"id": order.id}


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)


lambda_handler = ready(handle)
