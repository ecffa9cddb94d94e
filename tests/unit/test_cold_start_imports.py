"""What each function loads at cold start: heavy modules stay out of the functions that never use them.

Each function's app module is imported in a fresh interpreter, as Lambda does, and the
modules it loaded are checked by name. Nothing is timed, so the test is as steady as the code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from orders_local.template import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template()

IDEMPOTENCY = "aws_lambda_powertools.utilities.idempotency"
# The X-Ray SDK that Powertools' Tracer imports; Lambda's active tracing works without it.
XRAY = "aws_xray_sdk"

NOT_LOADED: dict[str, tuple[str, ...]] = {
    "AuthorizerFunction": (IDEMPOTENCY, XRAY),
    "CreateOrderFunction": (XRAY,),
    "DeleteOrderFunction": (IDEMPOTENCY, XRAY),
    "DocsFunction": (IDEMPOTENCY, XRAY),
    "FallbackFunction": (IDEMPOTENCY, XRAY),
    "GetCustomerFunction": (IDEMPOTENCY, XRAY),
    "GetOrderFunction": (IDEMPOTENCY, XRAY),
    "ListOrdersFunction": (IDEMPOTENCY, XRAY),
    "MailerFunction": (IDEMPOTENCY, XRAY),
    "UnsubscribeFunction": (IDEMPOTENCY, XRAY),
    "UpdateCustomerFunction": (IDEMPOTENCY, XRAY),
    "UpdateOrderStatusFunction": (XRAY,),
}


@cache
def loaded_by(function: str) -> frozenset[str]:
    """The modules a fresh interpreter holds after importing the function's handler module."""
    code = TEMPLATE.functions[function].code_uri
    result = subprocess.run(
        [sys.executable, "-c", "import json, sys, app; print(json.dumps(sorted(sys.modules)))"],
        cwd=code,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(code), str(ROOT / "layers" / "shared")])},
        capture_output=True,
        text=True,
        check=True,
    )
    return frozenset(json.loads(result.stdout))


def test_every_function_is_checked() -> None:
    assert set(NOT_LOADED) == set(TEMPLATE.functions)


@pytest.mark.parametrize("function", sorted(NOT_LOADED))
def test_function_loads_nothing_it_does_not_use(function: str) -> None:
    unwanted = NOT_LOADED[function]
    found = sorted(
        name
        for name in loaded_by(function)
        if any(name == package or name.startswith(package + ".") for package in unwanted)
    )
    assert not found, f"{function} loads {found}"


@pytest.mark.parametrize("function", ["CreateOrderFunction", "UpdateOrderStatusFunction"])
def test_functions_taking_idempotency_keys_load_the_utility(function: str) -> None:
    """The check above would pass vacuously if the module name were wrong."""
    assert IDEMPOTENCY in loaded_by(function)
