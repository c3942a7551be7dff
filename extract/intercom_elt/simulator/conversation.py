"""Conversations as compact event lists, and their Intercom wire shapes.

A generated conversation does not keep its parts: it keeps a small
:class:`Recipe` (its own random seed, its contact and its first part id) and
replays its script whenever the parts or the header are needed, which gives
exactly the same events every time. Its metrics and the few derived record
fields (state, assignees, ``updated_at`` ...) are computed once and kept as
tuples, so listing and searching never replay. Conversations changed by time
travel keep their events explicitly instead.

A conversation is never mutated once it is served: :meth:`Conversation.refresh`
is for objects that are not published yet, and time travel publishes new
objects. Every derived field (state, assignees, ``updated_at``,
``statistics``) is computed in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
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
# The keys of metrics.conversation_metrics, in order (stored as a tuple).
METRIC_KEYS = (
    "first_contact_reply_at", "last_contact_reply_at", "first_admin_reply_at", "last_admin_reply_at",
    "time_to_first_admin_reply_seconds", "time_to_first_admin_reply_business_seconds",
    "first_assignment_at", "last_assignment_at", "last_assignment_admin_reply_at", "count_assignments",
    "time_to_first_assignment_seconds", "first_close_at", "last_close_at", "last_closed_by_id",
    "count_admin_closes", "count_bot_closes", "count_reopens", "count_parts",
    "time_to_first_close_seconds", "time_to_last_close_seconds", "time_to_first_close_business_seconds",
    "time_to_last_close_business_seconds", "median_time_to_reply_seconds",
)
_METRIC_INDEX = {k: i for i, k in enumerate(METRIC_KEYS)}


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


class PlayContext:
    """What every lazily replayed conversation of one generated workspace shares.

    Attributes:
        play: ``play(recipe, created_at) -> (header, events)``.
        cast, tags, now, office_hours: the script's inputs at generation time.
        contacts: the contacts as generated (recipes index into it; time
            travel publishes new lists and leaves this one alone).
    """

    __slots__ = ("play", "cast", "tags", "now", "office_hours", "contacts")

    def __init__(self, *, play: Callable[[Recipe, int], tuple[dict[str, Any], list[Event]]], cast: Any,
                 tags: Sequence[Mapping[str, Any]], now: int, office_hours: OfficeHours,
                 contacts: Sequence[Mapping[str, Any]]) -> None:
        self.play, self.cast, self.tags, self.now = play, cast, tags, now
        self.office_hours, self.contacts = office_hours, contacts


class Recipe(NamedTuple):
    """How to replay one generated conversation's script."""

    seed: int
    contact: int  # index into context.contacts
    others: tuple[int, ...]
    kind: str
    long: bool
    first_part_id: int
    source_id: int
    context: PlayContext


class _Derived(NamedTuple):
    state: str
    snoozed_until: int | None
    admin_assignee_id: int | None
    team_assignee_id: int | None
    waiting_since: int | None
    updated_at: int
    teammates: tuple[str, ...]


class Conversation:
    """A conversation: header fields, its events, metrics and derived record.

    Attributes:
        id: numeric-string id.
        created_at: creation time.
        contact_ids: ids of the conversation's contacts.
        n_events: number of parts (before the 500 cap).
        record: the list-item wire record (no ``conversation_parts``), a
            read-only mapping rendered on demand (``record.to_dict()``).
    """

    __slots__ = ("id", "created_at", "contact_ids", "n_events", "record", "_recipe", "_header", "_events",
                 "_metrics", "_derived")

    def __init__(
        self, *, id: str, created_at: int, contact_ids: tuple[str, ...], header: dict[str, Any],
        events: list[Event],
    ) -> None:
        self.id = id
        self.created_at = created_at
        self.contact_ids = contact_ids
        self.n_events = len(events)
        self._recipe: Recipe | None = None
        self._header: dict[str, Any] | None = header
        self._events: list[Event] | None = events
        self._metrics: tuple[Any, ...] | None = None
        self._derived: _Derived | None = None
        self.record = ConversationRecord(self)

    @classmethod
    def replayable(
        cls, *, id: str, created_at: int, contact_ids: tuple[str, ...], header: dict[str, Any],
        events: list[Event], recipe: Recipe, office_hours: OfficeHours = DEFAULT_OFFICE_HOURS,
    ) -> Conversation:
        """Compute metrics from freshly played ``header``/``events``, then keep only ``recipe``."""
        conv = cls(id=id, created_at=created_at, contact_ids=contact_ids, header=header, events=events)
        conv.refresh(office_hours)
        conv._recipe, conv._header, conv._events = recipe, None, None
        return conv

    # ------------------------------------------------------------- access
    def played(self) -> tuple[dict[str, Any], list[Event]]:
        """``(header, events)``; replays the script of a generated conversation."""
        recipe = self._recipe
        if recipe is None:
            return self._header, self._events  # type: ignore[return-value]
        return recipe.context.play(recipe, self.created_at)

    @property
    def header(self) -> dict[str, Any]:
        """Wire fields that do not derive from events (source, tags, ...)."""
        return self.played()[0]

    @property
    def events(self) -> list[Event]:
        """All parts in chronological order (do not mutate)."""
        return self.played()[1]

    @property
    def visible_events(self) -> list[Event]:
        """The most recent 500 parts, in chronological order (the API cap)."""
        return self.events[-PART_CAP:]

    @property
    def metrics(self) -> dict[str, Any]:
        """The ground-truth metrics of the conversation (a new dict)."""
        if self._metrics is None:
            return {}
        out = dict(zip(METRIC_KEYS, self._metrics))
        out["count_parts_total"] = self.n_events
        out["state"] = self._derived.state  # type: ignore[union-attr]
        out["updated_at"] = self._derived.updated_at  # type: ignore[union-attr]
        return out

    def metric(self, key: str) -> Any:
        """One metric, without building the dict."""
        return self._metrics[_METRIC_INDEX[key]]  # type: ignore[index]

    @property
    def updated_at(self) -> int:
        """The record's ``updated_at``."""
        return self._derived.updated_at  # type: ignore[union-attr]

    # ------------------------------------------------------------ compute
    def refresh(self, office_hours: OfficeHours = DEFAULT_OFFICE_HOURS) -> None:
        """Recompute metrics and derived fields (only before the object is served)."""
        header, events = self.played()
        source_author = header["source"]["author"]["type"]
        m = conversation_metrics(
            created_at=self.created_at,
            source_author_type=source_author,
            parts=events,
            count_parts=min(len(events), PART_CAP),
            office_hours=office_hours,
        )
        self.n_events = len(events)
        self._metrics = tuple(m[k] for k in METRIC_KEYS)
        self._derived = _derive(self.created_at, header, events)

    # ---------------------------------------------------------- rendering
    def record_dict(self, header: dict[str, Any] | None = None) -> dict[str, Any]:
        """The list-item wire dict (a new dict; nested header objects are shared)."""
        header = self.header if header is None else header
        d = self._derived
        assert d is not None and self._metrics is not None, "refresh() first"
        fcr = self._metrics[0]
        return {
            "type": "conversation",
            "id": self.id,
            "title": header["title"],
            "created_at": self.created_at,
            "updated_at": d.updated_at,
            "waiting_since": d.waiting_since,
            "snoozed_until": d.snoozed_until,
            "open": d.state != "closed",
            "state": d.state,
            "read": header["read"],
            "priority": header["priority"],
            "admin_assignee_id": d.admin_assignee_id,
            "team_assignee_id": d.team_assignee_id,
            "tags": header["tags"],
            "conversation_rating": header["conversation_rating"],
            "source": header["source"],
            "contacts": header["contacts"],
            "teammates": _teammates(d),
            "custom_attributes": header["custom_attributes"],
            "first_contact_reply": None
            if fcr is None
            else {"created_at": fcr, "type": header["source"]["type"], "url": None},
            "sla_applied": None,
            "statistics": self.statistics(),
            "topics": {"type": "topic.list", "topics": [], "total_count": 0},
            "linked_objects": header["linked_objects"],
            "ai_agent_participated": header["ai_agent_participated"],
            "ai_agent": None,
        }

    def statistics(self) -> dict[str, Any]:
        """The wire ``statistics`` object."""
        metrics = dict(zip(METRIC_KEYS, self._metrics))  # type: ignore[arg-type]
        return statistics_object(metrics, total_parts=self.n_events)

    def visible_parts(self) -> list[dict[str, Any]]:
        """The capped parts as wire dicts, oldest first."""
        return [render_part(e) for e in self.events[-PART_CAP:]]

    def full_record(self) -> dict[str, Any]:
        """The ``GET /conversations/{id}`` body: record plus capped parts."""
        header, events = self.played()
        parts = [render_part(e) for e in events[-PART_CAP:]]
        return {
            **self.record_dict(header),
            "conversation_parts": {
                "type": "conversation_part.list",
                "conversation_parts": parts,
                "total_count": len(parts),
            },
        }

    def __repr__(self) -> str:
        return f"Conversation(id={self.id!r}, n_events={self.n_events}, lazy={self._recipe is not None})"


class RecordedConversation:
    """A conversation loaded from a file: its record and parts served as given.

    Nothing is derived: ``statistics`` and every other field are what the
    file says; ``GET /conversations/{id}`` adds the file's parts (in file
    order, the last 500).
    """

    __slots__ = ("id", "created_at", "contact_ids", "record", "parts")

    def __init__(self, record: dict[str, Any], parts: list[dict[str, Any]]) -> None:
        self.id = str(record["id"])
        self.record = record
        self.parts = parts
        self.created_at = record.get("created_at")
        contacts = record.get("contacts") or {}
        refs = contacts.get("contacts") if isinstance(contacts, dict) else None
        self.contact_ids = tuple(str(c.get("id")) for c in refs or () if isinstance(c, dict))

    @property
    def n_events(self) -> int:
        """Number of parts in the file."""
        return len(self.parts)

    @property
    def metrics(self) -> dict[str, Any]:
        """Unknown for a recorded conversation: empty."""
        return {}

    @property
    def updated_at(self) -> Any:
        """The record's ``updated_at``."""
        return self.record.get("updated_at")

    def visible_parts(self) -> list[dict[str, Any]]:
        """The last 500 parts as given."""
        return self.parts[-PART_CAP:]

    def full_record(self) -> dict[str, Any]:
        """The record plus its parts from the file."""
        parts = self.parts[-PART_CAP:]
        return {**self.record, "conversation_parts": {
            "type": "conversation_part.list", "conversation_parts": parts, "total_count": len(parts)}}


class ConversationRecord(Mapping[str, Any]):
    """The read-only list-item record of a :class:`Conversation`.

    Keys that derive from the stored metrics and state (``id``, ``updated_at``,
    ``state``, ``statistics`` ...) are answered without replaying the
    conversation; the others render the whole record.
    """

    __slots__ = ("_conv",)

    def __init__(self, conv: Conversation) -> None:
        self._conv = conv

    def to_dict(self) -> dict[str, Any]:
        """The wire dict."""
        return self._conv.record_dict()

    def __getitem__(self, key: str) -> Any:
        cheap = _CHEAP.get(key)
        if cheap is not None:
            return cheap(self._conv)
        if key not in _RECORD_KEYS:
            raise KeyError(key)
        return self._conv.record_dict()[key]

    def get(self, key: str, default: Any = None) -> Any:  # faster than Mapping.get
        cheap = _CHEAP.get(key)
        if cheap is not None:
            return cheap(self._conv)
        if key not in _RECORD_KEYS:
            return default
        return self._conv.record_dict()[key]

    def __contains__(self, key: object) -> bool:
        return key in _RECORD_KEYS

    def __iter__(self) -> Iterator[str]:
        return iter(_RECORD_KEYS)

    def __len__(self) -> int:
        return len(_RECORD_KEYS)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self.to_dict() == (other.to_dict() if isinstance(other, ConversationRecord) else dict(other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ConversationRecord(id={self._conv.id!r})"


def _teammates(d: _Derived) -> dict[str, Any]:
    return {"type": "admin.list", "admins": [{"type": "admin", "id": a} for a in d.teammates]}


_CHEAP: dict[str, Callable[[Conversation], Any]] = {
    "type": lambda c: "conversation",
    "id": lambda c: c.id,
    "created_at": lambda c: c.created_at,
    "updated_at": lambda c: c._derived.updated_at,  # type: ignore[union-attr]
    "waiting_since": lambda c: c._derived.waiting_since,  # type: ignore[union-attr]
    "snoozed_until": lambda c: c._derived.snoozed_until,  # type: ignore[union-attr]
    "open": lambda c: c._derived.state != "closed",  # type: ignore[union-attr]
    "state": lambda c: c._derived.state,  # type: ignore[union-attr]
    "admin_assignee_id": lambda c: c._derived.admin_assignee_id,  # type: ignore[union-attr]
    "team_assignee_id": lambda c: c._derived.team_assignee_id,  # type: ignore[union-attr]
    "teammates": lambda c: _teammates(c._derived),  # type: ignore[arg-type]
    "statistics": lambda c: c.statistics(),
    "sla_applied": lambda c: None,
    "topics": lambda c: {"type": "topic.list", "topics": [], "total_count": 0},
    "ai_agent": lambda c: None,
}
_RECORD_KEYS = (
    "type", "id", "title", "created_at", "updated_at", "waiting_since", "snoozed_until", "open", "state",
    "read", "priority", "admin_assignee_id", "team_assignee_id", "tags", "conversation_rating", "source",
    "contacts", "teammates", "custom_attributes", "first_contact_reply", "sla_applied", "statistics",
    "topics", "linked_objects", "ai_agent_participated", "ai_agent",
)


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


def _derive(created_at: int, header: dict[str, Any], events: Sequence[Event]) -> _Derived:
    source_author = header["source"]["author"]
    state, snoozed_until = "open", None
    admin_assignee: int | None = None
    team_assignee: int | None = None
    waiting_since: int | None = created_at if source_author["type"] in CONTACT_AUTHOR_TYPES else None
    teammates: dict[str, None] = {}
    if source_author["type"] == "admin":
        teammates[source_author["id"]] = None
    for e in events:
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
    last_update = max((e.updated_at for e in events), default=created_at)
    return _Derived(state, snoozed_until, admin_assignee, team_assignee, waiting_since,
                    max(created_at, last_update), tuple(teammates))
