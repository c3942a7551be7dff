"""Intercom's ``error.list`` envelope and the exception that carries it."""

from __future__ import annotations

import json
import uuid


class ApiError(Exception):
    """An API error to be rendered as Intercom's error envelope.

    Args:
        status: HTTP status code.
        code: Intercom's machine-readable error code.
        message: human-readable message.
        field: the request field at fault, if any.
    """

    def __init__(self, status: int, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field

    def body(self) -> bytes:
        """The JSON error envelope."""
        return error_body(self.code, self.message, field=self.field)


def error_body(code: str, message: str, *, field: str | None = None) -> bytes:
    """Render ``{"type": "error.list", "request_id", "errors": [...]}``."""
    error: dict[str, str] = {"code": code, "message": message}
    if field is not None:
        error["field"] = field
    return json.dumps(
        {"type": "error.list", "request_id": str(uuid.uuid4()), "errors": [error]}
    ).encode()


def bad_request(message: str, *, code: str = "parameter_invalid", field: str | None = None) -> ApiError:
    """A 400 with the given code."""
    return ApiError(400, code, message, field=field)


def not_found(message: str = "Resource Not Found", *, code: str = "not_found") -> ApiError:
    """A 404 with the given code."""
    return ApiError(404, code, message)
