"""Cold start: a fresh interpreter per run imports a function's handler module and builds the
AWS clients its first request needs, as a Lambda container does in its init phase.

Every function is measured against a floor (bench/floor_handler.py: boto3 and a DynamoDB
client, nothing else) and the GET route against a peer (bench/peer_fastapi.py); the stack
alone (bench/stack_reader.py, bench/stack_writer.py: Powertools' resolver and Logger, the
writer with pydantic validation, no code of ours) shows what no function of ours can start
below. All in the same rounds: floor, peer, stack, then each function, repeated, so noise on a shared
machine hits all of them alike and the ratios hold. Each ratio is taken per round.

Two layouts of the layer, measured in the same rounds:

- cached: layers/shared on sys.path, every module's bytecode already compiled; this
  isolates the import work itself and is what `-X importtime` attributes;
- as deployed: the layer as its build recipe makes it for `sam build` (bench/layer.py),
  bytecode included, with every file's time changed as unzipping into a container does,
  and nothing written at import (Lambda's code folder is read-only). Equal to cached
  within noise means no compile cost is left on a cold start.

    python -m bench.coldstart [--rounds 15]
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from orders_local.template import load_template, read_document

from bench import output
from bench.environment import LAYER_SOURCE, lambda_environment
from bench.layer import build_layer
from bench.stats import summarize

BENCH = Path(__file__).resolve().parent
# The least the stack itself costs (Powertools' resolver and Logger, with pydantic validation for the
# writer): what a function of ours would start in with no code of its own.
STACK = ("stack_reader", "stack_writer")
OUR_CODE = ("orders_api", "app", "floor_handler", "peer_fastapi", *STACK)
CLIENT_BUILDERS = {"dynamodb": "orders_api.adapters.aws:dynamodb", "ses": "orders_api.adapters.aws:sesv2"}
IMPORTTIME_RUNS = 3
TOP_IMPORTS = 6

# Runs in the fresh interpreter: nothing is imported before the clock starts.
PROBE = """
import sys, time
started = time.perf_counter()
__import__(sys.argv[1])
imported = time.perf_counter()
for target in sys.argv[2:]:
    module, _, name = target.partition(":")
    getattr(__import__(module, fromlist=[name]), name)()
built = time.perf_counter()
print(imported - started, built - imported)
"""


@dataclass(frozen=True)
class Target:
    name: str
    directory: Path
    module: str
    clients: tuple[str, ...]
    environment: dict[str, str]

    def command(self, *flags: str) -> list[str]:
        return [sys.executable, *flags, "-c", PROBE, self.module, *self.clients]

    def run(
        self, layer: Path, *flags: str, extra: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        environment = {**self.environment, "PYTHONPATH": f"{self.directory}:{layer}", **(extra or {})}
        done = subprocess.run(
            self.command(*flags),
            cwd=self.directory,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"cold start of {self.name} failed:\n{done.stderr[-4000:]}")
        return done


def client_services() -> dict[str, set[str]]:
    """The AWS services each function's policies allow, by logical id, read from the template."""
    document = read_document()
    services: dict[str, set[str]] = {}
    for name, resource in document["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        found = services.setdefault(name, set())
        for policy in resource["Properties"].get("Policies") or []:
            for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
                actions = statement.get("Action", [])
                for action in [actions] if isinstance(actions, str) else actions:
                    found.add(action.split(":")[0])
    return services


def targets(with_peer: bool) -> list[Target]:
    """The floor, the peer when FastAPI is installed, the stack alone, then every function of the template."""
    template = load_template()
    get_order = lambda_environment(template.functions["GetOrderFunction"])
    found = [Target("floor", BENCH, "floor_handler", (), get_order)]
    if with_peer:
        # Not our code, so not our init either: importing orders_api turns the collector off until a
        # handler of ours is built (orders_api.startup), which the peer never builds.
        outside_lambda = {k: v for k, v in get_order.items() if k != "AWS_LAMBDA_FUNCTION_NAME"}
        found.append(Target("peer", BENCH, "peer_fastapi", (), outside_lambda))
    found += [Target(name, BENCH, name, (), get_order) for name in STACK]
    services = client_services()
    for name, function in template.functions.items():
        builders = tuple(CLIENT_BUILDERS[s] for s in sorted(services[name]) if s in CLIENT_BUILDERS)
        module = function.handler.rsplit(".", 1)[0]
        found.append(
            Target(function.code_uri.name, function.code_uri, module, builders, lambda_environment(function))
        )
    return found


def _timed(target: Target, layer: Path, extra: dict[str, str] | None = None) -> tuple[float, float]:
    imported, built = target.run(layer, extra=extra).stdout.split()
    return float(imported), float(built)


@dataclass(frozen=True)
class Layout:
    """A way the layer is laid out, the targets measured on it and for how many rounds."""

    name: str
    layer: Path
    targets: list[Target]
    rounds: int
    extra: dict[str, str] = field(default_factory=dict)


Samples = dict[str, list[tuple[float, float]]]


def interleaved(layouts: list[Layout]) -> dict[str, Samples]:
    """(import, clients) seconds per layout, target and round. Round 0, in which the bytecode is
    written, is thrown away; in each later round every layout that still has rounds to go runs
    each of its targets once, so the same noise falls on all of them."""
    samples: dict[str, Samples] = {layout.name: defaultdict(list) for layout in layouts}
    for round_number in range(max(layout.rounds for layout in layouts) + 1):
        for layout in layouts:
            if round_number > layout.rounds:
                continue
            for target in layout.targets:
                timing = _timed(target, layout.layer, layout.extra)
                if round_number:
                    samples[layout.name][target.name].append(timing)
    return samples


def figures(samples: dict[str, list[tuple[float, float]]], peer: bool) -> dict[str, Any]:
    totals = {name: [a + b for a, b in runs] for name, runs in samples.items()}
    floor = totals["floor"]
    result: dict[str, Any] = {}
    for name, runs in samples.items():
        entry: dict[str, Any] = {
            "import_ms": summarize([a for a, _ in runs], 1000),
            "clients_ms": summarize([b for _, b in runs], 1000),
            "total_ms": summarize(totals[name], 1000),
        }
        if name != "floor":
            entry["ratio_to_floor"] = summarize([t / f for t, f in zip(totals[name], floor, strict=True)])
        result[name] = entry
    if peer and "get_order" in totals:
        result["get_order"]["ratio_to_peer"] = summarize(
            [t / p for t, p in zip(totals["get_order"], totals["peer"], strict=True)]
        )
    return result


@dataclass(frozen=True)
class Imported:
    name: str
    depth: int
    self_us: int
    cumulative_us: int
    parent: int | None


def parse_importtime(stderr: str) -> list[Imported]:
    """`-X importtime` lines in order; a module's parent is the next line one level up."""
    rows: list[tuple[str, int, int, int]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        self_us, cumulative_us, raw = line[len("import time:") :].split("|", 2)
        depth = (len(raw) - len(raw.lstrip(" ")) - 1) // 2
        rows.append((raw.strip(), depth, int(self_us), int(cumulative_us)))
    parents: list[int | None] = [None] * len(rows)
    ancestors: list[int] = []
    for index in range(len(rows) - 1, -1, -1):
        depth = rows[index][1]
        del ancestors[depth:]
        parents[index] = ancestors[depth - 1] if depth and len(ancestors) >= depth else None
        ancestors.append(index)
    return [Imported(name, depth, s, c, parents[i]) for i, (name, depth, s, c) in enumerate(rows)]


def _package(module: str) -> str:
    return module.split(".", maxsplit=1)[0]


def _via(rows: list[Imported], index: int) -> str:
    """The nearest module of our own code that pulled this import in."""
    parent = rows[index].parent
    if parent is None and _package(rows[index].name) in OUR_CODE:
        return "the handler itself"
    while parent is not None:
        if _package(rows[parent].name) in OUR_CODE:
            return rows[parent].name
        parent = rows[parent].parent
    return "(startup)"


def by_package(rows: list[Imported]) -> dict[str, tuple[float, str]]:
    """Milliseconds of import work (self time) per top-level package, and who imported its biggest part."""
    spent: dict[str, float] = defaultdict(float)
    biggest: dict[str, tuple[int, int]] = {}
    for index, row in enumerate(rows):
        package = _package(row.name)
        spent[package] += row.self_us / 1000
        parent = row.parent
        entry = parent is None or _package(rows[parent].name) != package
        if entry and row.cumulative_us > biggest.get(package, (-1, 0))[0]:
            biggest[package] = (row.cumulative_us, index)
    return {package: (ms, _via(rows, biggest[package][1])) for package, ms in spent.items()}


def own_modules(rows: list[Imported]) -> dict[str, float]:
    """Milliseconds of our own modules' bodies: class and model building at import shows here."""
    return {row.name: row.self_us / 1000 for row in rows if _package(row.name) in OUR_CODE}


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    names = {name for run in runs for name in run}
    return {name: median(run.get(name, 0.0) for run in runs) for name in names}


def attribute(chosen: list[Target], layer: Path) -> dict[str, dict[str, Any]]:
    """Per target, the packages whose import costs most beyond the floor's (with what imported
    them) and our own slowest modules; medians of a few `-X importtime` runs."""
    parsed = {
        target.name: [
            parse_importtime(target.run(layer, "-X", "importtime").stderr) for _ in range(IMPORTTIME_RUNS)
        ]
        for target in chosen
    }
    packages = {name: [by_package(rows) for rows in runs] for name, runs in parsed.items()}
    floor = _medians([{p: ms for p, (ms, _) in run.items()} for run in packages.pop("floor")])
    attributed: dict[str, dict[str, Any]] = {}
    for name, runs in packages.items():
        spent = _medians([{p: ms for p, (ms, _) in run.items()} for run in runs])
        via = {p: v for run in reversed(runs) for p, (_, v) in run.items()}
        rows: list[dict[str, Any]] = [
            {
                "package": package,
                "ms": round(ms, 1),
                "floor_ms": round(floor.get(package, 0.0), 1),
                "excess_ms": round(ms - floor.get(package, 0.0), 1),
                "via": via[package],
            }
            for package, ms in spent.items()
        ]
        rows.sort(key=lambda row: row["excess_ms"], reverse=True)
        modules = _medians([own_modules(rows) for rows in parsed[name]])
        slowest = sorted(modules.items(), key=lambda item: item[1], reverse=True)[:TOP_IMPORTS]
        attributed[name] = {
            "packages": rows[:TOP_IMPORTS],
            "own_modules": [{"module": module, "ms": round(ms, 1)} for module, ms in slowest],
        }
    return attributed


def compile_cost(deployed: Samples, cached: Samples) -> dict[str, Any]:
    """Milliseconds the deployed layer adds, per target: deployed minus cached, round by round."""
    return {
        name: summarize([sum(d) - sum(c) for d, c in zip(runs, cached[name], strict=False)], 1000)
        for name, runs in deployed.items()
    }


def unzipped(layer: Path) -> Path:
    """The layer with new file times, as a deployment leaves them: timestamp-checked bytecode would be stale."""
    later = time.time() + 3600
    for path in layer.rglob("*"):
        os.utime(path, (later, later))
    return layer


def run(rounds: int) -> dict[str, Any]:
    peer = importlib.util.find_spec("fastapi") is not None and importlib.util.find_spec("mangum") is not None
    chosen = targets(with_peer=peer)
    with tempfile.TemporaryDirectory(prefix="bench-layer-") as folder:
        cached = Layout("cached", LAYER_SOURCE, chosen, rounds)
        deployed = Layout(
            "deployed",
            unzipped(build_layer(Path(folder))),
            [t for t in chosen if t.name != "peer"],
            rounds,
            {"PYTHONDONTWRITEBYTECODE": "1"},
        )
        samples = interleaved([cached, deployed])
    return {
        "rounds": rounds,
        "peer_measured": peer,
        "clients": {t.name: [c.rsplit(":", 1)[1] for c in t.clients] for t in chosen},
        "cached": figures(samples["cached"], peer),
        "deployed": figures(samples["deployed"], peer=False),
        "compile_ms": compile_cost(samples["deployed"], samples["cached"]),
        "imports": attribute(chosen, LAYER_SOURCE),
    }


def main() -> None:
    output.part(__doc__, run, rounds=15)


if __name__ == "__main__":
    main()
