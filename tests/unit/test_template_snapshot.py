"""template.yaml still declares everything it declared before it was shortened.

template_snapshot.json is the template as CloudFormation would receive it (intrinsics in their long
forms, Fn::ForEach loops expanded), taken before log groups and alarms became loops and the checkov
skips shared by every function moved to .checkov.yaml. The test expands today's template and compares
every section, resource and property; it allows only what is the same after the Serverless transform:
a function property moved to or from Globals.Function, and a checkov skip moved to .checkov.yaml.

After a deliberate change to the template, regenerate the snapshot and review its diff:
    .venv/bin/python -m orders_local.template > tests/unit/template_snapshot.json
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from orders_local.template import DEFAULT_TEMPLATE, read_document

SNAPSHOT = Path(__file__).with_name("template_snapshot.json")
SKIPPED_EVERYWHERE = frozenset(
    yaml.safe_load((DEFAULT_TEMPLATE.parent / ".checkov.yaml").read_text(encoding="utf-8"))["skip-check"]
)


def with_globals(globals_: Any, own: Any) -> Any:
    """A function's property as the Serverless transform merges it with Globals: maps merge key by key,
    lists add the function's items after the global ones, and any other value of the function wins."""
    if isinstance(globals_, dict) and isinstance(own, dict):
        return {
            key: with_globals(globals_[key], own[key])
            if key in globals_ and key in own
            else own.get(key, globals_.get(key))
            for key in {**globals_, **own}
        }
    if isinstance(globals_, list) and isinstance(own, list):
        return [*globals_, *own]
    return own


def declared(document: dict[str, Any]) -> dict[str, Any]:
    """The document with Globals.Function folded into each function and the skips of .checkov.yaml left out."""
    document = copy.deepcopy(document)
    function_globals = document.get("Globals", {}).pop("Function", {})
    for resource in document["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"] = with_globals(function_globals, resource.get("Properties", {}))
        checkov = resource.get("Metadata", {}).get("checkov", {})
        if "skip" in checkov:
            checkov["skip"] = [skip for skip in checkov["skip"] if skip["id"] not in SKIPPED_EVERYWHERE]
            if not checkov["skip"]:
                del resource["Metadata"]["checkov"]
                if not resource["Metadata"]:
                    del resource["Metadata"]
    return json.loads(json.dumps(document))


@pytest.fixture(scope="module")
def before() -> dict[str, Any]:
    return declared(json.loads(SNAPSHOT.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def now() -> dict[str, Any]:
    return declared(read_document())


def test_the_snapshot_is_the_whole_stack(before: dict[str, Any]) -> None:
    functions = [r for r in before["Resources"].values() if r["Type"] == "AWS::Serverless::Function"]
    assert len(functions) == 24
    assert len(before["Resources"]) > 50


def test_every_section_is_declared_as_before(before: dict[str, Any], now: dict[str, Any]) -> None:
    assert sorted(now) == sorted(before)
    for section, declaration in before.items():
        if section != "Resources":
            assert now[section] == declaration, section


def test_every_resource_is_declared_as_before(before: dict[str, Any], now: dict[str, Any]) -> None:
    assert sorted(now["Resources"]) == sorted(before["Resources"])
    for name, resource in before["Resources"].items():
        assert now["Resources"][name] == resource, name


CHANGES = {
    "a property": lambda d: d["Resources"]["MailerErrorsAlarm"]["Properties"].pop("TreatMissingData"),
    "a resource": lambda d: d["Resources"].pop("FallbackLogGroup"),
    "a function setting over Globals": lambda d: d["Resources"]["GetOrderFunction"]["Properties"].update(
        Timeout=11
    ),
    "a global environment variable": lambda d: d["Globals"]["Function"]["Environment"]["Variables"].pop(
        "TABLE_NAME"
    ),
    "a skip of one resource": lambda d: d["Resources"]["OrdersApi"].pop("Metadata"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_the_comparison_sees_a_loss(change: Callable[[dict[str, Any]], object]) -> None:
    """Folding in Globals and leaving out the stack-wide skips hides nothing else."""
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    changed = copy.deepcopy(snapshot)
    change(changed)
    assert declared(changed) != declared(snapshot)
