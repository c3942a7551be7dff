"""Extract Intercom streams into the DuckDB file's `intercom_raw` schema.

All streams share one read (one connector start-up). Incremental streams append what
changed since the state PyAirbyte keeps in the same file; reference streams (full
refresh) are read whole and appended, and their rows from earlier runs are deleted once
the read has succeeded. Every table then keeps one row per primary key, so a rerun after
any failure ends with exactly the rows a clean run has. `--full-refresh` replaces every
table instead.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from intercom_elt import connector, warehouse
from intercom_elt.redaction import redact, redacted_logging
from intercom_elt.errors import (
    AuthenticationError,
    ExtractionError,
    IntercomEltError,
    InvalidInputError,
)

if TYPE_CHECKING:
    import airbyte

    from intercom_elt.settings import ConnectorSettings


@dataclass(frozen=True)
class StreamResult:
    """Rows of one stream after a run."""

    name: str
    rows: int
    duplicates_removed: int = 0


@dataclass
class ExtractResult:
    """What one extraction did."""

    streams: list[StreamResult] = field(default_factory=list)
    elapsed_seconds: float = 0.0
    records_read: int = 0
    notices: list[str] = field(default_factory=list)


class _NoticeCollector(logging.Handler):
    """Keeps the connector's "Skipped …" messages (e.g. a conversation deleted mid-sync)."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.notices: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Skipped") and message not in self.notices:
            self.notices.append(message)


def select_streams(requested: list[str] | None) -> list[str]:
    """The streams to read, in manifest order; every stream when none are named."""
    available = connector.stream_names()
    if not requested:
        return available
    unknown = [name for name in requested if name not in available]
    if unknown:
        raise InvalidInputError(
            f"Unknown stream(s): {', '.join(unknown)}.",
            guidance=f"Choose from: {', '.join(available)}.",
        )
    return [name for name in available if name in requested]


def check_connection(settings: ConnectorSettings) -> None:
    """Ask Intercom for the tags list; raise a one-line error when that fails."""
    source = connector.get_source(settings, ["tags"])
    try:
        with connector.quiet_stderr(), redacted_logging([settings.access_token]):
            source.check()
    except Exception as error:  # noqa: BLE001  # PyAirbyte wraps every failure differently
        raise translate_connector_error(error, secrets=[settings.access_token]) from error


def extract(
    settings: ConnectorSettings,
    *,
    duckdb_path: Path,
    streams: list[str] | None = None,
    full_refresh: bool = False,
) -> ExtractResult:
    """Read the selected streams into `duckdb_path` and return rows per stream."""
    selected = select_streams(streams)
    warehouse.ensure_writable(duckdb_path)
    started = time.monotonic()
    check_connection(settings)

    reference = [s for s in selected if connector.stream_info(s).sync_mode == "full_refresh"]
    # One read for every stream (each read pays a connector start-up). Reference streams
    # are appended too; their rows from earlier runs go once this read has succeeded.
    earlier_reference_rows = {}
    if not full_refresh:
        with warehouse.connect(duckdb_path) as connection:
            earlier_reference_rows = {
                name: warehouse.raw_ids(connection, name) for name in reference
            }
    source = connector.get_source(settings, selected)
    collector = _NoticeCollector()
    # The CDK's log messages reach PyAirbyte's connector logger, below `airbyte`.
    connector_loggers = [
        logging.getLogger("airbyte"),
        logging.getLogger(f"airbyte.{connector.SOURCE_NAME}"),
    ]
    for logger in connector_loggers:
        logger.addHandler(collector)
    cache = _open_cache(duckdb_path)
    try:
        with redacted_logging([settings.access_token]):
            records_read = _read(
                source,
                cache,
                selected,
                strategy="replace" if full_refresh else "append",
                full=full_refresh,
                secrets=[settings.access_token],
            )
    finally:
        cache.close()
        for logger in connector_loggers:
            logger.removeHandler(collector)

    result = ExtractResult(records_read=records_read, notices=collector.notices)
    with warehouse.connect(duckdb_path) as connection:
        for name, raw_ids in earlier_reference_rows.items():
            warehouse.delete_raw_ids(connection, name, raw_ids)
        for name in selected:
            info = connector.stream_info(name)
            removed = warehouse.keep_newest_per_key(
                connection, name, info.primary_key, info.cursor_field
            )
            rows = warehouse.count_rows(connection, warehouse.RAW_SCHEMA, name) or 0
            result.streams.append(StreamResult(name=name, rows=rows, duplicates_removed=removed))
    result.elapsed_seconds = time.monotonic() - started
    return result


def _open_cache(duckdb_path: Path) -> airbyte.caches.DuckDBCache:
    connector.prepare_airbyte_environment()
    from airbyte.caches import DuckDBCache  # noqa: PLC0415  # slow import

    return DuckDBCache(db_path=duckdb_path, schema_name=warehouse.RAW_SCHEMA)


def _read(
    source: airbyte.Source,
    cache: airbyte.caches.DuckDBCache,
    streams: list[str],
    *,
    strategy: str,
    full: bool,
    secrets: list[str],
) -> int:
    try:
        result = source.read(
            cache,
            streams=streams,
            write_strategy=strategy,
            force_full_refresh=full,
        )
    except IntercomEltError:
        raise
    except Exception as error:  # noqa: BLE001
        raise translate_connector_error(error, secrets=secrets) from error
    return int(result.processed_records)


def translate_connector_error(error: Exception, secrets: list[str] | None = None) -> IntercomEltError:
    """Turn a PyAirbyte/CDK failure into one readable line with the right exit code.

    `secrets` are masked in the line: it may quote the connector's own output.
    """
    text = _flatten(error)
    lowered = text.lower()
    if "http 401" in lowered or "rejected the access token" in lowered or "401 client error" in lowered:
        return AuthenticationError(
            "Intercom rejected the access token (HTTP 401).",
            guidance="Check INTERCOM_ACCESS_TOKEN (or --access-token) and the app's permissions.",
        )
    if "http 403" in lowered or "403 client error" in lowered:
        return AuthenticationError(
            "Intercom refused access (HTTP 403): the plan or the app's permissions "
            "do not allow this data."
        )
    if "connection refused" in lowered or "max retries exceeded with url" in lowered:
        return ExtractionError(
            "Cannot reach the Intercom API.",
            guidance="Check --api-url / --region and the network.",
        )
    if "429" in lowered or "rate limit" in lowered:
        return ExtractionError(
            "Intercom kept answering 429 (rate limited) after every retry.",
            guidance="Lower --rate-limit or retry later; already loaded data is kept.",
        )
    summary = redact(_first_meaningful_line(error), secrets or [])
    return ExtractionError(
        f"Extraction failed: {summary}",
        guidance="Rerun to resume from the last saved state; loaded data is kept.",
    )


def _flatten(error: BaseException) -> str:
    parts = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append(str(current))
        for attribute in ("log_text", "message", "guidance"):
            value = getattr(current, attribute, None)
            if value:
                parts.append(value if isinstance(value, str) else "\n".join(value))
        current = getattr(current, "original_exception", None) or current.__cause__
    return "\n".join(parts)


def _first_meaningful_line(error: BaseException) -> str:
    message = getattr(error, "message", None) or str(error)
    first = next((line.strip()[:300] for line in str(message).splitlines() if line.strip()),
                 type(error).__name__)
    log_text = getattr(error, "log_text", None) or []
    # PyAirbyte joins the list into one string when the error is first printed.
    lines = [line for line in (log_text.splitlines() if isinstance(log_text, str) else log_text)
             if line.strip()]
    if "exit_code" in (getattr(error, "context", None) or {}) and lines:
        # The connector process crashed: its last words (a traceback ends with the
        # exception) say more than PyAirbyte's "Connector failed."
        return f"{first} {lines[-1].strip()[:300]}"
    return first
