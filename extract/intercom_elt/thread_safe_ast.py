"""Serialize `ast.parse` across threads, working around CPython gh-106905.

The CDK evaluates every interpolated manifest string with `ast.literal_eval`, in many
worker threads at once. CPython before 3.13 keeps the AST constructor's recursion
depth in interpreter-wide state, and concurrent calls occasionally fail with
"SystemError: AST constructor recursion depth mismatch", which fails the stream. A
lock around `ast.parse` (microseconds per call) removes the race.
"""

from __future__ import annotations

import ast
import functools
import sys
import threading
from typing import Any

_LOCK = threading.RLock()
_MARKER = "_intercom_elt_serialized"


def install() -> None:
    """Replace `ast.parse` with a serialized version (once; a no-op on Python ≥ 3.13)."""
    if sys.version_info >= (3, 13) or getattr(ast.parse, _MARKER, False):
        return
    original = ast.parse

    @functools.wraps(original)
    def parse(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return original(*args, **kwargs)

    setattr(parse, _MARKER, True)
    ast.parse = parse
