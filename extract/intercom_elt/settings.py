"""Connector settings: token, start date and API host, validated before any request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlparse

from intercom_elt.errors import InvalidInputError, MissingTokenError

REGION_URLS = {
    "us": "https://api.intercom.io/",
    "eu": "https://api.eu.intercom.io/",
    "au": "https://api.au.intercom.io/",
}
DEFAULT_START_DATE = "2020-01-01T00:00:00Z"
# Intercom's default quota for an app. The budget also follows Intercom's rate-limit
# headers, so a busier workspace (or a smaller quota) slows the sync rather than failing it.
DEFAULT_RATE_LIMIT_PER_MINUTE = 10_000
TOKEN_ENV_VAR = "INTERCOM_ACCESS_TOKEN"


@dataclass(frozen=True)
class ConnectorSettings:
    """What the Intercom manifest needs, already checked."""

    access_token: str = field(repr=False)
    start_date: str = DEFAULT_START_DATE
    api_url: str = REGION_URLS["us"]
    num_workers: int = 10
    api_rate_limit: int = DEFAULT_RATE_LIMIT_PER_MINUTE
    lookback_window_days: int = 0

    def to_config(self) -> dict[str, object]:
        """The connector config dict (the token stays inside it, never logged)."""
        return {
            "access_token": self.access_token,
            "start_date": self.start_date,
            "api_url": self.api_url,
            "num_workers": self.num_workers,
            "api_rate_limit": self.api_rate_limit,
            "lookback_window": self.lookback_window_days,
        }


def require_token(token: str | None) -> str:
    """The token, or an error saying how to give one."""
    if token is None or not token.strip():
        raise MissingTokenError(
            "No Intercom access token.",
            guidance=f"Set {TOKEN_ENV_VAR} or pass --access-token "
            "(or try `intercom-elt demo`, which needs none).",
        )
    return token.strip()


def normalize_start_date(value: str, *, now: dt.datetime | None = None) -> str:
    """Accept `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`; return the latter, in UTC."""
    text = value.strip()
    parsed: dt.datetime | None = None
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            parsed = dt.datetime.strptime(text, fmt).replace(tzinfo=dt.timezone.utc)
            break
        except ValueError:
            continue
    if parsed is None:
        raise InvalidInputError(
            f"Start date {value!r} is not a UTC date-time.",
            guidance="Use the form 2020-01-01T00:00:00Z (or 2020-01-01).",
        )
    now = now or dt.datetime.now(dt.timezone.utc)
    if parsed > now:
        raise InvalidInputError(
            f"Start date {text} is in the future.",
            guidance="Give a date in the past, e.g. 2020-01-01T00:00:00Z.",
        )
    if parsed.year < 2011:  # Intercom was founded in 2011; earlier dates are typos.
        raise InvalidInputError(
            f"Start date {text} is before Intercom existed.",
            guidance="Give a date from 2011 on, e.g. 2020-01-01T00:00:00Z.",
        )
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


def resolve_api_url(*, region: str | None, api_url: str | None) -> str:
    """The base URL from `--api-url` or `--region` (not both); US by default."""
    if api_url and region:
        raise InvalidInputError(
            f"Both --region {region} and --api-url {api_url} were given.",
            guidance="Use one of them.",
        )
    if not api_url:
        return REGION_URLS[(region or "us").lower()]
    parsed = urlparse(api_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInputError(
            f"API URL {api_url!r} is not an http(s) URL.",
            guidance="Use e.g. https://api.eu.intercom.io/ or http://127.0.0.1:8000/.",
        )
    if parsed.path not in ("", "/"):
        # Intercom serves some endpoints at absolute paths, which drop any prefix.
        raise InvalidInputError(
            f"API URL {api_url!r} has a path; Intercom's API is served at the host root.",
            guidance=f"Use {parsed.scheme}://{parsed.netloc}/ instead.",
        )
    return f"{parsed.scheme}://{parsed.netloc}/"
