"""A Lambda container's init phase runs without the cyclic garbage collector.

Importing a function's chain (boto3, Powertools, pydantic, the models) allocates many
long-lived objects and almost no cyclic garbage, yet it triggers full collections that
cost a cold start about 25 ms. So in Lambda the collector is off from the first import of
`orders_api` (the package's `__init__` calls `begin`) until the function's handler is built;
then what init built is frozen (never scanned again, which also shortens later collections)
and the collector is on. Every function's handler passes through `ready`; a test checks that
none is left without the collector. Code in Lambda that imports `orders_api` without building
a handler of ours must call `ready` too.
"""

from __future__ import annotations

import gc
import os
from typing import TypeVar

Handler = TypeVar("Handler")

IN_LAMBDA = "AWS_LAMBDA_FUNCTION_NAME" in os.environ


def begin() -> None:
    if IN_LAMBDA:
        gc.disable()


def ready(handler: Handler) -> Handler:
    """The handler, once init is over: the collector back on, init's objects frozen."""
    if IN_LAMBDA:
        gc.freeze()
    gc.enable()
    return handler
