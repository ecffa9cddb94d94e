"""`python -m orders_api.admin` against the running local runtime, its keys checked over HTTP."""

from __future__ import annotations

from tests.integration.conftest import LocalApi, admin


def test_issued_key_opens_the_api_until_revoked(own_local_api: LocalApi) -> None:
    created = admin(own_local_api, "create-client", "cli-shop", "--send-time", "09:15")
    assert created.returncode == 0, created.stderr
    issued = admin(own_local_api, "issue-key", "cli-shop")
    assert issued.returncode == 0, issued.stderr
    key = issued.stdout.strip()
    assert own_local_api.client(key).get("/v1/orders/x").status == 404

    listed = admin(own_local_api, "list-clients")
    assert "cli-shop" in listed.stdout.splitlines()

    revoked = admin(own_local_api, "revoke-key", key)
    assert revoked.returncode == 0, revoked.stderr
    assert key not in revoked.stdout + revoked.stderr
    assert own_local_api.client(key).get("/v1/orders/x").status == 401


def test_bad_input_exits_2_with_a_message(own_local_api: LocalApi) -> None:
    result = admin(own_local_api, "set-settings", "nobody", "--time-zone", "UTC")
    assert result.returncode == 2
    assert "unknown client" in result.stderr
