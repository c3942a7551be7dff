"""The connector's speed-ups must answer exactly what the code they shortcut answers."""

from __future__ import annotations

import ast
import random
import string

import airbyte_cdk.sources  # noqa: F401  # sets dpath's options as the connector runs them
import dpath
import pytest

from intercom_elt import cdk_speedups, thread_safe_ast

_ORIGINAL_LITERAL_EVAL = ast.literal_eval
_ORIGINAL_DPATH_GET = dpath.get

# What the CDK's interpolation really produces, and the corners of Python's literal syntax.
INTERPOLATED = [
    "True", "False", "None", " True", "True ", "\tNone", "0", "-0", "00", "007", "12", "-12",
    "+12", "1_000", "123456789012345678901234", "2024-01-01T00:00:00Z", "1.5", "1e3", "2.11",
    "http://127.0.0.1:8000/", "Bearer abc", "application/json", "conversations/123",
    "[1, 2]", "{'a': 1}", "b'x'", "r'x'", "u'x'", "f'x'", "rb'x'", "BR'x'", "set()",
    "Thursday", "Nonesuch", "Falsey", "nan", "inf", "_x", "é", "ＴＲＵＥ", "", "  ", "-",
    "--5", "- 5", "0x1F", "1j", "(1,)", "'s'", '"s"', "\n1", "1\n", "__import__('os')",
    "None and 1", "not True", "lambda: 1", "WzE3MDAwMDAwMDAsIjQyIl0=",
]


def _outcome(function, text: str) -> tuple:
    try:
        return ("value", repr(function(text)))
    except (ValueError, SyntaxError, TypeError, KeyError, MemoryError, RecursionError):
        return ("rejected",)


def _random_strings(count: int) -> list[str]:
    rng = random.Random(7)
    alphabet = string.printable + "é_Ｔ"
    heads = ["True", "False", "None", "1", "-", "'", "b", "r", "f", "u", "s", "T", " "]
    texts = []
    for _ in range(count):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))))
        tail = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
        texts.append(rng.choice(heads) + tail)
    return texts


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
def test_literal_eval_fast_path_gives_the_same_answers() -> None:
    thread_safe_ast.install()
    assert ast.literal_eval is not _ORIGINAL_LITERAL_EVAL
    texts = INTERPOLATED + _random_strings(20_000)
    for text in texts + texts:  # the second pass answers from the cache
        assert _outcome(ast.literal_eval, text) == _outcome(_ORIGINAL_LITERAL_EVAL, text), text


def test_cached_containers_are_not_shared() -> None:
    thread_safe_ast.install()
    first = ast.literal_eval("[1, 2]")
    first.append(3)
    assert ast.literal_eval("[1, 2]") == [1, 2]


def test_quick_literal_answers_the_common_cases_without_parsing() -> None:
    assert thread_safe_ast.quick_literal("True") == (True, True)
    assert thread_safe_ast.quick_literal("123456") == (True, 123456)
    assert thread_safe_ast.quick_literal("2024-01-01T00:00:00Z") == (False, None)
    with pytest.raises(ValueError):
        thread_safe_ast.quick_literal("application/json")


RESPONSES = [
    {"type": "list", "data": [{"id": "1", "tags": {"data": []}}], "pages": {"next": None}},
    {"conversation_parts": {"conversation_parts": [{"id": "9"}], "total_count": 1}},
    {"data": None},
    {"data": []},
    {"data*": [1], "data": [2]},
    {"list": [{"data": 1}]},
    {"data": [{"id": "1", "custom_attributes": {"": "x"}}]},  # the CDK allows empty keys
    {},
]
PATHS = [["data"], ["conversation_parts", "conversation_parts"], ["pages", "next"],
         ["missing"], ["data", "0"], ["list", "0", "data"], ["data*"], ["d*ta"], [],
         "data", "/data", "pages/next", "/", "", "type", "data/0", "d?ta"]


@pytest.mark.parametrize("response", RESPONSES)
def test_direct_dpath_lookup_gives_the_same_answers(response: dict) -> None:
    cdk_speedups.install()
    assert dpath.get is not _ORIGINAL_DPATH_GET
    for path in PATHS:
        assert _outcome(lambda p: dpath.get(response, p, default="<none>"), path) == _outcome(
            lambda p: _ORIGINAL_DPATH_GET(response, p, default="<none>"), path
        ), path
        assert _outcome(lambda p: dpath.get(response, p), path) == _outcome(
            lambda p: _ORIGINAL_DPATH_GET(response, p), path
        ), path
