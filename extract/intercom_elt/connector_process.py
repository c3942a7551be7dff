"""Our manifest as a standalone Airbyte source: `python -m intercom_elt.connector_process`.

It speaks the Airbyte protocol (spec, check, discover, read with --config, --catalog
and --state) on stdout, like any connector PyAirbyte runs. The extractor runs `read`
here, in a process of its own, so the connector (HTTP, JSON, the manifest's
interpolation) and PyAirbyte (parsing, writing the cache) each get a CPU core instead
of sharing one GIL.

The saved state is handed to the source when it is built: the concurrent CDK takes it
only then (PyAirbyte 0.71's in-process DeclarativeExecutor never passed it, so every
"incremental" sync silently re-read everything).
"""

from __future__ import annotations

import os
import sys
import threading

from intercom_elt import cdk_speedups, partition_limit, rate_window, thread_safe_ast
from intercom_elt.connector import manifest_for


# Set by the extractor, which keeps our stdin open as a pipe for as long as it lives.
EXIT_WITH_PARENT_ENV = "INTERCOM_ELT_EXIT_WITH_PARENT"


def exit_when_parent_goes() -> None:
    """Exit as soon as stdin reaches EOF: the extractor that holds it has ended.

    A killed extractor (SIGTERM, SIGKILL, a crash) cannot stop us itself, and a
    connector whose reader is gone would go on calling the API (minutes of retries
    when the network is down) and spending the app's quota.
    """

    def watch() -> None:
        # The raw descriptor, not sys.stdin: a daemon thread blocked in a buffered read
        # holds its lock, and the interpreter aborts when it exits normally.
        while os.read(sys.stdin.fileno(), 1024):
            pass
        os._exit(1)  # the reader is gone: nothing to flush to

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def main(args: list[str] | None = None) -> None:
    """Run one Airbyte protocol command with the project manifest."""
    args = sys.argv[1:] if args is None else args
    if os.environ.get(EXIT_WITH_PARENT_ENV) == "1":
        exit_when_parent_goes()
    thread_safe_ast.install()
    cdk_speedups.install()
    partition_limit.install()
    rate_window.install()
    from airbyte_cdk.entrypoint import AirbyteEntrypoint, launch  # noqa: PLC0415  # slow import
    from airbyte_cdk.sources.declarative.concurrent_declarative_source import (  # noqa: PLC0415
        ConcurrentDeclarativeSource,
    )

    parsed = AirbyteEntrypoint.parse_args(args)
    config_path = getattr(parsed, "config", None)
    state_path = getattr(parsed, "state", None)
    config = ConcurrentDeclarativeSource.read_config(config_path) if config_path else None
    source = ConcurrentDeclarativeSource(
        config=config,
        state=ConcurrentDeclarativeSource.read_state(state_path) if state_path else None,
        source_config=manifest_for(config or {}),
    )
    launch(source, args)


if __name__ == "__main__":
    main()
