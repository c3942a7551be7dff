"""Simulator throughput: list-page requests per second, measured from a separate client process.

The simulator serves a medium workspace in this process (latency and rate
limit off). A client in a separate process (``multiprocessing``, spawn) drives
each endpoint over keep-alive ``http.client`` connections, so client and
server never share a GIL. Each endpoint gets a warm-up pass (timed too: it is
the "first touch" figure, when pages and conversations are serialised for the
first time), then a fixed time of steady-state requests: the headline figure on
two connections (the connector runs requests concurrently, and the server then
works while the client reads a response), and the same on one connection, where
each request waits for the previous one (latency-bound). On a 2-core machine the
client and the server share the cores, so 150-record pages (~300 KB) are bound
by both processes' copying, not by the simulator alone.

* ``GET /tags``, ``GET /admins``: the same small list again and again.
* ``POST /contacts/search``, ``POST /conversations/search``: the connector's
  walk (``updated_at`` windows, ascending, 150 per page, cursor pagination),
  every page in turn; the first walk also parses each page for its cursor.
* ``GET /conversations/{id}``: 2,000 different conversations in turn.

Run it with ``python -m bench simulator``; it prints figures, never asserts.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import statistics
import threading
import time
from typing import Any

SCALE = "medium"
SEED = 42
SECONDS = 1.5  # steady-state time per endpoint and connection count
CONNECTIONS = (2, 1)  # keep-alive connections in the client process (threads); the first is the headline
CONVERSATIONS = 2_000  # distinct GET /conversations/{id} requests cycled
TARGET = 1_500  # req/s for every endpoint
TOKEN = "sim-demo-token"

Request = tuple[str, str, bytes | None]  # method, path, JSON body


def _connector_walk(path: str) -> dict[str, Any]:
    return {"path": path, "key": "data" if path == "/contacts/search" else "conversations", "body": {
        "query": {"operator": "AND", "value": [
            {"operator": "OR", "value": [{"field": "updated_at", "operator": ">", "value": 0},
                                         {"field": "updated_at", "operator": "=", "value": 0}]},
            {"field": "updated_at", "operator": "<", "value": 2_000_000_000}]},
        "sort": {"field": "updated_at", "order": "ascending"}, "pagination": {"per_page": 150}}}


class _Client:
    """One keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json", "Intercom-Version": "2.11"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        return resp.status, resp.read()


def _first_pass(port: int, scenario: dict[str, Any]) -> tuple[list[Request], float, int]:
    """Warm-up: build the request cycle (walking search pages); returns (requests, seconds, errors)."""
    client = _Client(port)
    errors = 0
    started = time.perf_counter()
    if "walk" in scenario:
        walk = scenario["walk"]
        body = json.loads(json.dumps(walk["body"]))
        requests: list[Request] = []
        while True:
            raw = json.dumps(body).encode()
            status, payload = client.send("POST", walk["path"], raw)
            requests.append(("POST", walk["path"], raw))
            if status != 200:
                errors += 1
                break
            nxt = json.loads(payload)["pages"].get("next")
            if not nxt:
                break
            body["pagination"]["starting_after"] = nxt["starting_after"]
    else:
        requests = [(m, p, b.encode() if isinstance(b, str) else b) for m, p, b in scenario["requests"]]
        for method, path, body in requests:
            status, _ = client.send(method, path, body)
            errors += status != 200
    return requests, time.perf_counter() - started, errors


def _steady(port: int, requests: list[Request], seconds: float, connections: int) -> dict[str, Any]:
    """Cycle through ``requests`` for ``seconds`` on ``connections`` connections."""
    results: list[tuple[int, int, int, list[float]]] = []
    deadline = time.perf_counter() + seconds

    def loop(offset: int) -> None:
        client = _Client(port)
        n = errors = size = 0
        latencies = []
        i = offset
        while time.perf_counter() < deadline:
            method, path, body = requests[i % len(requests)]
            t = time.perf_counter()
            status, payload = client.send(method, path, body)
            latencies.append(time.perf_counter() - t)
            n, errors, size, i = n + 1, errors + (status != 200), size + len(payload), i + 1
        results.append((n, errors, size, latencies))

    threads = [threading.Thread(target=loop, args=(k * len(requests) // connections,)) for k in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    n = sum(r[0] for r in results)
    latencies = sorted(x for r in results for x in r[3])
    return {
        "requests": n, "seconds": elapsed, "errors": sum(r[1] for r in results),
        "bytes": sum(r[2] for r in results) / max(1, n),
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1000 if latencies else 0.0,
    }


def _drive(port: int, scenarios: list[dict[str, Any]], seconds: float, connections: tuple[int, ...],
           queue: Any) -> None:
    """The client process: every scenario in turn; puts the results on ``queue``."""
    out = []
    for scenario in scenarios:
        requests, first_seconds, first_errors = _first_pass(port, scenario)
        steady = {n: _steady(port, requests, seconds, n) for n in connections}
        out.append({"name": scenario["name"], "first_requests": len(requests), "first_seconds": first_seconds,
                    "first_errors": first_errors, "steady": steady})
    queue.put(out)


def _results(queue: Any, client: Any, timeout: float = 600) -> Any:
    """The client's results; fails fast when the client process dies."""
    import queue as queues  # noqa: PLC0415

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return queue.get(timeout=1)
        except queues.Empty:
            if not client.is_alive():
                raise RuntimeError(f"the bench client process exited with code {client.exitcode}") from None
    raise TimeoutError(f"the bench client gave no results within {timeout:.0f} s")


def measure(*, scale: str = SCALE, seed: int = SEED, seconds: float = SECONDS,
            connections: tuple[int, ...] = CONNECTIONS) -> dict[str, Any]:
    """Serve a generated workspace here and measure it from a client process; the raw figures."""
    from intercom_elt.simulator import SimulatorServer, generate_workspace  # noqa: PLC0415

    started = time.perf_counter()
    ws = generate_workspace(seed=seed, scale=scale)
    generated = time.perf_counter() - started
    ids = [c.id for c in ws.conversations[:CONVERSATIONS]]
    scenarios = [
        {"name": "GET /tags", "requests": [("GET", "/tags", None)]},
        {"name": "GET /admins", "requests": [("GET", "/admins", None)]},
        {"name": "POST /contacts/search (150/page)", "walk": _connector_walk("/contacts/search")},
        {"name": "POST /conversations/search (150/page)", "walk": _connector_walk("/conversations/search")},
        {"name": f"GET /conversations/{{id}} ({len(ids):,} ids)",
         "requests": [("GET", f"/conversations/{i}", None) for i in ids]},
    ]
    with SimulatorServer(ws, rate_limit_per_minute=None) as sim:
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        client = context.Process(target=_drive, args=(sim.port, scenarios, seconds, tuple(connections), queue),
                                 name="simulator-bench-client")
        client.start()
        try:
            results = _results(queue, client)
        finally:
            client.join(timeout=60)
            if client.is_alive():
                client.terminate()
    return {"scale": scale, "seed": seed, "generated_seconds": generated, "contacts": len(ws.contacts),
            "conversations": len(ws.conversations), "connections": tuple(connections), "seconds": seconds,
            "results": results}


def run() -> list[str]:
    """Measure and report req/s per endpoint and the minimum against the target."""
    m = measure()
    head, *others = m["connections"]
    lines = [
        f"{m['scale']} workspace (seed {m['seed']}): {m['contacts']:,} contacts, "
        f"{m['conversations']:,} conversations, generated in {m['generated_seconds']:.1f} s",
        f"client: a separate process with keep-alive http.client connections, {m['seconds']:.1f} s per "
        f"endpoint after a first pass; latency and rate limit off; headline on {head} connections",
    ]
    rates: dict[int, dict[str, float]] = {n: {} for n in m["connections"]}
    for r in m["results"]:
        for n, steady in r["steady"].items():
            rates[n][r["name"]] = steady["requests"] / steady["seconds"]
        s = r["steady"][head]
        first = r["first_requests"] / r["first_seconds"] if r["first_seconds"] else 0.0
        errors = r["first_errors"] + sum(x["errors"] for x in r["steady"].values())
        first_pass = (f"  (first pass: {r['first_requests']:,} requests at {first:,.0f} req/s)"
                      if r["first_requests"] > 1 else "")
        lines.append(
            f"{r['name']:<40} {rates[head][r['name']]:>7,.0f} req/s  p50 {s['p50_ms']:.2f} ms  "
            f"p99 {s['p99_ms']:.2f} ms  {s['bytes'] / 1024:,.1f} KB/response"
            f"{first_pass}{f'  ERRORS: {errors}' if errors else ''}")
    slowest = min(rates[head], key=rates[head].__getitem__)
    verdict = "meets" if rates[head][slowest] >= TARGET else "is BELOW"
    lines.append(f"minimum: {rates[head][slowest]:,.0f} req/s ({slowest}), which {verdict} the "
                 f"{TARGET:,} req/s target")
    for n in others:
        low = min(rates[n], key=rates[n].__getitem__)
        lines.append(f"on {n} connection{'s' if n > 1 else ''}: " + ", ".join(
            f"{name.split(' (')[0]} {rate:,.0f}" for name, rate in rates[n].items())
            + f" req/s; minimum {rates[n][low]:,.0f}")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
