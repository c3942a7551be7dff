"""The DuckDB file: open it safely, keep one row per primary key, count what landed."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from intercom_elt.errors import WarehouseError

RAW_SCHEMA = "intercom_raw"
_PID_PATTERN = re.compile(r"PID (\d+)")


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse, with lock and permission problems as one-line errors."""
    if not read_only:
        ensure_writable(path)
    try:
        connection = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        raise _locked_error(path, error) from error
    try:
        yield connection
    finally:
        connection.close()


def ensure_writable(path: Path) -> None:
    """Create the parent folder and fail clearly if the file cannot be written or is locked."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WarehouseError(
            f"Cannot create folder {path.parent}: {error.strerror}.",
            guidance="Choose another --duckdb-path (or INTERCOM_DUCKDB_PATH).",
        ) from error
    if path.is_dir():
        raise WarehouseError(
            f"{path} is a folder, not a DuckDB file.",
            guidance="Point --duckdb-path at a file, e.g. warehouse/intercom.duckdb.",
        )
    probe = path if path.exists() else path.parent
    if not os.access(probe, os.W_OK):
        raise WarehouseError(
            f"{probe} is not writable.",
            guidance="Choose another --duckdb-path (or INTERCOM_DUCKDB_PATH).",
        )
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as error:
        raise _locked_error(path, error) from error


def _locked_error(path: Path, error: Exception) -> WarehouseError:
    text = str(error)
    if "lock" not in text.lower():
        return WarehouseError(f"Cannot open {path}: {text.splitlines()[0]}")
    match = _PID_PATTERN.search(text)
    holder = f"process {match.group(1)}" if match else "another process"
    return WarehouseError(
        f"{path} is locked by {holder}.",
        guidance="Close that program (a BI tool, a duckdb shell, another run) and retry.",
    )


def table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether schema.table exists."""
    row = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def keep_newest_per_key(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    primary_key: Iterable[str],
    cursor_field: str | None,
) -> int:
    """Delete all but the newest row of each primary key; return how many were deleted.

    Incremental syncs re-read the records that share the cursor's second, and a record
    changed mid-sync can be read twice: the newest `updated_at` wins, then the newest
    extraction.
    """
    if not table_exists(connection, RAW_SCHEMA, table):
        return 0
    keys = ", ".join(f'"{column}"' for column in primary_key)
    order = f'"{cursor_field}" desc nulls last, ' if cursor_field else ""
    qualified = f'"{RAW_SCHEMA}"."{table}"'
    deleted = connection.execute(
        f"""
        delete from {qualified}
        where rowid in (
            select rowid from (
                select rowid, row_number() over (
                    partition by {keys}
                    order by {order}_airbyte_extracted_at desc, rowid desc
                ) as row_rank
                from {qualified}
            ) where row_rank > 1
        )
        """
    ).fetchone()
    return int(deleted[0]) if deleted else 0


def raw_ids(connection: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The `_airbyte_raw_id` of every row of a raw table (none when it does not exist)."""
    if not table_exists(connection, RAW_SCHEMA, table):
        return []
    rows = connection.execute(f'select _airbyte_raw_id from "{RAW_SCHEMA}"."{table}"').fetchall()
    return [row[0] for row in rows]


def delete_raw_ids(connection: duckdb.DuckDBPyConnection, table: str, ids: list[str]) -> None:
    """Delete the rows of a raw table with these `_airbyte_raw_id`s."""
    if ids:
        connection.execute(
            f'delete from "{RAW_SCHEMA}"."{table}" where _airbyte_raw_id in (select unnest(?))',
            [ids],
        )


def count_rows(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> int | None:
    """Rows in schema.table, or None when it does not exist."""
    if not table_exists(connection, schema, table):
        return None
    row = connection.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
    return int(row[0]) if row else 0


def list_tables(connection: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    """Tables and views of a schema, by name."""
    rows = connection.execute(
        "select table_name from information_schema.tables where table_schema = ? order by 1",
        [schema],
    ).fetchall()
    return [row[0] for row in rows]
