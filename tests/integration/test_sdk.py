"""A Python SDK generated from openapi.json by openapi-python-client, as a client team would, used
against a local runtime: names a developer would write by hand, and every step of an order's life."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.integration.conftest import LocalApi

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi.json"
PACKAGE = "orders_sdk"


@pytest.fixture(scope="session")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The generated package, imported from a temporary folder; generated once per session."""
    folder = tmp_path_factory.mktemp("sdk")
    bin_dir = str(Path(sys.executable).parent)
    generated = subprocess.run(
        [
            str(Path(bin_dir) / "openapi-python-client"),
            "generate",
            "--path",
            str(DOCUMENT),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")},
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout + generated.stderr, generated.stdout + generated.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))


def module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_generated_names_read_as_hand_written(sdk: Any) -> None:
    orders = {path.stem for path in Path(sdk.__file__).parent.joinpath("api", "orders").glob("*.py")}
    assert orders >= {"create_order", "create_orders", "list_orders", "get_order", "update_order_status"}
    models = module("models")
    assert [member.name for member in models.SortOrder] == ["CREATED_AT_ASC", "CREATED_AT_DESC"]
    assert {"OrderStatus", "WriteMode", "InvitationState", "TimeUnit", "Attributes"} <= set(dir(models))
    assert not [name for name in dir(models) if "Type0" in name or name.startswith("V1")]


def test_an_order_walked_through_with_the_sdk(sdk: Any, local_api: LocalApi) -> None:
    models = module("models")
    create_order = module("api.orders.create_order")
    get_order = module("api.orders.get_order")
    list_orders = module("api.orders.list_orders")
    update_order_status = module("api.orders.update_order_status")
    delete_order = module("api.orders.delete_order")
    client = sdk.AuthenticatedClient(base_url=local_api.base_url, token=local_api.keys["demo"])

    customer = "sdk-customer"
    for order_id in ("sdk/1", "sdk/2", "sdk/3"):
        order = models.OrderIn(
            id=order_id,
            customer=models.CustomerIn(id=customer, email="sdk@example.com"),
            items=[models.ItemIn(id="SKU-1", name="Trail shoe", price=89.95)],
        )
        created = create_order.sync_detailed(client=client, body=models.UpsertOrderRequest(order=order))
        assert created.status_code == 201, created.content
        assert created.parsed.data.created_at.tzinfo is not None

    fetched = get_order.sync(order_id="sdk/1", client=client)
    assert fetched.data.id == "sdk/1"
    assert fetched.data.items[0].price == 89.95

    seen: list[str] = []
    cursor = None
    while True:
        page = list_orders.sync(
            client=client, customer_id=customer, limit=1, sort=models.SortOrder.CREATED_AT_ASC, after=cursor
        )
        seen += [order.id for order in page.data]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == ["sdk/1", "sdk/2", "sdk/3"]

    moved = update_order_status.sync(
        order_id="sdk/1",
        client=client,
        body=models.StatusUpdateRequest(status=models.OrderStatus.SHIPPED, note="Tracking #1"),
    )
    assert moved.data.status == models.OrderStatus.SHIPPED
    deleted = delete_order.sync(order_id="sdk/1", client=client)
    assert deleted.data.deleted is True

    missing = get_order.sync_detailed(order_id="no such order", client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Problem)
    assert missing.parsed.status == 404
