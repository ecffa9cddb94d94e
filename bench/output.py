"""How each part is run and hands its figures on: JSON on stdout, or in the file `--output` names."""

from __future__ import annotations

import argparse
import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from orders_api.log import logger


def parser(doc: str | None) -> argparse.ArgumentParser:
    parsed = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parsed.add_argument("--output", type=Path, help="write the JSON here instead of stdout")
    return parsed


def part(doc: str | None, run: Callable[..., dict[str, Any]], **defaults: int) -> None:
    """A part's command line: --output and its whole-number options (run's keywords, with dashes);
    its figures emitted, its log lines discarded."""
    parsed = parser(doc)
    for name, default in defaults.items():
        parsed.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    arguments = vars(parsed.parse_args())
    destination = arguments.pop("output")
    discard_logs()
    emit(run(**arguments), destination)


def emit(result: dict[str, Any], output: Path | None) -> None:
    text = json.dumps(result, indent=2)
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


def discard_logs() -> None:
    """Log lines are still formatted, redacted and written, as in Lambda, but to nowhere."""
    handler = logger.registered_handler
    if not isinstance(handler, logging.StreamHandler):
        raise TypeError(f"the logger writes through {handler!r}, not a stream")
    handler.setStream(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - open for the process's life
