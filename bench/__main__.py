"""Run the benchmarks: `python -m bench` runs all, `python -m bench simulator` one."""

from __future__ import annotations

import importlib
import sys
import time

# Each module has `run() -> list[str]`: the lines of its report.
BENCHES = {
    "simulator": "bench.simulator_throughput",
    "extract": "bench.extract_sync",
    "dbt": "bench.dbt_build",
}


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all when none are named) and print their reports."""
    names = argv or list(BENCHES)
    unknown = [name for name in names if name not in BENCHES]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
        return 2
    for name in names:
        started = time.monotonic()
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(BENCHES[name])
        for line in module.run():
            print(f"  {line}", flush=True)
        print(f"  ({time.monotonic() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
