"""Benchmarks, not tests: `python -m bench` (what `make bench` runs) measures every part and writes
bench/results.md and bench/results.json; `python -m bench.<part>` runs one part alone."""
