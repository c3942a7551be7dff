"""Search semantics: operators, day-granular dates, nesting, sort, cursors."""

from __future__ import annotations

import base64
import datetime as dt
import random
from typing import Any

import pytest

from intercom_elt.simulator import Workspace
from intercom_elt.simulator.errors import ApiError
from intercom_elt.simulator.search import CONTACTS, DayClock, SearchEngine, compile_query

D = int(dt.datetime(2026, 8, 10, tzinfo=dt.timezone.utc).timestamp())
V = D + 5_000  # 01:23 UTC on day D


def rec(rid: str, updated_at: int | None, **extra: Any) -> dict[str, Any]:
    return {"id": rid, "updated_at": updated_at, "created_at": D - 10 * 86_400, **extra}


RECORDS = [
    rec("aaaaaaaaaaaaaaaaaaaaaaa1", D + 100, email="ada@example.com", seats=3, role="user",
        tags={"data": [{"id": "t1"}, {"id": "t2"}]}, custom_attributes={"plan": "pro"}),
    rec("aaaaaaaaaaaaaaaaaaaaaaa2", D - 1, email="ben@test.org", seats=10, role="lead",
        tags={"data": [{"id": "t2"}]}, custom_attributes={"plan": "free"}),
    rec("aaaaaaaaaaaaaaaaaaaaaaa3", D + 86_400, email="chloe@example.com", seats=7, role="user",
        tags={"data": []}, custom_attributes={"plan": "pro"}),
    rec("aaaaaaaaaaaaaaaaaaaaaaa4", D + 86_399, email="dmitri@example.net", seats=1, role="lead",
        tags={"data": [{"id": "t3"}]}, custom_attributes={"plan": None}),
    rec("aaaaaaaaaaaaaaaaaaaaaaa5", None, email="elena@example.com", seats=5, role="user",
        tags={"data": []}, custom_attributes={}),
]


def run(query: Any, *, tz: str = "UTC", sort: Any = None, pagination: Any = None) -> list[str]:
    body: dict[str, Any] = {"query": query, "pagination": pagination or {"per_page": 150}}
    if sort is not None:
        body["sort"] = sort
    page = SearchEngine(tz).search(body, CONTACTS, lambda: RECORDS, version=0)
    return sorted(r["id"][-1] for r in page.items)


def f(field: str, op: str, value: Any) -> dict[str, Any]:
    return {"field": field, "operator": op, "value": value}


def test_date_equals_matches_the_whole_day() -> None:
    assert run(f("updated_at", "=", V)) == ["1", "4"]


def test_date_greater_starts_at_the_next_day() -> None:
    assert run(f("updated_at", ">", V)) == ["3"]  # record 4 is later than V but on V's day


def test_date_less_ends_before_the_day() -> None:
    assert run(f("updated_at", "<", V)) == ["2"]


def test_connector_lower_bound_idiom_and_string_values() -> None:
    query = {"operator": "OR", "value": [f("updated_at", ">", str(V)), f("updated_at", "=", str(V))]}
    assert run(query) == ["1", "3", "4"]


def test_date_days_follow_the_configured_zone() -> None:
    # V is 21:23 on Aug 9 in New York (UTC-4): that local day is [D-20h, D+4h)
    assert run(f("updated_at", "=", V), tz="America/New_York") == ["1", "2"]


@pytest.mark.parametrize("op,value", [("!=", V), (">=", V), ("<=", V), ("IN", [V]), ("NIN", [V]), ("~", "1")])
def test_forbidden_date_operators(op: str, value: Any) -> None:
    with pytest.raises(ApiError) as err:
        run(f("updated_at", op, value))
    assert err.value.status == 400


def test_bad_date_value() -> None:
    with pytest.raises(ApiError):
        run(f("updated_at", "=", "yesterday"))


@pytest.mark.parametrize("query,expected", [
    (f("email", "=", "ada@example.com"), ["1"]),
    (f("email", "!=", "ada@example.com"), ["2", "3", "4", "5"]),
    (f("role", "IN", ["lead"]), ["2", "4"]),
    (f("role", "NIN", ["lead"]), ["1", "3", "5"]),
    (f("seats", ">", 5), ["2", "3"]),
    (f("seats", "<", "5"), ["1", "4"]),
    (f("email", "~", "EXAMPLE.com"), ["1", "3", "5"]),
    (f("email", "!~", "example"), ["2"]),
    (f("email", "^", "d"), ["4"]),
    (f("email", "$", ".org"), ["2"]),
    (f("tag_id", "=", "t2"), ["1", "2"]),
    (f("tag_id", "NIN", ["t2", "t3"]), ["3", "5"]),
    (f("custom_attributes.plan", "=", "pro"), ["1", "3"]),
    (f("custom_attributes.plan", "=", None), ["4", "5"]),
])
def test_operators(query: dict[str, Any], expected: list[str]) -> None:
    assert run(query) == expected


def test_nested_groups() -> None:
    query = {"operator": "AND", "value": [
        {"operator": "OR", "value": [f("role", "=", "lead"), f("seats", ">", 6)]},
        f("email", "~", "example"),
    ]}
    assert run(query) == ["3", "4"]


def test_too_deep_nesting_is_400() -> None:
    query = {"operator": "AND", "value": [{"operator": "OR", "value": [
        {"operator": "AND", "value": [f("role", "=", "lead")]}]}]}
    with pytest.raises(ApiError) as err:
        run(query)
    assert err.value.status == 400


def test_too_many_filters_in_a_group_is_400() -> None:
    assert run({"operator": "OR", "value": [f("seats", "=", i) for i in range(15)]})  # 15 is fine
    with pytest.raises(ApiError):
        run({"operator": "OR", "value": [f("seats", "=", i) for i in range(16)]})


def test_unknown_operator_is_400() -> None:
    with pytest.raises(ApiError):
        run(f("email", "LIKE", "x"))


def _random_date_query(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    """A valid query mixing date and other filters in AND/OR groups."""
    if depth < 2 and rng.random() < 0.5:
        items = [_random_date_query(rng, depth + 1) for _ in range(rng.randint(1, 3))]
        return {"operator": rng.choice(["AND", "OR"]), "value": items}
    if rng.random() < 0.2:
        return f("role", "=", rng.choice(["user", "lead"]))
    field = rng.choice(["updated_at", "created_at"])
    value = D + rng.randint(-12, 3) * 86_400 + rng.randint(0, 86_399)
    return f(field, rng.choice(["=", ">", "<"]), value if rng.random() < 0.7 else str(value))


def test_date_intervals_find_exactly_what_a_full_scan_finds() -> None:
    # The engine scans only the records inside a query's date interval; that must never
    # change an answer. A zone with DST, and records on both sides of day edges.
    rng = random.Random(7)
    records = [rec(f"{i:024d}", D + rng.randint(-12 * 86_400, 3 * 86_400) if i % 9 else None,
                   role=rng.choice(["user", "lead"]))
               for i in range(300)]
    for record in records[::7]:
        record["created_at"] = D + rng.randint(-12, 3) * 86_400  # exactly at midnight
    clock = DayClock("America/New_York")
    engine = SearchEngine("America/New_York")
    for _ in range(300):
        query = _random_date_query(rng)
        predicate = compile_query(query, CONTACTS, clock)
        expected = [r["id"] for r in records if predicate(r)]
        body: dict[str, Any] = {"query": query, "pagination": {"per_page": 150}}
        found: list[str] = []
        while True:
            page = engine.search(body, CONTACTS, lambda: records, version=0)
            found.extend(r["id"] for r in page.items)
            if page.next_cursor is None:
                break
            body["pagination"]["starting_after"] = page.next_cursor
        assert sorted(found) == sorted(expected), query
        assert page.total_count == len(expected), query


def _walk(sort: dict[str, str], per_page: int) -> list[str]:
    engine = SearchEngine()
    body: dict[str, Any] = {"sort": sort, "pagination": {"per_page": per_page}}
    out: list[str] = []
    while True:
        page = engine.search(body, CONTACTS, lambda: RECORDS, version=0)
        out.extend(r["id"][-1] for r in page.items)
        if page.next_cursor is None:
            return out
        assert not page.next_cursor.isdigit()
        body["pagination"]["starting_after"] = page.next_cursor


def test_sort_and_cursor_pages() -> None:
    assert _walk({"field": "updated_at", "order": "ascending"}, 2) == ["2", "1", "4", "3", "5"]
    assert _walk({"field": "updated_at", "order": "descending"}, 2) == ["5", "3", "4", "1", "2"]
    assert _walk({"field": "seats"}, 1) == ["2", "3", "5", "1", "4"]  # default order: descending


def test_invalid_sort_order() -> None:
    with pytest.raises(ApiError) as err:
        run(None, sort={"field": "updated_at", "order": "sideways"})
    assert err.value.code == "invalid_sort_order"


def test_per_page_cap_and_validation() -> None:
    engine = SearchEngine()
    page = engine.search({"pagination": {"per_page": 500}}, CONTACTS, lambda: RECORDS, version=0)
    assert page.per_page == 150
    with pytest.raises(ApiError):
        engine.search({"pagination": {"per_page": 0}}, CONTACTS, lambda: RECORDS, version=0)
    with pytest.raises(ApiError):
        engine.search({"pagination": {"starting_after": "not-a-cursor"}}, CONTACTS, lambda: RECORDS, version=0)


# ------------------------------------------------------------------ over HTTP


CONNECTOR_BODY = {
    "query": {"operator": "AND", "value": [
        {"operator": "OR", "value": [f("updated_at", ">", 0), f("updated_at", "=", 0)]},
        f("updated_at", "<", 1_800_000_000)]},
    "sort": {"field": "updated_at", "order": "ascending"},
    "pagination": {"per_page": 150},
}


@pytest.mark.parametrize("path,key,stream,list_type", [
    ("/contacts/search", "data", "contacts", "list"),
    ("/conversations/search", "conversations", "conversations", "conversation.list"),
    ("/tickets/search", "tickets", "tickets", "ticket.list"),
])
def test_connector_style_walk_returns_everything(client, search_all, workspace: Workspace, path: str, key: str,
                                                 stream: str, list_type: str) -> None:
    body = {**CONNECTOR_BODY, "pagination": {"per_page": 7}}
    records, responses = search_all(client, path, body, key)
    expected = workspace.expected_records(stream)
    assert [r["id"] for r in records] == [r["id"] for r in sorted(expected, key=lambda r: (r["updated_at"], len(r["id"]), r["id"]))]
    last = responses[-1].json()
    assert last["type"] == list_type and "next" not in last["pages"]
    assert all(r.json()["total_count"] == len(expected) for r in responses)
    if stream == "conversations":
        assert all("conversation_parts" not in r for r in records)


@pytest.mark.parametrize("path,key,default", [
    ("/contacts/search", "data", 50), ("/conversations/search", "conversations", 20), ("/tickets/search", "tickets", 20)])
def test_default_page_sizes(client, path: str, key: str, default: int) -> None:
    body = client.post(path, {}).json()
    assert len(body[key]) == default and body["pages"]["per_page"] == default


def test_per_page_150_cap_over_http(client) -> None:
    body = client.post("/contacts/search", {"pagination": {"per_page": 1000}}).json()
    assert len(body["data"]) == 150 and body["pages"]["per_page"] == 150
    cursor = body["pages"]["next"]["starting_after"]
    assert not cursor.isdigit() and base64.b64decode(cursor)


def test_http_400s_use_the_error_envelope(client) -> None:
    resp = client.post("/conversations/search", {"sort": {"field": "updated_at", "order": "up"}})
    assert resp.status == 400 and resp.json()["errors"][0]["code"] == "invalid_sort_order"
    resp = client.post("/contacts/search", {"query": f("updated_at", ">=", 1)})
    assert resp.status == 400 and resp.json()["type"] == "error.list"
    assert "x-ratelimit-limit" in resp.headers


def test_conversation_search_by_state_and_contact(client, workspace: Workspace, search_all) -> None:
    conv = workspace.conversations[10]
    query = {"operator": "AND", "value": [f("contact_ids", "=", conv.contact_ids[0]), f("state", "=", conv.record["state"])]}
    records, _ = search_all(client, "/conversations/search", {"query": query}, "conversations")
    assert conv.id in {r["id"] for r in records}
    assert all(conv.contact_ids[0] in [c["id"] for c in r["contacts"]["contacts"]] for r in records)
