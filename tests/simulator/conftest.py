"""Fixtures: one seeded workspace and one simulator per session, reset per test."""

from __future__ import annotations

import http.client
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
try:  # the package may not be installed in editable mode yet
    import intercom_elt.simulator  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO_ROOT / "extract"))

from intercom_elt.simulator import DEMO_TOKEN, SimulatorServer, Workspace, generate_workspace  # noqa: E402


@dataclass
class Response:
    """A decoded HTTP response."""

    status: int
    headers: dict[str, str]
    raw: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.raw)


class Client:
    """A tiny keep-alive JSON client for the simulator.

    Args:
        server: the simulator to talk to.
        token: bearer token to send (None sends no Authorization header).
    """

    def __init__(self, server: SimulatorServer, token: str | None = DEMO_TOKEN) -> None:
        self.server = server
        self.token = token
        self._conn = http.client.HTTPConnection(server.host, server.port, timeout=30)

    def request(self, method: str, path: str, body: Any = None, *, token: str | None = ...,  # type: ignore[assignment]
                headers: dict[str, str] | None = None) -> Response:
        """Send one request and read the whole response."""
        token = self.token if token is ... else token
        hdrs = {"Accept": "application/json", "Intercom-Version": "2.11", **(headers or {})}
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        try:
            self._conn.request(method, path, body=data, headers=hdrs)
            resp = self._conn.getresponse()
        except (http.client.HTTPException, ConnectionError):
            self._conn.close()
            self._conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
            self._conn.request(method, path, body=data, headers=hdrs)
            resp = self._conn.getresponse()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())

    def get(self, path: str, **kw: Any) -> Response:
        """GET ``path``."""
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Response:
        """POST JSON to ``path``."""
        return self.request("POST", path, body if body is not None else {}, **kw)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


@pytest.fixture(scope="session")
def workspace() -> Workspace:
    """The small preset with seed 1 (never mutated by tests)."""
    return generate_workspace(seed=1)


@pytest.fixture(scope="session")
def sim_session(workspace: Workspace) -> Iterator[SimulatorServer]:
    """One simulator for the session, unlimited rate so tests don't throttle."""
    with SimulatorServer(workspace, rate_limit_per_minute=None) as server:
        yield server


@pytest.fixture()
def sim(sim_session: SimulatorServer) -> Iterator[SimulatorServer]:
    """The session simulator, reset before and after each test."""
    sim_session.reset()
    sim_session.set_rate_limit(None)
    sim_session.set_scroll_expiry(60)
    yield sim_session
    sim_session.reset()
    sim_session.set_rate_limit(None)
    sim_session.set_scroll_expiry(60)


@pytest.fixture()
def client(sim: SimulatorServer) -> Iterator[Client]:
    """A keep-alive client with the demo token."""
    c = Client(sim)
    yield c
    c.close()


def _search_all(client: Client, path: str, body: dict[str, Any], key: str) -> tuple[list[dict[str, Any]], list[Response]]:
    """Walk every page of a search; returns (records, responses)."""
    records: list[dict[str, Any]] = []
    responses = []
    body = json.loads(json.dumps(body))
    while True:
        resp = client.post(path, body)
        assert resp.status == 200, resp.raw
        responses.append(resp)
        payload = resp.json()
        records.extend(payload[key])
        nxt = payload["pages"].get("next")
        if not nxt:
            return records, responses
        body.setdefault("pagination", {})["starting_after"] = nxt["starting_after"]


@pytest.fixture()
def search_all() -> Any:
    """``search_all(client, path, body, key) -> (records, responses)``: walk every page."""
    return _search_all
