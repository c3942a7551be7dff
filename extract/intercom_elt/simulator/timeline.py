"""Scripted event timelines for one conversation.

Each conversation is played out by a small script (customer-initiated,
outbound, long) with its own ``random.Random`` seeded from the workspace seed,
so a conversation's parts are reproducible on their own. Every event is at
least one second after the previous one, and nothing is later than ``now``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import vocab
from .conversation import Event

MINUTE, HOUR, DAY = 60, 3_600, 86_400


@dataclass(frozen=True)
class Person:
    """An author: admin, bot or contact."""

    type: str
    id: str
    name: str | None
    email: str


@dataclass(frozen=True)
class Cast:
    """Who can act in a conversation."""

    admins: tuple[Person, ...]  # humans only
    bot: Person
    teams: tuple[tuple[str, tuple[str, ...]], ...]  # (team id, member admin ids)


def cast_from(admins: list[dict[str, Any]], teams: list[dict[str, Any]]) -> Cast:
    """The cast of a workspace: its human admins, its bot (the last admin) and teams."""
    people = tuple(Person("admin", a["id"], a["name"], a["email"]) for a in admins[:-1])
    bot = admins[-1]
    return Cast(people, Person("bot", bot["id"], bot["name"], bot["email"]),
                tuple((t["id"], tuple(str(a) for a in t["admin_ids"])) for t in teams))


def html(text: str) -> str:
    """Wrap text the way Intercom bodies look."""
    return f"<p>{text}</p>"


class Timeline:
    """Appends events with strictly increasing timestamps.

    Args:
        rng: the conversation's own random generator.
        start: timestamp of the conversation's creation.
        now: the workspace clock; events later than this are dropped.
        next_id: allocator of globally unique part ids.
    """

    def __init__(self, rng: random.Random, start: int, now: int, next_id: Callable[[], str]) -> None:
        self.rng = rng
        self.t = start
        self.now = now
        self.next_id = next_id
        self.events: list[Event] = []

    def wait(self, median: float, *, sigma: float = 1.0, floor: int = 1) -> None:
        """Advance the clock by a log-normal delay (at least ``floor`` seconds)."""
        self.t += max(floor, int(self.rng.lognormvariate(math.log(median), sigma)))

    def add(
        self, part_type: str, author: Person, body: str | None = None, *,
        assigned_to: tuple[str, str] | None = None, snoozed_until: int | None = None,
        median_gap: float = 30, at: int | None = None,
    ) -> Event | None:
        """Append one event after a short delay (or at ``at``); None once past ``now``."""
        if at is not None:
            self.t = max(self.t + 1, at)
        else:
            self.wait(median_gap)
        if self.t > self.now:
            return None
        event = Event(
            id=self.next_id(), created_at=self.t, updated_at=self.t, part_type=part_type,
            author_type=author.type, author_id=author.id, author_name=author.name,
            author_email=author.email, body=body, assigned_to=assigned_to,
            snoozed_until=snoozed_until,
        )
        self.events.append(event)
        return event


def contact_author(contact: dict[str, Any], at: int) -> Person:
    """The contact as a part author; a converted lead writes as ``lead`` before signing up."""
    role = contact["role"]
    signed = contact.get("signed_up_at")
    if role == "user" and signed is not None and at < signed and signed > contact["created_at"] + 60:
        role = "lead"
    return Person(role, contact["id"], contact["name"], contact["email"])


class Script:
    """Plays one conversation into a :class:`Timeline`.

    Args:
        tl: the timeline to fill.
        cast: available admins, bot and teams.
        contact: the (first) contact's wire dict.
    """

    def __init__(self, tl: Timeline, cast: Cast, contact: dict[str, Any]) -> None:
        self.tl = tl
        self.rng = tl.rng
        self.cast = cast
        self.contact = contact
        self.owner: Person = self.rng.choice(cast.admins)
        self.closed = False

    # -- building blocks -------------------------------------------------
    def contact_says(self, text: str, *, median_gap: float = 2 * HOUR) -> Event | None:
        """A contact comment."""
        self.tl.wait(median_gap, sigma=1.2)
        author = contact_author(self.contact, self.tl.t)
        return self.tl.add("comment", author, html(text), median_gap=5)

    def admin_replies(self) -> Event | None:
        """An admin reply: usually a comment, sometimes an assignment with a body."""
        if self.rng.random() < 0.15:
            self.tl.add("note", self.owner, html(self.rng.choice(vocab.ADMIN_NOTES)), median_gap=20 * MINUTE)
        if self.rng.random() < 0.08:
            target = self.rng.choice(self.cast.admins)
            event = self.tl.add(
                "assignment", self.owner, html(self.rng.choice(vocab.ASSIGNMENT_BODIES)),
                assigned_to=("admin", target.id), median_gap=40 * MINUTE,
            )
            self.owner = target
            return event
        return self.tl.add("comment", self.owner, html(self.rng.choice(vocab.ADMIN_REPLIES)), median_gap=40 * MINUTE)

    def route(self) -> None:
        """Initial routing: bot auto-reply and/or an assignment without a body."""
        if self.rng.random() < 0.45:
            self.tl.add("comment", self.cast.bot, html(vocab.BOT_MESSAGES[0]), median_gap=4)
        roll = self.rng.random()
        if roll < 0.45:
            team_id, members = self.rng.choice(self.cast.teams)
            self.tl.add("default_assignment", self.cast.bot, None, assigned_to=("team", team_id), median_gap=3)
            if members:
                self.owner = self._admin(self.rng.choice(members))
        elif roll < 0.70:
            self.tl.add("assignment", self.owner, None, assigned_to=("admin", self.owner.id), median_gap=10 * MINUTE)
        elif roll < 0.75:
            self.tl.add("away_mode_assignment", self.cast.bot, None, assigned_to=("admin", self.owner.id), median_gap=5)

    def _admin(self, admin_id: str) -> Person:
        return next((a for a in self.cast.admins if a.id == admin_id), self.owner)

    def exchanges(self, rounds: int) -> None:
        """Alternate admin replies and contact follow-ups, with the odd snooze."""
        for _ in range(rounds):
            if self.rng.random() < 0.9:
                self.admin_replies()
            if self.rng.random() < 0.08:
                self.snooze()
            if self.rng.random() < 0.7:
                self.contact_says(self.rng.choice(vocab.CONTACT_FOLLOW_UPS))
                if self.rng.random() < 0.2:
                    self.contact_says(self.rng.choice(vocab.CONTACT_FOLLOW_UPS), median_gap=2 * MINUTE)
            else:
                break

    def snooze(self) -> None:
        """Snooze, then (if the time has come) unsnooze by the bot."""
        delay = self.rng.choice((4 * HOUR, DAY, 3 * DAY))
        event = self.tl.add("snoozed", self.owner, None, snoozed_until=self.tl.t + delay + 60, median_gap=60)
        if event is not None and event.snoozed_until is not None:
            # the bot wakes the conversation exactly when the snooze ends
            self.tl.add("unsnoozed", self.cast.bot, None, at=event.snoozed_until)

    def close(self) -> bool:
        """Close by an admin (mostly) or by the bot; sometimes leave it open."""
        roll = self.rng.random()
        if roll < 0.78:
            body = None if self.rng.random() < 0.7 else html("Closing this out, thanks!")
            self.closed = self.tl.add("close", self.owner, body, median_gap=3 * HOUR) is not None
        elif roll < 0.88:
            self.tl.add("comment", self.cast.bot, html(vocab.BOT_MESSAGES[2]), median_gap=DAY)
            self.closed = self.tl.add("close", self.cast.bot, None, median_gap=2) is not None
        return self.closed

    def reopen(self) -> None:
        """Reopen a closed conversation and play another short exchange."""
        self.tl.wait(2 * DAY)
        if self.rng.random() < 0.5:
            self.tl.add("open", self.owner, None, median_gap=5)
        else:
            body = html(self.rng.choice(vocab.ASSIGNMENT_BODIES)) if self.rng.random() < 0.5 else None
            self.tl.add("assign_and_reopen", self.owner, body, assigned_to=("admin", self.owner.id), median_gap=5)
        self.closed = False
        self.contact_says(self.rng.choice(vocab.CONTACT_FOLLOW_UPS), median_gap=10 * MINUTE)
        self.exchanges(self.rng.randint(1, 2))
        self.close()

    def rate(self) -> dict[str, Any] | None:
        """Maybe leave a rating after an admin close; records a rating part."""
        last = self.tl.events[-1] if self.tl.events else None
        if not (self.closed and last is not None and last.author_type == "admin" and self.rng.random() < 0.35):
            return None
        author = contact_author(self.contact, self.tl.t)
        event = self.tl.add("conversation_rating_changed", author, None, median_gap=HOUR)
        if event is None:
            return None
        return {
            "rating": self.rng.randint(1, 5),
            "remark": self.rng.choice(vocab.RATING_REMARKS),
            "created_at": event.created_at,
            "contact": {"type": "contact", "id": self.contact["id"], "external_id": self.contact["external_id"]},
            "teammate": {"type": "admin", "id": last.author_id},
        }

    # -- whole scripts --------------------------------------------------
    def customer_initiated(self) -> dict[str, Any] | None:
        """Contact writes in; routed, answered, closed, maybe reopened and rated."""
        self.route()
        self.exchanges(self.rng.randint(1, 6))
        if self.close() and self.rng.random() < 0.15:
            self.reopen()
        return self.rate()

    def outbound(self, *, answered: bool) -> dict[str, Any] | None:
        """Admin or campaign writes first; the contact may never answer."""
        if not answered:
            if self.rng.random() < 0.3:
                self.tl.add("comment", self.owner, html("Just following up on this."), median_gap=3 * DAY)
            if self.rng.random() < 0.3:
                self.tl.add("close", self.owner, None, median_gap=7 * DAY)
            return None
        self.contact_says(self.rng.choice(vocab.CONTACT_OPENERS), median_gap=DAY)
        if self.rng.random() < 0.4:
            self.route()
        self.exchanges(self.rng.randint(1, 3))
        self.close()
        return self.rate()

    def long(self, hidden: int, rounds: int) -> None:
        """A conversation past the 500-part cap.

        The oldest ``hidden`` parts are metric-neutral (admin notes and
        attribute updates), so metrics from the 500 visible parts equal those
        from all parts.
        """
        for i in range(hidden):
            if i % 3 == 2:
                self.tl.add("conversation_attribute_updated_by_admin", self.owner, None, median_gap=10 * MINUTE)
            else:
                self.tl.add("note", self.owner, html(f"Sync note #{i + 1}"), median_gap=10 * MINUTE)
        self.tl.add("assignment", self.owner, None, assigned_to=("admin", self.owner.id), median_gap=MINUTE)
        for _ in range(rounds):
            self.tl.add("comment", self.owner, html(self.rng.choice(vocab.ADMIN_REPLIES)), median_gap=20 * MINUTE)
            self.contact_says(self.rng.choice(vocab.CONTACT_FOLLOW_UPS), median_gap=20 * MINUTE)
        self.tl.add("comment", self.owner, html("Wrapping up."), median_gap=20 * MINUTE)
        self.tl.add("close", self.owner, None, median_gap=10 * MINUTE)
