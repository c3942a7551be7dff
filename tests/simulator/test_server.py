"""HTTP surface: auth, wrappers, pagination, per-resource errors, control plane."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlsplit

import pytest

from intercom_elt.simulator import DEMO_TOKEN, SimulatorServer, Workspace, generate_workspace
from intercom_elt.simulator.metrics import conversation_metrics, parts_from_wire


@pytest.mark.parametrize("token", [None, "wrong", ""])
def test_bad_token_gets_401_without_rate_limit_headers(client, token) -> None:
    resp = client.get("/admins", token=token)
    assert resp.status == 401
    body = resp.json()
    assert body["type"] == "error.list" and body["errors"] == [{"code": "unauthorized", "message": "Access Token Invalid"}]
    assert "request_id" in body
    assert not any(h.startswith("x-ratelimit") for h in resp.headers)


def test_basic_scheme_is_rejected(client) -> None:
    resp = client.get("/admins", token=None, headers={"Authorization": f"Basic {DEMO_TOKEN}"})
    assert resp.status == 401


@pytest.mark.parametrize("path,list_type,key,stream", [
    ("/admins", "admin.list", "admins", "admins"),
    ("/teams", "team.list", "teams", "teams"),
    ("/tags", "list", "data", "tags"),
    ("/segments", "segment.list", "segments", "segments"),
    ("/data_attributes?model=company", "list", "data", "company_attributes"),
    ("/data_attributes?model=contact", "list", "data", "contact_attributes"),
])
def test_unpaginated_lists(client, workspace: Workspace, path, list_type, key, stream) -> None:
    resp = client.get(path)
    assert resp.status == 200 and resp.headers["content-type"] == "application/json"
    body = resp.json()
    assert body["type"] == list_type
    assert body[key] == workspace.expected_records(stream)


def test_unknown_query_params_and_any_version_are_accepted(client, workspace: Workspace) -> None:
    resp = client.get("/segments?per_page=150&include_count=false", headers={"Intercom-Version": "2.1"})
    assert resp.status == 200 and len(resp.json()["segments"]) == len(workspace.segments)


def test_rate_limit_headers_on_every_authenticated_response(client) -> None:
    for resp in (client.get("/tags"), client.get("/nope"), client.get("/conversations/0")):
        for name in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
            assert resp.headers[name].isdigit(), (name, resp.status)


def test_unknown_path_is_404_envelope(client) -> None:
    resp = client.get("/contacts/unknown/thing")
    assert resp.status == 404 and resp.json()["errors"][0]["code"] == "not_found"


def test_data_attributes_bad_model(client) -> None:
    assert client.get("/data_attributes?model=ticket").status == 400


def test_company_segments(client, workspace: Workspace) -> None:
    for company in workspace.companies:
        body = client.get(f"/companies/{company['id']}/segments").json()
        assert body["type"] == "list"
        assert [s["id"] for s in body["data"]] == workspace.company_segments[company["id"]]
    resp = client.get("/companies/000000000000000000000000/segments")
    assert resp.status == 404 and resp.json()["errors"][0]["code"] == "company_not_found"


def test_every_conversation_matches_ground_truth_over_http(client, workspace: Workspace) -> None:
    truth = workspace.ground_truth["conversations"]
    for conv in workspace.conversations:
        body = client.get(f"/conversations/{conv.id}").json()
        parts = body["conversation_parts"]
        assert parts["type"] == "conversation_part.list"
        assert parts["total_count"] == len(parts["conversation_parts"]) == min(500, len(conv.events))
        assert body["statistics"]["count_conversation_parts"] == len(conv.events) + 1
        times = [p["created_at"] for p in parts["conversation_parts"]]
        assert times == sorted(times)
        m = conversation_metrics(created_at=body["created_at"], source_author_type=body["source"]["author"]["type"],
                                 parts=parts_from_wire(parts["conversation_parts"]))
        assert m == {k: v for k, v in truth[conv.id].items() if k in m}


def test_part_cap_keeps_the_most_recent_500(client, workspace: Workspace) -> None:
    long = next(c for c in workspace.conversations if len(c.events) > 500)
    body = client.get(f"/conversations/{long.id}").json()
    ids = [p["id"] for p in body["conversation_parts"]["conversation_parts"]]
    assert ids == [e.id for e in long.events[-500:]]
    assert body["conversation_parts"]["total_count"] == 500
    assert body["statistics"]["count_conversation_parts"] == len(long.events) + 1


def test_unknown_conversation_is_404(client) -> None:
    assert client.get("/conversations/999999").status == 404


def test_activity_logs_pages_follow_the_host_header(client, workspace: Workspace, sim) -> None:
    start, end = workspace.now - 400 * 86_400, workspace.now
    path = f"/admins/activity_logs?created_at_after={start}&created_at_before={end}"
    seen, pages = [], 0
    alias = f"localhost:{sim.port}"
    while path:
        resp = client.get(path, headers={"Host": alias})
        body = resp.json()
        assert resp.status == 200 and body["type"] == "activity_log.list"
        seen.extend(body["activity_logs"])
        pages += 1
        nxt = body["pages"]["next"]
        if nxt:
            parts = urlsplit(nxt)
            assert parts.netloc == alias and parts.path == "/admins/activity_logs"
            assert f"created_at_after={start}" in parts.query and f"created_at_before={end}" in parts.query
            path = f"{parts.path}?{parts.query}"
        else:
            path = None
    expected = [log for log in workspace.activity_logs if start <= log["created_at"] <= end]
    assert sorted(x["id"] for x in seen) == sorted(x["id"] for x in expected)
    assert pages == -(-len(expected) // 20)


def test_activity_logs_require_created_at_after(client) -> None:
    resp = client.get("/admins/activity_logs")
    assert resp.status == 400 and resp.json()["type"] == "error.list"


def test_request_log_and_control_plane(client, sim: SimulatorServer) -> None:
    client.get("/tags")
    client.post("/contacts/search", {"pagination": {"per_page": 1}})
    log = sim.request_log.entries()
    assert [(e.method, e.path, e.status) for e in log] == [("GET", "/tags", 200), ("POST", "/contacts/search", 200)]
    assert log[1].body == {"pagination": {"per_page": 1}}
    via_http = json.loads(urllib.request.urlopen(sim.url + "_sim/requests").read())
    assert len(via_http["requests"]) == 2
    health = json.loads(urllib.request.urlopen(sim.url + "_sim/health").read())
    assert health["ok"] and health["counts"]["conversations"] == 300
    urllib.request.urlopen(urllib.request.Request(sim.url + "_sim/reset", data=b"{}", method="POST"))
    assert len(sim.request_log) == 0


def test_server_lifecycle_and_url() -> None:
    ws = generate_workspace(seed=3)
    server = SimulatorServer(ws)
    with server:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        req = urllib.request.Request(server.url + "tags", headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
        assert json.loads(urllib.request.urlopen(req).read())["type"] == "list"
