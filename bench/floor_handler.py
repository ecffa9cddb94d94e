"""The floor every cold start is measured against: a bare handler that imports boto3 and
builds a DynamoDB client, as the smallest useful Python function on this table would."""

from __future__ import annotations

import os
from typing import Any

import boto3

dynamodb = boto3.client("dynamodb")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    key = {"pk": {"S": event["pk"]}, "sk": {"S": "ORDER"}}
    item = dynamodb.get_item(TableName=os.environ["TABLE_NAME"], Key=key).get("Item")
    return {"statusCode": 200 if item else 404, "body": item["doc"]["S"] if item else ""}
