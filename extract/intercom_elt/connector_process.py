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

import sys

from intercom_elt import cdk_speedups, thread_safe_ast
from intercom_elt.connector import manifest_for


def main(args: list[str] | None = None) -> None:
    """Run one Airbyte protocol command with the project manifest."""
    args = sys.argv[1:] if args is None else args
    thread_safe_ast.install()
    cdk_speedups.install()
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
