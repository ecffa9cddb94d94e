"""The environments the benchmark runs in, and the machine it runs on.

A cold-start probe sees what a Lambda container of the function sees: the
template's variables for that function, the runtime's own variables and
credentials in the environment (so no credential lookup leaves the machine).
The in-process parts run with the same variables against moto.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from orders_local.template import Function, Template

ROOT = Path(__file__).resolve().parents[1]
LAYER_SOURCE = ROOT / "layers" / "shared"
REGION = "eu-west-1"
LAMBDA_RUNTIME = "python3.13"
# Dummy values: credentials and secrets are never used against AWS here.
FAKE_SECRETS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
SIGNING_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:signing"  # noqa: S105 - a made-up ARN
PUBLIC_BASE_URL = "https://api.example.com/prod"


def lambda_environment(function: Function) -> dict[str, str]:
    """What the function's container sees: nothing of this shell but PATH."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{LAMBDA_RUNTIME}",
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "LAMBDA_TASK_ROOT": str(function.code_uri),
        "_HANDLER": function.handler,
        **FAKE_SECRETS,
        **function.environment,
    }
    if "SIGNING_SECRET_ARN" in function.unresolved_environment:
        environment["SIGNING_SECRET_ARN"] = SIGNING_SECRET_ARN
    if "PUBLIC_BASE_URL" in function.unresolved_environment:
        environment["PUBLIC_BASE_URL"] = PUBLIC_BASE_URL
    return environment


def in_process_environment(template: Template) -> dict[str, str]:
    """For the parts that run the handlers in-process against moto or a Stubber.

    The mailer's variables are a superset of every function's; a fixed signing key
    stands in for the secret, as in the tests.
    """
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        **FAKE_SECRETS,
        **template.functions["MailerFunction"].environment,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "SIGNING_KEY": "bench-signing-key",
    }


def machine() -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": f"{platform.system()} {platform.machine()}",
        "executable": sys.executable,
    }


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"
