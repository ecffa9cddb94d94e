"""put_template reads its path and body without pydantic, and refuses what Powertools' validation refused,
in the same words.

The function ran with Powertools' validation of the operation as orders_api.api.routes.documented
declares it (a TemplateIn body, a TemplateKind and a LocaleTag in the path). Here both run on the
same requests: the declared operation behind a validating resolver, the function as it ships.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import Response
from hypothesis import example, given, settings
from hypothesis import strategies as st
from orders_api.api.resolver import build_resolver, entrypoint
from orders_api.api.routes import documented, put_template
from orders_api.domain.template_sets import MAX_SOURCE, TemplateSet, TemplateView

SAMPLE = Path(__file__).resolve().parents[2] / "events" / "put_template.json"
ACCEPTED = 299


@pytest.fixture(scope="module", autouse=True)
def handlers() -> Iterator[None]:
    """Neither side stores anything: an accepted request answers ACCEPTED."""
    patch = pytest.MonkeyPatch()
    patch.setattr(
        documented.put_template,
        "put_template",
        lambda kind, locale: Response(ACCEPTED, "application/json", "{}"),
    )
    patch.setattr(
        put_template.templates,
        "put",
        lambda settings, kind, locale, template: TemplateView(kind, locale, template, False, "now"),
    )
    yield
    patch.undo()


declared = build_resolver()
declared.include_router(documented.ROUTERS["put_template"])
validated = entrypoint(declared)
shipped_resolver = build_resolver(enable_validation=False)
shipped_resolver.include_router(put_template.router)
shipped = entrypoint(shipped_resolver)


def request(kind: str, locale: str, body: str | None) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(SAMPLE.read_text("utf-8"))
    event["pathParameters"] = {"kind": kind, "locale": locale}
    event["body"] = body
    return event


def outcome(handler: Any, event: dict[str, Any]) -> tuple[int, Any]:
    response = handler(event, None)
    status = response["statusCode"]
    if status == ACCEPTED or (status == 200 and handler is shipped):
        return ACCEPTED, None
    problem = json.loads(response["body"])
    return status, (problem["detail"], problem.get("errors"))


def same(kind: str, locale: str, body: str | None) -> tuple[int, Any]:
    expected = outcome(validated, request(kind, locale, body))
    assert outcome(shipped, request(kind, locale, body)) == expected
    return expected


def text_of(length: int, *, surrogate: bool = False) -> str:
    return ("\ud800" if surrogate else "") + "x" * max(0, length - int(surrogate))


def lengths(part: str) -> st.SearchStrategy[int]:
    return st.sampled_from([0, 1, 2, MAX_SOURCE[part], MAX_SOURCE[part] + 1])


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.lists(st.text(max_size=3), max_size=2),
    st.text(max_size=20),
)


@st.composite
def objects(draw: st.DrawFn) -> dict[str, Any]:
    """Bodies around TemplateIn: each part absent, of another type, or text at and around its limits;
    sometimes keys it does not declare, before or after the parts."""
    body: dict[str, Any] = {}
    if draw(st.booleans()):
        body[draw(st.sampled_from(["extra", "Subject", "from"]))] = draw(values)
    for part in ("subject", "text", "html"):
        shape = draw(st.sampled_from(["text", "text", "text", "absent", "other"]))
        if shape == "text":
            body[part] = text_of(draw(lengths(part)), surrogate=draw(st.booleans()))
        elif shape == "other":
            body[part] = draw(values.filter(lambda value: not isinstance(value, str)))
    if draw(st.booleans()):
        body["zz"] = draw(values)
    return body


bodies = st.one_of(
    objects().map(json.dumps),
    st.lists(objects(), min_size=1, max_size=2).map(json.dumps),
    st.sampled_from([None, "", "{", '{"subject": }', "null", "[]", "0", '"text"', "true", "{}", "9" * 4301]),
)
kinds = st.sampled_from(["invitation", "reminder", "status", "newsletter", "Invitation", "ünï"])
locales = st.one_of(
    st.sampled_from(["nl", "de-AT", "en_gb", "NL-be", "x", "dutch!", "a" * 36, "zz-Latn-ZZ", " nl"]),
    # A path parameter arrives decoded from UTF-8: it never holds a lone surrogate.
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40),
)


@given(kind=kinds, locale=locales, body=bodies)
@example(kind="invitation", locale="nl", body=json.dumps({"subject": "s", "text": "t", "html": "h"}))
@example(kind="newsletter", locale="x", body="{")
@example(kind="newsletter", locale="x", body=json.dumps({"zz": 1, "subject": 5}))
@settings(max_examples=300, deadline=None)
def test_the_function_refuses_what_the_declared_operation_refused(
    kind: str, locale: str, body: str | None
) -> None:
    same(kind, locale, body)


def test_the_examples_reach_each_outcome() -> None:
    """The property above compares outcomes; here each kind of outcome is seen, so it cannot hold vacuously."""
    good = json.dumps({"subject": "s", "text": "t", "html": "h"})
    assert same("invitation", "nl", good) == (ACCEPTED, None)
    assert same("invitation", "nl", "{")[0] == 400
    status, (_, errors) = same("newsletter", "x", json.dumps({"zz": 1, "subject": 5, "html": "x" * 100_001}))
    assert status == 422
    assert [error["field"] for error in errors] == ["kind", "locale", "subject", "text", "html", "zz"]


def test_a_locale_is_written_back_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    stored: list[str] = []

    def put(settings: object, kind: str, locale: str, template: TemplateSet) -> TemplateView:
        stored.append(locale)
        return TemplateView("reminder", locale, template, False, "now")

    monkeypatch.setattr(put_template.templates, "put", put)
    good = json.dumps({"subject": "s", "text": "t", "html": "h"})
    response = shipped(request("reminder", "en_gb", good), None)
    assert response["statusCode"] == 200
    assert stored == ["en-GB"]
    assert json.loads(response["body"])["data"]["locale"] == "en-GB"


def test_an_array_of_templates_is_refused_as_a_whole() -> None:
    """Powertools validated the first element of an array body as the body; both sides refuse the array."""
    template = {"subject": "s", "text": "t", "html": "h"}
    refused = same("newsletter", "de", json.dumps([template]))
    assert refused == (
        422,
        (
            "The request has invalid fields.",
            [
                {
                    "field": "body",
                    "message": "Input should be a valid dictionary or object to extract fields from",
                }
            ],
        ),
    )
