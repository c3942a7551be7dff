"""Time travel: the clock moves, records change consistently, deterministically."""

from __future__ import annotations

import json
import urllib.request

from intercom_elt.simulator import SimulatorServer, generate_workspace
from intercom_elt.simulator.metrics import conversation_metrics, parts_from_wire

import test_generator as generator_checks  # reuse the invariants (module import: not re-collected)
import test_metrics as metric_checks


def test_advance_is_deterministic() -> None:
    a, b = generate_workspace(seed=5), generate_workspace(seed=5)
    from intercom_elt.simulator.timetravel import advance

    ra, rb = advance(a, 86_400 * 3, fraction=0.05, seed=9), advance(b, 86_400 * 3, fraction=0.05, seed=9)
    assert ra == rb
    assert generator_checks._fingerprint(a) == generator_checks._fingerprint(b)


def test_advance_keeps_everything_consistent() -> None:
    ws = generate_workspace(seed=6)
    before = {c.id: (len(c.events), c.record["updated_at"]) for c in ws.conversations}
    old_max_part = max(int(e.id) for c in ws.conversations for e in c.events)
    old_now = ws.now
    sim = SimulatorServer(ws)
    result = sim.advance(5 * 86_400, fraction=0.05, seed=1)
    assert ws.now == old_now + 5 * 86_400 == result["now"]
    assert result["changed"]["conversations"] and result["created"]["conversations"]
    assert result["changed"]["contacts"] and result["changed"]["companies"] and result["new_parts"] > 0
    for conv in ws.conversations:
        if conv.id in result["changed"]["conversations"]:
            new = conv.events[before[conv.id][0]:]
            assert new and all(old_now < e.created_at <= ws.now and int(e.id) > old_max_part for e in new)
            assert conv.record["updated_at"] > old_now
        elif conv.id in before:
            assert (len(conv.events), conv.record["updated_at"]) == before[conv.id]
    for cid in result["changed"]["contacts"]:
        assert ws.contacts_by_id[cid]["updated_at"] > old_now
    generator_checks.test_conversation_consistency(ws)
    metric_checks.test_statistics_agree_with_ground_truth(ws)
    assert set(ws.ground_truth["contacts"]) == {c["id"] for c in ws.contacts}


def test_advance_over_http_invalidates_caches() -> None:
    ws = generate_workspace(seed=8)
    with SimulatorServer(ws, rate_limit_per_minute=None) as sim:
        headers = {"Authorization": "Bearer sim-demo-token", "Content-Type": "application/json"}

        def call(method: str, path: str, body: object = None) -> dict:
            data = None if body is None else json.dumps(body).encode()
            req = urllib.request.Request(sim.url.rstrip("/") + path, data=data, method=method, headers=headers)
            return json.loads(urllib.request.urlopen(req).read())

        old_now = ws.now
        query = {"query": {"field": "updated_at", "operator": ">", "value": old_now - 1},
                 "pagination": {"per_page": 150}}
        assert call("POST", "/conversations/search", query)["total_count"] == 0
        result = call("POST", "/_sim/advance", {"seconds": 4 * 86_400, "fraction": 0.05, "seed": 2})
        found = call("POST", "/conversations/search", query)
        ids = {c["id"] for c in found["conversations"]}
        assert set(result["changed"]["conversations"]) | set(result["created"]["conversations"]) <= ids
        conv_id = result["changed"]["conversations"][0]
        body = call("GET", f"/conversations/{conv_id}")
        m = conversation_metrics(created_at=body["created_at"], source_author_type=body["source"]["author"]["type"],
                                 parts=parts_from_wire(body["conversation_parts"]["conversation_parts"]))
        truth = ws.ground_truth["conversations"][conv_id]
        assert m == {k: v for k, v in truth.items() if k in m}
        assert body["updated_at"] > old_now
