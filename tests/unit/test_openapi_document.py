"""The committed openapi.json is the generated one, and it documents every route of the template:
each answer with its headers, each error as a problem document, and examples that are valid."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from orders_api.api import endpoints
from orders_api.api.document import openapi_document
from orders_api.domain import email_models, models
from orders_local.template import load_template
from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_REF = "#/components/schemas/"


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in openapi_document()["paths"].items()
        for method, operation in methods.items()
    ]


def test_committed_document_matches_the_models() -> None:
    committed = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    assert committed == openapi_document(), "run: .venv/bin/python -m orders_api.api.docs > openapi.json"


def test_the_docs_function_serves_the_committed_document() -> None:
    """One file: the root openapi.json points at the layer's, which the docs function ships and serves."""
    served = ROOT / "layers" / "shared" / "orders_api" / "api" / "openapi.json"
    assert (ROOT / "openapi.json").resolve() == served
    assert not served.is_symlink()


def test_every_template_route_is_documented_and_nothing_else() -> None:
    routes = {(route.method, route.path) for route in load_template().routes if route.method != "ANY"}
    assert {(method, path) for method, path, _ in operations()} == routes


def test_the_endpoint_list_is_every_route_of_the_template_and_of_the_routers() -> None:
    """The fallback answers 405s from api/endpoints.py alone, so it must not drift from either."""
    listed = {(endpoint.method, endpoint.path) for endpoint in endpoints.ALL}
    assert listed == {(route.method, route.path) for route in load_template().routes if route.method != "ANY"}
    documented = {
        (method.upper(), path)
        for path, operations in openapi_document()["paths"].items()
        for method in operations
    }
    assert listed == documented


def test_every_operation_tag_is_described_at_the_top() -> None:
    document = openapi_document()
    described = {tag["name"] for tag in document["tags"]}
    used = {
        tag for operations in document["paths"].values() for op in operations.values() for tag in op["tags"]
    }
    assert used <= described
    assert all(tag.get("description") for tag in document["tags"])


def test_every_error_is_a_problem_document_and_every_answer_names_its_request() -> None:
    for method, path, operation in operations():
        for code, answer in operation["responses"].items():
            assert answer["headers"]["X-Request-Id"]["required"], (method, path, code)
            if int(code) >= 400:
                assert answer["content"] == {
                    "application/problem+json": {"schema": {"$ref": SCHEMA_REF + "Problem"}}
                }, (method, path, code)
        assert {"429", "500"} <= set(operation["responses"]), (method, path)
        if operation["security"]:
            assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_order_answers_carry_their_etag_and_a_created_order_its_location() -> None:
    for method, path, operation in operations():
        for code, answer in operation["responses"].items():
            schema = answer["content"].get("application/json", {}).get("schema", {})
            if schema.get("$ref") == SCHEMA_REF + "OrderEnvelope":
                assert answer["headers"]["ETag"]["required"], (method, path, code)
    created = openapi_document()["paths"]["/v1/orders"]["post"]["responses"]["201"]
    assert created["headers"]["Location"]["required"]


def test_writes_document_their_preconditions_and_replays() -> None:
    for method, path, operation in operations():
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert "X-Request-Id" in names, (method, path)
        if operation["security"]:
            assert "client_id" in names, (method, path)
        # A webhook's answer holds its secret, shown once and never stored in clear: it cannot be replayed.
        if operation["security"] and method in ("POST", "PUT") and path != "/v1/webhooks":
            assert "Idempotency-Key" in names, (method, path)
            assert "Idempotent-Replayed" in operation["responses"]["200"]["headers"], (method, path)
        assert ("If-Match" in names) == ("412" in operation["responses"]), (method, path)


def test_unauthorized_answers_name_the_scheme() -> None:
    for method, path, operation in operations():
        if operation["security"]:
            assert operation["security"] == [{"apiKey": []}, {"basicAuth": []}], (method, path)
            assert operation["responses"]["401"]["headers"]["WWW-Authenticate"]["required"]
    schemes = openapi_document()["components"]["securitySchemes"]
    assert {name: scheme["scheme"] for name, scheme in schemes.items()} == {
        "apiKey": "bearer",
        "basicAuth": "basic",
    }


def test_request_bodies_and_json_answers_have_examples() -> None:
    schemas = openapi_document()["components"]["schemas"]
    for method, path, operation in operations():
        bodies = [operation["requestBody"]] if "requestBody" in operation else []
        bodies += [answer for code, answer in operation["responses"].items() if code.startswith("2")]
        for body in bodies:
            schema = body["content"].get("application/json", {}).get("schema", {})
            if "$ref" in schema:
                assert schemas[schema["$ref"].removeprefix(SCHEMA_REF)]["examples"], (method, path)


def examples_of(model: Any) -> list[Any]:
    is_model = isinstance(model, type) and issubclass(model, BaseModel)
    extra = model.model_config.get("json_schema_extra") if is_model else None
    return list(extra.get("examples", [])) if isinstance(extra, dict) else []


@pytest.mark.parametrize(
    "model",
    [model for module in (models, email_models) for model in vars(module).values() if examples_of(model)],
)
def test_examples_are_valid(model: type[BaseModel]) -> None:
    for example in examples_of(model):
        model.model_validate(example)


def test_path_parameters_use_template_syntax() -> None:
    assert all(not re.search(r"<\w+>", path) for path in openapi_document()["paths"])


def test_document_is_valid_openapi() -> None:
    validate(openapi_document())
