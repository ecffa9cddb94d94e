"""The mailer's concurrent runs (bench.mailer.concurrent) in a process of their own, as a new container:
the mailer's stores are built on first use with the container's DynamoDB client, which here reaches
moto's DynamoDB in its own process; the process that ran bench.mailer's other runs has built its stores
on moto in-process.

    python -m bench.mailer_concurrent [--runs 5]
"""

from __future__ import annotations

from bench import output
from bench.mailer import concurrent


def main() -> None:
    output.part(__doc__, concurrent, runs=5)


if __name__ == "__main__":
    main()
