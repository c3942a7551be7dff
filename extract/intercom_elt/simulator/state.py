"""Thread-safe mutable server state: companies scroll, rate limiter, request log."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ApiError

SCROLL_EXISTS_MESSAGE = "scroll already exists for this workspace"


@dataclass
class _Scroll:
    token: str
    snapshot: Sequence[Any]
    position: int
    last_used: float


class ScrollRegistry:
    """The companies scroll state machine (one open scroll per workspace).

    Args:
        expiry_seconds: an idle scroll expires after this many seconds.
        page_size: companies per page.
        clock: monotonic time source (injectable for tests).
        seed: seeds the scroll tokens (UUIDs).
    """

    def __init__(self, *, expiry_seconds: float = 60.0, page_size: int = 100,
                 clock: Callable[[], float] = time.monotonic, seed: int = 0) -> None:
        self.expiry_seconds = expiry_seconds
        self.page_size = page_size
        self._clock = clock
        self._rng = random.Random(seed)
        self._open: _Scroll | None = None
        self._lock = threading.Lock()

    def _expired(self, scroll: _Scroll, now: float) -> bool:
        return now - scroll.last_used >= self.expiry_seconds

    def open(self, snapshot: Sequence[Any]) -> tuple[str, Sequence[Any]]:
        """Start a scroll and return its token and first page.

        Raises:
            ApiError: 400 ``scroll_exists`` while another scroll is open and live.
        """
        with self._lock:
            now = self._clock()
            if self._open is not None and not self._expired(self._open, now):
                raise ApiError(400, "scroll_exists", SCROLL_EXISTS_MESSAGE)
            token = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
            self._open = _Scroll(token, snapshot, 0, now)
            return token, self._advance(self._open)

    def next_page(self, token: str) -> Sequence[Any]:
        """Return the next page of the scroll ``token``; empty data closes it.

        Raises:
            ApiError: 404 ``not_found`` for an unknown, finished or expired token.
        """
        with self._lock:
            now = self._clock()
            scroll = self._open
            if scroll is None or scroll.token != token or self._expired(scroll, now):
                if scroll is not None and self._expired(scroll, now):
                    self._open = None
                raise ApiError(404, "not_found", "scroll parameter not found or expired")
            scroll.last_used = now
            page = self._advance(scroll)
            if not page:
                self._open = None  # the end of the scroll frees the slot
            return page

    def _advance(self, scroll: _Scroll) -> Sequence[Any]:
        page = scroll.snapshot[scroll.position:scroll.position + self.page_size]
        scroll.position += len(page)
        return page

    def close(self) -> None:
        """Drop any open scroll (reset, or a 500 that ends the scroll)."""
        with self._lock:
            self._open = None

    @property
    def open_token(self) -> str | None:
        """The live scroll's token, if any."""
        with self._lock:
            if self._open is None or self._expired(self._open, self._clock()):
                return None
            return self._open.token


class RateLimiter:
    """Intercom-style limits: a per-minute quota spread over 10-second windows.

    Args:
        per_minute: the quota; 0 or None disables limiting (headers still sent).
        window_seconds: window length (Intercom: 10 s).
        clock: wall-clock time source (``X-RateLimit-Reset`` is a Unix time).
    """

    UNLIMITED_HEADER = 100_000

    def __init__(self, per_minute: int | None = 10_000, *, window_seconds: int = 10,
                 clock: Callable[[], float] = time.time) -> None:
        self.window_seconds = window_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._window = -1
        self._used = 0
        self.set_quota(per_minute)

    def set_quota(self, per_minute: int | None) -> None:
        """Change the per-minute quota (and restart the count)."""
        with self._lock:
            self.per_minute = per_minute or 0
            windows_per_minute = max(1, 60 // self.window_seconds)
            self.limit = self.per_minute // windows_per_minute if self.per_minute else 0
            self._used = 0

    def hit(self, *, force_exceeded: bool = False) -> tuple[bool, dict[str, str]]:
        """Count one request.

        Args:
            force_exceeded: report this request as over the limit (fault injection).

        Returns:
            ``(allowed, headers)``; headers are integer strings.
        """
        with self._lock:
            now = self._clock()
            window = int(now // self.window_seconds)
            reset = (window + 1) * self.window_seconds
            if window != self._window:
                self._window, self._used = window, 0
            if not self.limit:
                limit = self.UNLIMITED_HEADER
                allowed = not force_exceeded
                remaining = 0 if force_exceeded else limit
            else:
                limit = self.limit
                if force_exceeded or self._used >= limit:
                    allowed, remaining = False, 0
                else:
                    self._used += 1
                    allowed, remaining = True, limit - self._used
        return allowed, {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset),
        }

    def reset(self) -> None:
        """Forget the current window's count."""
        with self._lock:
            self._used = 0


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    query: str
    status: int
    body: Any = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {"method": self.method, "path": self.path, "query": self.query,
                "status": self.status, "body": self.body}


class RequestLog:
    """A bounded, thread-safe log of API requests.

    Args:
        maxlen: oldest entries are dropped beyond this many.
    """

    def __init__(self, maxlen: int = 200_000) -> None:
        self._entries: deque[LoggedRequest] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    def add(self, entry: LoggedRequest) -> None:
        """Append one entry."""
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[LoggedRequest]:
        """A snapshot of the log."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        """Empty the log."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
