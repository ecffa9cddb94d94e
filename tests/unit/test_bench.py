"""The benchmark harness without running it: its modules import, and its capacity and import-time
arithmetic hold. Nothing is timed."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

import pytest

import bench
from bench.capacity import Index, Table, index_writes, item_size
from bench.coldstart import by_package, parse_importtime
from bench.recorder import Write


@pytest.mark.parametrize("name", sorted(m.name for m in pkgutil.iter_modules(bench.__path__)))
def test_every_bench_module_imports(name: str) -> None:
    if name == "peer_fastapi" and importlib.util.find_spec("fastapi") is None:
        pytest.skip("the FastAPI peer needs the bench extra")
    importlib.import_module(f"bench.{name}")


def test_item_size_counts_names_and_values() -> None:
    assert item_size({"pk": {"S": "abc"}, "n": {"N": "123"}, "ok": {"BOOL": True}}) == (2 + 3) + (1 + 3) + (
        2 + 1
    )


def test_an_order_write_writes_each_index_whose_keys_it_carries() -> None:
    table = Table(
        "T",
        ("pk", "sk"),
        (
            Index("by_created", ("c_pk", "c_sk"), "ALL"),
            Index("by_email", ("e_pk", "e_sk"), "ALL"),
            Index("due", ("d_pk", "d_sk"), "KEYS_ONLY"),
        ),
    )
    keys = {"pk": {"S": "O1"}, "sk": {"S": "ORDER"}, "c_pk": {"S": "C"}, "c_sk": {"S": "1"}}
    created = Write("T", keys, None, {**keys, "d_pk": {"S": "D"}, "d_sk": {"S": "t1"}, "doc": {"S": "x"}})
    assert index_writes(table, created) == {"by_created": 1, "due": 1}
    moved = Write(
        "T", keys, created.after, {**keys, "d_pk": {"S": "D"}, "d_sk": {"S": "t2"}, "doc": {"S": "y"}}
    )
    assert index_writes(table, moved) == {"by_created": 1, "due": 2}


def test_import_time_is_summed_per_package_with_the_module_that_pulled_it_in() -> None:
    stderr = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       300 |        300 |       pydantic.main",
            "import time:       200 |        500 |     pydantic",
            "import time:       100 |        600 |   orders_api.models",
            "import time:        50 |        650 | app",
        ]
    )
    packages = by_package(parse_importtime(stderr))
    assert packages["pydantic"] == (0.5, "orders_api.models")
    assert packages["app"] == (0.05, "the handler itself")
