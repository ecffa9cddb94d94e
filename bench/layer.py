"""The shared layer as `sam build` lays it out: the requirements installed by pip, then our source.

Nothing is compiled ahead: `sam build` ships no .pyc files, and a Lambda container
cannot write them (its code is read-only), so every cold start compiles the layer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.environment import LAYER_SOURCE


def build_layer(into: Path) -> Path:
    """Installs the layer under into/python (for this machine's platform) and answers that folder."""
    python = into / "python"
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--target",
        str(python),
        "-r",
        str(LAYER_SOURCE / "requirements.txt"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pip could not install the layer:\n{done.stdout}{done.stderr}")
    shutil.copytree(
        LAYER_SOURCE / "orders_api", python / "orders_api", ignore=shutil.ignore_patterns("__pycache__")
    )
    return python
