"""The seeded generator: determinism, coverage and internal consistency."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from intercom_elt.simulator import DEFAULT_NOW, Workspace, generate_workspace
from intercom_elt.simulator.conversation import STATE_BY_PART
from intercom_elt.simulator.metrics import ASSIGNMENT_TYPES

HEX24 = re.compile(r"^[0-9a-f]{24}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _fingerprint(ws: Workspace) -> tuple:
    return (
        [c["id"] for c in ws.contacts], [c["updated_at"] for c in ws.contacts],
        [c.record for c in ws.conversations],
        [[tuple(e) for e in c.events] for c in ws.conversations],
        ws.companies, ws.tickets, ws.activity_logs, ws.ground_truth,
    )


def test_same_seed_same_workspace(workspace: Workspace) -> None:
    assert _fingerprint(generate_workspace(seed=1)) == _fingerprint(workspace)


def test_different_seed_differs(workspace: Workspace) -> None:
    other = generate_workspace(seed=2)
    assert [c["id"] for c in other.contacts] != [c["id"] for c in workspace.contacts]


def test_unknown_scale_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        generate_workspace(scale="huge")


def test_small_preset_sizes(workspace: Workspace) -> None:
    assert workspace.now == DEFAULT_NOW
    assert len(workspace.contacts) == 200
    assert len(workspace.companies) == 40
    assert len(workspace.conversations) == 300
    assert len(workspace.admins) == 8
    assert len(workspace.teams) == 3
    bots = [a for a in workspace.admins if a["email"].startswith("operator+")]
    assert len(bots) == 1 and bots[0]["email"] == f"operator+{workspace.app_id}@intercom.io"


def test_id_formats(workspace: Workspace) -> None:
    assert all(a["id"].isdigit() for a in workspace.admins)
    assert all(t["id"].isdigit() for t in workspace.teams + workspace.tags + workspace.tickets)
    assert all(HEX24.match(x["id"]) for x in workspace.contacts + workspace.companies + workspace.segments)
    assert all(UUID.match(log["id"]) for log in workspace.activity_logs)
    assert all(c.id.isdigit() and all(e.id.isdigit() for e in c.events) for c in workspace.conversations)
    assert all(isinstance(i, int) for a in workspace.admins for i in a["team_ids"])
    assert all(isinstance(i, int) for t in workspace.teams for i in t["admin_ids"])
    part_ids = [e.id for c in workspace.conversations for e in c.events]
    assert len(part_ids) == len(set(part_ids))


def _all_timestamps(obj: object) -> list[int]:
    out: list[int] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if (key.endswith("_at") or key == "waiting_since") and isinstance(value, int):
                out.append(value)
            else:
                out.extend(_all_timestamps(value))
    elif isinstance(obj, list):
        for item in obj:
            out.extend(_all_timestamps(item))
    return out


def test_timestamps_not_after_now(workspace: Workspace) -> None:
    records = (workspace.expected_records("contacts") + workspace.companies + workspace.tickets
               + workspace.activity_logs + [c.full_record() for c in workspace.conversations])
    stamps = _all_timestamps(records)
    assert max(stamps) <= workspace.now
    # snoozed_until is the one field that may point past `now` (a snooze still running)
    assert all(c.record["snoozed_until"] is None or c.record["state"] == "snoozed" for c in workspace.conversations)
    assert min(stamps) >= workspace.now - 600 * 86_400


def test_contacts_cover_leads_users_and_conversions(workspace: Workspace) -> None:
    roles = Counter(c["role"] for c in workspace.contacts)
    assert roles["lead"] > 20 and roles["user"] > 20
    converted = [c for c in workspace.contacts if c["role"] == "user" and c["signed_up_at"] - c["created_at"] > 3600]
    assert converted, "some leads converted to users later"
    assert all(c["signed_up_at"] is None for c in workspace.contacts if c["role"] == "lead")
    recent = [c for c in workspace.contacts if c["last_seen_at"] and c["last_seen_at"] > workspace.now - 7 * 86_400]
    assert recent
    assert all(c["updated_at"] >= c["created_at"] for c in workspace.contacts)
    assert all(c["tags"]["type"] == "list" and "url" in c["tags"] for c in workspace.contacts)


def test_conversation_coverage(workspace: Workspace) -> None:
    convs = workspace.conversations
    delivered = Counter(c.record["source"]["delivered_as"] for c in convs)
    assert delivered["customer_initiated"] and (delivered["admin_initiated"] + delivered["campaigns_initiated"])
    part_types = Counter(e.part_type for c in convs for e in c.events)
    for kind in ("comment", "note", "close", "open", "assign_and_reopen", "snoozed", "unsnoozed",
                 "assignment", "default_assignment", "away_mode_assignment"):
        assert part_types[kind], kind
    authors = Counter(e.author_type for c in convs for e in c.events)
    assert {"admin", "user", "lead", "bot"} <= set(authors)
    assert any(e.part_type == "close" and e.author_type == "bot" for c in convs for e in c.events)
    assert any(e.part_type in ASSIGNMENT_TYPES and e.body for c in convs for e in c.events)
    assert any(e.part_type in ASSIGNMENT_TYPES and not e.body for c in convs for e in c.events)
    unanswered = [c for c in convs if c.record["source"]["author"]["type"] == "admin"
                  and c.metrics["first_contact_reply_at"] is None]
    assert unanswered, "some outbound conversations are never answered"
    ratings = [c.record["conversation_rating"] for c in convs]
    assert any(r is None for r in ratings) and any(r and r["remark"] for r in ratings)
    assert {"open", "closed"} <= {c.record["state"] for c in convs}
    assert any(len(c.events) > 500 for c in convs)


def test_conversation_consistency(workspace: Workspace) -> None:
    for conv in workspace.conversations:
        rec = conv.record
        times = [e.created_at for e in conv.events]
        assert all(b - a >= 1 for a, b in zip([conv.created_at, *times], times)), conv.id
        state = "open"
        for e in conv.events:
            state = STATE_BY_PART.get(e.part_type, state)
        assert rec["state"] == state and rec["open"] == (state != "closed")
        if state == "snoozed":
            assert rec["snoozed_until"] is not None
        last = max([conv.created_at] + [e.updated_at for e in conv.events])
        assert rec["updated_at"] == last
        assignments = [e for e in conv.events if e.part_type in ASSIGNMENT_TYPES and e.assigned_to]
        if not assignments:
            assert rec["admin_assignee_id"] is None and rec["team_assignee_id"] is None
        elif assignments[-1].assigned_to[0] == "admin":
            assert rec["admin_assignee_id"] == int(assignments[-1].assigned_to[1])
        else:
            assert rec["team_assignee_id"] == int(assignments[-1].assigned_to[1])
        assert rec["statistics"]["count_conversation_parts"] == len(conv.events) + 1
        assert set(conv.contact_ids) <= set(workspace.contacts_by_id)


def test_expected_records(workspace: Workspace) -> None:
    parts = workspace.expected_records("conversation_parts")
    assert len(parts) == sum(min(500, len(c.events)) for c in workspace.conversations)
    assert all("conversation_id" in p for p in parts)
    assert len(workspace.expected_records("company_segments")) == sum(
        len(v) for v in workspace.company_segments.values())
    assert workspace.expected_records("contact_attributes")[0]["model"] == "contact"
    with pytest.raises(KeyError):
        workspace.expected_records("nope")


def test_write_ground_truth(workspace: Workspace, tmp_path) -> None:
    import json

    path = workspace.write_ground_truth(tmp_path)
    data = json.loads(path.read_text())
    assert set(data["conversations"]) == {c.id for c in workspace.conversations}
    assert set(data["contacts"]) == {c["id"] for c in workspace.contacts}


def test_compact_contacts_render_like_dicts(workspace: Workspace) -> None:
    from intercom_elt.simulator.records import ContactRecord

    contact = workspace.contacts[0]
    wire = contact.to_dict()
    assert isinstance(contact, ContactRecord) and wire == contact and dict(contact) == wire
    assert list(contact) == list(wire) and all(contact[k] == wire[k] for k in wire)
    assert contact.get("nope", 1) == 1 and "email_domain" in contact
    changed = contact.replace(role="user", custom_attributes={**wire["custom_attributes"], "plan": "pro"})
    assert changed["custom_attributes"]["plan"] == "pro" and changed["role"] == "user"
    assert contact.to_dict() == wire  # the original is untouched
    with pytest.raises(KeyError):
        contact.replace(type="lead")


def test_generated_conversations_replay_their_parts(workspace: Workspace) -> None:
    """Generated conversations keep a recipe, not events; replay is exact and cheap fields need no replay."""
    from intercom_elt.simulator.conversation import METRIC_KEYS
    from intercom_elt.simulator.metrics import conversation_metrics

    conv = workspace.conversations[3]
    assert conv._events is None and conv._recipe is not None
    assert conv.played() == conv.played() and conv.n_events == len(conv.events)
    assert tuple(conversation_metrics(created_at=0, source_author_type="user", parts=[])) == METRIC_KEYS
    wire = conv.record.to_dict()
    assert dict(conv.record) == wire and conv.record == wire
    for key in ("id", "updated_at", "state", "open", "statistics", "teammates", "waiting_since"):
        assert conv.record[key] == wire[key], key
