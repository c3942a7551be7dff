"""Time travel: move a workspace's clock forward and change some records.

Every change happens strictly after the old clock and no later than the new
one, so an incremental sync started at the old ``now`` sees all of it. The
conversations' ``statistics``, ``updated_at`` and the ground truth are
recomputed by the same code the generator uses.

Changes are copy-on-write: changed contacts, companies and conversations are
new objects in new lists, published at once (:meth:`Workspace.publish`), so
requests in flight keep a consistent old state and the pristine workspace
(kept by the server for ``reset``) shares every record that did not change.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from . import vocab
from .conversation import Conversation
from .generator import play_conversation
from .ids import Counter, object_id
from .metrics import OfficeHours
from .records import ContactRecord, addressable
from .timeline import MINUTE, Cast, Script, Timeline, cast_from
from .workspace import Workspace


def advance(ws: Workspace, seconds: int, *, fraction: float = 0.01, seed: int | None = None) -> dict[str, Any]:
    """Advance ``ws.now`` by ``seconds`` and change about ``fraction`` of records.

    Changes: new parts on existing conversations (replies, closes, reopens,
    unsnoozes), attribute edits on contacts (including lead → user
    conversions) and companies, and some new contacts and conversations.

    Args:
        ws: the workspace; its new state is published at once and its
            ``version`` bumped (records already handed out are not mutated).
        seconds: how far to move the clock (> 0).
        fraction: share of contacts, companies and conversations to touch.
        seed: makes the step reproducible; defaults to one derived from the
            workspace seed, clock and version.

    Returns:
        ``{"previous_now", "now", "seed", "changed": {stream: [ids]},
        "created": {stream: [ids]}, "new_parts": n}``.

    Raises:
        ValueError: for a non-positive ``seconds``, a fraction outside [0, 1],
            or a workspace loaded from a file.
    """
    if seconds <= 0:
        raise ValueError(f"seconds must be positive, got {seconds}")
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be within [0, 1], got {fraction}")
    if ws.replayed:
        raise ValueError("time travel needs a generated workspace; this one was loaded from a file")
    with ws.write_lock:
        return _advance(ws, ws.snapshot(), seconds, fraction, seed)


def _advance(ws: Workspace, cur: Workspace, seconds: int, fraction: float, seed: int | None) -> dict[str, Any]:
    seed = seed if seed is not None else hash((cur.seed, cur.now, cur.version)) & 0xFFFFFFFF
    rng = random.Random(seed)
    old_now, new_now = cur.now, cur.now + seconds
    cast = cast_from(cur.admins, cur.teams)
    part_ids = Counter(cur.counters["part"])
    first_part_id = part_ids.value

    def moment() -> int:
        return rng.randint(old_now + 1, new_now)

    def how_many(total: int) -> int:
        return min(total, max(1, round(fraction * total))) if fraction and total else 0

    conversations = list(cur.conversations)
    changed_convs = []
    for i in rng.sample(range(len(conversations)), how_many(len(conversations))):
        conv = conversations[i]
        contact = cur.contacts_by_id[conv.contact_ids[0]]
        new = _continue_conversation(conv, contact, cast, rng, old_now, new_now, part_ids, cur.office_hours)
        if new is not None:
            conversations[i] = new
            changed_convs.append(conv.id)

    contacts = list(cur.contacts)
    changed_contacts = []
    for i in rng.sample(range(len(contacts)), how_many(len(contacts))):
        contacts[i] = _edit_contact(contacts[i], rng, moment())
        changed_contacts.append(contacts[i]["id"])

    companies = list(cur.companies)
    changed_companies = []
    for i in rng.sample(range(len(companies)), how_many(len(companies))):
        company = companies[i]
        at = moment()
        companies[i] = {
            **company,
            "monthly_spend": rng.choice((0, 49, 99, 299, 999, 4999)),
            "custom_attributes": {**company["custom_attributes"], "churn_risk": rng.choice(("low", "medium", "high"))},
            "last_request_at": max(company["last_request_at"], at),
            "updated_at": max(company["updated_at"], at),
        }
        changed_companies.append(company["id"])

    new_contacts = [_new_contact(contacts[0], rng, moment(), len(contacts) + i + 1)
                    for i in range(max(0, how_many(len(contacts)) // 2))]
    contacts.extend(new_contacts)

    conv_ids, source_ids = Counter(cur.counters["conversation"]), Counter(cur.counters["source"])
    new_convs = []
    for created in sorted(moment() for _ in range(max(0, how_many(len(conversations)) // 2))):
        contact = rng.choice(new_contacts) if new_contacts and rng.random() < 0.5 else rng.choice(contacts)
        created = max(created, contact["created_at"] + 1)
        if created > new_now:
            continue
        new_convs.append(play_conversation(
            random.Random(rng.getrandbits(64)), conv_id=conv_ids(), created=created, contact=contact,
            others=(), kind="customer" if rng.random() < 0.8 else "outbound", long=False, cast=cast,
            tags=cur.tags, now=new_now, part_ids=part_ids, source_id=source_ids(), office_hours=cur.office_hours))
    conversations.extend(new_convs)

    touched = _sync_contact_activity(contacts, conversations, changed_convs + [c.id for c in new_convs])
    ws.publish(
        now=new_now, contacts=contacts, companies=companies, conversations=conversations,
        counters={**cur.counters, "part": part_ids.value, "conversation": conv_ids.value,
                  "source": source_ids.value},
    )
    return {
        "previous_now": old_now,
        "now": new_now,
        "seed": seed,
        "changed": {
            "conversations": changed_convs,
            "contacts": sorted(set(changed_contacts) | touched),
            "companies": changed_companies,
        },
        "created": {"contacts": [c["id"] for c in new_contacts], "conversations": [c.id for c in new_convs]},
        "new_parts": part_ids.value - first_part_id,
    }


def _continue_conversation(conv: Conversation, contact: Mapping[str, Any], cast: Cast, rng: random.Random,
                           old_now: int, new_now: int, part_ids: Counter,
                           office_hours: OfficeHours) -> Conversation | None:
    """A new conversation object with more parts, or None when nothing fits before ``new_now``."""
    header, played = conv.played()
    events = list(played)
    before = len(events)
    last = events[-1].created_at if events else conv.created_at
    tl = Timeline(random.Random(rng.getrandbits(64)), max(last, old_now), new_now, part_ids)
    tl.events = events  # Timeline only appends
    script = Script(tl, cast, contact)
    state = conv.record["state"]
    if state == "closed":
        script.reopen()
    elif state == "snoozed":
        tl.add("unsnoozed", cast.bot, None, median_gap=MINUTE)
        script.exchanges(1)
        script.close()
    else:
        script.contact_says(rng.choice(vocab.CONTACT_FOLLOW_UPS), median_gap=10 * MINUTE)
        script.exchanges(rng.randint(1, 2))
        script.close()
    if len(events) == before:
        return None
    new = Conversation(id=conv.id, created_at=conv.created_at, contact_ids=conv.contact_ids, header=header,
                       events=events)
    new.refresh(office_hours)
    return new


def _replace(record: Any, **changes: Any) -> Any:
    if isinstance(record, ContactRecord):
        return record.replace(**changes)
    return {**record, **changes}


def _edit_contact(contact: Any, rng: random.Random, at: int) -> Any:
    roll = rng.random()
    changes: dict[str, Any] = {}
    if contact["role"] == "lead" and roll < 0.3:  # conversion
        changes.update(role="user", signed_up_at=at,
                       external_id=contact["external_id"] or f"u-{contact['id'][-6:]}")
    elif roll < 0.7:
        changes["custom_attributes"] = {**contact["custom_attributes"],
                                        "plan": rng.choice(("free", "pro", "enterprise")),
                                        "seats": rng.randint(1, 50)}
    changes["last_seen_at"] = max(contact["last_seen_at"] or 0, at)
    changes["updated_at"] = max(contact["updated_at"], at)
    return _replace(contact, **changes)


def _new_contact(template: Any, rng: random.Random, created: int, n: int) -> Any:
    """A new lead with the wire shape of ``template`` (the first contact)."""
    cid = object_id(rng, created)
    first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
    changes: dict[str, Any] = {
        "id": cid, "external_id": None, "role": "lead", "name": f"{first} {last}",
        "email": f"{first.lower()}.{last.lower()}.{n}@example.com", "phone": None, "owner_id": None,
        "created_at": created, "updated_at": created, "signed_up_at": None, "last_seen_at": created,
        "last_replied_at": None, "last_contacted_at": None, "last_email_opened_at": None,
        "custom_attributes": {"plan": "free", "seats": 1, "nps_score": None, "beta_tester": False,
                              "trial_started_at": created},
    }
    if isinstance(template, ContactRecord):
        return template.replace(**changes, tag_ids=(), company_ids=())
    changes["last_email_clicked_at"] = None
    for key, kind in (("tags", "tags"), ("notes", "notes"), ("companies", "companies"),
                      ("opted_out_subscription_types", "subscriptions"),
                      ("opted_in_subscription_types", "subscriptions")):
        changes[key] = addressable(cid, kind, [])
    return {**template, **changes}


def _sync_contact_activity(contacts: list[Any], conversations: list[Any], conversation_ids: list[str]) -> set[str]:
    """Carry new conversation activity onto the contacts' reply/contact times (in ``contacts``)."""
    position = {c["id"]: i for i, c in enumerate(contacts)}
    by_id = {c.id: c for c in conversations}
    touched: set[str] = set()
    for conv_id in conversation_ids:
        conv = by_id[conv_id]
        i = position[conv.contact_ids[0]]
        contact = contacts[i]
        changes: dict[str, Any] = {}
        for key, value in (("last_replied_at", conv.metric("last_contact_reply_at")),
                           ("last_contacted_at", conv.metric("last_admin_reply_at"))):
            current = changes.get(key, contact[key])
            if value is not None and (current is None or value > current):
                changes[key] = value
                changes["updated_at"] = max(changes.get("updated_at", contact["updated_at"]), value)
                touched.add(contact["id"])
        replied = changes.get("last_replied_at", contact["last_replied_at"])
        if replied is not None:
            changes["last_seen_at"] = max(contact["last_seen_at"] or 0, replied)
        if changes:
            contacts[i] = _replace(contact, **changes)
    return touched
