"""A fast, thread-safe `ast.literal_eval` for the CDK's worker threads.

The CDK passes the result of every interpolated manifest string through
`ast.literal_eval`: request headers, URLs, the token, each record's `conversation_id`,
each record filter's verdict. That is a few hundred thousand calls per medium sync,
from up to 40 worker threads. Two problems follow on CPython before 3.13:

* gh-106905: concurrent `ast.parse` calls occasionally fail with "SystemError: AST
  constructor recursion depth mismatch", which fails the stream. Parsing must be
  serialized.
* A lock taken that often by GIL-bound threads convoys: a thread woken for the lock
  then waits for the GIL's 5 ms switch interval. Profiling showed the whole sync
  queued on it.

So the common results are answered without parsing (`True`, `False`, `None`, plain
decimal integers, and strings that start like a name, which `literal_eval` can only
reject). The rest is parsed under the lock, and a string's scalar answer (or its
rejection) is remembered: the token, the API version and the start date come back on
every request. The answers are exactly the ones `ast.literal_eval` gives; a test
compares them.
"""

from __future__ import annotations

import ast
import functools
import re
import string
import sys
import threading
from typing import Any

_LOCK = threading.RLock()
_MARKER = "_intercom_elt_serialized"
_CONSTANTS = {"True": True, "False": False, "None": None}
_SCALARS = (str, bytes, int, float, complex, bool, type(None))
_DECIMAL = re.compile(r"-?(?:[1-9][0-9]{0,17}|0)")
_NAME_START = frozenset(string.ascii_letters + "_")
# The only literals that start like a name: True, False, None, `set()`, and strings
# with a prefix (b'', rb'', f'' ...).
_LITERAL_LIKE_NAME = re.compile(r"True|False|None|set|[bBrRuUfF]{1,2}['\"]")


def install() -> None:
    """Serialize `ast.parse` and put the fast paths in front of `ast.literal_eval`.

    Idempotent, and a no-op on Python ≥ 3.13, where the race is fixed.
    """
    if sys.version_info >= (3, 13) or getattr(ast.parse, _MARKER, False):
        return
    original_parse = ast.parse
    original_literal_eval = ast.literal_eval

    @functools.wraps(original_parse)
    def parse(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return original_parse(*args, **kwargs)

    @functools.lru_cache(maxsize=4096)
    def parsed_scalar(text: str) -> tuple[str, Any]:
        # Only immutable answers may be shared between callers.
        try:
            value = original_literal_eval(text)
        except (ValueError, SyntaxError, TypeError) as error:
            return "error", (type(error), error.args)
        if isinstance(value, _SCALARS):
            return "value", value
        return "container", None

    @functools.wraps(original_literal_eval)
    def literal_eval(node_or_string: Any) -> Any:
        if not isinstance(node_or_string, str):
            return original_literal_eval(node_or_string)
        known, value = quick_literal(node_or_string)
        if known:
            return value
        kind, answer = parsed_scalar(node_or_string)
        if kind == "value":
            return answer
        if kind == "error":
            error_type, error_args = answer
            raise error_type(*error_args)
        return original_literal_eval(node_or_string)

    setattr(parse, _MARKER, True)
    ast.parse = parse
    ast.literal_eval = literal_eval


class _Rejected(ValueError):
    """What `ast.literal_eval` would raise for a string that is not a literal."""


def quick_literal(text: str) -> tuple[bool, Any]:
    """`(True, value)` when `ast.literal_eval(text)` is known without parsing.

    Raises ValueError when `ast.literal_eval` surely fails (it may have raised
    SyntaxError instead; the CDK catches both). Returns `(False, None)` when unsure.
    """
    stripped = text.lstrip(" \t")
    if stripped in _CONSTANTS:
        return True, _CONSTANTS[stripped]
    if _DECIMAL.fullmatch(stripped):
        return True, int(stripped)
    if stripped[:1] in _NAME_START and not _LITERAL_LIKE_NAME.match(stripped):
        # A name, call, attribute or keyword: never a literal.
        raise _Rejected(f"malformed node or string: {text!r}")
    return False, None
