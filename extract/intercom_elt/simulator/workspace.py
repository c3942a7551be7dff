"""The workspace: every stream's records in Intercom 2.11 wire shape.

Concurrency model: records are never mutated once served. A change (time
travel, :meth:`Workspace.restore`) builds new lists holding new record
objects for what changed, and publishes them all at once under a lock;
readers take a :meth:`Workspace.snapshot` (a shallow copy made under the same
lock), so a request sees the whole old state or the whole new one, never a
mix. Unchanged records are shared between states, so a snapshot costs one
list of references per stream.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .metrics import DEFAULT_OFFICE_HOURS, OfficeHours, contact_funnel
from .records import plain

STREAMS = (
    "activity_logs", "admins", "tags", "teams", "segments", "companies", "company_attributes",
    "contact_attributes", "contacts", "conversations", "conversation_parts", "company_segments",
    "tickets",
)
# What time travel or a restore may replace (besides the indexes and the version).
_MUTABLE = ("now", "contacts", "companies", "conversations", "counters", "_ground_truth")


class Workspace:
    """An Intercom workspace at one moment (``now``).

    Records are dict-like: plain dicts, :class:`~.records.ContactRecord`
    (contacts of a generated workspace) or, for conversations,
    :class:`~.conversation.Conversation` objects whose ``record`` is the
    list-item mapping. Use :meth:`expected_records` for plain dicts.

    Args and attributes:
        now: the workspace clock (Unix seconds); no timestamp is later.
        seed: generator seed (0 for a replayed workspace).
        scale: preset name (``replay`` for a workspace loaded from a file).
        app_id: the workspace id (``app_id`` / ``workspace_id`` in records).
        admins, teams, tags, segments, companies, contacts, activity_logs,
            tickets: the records.
        company_segments: company id → ids of its segments.
        data_attributes: model (``company``/``contact``) → data attributes.
        conversations: conversations in id order.
        activity_logs: ascending by ``created_at``.
        office_hours: office hours used by business-hours metrics.
        active_days: the funnel's "active" window in days.
        ground_truth: explicit ground truth; None (the default) computes it
            from the conversations and contacts on first access.
        version: bumped on every change so servers can drop caches.
        counters: next ids for time travel (``part``, ``source``, ``conversation``).
        company_segment_records: company id → its segment records as given
            (a replayed file); overrides ``company_segments`` lookups.
        replayed: True when loaded from a file (time travel is refused).
    """

    def __init__(
        self, *, now: int, seed: int, scale: str, app_id: str, admins: list[Any], teams: list[Any],
        tags: list[Any], segments: list[Any], companies: list[Any], company_segments: dict[str, list[str]],
        data_attributes: dict[str, list[Any]], contacts: list[Any], conversations: list[Any],
        activity_logs: list[Any], tickets: list[Any], office_hours: OfficeHours = DEFAULT_OFFICE_HOURS,
        active_days: int = 30, ground_truth: dict[str, dict[str, Any]] | None = None, version: int = 0,
        counters: dict[str, int] | None = None,
        company_segment_records: dict[str, list[dict[str, Any]]] | None = None, replayed: bool = False,
    ) -> None:
        self.now, self.seed, self.scale, self.app_id = now, seed, scale, app_id
        self.admins, self.teams, self.tags, self.segments = admins, teams, tags, segments
        self.companies, self.company_segments = companies, company_segments
        self.data_attributes, self.contacts, self.conversations = data_attributes, contacts, conversations
        self.activity_logs, self.tickets = activity_logs, tickets
        self.office_hours, self.active_days = office_hours, active_days
        self._ground_truth = ground_truth
        # (version, ground truth), shared with every snapshot so one computation serves all
        self._gt_box: list[tuple[int, dict[str, dict[str, Any]]] | None] = [None]
        self.version = version
        self.counters = dict(counters or {})
        self.company_segment_records = company_segment_records
        self.replayed = replayed
        self._lock = threading.Lock()  # guards publishing and snapshots
        self.write_lock = threading.RLock()  # serializes writers (time travel, restore)
        self.reindex()

    # ------------------------------------------------------------ indexes
    def _indexes(self, **data: Any) -> dict[str, Any]:
        get = lambda name: data.get(name, getattr(self, name, None))  # noqa: E731
        return {
            "contacts_by_id": {c["id"]: c for c in get("contacts")},
            "companies_by_id": {c["id"]: c for c in get("companies")},
            "segments_by_id": {s["id"]: s for s in get("segments")},
            "conversations_by_id": {c.id: c for c in get("conversations")},
            "admins_by_id": {a["id"]: a for a in get("admins")},
        }

    def reindex(self) -> None:
        """Rebuild the id lookups (after constructing or replacing record lists)."""
        indexes = self._indexes()
        with self._lock:
            self.__dict__.update(indexes)

    # --------------------------------------------------- snapshot/publish
    def snapshot(self) -> Workspace:
        """A consistent read-only view of the current state (cheap: shares every record)."""
        view = object.__new__(Workspace)
        with self._lock:
            view.__dict__.update(self.__dict__)
        return view

    def publish(self, **changes: Any) -> None:
        """Replace some of ``now``, ``contacts``, ``companies``, ``conversations``, ``counters``.

        Rebuilds the indexes, bumps the version and swaps everything in at
        once. The new lists must not be mutated afterwards. Call with
        :attr:`write_lock` held when changes derive from the current state.

        Raises:
            ValueError: for an attribute that cannot be published.
        """
        unknown = set(changes) - set(_MUTABLE)
        if unknown:
            raise ValueError(f"cannot publish {', '.join(sorted(unknown))}")
        indexes = self._indexes(**changes)
        with self._lock:
            self.__dict__.update(changes)
            self.__dict__.update(indexes)
            self.version += 1

    def restore(self, pristine: Workspace) -> None:
        """Put back the state of an earlier :meth:`snapshot` (the version still moves on)."""
        with self.write_lock:
            self.publish(**{name: getattr(pristine, name) for name in _MUTABLE})

    def segments_of(self, company_id: str) -> list[Any]:
        """Segment records of one company (``GET /companies/{id}/segments``)."""
        if self.company_segment_records is not None:
            return self.company_segment_records.get(company_id, [])
        return [self.segments_by_id[s] for s in self.company_segments.get(company_id, [])]

    # -------------------------------------------------------- ground truth
    @property
    def ground_truth(self) -> dict[str, dict[str, Any]]:
        """``{"conversations": {id: metrics}, "contacts": {id: funnel}}``.

        Computed from the conversations' metrics and the contacts on first
        access and cached until the next change. A workspace loaded from a
        file has none (``{}``): its statistics are what the file says.
        """
        if self._ground_truth is not None:
            return self._ground_truth
        if self.replayed:
            return {}
        cached = self._gt_box[0]
        if cached is not None and cached[0] == self.version:
            return cached[1]
        conv_metrics = {c.id: c.metrics for c in self.conversations}
        truth = {
            "conversations": conv_metrics,
            "contacts": contact_funnel(
                self.contacts,
                {c.id: c.contact_ids for c in self.conversations},
                conv_metrics,
                active_days=self.active_days,
            ),
        }
        self._gt_box[0] = (self.version, truth)
        return truth

    @ground_truth.setter
    def ground_truth(self, value: dict[str, dict[str, Any]] | None) -> None:
        self._ground_truth = value

    def refresh_ground_truth(self) -> None:
        """Recompute the ground truth now (it is otherwise computed on first access)."""
        self._gt_box[0] = None
        _ = self.ground_truth

    def write_ground_truth(self, path: str | Path) -> Path:
        """Write the ground truth as JSON.

        Args:
            path: a file path, or a directory to write ``ground_truth.json`` into.

        Returns:
            The file written.
        """
        target = Path(path)
        if target.is_dir():
            target = target / "ground_truth.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "seed": self.seed, "scale": self.scale, "now": self.now,
            "office_hours": {
                "timezone": self.office_hours.timezone,
                "weekly": {str(k): [list(w) for w in v] for k, v in self.office_hours.weekly.items()},
            },
            "active_days": self.active_days,
            **self.ground_truth,
        }
        target.write_text(json.dumps(payload, indent=1, sort_keys=True))
        return target

    # ---------------------------------------------------- expected output
    def iter_expected_records(self, stream_name: str) -> Iterator[dict[str, Any]]:
        """Like :meth:`expected_records`, one plain dict at a time (for large workspaces)."""
        simple: dict[str, Sequence[Any]] = {
            "activity_logs": self.activity_logs, "admins": self.admins, "tags": self.tags,
            "teams": self.teams, "segments": self.segments, "companies": self.companies,
            "contacts": self.contacts, "tickets": self.tickets,
            "company_attributes": self.data_attributes.get("company", []),
            "contact_attributes": self.data_attributes.get("contact", []),
        }
        if stream_name in simple:
            return (plain(r) for r in simple[stream_name])
        if stream_name == "conversations":
            return (plain(c.record) for c in self.conversations)
        if stream_name == "conversation_parts":
            return ({**p, "conversation_id": c.id} for c in self.conversations for p in c.visible_parts())
        if stream_name == "company_segments":
            # One row per (company, segment): a segment belongs to many companies.
            return ({**plain(s), "company_id": company["id"]}
                    for company in self.companies for s in self.segments_of(company["id"]))
        raise KeyError(f"unknown stream {stream_name!r}; expected one of {', '.join(STREAMS)}")

    def expected_records(self, stream_name: str) -> list[dict[str, Any]]:
        """What a connector reading ``stream_name`` from the beginning should emit.

        Args:
            stream_name: one of :data:`STREAMS`.

        Returns:
            Plain wire dicts; conversation parts (the 500 most recent per
            conversation) carry ``conversation_id`` (a string here; the
            connector emits it as an integer); company segments carry
            ``company_id``.

        Raises:
            KeyError: for an unknown stream.
        """
        return list(self.iter_expected_records(stream_name))

    def __repr__(self) -> str:
        return (f"Workspace(scale={self.scale!r}, seed={self.seed}, now={self.now}, version={self.version}, "
                f"contacts={len(self.contacts)}, conversations={len(self.conversations)})")

