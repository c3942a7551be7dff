"""Extraction benchmarks on the medium preset (ratios measured in one run).

1. Quota use: the simulator answers after 100 ms and allows Intercom's default 10,000
   calls per minute. A full sync can never beat requests ÷ allowed rate; the ratio
   wall time ÷ that floor says how much of the quota we leave unused (target ≤ 1.2).
2. Record throughput with latency off, against loading the very same response pages'
   JSON into DuckDB with `read_json` (the cost of parsing and storing, nothing else).
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import duckdb

from bench.served_simulator import ServedSimulator, served_simulator
from intercom_elt import extractor
from intercom_elt.settings import DEFAULT_RATE_LIMIT_PER_MINUTE, ConnectorSettings
from intercom_elt.simulator import DEMO_TOKEN, generate_workspace

SCALE = "medium"
SEED = 1
QUOTA_PER_MINUTE = 10_000
LATENCY_MS = 100
WORKERS = 25  # 167 calls/s × 0.1 s latency ≈ 17 requests in flight, plus headroom
# Each response's records, by where they sit in its JSON (the first key present wins).
RECORD_LISTS = ("data", "conversations", "tickets", "admins", "teams", "segments", "activity_logs",
                "conversation_parts.conversation_parts")


def _settings(simulator: ServedSimulator, *, rate_limit: int) -> ConnectorSettings:
    return ConnectorSettings(
        access_token=DEMO_TOKEN,
        start_date="2020-01-01T00:00:00Z",
        api_url=simulator.url,
        num_workers=WORKERS,
        api_rate_limit=rate_limit,
    )


def _timed_full_sync(simulator: ServedSimulator, settings: ConnectorSettings, path: Path) -> tuple[float, int]:
    """Seconds for a full sync and the rows it stored; fails if any stream's rows are missing."""
    simulator.clear_requests()
    started = time.monotonic()
    result = extractor.extract(settings, duckdb_path=path, full_refresh=True)
    elapsed = time.monotonic() - started
    workspace = generate_workspace(seed=SEED, scale=SCALE)  # the simulator's, rebuilt here
    expected = {stream.name: len(workspace.expected_records(stream.name)) for stream in result.streams}
    wrong = [f"{stream.name} {stream.rows:,} rows, expected {expected[stream.name]:,}"
             for stream in result.streams if stream.rows != expected[stream.name]]
    if wrong:
        raise AssertionError("the benchmark's sync is incomplete: " + "; ".join(wrong))
    return elapsed, sum(stream.rows for stream in result.streams)


def quota_ratio(workdir: Path) -> list[str]:
    """Wall time of a full sync ÷ (requests needed ÷ allowed rate)."""
    with served_simulator(scale=SCALE, seed=SEED, rate_limit=QUOTA_PER_MINUTE, latency_ms=LATENCY_MS) as simulator:
        # The budget a user gets by default: the whole quota, kept in step by the headers.
        settings = _settings(simulator, rate_limit=DEFAULT_RATE_LIMIT_PER_MINUTE)
        elapsed, records = _timed_full_sync(simulator, settings, workdir / "quota.duckdb")
        statuses = Counter(entry["status"] for entry in simulator.requests())
    needed = sum(count for status, count in statuses.items() if status != 429)
    floor = needed / (QUOTA_PER_MINUTE / 60)
    return [
        f"quota: {needed:,} requests ({statuses[429]} answered 429), {records:,} rows, all streams complete",
        f"quota: wall {elapsed:.1f} s, floor {floor:.1f} s at {QUOTA_PER_MINUTE:,}/min "
        f"and {LATENCY_MS} ms latency",
        f"quota: RATIO wall/floor = {elapsed / floor:.2f} (target ≤ 1.2)",
    ]


def throughput_ratio(workdir: Path) -> list[str]:
    """Our records/s vs read_json of the same pages into DuckDB."""
    with served_simulator(scale=SCALE, seed=SEED) as simulator:
        settings = _settings(simulator, rate_limit=1_000_000)
        elapsed, records = _timed_full_sync(simulator, settings, workdir / "speed.duckdb")
        pages, page_count = _refetch_pages(simulator, workdir / "pages")
    ours = records / elapsed
    load_seconds, loaded = _read_json_load(pages, workdir / "baseline.duckdb")
    baseline = loaded / load_seconds
    return [
        f"throughput: {records:,} records in {elapsed:.1f} s = {ours:,.0f} records/s (latency off)",
        f"throughput: read_json of the same {page_count:,} pages: {loaded:,} records in "
        f"{load_seconds:.2f} s = {baseline:,.0f} records/s (search pages hold the windows' "
        "overlap, which the connector filters out)",
        f"throughput: RATIO read_json/ours = {baseline / ours:.1f}× (ours is that many times slower)",
    ]


def _endpoint(method: str, path: str) -> str:
    """`GET /conversations/{id}` for `GET /conversations/123`: pages of one endpoint share a shape."""
    return f"{method} " + re.sub(r"/[^/]*\d[^/]*", "/{id}", path)


def _refetch_pages(simulator: ServedSimulator, folder: Path) -> tuple[dict[str, Path], int]:
    """Fetch again every successful response of the sync: one JSON-lines file per endpoint,
    and the number of pages.

    One line per page, one file per endpoint: `read_json` over one file per page spends
    its time and memory on the files (17,000 per-conversation pages took 7 GiB and did
    not finish), which would measure the file system rather than loading JSON.
    """
    folder.mkdir()
    files: dict[str, Path] = {}
    pages = 0
    with contextlib.ExitStack() as open_files:
        writers: dict[str, TextIO] = {}
        for entry in simulator.requests():  # the sync's requests, read before refetching adds more
            if not _refetchable(entry):
                continue
            endpoint = _endpoint(entry["method"], entry["path"])
            if endpoint not in writers:
                files[endpoint] = folder / f"endpoint_{len(files):02d}.jsonl"
                writers[endpoint] = open_files.enter_context(files[endpoint].open("w"))
            writers[endpoint].write(json.dumps(_refetch(simulator, entry), separators=(",", ":")) + "\n")
            pages += 1
    return files, pages


def _refetchable(entry: dict) -> bool:
    # The scroll's position has moved on and its token expired: its pages (a sliver of
    # the data) cannot be fetched again.
    return entry["status"] == 200 and not entry["path"].startswith("/_sim") and "scroll" not in entry["path"]


def _refetch(simulator: ServedSimulator, entry: dict) -> object:
    """The page a logged request answered, fetched again."""
    query = entry["query"] if isinstance(entry["query"], str) else urllib.parse.urlencode(entry["query"])
    url = simulator.url.rstrip("/") + entry["path"] + (f"?{query}" if query else "")
    data = json.dumps(entry["body"]).encode() if entry["body"] is not None else None
    request = urllib.request.Request(
        url, data=data, method=entry["method"],
        headers={"Authorization": f"Bearer {DEMO_TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310  # loopback only
        return json.load(response)


def _read_json_load(pages: dict[str, Path], path: Path) -> tuple[float, int]:
    """Seconds to load every endpoint's pages into DuckDB and unnest their records; the record count.

    One `read_json` per endpoint, as its pages share a shape: a single read of all pages
    would make DuckDB unify every endpoint's schema into one wide, deeply nested type.
    """
    started = time.monotonic()
    total = 0
    with duckdb.connect(str(path)) as connection:
        for number, file in enumerate(pages.values()):
            table = f"pages_{number}"
            connection.execute(
                f"create table {table} as select * from read_json(?, format='newline_delimited')",
                [str(file)],
            )
            columns = {row[0] for row in connection.execute(f"describe {table}").fetchall()}
            records = next((key for key in RECORD_LISTS if key.split(".")[0] in columns), None)
            if records is None:
                continue
            connection.execute(
                f"create table records_{number} as select unnest({records}) as record from {table} "
                f"where {records} is not null"
            )
            total += connection.execute(f"select count(*) from records_{number}").fetchone()[0]
    return time.monotonic() - started, total


def run() -> Iterator[str]:
    """Both extraction ratios, each reported as soon as it is measured."""
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        yield from quota_ratio(workdir)
        yield from throughput_ratio(workdir)
