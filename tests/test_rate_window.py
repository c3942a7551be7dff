"""The API budget's window follows Intercom's headers only when they describe it."""

from __future__ import annotations

import datetime

import pytest
from airbyte_cdk.sources.streams.call_rate import CallRateLimitHit, FixedWindowCallRatePolicy

from intercom_elt import rate_window

PERIOD = datetime.timedelta(seconds=10)


def _policy(call_limit: int = 5) -> FixedWindowCallRatePolicy:
    """Built as the CDK's manifest factory builds it: the first reset 10 days out."""
    rate_window.install()
    return FixedWindowCallRatePolicy(
        next_reset_ts=datetime.datetime.now() + datetime.timedelta(days=10),
        period=PERIOD, call_limit=call_limit, matchers=[],
    )


def _spend(policy: FixedWindowCallRatePolicy, calls: int) -> None:
    for _ in range(calls):
        policy.try_acquire(object(), weight=1)


def _wait_after_spending(policy: FixedWindowCallRatePolicy) -> datetime.timedelta:
    with pytest.raises(CallRateLimitHit) as hit:
        _spend(policy, 100)
    return hit.value.time_to_wait


def test_without_headers_a_spent_window_waits_one_period_at_most() -> None:
    assert _wait_after_spending(_policy()) <= PERIOD


def test_a_header_for_this_window_sets_its_reset_and_calls_left() -> None:
    policy = _policy()
    reset = datetime.datetime.now() + datetime.timedelta(seconds=3)
    policy.update(available_calls=1, call_reset_ts=reset)
    _spend(policy, 1)
    assert _wait_after_spending(policy) <= datetime.timedelta(seconds=3)


@pytest.mark.parametrize("seconds", [-4, 25, 86_400])
def test_a_header_for_another_window_is_ignored(seconds: int) -> None:
    # -4: a slow answer from the window before; 25 or a day: a clock out of step.
    policy = _policy()
    _spend(policy, 3)
    policy.update(available_calls=0,
                  call_reset_ts=datetime.datetime.now() + datetime.timedelta(seconds=seconds))
    _spend(policy, 2)  # the window's own count stands: 3 spent, 2 left
    assert _wait_after_spending(policy) <= PERIOD
