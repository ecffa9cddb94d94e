"""Benchmarks: scripts that measure and report, run with `python -m bench.<name>`; not tests."""
