"""`python -m orders_api.admin` against the running local runtime, its keys checked over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.integration.conftest import REPO, LocalApi


def admin(api: LocalApi, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AWS_DEFAULT_REGION": api.region,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    env.pop("AWS_PROFILE", None)
    command = [sys.executable, "-m", "orders_api.admin", "--table", "OrdersTable"]
    return subprocess.run(
        [*command, "--endpoint-url", api.aws_endpoint, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


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
