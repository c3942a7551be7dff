"""dbt build cost: dbt against the same SQL run directly in DuckDB, and incremental vs full.

For each preset (medium; large too with ``INTERCOM_BENCH_LARGE=1``):

1. get an extracted warehouse: a copy of ``$INTERCOM_BENCH_<PRESET>_DUCKDB`` when set,
   else generate the workspace (seed 3), serve it and extract every stream;
2. ``dbt build --full-refresh`` (models + data tests; unit tests excluded, they do not
   touch the warehouse), timed end to end;
3. replay the SQL dbt compiled (models in DAG order as ``create table/view … as``,
   then every data test as ``select count(*)``) on a fresh copy, directly in DuckDB;
4. change 1% of the conversations in the raw layer the way an incremental extract
   does (a new version of each conversation plus a new admin reply part, appended
   with a newer ``_airbyte_extracted_at``), run ``dbt build`` again (the parts-derived
   model is incremental) and compare with a full rebuild of the changed raw data.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

SEED = 3
CHANGED_SHARE_PERCENT = 1
# Unit tests run on fixtures, not on the warehouse; the direct replay has no equivalent.
NO_UNIT_TESTS = ["--exclude", "test_type:unit"]
MEASURED_MODEL = "model.intercom_warehouse.int_intercom__conversations_measured"


def run() -> list[str]:
    """Run the benchmark; return the report lines."""
    os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    presets = ["medium"] + (["large"] if os.environ.get("INTERCOM_BENCH_LARGE") == "1" else [])
    lines: list[str] = []
    for preset in presets:
        with tempfile.TemporaryDirectory(prefix=f"bench-dbt-{preset}-") as tmp:
            lines.extend(_bench_preset(preset, Path(tmp)))
    if "large" not in presets:
        lines.append("large: skipped (set INTERCOM_BENCH_LARGE=1; extraction takes long)")
    return lines


def _bench_preset(preset: str, tmp: Path) -> list[str]:
    raw, extract_seconds = _raw_warehouse(preset, tmp)
    lines = [f"{preset}: raw warehouse ready"
             + (f" (generated + extracted in {extract_seconds:.0f} s)" if extract_seconds else " (cached)")]

    # dbt full build
    built = _fresh_copy(raw, tmp / "dbt")
    target = tmp / "target"
    started = time.monotonic()
    _dbt(["build", "--full-refresh", *NO_UNIT_TESTS], built, target)
    dbt_seconds = time.monotonic() - started
    dbt_inner = json.loads((target / "run_results.json").read_text())["elapsed_time"]
    manifest = json.loads((target / "manifest.json").read_text())

    # the same SQL, directly
    direct = _fresh_copy(raw, tmp / "direct")
    models_seconds, tests_seconds = _replay(manifest, direct)
    direct_seconds = models_seconds + tests_seconds
    lines.append(
        f"{preset}: dbt build {dbt_seconds:.1f} s wall ({dbt_inner:.1f} s inside dbt); "
        f"same SQL in DuckDB {direct_seconds:.1f} s (models {models_seconds:.1f} s, "
        f"data tests {tests_seconds:.1f} s); ratio {dbt_seconds / direct_seconds:.1f}x wall, "
        f"{dbt_inner / direct_seconds:.1f}x inside dbt"
    )

    # incremental after 1% of conversations change
    changed = _change_conversations(built)
    started = time.monotonic()
    _dbt(["build", *NO_UNIT_TESTS], built, target)
    incremental_seconds = time.monotonic() - started
    incremental_model_seconds = _model_seconds(target, MEASURED_MODEL)
    rebuilt = _fresh_copy(built, tmp / "rebuilt")
    started = time.monotonic()
    _dbt(["build", "--full-refresh", *NO_UNIT_TESTS], rebuilt, target)
    full_again_seconds = time.monotonic() - started
    full_model_seconds = _model_seconds(target, MEASURED_MODEL)
    same = _same_table(built, rebuilt, "marts.conversation_metrics")
    lines.append(
        f"{preset}: {changed} conversations changed ({CHANGED_SHARE_PERCENT}%): incremental build "
        f"{incremental_seconds:.1f} s vs full build {full_again_seconds:.1f} s, ratio "
        f"{incremental_seconds / full_again_seconds:.2f}; marts identical to a full rebuild: "
        f"{'yes' if same else 'NO'}"
    )
    lines.append(
        f"{preset}: the incremental model alone ({MEASURED_MODEL.rsplit('.', 1)[-1]}): "
        f"{incremental_model_seconds:.2f} s vs {full_model_seconds:.2f} s full, ratio "
        f"{incremental_model_seconds / full_model_seconds:.2f}"
    )
    return lines


def _model_seconds(target: Path, unique_id: str) -> float:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return next(r["execution_time"] for r in results if r["unique_id"] == unique_id)


# ------------------------------------------------------------------ warehouses


def _raw_warehouse(preset: str, tmp: Path) -> tuple[Path, float]:
    cached = os.environ.get(f"INTERCOM_BENCH_{preset.upper()}_DUCKDB")
    if cached:
        return Path(cached), 0.0
    from intercom_elt import extractor
    from intercom_elt.settings import ConnectorSettings
    from intercom_elt.simulator import DEMO_TOKEN, SimulatorServer, generate_workspace

    started = time.monotonic()
    workspace = generate_workspace(seed=SEED, scale=preset)
    path = tmp / "raw" / "intercom.duckdb"
    path.parent.mkdir()
    server = SimulatorServer(workspace, host="127.0.0.1", port=0, token=DEMO_TOKEN)
    server.start()
    try:
        settings = ConnectorSettings(
            access_token=DEMO_TOKEN, start_date="2020-01-01T00:00:00Z", api_url=server.url
        )
        extractor.extract(settings, duckdb_path=path)
    finally:
        server.stop()
    return path, time.monotonic() - started


def _fresh_copy(source: Path, directory: Path) -> Path:
    """Copy a warehouse; the file keeps the name `intercom.duckdb` because dbt-duckdb
    names the catalog after the file and compiled SQL refers to it."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "intercom.duckdb"
    shutil.copy(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copy(wal, target.with_name(target.name + ".wal"))
    return target


def _dbt(args: list[str], path: Path, target: Path) -> None:
    from intercom_elt.dbt_runner import run_dbt

    run_dbt([*args, "--target-path", str(target)], duckdb_path=path, quiet=True)


# -------------------------------------------------------------------- replay


def _replay(manifest: dict[str, Any], path: Path) -> tuple[float, float]:
    nodes = manifest["nodes"]
    models = [n for n in _topological(nodes) if nodes[n]["resource_type"] == "model"]
    tests = [n for n, node in nodes.items() if node["resource_type"] == "test"]
    with duckdb.connect(str(path)) as connection:
        connection.execute("set TimeZone = 'UTC'")
        for schema in {nodes[n]["schema"] for n in models}:
            connection.execute(f'create schema if not exists "{schema}"')
        started = time.monotonic()
        for unique_id in models:
            node = nodes[unique_id]
            kind = "view" if node["config"]["materialized"] == "view" else "table"
            connection.execute(
                f'create or replace {kind} "{node["schema"]}"."{node["alias"]}" as '
                f'({node["compiled_code"]})'
            )
        models_seconds = time.monotonic() - started
        started = time.monotonic()
        for unique_id in tests:
            connection.execute(f"select count(*) from ({nodes[unique_id]['compiled_code']})").fetchall()
        tests_seconds = time.monotonic() - started
    return models_seconds, tests_seconds


def _topological(nodes: dict[str, Any]) -> list[str]:
    order: list[str] = []
    seen: set[str] = set()

    def visit(unique_id: str) -> None:
        if unique_id in seen or unique_id not in nodes:
            return
        seen.add(unique_id)
        for parent in nodes[unique_id]["depends_on"]["nodes"]:
            visit(parent)
        order.append(unique_id)

    for unique_id in sorted(nodes):
        visit(unique_id)
    return order


# --------------------------------------------------------------- incremental


def _change_conversations(path: Path) -> int:
    """Append a new version of 1% of the conversations and a new admin reply to each,
    as an incremental extract would; return how many changed."""
    with duckdb.connect(str(path)) as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(f"""
            create temp table chosen as
            select *
            from intercom_raw.conversations
            where hash(id) % 100 < {CHANGED_SHARE_PERCENT}
            qualify row_number() over (partition by id order by _airbyte_extracted_at desc) = 1
        """)
        connection.execute("""
            create temp table stamp as
            select
                max(_airbyte_extracted_at) + interval 1 hour as extracted_at,
                (select max(cast(id as bigint)) from intercom_raw.conversation_parts) as max_part_id
            from intercom_raw.conversation_parts
        """)
        connection.execute("""
            insert into intercom_raw.conversation_parts by name
            select
                'conversation_part' as type,
                cast(stamp.max_part_id + row_number() over (order by chosen.id) as varchar) as id,
                cast(chosen.id as bigint) as conversation_id,
                'comment' as part_type,
                '<p>Following up.</p>' as body,
                chosen.updated_at + 60 as created_at,
                chosen.updated_at + 60 as updated_at,
                chosen.updated_at + 60 as notified_at,
                cast(null as json) as assigned_to,
                cast('{"type": "admin", "id": "' || coalesce(cast(chosen.admin_assignee_id as varchar), '1')
                     || '", "name": "Bench", "email": "bench@example.com"}' as json) as author,
                cast('[]' as json) as attachments,
                false as redacted,
                cast(uuid() as varchar) as _airbyte_raw_id,
                stamp.extracted_at as _airbyte_extracted_at,
                cast('{}' as json) as _airbyte_meta
            from chosen
            cross join stamp
        """)
        connection.execute("""
            insert into intercom_raw.conversations
            select chosen.* replace (
                chosen.updated_at + 60 as updated_at,
                cast(uuid() as varchar) as _airbyte_raw_id,
                stamp.extracted_at as _airbyte_extracted_at
            )
            from chosen
            cross join stamp
        """)
        (count,) = connection.execute("select count(*) from chosen").fetchone()
    return int(count)


def _same_table(left: Path, right: Path, table: str) -> bool:
    with duckdb.connect(str(left), read_only=True) as connection:
        connection.execute(f"attach '{right}' as other (read_only)")
        (difference,) = connection.execute(f"""
            select count(*) from (
                (select * from {table} except all select * from other.{table})
                union all
                (select * from other.{table} except all select * from {table})
            )
        """).fetchone()
    return difference == 0
