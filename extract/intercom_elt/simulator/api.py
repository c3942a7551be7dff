"""Intercom API 2.11 endpoints over a :class:`Workspace`, independent of HTTP.

Handlers return JSON bytes. Each request works on one workspace snapshot
(:meth:`Workspace.snapshot`), so a time-travel step in the middle of a
request cannot mix old and new records. Serialisations are cached per
workspace version: whole bodies of the small lists, and bounded caches of
record and conversation bodies, so list pages are assembled by joining
pre-serialised records while a large workspace is not kept twice in memory.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from .errors import ApiError, bad_request, not_found
from .faults import FaultInjector
from .records import dumps
from .search import CONTACTS, CONVERSATIONS, TICKETS, SearchEngine, SearchModel
from .state import ScrollRegistry
from .workspace import Workspace

ACTIVITY_PER_PAGE = 20
MAX_PER_PAGE = 150
RECORD_CACHE_SIZE = 50_000  # serialised search records kept per version
CONVERSATION_CACHE_SIZE = 5_000  # full GET /conversations/{id} bodies kept per version
_LIST_HEADS = {(t, k): b'{"type":"%s","%s":[' % (t.encode(), k.encode())
               for t, k in (("list", "data"), ("conversation.list", "conversations"), ("ticket.list", "tickets"))}
_CONVERSATION = re.compile(r"^/conversations/([^/]+)$")
_COMPANY_SEGMENTS = re.compile(r"^/companies/([^/]+)/segments$")


class BoundedCache:
    """A dict that forgets everything when it grows past ``max_entries``.

    Cheap and safe under the GIL; a full sync touches each entry once, so an
    LRU would not do better, while repeated pages stay cached.
    """

    __slots__ = ("data", "max_entries")

    def __init__(self, max_entries: int) -> None:
        self.data: dict[Any, bytes] = {}  # read it directly in hot loops
        self.max_entries = max_entries

    def get(self, key: Any) -> bytes | None:
        """The cached value or None."""
        return self.data.get(key)

    def put(self, key: Any, value: bytes) -> None:
        """Store a value (dropping everything first when full)."""
        if len(self.data) >= self.max_entries:
            self.data = {}
        self.data[key] = value

    def __len__(self) -> int:
        return len(self.data)


class _Caches:
    """The caches of one workspace version."""

    __slots__ = ("version", "bodies", "records", "conversations")

    def __init__(self, version: int) -> None:
        self.version = version
        self.bodies: dict[Any, Any] = {}
        self.records = BoundedCache(RECORD_CACHE_SIZE)
        self.conversations = BoundedCache(CONVERSATION_CACHE_SIZE)


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
        self._caches = _Caches(-1)
        self.routes: dict[tuple[str, str], Callable[[Request, Workspace, _Caches], bytes]] = {
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
        self._paths = frozenset(p for _, p in self.routes)

    # ------------------------------------------------------------ dispatch
    def handle(self, request: Request) -> bytes:
        """Serve one request against one consistent workspace snapshot.

        Raises:
            ApiError: for every non-200 outcome.
        """
        ws = self.workspace.snapshot()
        caches = self._caches_for(ws.version)
        handler = self.routes.get((request.method, request.path))
        if handler is not None:
            return handler(request, ws, caches)
        if request.method == "GET":
            match = _CONVERSATION.match(request.path)
            if match and match.group(1) not in ("search",):
                return self.conversation(match.group(1), ws, caches)
            match = _COMPANY_SEGMENTS.match(request.path)
            if match:
                return self.company_segments(match.group(1), ws, caches)
        raise not_found()

    def is_known_path(self, path: str) -> bool:
        """True for paths this API serves (any method)."""
        return (path in self._paths or bool(_CONVERSATION.match(path))
                or bool(_COMPANY_SEGMENTS.match(path)))

    def _caches_for(self, version: int) -> _Caches:
        caches = self._caches
        if caches.version == version:
            return caches
        with self._lock:
            caches = self._caches
            if version > caches.version:  # a newer state: start its caches
                caches = self._caches = _Caches(version)
                self.search_engine.clear()
            elif version < caches.version:  # a request still on an older state: don't cache
                caches = _Caches(version)
        return caches

    @staticmethod
    def _cached(caches: _Caches, key: Any, build: Callable[[], Any]) -> bytes:
        body = caches.bodies.get(key)
        if body is None:
            body = dumps(build())
            caches.bodies[key] = body
        return body

    # --------------------------------------------------------- plain lists
    def admins(self, _: Request, ws: Workspace, caches: _Caches) -> bytes:
        """``GET /admins``."""
        return self._cached(caches, "admins", lambda: {"type": "admin.list", "admins": ws.admins})

    def teams(self, _: Request, ws: Workspace, caches: _Caches) -> bytes:
        """``GET /teams``."""
        return self._cached(caches, "teams", lambda: {"type": "team.list", "teams": ws.teams})

    def tags(self, _: Request, ws: Workspace, caches: _Caches) -> bytes:
        """``GET /tags``."""
        return self._cached(caches, "tags", lambda: {"type": "list", "data": ws.tags})

    def segments(self, _: Request, ws: Workspace, caches: _Caches) -> bytes:
        """``GET /segments`` (no counts: the connector never asks for them)."""
        return self._cached(caches, "segments", lambda: {"type": "segment.list", "segments": ws.segments})

    def data_attributes(self, request: Request, ws: Workspace, caches: _Caches) -> bytes:
        """``GET /data_attributes?model=company|contact`` (both when omitted)."""
        model = request.query.get("model")
        attrs = ws.data_attributes
        if model is None or model == "":
            return self._cached(caches, ("attrs", None),
                                lambda: {"type": "list", "data": attrs.get("contact", []) + attrs.get("company", [])})
        if model not in ("company", "contact"):
            raise bad_request("model must be one of company, contact", field="model")
        return self._cached(caches, ("attrs", model), lambda: {"type": "list", "data": attrs.get(model, [])})

    def me(self, _: Request, ws: Workspace, caches: _Caches) -> bytes:
        """``GET /me``: the first admin, with its workspace."""
        first = ws.admins[0] if ws.admins else {"type": "admin", "id": "0", "name": "Operator", "email": ""}
        return self._cached(caches, "me", lambda: {**first, "app": {
            "type": "app", "id_code": ws.app_id, "name": "Simulated workspace", "region": "US",
            "timezone": "UTC", "created_at": min(c["created_at"] for c in ws.contacts) if ws.contacts else ws.now,
            "identity_verification": False}})

    # ------------------------------------------------------------ companies
    def companies_scroll(self, request: Request, ws: Workspace, caches: _Caches) -> bytes:
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
            # the company list of this state is the scroll's snapshot (lists are never mutated);
            # pages are serialised as served, not cached: a scroll may outlive its state's version
            token, page = self.scroll.open(ws.companies)
        items = b",".join(dumps(c) for c in page)
        return (b'{"type":"list","data":[' + items + b'],"pages":null,"total_count":null,"scroll_param":'
                + dumps(token) + b"}")

    def company_segments(self, company_id: str, ws: Workspace, caches: _Caches) -> bytes:
        """``GET /companies/{id}/segments``."""
        if company_id not in ws.companies_by_id or self.faults.is_deleted_company(company_id):
            raise not_found("Company Not Found", code="company_not_found")
        segments = ws.segments_of(company_id)  # total_count: required by the 2.11 schema
        return self._cached(caches, ("company_segments", company_id),
                            lambda: {"type": "list", "data": segments, "total_count": len(segments)})

    # -------------------------------------------------------- conversations
    def conversation(self, conversation_id: str, ws: Workspace, caches: _Caches) -> bytes:
        """``GET /conversations/{id}`` with the 500 most recent parts."""
        conv = ws.conversations_by_id.get(conversation_id)
        if conv is None or self.faults.is_deleted_conversation(conversation_id):
            raise not_found("Conversation not found")
        body = caches.conversations.get(conversation_id)
        if body is None:
            body = dumps(conv.full_record())
            caches.conversations.put(conversation_id, body)
        return body

    # --------------------------------------------------------------- search
    def _search(self, request: Request, ws: Workspace, caches: _Caches, model: SearchModel,
                records: Callable[[], list[Any]], list_type: str, key: str) -> bytes:
        page = self.search_engine.search(request.body, model, records, version=ws.version)
        pages: dict[str, Any] = {"type": "pages", "page": page.page, "per_page": page.per_page,
                                 "total_pages": page.total_pages}
        if page.next_cursor is not None:
            pages["next"] = {"page": page.page + 1, "per_page": page.per_page, "starting_after": page.next_cursor}
        head = _LIST_HEADS.get((list_type, key)) or b'{"type":' + dumps(list_type) + b',"' + key.encode() + b'":['
        tail = b'],"total_count":' + str(page.total_count).encode() + b',"pages":' + dumps(pages) + b"}"
        return self._join_records(caches.records, page.items, head, tail)

    @staticmethod
    def _join_records(cache: BoundedCache, records: list[Any], head: bytes, tail: bytes) -> bytes:
        """``head + b",".join(serialised records) + tail`` with one copy of the (large) page.

        Serialisations are cached per version by record identity: records are
        immutable and stay alive (so their ids stay unique) while their version
        is current. (Sending the records as separate buffers with one
        scatter/gather call measured several times slower than this copy.)
        """
        store = cache.data
        encoded = [store.get(id(r)) for r in records]
        if None in encoded:
            for i, record in enumerate(records):
                if encoded[i] is None:
                    encoded[i] = dumps(record)
                    cache.put(id(record), encoded[i])
        if not encoded:
            return head + tail
        encoded[0] = head + encoded[0]
        encoded[-1] = encoded[-1] + tail
        return b",".join(encoded)

    def contacts_search(self, request: Request, ws: Workspace, caches: _Caches) -> bytes:
        """``POST /contacts/search``."""
        return self._search(request, ws, caches, CONTACTS, lambda: ws.contacts, "list", "data")

    def conversations_search(self, request: Request, ws: Workspace, caches: _Caches) -> bytes:
        """``POST /conversations/search`` (conversations without parts)."""
        return self._search(request, ws, caches, CONVERSATIONS, lambda: [c.record for c in ws.conversations],
                            "conversation.list", "conversations")

    def tickets_search(self, request: Request, ws: Workspace, caches: _Caches) -> bytes:
        """``POST /tickets/search``."""
        return self._search(request, ws, caches, TICKETS, lambda: ws.tickets, "ticket.list", "tickets")

    # -------------------------------------------------------- activity logs
    def activity_logs(self, request: Request, ws: Workspace, caches: _Caches) -> bytes:
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
        logs = ws.activity_logs  # ascending by created_at
        times = caches.bodies.get("activity_times")
        if times is None:
            times = caches.bodies["activity_times"] = [log["created_at"] for log in logs]
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


def _int_param(query: Mapping[str, str], name: str) -> int:
    try:
        return int(query[name])
    except (TypeError, ValueError):
        raise bad_request(f"{name} must be an integer", field=name) from None
