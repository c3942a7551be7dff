"""Intercom search-query evaluation, sorting and cursor pagination.

Semantics (notes §3):

* A query is a filter ``{field, operator, value}`` or a group
  ``{operator: AND|OR, value: [...]}``; at most 2 levels of groups and 15
  items per group, otherwise 400.
* Operators ``= != IN NIN > < ~ !~ ^ $``. On a list-valued field a positive
  operator matches when any element matches; a negative one when none does.
* Date fields (``*_at``, ``snoozed_until``, ``waiting_since``) compare by
  calendar day in the configured time zone: ``=`` the whole day, ``>`` from
  the next day on, ``<`` before the day starts. ``!= >= <= IN NIN`` and the
  string operators on dates are 400s. Date values may be ints or numeric
  strings.
* ``sort`` defaults to ``created_at`` descending; a bad order is 400
  ``invalid_sort_order``. Ties break on id.
* ``pagination.per_page`` defaults per endpoint and is capped at 150;
  ``starting_after`` is an opaque base64 cursor of the last (sort value, id).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime as dt
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ApiError, bad_request

MAX_PER_PAGE = 150
MAX_GROUP_DEPTH = 2
MAX_GROUP_ITEMS = 15
DEFAULT_SORT_FIELD = "created_at"
OPERATORS = frozenset({"=", "!=", "IN", "NIN", ">", "<", "~", "!~", "^", "$", ">=", "<="})
DATE_OPERATORS = frozenset({"=", ">", "<"})
NEGATIVE = {"!=": "=", "NIN": "IN", "!~": "~"}
DATE_SUFFIXES = ("_at",)
DATE_FIELDS = frozenset({"snoozed_until", "waiting_since"})

Predicate = Callable[[dict[str, Any]], bool]
Getter = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class SearchModel:
    """One searchable resource.

    Attributes:
        name: ``contacts``, ``conversations`` or ``tickets``.
        default_per_page: page size when none is given.
        aliases: search field → getter, for fields that are not plain paths.
    """

    name: str
    default_per_page: int
    aliases: dict[str, Getter]


def _ids(path: tuple[str, ...]) -> Getter:
    first, rest = path[0], path[1:]

    def get(record: Mapping[str, Any]) -> list[Any]:
        value: Any = record.get(first)  # records may be compact mappings; nested values are dicts
        for key in rest:
            value = value.get(key) if isinstance(value, dict) else None
            if value is None:
                return []
        return [item.get("id") for item in value] if isinstance(value, list) else []

    return get


CONTACTS = SearchModel("contacts", 50, {
    "tag_id": _ids(("tags", "data")),
    "company_id": _ids(("companies", "data")),
})
CONVERSATIONS = SearchModel("conversations", 20, {
    "contact_ids": _ids(("contacts", "contacts")),
    "tag_ids": _ids(("tags", "tags")),
    "teammate_ids": _ids(("teammates", "admins")),
})
TICKETS = SearchModel("tickets", 20, {"contact_ids": _ids(("contacts", "contacts"))})


def is_date_field(field: str) -> bool:
    """True when Intercom compares the field by calendar day."""
    leaf = field.rsplit(".", 1)[-1]
    return leaf.endswith(DATE_SUFFIXES) or leaf in DATE_FIELDS


def _path_getter(field: str) -> Getter:
    first, *keys = field.split(".")

    def get(record: Mapping[str, Any]) -> Any:
        top = record.get(first)  # records may be compact mappings; nested values are dicts
        if not keys:
            return top
        flattened = isinstance(top, list)
        values: list[Any] = top if flattened else [top]
        for key in keys:
            nxt: list[Any] = []
            for value in values:
                if isinstance(value, dict):
                    value = value.get(key)
                    if isinstance(value, list):
                        flattened = True
                        nxt.extend(value)
                    elif value is not None:
                        nxt.append(value)
            values = nxt
        if flattened:
            return values
        return values[0] if values else None

    return get


# --------------------------------------------------------------- compiling


class DayClock:
    """Calendar-day arithmetic in one time zone.

    Args:
        timezone: IANA zone name.
    """

    def __init__(self, timezone: str = "UTC") -> None:
        try:
            self.zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {timezone!r}") from exc

    def day_bounds(self, ts: int) -> tuple[int, int]:
        """Local midnight of ``ts``'s day and of the next day, as Unix seconds."""
        day = dt.datetime.fromtimestamp(ts, self.zone).date()
        start = dt.datetime.combine(day, dt.time(0), self.zone).timestamp()
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), self.zone).timestamp()
        return int(start), int(end)


def compile_query(query: Any, model: SearchModel, clock: DayClock) -> Predicate:
    """Validate a query and turn it into a predicate over records.

    Args:
        query: the ``query`` member of the request body.
        model: the searched resource.
        clock: day arithmetic for date fields.

    Returns:
        A function record → bool.

    Raises:
        ApiError: 400 for malformed queries.
    """
    if query is None:
        return lambda record: True
    return _compile(query, model, clock, depth=0)


def _compile(node: Any, model: SearchModel, clock: DayClock, *, depth: int) -> Predicate:
    if not isinstance(node, dict):
        raise bad_request("query must be an object")
    operator = node.get("operator")
    if operator in ("AND", "OR") and "field" not in node:
        depth += 1
        if depth > MAX_GROUP_DEPTH:
            raise bad_request(f"queries support at most {MAX_GROUP_DEPTH} levels of nesting")
        items = node.get("value")
        if not isinstance(items, list) or not items:
            raise bad_request(f"{operator} requires a non-empty list of filters")
        if len(items) > MAX_GROUP_ITEMS:
            raise bad_request(f"a group supports at most {MAX_GROUP_ITEMS} filters")
        preds = [_compile(item, model, clock, depth=depth) for item in items]
        if operator == "AND":
            return lambda record: all(p(record) for p in preds)
        return lambda record: any(p(record) for p in preds)
    return _compile_filter(node, model, clock)


def _compile_filter(node: dict[str, Any], model: SearchModel, clock: DayClock) -> Predicate:
    field, operator, value = node.get("field"), node.get("operator"), node.get("value")
    if not isinstance(field, str) or not field:
        raise bad_request("filter requires a field", code="invalid_field")
    if operator not in OPERATORS:
        raise bad_request(f"operator {operator!r} is not supported", field=field)
    getter = model.aliases.get(field) or _path_getter(field)
    if is_date_field(field):
        return _date_filter(field, operator, value, getter, clock)
    if operator in (">=", "<="):
        raise bad_request(f"operator {operator} is not supported", field=field)
    if operator in ("IN", "NIN") and not isinstance(value, list):
        raise bad_request(f"{operator} requires a list value", field=field)
    positive = NEGATIVE.get(operator, operator)
    match = _matcher(positive, value, field)
    negate = operator in NEGATIVE

    def pred(record: dict[str, Any]) -> bool:
        actual = getter(record)
        values = actual if isinstance(actual, list) else [actual]
        hit = any(match(v) for v in values) if values else match(None)
        return not hit if negate else hit

    return pred


def _date_filter(field: str, operator: str, value: Any, getter: Getter, clock: DayClock) -> Predicate:
    if operator not in DATE_OPERATORS:
        raise bad_request(
            f"operator {operator} is not allowed on date field {field}", code="invalid_field", field=field
        )
    try:
        ts = int(value)
    except (TypeError, ValueError):
        raise bad_request(f"date value for {field} must be a Unix timestamp", field=field) from None
    start, end = clock.day_bounds(ts)
    if operator == "=":
        test: Callable[[int], bool] = lambda x: start <= x < end
    elif operator == ">":
        test = lambda x: x >= end  # from the next day on
    else:
        test = lambda x: x < start  # before the day starts

    def pred(record: dict[str, Any]) -> bool:
        actual = getter(record)
        return isinstance(actual, (int, float)) and not isinstance(actual, bool) and test(int(actual))

    return pred


Interval = tuple[float, float]  # [low, high) in Unix seconds


def date_intervals(query: Any, clock: DayClock) -> dict[str, Interval]:
    """For each date field the query restricts, an interval holding every match.

    The query must be valid (see :func:`compile_query`). A search may scan only the
    records whose field lies in the interval and test the query on those: a
    window search then costs its matches, not the whole workspace.
    """
    if not isinstance(query, dict):
        return {}
    operator = query.get("operator")
    if operator in ("AND", "OR") and "field" not in query:
        children = [date_intervals(item, clock) for item in query["value"]]
        if operator == "AND":  # every child holds: intersect
            merged: dict[str, Interval] = {}
            for child in children:
                for field, (low, high) in child.items():
                    old_low, old_high = merged.get(field, (-math.inf, math.inf))
                    merged[field] = (max(low, old_low), min(high, old_high))
            return merged
        common = set.intersection(*(set(child) for child in children))  # OR: the hull
        return {field: (min(child[field][0] for child in children),
                        max(child[field][1] for child in children)) for field in common}
    field = query["field"]
    if not is_date_field(field):
        return {}
    start, end = clock.day_bounds(int(query["value"]))
    return {field: {"=": (start, end), ">": (end, math.inf), "<": (-math.inf, start)}[query["operator"]]}


def _coerce(query_value: Any, actual: Any) -> Any:
    """Bring a query value to the record value's type (ids may be ints or strings)."""
    if isinstance(actual, bool):
        if isinstance(query_value, str):
            return query_value.lower() == "true"
        return bool(query_value)
    if isinstance(actual, (int, float)) and not isinstance(query_value, bool):
        try:
            return type(actual)(query_value)
        except (TypeError, ValueError):
            return query_value
    if isinstance(actual, str) and isinstance(query_value, (int, float)) and not isinstance(query_value, bool):
        return str(query_value)
    return query_value


def _matcher(operator: str, value: Any, field: str) -> Callable[[Any], bool]:
    if operator == "=":
        return lambda x: (value is None) if x is None else _coerce(value, x) == x
    if operator == "IN":
        return lambda x: x is not None and any(_coerce(v, x) == x for v in value)
    if operator in (">", "<"):
        def cmp(x: Any) -> bool:
            if x is None:
                return False
            q = _coerce(value, x)
            try:
                return x > q if operator == ">" else x < q
            except TypeError:
                return False
        return cmp
    if not isinstance(value, str):
        raise bad_request(f"operator {operator} requires a string value", field=field)
    needle = value.lower()
    if operator == "~":
        return lambda x: isinstance(x, str) and needle in x.lower()
    if operator == "^":
        return lambda x: isinstance(x, str) and x.lower().startswith(needle)
    return lambda x: isinstance(x, str) and x.lower().endswith(needle)  # "$"


# ----------------------------------------------------------------- sorting


SortKey = tuple[int, Any, int, str]  # (type rank, value, len(id), id): flat, ~70 bytes a row


def _sort_key(value: Any, record_id: str) -> SortKey:
    """Sort by value (numbers, then strings, then null/objects), ties by id (shorter ids first)."""
    if value is None or isinstance(value, (list, dict)):
        return (2, 0, len(record_id), record_id)
    if isinstance(value, (bool, int, float)):
        return (0, value, len(record_id), record_id)
    return (1, str(value), len(record_id), record_id)


def encode_cursor(key: SortKey) -> str:
    """Opaque cursor for a sort key (base64 JSON, never all digits)."""
    rank, value, _, record_id = key
    return base64.b64encode(json.dumps([rank, value, record_id]).encode()).decode()


def decode_cursor(cursor: Any) -> SortKey:
    """Inverse of :func:`encode_cursor`.

    Raises:
        ApiError: 400 for a cursor this server did not issue.
    """
    try:
        rank, value, record_id = json.loads(base64.b64decode(str(cursor), validate=True))
        record_id = str(record_id)
        return (int(rank), value, len(record_id), record_id)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise bad_request("starting_after is not a valid cursor", field="starting_after") from None


# ---------------------------------------------------------------- engine


@dataclass(frozen=True)
class Page:
    """One page of search results."""

    items: list[dict[str, Any]]
    total_count: int
    page: int
    per_page: int
    total_pages: int
    next_cursor: str | None


class SearchEngine:
    """Runs searches, caching each (query, sort) result per data version.

    Args:
        timezone: IANA zone for day-granular date matching.
        cache_size: number of distinct (query, sort) results kept.
        cache_rows: total matched rows kept over all cached results (about
            80 bytes a row).
    """

    def __init__(self, timezone: str = "UTC", *, cache_size: int = 64, cache_rows: int = 1_000_000) -> None:
        self.clock = DayClock(timezone)
        self._cache: OrderedDict[tuple[Any, ...], tuple[list[Any], list[dict[str, Any]]]] = OrderedDict()
        self._cache_size = cache_size
        self._cache_rows = cache_rows
        self._rows = 0
        # (model, field) → (version, sorted values, records): the date indexes of one version
        self._indexes: dict[tuple[str, str], tuple[int, list[float], list[dict[str, Any]]]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget cached results."""
        with self._lock:
            self._cache.clear()
            self._indexes.clear()
            self._rows = 0

    def search(
        self, body: Any, model: SearchModel, records: Callable[[], Sequence[dict[str, Any]]], *,
        version: int,
    ) -> Page:
        """Evaluate one search request body.

        Args:
            body: the parsed JSON request body.
            model: the resource searched.
            records: returns all records of the resource (called on cache miss).
            version: the workspace version; results are cached per version.

        Returns:
            The requested page.

        Raises:
            ApiError: 400 for invalid queries, sorts, pagination or cursors.
        """
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        field, descending = _parse_sort(body.get("sort"))
        per_page, cursor = _parse_pagination(body.get("pagination"), model.default_per_page)
        query = body.get("query")
        # repr is several times cheaper than a canonical JSON dump; the same query with its keys in
        # another order is merely a cache miss
        cache_key = (model.name, version, field, repr(query))
        with self._lock:
            hit = self._cache.get(cache_key)
            if hit is not None:
                self._cache.move_to_end(cache_key)
        if hit is None:
            predicate = compile_query(query, model, self.clock)
            getter = model.aliases.get(field) or _path_getter(field)
            candidates = self._candidates(query, model, records, version)
            rows = sorted(
                ((_sort_key(getter(r), r["id"]), r) for r in candidates if predicate(r)), key=_first
            )
            hit = ([k for k, _ in rows], [r for _, r in rows])
            with self._lock:
                if cache_key not in self._cache:
                    self._cache[cache_key] = hit
                    self._rows += len(hit[1])
                while len(self._cache) > 1 and (len(self._cache) > self._cache_size
                                                or self._rows > self._cache_rows):
                    self._rows -= len(self._cache.popitem(last=False)[1][1])
        keys, matched = hit
        return _page(keys, matched, per_page, cursor, descending)


    def _candidates(self, query: Any, model: SearchModel, records: Callable[[], Sequence[dict[str, Any]]],
                    version: int) -> Sequence[dict[str, Any]]:
        """The records that can match: those inside the query's narrowest date interval."""
        intervals = date_intervals(query, self.clock)
        if not intervals:
            return records()
        field, (low, high) = min(intervals.items(), key=lambda item: item[1][1] - item[1][0])
        with self._lock:
            index = self._indexes.get((model.name, field))
        if index is None or index[0] != version:
            getter = model.aliases.get(field) or _path_getter(field)
            # A date filter matches only numbers (see _date_filter): nothing else is indexed.
            dated = sorted(
                ((value, r) for r in records()
                 if isinstance(value := getter(r), (int, float)) and not isinstance(value, bool)),
                key=_first,
            )
            index = (version, [value for value, _ in dated], [r for _, r in dated])
            with self._lock:
                self._indexes = {key: kept for key, kept in self._indexes.items() if kept[0] == version}
                self._indexes[(model.name, field)] = index
        _, values, indexed = index
        return indexed[bisect.bisect_left(values, low):bisect.bisect_left(values, high)]


def _first(row: tuple[Any, Any]) -> Any:
    return row[0]


def _parse_sort(sort: Any) -> tuple[str, bool]:
    if sort is None:
        return DEFAULT_SORT_FIELD, True
    if not isinstance(sort, dict):
        raise bad_request("sort must be an object")
    order = sort.get("order", "descending")
    if order not in ("ascending", "descending"):
        raise ApiError(400, "invalid_sort_order", f"Invalid sort order {order!r}; use ascending or descending")
    field = sort.get("field") or DEFAULT_SORT_FIELD
    if not isinstance(field, str):
        raise bad_request("sort field must be a string", code="invalid_field")
    return field, order == "descending"


def _parse_pagination(pagination: Any, default: int) -> tuple[int, Any]:
    if pagination is None:
        return default, None
    if not isinstance(pagination, dict):
        raise bad_request("pagination must be an object")
    per_page = pagination.get("per_page", default)
    try:
        per_page = int(per_page)
    except (TypeError, ValueError):
        raise bad_request("per_page must be an integer", field="per_page") from None
    if per_page < 1:
        raise bad_request("per_page must be positive", field="per_page")
    return min(per_page, MAX_PER_PAGE), pagination.get("starting_after") or None


def _page(keys: list[Any], matched: list[dict[str, Any]], per_page: int, cursor: Any,
          descending: bool) -> Page:
    n = len(matched)
    position = decode_cursor(cursor) if cursor is not None else None
    if not descending:
        start = bisect.bisect_right(keys, position) if position is not None else 0
        end = min(n, start + per_page)
        items = matched[start:end]
        last_key = keys[end - 1] if end > start else None
        has_next, before = end < n, start
    else:
        end = bisect.bisect_left(keys, position) if position is not None else n
        start = max(0, end - per_page)
        items = matched[start:end][::-1]
        last_key = keys[start] if end > start else None
        has_next, before = start > 0, n - end
    total_pages = max(1, -(-n // per_page))
    return Page(
        items=items, total_count=n, page=before // per_page + 1, per_page=per_page,
        total_pages=total_pages,
        next_cursor=encode_cursor(last_key) if has_next and last_key is not None else None,
    )
