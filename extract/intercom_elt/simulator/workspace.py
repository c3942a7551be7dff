"""The generated workspace: every stream's records in Intercom 2.11 wire shape."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .conversation import Conversation, render_part
from .metrics import DEFAULT_OFFICE_HOURS, OfficeHours, contact_funnel

STREAMS = (
    "activity_logs", "admins", "tags", "teams", "segments", "companies", "company_attributes",
    "contact_attributes", "contacts", "conversations", "conversation_parts", "company_segments",
    "tickets",
)


@dataclass
class Workspace:
    """An Intercom workspace at one moment (``now``).

    Records are wire-shaped dicts, except conversations, which keep compact
    events and derive their wire dicts (see :class:`Conversation`).

    Attributes:
        now: the workspace clock (Unix seconds); no timestamp is later.
        seed: generator seed.
        scale: preset name.
        app_id: the workspace id (``app_id`` / ``workspace_id`` in records).
        admins, teams, tags, segments, companies, contacts, activity_logs,
            tickets: wire-shaped records.
        company_segments: company id → ids of its segments.
        data_attributes: model (``company``/``contact``) → data attributes.
        conversations: conversations in id order.
        ground_truth: ``{"conversations": {id: metrics}, "contacts": {id: funnel}}``.
        office_hours: office hours used by business-hours metrics.
        active_days: the funnel's "active" window in days.
        version: bumped on every mutation so servers can drop caches.
    """

    now: int
    seed: int
    scale: str
    app_id: str
    admins: list[dict[str, Any]]
    teams: list[dict[str, Any]]
    tags: list[dict[str, Any]]
    segments: list[dict[str, Any]]
    companies: list[dict[str, Any]]
    company_segments: dict[str, list[str]]
    data_attributes: dict[str, list[dict[str, Any]]]
    contacts: list[dict[str, Any]]
    conversations: list[Conversation]
    activity_logs: list[dict[str, Any]]
    tickets: list[dict[str, Any]]
    office_hours: OfficeHours = DEFAULT_OFFICE_HOURS
    active_days: int = 30
    ground_truth: dict[str, dict[str, Any]] = field(default_factory=dict)
    version: int = 0
    counters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reindex()

    # ------------------------------------------------------------ indexes
    def reindex(self) -> None:
        """Rebuild the id lookups after records were added."""
        self.contacts_by_id = {c["id"]: c for c in self.contacts}
        self.companies_by_id = {c["id"]: c for c in self.companies}
        self.segments_by_id = {s["id"]: s for s in self.segments}
        self.conversations_by_id = {c.id: c for c in self.conversations}
        self.admins_by_id = {a["id"]: a for a in self.admins}

    def segments_of(self, company_id: str) -> list[dict[str, Any]]:
        """Segment records of one company (``GET /companies/{id}/segments``)."""
        return [self.segments_by_id[s] for s in self.company_segments.get(company_id, [])]

    # -------------------------------------------------------- ground truth
    def refresh_ground_truth(self) -> None:
        """Recompute ground truth from the conversations' metrics and contacts."""
        conv_metrics = {c.id: c.metrics for c in self.conversations}
        self.ground_truth = {
            "conversations": conv_metrics,
            "contacts": contact_funnel(
                self.contacts,
                {c.id: c.contact_ids for c in self.conversations},
                conv_metrics,
                active_days=self.active_days,
            ),
        }

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
    def expected_records(self, stream_name: str) -> list[dict[str, Any]]:
        """What a connector reading ``stream_name`` from the beginning should emit.

        Args:
            stream_name: one of :data:`STREAMS`.

        Returns:
            Wire-shaped records; conversation parts (the 500 most recent per
            conversation) carry ``conversation_id`` (a string here; the
            connector emits it as an integer); company segments carry
            ``company_id``.

        Raises:
            KeyError: for an unknown stream.
        """
        simple = {
            "activity_logs": self.activity_logs, "admins": self.admins, "tags": self.tags,
            "teams": self.teams, "segments": self.segments, "companies": self.companies,
            "contacts": self.contacts, "tickets": self.tickets,
        }
        if stream_name in simple:
            return list(simple[stream_name])
        if stream_name == "company_attributes":
            return list(self.data_attributes["company"])
        if stream_name == "contact_attributes":
            return list(self.data_attributes["contact"])
        if stream_name == "conversations":
            return [c.record for c in self.conversations]
        if stream_name == "conversation_parts":
            return [
                {**render_part(e), "conversation_id": c.id}
                for c in self.conversations for e in c.visible_events
            ]
        if stream_name == "company_segments":
            # One row per (company, segment): a segment belongs to many companies.
            return [
                {**s, "company_id": company["id"]}
                for company in self.companies for s in self.segments_of(company["id"])
            ]
        raise KeyError(f"unknown stream {stream_name!r}; expected one of {', '.join(STREAMS)}")
