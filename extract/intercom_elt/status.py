"""Per-stream status of a warehouse: rows, last sync and saved cursor."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from intercom_elt import connector, warehouse
from intercom_elt.errors import WarehouseError

STATE_TABLE = "_airbyte_state"


@dataclass(frozen=True)
class StreamStatus:
    """One stream's status."""

    name: str
    rows: int | None
    last_sync_at: dt.datetime | None
    cursor: str | None

    @property
    def rows_text(self) -> str:
        """Rows, or a dash when the table does not exist yet."""
        return "-" if self.rows is None else f"{self.rows:,}"

    @property
    def last_sync_text(self) -> str:
        """Last extraction time, or 'never'."""
        return self.last_sync_at.strftime("%Y-%m-%d %H:%M:%S") if self.last_sync_at else "never"

    @property
    def cursor_text(self) -> str:
        """The saved cursor as a UTC time, or a dash."""
        if not self.cursor:
            return "-"
        try:
            moment = dt.datetime.fromtimestamp(int(float(self.cursor)), tz=dt.timezone.utc)
        except ValueError:
            return self.cursor
        return f"updated ≥ {moment:%Y-%m-%d %H:%M:%S}"


def stream_statuses(duckdb_path: Path) -> list[StreamStatus]:
    """Status of every stream in the manifest."""
    if not duckdb_path.exists():
        raise WarehouseError(
            f"No warehouse at {duckdb_path}.",
            guidance="Run `intercom-elt extract` (or `make demo`) first.",
        )
    statuses = []
    with warehouse.connect(duckdb_path, read_only=True) as connection:
        cursors = _saved_cursors(connection)
        for name in connector.stream_names():
            rows = warehouse.count_rows(connection, warehouse.RAW_SCHEMA, name)
            last_sync = None
            if rows:
                last_sync = connection.execute(
                    f'select max(_airbyte_extracted_at) from "{warehouse.RAW_SCHEMA}"."{name}"'
                ).fetchone()[0]
            statuses.append(
                StreamStatus(name=name, rows=rows, last_sync_at=last_sync, cursor=cursors.get(name))
            )
    return statuses


def _saved_cursors(connection: object) -> dict[str, str]:
    """The cursor value PyAirbyte saved for each stream, found in its state JSON."""
    if not warehouse.table_exists(connection, warehouse.RAW_SCHEMA, STATE_TABLE):
        return {}
    rows = connection.execute(
        f'select stream_name, state_json from "{warehouse.RAW_SCHEMA}"."{STATE_TABLE}"'
    ).fetchall()
    cursors = {}
    for stream_name, state_json in rows:
        info = next((i for i in connector.stream_catalog() if i.name == stream_name), None)
        if info is None or not info.cursor_field:
            continue
        value = _find_key(json.loads(state_json), info.cursor_field)
        if value is not None:
            cursors[stream_name] = str(value)
    return cursors


def _find_key(document: object, key: str) -> object | None:
    """The first value under `key` in the stream state (it nests for substreams)."""
    if isinstance(document, dict):
        if key in document and not isinstance(document[key], (dict, list)):
            return document[key]
        for value in document.values():
            found = _find_key(value, key)
            if found is not None:
                return found
    elif isinstance(document, list):
        for value in document:
            found = _find_key(value, key)
            if found is not None:
                return found
    return None
