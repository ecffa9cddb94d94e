"""Median and spread of a set of samples, the one summary every figure in the results uses."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import TypedDict


class Summary(TypedDict):
    n: int
    median: float
    min: float
    max: float
    p25: float
    p75: float
    p95: float


def summarize(samples: Sequence[float], scale: float = 1.0) -> Summary:
    """Samples times `scale` (1000 turns seconds into milliseconds), rounded for the report."""
    if not samples:
        raise ValueError("no samples to summarize")
    values = sorted(value * scale for value in samples)
    if len(values) == 1:
        p25 = p75 = p95 = values[0]
    else:
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        p25, p75, p95 = cuts[24], cuts[74], cuts[94]
    return {
        "n": len(values),
        "median": _round(statistics.median(values)),
        "min": _round(values[0]),
        "max": _round(values[-1]),
        "p25": _round(p25),
        "p75": _round(p75),
        "p95": _round(p95),
    }


def _round(value: float) -> float:
    return round(value, 3)
