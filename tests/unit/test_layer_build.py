"""The layer `sam build` makes (layers/shared/Makefile): Lambda's wheels, and bytecode for every module."""

from __future__ import annotations

import glob
import shutil
import subprocess
from pathlib import Path

import pytest

LAYER = Path(__file__).resolve().parents[2] / "layers" / "shared"
IS_PYTHON_313 = "import sys; sys.exit(sys.version_info[:2] != (3, 13))"
UNCHECKED_HASH = 0b01  # PEP 552 flags: hash-based, source not checked


def lambda_python() -> str | None:
    """Python 3.13 as the runtime runs it: on PATH, else a pyenv install of it."""
    candidates = [
        shutil.which("python3.13"),
        *sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.13*/bin/python3.13"))),
    ]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", IS_PYTHON_313], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def build(into: Path, python: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-C", str(LAYER), "build-SharedLayer", f"ARTIFACTS_DIR={into}", f"PYTHON_LAMBDA={python}"],
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_module_ships_with_unchecked_bytecode_and_arm64_wheels(tmp_path: Path) -> None:
    python = lambda_python()
    if python is None:
        pytest.skip("no Python 3.13 on this machine to build the layer with")
    done = build(tmp_path, python)
    assert done.returncode == 0, done.stderr
    root = tmp_path / "python"
    sources = sorted(root.rglob("*.py"))
    assert root / "orders_api" / "api" / "resolver.py" in sources
    assert (root / "orders_api" / "api" / "openapi.json").is_file(), "the docs function serves it"
    missing = [s for s in sources if not (s.parent / "__pycache__" / f"{s.stem}.cpython-313.pyc").is_file()]
    assert missing == []
    flags = {int.from_bytes(pyc.read_bytes()[4:8], "little") for pyc in root.rglob("*.cpython-313.pyc")}
    assert flags == {UNCHECKED_HASH}
    extensions = [path.name for path in root.rglob("*.so")]
    assert extensions
    assert all("aarch64" in name and "cpython-313" in name for name in extensions)
    assert not any(
        part == "__pycache__" and "311" in path.name
        for path in root.rglob("*.pyc")
        for part in path.parts[-2:-1]
    )


def test_without_python_313_the_build_says_what_is_missing(tmp_path: Path) -> None:
    done = build(tmp_path, "/nonexistent/python3.13")
    assert done.returncode != 0
    assert "no Python 3.13" in done.stderr
    assert not (tmp_path / "python").exists()
