"""Extraction benchmarks on the medium preset (ratios measured in one run).

1. Quota use: the simulator answers after 100 ms and allows Intercom's default 10,000
   calls per minute. A full sync can never beat requests ÷ allowed rate; the ratio
   wall time ÷ that floor says how much of the quota we leave unused (target ≤ 1.2).
2. Record throughput with latency off, against loading the very same response pages'
   JSON into DuckDB with `read_json` (the cost of parsing and storing, nothing else).
"""

from __future__ import annotations

import json
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb

from intercom_elt import extractor
from intercom_elt.settings import ConnectorSettings
from intercom_elt.simulator import DEMO_TOKEN, Faults, SimulatorServer, generate_workspace

SCALE = "medium"
QUOTA_PER_MINUTE = 10_000
LATENCY_MS = 100
WORKERS = 25  # 167 calls/s × 0.1 s latency ≈ 17 requests in flight, plus headroom


def _settings(server: SimulatorServer, *, rate_limit: int) -> ConnectorSettings:
    return ConnectorSettings(
        access_token=DEMO_TOKEN,
        start_date="2020-01-01T00:00:00Z",
        api_url=server.url,
        num_workers=WORKERS,
        api_rate_limit=rate_limit,
    )


def _timed_full_sync(server: SimulatorServer, settings: ConnectorSettings, path: Path) -> tuple[float, int]:
    server.request_log.clear()
    started = time.monotonic()
    result = extractor.extract(settings, duckdb_path=path, full_refresh=True)
    return time.monotonic() - started, result.records_read


def quota_ratio(workdir: Path) -> list[str]:
    """Wall time of a full sync ÷ (requests needed ÷ allowed rate)."""
    server = SimulatorServer(
        generate_workspace(seed=1, scale=SCALE),
        rate_limit_per_minute=QUOTA_PER_MINUTE,
        faults=Faults(latency_ms=LATENCY_MS),
    )
    with server:
        settings = _settings(server, rate_limit=int(QUOTA_PER_MINUTE * 0.95))
        elapsed, records = _timed_full_sync(server, settings, workdir / "quota.duckdb")
        statuses = Counter(entry.status for entry in server.request_log.entries())
    needed = sum(count for status, count in statuses.items() if status != 429)
    floor = needed / (QUOTA_PER_MINUTE / 60)
    return [
        f"quota: {needed:,} requests ({statuses[429]} answered 429), {records:,} records",
        f"quota: wall {elapsed:.1f} s, floor {floor:.1f} s at {QUOTA_PER_MINUTE:,}/min "
        f"and {LATENCY_MS} ms latency",
        f"quota: RATIO wall/floor = {elapsed / floor:.2f} (target ≤ 1.2)",
    ]


def throughput_ratio(workdir: Path) -> list[str]:
    """Our records/s vs read_json of the same pages into DuckDB."""
    server = SimulatorServer(generate_workspace(seed=1, scale=SCALE), rate_limit_per_minute=None)
    with server:
        settings = _settings(server, rate_limit=1_000_000)
        elapsed, records = _timed_full_sync(server, settings, workdir / "speed.duckdb")
        pages = _refetch_pages(server, workdir / "pages")
    ours = records / elapsed
    load_seconds, loaded = _read_json_load(pages, workdir / "baseline.duckdb")
    baseline = loaded / load_seconds
    return [
        f"throughput: {records:,} records in {elapsed:.1f} s = {ours:,.0f} records/s (latency off)",
        f"throughput: read_json of the same {len(pages):,} pages: {loaded:,} records in "
        f"{load_seconds:.2f} s = {baseline:,.0f} records/s",
        f"throughput: RATIO read_json/ours = {baseline / ours:.1f}× (ours is that many times slower)",
    ]


def _refetch_pages(server: SimulatorServer, folder: Path) -> list[Path]:
    """Fetch again every successful response of the sync and keep its body as a file."""
    folder.mkdir()
    pages = []
    for index, entry in enumerate(server.request_log.entries()):
        # The scroll's position has moved on and its token expired: its pages (a sliver of
        # the data) cannot be fetched again.
        if entry.status != 200 or entry.path.startswith("/_sim") or "scroll" in entry.path:
            continue
        query = entry.query if isinstance(entry.query, str) else urllib.parse.urlencode(entry.query)
        url = server.url.rstrip("/") + entry.path + (f"?{query}" if query else "")
        data = json.dumps(entry.body).encode() if entry.body is not None else None
        request = urllib.request.Request(
            url, data=data, method=entry.method,
            headers={"Authorization": f"Bearer {DEMO_TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:  # noqa: S310  # loopback only
            body = response.read()
        page = folder / f"{index:06d}.json"
        page.write_bytes(body)
        pages.append(page)
    return pages


def _read_json_load(pages: list[Path], path: Path) -> tuple[float, int]:
    """Seconds to load every page into DuckDB and unnest its records, and the record count."""
    started = time.monotonic()
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create table pages as select * from read_json(?, format='auto', union_by_name=true, "
            "maximum_object_size=134217728)",
            [[str(page) for page in pages]],
        )
        columns = {row[0] for row in connection.execute("describe pages").fetchall()}
        lists = [c for c in ("data", "conversations", "tickets", "admins", "teams", "segments",
                             "activity_logs") if c in columns]
        parts = "conversation_parts" in columns
        total = 0
        for column in lists:
            connection.execute(
                f"create table records_{column} as select unnest({column}) as record from pages "
                f"where {column} is not null"
            )
            total += connection.execute(f"select count(*) from records_{column}").fetchone()[0]
        if parts:
            connection.execute(
                "create table records_parts as select unnest(conversation_parts.conversation_parts) "
                "as record from pages where conversation_parts is not null"
            )
            total += connection.execute("select count(*) from records_parts").fetchone()[0]
    return time.monotonic() - started, total


def run() -> Iterator[str]:
    """Both extraction ratios, each reported as soon as it is measured."""
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        yield from quota_ratio(workdir)
        yield from throughput_ratio(workdir)
