"""The simulator's HTTP server (stdlib ``ThreadingHTTPServer``, HTTP/1.1 keep-alive).

Request flow for API paths: auth (401 without rate-limit headers) → latency
→ rate limiter (429) → injected faults → handler → optional truncation.
Every authenticated response carries integer ``X-RateLimit-*`` headers.
Control endpoints live under ``/_sim/`` and need no token.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from .api import IntercomApi, Request
from .control import ControlPlane
from .errors import ApiError, error_body
from .faults import FaultInjector, Faults
from .records import dumps
from .state import LoggedRequest, RateLimiter, RequestLog, ScrollRegistry
from .workspace import Workspace

DEMO_TOKEN = "sim-demo-token"
_REASONS = {s.value: s.phrase for s in HTTPStatus}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    simulator: SimulatorServer


class _Headers(dict[str, str]):
    """Request headers keyed by lower-case name; ``get``/``[]`` take any case."""

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return dict.get(self, name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return dict.__getitem__(self, name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and dict.__contains__(self, name.lower())


_MAX_LINE = 65536
_MAX_HEADERS = 100
_HAS_SENDMSG = hasattr(socket.socket, "sendmsg")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "IntercomSimulator/2.11"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Silence per-request stderr logging (the request log keeps them)."""

    def parse_request(self) -> bool:
        """Parse an ordinary HTTP/1.x request quickly; anything unusual goes to the stdlib.

        The stdlib reads headers with the ``email`` parser, which costs more
        than serving a cached page; this reads ``Name: value`` lines into a
        dict instead, with the same keep-alive and ``Expect`` handling.
        """
        line = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = line.split()
        if len(words) != 3 or words[2] not in ("HTTP/1.1", "HTTP/1.0"):
            return super().parse_request()  # errors, HTTP/0.9, odd versions: stdlib behaviour
        self.requestline = line
        self.command, path, self.request_version = words
        self.path = "/" + path.lstrip("/") if path.startswith("//") else path
        headers = _Headers()
        readline = self.rfile.readline
        for _ in range(_MAX_HEADERS + 1):
            raw = readline(_MAX_LINE + 1)
            if len(raw) > _MAX_LINE:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Line too long")
                return False
            if raw in (b"\r\n", b"\n", b""):
                break
            name, sep, value = raw.decode("iso-8859-1").partition(":")
            if sep:
                headers.setdefault(name.strip().lower(), value.strip())
        else:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
            return False
        self.headers = headers  # type: ignore[assignment]
        connection = headers.get("connection", "").lower()
        self.close_connection = connection == "close" or (
            self.request_version == "HTTP/1.0" and connection != "keep-alive")
        if headers.get("expect", "").lower() == "100-continue" and self.request_version == "HTTP/1.1":
            return self.handle_expect_100()
        return True

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        """Serve GET."""
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802
        """Serve POST."""
        self._dispatch()

    def do_DELETE(self) -> None:  # noqa: N802
        """Serve DELETE."""
        self._dispatch()

    def do_PUT(self) -> None:  # noqa: N802
        """Serve PUT."""
        self._dispatch()

    def _dispatch(self) -> None:
        sim = self.server.simulator
        path, _, query_string = self.path.partition("?")
        query = dict(parse_qsl(query_string, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if path.startswith("/_sim/") or path == "/_sim":
            status, body = sim.control.handle(self.command, path, query, raw)
            self._send(status, body, {})
            return
        status, body, headers, parsed = sim.serve_api(
            self.command, path, query, query_string, raw,
            self.headers.get("Authorization"), self.headers.get("Host"),
        )
        # log before answering: a client that got its response finds it in the log
        sim.request_log.add(LoggedRequest(self.command, path, query_string, status, parsed))
        self._send(status, body, headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}",
                 "Content-Type: application/json", f"Content-Length: {len(body)}"]
        lines.extend(f"{k}: {v}" for k, v in headers.items())
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if len(body) < 32_768 or not _HAS_SENDMSG:
            self.connection.sendall(head + body)
            return
        # a large page: gather head and body in one call instead of copying them together
        sent = self.connection.sendmsg([head, body])
        if sent < len(head):
            self.connection.sendall(head[sent:])
            self.connection.sendall(body)
        elif sent < len(head) + len(body):
            self.connection.sendall(memoryview(body)[sent - len(head):])


class SimulatorServer:
    """An Intercom REST API 2.11 simulator serving one workspace.

    Args:
        workspace: the data to serve.
        host: interface to bind.
        port: port to bind; 0 picks a free one.
        token: the accepted bearer token.
        rate_limit_per_minute: quota spread over 10-second windows; 0/None = unlimited.
        faults: initial fault configuration (all off by default).
        scroll_expiry_seconds: idle expiry of the companies scroll.
        timezone: IANA zone for day-granular search dates.

    Example:
        >>> with SimulatorServer(generate_workspace(seed=1)) as sim:  # doctest: +SKIP
        ...     print(sim.url)
    """

    def __init__(
        self, workspace: Workspace, *, host: str = "127.0.0.1", port: int = 0, token: str = DEMO_TOKEN,
        rate_limit_per_minute: int | None = 10_000, faults: Faults | None = None,
        scroll_expiry_seconds: float = 60.0, timezone: str = "UTC",
    ) -> None:
        self.workspace = workspace
        self.host = host
        self._requested_port = port
        self.token = token
        self.rate_limiter = RateLimiter(rate_limit_per_minute)
        self.fault_injector = FaultInjector(faults)
        self.scroll = ScrollRegistry(expiry_seconds=scroll_expiry_seconds, seed=workspace.seed)
        self.request_log = RequestLog()
        self.api = IntercomApi(workspace, scroll=self.scroll, faults=self.fault_injector, timezone=timezone)
        self.control = ControlPlane(self)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._pristine = workspace.snapshot()  # what reset() restores (shares every record)
        self._clean_version = workspace.version  # the version that holds the pristine state

    # ------------------------------------------------------------ lifecycle
    def _bind(self) -> _Server:
        if self._httpd is None:
            httpd = _Server((self.host, self._requested_port), _Handler)
            httpd.simulator = self
            self._httpd = httpd
        return self._httpd

    def start(self) -> SimulatorServer:
        """Serve in a background daemon thread; returns once the socket is bound."""
        httpd = self._bind()
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"intercom-sim-{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the foreground until interrupted (for the CLI)."""
        httpd = self._bind()
        try:
            httpd.serve_forever(poll_interval=0.25)
        except KeyboardInterrupt:
            pass
        finally:
            httpd.server_close()
            self._httpd = None

    def stop(self) -> None:
        """Stop serving and release the port."""
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (binds first if needed)."""
        return self._bind().server_address[1]

    @property
    def url(self) -> str:
        """Base URL with a trailing slash, e.g. ``http://127.0.0.1:8080/``."""
        return f"http://{self.host}:{self.port}/"

    # -------------------------------------------------------------- control
    @property
    def faults(self) -> Faults:
        """The current fault configuration."""
        return self.fault_injector.faults

    def set_faults(self, faults: Faults | dict[str, Any] | None = None, **options: Any) -> Faults:
        """Replace the fault configuration.

        Args:
            faults: a :class:`Faults`, a dict of its fields, or None for defaults.
            **options: fields merged on top.

        Returns:
            The configuration now in force.
        """
        if isinstance(faults, Faults):
            base = faults.to_dict()
        else:
            base = dict(faults or {})
        config = Faults.from_dict({**base, **options})
        self.fault_injector.configure(config)
        return config

    def set_rate_limit(self, per_minute: int | None) -> None:
        """Change the per-minute quota (0/None = unlimited)."""
        self.rate_limiter.set_quota(per_minute)

    def set_scroll_expiry(self, seconds: float) -> None:
        """Change the companies-scroll idle expiry."""
        self.scroll.expiry_seconds = seconds

    def reset(self, *, workspace: bool = True) -> None:
        """Clear the request log, open scroll, rate-limit window and faults.

        Args:
            workspace: also put the workspace back as it was when this server
                was created, undoing time travel. The server keeps a pristine
                snapshot for this (no regeneration): time travel is
                copy-on-write, so the snapshot shares every unchanged record
                and costs one list of references per stream. The workspace
                ``version`` still moves forward, so caches never serve stale
                bodies. In-place edits of records made outside the simulator
                are not undone.
        """
        self.request_log.clear()
        self.scroll.close()
        self.rate_limiter.reset()
        self.fault_injector.configure(Faults())
        if workspace:
            with self.workspace.write_lock:
                if self.workspace.version != self._clean_version:
                    self.workspace.restore(self._pristine)
                    self._clean_version = self.workspace.version

    def requests(self) -> list[dict[str, Any]]:
        """The request log as dicts."""
        return [e.as_dict() for e in self.request_log.entries()]

    def advance(self, seconds: int, *, fraction: float = 0.01, seed: int | None = None) -> dict[str, Any]:
        """Move the workspace clock forward and change a fraction of records.

        Safe while requests are in flight: they see the old or the new state
        of every record, never a mix. See
        :func:`intercom_elt.simulator.timetravel.advance`.
        """
        from .timetravel import advance  # local: only control paths need it

        return advance(self.workspace, seconds, fraction=fraction, seed=seed)

    # ------------------------------------------------------------------ API
    def serve_api(
        self, method: str, path: str, query: dict[str, str], query_string: str, raw: bytes,
        authorization: str | None, host: str | None,
    ) -> tuple[int, bytes, dict[str, str], Any]:
        """Serve one API request; returns (status, body, headers, parsed body)."""
        scheme, _, supplied = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or supplied.strip() != self.token:
            return 401, error_body("unauthorized", "Access Token Invalid"), {}, None
        injector = self.fault_injector
        if injector.faults.latency_ms:
            time.sleep(injector.latency_seconds)
        allowed, headers = self.rate_limiter.hit(force_exceeded=injector.take_forced_429(path))
        if not allowed:
            limit = self.rate_limiter.limit or int(headers["X-RateLimit-Limit"])
            return 429, error_body("rate_limit_exceeded", f"Exceeded rate limit of {limit} in 10_seconds"), headers, None
        parsed: Any = None
        try:
            if raw:
                try:
                    parsed = json.loads(raw)
                except ValueError:
                    raise ApiError(400, "parameter_invalid", "request body is not valid JSON") from None
            failure = injector.before_route(method, path) if self.api.is_known_path(path) else None
            if failure is not None:
                raise failure
            base = f"http://{host or f'{self.host}:{self.port}'}"
            body = self.api.handle(Request(method, path, query, parsed, base))
        except ApiError as err:
            return err.status, err.body(), headers, parsed
        return 200, injector.maybe_truncate(body), headers, parsed


__all__ = ["DEMO_TOKEN", "SimulatorServer", "dumps"]
