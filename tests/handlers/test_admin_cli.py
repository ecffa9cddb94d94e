"""The admin command line against moto: the keys it issues open the API and the ones it revokes do not."""

from __future__ import annotations

import json

import boto3
import pytest
from orders_api.admin.cli import main
from orders_api.domain.api_keys import hash_key
from orders_api.domain.client_settings import ClientSettings
from orders_api.store.registry import Registry
from orders_api.store.table import Table
from orders_local.template import create_tables

from testkit import TEMPLATE, Api


def run(registry: Registry, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr; argparse's own rejections count as exit statuses too."""
    try:
        code = main(["--table", registry.table, *args])
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def issued_key(registry: Registry, capsys: pytest.CaptureFixture[str], client_id: str) -> str:
    code, out, _ = run(registry, capsys, "issue-key", client_id)
    assert code == 0
    return out.strip()


def test_issued_key_authenticates_until_revoked(
    registry: Registry, api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(registry, capsys, "create-client", "shop", "--sender-name", "Shop")
    assert code == 0
    assert json.loads(out)["sender_name"] == "Shop"
    key = issued_key(registry, capsys, "shop")
    record = registry.get_api_key(hash_key(key))
    assert record is not None
    assert record.client_id == "shop"
    assert api.call("GET", "/v1/orders/x", key=key).status == 404

    code, out, _ = run(registry, capsys, "revoke-key", key)
    assert (code, out) == (0, "revoked\n")
    assert key not in out
    assert api.call("GET", "/v1/orders/x", key=key).status == 401


def test_rotate_issues_a_new_key_and_revokes_the_old(
    registry: Registry, api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    run(registry, capsys, "create-client", "shop")
    old = issued_key(registry, capsys, "shop")
    code, out, _ = run(registry, capsys, "rotate-key", "shop", "--old", old)
    new = out.strip()
    assert code == 0
    assert new != old
    assert api.call("GET", "/v1/orders/x", key=new).status == 404
    assert api.call("GET", "/v1/orders/x", key=old).status == 401


def test_rotate_refuses_a_key_of_another_client(
    registry: Registry, api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    run(registry, capsys, "create-client", "shop")
    other = issued_key(registry, capsys, "other")
    code, out, err = run(registry, capsys, "rotate-key", "shop", "--old", other)
    assert (code, out) == (2, "")
    assert "not an active key" in err
    assert other not in err
    assert api.call("GET", "/v1/orders/x", key=other).status == 404


def test_set_settings_changes_only_the_given_fields(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    run(registry, capsys, "create-client", "shop", "--sender-email", "news@shop.example")
    code, _, _ = run(
        registry,
        capsys,
        "set-settings",
        "shop",
        "--delay",
        "hours:36",
        "--reminder",
        "none",
        "--send-time",
        "08:30",
        "--time-zone",
        "Europe/Berlin",
        "--default-locale",
        "de_at",
        "--shop-review-link-template",
        "https://r.example/{client_id}/shop?order={order_id}",
    )
    assert code == 0
    settings = ClientSettings.stored("shop", registry.get_client_settings("shop"))
    assert settings.sender_email == "news@shop.example"
    assert settings.invitation_delay.model_dump() == {"unit": "hours", "amount": 36}
    assert settings.invitation_reminder is None
    assert settings.send_time.isoformat(timespec="minutes") == "08:30"
    assert settings.time_zone == "Europe/Berlin"
    assert settings.default_locale == "de-AT"
    assert settings.shop_review_link_template == "https://r.example/{client_id}/shop?order={order_id}"
    assert run(registry, capsys, "set-settings", "shop", "--default-locale", "none")[0] == 0
    assert ClientSettings.stored("shop", registry.get_client_settings("shop")).default_locale is None


def test_cap_and_retention_are_set_and_lifted(registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    run(registry, capsys, "create-client", "shop")
    code, out, _ = run(
        registry, capsys, "set-settings", "shop", "--invitation-cap", "2:30", "--retention-days", "90"
    )
    assert code == 0
    assert json.loads(out)["invitation_cap"] == {"count": 2, "days": 30}
    settings = ClientSettings.stored("shop", registry.get_client_settings("shop"))
    assert settings.retention_days == 90
    assert settings.invitation_cap is not None
    assert (settings.invitation_cap.count, settings.invitation_cap.days) == (2, 30)
    assert (
        run(registry, capsys, "set-settings", "shop", "--invitation-cap", "none", "--retention-days", "none")[
            0
        ]
        == 0
    )
    settings = ClientSettings.stored("shop", registry.get_client_settings("shop"))
    assert (settings.invitation_cap, settings.retention_days) == (None, None)


@pytest.mark.parametrize(
    "flags",
    [
        ["--delay", "fortnights:1"],
        ["--delay", "days"],
        ["--delay", "days:9999"],
        ["--send-time", "25:00"],
        ["--time-zone", "Mars/Olympus"],
        ["--sender-email", "not-an-address"],
        ["--invitation-cap", "3"],
        ["--invitation-cap", "0:30"],
        ["--invitation-cap", "1:400"],
        ["--retention-days", "a year"],
        ["--retention-days", "0"],
        ["--default-locale", "deutsch!"],
    ],
)
def test_bad_settings_exit_2_and_change_nothing(
    registry: Registry, capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    run(registry, capsys, "create-client", "shop")
    before = registry.get_client_settings("shop")
    code, out, err = run(registry, capsys, "set-settings", "shop", *flags)
    assert (code, out) == (2, "")
    assert "error" in err
    assert registry.get_client_settings("shop") == before


def test_unknown_client_and_duplicate_client_exit_2(
    registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(registry, capsys, "issue-key", "nobody")[0] == 2
    assert run(registry, capsys, "set-settings", "nobody", "--name", "x")[0] == 2
    assert run(registry, capsys, "create-client", "shop")[0] == 0
    code, _, err = run(registry, capsys, "create-client", "shop")
    assert code == 2
    assert "already exists" in err
    assert run(registry, capsys, "create-client", "bad#id")[0] == 2


def test_list_clients_lists_created_clients(registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    for client_id in ("beta", "alpha"):
        run(registry, capsys, "create-client", client_id)
    code, out, _ = run(registry, capsys, "list-clients")
    assert code == 0
    assert out.splitlines() == ["alpha", "beta"]


def test_missing_region_exits_2_with_a_message(
    registry: Registry, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    code, out, err = run(registry, capsys, "list-clients")
    assert (code, out) == (2, "")
    assert "--region" in err


def test_aws_failure_exits_1_without_a_traceback(capsys: pytest.CaptureFixture[str], aws: None) -> None:
    code = main(["--table", "no-such-table", "list-clients"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "ResourceNotFoundException" in err
    assert "Traceback" not in err


def test_stack_and_region_select_the_table(registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = "us-east-2"
    create_tables(boto3.client("dynamodb", region_name=elsewhere), TEMPLATE)
    outputs = {"TableName": {"Value": registry.table}}
    stack = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}, "Outputs": outputs}
    boto3.client("cloudformation", region_name=elsewhere).create_stack(
        StackName="orders-api-dev", TemplateBody=json.dumps(stack)
    )

    code = main(["--region", elsewhere, "--stack", "orders-api-dev", "create-client", "far-shop"])
    assert code == 0
    assert Registry(Table(registry.table, boto3.client("dynamodb", region_name=elsewhere))).client_ids() == [
        "far-shop"
    ]
    assert "far-shop" not in registry.client_ids()
    assert main(["--stack", "orders-api-dev", "list-clients"]) == 1
    assert "orders-api-dev" in capsys.readouterr().err
