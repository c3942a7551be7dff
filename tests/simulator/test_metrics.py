"""Metric rules on hand-checked conversations, and statistics == ground truth."""

from __future__ import annotations

import datetime as dt

import pytest

from intercom_elt.simulator import OfficeHours, Workspace
from intercom_elt.simulator.metrics import (
    PartView,
    business_seconds,
    conversation_metrics,
    parts_from_wire,
    statistics_object,
)


def p(t: int, part_type: str, author: str, body: str | None = None, author_id: str = "7") -> PartView:
    return PartView(id=str(t), created_at=t, part_type=part_type, author_type=author, author_id=author_id, body=body)


CUSTOMER_THREAD = [
    p(1010, "comment", "bot", "<p>auto</p>"),
    p(1020, "default_assignment", "bot"),
    p(1030, "note", "admin", "<p>internal</p>"),
    p(1100, "comment", "admin", "<p>hi</p>"),
    p(1200, "comment", "user", "<p>more</p>"),
    p(1250, "comment", "user", "<p>and more</p>"),
    p(1300, "assignment", "admin", "<p>passing on</p>"),
    p(1400, "close", "admin", None, "7"),
    p(1500, "open", "admin"),
    p(1600, "comment", "admin", "<p>follow-up</p>"),
    p(1700, "close", "bot"),
    p(1800, "assign_and_reopen", "admin", "   "),
    p(1900, "close", "admin", None, "8"),
]


def test_customer_initiated_thread() -> None:
    m = conversation_metrics(created_at=1000, source_author_type="user", parts=list(reversed(CUSTOMER_THREAD)))
    assert m["first_contact_reply_at"] == 1000
    assert m["first_admin_reply_at"] == 1100  # the bot comment and the note don't count
    assert m["time_to_first_admin_reply_seconds"] == 100
    assert m["count_assignments"] == 3  # default_assignment, assignment, assign_and_reopen
    assert (m["first_assignment_at"], m["last_assignment_at"]) == (1020, 1800)
    assert (m["first_close_at"], m["last_close_at"], m["last_closed_by_id"]) == (1400, 1900, "8")
    assert (m["count_admin_closes"], m["count_bot_closes"], m["count_reopens"]) == (2, 1, 2)
    assert (m["time_to_first_close_seconds"], m["time_to_last_close_seconds"]) == (400, 900)
    assert m["median_time_to_reply_seconds"] == 75  # gaps 100 (source→1100) and 50 (1250→1300)
    assert m["last_contact_reply_at"] == 1250
    assert m["last_admin_reply_at"] == 1600  # the blank-bodied assign_and_reopen is no reply
    assert m["count_parts"] == len(CUSTOMER_THREAD)


def test_outbound_thread_counts_only_after_first_contact_message() -> None:
    parts = [
        p(1500, "comment", "admin", "<p>nudge</p>"),
        p(1600, "assignment", "admin"),
        p(2000, "comment", "lead", "<p>answer</p>"),
        p(2100, "assignment", "bot"),
        p(2150, "note", "admin", "<p>note</p>"),
        p(2200, "comment", "admin", "<p>reply</p>"),
        p(2300, "open", "admin"),
    ]
    m = conversation_metrics(created_at=1000, source_author_type="admin", parts=parts)
    assert m["first_contact_reply_at"] == 2000
    assert m["first_admin_reply_at"] == 2200
    assert (m["count_assignments"], m["first_assignment_at"]) == (1, 2100)
    assert m["count_reopens"] == 1
    assert m["median_time_to_reply_seconds"] == 200


def test_no_contact_message_means_nulls_and_zero_counts() -> None:
    parts = [p(1100, "comment", "admin", "<p>x</p>"), p(1200, "assignment", "admin"), p(1300, "close", "admin")]
    m = conversation_metrics(created_at=1000, source_author_type="admin", parts=parts)
    assert m["first_contact_reply_at"] is None and m["first_admin_reply_at"] is None
    assert m["time_to_first_admin_reply_seconds"] is None
    assert m["count_assignments"] == 0 and m["count_reopens"] == 0
    assert m["first_close_at"] == 1300  # admin closes count at any time
    assert m["time_to_first_close_seconds"] is None
    assert m["median_time_to_reply_seconds"] is None


def test_contact_author_type_and_even_median() -> None:
    parts = [p(1010, "comment", "admin", "a"), p(1020, "comment", "contact", "b"), p(1050, "comment", "admin", "c")]
    m = conversation_metrics(created_at=1000, source_author_type="lead", parts=parts)
    assert m["median_time_to_reply_seconds"] == 20  # gaps 10 and 30 → mean of the middle two
    parts.append(p(1060, "comment", "user", "d"))
    parts.append(p(1065, "comment", "admin", "e"))
    m = conversation_metrics(created_at=1000, source_author_type="lead", parts=parts)
    assert m["median_time_to_reply_seconds"] == 10  # gaps 10, 30, 5


def _ts(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp())


def test_business_seconds_default_hours() -> None:
    # 2026-08-28 is a Friday; 2026-08-31 a Monday
    assert business_seconds(_ts("2026-08-28T16:00:00+00:00"), _ts("2026-08-31T10:00:00+00:00")) == 7200
    assert business_seconds(_ts("2026-08-29T10:00:00+00:00"), _ts("2026-08-30T10:00:00+00:00")) == 0
    assert business_seconds(_ts("2026-08-31T08:00:00+00:00"), _ts("2026-08-31T18:00:00+00:00")) == 8 * 3600
    assert business_seconds(None, 5) is None
    assert business_seconds(10, 5) == 0


def test_business_seconds_configurable_zone_and_hours() -> None:
    dublin = OfficeHours(timezone="Europe/Dublin")  # UTC+1 in summer
    assert business_seconds(_ts("2026-08-31T07:00:00+00:00"), _ts("2026-08-31T09:00:00+00:00"), dublin) == 3600
    weekend = OfficeHours(weekly={5: [("10:00", "12:00")]})
    assert business_seconds(_ts("2026-08-29T00:00:00+00:00"), _ts("2026-08-30T00:00:00+00:00"), weekend) == 7200


def test_statistics_object_matches_metrics() -> None:
    m = conversation_metrics(created_at=1000, source_author_type="user", parts=CUSTOMER_THREAD)
    stats = statistics_object(m, total_parts=600)
    assert stats["count_conversation_parts"] == 601
    assert stats["median_time_to_reply"] == 75
    assert stats["first_admin_reply_at"] == m["first_admin_reply_at"]


STAT_KEYS = {
    "first_contact_reply_at": "first_contact_reply_at", "first_admin_reply_at": "first_admin_reply_at",
    "first_assignment_at": "first_assignment_at", "last_assignment_at": "last_assignment_at",
    "first_close_at": "first_close_at", "last_close_at": "last_close_at",
    "last_closed_by_id": "last_closed_by_id", "count_reopens": "count_reopens",
    "count_assignments": "count_assignments", "last_contact_reply_at": "last_contact_reply_at",
    "last_admin_reply_at": "last_admin_reply_at",
    "time_to_admin_reply": "time_to_first_admin_reply_business_seconds",
    "time_to_first_close": "time_to_first_close_business_seconds",
    "time_to_last_close": "time_to_last_close_business_seconds",
}


def test_statistics_agree_with_ground_truth(workspace: Workspace) -> None:
    truth = workspace.ground_truth["conversations"]
    for conv in workspace.conversations:
        stats, gt = conv.record["statistics"], truth[conv.id]
        for stat_key, gt_key in STAT_KEYS.items():
            assert stats[stat_key] == gt[gt_key], (conv.id, stat_key)
        median = gt["median_time_to_reply_seconds"]
        assert stats["median_time_to_reply"] == (None if median is None else int(median))
        assert stats["count_conversation_parts"] == gt["count_parts_total"] + 1
        assert gt["count_parts"] == min(500, gt["count_parts_total"])


def test_ground_truth_recomputes_from_visible_parts(workspace: Workspace) -> None:
    """What a warehouse sees (≤ 500 parts) yields the same metrics as all events."""
    truth = workspace.ground_truth["conversations"]
    for conv in workspace.conversations:
        wire = conv.full_record()
        m = conversation_metrics(
            created_at=wire["created_at"], source_author_type=wire["source"]["author"]["type"],
            parts=parts_from_wire(wire["conversation_parts"]["conversation_parts"]),
            office_hours=workspace.office_hours,
        )
        expected = {k: v for k, v in truth[conv.id].items() if k in m}
        assert m == expected, conv.id


def test_contact_funnel_rules(workspace: Workspace) -> None:
    funnel = workspace.ground_truth["contacts"]
    as_of = max(c["updated_at"] for c in workspace.contacts)
    engaged = [f for f in funnel.values() if f["engaged_at"] is not None]
    assert engaged and any(f["answered_at"] for f in engaged)
    for contact in workspace.contacts:
        f = funnel[contact["id"]]
        assert f["as_of"] == as_of
        if contact["signed_up_at"] is not None:
            assert f["converted_at"] == contact["signed_up_at"]
        elif contact["role"] == "user":
            assert f["converted_at"] == contact["created_at"]
        else:
            assert f["converted_at"] is None
        seen = contact["last_seen_at"]
        assert f["is_active"] == (seen is not None and seen >= as_of - 30 * 86_400)
        if f["answered_at"] is not None:
            assert f["engaged_at"] is not None
    assert any(f["is_active"] for f in funnel.values()) and not all(f["is_active"] for f in funnel.values())


@pytest.mark.parametrize("conv_index", [0, 1, 2])
def test_engaged_at_is_min_over_conversations(workspace: Workspace, conv_index: int) -> None:
    conv = workspace.conversations[conv_index]
    for cid in conv.contact_ids:
        mins = [c.metrics["first_contact_reply_at"] for c in workspace.conversations
                if cid in c.contact_ids and c.metrics["first_contact_reply_at"] is not None]
        assert workspace.ground_truth["contacts"][cid]["engaged_at"] == (min(mins) if mins else None)
