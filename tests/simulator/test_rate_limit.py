"""Rate limiting: per-10-second windows, integer headers, 429 envelope."""

from __future__ import annotations

from intercom_elt.simulator.state import RateLimiter


def test_headers_are_integers_and_count_down(client, sim) -> None:
    sim.set_rate_limit(600)  # 100 per 10-second window
    first = client.get("/tags")
    second = client.get("/tags")
    assert first.headers["x-ratelimit-limit"] == "100"
    assert int(second.headers["x-ratelimit-remaining"]) == int(first.headers["x-ratelimit-remaining"]) - 1 \
        or second.headers["x-ratelimit-remaining"] == "99"  # a window boundary may fall between
    assert int(first.headers["x-ratelimit-reset"]) % 10 == 0


def test_429_after_the_window_quota(client, sim) -> None:
    sim.set_rate_limit(60)  # 10 per window
    statuses = [client.get("/tags") for _ in range(25)]
    limited = [r for r in statuses if r.status == 429]
    assert limited, "the window's quota must run out"
    resp = limited[0]
    assert resp.headers["x-ratelimit-remaining"] == "0" and resp.headers["x-ratelimit-limit"] == "10"
    assert resp.json()["errors"] == [{"code": "rate_limit_exceeded", "message": "Exceeded rate limit of 10 in 10_seconds"}]


def test_unlimited_still_sends_headers(client, sim) -> None:
    sim.set_rate_limit(0)
    resp = client.get("/tags")
    assert resp.status == 200
    limit, remaining = int(resp.headers["x-ratelimit-limit"]), int(resp.headers["x-ratelimit-remaining"])
    assert limit > 0 and remaining / limit > 0.5


def test_window_resets_with_fake_clock() -> None:
    now = [1_000.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    results = [limiter.hit() for _ in range(11)]
    assert [ok for ok, _ in results] == [True] * 10 + [False]
    assert results[9][1]["X-RateLimit-Remaining"] == "0"
    assert results[0][1]["X-RateLimit-Reset"] == "1010"
    now[0] = 1_010.0
    ok, headers = limiter.hit()
    assert ok and headers["X-RateLimit-Remaining"] == "9" and headers["X-RateLimit-Reset"] == "1020"


def test_quota_is_spread_over_six_windows() -> None:
    assert RateLimiter(10_000).limit == 1666
    assert RateLimiter(1_000).limit == 166
