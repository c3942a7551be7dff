"""The companies scroll state machine (notes §6)."""

from __future__ import annotations

import time

import pytest

from conftest import Client

from intercom_elt.simulator import Workspace
from intercom_elt.simulator.errors import ApiError
from intercom_elt.simulator.state import ScrollRegistry


def test_full_scroll_same_token_then_empty_page_frees_the_slot(client, workspace: Workspace, sim) -> None:
    sim.scroll.page_size = 15
    try:
        first = client.get("/companies/scroll").json()
        token = first["scroll_param"]
        assert first["type"] == "list" and first["pages"] is None and first["total_count"] is None
        seen = [c["id"] for c in first["data"]]
        while True:
            body = client.get(f"/companies/scroll?scroll_param={token}").json()
            assert body["scroll_param"] == token  # same token on every page
            if not body["data"]:
                break
            seen.extend(c["id"] for c in body["data"])
        assert seen == [c["id"] for c in workspace.companies]
        # the slot is free again: a new scroll opens with a new token
        again = client.get("/companies/scroll").json()
        assert again["scroll_param"] != token
        # ... and the finished token is gone
        assert client.get(f"/companies/scroll?scroll_param={token}").status == 404
    finally:
        sim.scroll.page_size = 100


def test_default_page_size_is_100(client, workspace: Workspace) -> None:
    assert len(client.get("/companies/scroll").json()["data"]) == min(100, len(workspace.companies))


def test_second_scroll_while_open_is_400_scroll_exists(client) -> None:
    assert client.get("/companies/scroll").status == 200
    resp = client.get("/companies/scroll")
    assert resp.status == 400
    assert resp.json()["errors"][0] == {"code": "scroll_exists", "message": "scroll already exists for this workspace"}


def test_idle_scroll_expires(client, sim) -> None:
    sim.set_scroll_expiry(0.2)
    token = client.get("/companies/scroll").json()["scroll_param"]
    time.sleep(0.3)
    resp = client.get(f"/companies/scroll?scroll_param={token}")
    assert resp.status == 404 and resp.json()["errors"][0]["code"] == "not_found"
    assert client.get("/companies/scroll").status == 200  # expired scroll no longer blocks


def test_idle_scroll_expires_while_per_company_calls_keep_arriving(client, sim) -> None:
    """The connector's companies → company_segments pattern with a tiny expiry.

    Per-company ``GET /companies/{id}/segments`` calls between scroll pages do
    not keep the scroll alive: only a scroll request does. Quick calls leave
    it live; calls that outlast the expiry (from two connections) let it
    expire, and the next page is a 404 ``not_found``.
    """
    sim.scroll.page_size = 10
    sim.set_scroll_expiry(0.8)
    other = Client(sim)
    try:
        first = client.get("/companies/scroll").json()
        token = first["scroll_param"]
        for company in first["data"]:  # quick: well within the expiry
            assert client.get(f"/companies/{company['id']}/segments").status == 200
        second = client.get(f"/companies/scroll?scroll_param={token}")
        assert second.status == 200 and second.json()["data"]

        idle_since = time.monotonic()
        calls = 0
        while time.monotonic() - idle_since < 1.1:  # slow per-company work, past the expiry
            for company in second.json()["data"]:
                assert client.get(f"/companies/{company['id']}/segments").status == 200
                assert other.get(f"/companies/{company['id']}/segments").status == 200
                calls += 2
        assert calls >= 20
        assert sim.scroll.open_token is None  # expired although requests kept arriving

        resp = client.get(f"/companies/scroll?scroll_param={token}")
        assert resp.status == 404 and resp.json()["errors"][0]["code"] == "not_found"
        assert any(e.path.endswith("/segments") for e in sim.request_log.entries()[-5:-1])
        restarted = client.get("/companies/scroll")  # the expired scroll no longer holds the slot
        assert restarted.status == 200 and restarted.json()["scroll_param"] != token
    finally:
        other.close()
        sim.scroll.page_size = 100


def test_unknown_token_is_404(client) -> None:
    assert client.get("/companies/scroll?scroll_param=00000000-0000-4000-8000-000000000000").status == 404


def test_registry_with_fake_clock() -> None:
    now = [0.0]
    reg = ScrollRegistry(expiry_seconds=60, page_size=2, clock=lambda: now[0])
    token, page = reg.open(list("abcde"))
    assert list(page) == ["a", "b"]
    now[0] = 59.0
    with pytest.raises(ApiError) as err:
        reg.open(list("xyz"))
    assert err.value.code == "scroll_exists"
    assert list(reg.next_page(token)) == ["c", "d"]  # using it refreshes the idle timer
    now[0] = 118.0
    assert list(reg.next_page(token)) == ["e"]
    now[0] = 178.5
    with pytest.raises(ApiError) as err:
        reg.next_page(token)
    assert err.value.status == 404
    token2, _ = reg.open(list("ab"))
    assert token2 != token
