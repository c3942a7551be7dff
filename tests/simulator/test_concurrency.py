"""Concurrent readers during time travel, and reset restoring the generated workspace."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import defaultdict
from typing import Any

from conftest import Client

from intercom_elt.simulator import STREAMS, SimulatorServer, generate_workspace
from intercom_elt.simulator import timetravel

THREADS = 40


def _states(sim: SimulatorServer) -> dict[str, tuple[int, int]]:
    """Each conversation's (count_conversation_parts, updated_at) in the current state."""
    return {c.id: (c.record["statistics"]["count_conversation_parts"], c.record["updated_at"])
            for c in sim.workspace.conversations}


def test_readers_see_whole_old_or_new_conversations_while_time_travel_runs() -> None:
    """40 threads read conversations and search pages while advance() swaps in new states.

    Every response must be valid JSON; a conversation's statistics must
    agree with the parts in the same response; and every conversation seen
    (full or in a search page) must be exactly one of the states the
    workspace went through, never a mix of two.
    """
    ws = generate_workspace(seed=9)
    observed: list[tuple[str, tuple[int, int]]] = []
    errors: list[str] = []
    counts: dict[str, int] = defaultdict(int)
    valid: dict[str, set[tuple[int, int]]] = defaultdict(set)
    stop = threading.Event()
    with SimulatorServer(ws, rate_limit_per_minute=None) as sim:
        for cid, state in _states(sim).items():
            valid[cid].add(state)
        ids = list(valid)

        def worker(n: int) -> None:
            rng = random.Random(n)
            client = Client(sim)
            seen: list[tuple[str, tuple[int, int]]] = []
            try:
                while not stop.is_set():
                    if rng.random() < 0.6:
                        cid = rng.choice(ids)
                        resp = client.get(f"/conversations/{cid}")
                        body = json.loads(resp.raw)
                        assert resp.status == 200, (resp.status, body)
                        parts = body["conversation_parts"]
                        count = body["statistics"]["count_conversation_parts"]
                        assert parts["total_count"] == len(parts["conversation_parts"]) == min(500, count - 1), cid
                        newest = max([body["created_at"], *(p["updated_at"] for p in parts["conversation_parts"])])
                        assert body["updated_at"] == newest, cid
                        seen.append((cid, (count, body["updated_at"])))
                        counts["get"] += 1
                    else:
                        search: dict[str, Any] = {"sort": {"field": "updated_at", "order": "descending"},
                                                  "pagination": {"per_page": 50}}
                        for _ in range(rng.randint(1, 3)):
                            resp = client.post("/conversations/search", search)
                            body = json.loads(resp.raw)
                            assert resp.status == 200, (resp.status, body)
                            for conv in body["conversations"]:
                                seen.append((conv["id"], (conv["statistics"]["count_conversation_parts"],
                                                          conv["updated_at"])))
                            counts["search"] += 1
                            nxt = body["pages"].get("next")
                            if not nxt:
                                break
                            search["pagination"]["starting_after"] = nxt["starting_after"]
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(f"thread {n}: {exc!r}")
            finally:
                client.close()
                observed.extend(seen)

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(THREADS)]
        try:
            for t in threads:
                t.start()
            advances = 0
            deadline = time.monotonic() + 3.0
            while time.monotonic() < deadline and advances < 6:
                time.sleep(0.2)
                sim.advance(6 * 3600, fraction=0.4, seed=advances)  # many conversations change
                advances += 1
                for cid, state in _states(sim).items():
                    valid[cid].add(state)
            time.sleep(0.2)
        finally:
            stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not errors, errors[:5]
    assert advances >= 3 and counts["get"] > 200 and counts["search"] > 50, (advances, dict(counts))
    mixed = [(cid, state) for cid, state in observed if state not in valid[cid]]
    assert not mixed, f"{len(mixed)} conversations seen in no published state, e.g. {mixed[:3]}"
    assert any(len(v) > 1 for v in valid.values()), "time travel should have changed conversations"


def test_a_request_served_in_the_middle_of_advance_sees_the_old_state(monkeypatch) -> None:
    """Deterministic: serve conversations from inside advance(), right after each one got new parts.

    Before the copy-on-write change this returned the old record with the
    new parts (a mix); now nothing is visible until the whole new state is
    published at once.
    """
    ws = generate_workspace(seed=10)
    before = {c.id: c.full_record() for c in ws.conversations}
    with SimulatorServer(ws, rate_limit_per_minute=None) as sim:
        client = Client(sim)
        served: list[tuple[str, dict[str, Any]]] = []
        original = timetravel._continue_conversation

        def continue_then_fetch(conv: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(conv, *args, **kwargs)
            served.append((conv.id, client.get(f"/conversations/{conv.id}").json()))
            return result

        monkeypatch.setattr(timetravel, "_continue_conversation", continue_then_fetch)
        result = sim.advance(86_400, fraction=0.2, seed=4)
        after = client.get(f"/conversations/{result['changed']['conversations'][0]}").json()
        client.close()
    assert len(served) == round(0.2 * len(before)) and result["changed"]["conversations"]
    for conv_id, body in served:
        assert body == before[conv_id], conv_id
    assert after["statistics"]["count_conversation_parts"] > \
        before[after["id"]]["statistics"]["count_conversation_parts"]


def test_reset_restores_the_workspace_as_generated() -> None:
    ws = generate_workspace(seed=12)
    fresh = generate_workspace(seed=12)
    with SimulatorServer(ws, rate_limit_per_minute=None) as sim:
        client = Client(sim)
        before = client.get(f"/conversations/{ws.conversations[0].id}").raw
        sim.advance(86_400, fraction=0.5, seed=1)
        assert ws.now == fresh.now + 86_400 and len(ws.contacts) > len(fresh.contacts)
        version = ws.version

        sim.reset()  # Python API
        assert ws.now == fresh.now and ws.version > version
        for stream in STREAMS:
            assert ws.expected_records(stream) == fresh.expected_records(stream), stream
        assert ws.ground_truth == fresh.ground_truth
        assert client.get(f"/conversations/{ws.conversations[0].id}").raw == before

        sim.advance(3600, fraction=0.2, seed=2)
        advanced = ws.expected_records("contacts")
        kept = client.post("/_sim/reset", {"workspace": False}).json()  # control plane: keep the data
        assert kept["now"] == fresh.now + 3600 and ws.expected_records("contacts") == advanced
        reset = client.post("/_sim/reset", {}).json()  # control plane: restore
        assert reset["now"] == fresh.now
        assert client.get("/_sim/health").json()["counts"]["contacts"] == len(fresh.contacts)
        assert ws.expected_records("conversations") == fresh.expected_records("conversations")
        assert client.post("/_sim/reset", {"workspace": "yes"}).status == 400
        client.close()
