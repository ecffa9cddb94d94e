"""The local runtime as users run it (testkit.local): each pytest-xdist worker starts its own on a free
port, so workers never share state."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from testkit.local import KEYS, REPO, ApiClient, LocalApi, Reply, start_local_api

__all__ = ["KEYS", "ApiClient", "LocalApi", "Reply", "admin", "start_local_api"]


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


@pytest.fixture(scope="session")
def local_api() -> Iterator[LocalApi]:
    api = start_local_api()
    yield api
    assert api.stop() == 0, api.log()


@pytest.fixture
def own_local_api() -> Iterator[LocalApi]:
    """A runtime of the test's own, for tests that stop it; killed at the end if still running."""
    api = start_local_api()
    yield api
    if api.process.poll() is None:
        api.process.kill()
        api.process.wait()
