"""The extractor against the simulator: exact incremental syncs, full refreshes, faults.

Each test serves its own small workspace, because time travel and faults change it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from intercom_elt import extractor
from intercom_elt.connector import stream_info, stream_names
from intercom_elt.errors import AuthenticationError
from intercom_elt.settings import ConnectorSettings
from intercom_elt.simulator import DEMO_TOKEN, Faults, SimulatorServer, generate_workspace

pytestmark = pytest.mark.slow

START_DATE = "2020-01-01T00:00:00Z"
PARTS_PATH = re.compile(r"^/conversations/(\d+)$")


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    server = SimulatorServer(generate_workspace(seed=11, scale="small"), port=0)
    server.start()
    yield server
    server.stop()


def run(server: SimulatorServer, path: Path, **options: object) -> extractor.ExtractResult:
    settings = ConnectorSettings(
        access_token=DEMO_TOKEN,
        start_date=START_DATE,
        api_url=server.url,
        api_rate_limit=int(options.pop("api_rate_limit", 100_000)),
    )
    return extractor.extract(settings, duckdb_path=path, **options)


def raw_rows(path: Path, stream: str) -> dict[tuple[str, ...], dict]:
    """Rows by primary key, without PyAirbyte's bookkeeping columns."""
    key = stream_info(stream).primary_key
    with duckdb.connect(str(path), read_only=True) as connection:
        cursor = connection.execute(f'select * from intercom_raw."{stream}"')
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    by_key = {}
    for row in rows:
        clean = {k: v for k, v in row.items() if not k.startswith("_airbyte")}
        by_key[tuple(str(row[c]) for c in key)] = clean
    assert len(by_key) == len(rows), f"{stream}: duplicate primary keys"
    return by_key


def fetched_conversations(server: SimulatorServer) -> Counter[str]:
    """How many times each conversation's parts were requested."""
    return Counter(
        match.group(1)
        for entry in server.request_log.entries()
        if (match := PARTS_PATH.match(entry.path))
    )


def test_repeat_run_without_changes_adds_and_loses_nothing(
    simulator: SimulatorServer, tmp_path: Path
) -> None:
    path = tmp_path / "w.duckdb"
    first = run(simulator, path)
    before = {stream: raw_rows(path, stream) for stream in stream_names()}
    newest = max(c.record["updated_at"] for c in simulator.workspace.conversations)
    at_cursor_second = {
        c.id for c in simulator.workspace.conversations if c.record["updated_at"] == newest
    }

    simulator.request_log.clear()
    second = run(simulator, path)

    assert {s.name: s.rows for s in second.streams} == {s.name: s.rows for s in first.streams}
    for stream in stream_names():
        assert raw_rows(path, stream) == before[stream], stream
    # Only conversations sharing the saved cursor's second are read again.
    assert set(fetched_conversations(simulator)) == at_cursor_second


def test_incremental_after_time_travel_equals_a_clean_full_sync(
    simulator: SimulatorServer, tmp_path: Path
) -> None:
    incremental_path = tmp_path / "incremental.duckdb"
    run(simulator, incremental_path)
    newest = max(c.record["updated_at"] for c in simulator.workspace.conversations)
    at_cursor_second = {
        c.id for c in simulator.workspace.conversations if c.record["updated_at"] == newest
    }

    change = simulator.advance(3600, fraction=0.01, seed=5)
    changed = set(change["changed"].get("conversations", [])) | set(
        change["created"].get("conversations", [])
    )
    assert changed, "time travel should change some conversations"
    simulator.request_log.clear()
    run(simulator, incremental_path)
    fetched = fetched_conversations(simulator)
    assert set(fetched) == changed | at_cursor_second
    assert max(fetched.values()) == 1

    full_path = tmp_path / "full.duckdb"
    run(simulator, full_path, full_refresh=True)
    for stream in stream_names():
        assert raw_rows(incremental_path, stream) == raw_rows(full_path, stream), stream


def test_full_refresh_rereads_everything_and_keeps_one_row_per_key(
    simulator: SimulatorServer, tmp_path: Path
) -> None:
    path = tmp_path / "w.duckdb"
    run(simulator, path)
    simulator.request_log.clear()
    result = run(simulator, path, full_refresh=True)
    assert len(fetched_conversations(simulator)) == len(simulator.workspace.conversations)
    for stream in result.streams:
        expected = simulator.workspace.expected_records(stream.name)
        assert stream.rows == len(expected), stream.name


def test_incremental_run_drops_reference_rows_deleted_upstream(tmp_path: Path) -> None:
    # Reference streams are re-read whole on every run, so a tag or admin deleted in
    # Intercom must leave the raw table too, not linger from the previous run.
    path = tmp_path / "w.duckdb"
    streams = ["admins", "tags", "conversations"]
    with SimulatorServer(generate_workspace(seed=11, scale="small"), port=0) as server:
        run(server, path, streams=streams)
    trimmed = generate_workspace(seed=11, scale="small")
    removed_tag, removed_admin = trimmed.tags.pop(0), trimmed.admins.pop()
    with SimulatorServer(trimmed, port=0) as server:
        result = run(server, path, streams=streams)
    for stream, removed in (("tags", removed_tag), ("admins", removed_admin)):
        key = stream_info(stream).primary_key
        expected = {tuple(str(r[c]) for c in key) for r in trimmed.expected_records(stream)}
        assert set(raw_rows(path, stream)) == expected, stream
        assert tuple(str(removed[c]) for c in key) not in expected
    assert {s.name: s.rows for s in result.streams}["tags"] == len(trimmed.tags)


def test_rate_limit_storm_and_server_errors_lose_nothing(tmp_path: Path) -> None:
    # A storm of 429s on the concurrent conversation requests (another app spending the
    # shared quota), a server quota of 200 per 10-second window far under the client's
    # 10,000/min budget, and 5% 5xx answers. After a 429 the API budget holds every
    # request until the window's X-RateLimit-Reset; repeated 429s also back off.
    forced_429 = 10
    server = SimulatorServer(
        generate_workspace(seed=11, scale="small"), port=0, rate_limit_per_minute=1200
    )
    server.set_faults(Faults(force_429=forced_429, rate_limit_paths=("/conversations",),
                             error_rate_5xx=0.05, seed=3))
    server.start()
    try:
        path = tmp_path / "w.duckdb"
        result = run(server, path, streams=["admins", "conversations", "conversation_parts"],
                     api_rate_limit=10_000)
        statuses = Counter(entry.status for entry in server.request_log.entries())
        for stream in result.streams:
            assert set(raw_rows(path, stream.name)) == {
                tuple(str(r[c]) for c in stream_info(stream.name).primary_key)
                for r in server.workspace.expected_records(stream.name)
            }, stream.name
    finally:
        server.stop()
    assert statuses[429] >= forced_429, statuses
    assert sum(statuses[s] for s in (500, 502, 503)) > 0, statuses


def test_deleted_conversation_is_skipped_and_reported(
    simulator: SimulatorServer, tmp_path: Path
) -> None:
    deleted = simulator.workspace.conversations[3].id
    simulator.set_faults(Faults(deleted_conversation_ids=frozenset({deleted})))
    path = tmp_path / "w.duckdb"
    result = run(simulator, path, streams=["conversations", "conversation_parts"])
    parts = raw_rows(path, "conversation_parts")
    expected = {
        (str(r["id"]),)
        for r in simulator.workspace.expected_records("conversation_parts")
        if str(r["conversation_id"]) != deleted
    }
    assert set(parts) == expected
    assert any(f"/conversations/{deleted}" in notice for notice in result.notices), result.notices


def test_client_budget_keeps_under_the_quota(tmp_path: Path) -> None:
    # 1,200/min is 200 per 10-second window; our budget asks for 95% of it.
    server = SimulatorServer(
        generate_workspace(seed=12, scale="small"), port=0, rate_limit_per_minute=1200
    )
    server.start()
    try:
        run(server, tmp_path / "w.duckdb", streams=["conversations", "conversation_parts"],
            api_rate_limit=1140)
        statuses = Counter(entry.status for entry in server.request_log.entries())
    finally:
        server.stop()
    assert statuses[200] > 300
    assert statuses[429] <= 2, statuses


def test_wrong_token_is_an_authentication_error(simulator: SimulatorServer, tmp_path: Path) -> None:
    settings = ConnectorSettings(access_token="nope", start_date=START_DATE, api_url=simulator.url)
    with pytest.raises(AuthenticationError):
        extractor.extract(settings, duckdb_path=tmp_path / "w.duckdb")


def test_token_never_reaches_output_or_logs(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from airbyte.logs import AIRBYTE_LOGGING_ROOT

    secret = "tok-8c1d5e7f3a"
    started = time.time()
    server = SimulatorServer(generate_workspace(seed=13, scale="small"), port=0, token=secret)
    server.start()
    try:
        settings = ConnectorSettings(access_token=secret, start_date=START_DATE, api_url=server.url)
        extractor.extract(settings, duckdb_path=tmp_path / "w.duckdb", streams=["tags", "admins"])
    finally:
        server.stop()
    captured = capfd.readouterr()
    assert secret not in captured.out + captured.err
    written = [
        file for root in (tmp_path, AIRBYTE_LOGGING_ROOT) for file in root.rglob("*")
        if file.is_file() and file.suffix != ".duckdb" and file.stat().st_mtime >= started - 1
    ]
    assert written, "PyAirbyte should have written its logs"
    for file in written:
        assert secret not in file.read_text(errors="ignore"), file
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        for schema, table in tables:
            dump = json.dumps(connection.execute(f'select * from "{schema}"."{table}"').fetchall(), default=str)
            assert secret not in dump, f"{schema}.{table}"


def test_rerun_after_a_killed_run_equals_a_clean_sync(tmp_path: Path) -> None:
    server = SimulatorServer(
        generate_workspace(seed=14, scale="small"), port=0, faults=Faults(latency_ms=20)
    )
    server.start()
    try:
        path = tmp_path / "killed.duckdb"
        process = subprocess.Popen(
            [sys.executable, "-m", "intercom_elt", "extract", "--api-url", server.url,
             "--duckdb-path", str(path), "--workers", "4"],
            env={**os.environ, "INTERCOM_ACCESS_TOKEN": DEMO_TOKEN},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while len(fetched_conversations(server)) < 100 and process.poll() is None:
            assert time.monotonic() < deadline, "the extraction never got going"
            time.sleep(0.05)
        assert process.poll() is None, "the run finished before it could be killed"
        # Killed while Intercom fails: its connector process has no records to write (the
        # broken pipe would stop it) and must still end with it, not retry on.
        server.set_faults(Faults(error_rate_5xx=1.0))
        time.sleep(0.5)
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(1)
        settled = len(server.request_log.entries())
        time.sleep(5)
        assert len(server.request_log.entries()) == settled, "the connector outlived the run"

        server.set_faults(Faults())
        run(server, path)
        clean = tmp_path / "clean.duckdb"
        run(server, clean, full_refresh=True)
        for stream in stream_names():
            assert raw_rows(path, stream) == raw_rows(clean, stream), stream
    finally:
        server.stop()
