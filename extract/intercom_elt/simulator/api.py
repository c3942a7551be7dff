"""Intercom API 2.11 endpoints over a :class:`Workspace`, independent of HTTP.

Handlers return JSON bytes. Record serialisations are cached per workspace
version (a time-travel step bumps it), so list pages are assembled by
joining pre-serialised records rather than re-encoding the workspace.
"""

from __future__ import annotations

import bisect
import json
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from .errors import ApiError, bad_request, not_found
from .faults import FaultInjector
from .search import CONTACTS, CONVERSATIONS, TICKETS, SearchEngine, SearchModel
from .state import ScrollRegistry
from .workspace import Workspace

ACTIVITY_PER_PAGE = 20
MAX_PER_PAGE = 150
_CONVERSATION = re.compile(r"^/conversations/([^/]+)$")
_COMPANY_SEGMENTS = re.compile(r"^/companies/([^/]+)/segments$")


def dumps(obj: Any) -> bytes:
    """Compact JSON bytes."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


class Request:
    """What a handler needs to know about one API request.

    Args:
        method: HTTP method.
        path: URL path without the query string.
        query: query parameters (last value wins).
        body: parsed JSON body or None.
        base_url: ``scheme://host[:port]`` from the request's Host header.
    """

    __slots__ = ("method", "path", "query", "body", "base_url")

    def __init__(self, method: str, path: str, query: Mapping[str, str], body: Any, base_url: str) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.base_url = base_url


class IntercomApi:
    """Routes API requests to handlers.

    Args:
        workspace: the data served (may be mutated by time travel).
        scroll: the companies scroll state machine.
        faults: fault injector (for per-resource 404s and scroll 500s).
        timezone: zone for day-granular search dates.
    """

    def __init__(self, workspace: Workspace, *, scroll: ScrollRegistry, faults: FaultInjector,
                 timezone: str = "UTC") -> None:
        self.workspace = workspace
        self.scroll = scroll
        self.faults = faults
        self.search_engine = SearchEngine(timezone)
        self._lock = threading.Lock()
        self._version = -1
        self._bodies: dict[Any, bytes] = {}
        self._records: dict[tuple[str, str], bytes] = {}
        self.routes: dict[tuple[str, str], Callable[[Request], bytes]] = {
            ("GET", "/admins"): self.admins,
            ("GET", "/teams"): self.teams,
            ("GET", "/tags"): self.tags,
            ("GET", "/segments"): self.segments,
            ("GET", "/data_attributes"): self.data_attributes,
            ("GET", "/companies/scroll"): self.companies_scroll,
            ("GET", "/admins/activity_logs"): self.activity_logs,
            ("GET", "/me"): self.me,
            ("POST", "/contacts/search"): self.contacts_search,
            ("POST", "/conversations/search"): self.conversations_search,
            ("POST", "/tickets/search"): self.tickets_search,
        }

    # ------------------------------------------------------------ dispatch
    def handle(self, request: Request) -> bytes:
        """Serve one request.

        Raises:
            ApiError: for every non-200 outcome.
        """
        self._sync_caches()
        handler = self.routes.get((request.method, request.path))
        if handler is not None:
            return handler(request)
        if request.method == "GET":
            match = _CONVERSATION.match(request.path)
            if match and match.group(1) not in ("search",):
                return self.conversation(match.group(1))
            match = _COMPANY_SEGMENTS.match(request.path)
            if match:
                return self.company_segments(match.group(1))
        raise not_found()

    def is_known_path(self, path: str) -> bool:
        """True for paths this API serves (any method)."""
        return (any(p == path for _, p in self.routes) or bool(_CONVERSATION.match(path))
                or bool(_COMPANY_SEGMENTS.match(path)))

    def _sync_caches(self) -> None:
        version = self.workspace.version
        if version != self._version:
            with self._lock:
                if version != self._version:
                    self._bodies.clear()
                    self._records.clear()
                    self.search_engine.clear()
                    self._version = version

    def _cached(self, key: Any, build: Callable[[], Any]) -> bytes:
        body = self._bodies.get(key)
        if body is None:
            body = dumps(build())
            self._bodies[key] = body
        return body

    def _record_bytes(self, kind: str, record: dict[str, Any]) -> bytes:
        key = (kind, record["id"])
        data = self._records.get(key)
        if data is None:
            data = dumps(record)
            self._records[key] = data
        return data

    # --------------------------------------------------------- plain lists
    def admins(self, _: Request) -> bytes:
        """``GET /admins``."""
        return self._cached("admins", lambda: {"type": "admin.list", "admins": self.workspace.admins})

    def teams(self, _: Request) -> bytes:
        """``GET /teams``."""
        return self._cached("teams", lambda: {"type": "team.list", "teams": self.workspace.teams})

    def tags(self, _: Request) -> bytes:
        """``GET /tags``."""
        return self._cached("tags", lambda: {"type": "list", "data": self.workspace.tags})

    def segments(self, _: Request) -> bytes:
        """``GET /segments`` (no counts: the connector never asks for them)."""
        return self._cached("segments", lambda: {"type": "segment.list", "segments": self.workspace.segments})

    def data_attributes(self, request: Request) -> bytes:
        """``GET /data_attributes?model=company|contact`` (both when omitted)."""
        model = request.query.get("model")
        attrs = self.workspace.data_attributes
        if model is None or model == "":
            return self._cached(("attrs", None), lambda: {"type": "list", "data": attrs["contact"] + attrs["company"]})
        if model not in attrs:
            raise bad_request(f"model must be one of {', '.join(sorted(attrs))}", field="model")
        return self._cached(("attrs", model), lambda: {"type": "list", "data": attrs[model]})

    def me(self, _: Request) -> bytes:
        """``GET /me``: the first admin, with its workspace."""
        ws = self.workspace
        return self._cached("me", lambda: {**ws.admins[0], "app": {
            "type": "app", "id_code": ws.app_id, "name": "Simulated workspace", "region": "US",
            "timezone": "UTC", "created_at": min(c["created_at"] for c in ws.contacts) if ws.contacts else ws.now,
            "identity_verification": False}})

    # ------------------------------------------------------------ companies
    def companies_scroll(self, request: Request) -> bytes:
        """``GET /companies/scroll[?scroll_param=T]`` (notes §6)."""
        failure = self.faults.scroll_error()
        if failure is not None:
            if self.faults.faults.scroll_500_closes:
                self.scroll.close()
            raise failure
        token = request.query.get("scroll_param")
        if token:
            page = self.scroll.next_page(token)
        else:
            token, page = self.scroll.open([self._record_bytes("company", c) for c in self.workspace.companies])
        return (b'{"type":"list","data":[' + b",".join(page) + b'],"pages":null,"total_count":null,"scroll_param":'
                + dumps(token) + b"}")

    def company_segments(self, company_id: str) -> bytes:
        """``GET /companies/{id}/segments``."""
        ws = self.workspace
        if company_id not in ws.companies_by_id or self.faults.is_deleted_company(company_id):
            raise not_found("Company Not Found", code="company_not_found")
        segments = ws.segments_of(company_id)  # total_count: required by the 2.11 schema
        return self._cached(("company_segments", company_id),
                            lambda: {"type": "list", "data": segments, "total_count": len(segments)})

    # -------------------------------------------------------- conversations
    def conversation(self, conversation_id: str) -> bytes:
        """``GET /conversations/{id}`` with the 500 most recent parts."""
        conv = self.workspace.conversations_by_id.get(conversation_id)
        if conv is None or self.faults.is_deleted_conversation(conversation_id):
            raise not_found("Conversation not found")
        return self._cached(("conversation", conversation_id), conv.full_record)

    # --------------------------------------------------------------- search
    def _search(self, request: Request, model: SearchModel, records: Callable[[], list[dict[str, Any]]],
                list_type: str, key: str) -> bytes:
        page = self.search_engine.search(request.body, model, records, version=self.workspace.version)
        pages: dict[str, Any] = {"type": "pages", "page": page.page, "per_page": page.per_page,
                                 "total_pages": page.total_pages}
        if page.next_cursor is not None:
            pages["next"] = {"page": page.page + 1, "per_page": page.per_page, "starting_after": page.next_cursor}
        items = b",".join(self._record_bytes(model.name, r) for r in page.items)
        return (b'{"type":' + dumps(list_type) + b',"' + key.encode() + b'":[' + items + b'],"total_count":'
                + str(page.total_count).encode() + b',"pages":' + dumps(pages) + b"}")

    def contacts_search(self, request: Request) -> bytes:
        """``POST /contacts/search``."""
        return self._search(request, CONTACTS, lambda: self.workspace.contacts, "list", "data")

    def conversations_search(self, request: Request) -> bytes:
        """``POST /conversations/search`` (conversations without parts)."""
        return self._search(request, CONVERSATIONS, lambda: [c.record for c in self.workspace.conversations],
                            "conversation.list", "conversations")

    def tickets_search(self, request: Request) -> bytes:
        """``POST /tickets/search``."""
        return self._search(request, TICKETS, lambda: self.workspace.tickets, "ticket.list", "tickets")

    # -------------------------------------------------------- activity logs
    def activity_logs(self, request: Request) -> bytes:
        """``GET /admins/activity_logs`` with page-number ``pages.next`` URLs."""
        q = request.query
        if not q.get("created_at_after"):
            raise bad_request("created_at_after is a required parameter", code="parameter_not_found",
                              field="created_at_after")
        after = _int_param(q, "created_at_after")
        before = _int_param(q, "created_at_before") if q.get("created_at_before") else None
        page = _int_param(q, "page") if q.get("page") else 1
        per_page = min(MAX_PER_PAGE, _int_param(q, "per_page")) if q.get("per_page") else ACTIVITY_PER_PAGE
        if page < 1 or per_page < 1:
            raise bad_request("page and per_page must be positive")
        logs = self.workspace.activity_logs  # ascending by created_at
        times = self._activity_times()
        lo = bisect.bisect_left(times, after)
        hi = len(times) if before is None else bisect.bisect_right(times, before)
        selected = logs[lo:hi][::-1]  # newest first, like Intercom
        total_pages = max(1, -(-len(selected) // per_page))
        chunk = selected[(page - 1) * per_page: page * per_page]
        next_url = None
        if page < total_pages:
            params = {"created_at_after": after, "page": page + 1, "per_page": per_page}
            if before is not None:
                params["created_at_before"] = before
            next_url = f"{request.base_url}/admins/activity_logs?{urlencode(params)}"
        return dumps({"type": "activity_log.list",
                      "pages": {"type": "pages", "next": next_url, "page": page, "per_page": per_page,
                                "total_pages": total_pages},
                      "activity_logs": chunk})

    def _activity_times(self) -> list[int]:
        times = self._bodies.get("activity_times")
        if times is None:
            times = [log["created_at"] for log in self.workspace.activity_logs]
            self._bodies["activity_times"] = times  # type: ignore[assignment]
        return times  # type: ignore[return-value]


def _int_param(query: Mapping[str, str], name: str) -> int:
    try:
        return int(query[name])
    except (TypeError, ValueError):
        raise bad_request(f"{name} must be an integer", field=name) from None
