"""Fault injection, all off by default.

Faults are always real HTTP responses with Intercom's error envelope (never
dropped connections): the connector's rate-limit decorator crashes on
transport errors instead of retrying them (notes §2.7).
"""

from __future__ import annotations

import dataclasses
import random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError

SCROLL_500_MESSAGE = "Request failed due to an internal network error. Please restart the scroll operation."
_5XX_MESSAGES = {500: "Internal server error", 502: "Bad gateway", 503: "Service unavailable"}


@dataclass
class Faults:
    """Fault configuration.

    Attributes:
        latency_ms: delay added to every API response.
        error_rate_5xx: probability of answering an API request with a 5xx.
        error_statuses: statuses drawn from for random 5xx errors.
        error_paths: path prefixes the random/forced 5xx apply to (empty = all).
        force_5xx: answer the next N API requests (matching ``error_paths``) with a 5xx.
        force_429: answer the next N API requests (matching ``rate_limit_paths``) with 429.
        rate_limit_paths: path prefixes the forced 429s apply to (empty = all).
        deleted_conversation_ids: ``GET /conversations/{id}`` → 404 ``not_found``.
        deleted_company_ids: ``GET /companies/{id}/segments`` → 404 ``company_not_found``.
        tickets_unauthorized: ``POST /tickets/search`` → 401 (connector ignores it).
        plan_restricted: 403 ``api_plan_restricted`` ...
        plan_restricted_paths: ... on these path prefixes (empty = all API paths).
        truncate_rate: probability of cutting a 200 body in half (valid
            Content-Length, invalid JSON).
        scroll_500_rate: probability a companies-scroll page fails with 500.
        scroll_fail_next: fail the next N companies-scroll pages with 500.
        scroll_500_closes: whether such a 500 also closes the open scroll.
        seed: seeds the random draws, so a sequential run is reproducible.
    """

    latency_ms: int = 0
    error_rate_5xx: float = 0.0
    error_statuses: tuple[int, ...] = (500, 502, 503)
    error_paths: tuple[str, ...] = ()
    force_5xx: int = 0
    force_429: int = 0
    rate_limit_paths: tuple[str, ...] = ()
    deleted_conversation_ids: frozenset[str] = field(default_factory=frozenset)
    deleted_company_ids: frozenset[str] = field(default_factory=frozenset)
    tickets_unauthorized: bool = False
    plan_restricted: bool = False
    plan_restricted_paths: tuple[str, ...] = ()
    truncate_rate: float = 0.0
    scroll_500_rate: float = 0.0
    scroll_fail_next: int = 0
    scroll_500_closes: bool = True
    seed: int = 0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Faults:
        """Build from JSON-ish data (lists become tuples/frozensets).

        Raises:
            ValueError: for unknown keys.
        """
        known = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValueError(f"unknown fault option(s): {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key in ("deleted_conversation_ids", "deleted_company_ids"):
                value = frozenset(str(v) for v in value)
            elif key in ("error_statuses", "error_paths", "rate_limit_paths", "plan_restricted_paths"):
                value = tuple(value)
            values[key] = value
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        out = dataclasses.asdict(self)
        for key, value in out.items():
            if isinstance(value, (frozenset, set, tuple)):
                out[key] = sorted(value) if isinstance(value, (frozenset, set)) else list(value)
        return out


def _matches(path: str, prefixes: Iterable[str]) -> bool:
    prefixes = tuple(prefixes)
    return not prefixes or path.startswith(prefixes)


class FaultInjector:
    """Applies a :class:`Faults` configuration to requests, thread-safely.

    Args:
        faults: the initial configuration.
    """

    def __init__(self, faults: Faults | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(faults or Faults())

    def configure(self, faults: Faults) -> None:
        """Replace the configuration (and reseed)."""
        with self._lock:
            self.faults = faults
            self._rng = random.Random(faults.seed)
            self._force_5xx = faults.force_5xx
            self._force_429 = faults.force_429
            self._scroll_fail = faults.scroll_fail_next

    @property
    def latency_seconds(self) -> float:
        """Delay to add to each API response."""
        return self.faults.latency_ms / 1000.0

    def take_forced_429(self, path: str) -> bool:
        """Consume one forced 429 for this request path, if any are left."""
        if not _matches(path, self.faults.rate_limit_paths):
            return False
        with self._lock:
            if self._force_429 > 0:
                self._force_429 -= 1
                return True
            return False

    def before_route(self, method: str, path: str) -> ApiError | None:
        """An injected error for this request, or None to serve it normally."""
        f = self.faults
        if f.plan_restricted and _matches(path, f.plan_restricted_paths):
            return ApiError(403, "api_plan_restricted", "Active subscription needed.")
        if f.tickets_unauthorized and method == "POST" and path == "/tickets/search":
            return ApiError(401, "unauthorized", "Access Token Invalid")
        if not _matches(path, f.error_paths):
            return None
        with self._lock:
            forced = self._force_5xx > 0
            if forced:
                self._force_5xx -= 1
            elif not (f.error_rate_5xx and self._rng.random() < f.error_rate_5xx):
                return None
            status = self._rng.choice(f.error_statuses)
        return ApiError(status, "server_error", _5XX_MESSAGES.get(status, "Server error"))

    def scroll_error(self) -> ApiError | None:
        """An injected 500 for a companies-scroll page, or None."""
        with self._lock:
            if self._scroll_fail > 0:
                self._scroll_fail -= 1
            elif not (self.faults.scroll_500_rate and self._rng.random() < self.faults.scroll_500_rate):
                return None
        return ApiError(500, "server_error", SCROLL_500_MESSAGE)

    def is_deleted_conversation(self, conversation_id: str) -> bool:
        """True when the conversation should 404."""
        return conversation_id in self.faults.deleted_conversation_ids

    def is_deleted_company(self, company_id: str) -> bool:
        """True when the company's segments should 404."""
        return company_id in self.faults.deleted_company_ids

    def maybe_truncate(self, body: bytes) -> bytes:
        """Cut a body in half when the truncation fault fires."""
        rate = self.faults.truncate_rate
        if not rate or len(body) < 2:
            return body
        with self._lock:
            fire = self._rng.random() < rate
        return body[: len(body) // 2] if fire else body
