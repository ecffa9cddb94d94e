"""A client's own usage key, set with the admin command line, reaches API Gateway through the authorizer only."""

from __future__ import annotations

import json

import pytest
from orders_api.settings import reload as reload_settings
from orders_api.store.registry import Registry

from testkit import TEMPLATE, Api, Context, handler_module
from tests.handlers.test_admin_cli import issued_key, run


def test_usage_key_reaches_api_gateway_through_the_authorizer_only(
    registry: Registry, api: Api, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEFAULT_USAGE_KEY", "default-usage-key-of-the-stack")
    reload_settings()
    own = "usage-key-of-the-shops-own-plan"
    run(registry, capsys, "create-client", "shop")
    key = issued_key(registry, capsys, "shop")
    authorizer = handler_module(TEMPLATE.authorizers["ApiKeyAuthorizer"].function)
    request = {
        "type": "REQUEST",
        "methodArn": f"arn:aws:execute-api:eu-west-1:123456789012:api/{TEMPLATE.stage}/GET/v1/orders",
        "headers": {"Authorization": f"Bearer {key}"},
    }

    def decided() -> tuple[str | None, str]:
        decision = authorizer.lambda_handler(request, Context())
        return decision.get("usageIdentifierKey"), decision["context"]["settings"]

    assert decided()[0] == "default-usage-key-of-the-stack"
    code, out, _ = run(registry, capsys, "set-settings", "shop", "--usage-key", own)
    assert code == 0
    assert json.loads(out)["usage_key"] == own
    usage_key, settings = decided()
    assert usage_key == own
    assert own not in settings
    assert api.call("GET", "/v1/orders/x", key=key).status == 404

    assert run(registry, capsys, "set-settings", "shop", "--usage-key", "none")[0] == 0
    assert decided()[0] == "default-usage-key-of-the-stack"
    code, _, err = run(registry, capsys, "set-settings", "shop", "--usage-key", "short")
    assert code == 2
    assert "usage_key" in err
