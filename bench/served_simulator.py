"""The simulator in its own process, as a user runs it (`intercom-elt simulate`).

A simulator running inside the benchmark's process would share its GIL with the
extractor, and the benchmark would measure their contention rather than the extractor.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ServedSimulator:
    """A running `intercom-elt simulate` process, reached over its control plane."""

    url: str

    def _control(self, method: str, path: str) -> Any:
        request = urllib.request.Request(self.url.rstrip("/") + path, method=method)
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310  # loopback only
            return json.load(response)

    def requests(self) -> list[dict[str, Any]]:
        """The request log: method, path, query, status and body of every API request."""
        return self._control("GET", "/_sim/requests")["requests"]

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._control("DELETE", "/_sim/requests")


@contextmanager
def served_simulator(*, scale: str, seed: int, rate_limit: int = 0, latency_ms: int = 0) -> Iterator[ServedSimulator]:
    """Start the simulator on a free port, wait until it serves, stop it on exit."""
    command = [sys.executable, "-m", "intercom_elt", "simulate", "--port", "0", "--scale", scale,
               "--seed", str(seed), "--rate-limit", str(rate_limit), "--latency-ms", str(latency_ms)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        banner = process.stdout.readline() if process.stdout else ""
        if "http" not in banner:
            raise RuntimeError(f"the simulator did not start (exit code {process.poll()}): {banner!r}")
        yield ServedSimulator(url=banner.rsplit(" ", 1)[-1].strip())
    finally:
        process.terminate()
        process.wait(timeout=30)
