"""Contract fuzzing: schemathesis sends generated requests to the local runtime over HTTP and
checks every answer against the OpenAPI document the runtime serves at /v1/openapi.json.

The cases are generated from the committed openapi.json, so pytest knows each operation at
collection time and pytest-xdist can spread them over its workers; the `api` fixture first
asserts that the runtime serves exactly that document. Each worker fuzzes a runtime of its
own, so generated orders, customers and emails never reach the other integration tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from orders_api.domain import examples
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from tests.integration.conftest import KEYS, start_local_api

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi.json"
CLIENT = "demo"
KEY = KEYS[CLIENT]
# The conformance checks, and those for 405s with Allow, refused keys and refused invalid
# requests. Left out: positive_data_acceptance, as a cursor, an unsubscribe token, a reused
# Idempotency-Key or a stale If-Match can match its schema and still be rightly refused; and
# the checks that follow links between operations, which the document does not declare.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
]

# Half the requests name the example order or customer, which the runtime holds, so they
# get past the lookup (404) to the order's lifecycle.
CONFIG = {
    "auth": {"openapi": {"apiKey": {"bearer": KEY}}},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": True, "max-steps": 10},
    },
    "dictionaries": {
        "order": {"values": [examples.ORDER_ID]},
        "customer": {"values": [examples.CUSTOMER_ID]},
    },
    "parameters": {
        "path.order_id": {"dictionary": "order", "probability": 0.5},
        "path.customer_id": {"dictionary": "customer", "probability": 0.5},
    },
}
schema = schemathesis.openapi.from_path(DOCUMENT, config=schemathesis.Config.from_dict(CONFIG))


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    """A fresh runtime that serves the committed document and holds the documented example order."""
    runtime = start_local_api()
    served = runtime.client().get("/v1/openapi.json")
    assert served.body == json.loads(DOCUMENT.read_text(encoding="utf-8"))
    seeded = runtime.client(KEY).post("/v1/orders", {"order": examples.ORDER_IN})
    assert seeded.status == 201, seeded
    yield runtime.base_url
    assert runtime.stop() == 0, runtime.log()


@schema.parametrize()
# Each case is a real HTTP round trip through the authorizer and a handler, on a shared machine;
# large order bodies are drawn through filters.
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_keeps_its_contract(case: schemathesis.Case, api: str) -> None:
    if case.query and "client_id" in case.query and not _varies(case, "client_id"):
        # Any other client is a 403 before the body is read: only cases about client_id keep one.
        case.query["client_id"] = CLIENT
    case.call_and_validate(base_url=api, checks=CHECKS)


def _varies(case: schemathesis.Case, parameter: str) -> bool:
    """Whether the case was generated to try values of this one parameter."""
    return case.meta is not None and getattr(case.meta.phase.data, "parameter", None) == parameter


# Stateful: chains of calls along the document's links (create an order, then read, move and delete it).
class OrderWorkflows(schema.as_state_machine()):  # type: ignore[misc]
    base_url = ""

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, str]:
        return {"base_url": self.base_url}

    def validate_response(self, response: object, case: schemathesis.Case, **kwargs: object) -> None:
        case.validate_response(response, checks=CHECKS)


def test_order_workflows_keep_the_contract(api: str) -> None:
    """No example database: a chain replayed against a runtime whose state has moved on draws differently,
    which hypothesis reports as a flaky strategy on every later run."""
    OrderWorkflows.base_url = api
    OrderWorkflows.run(
        settings=settings(
            max_examples=10,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
