"""The README's walk-through, run as written: its shell blocks in order against a local runtime.

Each curl command states the status it answers in its comment, either at the end of its own
lines or in the comment right above it; the test runs the blocks with bash and a curl that
reports each answer's status with the line it was called from, and checks every status the
README states.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.conftest import LocalApi, start_local_api

README = Path(__file__).resolve().parents[2] / "README.md"
README_API = "http://127.0.0.1:3000"
# The sections whose shell blocks make the walk-through, in reading order, and the blocks of other
# sections that talk to the local runtime (the customers and the /_local examples).
SECTIONS = (
    "## Try it (against `make run`)",
    "### Status moves",
    "### Listing orders",
    "### ETags and If-Match",
    "### Idempotency keys",
)
ALSO = ("/v1/customers/", "/_local/")
_STATUS = re.compile(r"\b([1-5]\d\d)\b")
_TRAILING_COMMENT = re.compile(r"\s#\s(.*)$")
_REPORT = re.compile(r"^README-STATUS (\d+) (\d{3})$", re.MULTILINE)
# Every curl reports the status it got, and the script line it was called from, on stderr.
PRELUDE = 'curl() { command curl -w "%{stderr}README-STATUS ${BASH_LINENO[0]} %{http_code}\\n" "$@"; }\n'


@dataclass
class Block:
    first_line: int  # the README line of the block's first line
    lines: list[str]


def shell_blocks() -> list[Block]:
    """The walk-through's ```sh blocks, in README order."""
    lines = README.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    heading = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("#"):
            heading = line
        if line.strip() == "```sh":
            end = next(n for n in range(index + 1, len(lines)) if lines[n].strip() == "```")
            body = lines[index + 1 : end]
            text = "\n".join(body)
            if heading in SECTIONS or ("$API" in text and any(part in text for part in ALSO)):
                blocks.append(Block(index + 2, body))
            index = end
        index += 1
    return blocks


def stated_status(lines: list[str], at: int) -> tuple[int, int] | None:
    """The status the README states for the curl called at lines[at], and the line that states it.

    A comment at the end of the command's own lines wins; else the comment right above it.
    """
    own = at
    while True:
        trailing = _TRAILING_COMMENT.search(lines[own])
        if trailing and (found := _STATUS.search(trailing.group(1))):
            return int(found.group(1)), own
        if not lines[own].rstrip().endswith("\\"):
            break
        own += 1
    above = at - 1
    while above >= 0 and not lines[above].strip().startswith("#"):
        above -= 1
    group = above
    while group >= 0 and lines[group].strip().startswith("#"):
        if found := _STATUS.search(lines[group]):
            return int(found.group(1)), group
        group -= 1
    return None


@pytest.fixture(scope="module")
def runtime() -> Iterator[LocalApi]:
    """A runtime of its own: the walk-through creates orders 1001 and 1002 and customer C7."""
    api = start_local_api()
    yield api
    assert api.stop() == 0, api.log()


def test_sections_are_found() -> None:
    text = README.read_text(encoding="utf-8")
    assert all(heading in text.splitlines() for heading in SECTIONS)
    covered = "\n".join("\n".join(block.lines) for block in shell_blocks())
    assert all(part in covered for part in ALSO)


@pytest.mark.skipif(
    not (shutil.which("bash") and shutil.which("curl") and shutil.which("jq")), reason="bash, curl, jq"
)
def test_walk_through_answers_what_the_readme_states(runtime: LocalApi) -> None:
    script: list[str] = PRELUDE.splitlines()
    origin: list[int] = [0] * len(script)  # the README line of each script line
    for block in shell_blocks():
        script.extend(block.lines)
        origin.extend(range(block.first_line, block.first_line + len(block.lines)))
    text = "\n".join(script).replace(README_API, runtime.base_url) + "\n"
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-s"],
        input=text,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr

    readme = README.read_text(encoding="utf-8").splitlines()
    answers = [(origin[int(line) - 1], int(status)) for line, status in _REPORT.findall(run.stderr)]
    assert answers, run.stderr
    for readme_line, status in answers:
        stated = stated_status(readme, readme_line - 1)
        assert stated is not None, f"README line {readme_line} calls curl without stating its status"
        expected, _ = stated
        assert status == expected, f"README line {readme_line}: {status}, the README says {expected}"
    calls = [
        n
        for block in shell_blocks()
        for n, line in enumerate(block.lines, block.first_line - 1)
        if re.search(r"(^|\$\(|\s)curl\s", line) and not line.lstrip().startswith("#")
    ]
    assert len(calls) <= len(answers), "every curl of the walk-through runs"
