"""The template's queues, event buses and KMS keys, created in moto, and the variables that name them.

A function's environment names these by Ref, which has no local value until they exist; once
created, each such variable is set to what Ref gives when deployed (a queue's URL, a bus's name, a
key's id), so the handlers find them as they would in AWS.
"""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

from orders_local.template import Template


def create_resources(template: Template) -> dict[str, str]:
    """Creates them all; answers logical id -> the value of its Ref, and sets the functions' variables."""
    values: dict[str, str] = {}
    sqs = boto3.client("sqs")
    queues = template.of_type("AWS::SQS::Queue")
    # Dead-letter queues first: a queue's redrive policy names its dead-letter queue's ARN.
    for name in sorted(queues, key=lambda n: "RedrivePolicy" in queues[n]):
        values[name] = _queue(sqs, name, queues[name])
    events = boto3.client("events")
    for name in template.of_type("AWS::Events::EventBus"):
        events.create_event_bus(Name=name)
        values[name] = name
    kms = boto3.client("kms")
    for name in template.of_type("AWS::KMS::Key"):
        values[name] = kms.create_key(Description=name)["KeyMetadata"]["KeyId"]
    for function in template.functions.values():
        for variable, target in function.references.items():
            if target in values:
                os.environ[variable] = values[target]
    return values


def queue_arn(url: str) -> str:
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]


def _queue(sqs: Any, name: str, properties: dict[str, Any]) -> str:
    attributes: dict[str, str] = {}
    if "VisibilityTimeout" in properties:
        attributes["VisibilityTimeout"] = str(properties["VisibilityTimeout"])
    redrive = properties.get("RedrivePolicy")
    if redrive:
        target = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
        dead_letters = sqs.get_queue_url(QueueName=target)["QueueUrl"]
        attributes["RedrivePolicy"] = json.dumps(
            {
                "deadLetterTargetArn": queue_arn(dead_letters),
                "maxReceiveCount": int(redrive["maxReceiveCount"]),
            }
        )
    return str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])
