"""Conversations as compact event lists, and their Intercom wire shapes.

A conversation keeps its parts as small :class:`Event` tuples; the wire dicts
(list item, full object with capped parts) are derived from them on demand,
so large workspaces stay compact and every derived field (state, assignees,
``updated_at``, ``statistics``) is computed in one place.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .metrics import (
    ASSIGNMENT_TYPES,
    CONTACT_AUTHOR_TYPES,
    DEFAULT_OFFICE_HOURS,
    OfficeHours,
    conversation_metrics,
    is_admin_reply,
    is_contact_message,
    statistics_object,
)

PART_CAP = 500
STATE_BY_PART = {
    "close": "closed",
    "open": "open",
    "assign_and_reopen": "open",
    "unsnoozed": "open",
    "snoozed": "snoozed",
}


class Event(NamedTuple):
    """One conversation part, compactly."""

    id: str
    created_at: int
    updated_at: int
    part_type: str
    author_type: str
    author_id: str
    author_name: str | None
    author_email: str
    body: str | None
    assigned_to: tuple[str, str] | None = None  # (type, id) of the new assignee
    snoozed_until: int | None = None


class Conversation:
    """A conversation: immutable header fields, its events and derived record.

    Attributes:
        id: numeric-string id.
        created_at: creation time.
        contact_ids: ids of the conversation's contacts.
        header: wire fields that do not derive from events (source, tags, ...).
        events: parts in chronological order.
        record: the derived list-item wire dict (no ``conversation_parts``).
        metrics: the ground-truth metrics of the conversation.
    """

    __slots__ = ("id", "created_at", "contact_ids", "header", "events", "record", "metrics")

    def __init__(
        self, *, id: str, created_at: int, contact_ids: tuple[str, ...], header: dict[str, Any],
        events: list[Event],
    ) -> None:
        self.id = id
        self.created_at = created_at
        self.contact_ids = contact_ids
        self.header = header
        self.events = events
        self.record: dict[str, Any] = {}
        self.metrics: dict[str, Any] = {}

    @property
    def visible_events(self) -> list[Event]:
        """The most recent 500 parts, in chronological order (the API cap)."""
        return self.events[-PART_CAP:]

    def refresh(self, office_hours: OfficeHours = DEFAULT_OFFICE_HOURS) -> None:
        """Recompute metrics and the derived wire record from the events."""
        source_author = self.header["source"]["author"]["type"]
        self.metrics = conversation_metrics(
            created_at=self.created_at,
            source_author_type=source_author,
            parts=self.events,
            count_parts=len(self.visible_events),
            office_hours=office_hours,
        )
        self.metrics["count_parts_total"] = len(self.events)
        self.record = _derive_record(self, source_author)
        self.metrics["state"] = self.record["state"]
        self.metrics["updated_at"] = self.record["updated_at"]

    def full_record(self) -> dict[str, Any]:
        """The ``GET /conversations/{id}`` body: record plus capped parts."""
        parts = [render_part(e) for e in self.visible_events]
        return {
            **self.record,
            "conversation_parts": {
                "type": "conversation_part.list",
                "conversation_parts": parts,
                "total_count": len(parts),
            },
        }


def render_part(e: Event) -> dict[str, Any]:
    """Render one event as an Intercom ``conversation_part``."""
    return {
        "type": "conversation_part",
        "id": e.id,
        "part_type": e.part_type,
        "body": e.body,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
        "notified_at": e.created_at,
        "assigned_to": None if e.assigned_to is None else {"type": e.assigned_to[0], "id": e.assigned_to[1]},
        "author": {"type": e.author_type, "id": e.author_id, "name": e.author_name, "email": e.author_email},
        "attachments": [],
        "external_id": None,
        "redacted": False,
    }


def _derive_record(conv: Conversation, source_author: str) -> dict[str, Any]:
    state, snoozed_until = "open", None
    admin_assignee: int | None = None
    team_assignee: int | None = None
    waiting_since: int | None = conv.created_at if source_author in CONTACT_AUTHOR_TYPES else None
    teammates: dict[str, None] = {}
    if conv.header["source"]["author"]["type"] == "admin":
        teammates[conv.header["source"]["author"]["id"]] = None
    for e in conv.events:
        new_state = STATE_BY_PART.get(e.part_type)
        if new_state is not None:
            state = new_state
            snoozed_until = e.snoozed_until if new_state == "snoozed" else None
        if e.part_type in ASSIGNMENT_TYPES and e.assigned_to is not None:
            kind, ref = e.assigned_to
            if kind == "admin":
                admin_assignee = int(ref)
            else:
                team_assignee, admin_assignee = int(ref), None
        if is_contact_message(e):
            waiting_since = waiting_since or e.created_at
        elif is_admin_reply(e):
            waiting_since = None
        if e.author_type == "admin":
            teammates[e.author_id] = None
    if state == "closed":
        waiting_since = None
    last_update = max((e.updated_at for e in conv.events), default=conv.created_at)
    fcr = conv.metrics["first_contact_reply_at"]
    header = conv.header
    return {
        "type": "conversation",
        "id": conv.id,
        "title": header["title"],
        "created_at": conv.created_at,
        "updated_at": max(conv.created_at, last_update),
        "waiting_since": waiting_since,
        "snoozed_until": snoozed_until,
        "open": state != "closed",
        "state": state,
        "read": header["read"],
        "priority": header["priority"],
        "admin_assignee_id": admin_assignee,
        "team_assignee_id": team_assignee,
        "tags": header["tags"],
        "conversation_rating": header["conversation_rating"],
        "source": header["source"],
        "contacts": header["contacts"],
        "teammates": {"type": "admin.list", "admins": [{"type": "admin", "id": a} for a in teammates]},
        "custom_attributes": header["custom_attributes"],
        "first_contact_reply": None
        if fcr is None
        else {"created_at": fcr, "type": header["source"]["type"], "url": None},
        "sla_applied": None,
        "statistics": statistics_object(conv.metrics, total_parts=len(conv.events)),
        "topics": {"type": "topic.list", "topics": [], "total_count": 0},
        "linked_objects": header["linked_objects"],
        "ai_agent_participated": header["ai_agent_participated"],
        "ai_agent": None,
    }
