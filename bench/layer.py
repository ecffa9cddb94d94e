"""The shared layer as `sam build` lays it out, built by the same recipe (layers/shared/Makefile).

The recipe ships bytecode compiled with unchecked-hash invalidation, which Lambda's
read-only code folder needs. Here it runs with this machine's Python and wheels, so the
bench can import the result; on Lambda it is Python 3.13 with arm64 wheels.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

from bench.environment import LAYER_SOURCE


def build_layer(into: Path) -> Path:
    """Builds the layer under into/python for this machine's Python and answers that folder."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    command = [
        "make",
        "--no-print-directory",
        "-C",
        str(LAYER_SOURCE),
        "build-SharedLayer",
        f"ARTIFACTS_DIR={into}",
        f"PYTHON_LAMBDA={sys.executable}",
        f"LAMBDA_PYTHON_VERSION={version}",
        f"PLATFORM=manylinux2014_{platform.machine()}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the layer's build recipe failed:\n{done.stdout}{done.stderr}")
    return into / "python"
