"""A PyAirbyte executor that runs `read` in a connector process of its own.

`spec`, `check` and `discover` stay in-process: they are quick, and a new process
would pay the CDK's ~4 s import each time. `read` moves the connector's CPU work
(HTTP, JSON, the manifest's interpolation) off PyAirbyte's core: in one process the
two shared a GIL, and a medium sync ran at about one core.

The connector's stderr is copied line by line into PyAirbyte's log file for the
connector, where the token redaction applies.

Imported only by connector.get_source (PyAirbyte is slow to import).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from typing import IO, Any

from airbyte import exceptions as airbyte_exceptions
from airbyte._executors.declarative import DeclarativeExecutor

from intercom_elt.connector_process import EXIT_WITH_PARENT_ENV

_TERMINATE_GRACE_SECONDS = 10
_KEPT_STDERR_LINES = 20


class ConnectorProcessExecutor(DeclarativeExecutor):
    """Runs the manifest in-process, except `read`, which gets its own process."""

    def execute(
        self,
        args: list[str],
        *,
        stdin: IO[str] | Any | None = None,
        suppress_stderr: bool = False,
    ) -> Iterator[str]:
        """Run one connector command and yield its stdout lines (Airbyte messages)."""
        if not args or args[0] != "read":
            yield from super().execute(args, stdin=stdin, suppress_stderr=suppress_stderr)
            return
        command = [sys.executable, "-m", "intercom_elt.connector_process", *self.map_cli_args(args)]
        yield from _stream_process(command, logging.getLogger(f"airbyte.{self.name}"))


def _stream_process(command: list[str], stderr_logger: logging.Logger) -> Iterator[str]:
    """Yield the command's stdout lines; stop it if the reader stops early."""
    # The connector exits when this pipe closes, which happens however we end.
    process = subprocess.Popen(  # noqa: S603  # our own module, run with our interpreter
        command,
        stdin=subprocess.PIPE,
        # UTF-8 both ways whatever the locale; a stray byte must not stop the stderr copier.
        env={**os.environ, EXIT_WITH_PARENT_ENV: "1", "PYTHONUTF8": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        errors="replace",
    )
    assert process.stdin and process.stdout and process.stderr  # noqa: S101  # PIPEs
    last_lines: deque[str] = deque(maxlen=_KEPT_STDERR_LINES)
    copier = threading.Thread(
        target=_copy_lines, args=(process.stderr, stderr_logger, last_lines), daemon=True
    )
    copier.start()
    try:
        yield from process.stdout
        exit_code = process.wait()
    finally:
        # A consumer that stops early (an error in PyAirbyte, Ctrl-C) must not leave the
        # connector running against the API.
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=_TERMINATE_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        copier.join(timeout=_TERMINATE_GRACE_SECONDS)
        process.stdout.close()
        process.stdin.close()
    if exit_code != 0:
        # A crash before the CDK's own error handling (an import, the manifest, memory)
        # leaves its reason only on stderr.
        raise airbyte_exceptions.AirbyteSubprocessFailedError(
            run_args=command[:4], exit_code=exit_code, log_text=list(last_lines)
        )


def _copy_lines(stream: IO[str], logger: logging.Logger, last_lines: deque[str]) -> None:
    with stream:
        for line in stream:
            if line.strip():
                last_lines.append(line.rstrip())
                logger.info("connector stderr: %s", line.rstrip())
