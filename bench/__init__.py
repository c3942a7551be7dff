"""Benchmarks: `make bench` (or `python -m bench [name ...]`). They print ratios measured
in one run, never timed assertions."""
