"""The Intercom connector: our low-code manifest, run by PyAirbyte.

PyAirbyte is imported only inside the functions that read from Intercom: importing it
takes several seconds, and `--help`, `streams` and `simulate` must answer at once.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import os
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from intercom_elt import rate_window, thread_safe_ast
from intercom_elt.paths import MANIFEST_PATH
from intercom_elt.settings import DEFAULT_RATE_LIMIT_PER_MINUTE

if TYPE_CHECKING:
    import airbyte

    from intercom_elt.settings import ConnectorSettings

SOURCE_NAME = "source-intercom"
RATE_LIMIT_WINDOWS_PER_MINUTE = 6  # Intercom counts calls in 10-second windows


@dataclass(frozen=True)
class StreamInfo:
    """A stream as the manifest declares it."""

    name: str
    primary_key: tuple[str, ...]
    cursor_field: str | None
    parent: str | None

    @property
    def sync_mode(self) -> str:
        """`incremental` when the stream keeps a cursor, else `full_refresh`."""
        return "incremental" if self.cursor_field else "full_refresh"


@functools.lru_cache(maxsize=1)
def load_manifest() -> dict:
    """The manifest as a dict."""
    return yaml.safe_load(MANIFEST_PATH.read_text())


def manifest_for(config: Mapping[str, object]) -> dict:
    """The manifest with the call budget `config` asks for.

    The budget's fixed-window policy takes a plain number, not a template, so the
    config's `api_rate_limit` (calls a minute) is written into a copy here.
    """
    manifest = copy.deepcopy(load_manifest())
    per_minute = int(config.get("api_rate_limit") or DEFAULT_RATE_LIMIT_PER_MINUTE)  # type: ignore[call-overload]
    for policy in manifest["api_budget"]["policies"]:
        policy["call_limit"] = max(1, per_minute // RATE_LIMIT_WINDOWS_PER_MINUTE)
    return manifest


@functools.lru_cache(maxsize=1)
def stream_catalog() -> tuple[StreamInfo, ...]:
    """Every stream, in the manifest's order, read without importing PyAirbyte."""
    definitions = load_manifest()["definitions"]
    infos = []
    for ref in load_manifest()["streams"]:
        key = ref["$ref"].rsplit("/", 1)[-1]
        stream = definitions["streams"][key]
        incremental = stream.get("incremental_sync")
        cursor = None
        if incremental is not None:
            if "$ref" in incremental:
                incremental = definitions[incremental["$ref"].rsplit("/", 1)[-1]]
            cursor = incremental["cursor_field"]
        router = stream["retriever"].get("partition_router") or {}
        parents = router.get("parent_stream_configs") or [{}]
        parent_ref = (parents[0].get("stream") or {}).get("$ref")
        infos.append(
            StreamInfo(
                name=stream["name"],
                primary_key=tuple(stream["primary_key"]),
                cursor_field=cursor,
                parent=parent_ref.rsplit("/", 1)[-1] if parent_ref else None,
            )
        )
    return tuple(infos)


def stream_names() -> list[str]:
    """Names of every stream."""
    return [info.name for info in stream_catalog()]


def stream_info(name: str) -> StreamInfo:
    """One stream's declaration."""
    return next(info for info in stream_catalog() if info.name == name)


def prepare_airbyte_environment() -> None:
    """Offline, telemetry-free PyAirbyte, whatever the caller's environment says."""
    os.environ["AIRBYTE_OFFLINE_MODE"] = "1"
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ.setdefault("AIRBYTE_NO_UV", "1")
    # Library deprecation chatter (Google clients, CDK field renames) is not for users.
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Hide PyAirbyte's start-up notices ("Writing … logs to file") so errors stay one line."""
    with contextlib.redirect_stderr(io.StringIO()):
        yield


def get_source(settings: ConnectorSettings, streams: list[str]) -> airbyte.Source:
    """A PyAirbyte source for our manifest, with `streams` selected.

    `check` and `discover` run in-process; `read` runs in a connector process.
    """
    prepare_airbyte_environment()
    thread_safe_ast.install()
    rate_window.install()
    with quiet_stderr():
        from airbyte.sources.base import Source  # noqa: PLC0415  # slow import

        from intercom_elt.process_executor import ConnectorProcessExecutor  # noqa: PLC0415

        config = settings.to_config()
        return Source(
            name=SOURCE_NAME,
            config=config,
            streams=streams,
            executor=ConnectorProcessExecutor(name=SOURCE_NAME, manifest=manifest_for(config)),
        )
