"""Replay mode: serve a workspace loaded from a JSONL file of connector records.

The file holds one Airbyte record per line, ``{"stream": "<name>", "data":
{...}}`` (a full Airbyte message ``{"type": "RECORD", "record": {...}}`` is
accepted too; other message types are skipped), for the 13 streams in
:data:`~.workspace.STREAMS`. This is what the connector emits, so a captured
real sync can be replayed, and :func:`dump_workspace_to_jsonl` writes such a
file from any workspace.

What is served:

* every record as given; nothing is derived or invented (a conversation's
  ``statistics`` are the file's; the workspace has no ground truth);
* ``GET /conversations/{id}`` = the conversation record plus its
  ``conversation_parts`` records from the file (their ``conversation_id``,
  int or str, removed), in file order, the last 500;
* ``GET /companies/{id}/segments`` = the ``company_segments`` records whose
  ``company_id`` is that company (``company_id`` removed);
* streams missing from the file are empty.

Records with an ``id`` are unique per stream (per conversation for parts,
per company for company segments): a later line with the same id replaces
the earlier record in place, as a real API serves one version of a record.
Parts of conversations that are not in the file cannot be served and are
dropped. Activity logs are served newest first like any others, so they are
kept sorted by ``created_at``. Time travel is refused on a replayed workspace.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .conversation import RecordedConversation
from .generator import DEFAULT_NOW
from .records import dumps_line
from .workspace import STREAMS, Workspace

_AIRBYTE_OTHER = frozenset({"STATE", "LOG", "TRACE", "SPEC", "CATALOG", "CONNECTION_STATUS", "CONTROL"})
_NEEDS_ID = frozenset({"admins", "tags", "teams", "segments", "companies", "contacts", "conversations",
                       "conversation_parts", "company_segments", "tickets"})
_TIMESTAMPED = ("contacts", "companies", "conversations", "tickets", "activity_logs", "conversation_parts")


class _Stream:
    """Records of one stream (or one parent's children), deduplicated by id."""

    __slots__ = ("records", "_at")

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self._at: dict[Any, int] = {}

    def add(self, record: dict[str, Any]) -> None:
        key = record.get("id")
        if key is None:
            self.records.append(record)
            return
        key = str(key)
        at = self._at.get(key)
        if at is None:
            self._at[key] = len(self.records)
            self.records.append(record)
        else:
            self.records[at] = record


def _records(path: Path) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """``(line number, stream, data)`` for every record line of the file."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                message = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}, line {number}: not a JSON line ({exc})") from None
            if isinstance(message, dict) and message.get("type") == "RECORD" \
                    and isinstance(message.get("record"), dict):
                message = message["record"]  # a full Airbyte message
            elif isinstance(message, dict) and message.get("type") in _AIRBYTE_OTHER:
                continue
            if not isinstance(message, dict) or not isinstance(message.get("stream"), str) \
                    or not isinstance(message.get("data"), dict):
                raise ValueError(f'{path}, line {number}: expected {{"stream": "<name>", "data": {{...}}}}')
            stream = message["stream"]
            if stream not in STREAMS:
                raise ValueError(f"{path}, line {number}: unknown stream {stream!r}; "
                                 f"expected one of {', '.join(STREAMS)}")
            data = message["data"]
            if stream in _NEEDS_ID and data.get("id") is None:
                raise ValueError(f"{path}, line {number}: a {stream} record needs an id")
            yield number, stream, data


def load_workspace_from_jsonl(path: str | Path, *, now: int | None = None) -> Workspace:
    """Load a workspace to serve from a JSONL file of connector records.

    Args:
        path: the file; one ``{"stream": "<name>", "data": {...}}`` per line.
        now: the workspace clock; defaults to the latest ``created_at`` /
            ``updated_at`` in the file.

    Returns:
        A workspace with ``replayed=True`` and ``scale="replay"``.

    Raises:
        ValueError: naming the line, for a line that is not JSON, not a
            record, of an unknown stream, a record without its id, or a
            part/company segment without ``conversation_id``/``company_id``.
        OSError: when the file cannot be read.
    """
    path = Path(path)
    streams = {name: _Stream() for name in STREAMS}
    parts: dict[str, _Stream] = {}
    company_segments: dict[str, _Stream] = {}
    for number, stream, data in _records(path):
        if stream == "conversation_parts":
            parent = data.get("conversation_id")
            if parent is None:
                raise ValueError(f"{path}, line {number}: a conversation_parts record needs a conversation_id")
            parts.setdefault(str(parent), _Stream()).add({k: v for k, v in data.items() if k != "conversation_id"})
        elif stream == "company_segments":
            parent = data.get("company_id")
            if parent is None:
                raise ValueError(f"{path}, line {number}: a company_segments record needs a company_id")
            company_segments.setdefault(str(parent), _Stream()).add(
                {k: v for k, v in data.items() if k != "company_id"})
        else:
            streams[stream].add(data)

    got = {name: s.records for name, s in streams.items()}
    conversations = [RecordedConversation(r, parts[str(r["id"])].records if str(r["id"]) in parts else [])
                     for r in got["conversations"]]
    segment_records = {company: s.records for company, s in company_segments.items()}
    logs = sorted(got["activity_logs"], key=lambda r: _int(r.get("created_at")) or 0)
    if now is None:
        every_part = [p for s in parts.values() for p in s.records]
        stamps = [_int(r.get(key)) for name in _TIMESTAMPED
                  for r in (every_part if name == "conversation_parts" else got[name])
                  for key in ("created_at", "updated_at")]
        now = max((s for s in stamps if s is not None), default=DEFAULT_NOW)
    return Workspace(
        now=now, seed=0, scale="replay", app_id=_app_id(got), admins=got["admins"], teams=got["teams"],
        tags=got["tags"], segments=got["segments"], companies=got["companies"],
        company_segments={company: [str(s.get("id")) for s in records] for company, records in segment_records.items()},
        data_attributes={"company": got["company_attributes"], "contact": got["contact_attributes"]},
        contacts=got["contacts"], conversations=conversations, activity_logs=logs, tickets=got["tickets"],
        company_segment_records=segment_records, replayed=True,
    )


def dump_workspace_to_jsonl(workspace: Workspace, path: str | Path) -> dict[str, int]:
    """Write what the connector would emit for every stream, as a JSONL file.

    One ``{"stream": "<name>", "data": {...}}`` line per record of
    :meth:`Workspace.expected_records`, stream by stream in :data:`STREAMS`
    order; :func:`load_workspace_from_jsonl` reads it back. Records are
    rendered one at a time, so a large workspace is not held twice.

    Args:
        workspace: the workspace (its current state is written).
        path: the file to write (parent directories are created).

    Returns:
        The number of records written per stream.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    ws = workspace.snapshot()
    counts: dict[str, int] = {}
    with target.open("w", encoding="utf-8") as out:
        for stream in STREAMS:
            n = 0
            prefix = '{"stream":' + json.dumps(stream) + ',"data":'
            for record in ws.iter_expected_records(stream):
                out.write(prefix + dumps_line(record) + "}\n")
                n += 1
            counts[stream] = n
    return counts


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _app_id(got: dict[str, list[dict[str, Any]]]) -> str:
    for name, key in (("contacts", "workspace_id"), ("companies", "app_id")):
        for record in got[name][:1]:
            if isinstance(record.get(key), str):
                return record[key]
    return "replay"
