"""Replay mode: serve a workspace loaded from a JSONL file of connector records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Client

from intercom_elt.simulator import (
    STREAMS,
    SimulatorServer,
    Workspace,
    dump_workspace_to_jsonl,
    generate_workspace,
    load_workspace_from_jsonl,
)
from intercom_elt.simulator.timetravel import advance

CONNECTOR_SEARCH = {"query": {"operator": "AND", "value": [
    {"operator": "OR", "value": [{"field": "updated_at", "operator": ">", "value": 0},
                                 {"field": "updated_at", "operator": "=", "value": 0}]},
    {"field": "updated_at", "operator": "<", "value": 1_900_000_000}]},
    "sort": {"field": "updated_at", "order": "ascending"}, "pagination": {"per_page": 150}}


def _write(path: Path, lines: list[Any]) -> Path:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def _walk(client: Client, ws: Workspace) -> Iterator[tuple[str, int, Any]]:
    """(request, status, comparable body) for every page of every endpoint, in a fixed order."""
    def plain(resp: Any) -> Any:
        body = resp.json()
        if resp.status != 200:
            body.pop("request_id", None)  # random per error
        return body

    for path in ("/admins", "/teams", "/tags", "/segments", "/me", "/data_attributes",
                 "/data_attributes?model=company", "/data_attributes?model=contact"):
        resp = client.get(path)
        yield path, resp.status, resp.raw
    first = client.get("/companies/scroll").json()
    token, pages = first["scroll_param"], [first["data"]]
    while pages[-1]:
        pages.append(client.get(f"/companies/scroll?scroll_param={token}").json()["data"])
    yield "/companies/scroll (all pages; tokens differ by seed)", 200, pages
    for company in ws.companies:
        resp = client.get(f"/companies/{company['id']}/segments")
        yield f"/companies/{company['id']}/segments", resp.status, resp.raw
    for path in ("/contacts/search", "/conversations/search", "/tickets/search"):
        for body in ({}, json.loads(json.dumps(CONNECTOR_SEARCH))):
            while True:
                resp = client.post(path, body)
                yield f"POST {path} {body}", resp.status, resp.raw
                nxt = resp.json()["pages"].get("next")
                if not nxt:
                    break
                body.setdefault("pagination", {})["starting_after"] = nxt["starting_after"]
    for conv in ws.conversations:
        resp = client.get(f"/conversations/{conv.id}")
        yield f"/conversations/{conv.id}", resp.status, resp.raw
    query = "created_at_after=0&created_at_before=2000000000&per_page=25"
    while query:
        resp = client.get(f"/admins/activity_logs?{query}")
        body = resp.json()
        nxt = body["pages"]["next"]
        query = nxt.split("?", 1)[1] if nxt else ""
        body["pages"]["next"] = query  # the URL names each server's own port
        yield f"/admins/activity_logs?{query}", resp.status, body
    for path in ("/conversations/0", "/companies/000000000000000000000000/segments"):
        resp = client.get(path)
        yield path, resp.status, plain(resp)


def test_round_trip_generate_dump_load_serve_gives_identical_responses(tmp_path: Path) -> None:
    """generate (+ a time-travel step) → dump → load → serve: every HTTP response carries identical records."""
    original = generate_workspace(seed=4)
    advance(original, 2 * 86_400, fraction=0.05, seed=3)  # some conversations now keep explicit events
    path = tmp_path / "capture.jsonl"
    counts = dump_workspace_to_jsonl(original, path)
    assert set(counts) == set(STREAMS) and all(counts.values())
    assert sum(1 for _ in path.open()) == sum(counts.values())

    replayed = load_workspace_from_jsonl(path)
    assert replayed.replayed and replayed.scale == "replay" and replayed.app_id == original.app_id
    for stream in STREAMS:
        assert replayed.expected_records(stream) == original.expected_records(stream), stream

    with SimulatorServer(original, rate_limit_per_minute=None) as a, \
            SimulatorServer(replayed, rate_limit_per_minute=None) as b:
        ca, cb = Client(a), Client(b)
        walked_a, walked_b = list(_walk(ca, original)), list(_walk(cb, replayed))
        ca.close()
        cb.close()
    assert [w[0] for w in walked_a] == [w[0] for w in walked_b]
    for (request, status_a, body_a), (_, status_b, body_b) in zip(walked_a, walked_b):
        assert (status_a, body_a) == (status_b, body_b), request
    assert sum(1 for _, status, _ in walked_a if status == 200) > len(original.conversations) + len(original.companies)
    # the capped conversation survives the trip with its 500 most recent parts
    long = next(c for c in original.conversations if c.n_events > 500)
    assert [p["id"] for p in replayed.conversations_by_id[long.id].visible_parts()] == \
        [e.id for e in long.events[-500:]]


def test_parts_keep_file_order_with_the_500_cap_and_statistics_as_given(tmp_path: Path) -> None:
    conv = {"type": "conversation", "id": "77", "created_at": 100, "updated_at": 900,
            "statistics": {"type": "conversation_statistics", "count_conversation_parts": 3}}  # not recomputed
    order = list(range(600, 0, -1))  # deliberately not chronological
    parts = [{"stream": "conversation_parts",
              "data": {"type": "conversation_part", "id": str(n), "created_at": n, "conversation_id": 77}}
             for n in order]  # conversation_id as an integer, as the connector emits it
    stray = {"stream": "conversation_parts", "data": {"id": "1", "conversation_id": "404"}}
    path = _write(tmp_path / "f.jsonl", [{"stream": "conversations", "data": conv}, *parts, stray])
    ws = load_workspace_from_jsonl(path)
    with SimulatorServer(ws, rate_limit_per_minute=None) as sim:
        client = Client(sim)
        body = client.get("/conversations/77").json()
        listed = client.post("/conversations/search", {}).json()["conversations"]
        client.close()
    got = body["conversation_parts"]
    assert [p["id"] for p in got["conversation_parts"]] == [str(n) for n in order[-500:]]
    assert got["total_count"] == 500 and all("conversation_id" not in p for p in got["conversation_parts"])
    assert body["statistics"] == conv["statistics"] and body["updated_at"] == 900
    assert listed == [conv]
    assert ws.ground_truth == {}  # nothing invented


def test_missing_streams_are_empty(tmp_path: Path) -> None:
    path = _write(tmp_path / "tags.jsonl", [
        {"stream": "tags", "data": {"type": "tag", "id": "1", "name": "vip"}},
        {"stream": "company_segments", "data": {"type": "segment", "id": "s1", "company_id": "c1"}},
    ])
    ws = load_workspace_from_jsonl(path)
    assert [len(ws.expected_records(s)) for s in STREAMS if s != "tags"] == [0] * (len(STREAMS) - 1)
    with SimulatorServer(ws, rate_limit_per_minute=None) as sim:
        client = Client(sim)
        assert client.get("/tags").json()["data"] == [{"type": "tag", "id": "1", "name": "vip"}]
        assert client.get("/admins").json() == {"type": "admin.list", "admins": []}
        assert client.get("/data_attributes?model=contact").json()["data"] == []
        assert client.post("/contacts/search", {}).json()["total_count"] == 0
        assert client.get("/companies/scroll").json()["data"] == []
        assert client.get("/admins/activity_logs?created_at_after=0").json()["activity_logs"] == []
        assert client.get("/companies/c1/segments").status == 404  # no such company in the file
        client.close()


def test_unknown_stream_is_a_value_error_naming_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.jsonl", [
        {"stream": "tags", "data": {"id": "1"}}, "", {"stream": "deals", "data": {"id": "2"}}])
    with pytest.raises(ValueError, match=r"line 3: unknown stream 'deals'"):
        load_workspace_from_jsonl(path)


@pytest.mark.parametrize("line,message", [
    ("{not json", "line 2: not a JSON line"),
    ('{"stream": "tags"}', "line 2: expected"),
    ('{"stream": "contacts", "data": {"email": "x@example.com"}}', "line 2: a contacts record needs an id"),
    ('{"stream": "conversation_parts", "data": {"id": "9"}}',
     "line 2: a conversation_parts record needs a conversation_id"),
    ('{"stream": "company_segments", "data": {"id": "9"}}', "line 2: a company_segments record needs a company_id"),
])
def test_malformed_lines_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = _write(tmp_path / "bad.jsonl", [{"stream": "tags", "data": {"id": "1"}}, line])
    with pytest.raises(ValueError, match=message):
        load_workspace_from_jsonl(path)


def test_airbyte_messages_and_duplicate_ids(tmp_path: Path) -> None:
    """Full Airbyte RECORD messages are accepted, other messages skipped; a later version of a record wins."""
    contact = {"type": "contact", "id": "a", "role": "lead", "created_at": 10, "updated_at": 10}
    path = _write(tmp_path / "airbyte.jsonl", [
        {"type": "LOG", "log": {"level": "INFO", "message": "starting"}},
        {"type": "RECORD", "record": {"stream": "contacts", "data": contact, "emitted_at": 1}},
        {"stream": "contacts", "data": {**contact, "id": "b"}},
        {"type": "RECORD", "record": {"stream": "contacts", "data": {**contact, "role": "user", "updated_at": 20},
                                      "emitted_at": 2}},
        {"type": "STATE", "state": {"type": "STREAM"}},
    ])
    ws = load_workspace_from_jsonl(path)
    assert [(c["id"], c["role"]) for c in ws.contacts] == [("a", "user"), ("b", "lead")]
    assert ws.now == 20


def test_time_travel_is_refused_on_a_replayed_workspace(tmp_path: Path, workspace: Workspace) -> None:
    path = tmp_path / "w.jsonl"
    dump_workspace_to_jsonl(workspace, path)
    with SimulatorServer(load_workspace_from_jsonl(path)) as sim:
        with pytest.raises(ValueError, match="loaded from a file"):
            sim.advance(60)
        client = Client(sim)
        resp = client.post("/_sim/advance", {"seconds": 60})
        assert resp.status == 400
        assert client.get("/_sim/health").json()["replayed"] is True
        client.close()
