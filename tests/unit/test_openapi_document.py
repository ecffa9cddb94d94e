"""The committed openapi.json is the generated one, and it documents every route of the template."""

import json
import re
from pathlib import Path

from orders_api.docs import openapi_document
from orders_local.template import load_template

ROOT = Path(__file__).resolve().parents[2]


def test_committed_document_matches_the_models() -> None:
    committed = json.loads((ROOT / "openapi.json").read_text(encoding="utf-8"))
    assert committed == openapi_document(), "run: .venv/bin/python -m orders_api.docs > openapi.json"


def test_every_template_route_is_documented_with_problem_responses() -> None:
    paths = openapi_document()["paths"]
    for route in load_template().routes:
        if route.method == "ANY" or route.path in ("/v1/openapi.json", "/v1/docs"):
            continue
        operation = paths[route.path][route.method.lower()]
        problems = [code for code, answer in operation["responses"].items() if int(code) >= 400]
        assert problems, route
        for code in problems:
            assert "application/problem+json" in operation["responses"][code]["content"], (route, code)


def test_path_parameters_use_template_syntax() -> None:
    assert all(not re.search(r"<\w+>", path) for path in openapi_document()["paths"])
