"""Keep the access token out of every log line, whoever logs it.

The CDK masks secrets in the messages it emits, but a few of its own log records (an
unexpected error's context, for instance) print the raw config. In-process those
records reach Python's root logging, so every handler gets a redacting filter.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

MASK = "****"


def redact(text: str, secrets: list[str]) -> str:
    """`text` with every non-empty secret replaced by ****."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


class SecretRedactingFilter(logging.Filter):
    """Replaces the secrets in a record's message and traceback with ****."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def _redact(self, text: str) -> str:
        return redact(text, self._secrets)

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: D102
        message = record.getMessage()
        redacted = self._redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True


def _handlers_to_guard() -> list[logging.Handler]:
    """Handlers of the root logger and of every `airbyte*` logger (PyAirbyte's log files)."""
    loggers = [logging.getLogger()] + [
        logging.getLogger(name)
        for name in list(logging.root.manager.loggerDict)
        if name == "airbyte" or name.startswith("airbyte.")
    ]
    handlers: list[logging.Handler] = []
    for logger in loggers:
        handlers.extend(h for h in logger.handlers if h not in handlers)
    return handlers


@contextlib.contextmanager
def redacted_logging(secrets: list[str]) -> Iterator[None]:
    """Within the block, every log handler (or a stderr fallback) redacts `secrets`."""
    redactor = SecretRedactingFilter(secrets)
    root = logging.getLogger()
    fallback: logging.Handler | None = None
    if not root.handlers:
        # Python would print WARNING+ records through logging.lastResort, unfiltered.
        fallback = logging.StreamHandler(sys.stderr)
        fallback.setLevel(logging.WARNING)
        root.addHandler(fallback)
    handlers = _handlers_to_guard()
    for handler in handlers:
        handler.addFilter(redactor)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(redactor)
        if fallback is not None:
            root.removeHandler(fallback)
