"""A PyAirbyte executor that hands the saved state to our declarative source.

PyAirbyte 0.71's DeclarativeExecutor builds `ConcurrentDeclarativeSource` without the
`--state` file it writes, and the concurrent CDK only takes state at construction: every
"incremental" sync silently re-read everything from the start date. This executor passes
the state, so incremental streams resume where the last sync stopped.

Imported only by connector.get_source (PyAirbyte is slow to import).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from airbyte._executors.declarative import DeclarativeExecutor
from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.sources.declarative.concurrent_declarative_source import (
    ConcurrentDeclarativeSource,
)


class StatefulDeclarativeExecutor(DeclarativeExecutor):
    """Runs the manifest in-process with the config *and* the state PyAirbyte passes."""

    def execute(
        self,
        args: list[str],
        *,
        stdin: IO[str] | Any | None = None,
        suppress_stderr: bool = False,
    ) -> Iterator[str]:
        """Run one connector command (spec, check, discover, read)."""
        _ = stdin, suppress_stderr  # in-process: nothing to pipe
        source = ConcurrentDeclarativeSource(
            config={**self._config_dict, **self._config_from_args(args)},
            state=_state_from_args(args),
            source_config=self._manifest_dict,
        )
        entrypoint = AirbyteEntrypoint(source)
        yield from entrypoint.run(entrypoint.parse_args(self.map_cli_args(args)))


def _state_from_args(args: list[str]) -> list[Any] | None:
    """The state messages in the `--state <file>` argument, if any."""
    if "--state" not in args:
        return None
    index = args.index("--state") + 1
    if index >= len(args):
        return None
    return ConcurrentDeclarativeSource.read_state(args[index]) or None
