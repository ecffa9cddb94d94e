"""`make bench`: every part in turn, each in a fresh interpreter, then bench/results.json and
bench/results.md from what they measured.

    python -m bench [--rounds 15] [--quick]

--quick takes few samples, to try the harness out, and prints the report instead of writing it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from orders_local.template import load_template

from bench import report
from bench.environment import ROOT, in_process_environment, machine

RESULTS = ROOT / "bench" / "results"


def parts(rounds: int, quick: bool) -> list[tuple[str, str, list[str]]]:
    """(name in the results, module, its arguments), cheapest to stop on first."""
    return [
        ("packages", "bench.packages", []),
        ("cost", "bench.cost", []),
        (
            "coldstart",
            "bench.coldstart",
            ["--rounds", str(rounds)],
        ),
        ("warm", "bench.warm", ["--invocations", "20" if quick else "200"]),
        (
            "mailer",
            "bench.mailer",
            ["--runs", "1" if quick else "5", "--backlog-orders", "2000" if quick else "20000"],
        ),
        ("list_orders", "bench.list_orders", ["--orders", "1000" if quick else "10000", "--limit", "1000"]),
        ("scaling", "bench.scaling", []),
        ("erasure", "bench.erasure", ["--orders", "1000" if quick else "10000"]),
        (
            "events",
            "bench.events",
            ["--orders", "8" if quick else "40", "--deliveries", "5" if quick else "50"],
        ),
    ]


def environment() -> dict[str, str]:
    """This shell's variables (tools and package indexes) without its AWS ones, then the bench's."""
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    return {**inherited, **in_process_environment(load_template())}


def baseline() -> dict[str, Any] | None:
    """The committed run's date and warm figures, read before this run writes over them."""
    committed = RESULTS.with_suffix(".json")
    if not committed.exists():
        return None
    before = json.loads(committed.read_text(encoding="utf-8"))
    return {"date": before["machine"]["date"], "warm": before["warm"]["routes"]}


def run_part(module: str, arguments: list[str], folder: Path) -> Any:
    output = folder / f"{module}.json"
    started = time.perf_counter()
    print(f"bench: {module} {' '.join(arguments)}", file=sys.stderr, flush=True)
    command = [sys.executable, "-m", module, *arguments, "--output", str(output)]
    subprocess.run(command, cwd=ROOT, env=environment(), check=True)
    print(f"bench: {module} took {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return json.loads(output.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=15, help="cold-start rounds")
    parser.add_argument("--quick", action="store_true", help="few samples; print the report, write nothing")
    arguments = parser.parse_args()
    rounds = 2 if arguments.quick else arguments.rounds
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "baseline": baseline()}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        for name, module, part_arguments in parts(rounds, arguments.quick):
            results[name] = run_part(module, part_arguments, Path(folder))
    results["seconds"] = round(time.perf_counter() - started)
    if arguments.quick:
        print(report.render(results))
        return
    RESULTS.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    RESULTS.with_suffix(".md").write_text(report.render(results), encoding="utf-8")
    print(f"bench: wrote {RESULTS.with_suffix('.md').relative_to(ROOT)} and .json", file=sys.stderr)


if __name__ == "__main__":
    main()
