"""Seeded, pure generator of an Intercom workspace (no HTTP, no wall clock).

``generate_workspace(seed=42)`` always returns the same workspace. Each entity
family draws from its own ``random.Random`` derived from the seed, and each
conversation plays out with its own seed, so changing one family's logic
does not reshuffle the others.

Memory: contacts are :class:`~.records.ContactRecord` slots objects, and a
conversation keeps only a replay recipe plus its metrics (its parts are
replayed from its own seed when served), so the ``large`` preset fits in a
few hundred MB.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import vocab
from .conversation import Conversation, Event, PlayContext, Recipe
from .ids import Counter, object_id, uuid4
from .metrics import DEFAULT_OFFICE_HOURS, OfficeHours
from .records import ContactRecord
from .timeline import DAY, HOUR, MINUTE, Cast, Script, Timeline, cast_from, contact_author, html
from .workspace import Workspace

DEFAULT_NOW = 1_788_220_800  # 2026-09-01T00:00:00Z
SPAN_DAYS = 548  # about 18 months of history


@dataclass(frozen=True)
class Scale:
    """Record counts of one preset."""

    contacts: int
    companies: int
    conversations: int
    admins: int
    teams: int
    tags: int
    segments: int
    tickets: int
    activity_logs: int
    long_conversations: int


SCALES: dict[str, Scale] = {
    "small": Scale(200, 40, 300, 8, 3, 12, 8, 30, 150, 1),
    "medium": Scale(20_000, 2_000, 17_000, 40, 6, 16, 10, 1_500, 3_000, 5),
    "large": Scale(200_000, 20_000, 170_000, 120, 6, 16, 10, 15_000, 30_000, 50),
}


def generate_workspace(
    *, seed: int = 42, scale: str = "small", now: int | None = None,
    office_hours: OfficeHours = DEFAULT_OFFICE_HOURS, active_days: int = 30,
) -> Workspace:
    """Generate a deterministic workspace.

    Args:
        seed: the only source of randomness; same seed, same workspace.
        scale: ``small``, ``medium`` or ``large``.
        now: the workspace clock; defaults to 2026-09-01T00:00:00Z.
        office_hours: office hours for business-hours metrics.
        active_days: the contact funnel's "active" window.

    Returns:
        The workspace, with ``statistics`` filled in; ``ground_truth`` is
        computed on first access. ``large`` (10× medium) takes about half a
        minute and ~550 MB peak RSS; ``medium`` about 3 s and ~75 MB.

    Raises:
        ValueError: for an unknown scale.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    return _Builder(seed, SCALES[scale], scale, DEFAULT_NOW if now is None else now,
                    office_hours, active_days).build()


class _Builder:
    def __init__(self, seed: int, size: Scale, scale: str, now: int, office_hours: OfficeHours,
                 active_days: int) -> None:
        self.seed, self.size, self.scale, self.now = seed, size, scale, now
        self.office_hours, self.active_days = office_hours, active_days
        self.start = now - SPAN_DAYS * DAY
        root = random.Random(seed)
        self.app_id = "".join(root.choice(string.ascii_lowercase + string.digits) for _ in range(8))
        # one stream of randomness per family, so families don't perturb each other
        self.rngs = {name: random.Random(root.getrandbits(64)) for name in (
            "admins", "tags", "segments", "attributes", "companies", "contacts",
            "conversations", "tickets", "activity", "derived")}

    def build(self) -> Workspace:
        admins, teams = self.admins_and_teams()
        tags = self.tags()
        segments = self.segments()
        attributes = self.data_attributes(admins)
        companies, company_segments = self.companies(tags, segments)
        contacts = self.contacts(admins, tags, companies)
        part_ids = Counter(7_288_120_839)
        conversations = self.conversations(admins, teams, tags, contacts, part_ids)
        tickets = self.tickets(admins, teams, contacts)
        logs = self.activity_logs(admins)
        self.derive_contacts(contacts, conversations)
        self.derive_companies(companies, contacts)
        ws = Workspace(
            now=self.now, seed=self.seed, scale=self.scale, app_id=self.app_id, admins=admins,
            teams=teams, tags=tags, segments=segments, companies=companies,
            company_segments=company_segments, data_attributes=attributes, contacts=contacts,
            conversations=conversations, activity_logs=logs, tickets=tickets,
            office_hours=self.office_hours, active_days=self.active_days,
            counters={"part": part_ids.value, "source": self.next_source_id,
                      "conversation": int(conversations[-1].id) + 1 if conversations else 1},
        )
        return ws  # ground truth is computed on first access

    # ------------------------------------------------------------ helpers
    def when(self, rng: random.Random, lo: int | None = None, hi: int | None = None) -> int:
        """A timestamp in [lo, hi], denser towards hi (the workspace grows)."""
        lo = self.start if lo is None else lo
        hi = self.now if hi is None else hi
        if hi <= lo:
            return hi
        return int(hi - (hi - lo) * (1 - rng.random() ** 0.7))

    # ------------------------------------------------------- admins/teams
    def admins_and_teams(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rngs["admins"]
        team_ids = [str(5_077_733 + i * rng.randint(3, 40)) for i in range(self.size.teams)]
        admin_ids = Counter(4_423_433)
        humans = self.size.admins - 1
        membership: dict[str, list[int]] = {t: [] for t in team_ids}
        admins = []
        for i in range(humans):
            admin_id = admin_ids()
            admin_ids.value += rng.randint(1, 97)
            first, last = vocab.FIRST_NAMES[i % len(vocab.FIRST_NAMES)], rng.choice(vocab.LAST_NAMES)
            mine = [team_ids[i % len(team_ids)]]
            if rng.random() < 0.3:
                mine.append(rng.choice(team_ids))
            mine = list(dict.fromkeys(mine))
            for t in mine:
                membership[t].append(int(admin_id))
            admins.append({
                "type": "admin", "id": admin_id, "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}@{self.app_id}.example.com",
                "job_title": rng.choice(vocab.JOB_TITLES),
                "away_mode_enabled": rng.random() < 0.1, "away_mode_reassign": rng.random() < 0.1,
                "has_inbox_seat": True, "team_ids": [int(t) for t in mine],
                "team_priority_level": {"primary_team_ids": [int(mine[0])],
                                        "secondary_team_ids": [int(t) for t in mine[1:]]},
            })
        admins.append({
            "type": "admin", "id": admin_ids(), "name": "Operator",
            "email": f"operator+{self.app_id}@intercom.io", "job_title": "",
            "away_mode_enabled": False, "away_mode_reassign": False, "has_inbox_seat": False,
            "team_ids": [], "team_priority_level": {"primary_team_ids": [], "secondary_team_ids": []},
        })
        teams = [{
            "type": "team", "id": t, "name": vocab.TEAM_NAMES[i % len(vocab.TEAM_NAMES)],
            "admin_ids": membership[t],
            "admin_priority_level": {"primary_admin_ids": membership[t], "secondary_admin_ids": []},
        } for i, t in enumerate(team_ids)]
        return admins, teams

    def tags(self) -> list[dict[str, Any]]:
        rng = self.rngs["tags"]
        ids = Counter(7_800_216 + rng.randint(0, 500))
        return [{"type": "tag", "id": ids(), "name": vocab.TAG_NAMES[i % len(vocab.TAG_NAMES)]
                 + ("" if i < len(vocab.TAG_NAMES) else f"-{i}"), "applied_at": None, "applied_by": None}
                for i in range(self.size.tags)]

    def segments(self) -> list[dict[str, Any]]:
        rng = self.rngs["segments"]
        out = []
        for i in range(self.size.segments):
            created = self.when(rng, hi=self.start + 120 * DAY)
            out.append({
                "type": "segment", "id": object_id(rng, created),
                "name": vocab.SEGMENT_NAMES[i % len(vocab.SEGMENT_NAMES)] + ("" if i < 10 else f" {i}"),
                "created_at": created, "updated_at": self.when(rng, lo=created),
                "person_type": "user",
            })
        return out

    def data_attributes(self, admins: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        rng = self.rngs["attributes"]
        ids = Counter(1_000 + rng.randint(0, 99))

        def standard(model: str, full_name: str, label: str, data_type: str) -> dict[str, Any]:
            return {"type": "data_attribute", "model": model, "name": full_name.split(".")[-1],
                    "full_name": full_name, "label": label, "description": f"The {label.lower()}.",
                    "data_type": data_type, "api_writable": False, "ui_writable": True,
                    "messenger_writable": False, "custom": False, "archived": False}

        def custom(model: str, name: str, data_type: str, options: list[str] | None = None) -> dict[str, Any]:
            created = self.when(rng, hi=self.start + 60 * DAY)
            rec = {"type": "data_attribute", "id": int(ids()), "model": model, "name": name,
                   "full_name": f"custom_attributes.{name}", "label": name.replace("_", " ").title(),
                   "description": f"Custom attribute {name}.", "data_type": data_type,
                   "api_writable": True, "ui_writable": True, "messenger_writable": False,
                   "custom": True, "archived": False, "created_at": created,
                   "updated_at": self.when(rng, lo=created), "admin_id": rng.choice(admins[:-1])["id"]}
            if options:
                rec["options"] = options
            return rec

        return {
            "contact": [
                standard("contact", "name", "Name", "string"),
                standard("contact", "email", "Email", "string"),
                standard("contact", "phone", "Phone", "string"),
                standard("contact", "signed_up_at", "Signed up", "date"),
                standard("contact", "last_seen_at", "Last seen", "date"),
                standard("contact", "owner_id", "Owner", "integer"),
                standard("contact", "unsubscribed_from_emails", "Unsubscribed from emails", "boolean"),
                standard("contact", "location.city", "City", "string"),
                custom("contact", "plan", "string", ["free", "pro", "enterprise"]),
                custom("contact", "seats", "integer"),
                custom("contact", "nps_score", "float"),
                custom("contact", "beta_tester", "boolean"),
                custom("contact", "trial_started_at", "date"),
            ],
            "company": [
                standard("company", "name", "Company name", "string"),
                standard("company", "company_id", "Company ID", "string"),
                standard("company", "monthly_spend", "Monthly spend", "float"),
                standard("company", "size", "Company size", "integer"),
                standard("company", "last_request_at", "Company last seen", "date"),
                custom("company", "tier", "string", ["bronze", "silver", "gold"]),
                custom("company", "region", "string", ["EMEA", "AMER", "APAC"]),
                custom("company", "churn_risk", "string", ["low", "medium", "high"]),
            ],
        }

    # ---------------------------------------------------------- companies
    def companies(self, tags: list[dict[str, Any]], segments: list[dict[str, Any]]
                  ) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
        rng = self.rngs["companies"]
        out, company_segments = [], {}
        for i in range(self.size.companies):
            created = self.when(rng)
            plan_name, plan_key = rng.choice(vocab.PLANS)
            name = f"{rng.choice(vocab.COMPANY_WORDS)} {rng.choice(vocab.COMPANY_SUFFIXES)} {i + 1}"
            cid = object_id(rng, created)
            chosen = rng.sample(segments, k=min(len(segments), rng.choice((0, 1, 1, 2, 3))))
            company_segments[cid] = [s["id"] for s in chosen]
            out.append({
                "type": "company", "id": cid, "company_id": f"c-{i + 1:05d}", "app_id": self.app_id,
                "name": name, "remote_created_at": max(self.start, created - rng.randint(0, 60) * DAY),
                "created_at": created, "updated_at": created, "last_request_at": created,
                "monthly_spend": rng.choice((0, 49, 99, 299, 999, 4999)),
                "session_count": 0, "user_count": 0, "size": rng.choice((1, 5, 20, 50, 200, 1000)),
                "website": f"https://{name.split()[0].lower()}{i + 1}.example.com",
                "industry": rng.choice(vocab.INDUSTRIES),
                "plan": {} if rng.random() < 0.2 else {"type": "plan", "id": str(100 + vocab.PLANS.index((plan_name, plan_key))), "name": plan_name},
                "custom_attributes": {"tier": rng.choice(("bronze", "silver", "gold")),
                                      "region": rng.choice(("EMEA", "AMER", "APAC")),
                                      "churn_risk": rng.choice(("low", "medium", "high"))},
                "tags": {"type": "tag.list", "tags": [
                    {"type": "tag", "id": t["id"], "name": t["name"]}
                    for t in rng.sample(tags, k=rng.choice((0, 0, 1, 2)))]},
                "segments": {"type": "segment.list", "segments": chosen},
            })
        return out, company_segments

    # ----------------------------------------------------------- contacts
    def contacts(self, admins: list[dict[str, Any]], tags: list[dict[str, Any]],
                 companies: list[dict[str, Any]]) -> list[ContactRecord]:
        rng = self.rngs["contacts"]
        humans = admins[:-1]
        out = []
        shared: dict[Any, Any] = {}  # one object for equal names, versions and locations

        def share(value: Any) -> Any:
            return shared.setdefault(value, value)

        locations = {c: {"type": "location", "country": c[2], "region": c[1], "city": c[0],
                         "country_code": c[3], "continent_code": c[4]} for c in vocab.CITIES}
        for i in range(self.size.contacts):
            created = self.when(rng, hi=self.now - HOUR)
            cid = object_id(rng, created)
            first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
            is_user = rng.random() < 0.55
            signed_up = None
            if is_user:
                if rng.random() < 0.4:  # a lead that converted later
                    signed_up = min(self.now, created + 120 + int(rng.expovariate(1 / (10 * DAY))))
                else:
                    signed_up = created + rng.randint(0, 120)
            roll = rng.random()
            if roll < 0.15:
                seen = None
            elif roll < 0.5:
                seen = max(created, self.now - rng.randint(0, 30 * DAY))  # recently active
            else:
                seen = self.when(rng, lo=created)
            city = rng.choice(vocab.CITIES)
            my_tags = rng.sample(tags, k=rng.choice((0, 0, 1, 1, 2, 3)))
            n_companies = (rng.choice((1, 1, 1, 2)) if rng.random() < 0.8 else 0) if is_user else (1 if rng.random() < 0.2 else 0)
            my_companies = rng.sample(companies, k=min(n_companies, len(companies)))
            email = f"{first.lower()}.{last.lower()}.{i + 1}@example.com"
            external_id = f"u-{i + 1:06d}" if is_user else None
            phone = f"+35386{rng.randint(1000000, 9999999)}" if rng.random() < 0.3 else None
            owner_id = int(rng.choice(humans)["id"]) if rng.random() < 0.5 else None
            bounced, spam, unsubscribed = rng.random() < 0.02, rng.random() < 0.01, rng.random() < 0.1
            opened = self.when(rng, lo=created) if rng.random() < 0.3 else None
            browser = rng.choice(vocab.BROWSERS)
            browser_version = share(f"{rng.randint(100, 130)}.0")
            browser_language, os_name = rng.choice(vocab.LANGUAGES), rng.choice(vocab.OSES)
            custom = (
                rng.choice(("free", "pro", "enterprise")),
                rng.randint(1, 50),
                round(rng.uniform(0, 10), 1) if rng.random() < 0.4 else None,
                rng.random() < 0.2,
                created if not is_user else None,
            )
            out.append(ContactRecord(
                id=cid, workspace_id=self.app_id, external_id=external_id, role="user" if is_user else "lead",
                email=email, phone=phone, name=share(f"{first} {last}"), owner_id=owner_id,
                has_hard_bounced=bounced, marked_email_as_spam=spam, unsubscribed_from_emails=unsubscribed,
                created_at=created, updated_at=created, signed_up_at=signed_up, last_seen_at=seen,
                last_replied_at=None, last_contacted_at=None, last_email_opened_at=opened,
                browser=browser, browser_version=browser_version, browser_language=browser_language,
                os=os_name, location=locations[city], custom=custom,
                tag_ids=tuple(t["id"] for t in my_tags), company_ids=tuple(c["id"] for c in my_companies),
                utm_source=rng.choice((None, "google", "newsletter")),
            ))
        return out

    # ------------------------------------------------------ conversations
    def conversations(self, admins: list[dict[str, Any]], teams: list[dict[str, Any]],
                      tags: list[dict[str, Any]], contacts: list[dict[str, Any]],
                      part_ids: Counter) -> list[Conversation]:
        rng = self.rngs["conversations"]
        cast = cast_from(admins, teams)
        plans = []
        for i in range(self.size.conversations):
            long = i < self.size.long_conversations
            contact = rng.choice(contacts)
            while long and contact["created_at"] > self.now - 120 * DAY:
                contact = rng.choice(contacts)  # long threads need room before `now`
            lo = max(contact["created_at"], self.now - 400 * DAY) if long else contact["created_at"]
            hi = self.now - 60 * DAY if long else self.now - 10 * MINUTE
            created = self.when(rng, lo=min(lo, hi), hi=hi)
            kind = "customer" if long or rng.random() < 0.72 else "outbound"
            others = (rng.choice(contacts),) if rng.random() < 0.03 else ()
            plans.append((created, i, contact, others, kind, long, rng.getrandbits(64)))
        plans.sort(key=lambda p: (p[0], p[1]))
        conv_ids = Counter(1)
        source_ids = Counter(1_000_000 + rng.randint(0, 999))
        context = PlayContext(play=replay_recipe, cast=cast, tags=tags, now=self.now,
                              office_hours=self.office_hours, contacts=contacts)
        position = {c["id"]: n for n, c in enumerate(contacts)}
        self.admin_sourced: set[str] = set()
        out = []
        for created, _, contact, others, kind, long, conv_seed in plans:
            conv_id, source_id, first_part = conv_ids(), source_ids(), part_ids.value
            header, events = play_script(
                random.Random(conv_seed), created=created, contact=contact, others=others, kind=kind,
                long=long, cast=cast, tags=tags, now=self.now, part_ids=part_ids, source_id=source_id)
            recipe = Recipe(conv_seed, position[contact["id"]], tuple(position[o["id"]] for o in others),
                            kind, long, first_part, int(source_id), context)
            if header["source"]["author"]["type"] == "admin":
                self.admin_sourced.add(conv_id)
            out.append(Conversation.replayable(
                id=conv_id, created_at=created, contact_ids=_contact_ids(header), header=header,
                events=events, recipe=recipe, office_hours=self.office_hours))
        self.next_source_id = source_ids.value
        return out

    # ------------------------------------------------------------ tickets
    def tickets(self, admins: list[dict[str, Any]], teams: list[dict[str, Any]],
                contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rngs["tickets"]
        humans = admins[:-1]
        type_created = self.start
        ticket_types = []
        for n, (name, category, icon) in enumerate((("Bug report", "Customer", "🐞"),
                                                     ("Refund request", "Back-office", "💸"),
                                                     ("Feature tracker", "Tracker", "🧭")), start=1):
            ticket_types.append({
                "type": "ticket_type", "id": str(n), "category": category, "name": name,
                "description": f"{name} tickets.", "icon": icon, "workspace_id": self.app_id,
                "ticket_type_attributes": {"type": "ticket_type_attributes.list", "ticket_type_attributes": [
                    {"type": "ticket_type_attribute", "id": str(n * 10 + k), "workspace_id": self.app_id,
                     "name": attr, "description": label, "data_type": "string", "input_options": {},
                     "order": k, "required_to_create": k == 0, "required_to_create_for_contacts": False,
                     "visible_on_create": True, "visible_to_contacts": True, "default": True,
                     "ticket_type_id": n, "archived": False, "created_at": type_created,
                     "updated_at": type_created}
                    for k, (attr, label) in enumerate((("_default_title_", "Title"),
                                                       ("_default_description_", "Description")))]},
                "archived": False, "created_at": type_created, "updated_at": type_created,
            })
        flow = ("submitted", "in_progress", "waiting_on_customer", "in_progress", "resolved")
        labels = {"submitted": "Submitted", "in_progress": "In progress",
                  "waiting_on_customer": "Waiting on customer", "resolved": "Resolved"}
        ids, part_ids = Counter(60 + rng.randint(0, 20)), Counter(9_100_000_000)
        out = []
        # sort on the time only: equal times must not compare the contacts
        created_list = sorted(((self.when(rng, hi=self.now - HOUR), rng.choice(contacts))
                               for _ in range(self.size.tickets)), key=lambda x: x[0])
        for created, contact in created_list:
            created = max(created, contact["created_at"])
            ttype = rng.choice(ticket_types)
            admin = rng.choice(humans)
            steps = rng.randint(1, len(flow) - 1)
            t, parts, prev = created, [], None
            for state in flow[:steps + 1]:
                t += rng.randint(60, 2 * DAY)
                if t > self.now:
                    break
                parts.append({
                    "type": "ticket_part", "id": part_ids(), "part_type": "ticket_state_updated_by_admin",
                    "ticket_state": state, "previous_ticket_state": prev, "body": None,
                    "created_at": t, "updated_at": t, "assigned_to": None,
                    "author": {"type": "admin", "id": admin["id"], "name": admin["name"], "email": admin["email"]},
                    "attachments": [], "external_id": None, "redacted": False,
                })
                prev = state
            if not parts:
                parts.append({
                    "type": "ticket_part", "id": part_ids(), "part_type": "ticket_state_updated_by_admin",
                    "ticket_state": "submitted", "previous_ticket_state": None, "body": None,
                    "created_at": created, "updated_at": created, "assigned_to": None,
                    "author": {"type": "admin", "id": admin["id"], "name": admin["name"], "email": admin["email"]},
                    "attachments": [], "external_id": None, "redacted": False,
                })
            for p in parts:  # previous_ticket_state is optional; omit the first one's null
                if p["previous_ticket_state"] is None:
                    del p["previous_ticket_state"]
            state = parts[-1]["ticket_state"]
            team = rng.choice(teams)
            tid = ids()
            out.append({
                "type": "ticket", "id": tid, "ticket_id": str(int(tid) + 1000), "category": ttype["category"],
                "ticket_attributes": {"_default_title_": rng.choice(vocab.CONTACT_OPENERS),
                                      "_default_description_": "Reported via the messenger."},
                "ticket_state": state, "ticket_type": ttype,
                "contacts": {"type": "contact.list", "contacts": [
                    {"type": "contact", "id": contact["id"], "external_id": contact["external_id"]}]},
                "admin_assignee_id": admin["id"] if rng.random() < 0.8 else "0",
                "team_assignee_id": team["id"] if rng.random() < 0.5 else "0",
                "created_at": created, "updated_at": parts[-1]["updated_at"],
                "open": state != "resolved", "snoozed_until": None,
                "linked_objects": {"type": "list", "data": [], "total_count": 0, "has_more": False},
                "ticket_parts": {"type": "ticket_part.list", "ticket_parts": parts, "total_count": len(parts)},
                "is_shared": ttype["category"] == "Customer",
                "ticket_state_internal_label": labels[state], "ticket_state_external_label": labels[state],
            })
        return out

    # ------------------------------------------------------- activity logs
    def activity_logs(self, admins: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng = self.rngs["activity"]
        humans = admins[:-1]
        times = sorted(self.when(rng) for _ in range(self.size.activity_logs))
        out = []
        for t in times:
            admin = rng.choice(humans)
            kind, text = rng.choice(vocab.ACTIVITY_TYPES)
            metadata: dict[str, Any] = {}
            if kind == "admin_login_success":
                metadata = {"sign_in_method": rng.choice(("email_password", "google_sso"))}
            elif kind == "admin_away_mode_change":
                metadata = {"away_mode": rng.random() < 0.5, "reassign_conversations": False,
                            "update_by": int(admin["id"]), "update_by_name": admin["name"]}
            out.append({
                "id": uuid4(rng),
                "performed_by": {"type": "admin", "id": admin["id"], "email": admin["email"],
                                 "ip": f"198.51.100.{rng.randint(1, 254)}"},
                "metadata": metadata, "created_at": t, "activity_type": kind,
                "activity_description": text.format(name=admin["name"]),
            })
        return out

    # --------------------------------------------------------- derivations
    def derive_contacts(self, contacts: list[ContactRecord], conversations: list[Conversation]) -> None:
        """Fill reply/contact times and ``updated_at`` from the conversations."""
        rng = self.rngs["derived"]
        by_id = {c.id: c for c in contacts}
        for conv in conversations:
            contact = by_id[conv.contact_ids[0]]
            _bump(contact, "last_replied_at", conv.metric("last_contact_reply_at"))
            if conv.id in self.admin_sourced:
                _bump(contact, "last_contacted_at", conv.created_at)
            _bump(contact, "last_contacted_at", conv.metric("last_admin_reply_at"))
        for c in contacts:
            if c.last_seen_at is not None or c.last_replied_at is not None:
                _bump(c, "last_seen_at", c.last_replied_at)
            latest = max(v for v in (c.created_at, c.signed_up_at, c.last_seen_at, c.last_replied_at,
                                     c.last_contacted_at, c.last_email_opened_at) if v is not None)
            if rng.random() < 0.3:  # an attribute edit some time later
                latest = self.when(rng, lo=latest)
            c.updated_at = min(self.now, latest)

    def derive_companies(self, companies: list[dict[str, Any]], contacts: list[ContactRecord]) -> None:
        """Fill user counts, sessions, last request and ``updated_at``."""
        rng = self.rngs["derived"]
        by_id = {c["id"]: c for c in companies}
        for contact in contacts:
            for company_id in contact.company_ids:
                company = by_id[company_id]
                company["user_count"] += 1
                company["session_count"] += rng.randint(1, 40)
                if contact.last_seen_at is not None and contact.last_seen_at > company["last_request_at"]:
                    company["last_request_at"] = contact.last_seen_at
        for company in companies:
            latest = max(company["created_at"], company["last_request_at"])
            if rng.random() < 0.5:
                latest = self.when(rng, lo=latest)
            company["updated_at"] = min(self.now, latest)


def play_script(
    crng: random.Random, *, created: int, contact: Mapping[str, Any], others: tuple[Mapping[str, Any], ...],
    kind: str, long: bool, cast: Cast, tags: Sequence[Mapping[str, Any]], now: int,
    part_ids: Callable[[], str], source_id: str,
) -> tuple[dict[str, Any], list[Event]]:
    """Play one conversation script: its header fields and its events.

    Pure: the same arguments (and a fresh ``crng`` with the same seed, and a
    part-id allocator at the same position) give the same result, which is
    how generated conversations replay their parts on demand.

    Args:
        crng: the conversation's own random generator.
        created: its ``created_at``.
        contact: the contact who writes (or is written to).
        others: extra contacts of a group conversation.
        kind: ``customer`` or ``outbound``.
        long: play the >500-part script.
        cast: admins, bot and teams.
        tags: workspace tags to draw from.
        now: no event later than this.
        part_ids: part id allocator.
        source_id: id of the source message.

    Returns:
        ``(header, events)``.
    """
    tl = Timeline(crng, created, now, part_ids)
    script = Script(tl, cast, contact)
    if kind == "customer":
        author = contact_author(contact, created)
        delivered_as = "customer_initiated"
        src_type = crng.choice(("conversation", "conversation", "email"))
        subject = "" if src_type == "conversation" else crng.choice(vocab.CONTACT_OPENERS)
        body = html(crng.choice(vocab.CONTACT_OPENERS))
        if long:
            rounds = crng.randint(150, 240)
            visible_tail = 2 * rounds + 3  # parts the long script adds after the hidden prefix
            script.long(hidden=520 - visible_tail + crng.randint(0, 120), rounds=rounds)
            rating = None
        else:
            rating = script.customer_initiated()
    else:
        author = script.owner
        delivered_as = crng.choice(("admin_initiated", "admin_initiated", "campaigns_initiated", "automated"))
        src_type = crng.choice(("conversation", "email"))
        subject = crng.choice(vocab.OUTBOUND_SUBJECTS)
        body = html(f"Hi {contact['name'].split()[0]}, {subject.lower()}")
        rating = script.outbound(answered=crng.random() < 0.55)
    members = (contact,) + tuple(o for o in others if o["id"] != contact["id"])
    header = {
        "title": subject or None,
        "read": crng.random() < 0.7,
        "priority": "priority" if crng.random() < 0.1 else "not_priority",
        "tags": {"type": "tag.list", "tags": [
            {"type": "tag", "id": t["id"], "name": t["name"], "applied_at": created,
             "applied_by": {"type": "admin", "id": crng.choice(cast.admins).id}}
            for t in crng.sample(tags, k=crng.choice((0, 0, 0, 1, 1, 2)))]},
        "conversation_rating": rating,
        "source": {"type": src_type, "id": source_id, "delivered_as": delivered_as,
                   "subject": subject, "body": body,
                   "author": {"type": author.type, "id": author.id, "name": author.name, "email": author.email},
                   "attachments": [], "url": None, "redacted": False},
        "contacts": {"type": "contact.list", "contacts": [
            {"type": "contact", "id": m["id"], "external_id": m["external_id"]} for m in members]},
        "custom_attributes": {"issue_type": crng.choice(("billing", "bug", "how-to"))}
        if crng.random() < 0.5 else {},
        "linked_objects": {"type": "list", "data": [], "total_count": 0, "has_more": False},
        "ai_agent_participated": False,
    }
    return header, tl.events


def replay_recipe(recipe: Recipe, created_at: int) -> tuple[dict[str, Any], list[Event]]:
    """Replay a generated conversation: the same header and events as when it was generated."""
    ctx = recipe.context
    contacts = ctx.contacts
    return play_script(
        random.Random(recipe.seed), created=created_at, contact=contacts[recipe.contact],
        others=tuple(contacts[i] for i in recipe.others), kind=recipe.kind, long=recipe.long,
        cast=ctx.cast, tags=ctx.tags, now=ctx.now, part_ids=Counter(recipe.first_part_id),
        source_id=str(recipe.source_id))


def play_conversation(
    crng: random.Random, *, conv_id: str, created: int, contact: Mapping[str, Any],
    others: tuple[Mapping[str, Any], ...], kind: str, long: bool, cast: Cast, tags: Sequence[Mapping[str, Any]],
    now: int, part_ids: Callable[[], str], source_id: str, office_hours: OfficeHours,
) -> Conversation:
    """Play one conversation script and build a :class:`Conversation` that keeps its events.

    Args are those of :func:`play_script`, plus ``conv_id`` and the
    ``office_hours`` for business-hours statistics.

    Returns:
        The conversation with metrics and derived fields computed.
    """
    header, events = play_script(crng, created=created, contact=contact, others=others, kind=kind, long=long,
                                 cast=cast, tags=tags, now=now, part_ids=part_ids, source_id=source_id)
    conv = Conversation(id=conv_id, created_at=created, contact_ids=_contact_ids(header), header=header,
                        events=events)
    conv.refresh(office_hours)
    return conv


def _contact_ids(header: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(m["id"] for m in header["contacts"]["contacts"])


def _bump(record: ContactRecord, key: str, value: int | None) -> None:
    current = getattr(record, key)
    if value is not None and (current is None or value > current):
        setattr(record, key, value)
