"""Package size: the built layer and each function, unzipped, and zipped as Lambda receives them.

With the SAM CLI (and a python3.13 for it) on PATH, `sam build` builds the stack as it
is deployed (arm64 wheels). Without it, the layer is laid out by pip for this machine
(bench/layer.py) and each function is its source folder; the results say which.

    python -m bench.packages
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from orders_local.template import DEFAULT_TEMPLATE, load_template

from bench import output
from bench.environment import ROOT
from bench.layer import build_layer

LAYER = "SharedLayer"
TOP_ENTRIES = 8


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _zipped_bytes(folder: Path) -> int:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in _files(folder):
            archive.write(path, path.relative_to(folder))
    return buffer.tell()


def measure(folder: Path) -> dict[str, Any]:
    files = _files(folder)
    return {
        "bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "zipped_bytes": _zipped_bytes(folder),
    }


def largest_entries(folder: Path) -> list[dict[str, Any]]:
    """The layer's biggest top-level packages (dist-info folders counted with nothing)."""
    sizes = {
        entry.name: sum(p.stat().st_size for p in ([entry] if entry.is_file() else _files(entry)))
        for entry in folder.iterdir()
        if not entry.name.endswith((".dist-info", ".data"))
    }
    top = sorted(sizes.items(), key=lambda item: item[1], reverse=True)[:TOP_ENTRIES]
    return [{"entry": name, "bytes": size} for name, size in top]


def _sam() -> str | None:
    sam = shutil.which("sam")
    return sam if sam and shutil.which("python3.13") else None


def _sam_build(sam: str, into: Path) -> dict[str, Path]:
    command = [sam, "build", "--build-dir", str(into), "--template", str(DEFAULT_TEMPLATE)]
    environment = {**os.environ, "SAM_CLI_TELEMETRY": "0"}
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"sam build failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return {entry.name: entry for entry in into.iterdir() if entry.is_dir()}


def run() -> dict[str, Any]:
    functions = load_template().functions
    sam = _sam()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        if sam is not None:
            built = _sam_build(sam, Path(folder))
            layer = built[LAYER] / "python"
            folders = {function.code_uri.name: built[name] for name, function in functions.items()}
            method = "sam build (python3.13, arm64: as deployed)"
        else:
            layer = build_layer(Path(folder))
            folders = {function.code_uri.name: function.code_uri for function in functions.values()}
            method = (
                "pip install --target of layers/shared/requirements.txt for this machine, plus the sources"
            )
        return {
            "method": method,
            "layer": {**measure(layer), "largest": largest_entries(layer)},
            "functions": {name: measure(path) for name, path in folders.items()},
        }


def main() -> None:
    output.part(__doc__, run)


if __name__ == "__main__":
    main()
