"""Direct lookups for the CDK's literal record paths.

The CDK's `DpathExtractor` finds a page's records with `dpath.get(body, ["data"])`, and
the substream router a parent's id with `dpath.get(record, "id")`.
dpath treats every path as a glob and walks the *whole* response to find it: every
contact's every nested field, for each of the sync's ~20,000 pages. That walk was an
eighth of the connector's CPU time. A path of plain keys through dicts is now looked
up directly; anything else (globs, lists, missing keys) still goes to dpath, so the
answers do not change.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

_GLOB_CHARACTERS = frozenset("*?[]!")
_MARKER = "_intercom_elt_direct"


def install() -> None:
    """Put the direct lookup in front of `dpath.get` (idempotent)."""
    import dpath  # noqa: PLC0415  # only the connector needs it

    if getattr(dpath.get, _MARKER, False):
        return
    original_get = dpath.get

    @functools.wraps(original_get)
    def get(obj: Any, glob: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(glob, str):
            # dpath splits a string path on the separator, after stripping a leading one.
            separator = args[0] if args else kwargs.get("separator", "/")
            if not glob.strip(separator):
                return original_get(obj, glob, *args, **kwargs)
            found, value = direct_lookup(obj, glob.lstrip(separator).split(separator))
        else:
            found, value = direct_lookup(obj, glob)
        if found:
            return value
        return original_get(obj, glob, *args, **kwargs)

    setattr(get, _MARKER, True)
    dpath.get = get


def direct_lookup(obj: Any, path: Any) -> tuple[bool, Any]:
    """`(True, value)` when `path` is a non-empty list of plain keys present in nested dicts."""
    if isinstance(path, str) or not isinstance(path, Sequence) or not path:  # dpath's leaf test
        return False, None
    current = obj
    for key in path:
        if (
            not isinstance(key, str)
            or not isinstance(current, Mapping)
            or key not in current
            or not _GLOB_CHARACTERS.isdisjoint(key)
        ):
            return False, None
        current = current[key]
    return True, current
