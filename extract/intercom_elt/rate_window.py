"""Intercom's 10-second rate-limit window, kept safely in step with its headers.

The manifest's API budget is the CDK's `FixedWindowCallRatePolicy`, which takes the
calls left and the window's reset time from every response's `X-RateLimit-*` headers.
Taken as they come, three things go wrong:

* The CDK starts the first window 10 days out and waits for a header to correct it:
  behind a proxy that drops the headers, the sync would stop for 10 days once the
  window's calls are spent.
* A slow answer from the previous window moves the reset time back, which zeroes the
  current window's count, and its `Remaining: 0` blocks a window it does not describe.
* A local clock ahead of Intercom's by a window or more sees every reset in the past.

So the first window ends one period from now, and a header counts only when its reset
lies within the next period; otherwise it describes another window and is ignored.
"""

from __future__ import annotations

import datetime
from typing import Any

_MARKER = "_intercom_elt_in_step"


def install() -> None:
    """Patch `FixedWindowCallRatePolicy` (idempotent)."""
    from airbyte_cdk.sources.streams.call_rate import (  # noqa: PLC0415  # slow import
        FixedWindowCallRatePolicy,
    )

    if getattr(FixedWindowCallRatePolicy.update, _MARKER, False):
        return
    original_init = FixedWindowCallRatePolicy.__init__
    original_update = FixedWindowCallRatePolicy.update

    def __init__(self: Any, next_reset_ts: datetime.datetime, period: datetime.timedelta,
                 *args: Any, **kwargs: Any) -> None:
        original_init(self, min(next_reset_ts, datetime.datetime.now() + period), period,
                      *args, **kwargs)

    def update(self: Any, available_calls: int | None,
               call_reset_ts: datetime.datetime | None) -> None:
        if call_reset_ts is not None:
            now = datetime.datetime.now()
            if not now < call_reset_ts <= now + self._offset:
                return  # another window's news: a late answer, or a skewed clock
        original_update(self, available_calls, call_reset_ts)

    setattr(update, _MARKER, True)
    FixedWindowCallRatePolicy.__init__ = __init__
    FixedWindowCallRatePolicy.update = update
