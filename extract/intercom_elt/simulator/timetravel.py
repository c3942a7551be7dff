"""Time travel: move a workspace's clock forward and change some records.

Every change happens strictly after the old clock and no later than the new
one, so an incremental sync started at the old ``now`` sees all of it. The
conversations' ``statistics``, ``updated_at`` and the ground truth are
recomputed by the same code the generator uses.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from . import vocab
from .generator import play_conversation
from .ids import Counter, object_id
from .timeline import MINUTE, Script, Timeline, cast_from
from .workspace import Workspace


def advance(ws: Workspace, seconds: int, *, fraction: float = 0.01, seed: int | None = None) -> dict[str, Any]:
    """Advance ``ws.now`` by ``seconds`` and mutate about ``fraction`` of records.

    Changes: new parts on existing conversations (replies, closes, reopens,
    unsnoozes), attribute edits on contacts (including lead → user
    conversions) and companies, and some new contacts and conversations.

    Args:
        ws: the workspace, mutated in place (its ``version`` is bumped).
        seconds: how far to move the clock (> 0).
        fraction: share of contacts, companies and conversations to touch.
        seed: makes the step reproducible; defaults to one derived from the
            workspace seed and clock.

    Returns:
        ``{"previous_now", "now", "seed", "changed": {stream: [ids]},
        "created": {stream: [ids]}, "new_parts": n}``.

    Raises:
        ValueError: for a non-positive ``seconds`` or a fraction outside [0, 1].
    """
    if seconds <= 0:
        raise ValueError(f"seconds must be positive, got {seconds}")
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be within [0, 1], got {fraction}")
    seed = seed if seed is not None else hash((ws.seed, ws.now, ws.version)) & 0xFFFFFFFF
    rng = random.Random(seed)
    old_now, new_now = ws.now, ws.now + seconds
    ws.now = new_now
    cast = cast_from(ws.admins, ws.teams)
    part_ids = Counter(ws.counters["part"])
    first_part_id = part_ids.value

    def moment() -> int:
        return rng.randint(old_now + 1, new_now)

    def how_many(total: int) -> int:
        return min(total, max(1, round(fraction * total))) if fraction and total else 0

    changed_convs = []
    for conv in rng.sample(ws.conversations, how_many(len(ws.conversations))):
        before = len(conv.events)
        _continue_conversation(conv, ws, cast, rng, old_now, new_now, part_ids)
        if len(conv.events) > before:
            conv.refresh(ws.office_hours)
            changed_convs.append(conv.id)

    changed_contacts = []
    for contact in rng.sample(ws.contacts, how_many(len(ws.contacts))):
        _edit_contact(contact, rng, moment())
        changed_contacts.append(contact["id"])

    changed_companies = []
    for company in rng.sample(ws.companies, how_many(len(ws.companies))):
        at = moment()
        company["monthly_spend"] = rng.choice((0, 49, 99, 299, 999, 4999))
        company["custom_attributes"] = {**company["custom_attributes"], "churn_risk": rng.choice(("low", "medium", "high"))}
        company["last_request_at"] = max(company["last_request_at"], at)
        company["updated_at"] = max(company["updated_at"], at)
        changed_companies.append(company["id"])

    new_contacts = [_new_contact(ws, rng, moment(), len(ws.contacts) + i + 1)
                    for i in range(max(0, how_many(len(ws.contacts)) // 2))]
    ws.contacts.extend(new_contacts)

    conv_ids, source_ids = Counter(ws.counters["conversation"]), Counter(ws.counters["source"])
    new_convs = []
    for created in sorted(moment() for _ in range(max(0, how_many(len(ws.conversations)) // 2))):
        contact = rng.choice(new_contacts) if new_contacts and rng.random() < 0.5 else rng.choice(ws.contacts)
        created = max(created, contact["created_at"] + 1)
        if created > new_now:
            continue
        new_convs.append(play_conversation(
            random.Random(rng.getrandbits(64)), conv_id=conv_ids(), created=created, contact=contact,
            others=(), kind="customer" if rng.random() < 0.8 else "outbound", long=False, cast=cast,
            tags=ws.tags, now=new_now, part_ids=part_ids, source_id=source_ids(), office_hours=ws.office_hours))
    ws.conversations.extend(new_convs)

    touched = _sync_contact_activity(ws, changed_convs + [c.id for c in new_convs])
    ws.counters.update(part=part_ids.value, conversation=conv_ids.value, source=source_ids.value)
    ws.refresh_ground_truth()
    ws.version += 1
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


def _continue_conversation(conv: Any, ws: Workspace, cast: Any, rng: random.Random, old_now: int, new_now: int,
                           part_ids: Counter) -> None:
    contact = ws.contacts_by_id[conv.contact_ids[0]]
    last = conv.events[-1].created_at if conv.events else conv.created_at
    tl = Timeline(random.Random(rng.getrandbits(64)), max(last, old_now), new_now, part_ids)
    tl.events = conv.events  # append in place; Timeline never rewrites earlier events
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


def _edit_contact(contact: dict[str, Any], rng: random.Random, at: int) -> None:
    roll = rng.random()
    if contact["role"] == "lead" and roll < 0.3:  # conversion
        contact["role"] = "user"
        contact["signed_up_at"] = at
        contact["external_id"] = contact["external_id"] or f"u-{contact['id'][-6:]}"
    elif roll < 0.7:
        contact["custom_attributes"] = {**contact["custom_attributes"], "plan": rng.choice(("free", "pro", "enterprise")),
                                        "seats": rng.randint(1, 50)}
    contact["last_seen_at"] = max(contact["last_seen_at"] or 0, at)
    contact["updated_at"] = max(contact["updated_at"], at)


def _new_contact(ws: Workspace, rng: random.Random, created: int, n: int) -> dict[str, Any]:
    contact = copy.deepcopy(ws.contacts[0])  # same wire shape as every other contact
    cid = object_id(rng, created)
    first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
    contact.update({
        "id": cid, "external_id": None, "role": "lead", "name": f"{first} {last}",
        "email": f"{first.lower()}.{last.lower()}.{n}@example.com", "phone": None, "owner_id": None,
        "created_at": created, "updated_at": created, "signed_up_at": None, "last_seen_at": created,
        "last_replied_at": None, "last_contacted_at": None, "last_email_opened_at": None,
        "last_email_clicked_at": None,
        "custom_attributes": {"plan": "free", "seats": 1, "nps_score": None, "beta_tester": False,
                              "trial_started_at": created},
    })
    for key, kind in (("tags", "tags"), ("notes", "notes"), ("companies", "companies"),
                      ("opted_out_subscription_types", "subscriptions"), ("opted_in_subscription_types", "subscriptions")):
        contact[key] = {"type": "list", "data": [], "url": f"/contacts/{cid}/{kind}", "total_count": 0, "has_more": False}
    return contact


def _sync_contact_activity(ws: Workspace, conversation_ids: list[str]) -> set[str]:
    """Carry new conversation activity onto the contacts' reply/contact times."""
    ws.reindex()
    touched: set[str] = set()
    for conv_id in conversation_ids:
        conv = ws.conversations_by_id[conv_id]
        contact = ws.contacts_by_id[conv.contact_ids[0]]
        m = conv.metrics
        for key, value in (("last_replied_at", m["last_contact_reply_at"]),
                           ("last_contacted_at", m["last_admin_reply_at"])):
            if value is not None and (contact[key] is None or value > contact[key]):
                contact[key] = value
                contact["updated_at"] = max(contact["updated_at"], value)
                touched.add(contact["id"])
        if contact["last_replied_at"] is not None:
            contact["last_seen_at"] = max(contact["last_seen_at"] or 0, contact["last_replied_at"])
    return touched
