"""Connector settings: regions, API URLs, start dates and tokens, checked before any request."""

from __future__ import annotations

import datetime as dt

import pytest

from intercom_elt.errors import InvalidInputError, MissingTokenError
from intercom_elt.settings import (
    ConnectorSettings,
    normalize_start_date,
    require_token,
    resolve_api_url,
)


@pytest.mark.parametrize(
    ("region", "url"),
    [
        (None, "https://api.intercom.io/"),
        ("us", "https://api.intercom.io/"),
        ("eu", "https://api.eu.intercom.io/"),
        ("AU", "https://api.au.intercom.io/"),
    ],
)
def test_regions_map_to_intercom_hosts(region: str | None, url: str) -> None:
    assert resolve_api_url(region=region, api_url=None) == url


def test_api_url_is_normalised_to_the_host_root() -> None:
    assert resolve_api_url(region=None, api_url="http://127.0.0.1:8000") == "http://127.0.0.1:8000/"


@pytest.mark.parametrize("url", ["ftp://x/", "127.0.0.1:8000", "http:///", "http://h/api/"])
def test_bad_api_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidInputError):
        resolve_api_url(region=None, api_url=url)


def test_region_and_api_url_conflict() -> None:
    with pytest.raises(InvalidInputError, match="Both"):
        resolve_api_url(region="eu", api_url="http://127.0.0.1:8000/")


@pytest.mark.parametrize(
    ("given", "expected"),
    [("2023-04-05", "2023-04-05T00:00:00Z"), ("2023-04-05T06:07:08Z", "2023-04-05T06:07:08Z")],
)
def test_start_dates_accepted(given: str, expected: str) -> None:
    assert normalize_start_date(given) == expected


@pytest.mark.parametrize("given", ["", "2023/04/05", "2023-04-05T06:07:08", "2023-02-30", "2009-12-31"])
def test_start_dates_refused(given: str) -> None:
    with pytest.raises(InvalidInputError):
        normalize_start_date(given)


def test_future_start_date_refused() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    with pytest.raises(InvalidInputError, match="future"):
        normalize_start_date("2026-01-02", now=now)


@pytest.mark.parametrize("token", [None, "", "   "])
def test_missing_token(token: str | None) -> None:
    with pytest.raises(MissingTokenError):
        require_token(token)


def test_token_is_not_in_the_settings_repr() -> None:
    settings = ConnectorSettings(access_token="s3cr3t-value")
    assert "s3cr3t-value" not in repr(settings)


def test_ast_parse_is_serialized_for_the_cdk_threads() -> None:
    import ast
    import sys

    from intercom_elt import thread_safe_ast

    thread_safe_ast.install()
    thread_safe_ast.install()  # idempotent
    assert ast.literal_eval("{'a': [1, (2, 3)]}") == {"a": [1, (2, 3)]}
    if sys.version_info < (3, 13):
        assert getattr(ast.parse, "_intercom_elt_serialized", False)
