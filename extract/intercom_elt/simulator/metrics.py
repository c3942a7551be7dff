"""Conversation and contact metric rules: the single source of ground truth.

The generator fills each conversation's ``statistics`` object and the
workspace's ``ground_truth`` with these functions, so the two always agree.
The dbt marts implement the same rules independently in SQL.

Rules (parts ordered by ``(created_at, id)``):

* contact message: the conversation ``source`` when its author type is a
  contact type, or a ``comment`` part authored by a contact type
  (``user``, ``lead``, ``contact``).
* admin reply: a part authored by ``admin`` (never ``bot``) that is a
  ``comment``, or an assignment-type part whose body is non-blank. Notes
  never count.
* ``first_admin_reply_at``, assignments and reopens only count strictly after
  ``first_contact_reply_at``; admin closes count at any time.
* ``median_time_to_reply_seconds``: walk the messages in order, remembering
  the latest unanswered contact message; each admin reply after
  ``first_contact_reply_at`` that has one pending contributes the gap to it
  and clears it. Median via :func:`statistics.median` (mean of the two
  middle values when even, so it may be a ``.5`` float).
* business-hours durations count only seconds inside office hours
  (default Monday-Friday 09:00-17:00, time zone ``UTC``).

Intercom's own ``statistics`` object reports durations as integers that
exclude out-of-office time; :func:`statistics_object` therefore puts the
business-hours values in ``time_to_admin_reply``, ``time_to_first_close``
and ``time_to_last_close``, the wall-clock first-assignment delay in
``time_to_assignment``, and ``int()`` of the wall-clock median in
``median_time_to_reply``.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

CONTACT_AUTHOR_TYPES = frozenset({"user", "lead", "contact"})
ASSIGNMENT_TYPES = frozenset(
    {"assignment", "default_assignment", "assign_and_reopen", "away_mode_assignment"}
)
REOPEN_TYPES = frozenset({"open", "assign_and_reopen"})
DAY = 86_400


class PartLike(Protocol):
    """The attributes of a conversation part the metric rules read."""

    id: Any
    created_at: int
    part_type: str
    author_type: str
    author_id: str
    body: str | None


@dataclass(frozen=True, slots=True)
class PartView:
    """A minimal, read-only view of one conversation part."""

    id: str
    created_at: int
    part_type: str
    author_type: str
    author_id: str
    body: str | None


def parts_from_wire(parts: Iterable[Mapping[str, Any]]) -> list[PartView]:
    """Convert API-shaped part dicts into :class:`PartView` objects.

    Args:
        parts: ``conversation_parts`` items as the API returns them.

    Returns:
        The parts as views, in the order given.
    """
    return [
        PartView(
            id=str(p["id"]),
            created_at=int(p["created_at"]),
            part_type=p["part_type"],
            author_type=(p.get("author") or {}).get("type", ""),
            author_id=str((p.get("author") or {}).get("id", "")),
            body=p.get("body"),
        )
        for p in parts
    ]


# ---------------------------------------------------------------- office hours


@dataclass(frozen=True)
class OfficeHours:
    """Weekly office hours in one IANA time zone.

    Attributes:
        weekly: weekday (0 = Monday) → list of ``("HH:MM", "HH:MM")`` intervals.
        timezone: IANA zone name, e.g. ``"UTC"`` or ``"Europe/Dublin"``.
    """

    weekly: Mapping[int, Sequence[tuple[str, str]]] = field(
        default_factory=lambda: {d: [("09:00", "17:00")] for d in range(5)}
    )
    timezone: str = "UTC"

    def __hash__(self) -> int:  # frozen dataclass with a dict field
        return hash((tuple(sorted((k, tuple(v)) for k, v in self.weekly.items())), self.timezone))


DEFAULT_OFFICE_HOURS = OfficeHours()


def _hm(text: str) -> dt.time:
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


@lru_cache(maxsize=200_000)
def _day_windows(day_ordinal: int, hours: OfficeHours) -> tuple[tuple[int, int], ...]:
    """Office-hour windows of one local calendar day as UTC epoch ranges."""
    zone = ZoneInfo(hours.timezone)
    day = dt.date.fromordinal(day_ordinal)
    out = []
    for start, end in hours.weekly.get(day.weekday(), ()):
        lo = dt.datetime.combine(day, _hm(start), zone).timestamp()
        if end in ("24:00", "00:00"):
            hi = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), zone).timestamp()
        else:
            hi = dt.datetime.combine(day, _hm(end), zone).timestamp()
        out.append((int(lo), int(hi)))
    return tuple(out)


def business_seconds(
    start: int | None, end: int | None, hours: OfficeHours = DEFAULT_OFFICE_HOURS
) -> int | None:
    """Seconds inside office hours between two instants.

    Args:
        start: Unix seconds (inclusive).
        end: Unix seconds (exclusive).
        hours: the office hours to count.

    Returns:
        The count, 0 when ``end <= start``, or None when either bound is None.
    """
    if start is None or end is None:
        return None
    if end <= start:
        return 0
    zone = ZoneInfo(hours.timezone)
    first = dt.datetime.fromtimestamp(start, zone).date().toordinal()
    last = dt.datetime.fromtimestamp(end, zone).date().toordinal()
    total = 0
    for ordinal in range(first, last + 1):
        for lo, hi in _day_windows(ordinal, hours):
            overlap = min(hi, end) - max(lo, start)
            if overlap > 0:
                total += overlap
    return total


# -------------------------------------------------------------- conversations


def is_contact_message(part: PartLike) -> bool:
    """True for a comment written by a contact."""
    return part.part_type == "comment" and part.author_type in CONTACT_AUTHOR_TYPES


def is_admin_reply(part: PartLike) -> bool:
    """True for an admin comment or an admin assignment that carries a body."""
    if part.author_type != "admin":
        return False
    if part.part_type == "comment":
        return True
    return part.part_type in ASSIGNMENT_TYPES and bool(part.body and part.body.strip())


def _sorted(parts: Iterable[PartLike]) -> list[PartLike]:
    return sorted(parts, key=lambda p: (p.created_at, _id_key(p.id)))


def _id_key(value: Any) -> tuple[int, str]:
    text = str(value)
    return (len(text), text)


def _diff(later: int | None, earlier: int | None) -> int | None:
    if later is None or earlier is None:
        return None
    return later - earlier


def conversation_metrics(
    *,
    created_at: int,
    source_author_type: str,
    parts: Iterable[PartLike],
    count_parts: int | None = None,
    office_hours: OfficeHours = DEFAULT_OFFICE_HOURS,
) -> dict[str, Any]:
    """Compute every ground-truth metric of one conversation.

    Args:
        created_at: the conversation's ``created_at``.
        source_author_type: ``source.author.type``.
        parts: the conversation parts (any order).
        count_parts: number of parts the API returns; defaults to ``len(parts)``.
        office_hours: office hours for the business-hours durations.

    Returns:
        A dict of timestamps (int or None), counts and durations in seconds.
    """
    ordered = _sorted(parts)
    source_is_contact = source_author_type in CONTACT_AUTHOR_TYPES
    contact_times = [p.created_at for p in ordered if is_contact_message(p)]
    if source_is_contact:
        contact_times.insert(0, created_at)
    fcr = min(contact_times) if contact_times else None
    after = [p for p in ordered if fcr is not None and p.created_at > fcr]

    admin_replies = [p.created_at for p in after if is_admin_reply(p)]
    assignments = [p.created_at for p in after if p.part_type in ASSIGNMENT_TYPES]
    admin_closes = [p for p in ordered if p.part_type == "close" and p.author_type == "admin"]
    bot_closes = [p for p in ordered if p.part_type == "close" and p.author_type == "bot"]
    reopens = [p for p in after if p.part_type in REOPEN_TYPES]

    far = admin_replies[0] if admin_replies else None
    first_close = admin_closes[0].created_at if admin_closes else None
    last_close = admin_closes[-1].created_at if admin_closes else None
    last_assignment = assignments[-1] if assignments else None
    median = _median_time_to_reply(created_at, source_is_contact, ordered, fcr)
    last_assign_reply = (
        next((t for t in admin_replies if t > last_assignment), None)
        if last_assignment is not None
        else None
    )
    return {
        "first_contact_reply_at": fcr,
        "last_contact_reply_at": max(contact_times) if contact_times else None,
        "first_admin_reply_at": far,
        "last_admin_reply_at": admin_replies[-1] if admin_replies else None,
        "time_to_first_admin_reply_seconds": _diff(far, fcr),
        "time_to_first_admin_reply_business_seconds": business_seconds(fcr, far, office_hours),
        "first_assignment_at": assignments[0] if assignments else None,
        "last_assignment_at": last_assignment,
        "last_assignment_admin_reply_at": last_assign_reply,
        "count_assignments": len(assignments),
        "time_to_first_assignment_seconds": _diff(assignments[0] if assignments else None, fcr),
        "first_close_at": first_close,
        "last_close_at": last_close,
        "last_closed_by_id": admin_closes[-1].author_id if admin_closes else None,
        "count_admin_closes": len(admin_closes),
        "count_bot_closes": len(bot_closes),
        "count_reopens": len(reopens),
        "count_parts": len(ordered) if count_parts is None else count_parts,
        "time_to_first_close_seconds": _diff(first_close, fcr),
        "time_to_last_close_seconds": _diff(last_close, fcr),
        "time_to_first_close_business_seconds": business_seconds(fcr, first_close, office_hours),
        "time_to_last_close_business_seconds": business_seconds(fcr, last_close, office_hours),
        "median_time_to_reply_seconds": median,
    }


def _median_time_to_reply(
    created_at: int, source_is_contact: bool, ordered: Sequence[PartLike], fcr: int | None
) -> float | int | None:
    if fcr is None:
        return None
    pending: int | None = created_at if source_is_contact else None
    gaps: list[int] = []
    for part in ordered:
        if is_contact_message(part):
            pending = part.created_at  # latest unanswered contact message wins
        elif is_admin_reply(part) and part.created_at > fcr and pending is not None:
            gaps.append(part.created_at - pending)
            pending = None
    if not gaps:
        return None
    return pystats.median(gaps)


def statistics_object(metrics: Mapping[str, Any], *, total_parts: int) -> dict[str, Any]:
    """Render Intercom's ``conversation_statistics`` object from metrics.

    Args:
        metrics: the output of :func:`conversation_metrics`.
        total_parts: all parts of the conversation, before the 500 cap.

    Returns:
        The wire-shaped statistics dict.
    """
    median = metrics["median_time_to_reply_seconds"]
    return {
        "type": "conversation_statistics",
        "time_to_assignment": metrics["time_to_first_assignment_seconds"],
        "time_to_admin_reply": metrics["time_to_first_admin_reply_business_seconds"],
        "time_to_first_close": metrics["time_to_first_close_business_seconds"],
        "time_to_last_close": metrics["time_to_last_close_business_seconds"],
        "median_time_to_reply": None if median is None else int(median),
        "first_contact_reply_at": metrics["first_contact_reply_at"],
        "first_assignment_at": metrics["first_assignment_at"],
        "first_admin_reply_at": metrics["first_admin_reply_at"],
        "first_close_at": metrics["first_close_at"],
        "last_assignment_at": metrics["last_assignment_at"],
        "last_assignment_admin_reply_at": metrics["last_assignment_admin_reply_at"],
        "last_contact_reply_at": metrics["last_contact_reply_at"],
        "last_admin_reply_at": metrics["last_admin_reply_at"],
        "last_close_at": metrics["last_close_at"],
        "last_closed_by_id": metrics["last_closed_by_id"],
        "count_reopens": metrics["count_reopens"],
        "count_assignments": metrics["count_assignments"],
        "count_conversation_parts": total_parts + 1,  # Intercom counts the source too
    }


# ------------------------------------------------------------------- contacts


def contact_funnel(
    contacts: Sequence[Mapping[str, Any]],
    conversation_contacts: Mapping[str, Sequence[str]],
    conversation_metrics_by_id: Mapping[str, Mapping[str, Any]],
    *,
    active_days: int = 30,
) -> dict[str, dict[str, Any]]:
    """Compute the funnel stages of every contact.

    Args:
        contacts: wire-shaped contact dicts.
        conversation_contacts: conversation id → ids of its ``contacts``.
        conversation_metrics_by_id: conversation id → :func:`conversation_metrics`.
        active_days: a contact is active when seen within this many days of
            ``as_of`` (the newest contact ``updated_at``).

    Returns:
        contact id → ``{created_at, engaged_at, answered_at, converted_at,
        signed_up_at, last_seen_at, role, as_of, is_active}``.
    """
    engaged: dict[str, int] = {}
    answered: dict[str, int] = {}
    for conv_id, contact_ids in conversation_contacts.items():
        m = conversation_metrics_by_id[conv_id]
        for cid in contact_ids:
            _keep_min(engaged, cid, m["first_contact_reply_at"])
            _keep_min(answered, cid, m["first_admin_reply_at"])
    as_of = max((c["updated_at"] for c in contacts), default=None)
    out: dict[str, dict[str, Any]] = {}
    for c in contacts:
        signed = c.get("signed_up_at")
        if signed is not None:
            converted = signed
        elif c["role"] == "user":
            converted = c["created_at"]
        else:
            converted = None
        seen = c.get("last_seen_at")
        out[c["id"]] = {
            "created_at": c["created_at"],
            "role": c["role"],
            "engaged_at": engaged.get(c["id"]),
            "answered_at": answered.get(c["id"]),
            "signed_up_at": signed,
            "converted_at": converted,
            "last_seen_at": seen,
            "as_of": as_of,
            "is_active": seen is not None and as_of is not None and seen >= as_of - active_days * DAY,
        }
    return out


def _keep_min(target: dict[str, int], key: str, value: int | None) -> None:
    if value is not None and (key not in target or value < target[key]):
        target[key] = value
