"""What each function loads at cold start: heavy modules stay out of the functions that never use them.

Each function's app module is imported in a fresh interpreter, as Lambda does, and the
modules it loaded are checked by name; for a few, also after a first request with
DynamoDB stubbed. Nothing is timed, so the test is as steady as the code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from orders_api.domain.models import Customer, Order
from orders_api.store.orders import OrderRecord, Repository
from orders_api.store.table import Table
from orders_local.template import load_template, read_document

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template()
RESOURCES = read_document()["Resources"]

IDEMPOTENCY = "aws_lambda_powertools.utilities.idempotency"
# Imported by pydantic on the first email it checks; stored documents are not checked again.
EMAIL_VALIDATOR = "email_validator"
# The X-Ray SDK that Powertools' Tracer imports; Lambda's active tracing works without it.
XRAY = "aws_xray_sdk"
# Powertools' pydantic models of an OpenAPI document: only the docs function builds one.
OPENAPI_MODELS = "aws_lambda_powertools.event_handler.openapi.models"
# Email templates: the mailer, the preview and storing a template render them (the unsubscribe page is not one).
JINJA2 = "jinja2"
# What templates see: the mailer and the preview render it, and storing a template checks against its sample.
TEMPLATE_VARIABLES = "orders_api.domain.template_variables"
# Building emails: the mailer and the preview; the unsubscribe page and the template routes do without.
EMAILS = "orders_api.domain.emails"
# What reading to show never needs: pydantic, the models, what the writers build on them, and
# Powertools' validation and parameter declarations (both pydantic).
MODELS = (
    "pydantic",
    "pydantic_core",
    "annotated_types",
    "orders_api.domain.models",
    "orders_api.domain.scalars",
    "orders_api.domain.client_settings",
    "orders_api.store.orders",
    "orders_api.api.wire",
    "orders_api.api.openapi",
    "orders_api.api.routes.documented",
    "aws_lambda_powertools.event_handler.openapi.params",
    "aws_lambda_powertools.event_handler.middlewares.openapi_validation",
)
# The order's models and the writers on them: the template and webhook routes never read an order.
ORDER_MODELS = ("orders_api.domain.models", "orders_api.store.orders", "orders_api.app.orders")
# The template routes that only read, and the webhook routes: neither renders, sends or reads an order.
TEMPLATE_READER = (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, EMAILS, OPENAPI_MODELS, XRAY, *ORDER_MODELS)
WEBHOOK_ROUTE = (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY, *ORDER_MODELS)
# Language tags and the built-in languages: the functions that read orders or customers to show never need them.
LOCALES = "orders_api.domain.locales"
READER = (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY, LOCALES, *MODELS)
# Functions that need neither the resolver nor the models: boto3 and a few small modules.
LEAN = (
    "aws_lambda_powertools",
    "pydantic",
    "orders_api.domain.models",
    "orders_api.store.orders",
    "orders_api.api.routes",
)

# What unsubscribing and the customer routes need; the mailer and the preview only write the link.
CUSTOMER_ROUTES = ("orders_api.app.customers", "orders_api.domain.customer_models")
# The mailer's run and SES: the preview composes the same email without them.
MAILER_RUN = ("orders_api.app.mailer", "orders_api.adapters.ses", "orders_api.app.send_rate")
# What the mailer decides to send; erasure and SES feedback only ask what is still pending.
MAIL_RULES = "orders_api.domain.mail_rules"
# The mail state's models, the mailer's rules on them: the preview reads the stored state as it is.
MAIL_STATE = ("orders_api.domain.mail_state", MAIL_RULES)

NOT_LOADED: dict[str, tuple[str, ...]] = {
    "AuthorizerFunction": (*LEAN, EMAIL_VALIDATOR, JINJA2, XRAY),
    "CreateOrderFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY),
    "DeleteOrderFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY),
    # It serves the committed document: no route, no model, no pydantic (Swagger UI's page loads it).
    "DocsFunction": (
        IDEMPOTENCY,
        EMAIL_VALIDATOR,
        JINJA2,
        OPENAPI_MODELS,
        XRAY,
        *MODELS,
        "orders_api.api.routes",
    ),
    "EraseCustomerFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY, MAIL_RULES),
    "FeedbackFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY, MAIL_RULES),
    "FallbackFunction": (*LEAN, EMAIL_VALIDATOR, JINJA2, XRAY),
    "GetCustomerFunction": READER,
    "GetOrderFunction": READER,
    "ListOrdersFunction": READER,
    "MailerFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, OPENAPI_MODELS, XRAY, *CUSTOMER_ROUTES),
    "UnsubscribeFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, EMAILS, OPENAPI_MODELS, XRAY),
    "UpdateCustomerFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY),
    "UpdateOrderStatusFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY),
    "ListTemplatesFunction": TEMPLATE_READER,
    "GetTemplateFunction": TEMPLATE_READER,
    "PutTemplateFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, OPENAPI_MODELS, XRAY, EMAILS, *MODELS, *MAIL_STATE),
    "DeleteTemplateFunction": TEMPLATE_READER,
    "PreviewEmailFunction": (
        IDEMPOTENCY,
        EMAIL_VALIDATOR,
        OPENAPI_MODELS,
        XRAY,
        *CUSTOMER_ROUTES,
        *MAILER_RUN,
        *MODELS,
        *MAIL_STATE,
    ),
    "CreateWebhookFunction": WEBHOOK_ROUTE,
    "ReadWebhooksFunction": WEBHOOK_ROUTE,
    "DeleteWebhookFunction": WEBHOOK_ROUTE,
    "EventsFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY),
    "DeliverWebhooksFunction": (IDEMPOTENCY, EMAIL_VALIDATOR, JINJA2, OPENAPI_MODELS, XRAY),
}

IMPORT = "import json, sys, app; print(json.dumps(sorted(sys.modules)))"
REPLAY_IMPORT = "import json, sys, orders_api.api.replay; print(json.dumps(sorted(sys.modules)))"
# A container's first request, each DynamoDB call answered in turn by botocore's Stubber.
FIRST_REQUEST = """
import json, sys
from botocore.stub import Stubber
import app
from orders_api.adapters import aws
event, answers = json.load(sys.stdin)
with Stubber(aws.dynamodb()) as stub:
    for operation, answer in answers:
        stub.add_response(operation, answer)
    response = app.lambda_handler(event, None)
print(json.dumps({"response": response, "modules": sorted(sys.modules)}))
"""
SETTINGS = {"client_id": "demo", "sender_email": "shop@example.com"}


def run_in(function: str, script: str, given: object = None) -> Any:
    """What script prints as JSON, run in a fresh interpreter in the function's folder."""
    code = TEMPLATE.functions[function].code_uri
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(given),
        cwd=code,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(code), str(ROOT / "layers" / "shared")])},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@cache
def imported_by(function: str) -> frozenset[str]:
    return frozenset(run_in(function, IMPORT))


def first_request(
    function: str, items: list[dict[str, Any]], answers: Sequence[tuple[str, Any]] = (), **changes: Any
) -> tuple[dict[str, Any], frozenset[str]]:
    """The function's sample event, with changes, as the first request of a fresh container.

    Each item answers a GetItem; `answers` are (operation, response) for any other call.
    """
    sample = ROOT / "events" / f"{TEMPLATE.functions[function].code_uri.name}.json"
    event = {**json.loads(sample.read_text("utf-8")), **changes}
    if "authorizer" in event["requestContext"]:
        event["requestContext"]["authorizer"]["settings"] = json.dumps(SETTINGS)
    calls = [("get_item", {"Item": item}) for item in items] + list(answers)
    ran = run_in(function, FIRST_REQUEST, [event, calls])
    return ran["response"], frozenset(ran["modules"])


def unwanted(function: str, loaded: frozenset[str]) -> list[str]:
    packages = NOT_LOADED[function]
    return sorted(
        name
        for name in loaded
        if any(name == package or name.startswith(package + ".") for package in packages)
    )


def test_every_function_is_checked() -> None:
    assert set(NOT_LOADED) == set(TEMPLATE.functions)


@pytest.mark.parametrize("function", sorted(NOT_LOADED))
def test_function_loads_nothing_it_does_not_use(function: str) -> None:
    found = unwanted(function, imported_by(function))
    assert not found, f"{function} loads {found}"


# Events come from the table's stream: the events and delivery functions do that work, and the functions
# behind the API (and its authorizer) must not even load it, so no request pays for it. (The webhook
# routes do load adapters.webhook_http: registering a webhook checks its URL as delivering does.)
PUBLISHING = (
    "orders_api.api.stream",
    "orders_api.app.events",
    "orders_api.store.stream",
    "orders_api.adapters.bus",
)
DELIVERING = ("orders_api.api.deliveries", "orders_api.app.delivery", "orders_api.adapters.queue")
EVENT_MODULES = PUBLISHING + DELIVERING
API_FUNCTIONS = sorted(
    {route.function for route in TEMPLATE.routes}
    | {authorizer.function for authorizer in TEMPLATE.authorizers.values()}
)


@pytest.mark.parametrize("function", API_FUNCTIONS)
def test_api_functions_load_no_event_work(function: str) -> None:
    loaded = imported_by(function)
    assert not [module for module in EVENT_MODULES if module in loaded]


@pytest.mark.parametrize(
    ("function", "modules"),
    [
        ("EventsFunction", PUBLISHING),
        ("DeliverWebhooksFunction", DELIVERING),
    ],
)
def test_the_event_functions_load_the_event_modules(function: str, modules: tuple[str, ...]) -> None:
    """The check above would pass vacuously if the module names were wrong."""
    assert set(modules) <= imported_by(function)


# Reading pages of orders (the list's plan, its Query, its cursor): only the list function. How the OpenAPI
# document is finished: only its generator, never a function. The routes declare with api.openapi alone.
PAGE_READING = ("orders_api.domain.listing", "orders_api.store.pages", "orders_api.app.listing")
DOCUMENT_ASSEMBLY = "orders_api.api.assembly"


@pytest.mark.parametrize("function", sorted(TEMPLATE.functions))
def test_only_the_list_function_loads_the_page_reading(function: str) -> None:
    loaded = imported_by(function)
    assert DOCUMENT_ASSEMBLY not in loaded
    assert [module in loaded for module in PAGE_READING] == [function == "ListOrdersFunction"] * len(
        PAGE_READING
    )


@pytest.mark.parametrize(
    ("function", "modules"),
    [("UpdateCustomerFunction", CUSTOMER_ROUTES), ("MailerFunction", (*MAILER_RUN, MAIL_RULES))],
)
def test_the_customer_routes_and_the_mailer_load_their_modules(
    function: str, modules: tuple[str, ...]
) -> None:
    """The checks above would pass vacuously if the module names were wrong."""
    assert set(modules) <= imported_by(function)


def test_the_order_writers_load_the_order_models() -> None:
    """The template and webhook routes' check above would pass vacuously if the module names were wrong."""
    assert set(ORDER_MODELS) <= imported_by("CreateOrderFunction")


@pytest.mark.parametrize(
    ("function", "modules"),
    [
        ("MailerFunction", {JINJA2, TEMPLATE_VARIABLES, EMAILS, *MAIL_STATE}),
        ("PreviewEmailFunction", {JINJA2, TEMPLATE_VARIABLES, EMAILS}),
        ("PutTemplateFunction", {JINJA2, TEMPLATE_VARIABLES}),
    ],
)
def test_the_functions_that_render_emails_load_jinja2_and_the_emails(
    function: str, modules: set[str]
) -> None:
    """The checks above would pass vacuously if the module names were wrong."""
    assert modules <= imported_by(function)


def test_the_idempotency_utility_is_what_a_keyed_request_loads() -> None:
    """The checks above would pass vacuously if the module name were wrong."""
    assert IDEMPOTENCY in run_in("CreateOrderFunction", REPLAY_IMPORT)


def stored_order() -> dict[str, Any]:
    """Order 1001's table item, its customer with an email address."""
    now = datetime(2026, 1, 5, tzinfo=UTC)
    order = Order(
        id="1001", customer=Customer(id="C1", email="jane@example.com"), created_at=now, updated_at=now
    )
    return Repository(Table("OrdersTable", client=None))._order_item("demo", OrderRecord(order), None)


def test_a_first_request_without_an_idempotency_key_loads_no_idempotency() -> None:
    body = json.dumps({"order": {"id": "1001"}})
    response, loaded = first_request("CreateOrderFunction", [], body=body)
    assert response["statusCode"] == 422, response
    assert not unwanted("CreateOrderFunction", loaded)


def test_first_get_of_an_order_with_emails_checks_none_again() -> None:
    """The stored order and the client's settings from the authorizer carry emails checked when written."""
    item = stored_order()
    response, loaded = first_request("GetOrderFunction", [item])
    assert response["statusCode"] == 200, response
    assert not unwanted("GetOrderFunction", loaded)


def test_first_page_of_orders_loads_no_models() -> None:
    item = stored_order()
    page = {"Items": [item], "Count": 1, "ScannedCount": 1}
    query = {"limit": "1", "status": "placed", "created_after": "2021-10-01"}
    response, loaded = first_request(
        "ListOrdersFunction",
        [],
        [("query", page)],
        queryStringParameters=query,
        multiValueQueryStringParameters={name: [value] for name, value in query.items()},
    )
    assert response["statusCode"] == 200, response
    assert [order["id"] for order in json.loads(response["body"])["data"]] == ["1001"]
    assert not unwanted("ListOrdersFunction", loaded)


def test_first_get_of_a_customer_loads_no_models() -> None:
    customer = {"customer_id": {"S": "C7"}, "email": {"S": "jane@example.com"}, "opt_out": {"BOOL": True}}
    suppression = {"reason": {"S": "bounced"}}
    response, loaded = first_request("GetCustomerFunction", [customer, suppression])
    assert response["statusCode"] == 200, response
    assert json.loads(response["body"])["data"]["suppressed"] == "bounced"
    assert not unwanted("GetCustomerFunction", loaded)


def test_first_template_write_loads_no_models() -> None:
    """The body is read and the template checked against the sample order without pydantic."""
    response, loaded = first_request("PutTemplateFunction", [], [("put_item", {})])
    assert response["statusCode"] == 200, response
    assert json.loads(response["body"])["data"]["built_in"] is False
    assert not unwanted("PutTemplateFunction", loaded)


def test_first_template_write_refused_loads_no_models() -> None:
    response, loaded = first_request("PutTemplateFunction", [], body=json.dumps({"subject": "{{ nope }}"}))
    assert response["statusCode"] == 422, response
    assert [e["field"] for e in json.loads(response["body"])["errors"]] == ["text", "html"]
    assert not unwanted("PutTemplateFunction", loaded)


def test_first_preview_loads_no_models() -> None:
    """A status preview (no unsubscribe link to sign) of a stored order, from the stored document."""
    item = stored_order()
    response, loaded = first_request(
        "PreviewEmailFunction",
        [item],
        [("query", {"Items": [], "Count": 0, "ScannedCount": 0})],
        queryStringParameters={"kind": "status"},
        multiValueQueryStringParameters={"kind": ["status"]},
    )
    assert response["statusCode"] == 200, response
    assert json.loads(response["body"])["data"]["to"] == ["jane@example.com"]
    assert not unwanted("PreviewEmailFunction", loaded)


def test_first_authorization_stays_lean() -> None:
    key = {"client_id": {"S": "demo"}, "revoked": {"BOOL": False}}
    settings = {"settings": {"S": json.dumps(SETTINGS)}}
    response, loaded = first_request("AuthorizerFunction", [key, settings])
    assert response["context"]["client_id"] == "demo", response
    assert not unwanted("AuthorizerFunction", loaded)


def test_first_unknown_path_stays_lean() -> None:
    """Unknown paths reach the fallback unauthenticated; only a wrong method needs the routes."""
    catch_all = next(r.path for r in TEMPLATE.routes if r.function == "FallbackFunction" and "+}" in r.path)
    response, loaded = first_request("FallbackFunction", [], resource=catch_all, path="/wp-login.php")
    assert response["statusCode"] == 404, response
    assert not unwanted("FallbackFunction", loaded)


# What a SnapStart snapshot would freeze if the import made it: a client (and its connections and
# credentials), the signing key, the settings. All are made on first use, after a restore.
INIT_STATE = """
import json, app
from orders_api import settings
from orders_api.adapters import aws, signing
from orders_api.app import authentication
made = {
    "dynamodb": aws.dynamodb.cache_info().currsize,
    "sesv2": aws.sesv2.cache_info().currsize,
    "signing_key": signing.signing_key.cache_info().currsize,
    "registry": authentication._registry.cache_info().currsize,
}
print(json.dumps(made))
"""


@pytest.mark.parametrize("function", sorted(TEMPLATE.functions))
def test_importing_a_function_makes_nothing_a_snapshot_would_freeze(function: str) -> None:
    assert run_in(function, INIT_STATE) == {"dynamodb": 0, "sesv2": 0, "signing_key": 0, "registry": 0}


# In Lambda, init runs without the cyclic collector (orders_api.startup); the handler turns it back on.
COLLECTOR = """
import gc, json, os
os.environ["AWS_LAMBDA_FUNCTION_NAME"] = "probe"
import orders_api
during_init = gc.isenabled()
import app
print(json.dumps({"during_init": during_init, "after": gc.isenabled(), "frozen": gc.get_freeze_count() > 0}))
"""


@pytest.mark.parametrize("function", sorted(TEMPLATE.functions))
def test_every_function_turns_the_collector_back_on_once_its_handler_is_built(function: str) -> None:
    assert run_in(function, COLLECTOR) == {"during_init": False, "after": True, "frozen": True}


# Every model is built on first use (orders_api.domain.base_models.Wire): importing a function builds none, so
# no function builds the models only other functions use. Nor the URL checker, built by the first URL a
# request sends.
BUILT_MODELS = """
import json, app
from orders_api.domain.base_models import Wire
found, pending = [], [Wire]
while pending:
    for kind in pending.pop().__subclasses__():
        pending.append(kind)
        found.append(kind)
from orders_api.domain import scalars
built = sorted(k.__name__ for k in found if k.__pydantic_complete__)
print(json.dumps({"models": len(found), "built": built, "url": scalars._http_url_adapter.cache_info().currsize}))
"""


@pytest.mark.parametrize("function", sorted(TEMPLATE.functions))
def test_importing_a_function_builds_no_model(function: str) -> None:
    result = run_in(function, BUILT_MODELS)
    assert result["models"] > 0
    assert result["built"] == []
    assert result["url"] == 0


# Loading the CA certificates for webhook calls: only the delivery function, which connects on every
# message, does it at init; the webhook routes only check URLs and never do.
TLS_MADE = "import json, app; from orders_api.adapters import webhook_http; print(webhook_http.tls.cache_info().currsize)"


@pytest.mark.parametrize(
    ("function", "made"),
    [
        ("CreateWebhookFunction", 0),
        ("ReadWebhooksFunction", 0),
        ("DeleteWebhookFunction", 0),
        ("DeliverWebhooksFunction", 1),
    ],
)
def test_only_the_delivery_function_loads_the_ca_certificates(function: str, made: int) -> None:
    assert run_in(function, TLS_MADE) == made


def test_first_request_for_the_document_stays_lean() -> None:
    response, loaded = first_request("DocsFunction", [], resource="/v1/openapi.json", path="/v1/openapi.json")
    assert response["statusCode"] == 200, response
    assert json.loads(response["body"])["info"]["title"] == "Orders API"
    assert not unwanted("DocsFunction", loaded)


# boto3 loads first in every function that calls AWS (orders_api.adapters.aws says why): before Powertools,
# pydantic or any module of ours beyond the package, its init phase and the adapter itself.
LOAD_ORDER = "import json, sys, app; print(json.dumps(list(sys.modules)))"
BEFORE_BOTO3 = {
    "orders_api",
    "orders_api.startup",
    "orders_api.adapters",
    "orders_api.adapters.aws",
}


def calls_aws(function: str) -> bool:
    return bool(RESOURCES[function]["Properties"].get("Policies"))


@pytest.mark.parametrize("function", sorted(TEMPLATE.functions))
def test_boto3_loads_before_the_rest_of_the_chain_in_every_function_that_calls_aws(function: str) -> None:
    loaded = run_in(function, LOAD_ORDER)
    if not calls_aws(function):
        assert "boto3" not in loaded
        return
    earlier = loaded[: loaded.index("boto3")]
    assert not [m for m in earlier if m.startswith(("aws_lambda_powertools", "pydantic", "jinja2"))]
    assert [m for m in earlier if m.startswith("orders_api")] == [m for m in earlier if m in BEFORE_BOTO3]


def test_only_the_docs_and_the_fallback_call_no_aws() -> None:
    """The check above takes its other branch for these two only."""
    assert {f for f in TEMPLATE.functions if not calls_aws(f)} == {"DocsFunction", "FallbackFunction"}


# pydantic's URL and email checks load with the first URL or address a request sends (orders_api.domain.scalars).
NETWORKS = "pydantic.networks"


@pytest.mark.parametrize("function", sorted(TEMPLATE.functions))
def test_no_function_loads_the_url_and_email_checks_at_import(function: str) -> None:
    assert NETWORKS not in imported_by(function)


def test_the_first_address_checked_loads_them() -> None:
    """The check above would pass vacuously if the module name were wrong."""
    script = (
        "import json, sys, app\n"
        "from orders_api.domain.models import CustomerIn\n"
        "CustomerIn.model_validate({'id': 'C1', 'email': 'Jane@Example.com'})\n"
        f"print(json.dumps({NETWORKS!r} in sys.modules))"
    )
    assert run_in("CreateOrderFunction", script) is True
