"""End to end: simulator → PyAirbyte extract → DuckDB → dbt build, checked against the
generator's ground truth (computed in Python from the generated events)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from intercom_elt.connector import stream_info, stream_names
from intercom_elt.simulator import Workspace

pytestmark = pytest.mark.slow

CONVERSATION_FIELDS = [
    "first_contact_reply_at",
    "first_admin_reply_at",
    "first_assignment_at",
    "last_assignment_at",
    "first_close_at",
    "last_close_at",
    "count_reopens",
    "count_assignments",
    "count_parts",
    "time_to_first_admin_reply_seconds",
    "time_to_first_close_seconds",
    "time_to_last_close_seconds",
]
CONTACT_FIELDS = ["engaged_at", "answered_at", "converted_at", "is_active"]


def _query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def _as_epoch(value: object) -> object:
    if isinstance(value, dt.datetime):
        return int(value.replace(tzinfo=dt.timezone.utc).timestamp())
    return value


def _key_tuple(record: dict, key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(record[column]) for column in key)


@pytest.mark.parametrize("stream", stream_names())
def test_raw_table_holds_every_record_once(
    built_warehouse: Path, pipeline_workspace: Workspace, stream: str
) -> None:
    key = stream_info(stream).primary_key
    expected = {_key_tuple(r, key) for r in pipeline_workspace.expected_records(stream)}
    columns = ", ".join(f'cast("{c}" as varchar)' for c in key)
    rows = _query(built_warehouse, f'select {columns} from intercom_raw."{stream}"')
    loaded = [tuple(row) for row in rows]
    assert len(loaded) == len(set(loaded)), f"{stream}: duplicate primary keys"
    assert set(loaded) == expected
    assert expected, f"{stream}: the simulator workspace should not be empty"


def _mismatches_with_truth(
    path: Path, mart: str, key: str, fields: list[str], truth: dict[str, dict]
) -> list[tuple]:
    """(id, field, mart value, true value) for every value of the mart that is wrong."""
    rows = _query(path, f"select {key}, {', '.join(fields)} from marts.{mart}")
    assert len(rows) == len(truth), f"{mart}: {len(rows)} rows, {len(truth)} expected"
    return [
        (row_id, field, _as_epoch(value), truth[row_id][field])
        for row_id, *values in rows
        for field, value in zip(fields, values)
        if _as_epoch(value) != truth[row_id][field]
    ]


def test_conversation_metrics_equal_ground_truth(
    built_warehouse: Path, pipeline_workspace: Workspace
) -> None:
    mismatches = _mismatches_with_truth(
        built_warehouse, "conversation_metrics", "conversation_id", CONVERSATION_FIELDS,
        pipeline_workspace.ground_truth["conversations"],
    )
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:5]}"


def test_contact_funnel_equals_ground_truth(
    built_warehouse: Path, pipeline_workspace: Workspace
) -> None:
    mismatches = _mismatches_with_truth(
        built_warehouse, "contact_funnel", "contact_id", CONTACT_FIELDS,
        pipeline_workspace.ground_truth["contacts"],
    )
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:5]}"


def test_workspace_covers_the_cases_the_metrics_must_handle(pipeline_workspace: Workspace) -> None:
    truth = pipeline_workspace.ground_truth["conversations"].values()
    assert any(t["first_contact_reply_at"] is None for t in truth), "outbound, never answered"
    assert any(t["count_reopens"] > 0 for t in truth)
    assert any(t["count_bot_closes"] > 0 for t in truth)
    assert any(t["first_admin_reply_at"] is not None for t in truth)
    funnel = pipeline_workspace.ground_truth["contacts"].values()
    assert any(f["converted_at"] is not None for f in funnel)
    assert any(f["is_active"] for f in funnel) and not all(f["is_active"] for f in funnel)
