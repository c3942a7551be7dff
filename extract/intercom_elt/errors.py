"""Errors a user can cause, each with its own exit code and a one-line message.

The CLI prints `Error: <message> <guidance>` and exits with the class's code; only
`--debug` shows a traceback. Messages never contain the access token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass
class IntercomEltError(Exception):
    """Something went wrong."""

    message: str | None = None
    guidance: str | None = None
    exit_code: ClassVar[int] = 1

    def __post_init__(self) -> None:
        if self.message is None:
            self.message = (self.__doc__ or "Error.").strip().splitlines()[0]
        super().__init__(self.message)

    def __str__(self) -> str:
        text = " ".join(part for part in (self.message, self.guidance) if part)
        # One line, whatever the underlying library said.
        return " ".join(text.split())


class InvalidInputError(IntercomEltError):
    """An option has a value that cannot be used."""

    exit_code = 2


class MissingTokenError(IntercomEltError):
    """No Intercom access token was given."""

    exit_code = 3


class AuthenticationError(IntercomEltError):
    """Intercom rejected the access token."""

    exit_code = 4


class WarehouseError(IntercomEltError):
    """The DuckDB file cannot be opened for writing."""

    exit_code = 5


class ExtractionError(IntercomEltError):
    """Reading from Intercom failed."""

    exit_code = 6


class DbtError(IntercomEltError):
    """dbt reported a failure."""

    exit_code = 7
