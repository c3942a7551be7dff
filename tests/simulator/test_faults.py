"""Fault injection: every fault is a real HTTP response with the error envelope."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from intercom_elt.simulator import Faults, Workspace
from intercom_elt.simulator.faults import SCROLL_500_MESSAGE


def _error(resp) -> dict:
    body = resp.json()
    assert body["type"] == "error.list"
    assert resp.headers["x-ratelimit-limit"].isdigit()
    return body["errors"][0]


def test_all_off_by_default(sim) -> None:
    assert sim.faults == Faults()


def test_latency(client, sim) -> None:
    sim.set_faults(latency_ms=150)
    start = time.perf_counter()
    assert client.get("/tags").status == 200
    assert time.perf_counter() - start >= 0.15


def test_forced_5xx_then_recovery(client, sim) -> None:
    sim.set_faults(force_5xx=3, error_statuses=[502])
    statuses = [client.get("/tags").status for _ in range(4)]
    assert statuses == [502, 502, 502, 200]


def test_random_5xx_limited_to_paths(client, sim) -> None:
    sim.set_faults(error_rate_5xx=1.0, error_paths=["/tags"])
    resp = client.get("/tags")
    assert resp.status in (500, 502, 503) and _error(resp)["code"] == "server_error"
    assert client.get("/admins").status == 200


def test_random_5xx_is_deterministic_given_a_seed(client, sim) -> None:
    runs = []
    for _ in range(2):
        sim.set_faults(error_rate_5xx=0.5, seed=11)
        runs.append([client.get("/tags").status for _ in range(20)])
    assert runs[0] == runs[1] and len(set(runs[0])) > 1


def test_deleted_conversation_and_company(client, sim, workspace: Workspace) -> None:
    conv_id, company_id = workspace.conversations[0].id, workspace.companies[0]["id"]
    sim.set_faults(deleted_conversation_ids=[conv_id], deleted_company_ids=[company_id])
    resp = client.get(f"/conversations/{conv_id}")
    assert resp.status == 404 and _error(resp)["code"] == "not_found"
    resp = client.get(f"/companies/{company_id}/segments")
    assert resp.status == 404 and _error(resp)["code"] == "company_not_found"
    assert client.get(f"/conversations/{workspace.conversations[1].id}").status == 200


def test_tickets_only_401(client, sim) -> None:
    sim.set_faults(tickets_unauthorized=True)
    resp = client.post("/tickets/search", {})
    assert resp.status == 401 and resp.json()["errors"][0]["code"] == "unauthorized"
    assert client.post("/contacts/search", {}).status == 200


def test_plan_restricted_403(client, sim) -> None:
    sim.set_faults(plan_restricted=True, plan_restricted_paths=["/admins/activity_logs"])
    resp = client.get("/admins/activity_logs?created_at_after=0")
    assert resp.status == 403
    assert _error(resp) == {"code": "api_plan_restricted", "message": "Active subscription needed."}
    assert client.get("/admins").status == 200


def test_forced_429(client, sim) -> None:
    sim.set_faults(force_429=2)
    first, second, third = (client.get("/tags") for _ in range(3))
    assert (first.status, second.status, third.status) == (429, 429, 200)
    assert first.headers["x-ratelimit-remaining"] == "0"
    assert _error(first)["code"] == "rate_limit_exceeded"


def test_forced_429_only_on_its_paths(client, sim) -> None:
    sim.set_faults(force_429=1, rate_limit_paths=["/admins"])
    assert client.get("/tags").status == 200
    assert [client.get("/admins").status for _ in range(2)] == [429, 200]


def test_truncated_body_keeps_a_valid_content_length(client, sim) -> None:
    sim.set_faults(truncate_rate=1.0)
    resp = client.get("/admins")
    assert resp.status == 200 and int(resp.headers["content-length"]) == len(resp.raw)
    with pytest.raises(ValueError):
        json.loads(resp.raw)


@pytest.mark.parametrize("closes", [True, False])
def test_scroll_500_restart(client, sim, closes: bool) -> None:
    token = client.get("/companies/scroll").json()["scroll_param"]
    sim.set_faults(scroll_fail_next=1, scroll_500_closes=closes)
    resp = client.get(f"/companies/scroll?scroll_param={token}")
    assert resp.status == 500 and resp.json()["errors"][0]["message"] == SCROLL_500_MESSAGE
    restart = client.get("/companies/scroll")
    assert restart.status == (200 if closes else 400)


def test_faults_over_http(sim, client) -> None:
    req = urllib.request.Request(sim.url + "_sim/faults", data=json.dumps({"force_5xx": 1}).encode(), method="POST")
    assert json.loads(urllib.request.urlopen(req).read())["force_5xx"] == 1
    assert client.get("/tags").status >= 500
    bad = urllib.request.Request(sim.url + "_sim/faults", data=b'{"nope": 1}', method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(bad)
    assert err.value.code == 400
