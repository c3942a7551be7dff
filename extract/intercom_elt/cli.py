"""`intercom-elt`: the command line. Each command parses, calls one function, prints.

Errors a user can cause end as one line on stderr and a distinct exit code (see
errors.py); `--debug` shows the traceback instead.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from intercom_elt import __version__
from intercom_elt.errors import IntercomEltError, InvalidInputError
from intercom_elt.settings import (
    DEFAULT_RATE_LIMIT_PER_MINUTE,
    DEFAULT_START_DATE,
    REGION_URLS,
    TOKEN_ENV_VAR,
    ConnectorSettings,
    normalize_start_date,
    require_token,
    resolve_api_url,
)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
SCALES = ("small", "medium", "large")


class IntercomEltGroup(click.Group):
    """Turns IntercomEltError into `Error: …` and the error's exit code."""

    def invoke(self, ctx: click.Context) -> Any:  # noqa: D102
        try:
            return super().invoke(ctx)
        except IntercomEltError as error:
            if ctx.meta.get("debug"):
                raise
            exception = click.ClickException(str(error))
            exception.exit_code = error.exit_code
            raise exception from error
        except KeyboardInterrupt:
            click.echo("Interrupted. Rerun the same command to resume; loaded data is kept.", err=True)
            sys.exit(130)


@click.group(cls=IntercomEltGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="intercom-elt")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:  # noqa: FBT001
    """Intercom → DuckDB → dbt: a tested, documented Intercom warehouse.

    \b
    Example:
        intercom-elt demo                      # everything offline, no token needed
        export INTERCOM_ACCESS_TOKEN=...
        intercom-elt extract && make build     # your workspace
    """
    ctx.meta["debug"] = debug


def duckdb_path_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--duckdb-path`, from INTERCOM_DUCKDB_PATH, default warehouse/intercom.duckdb."""
    return click.option(
        "--duckdb-path",
        type=click.Path(path_type=Path, dir_okay=False),
        envvar="INTERCOM_DUCKDB_PATH",
        show_envvar=True,
        default=None,
        help="DuckDB file to write. [default: warehouse/intercom.duckdb in the repository]",
    )(function)


def connection_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Token, start date, region/API URL and throughput options, shared by commands."""
    options = [
        click.option(
            "--access-token",
            envvar=TOKEN_ENV_VAR,
            show_envvar=True,
            default=None,
            metavar="TOKEN",
            help="Intercom access token (never printed).",
        ),
        click.option(
            "--start-date",
            default=DEFAULT_START_DATE,
            show_default=True,
            envvar="INTERCOM_START_DATE",
            show_envvar=True,
            help="Replicate data updated from this UTC date-time on.",
        ),
        click.option(
            "--region",
            type=click.Choice(sorted(REGION_URLS), case_sensitive=False),
            default=None,
            help="Intercom region (US by default).",
        ),
        click.option(
            "--api-url",
            envvar="INTERCOM_API_URL",
            show_envvar=True,
            default=None,
            help="API base URL for anything else, e.g. the simulator.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(1, 40),
            default=10,
            show_default=True,
            help="Concurrent requests.",
        ),
        click.option(
            "--rate-limit",
            type=click.IntRange(6, None),
            default=DEFAULT_RATE_LIMIT_PER_MINUTE,
            show_default=True,
            help="Your app's Intercom quota in calls per minute, or less to leave room for "
            "other clients; Intercom's rate-limit headers are followed as well.",
        ),
    ]
    for option in reversed(options):
        function = option(function)

    @functools.wraps(function)
    def wrapper(
        *args: Any,
        access_token: str | None,
        start_date: str,
        region: str | None,
        api_url: str | None,
        workers: int,
        rate_limit: int,
        **kwargs: Any,
    ) -> Any:
        settings = ConnectorSettings(
            access_token=require_token(access_token),
            start_date=normalize_start_date(start_date),
            api_url=resolve_api_url(region=region, api_url=api_url),
            num_workers=workers,
            api_rate_limit=rate_limit,
        )
        return function(*args, settings=settings, **kwargs)

    return wrapper


def _resolve_duckdb_path(path: Path | None) -> Path:
    from intercom_elt.paths import default_duckdb_path  # noqa: PLC0415

    return path.expanduser().resolve() if path else default_duckdb_path()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to bind; 0 picks a free one.")
@click.option("--seed", type=int, default=42, show_default=True, help="Workspace generator seed.")
@click.option("--scale", type=click.Choice(SCALES), default="small", show_default=True,
              help="Workspace size.")
@click.option("--token", default=None, help="Bearer token to accept. [default: the demo token]")
@click.option("--rate-limit", type=click.IntRange(0, None), default=10000, show_default=True,
              help="Requests per minute before 429s (0: unlimited).")
@click.option("--latency-ms", type=click.IntRange(0, None), default=0, show_default=True,
              help="Delay added to every response.")
@click.option("--faults", "faults_json", default=None, metavar="JSON",
              help='Fault injection, e.g. \'{"error_rate_5xx": 0.05, "force_429": 20}\' '
                   "(also POST /_sim/faults while running).")
@click.option("--replay", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Serve the records of a JSONL capture instead of generating.")
def simulate(host: str, port: int, seed: int, scale: str, token: str | None,
             rate_limit: int, latency_ms: int, faults_json: str | None,
             replay: Path | None) -> None:
    """Serve a simulated Intercom API 2.11 workspace until interrupted.

    \b
    Example:
        intercom-elt simulate --port 8000 &
        INTERCOM_ACCESS_TOKEN=sim-demo-token intercom-elt extract --api-url http://127.0.0.1:8000/
        intercom-elt simulate --replay capture.jsonl   # {"stream": ..., "data": {...}} lines
    """
    from intercom_elt.simulator import (  # noqa: PLC0415
        DEMO_TOKEN,
        Faults,
        SimulatorServer,
        generate_workspace,
        load_workspace_from_jsonl,
    )

    try:
        faults = Faults.from_dict({"latency_ms": latency_ms, **json.loads(faults_json or "{}")})
    except (ValueError, TypeError) as error:
        raise InvalidInputError(f"Invalid --faults: {error}") from error
    if replay is not None:
        try:
            workspace = load_workspace_from_jsonl(replay)
        except ValueError as error:
            raise InvalidInputError(f"Cannot replay {replay}: {error}") from error
    else:
        workspace = generate_workspace(seed=seed, scale=scale)
    server = SimulatorServer(
        workspace,
        host=host,
        port=port,
        token=token or DEMO_TOKEN,
        rate_limit_per_minute=rate_limit or None,
        faults=faults,
    )
    try:
        url = server.url  # binds the socket, so port 0 resolves to the real port
    except OSError as error:
        raise InvalidInputError(f"Cannot listen on {host}:{port}: {error.strerror}.") from error
    click.echo(f"Serving Intercom API simulator at {url}")
    sys.stdout.flush()
    click.echo(f"Token: {'(as given)' if token else DEMO_TOKEN}; Ctrl-C to stop.", err=True)
    server.serve_forever()


@cli.command()
@connection_options
def check(settings: ConnectorSettings) -> None:
    """Check the token and API host with one cheap request.

    \b
    Example:
        INTERCOM_ACCESS_TOKEN=... intercom-elt check --region eu
    """
    from intercom_elt.extractor import check_connection  # noqa: PLC0415

    check_connection(settings)
    click.echo(f"OK: {settings.api_url} accepted the token.")


@cli.command()
def streams() -> None:
    """List the streams with their sync mode and primary key.

    \b
    Example:
        intercom-elt streams
    """
    from intercom_elt.connector import stream_catalog  # noqa: PLC0415

    click.echo(f"{'stream':<20} {'sync mode':<13} {'primary key':<18} cursor")
    for info in stream_catalog():
        key = ", ".join(info.primary_key)
        click.echo(f"{info.name:<20} {info.sync_mode:<13} {key:<18} {info.cursor_field or '-'}")


def _parse_streams(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


@cli.command()
@connection_options
@duckdb_path_option
@click.option("--streams", "stream_list", default=None, metavar="A,B",
              help="Comma-separated streams to read. [default: all]")
@click.option("--full-refresh", is_flag=True,
              help="Ignore saved state and re-read everything, replacing the tables.")
def extract(settings: ConnectorSettings, duckdb_path: Path | None, stream_list: str | None,
            full_refresh: bool) -> None:  # noqa: FBT001
    """Load Intercom streams into the DuckDB file (schema intercom_raw).

    Incremental streams resume from the state saved in the same file.

    \b
    Example:
        export INTERCOM_ACCESS_TOKEN=...
        intercom-elt extract --streams contacts,conversations,conversation_parts
    """
    from intercom_elt.extractor import extract as run_extract  # noqa: PLC0415
    from intercom_elt.extractor import select_streams  # noqa: PLC0415

    streams_wanted = select_streams(_parse_streams(stream_list))
    path = _resolve_duckdb_path(duckdb_path)
    result = run_extract(settings, duckdb_path=path, streams=streams_wanted,
                         full_refresh=full_refresh)
    for notice in result.notices:
        click.echo(notice, err=True)
    click.echo(f"{'stream':<20} {'rows':>10}")
    for stream in result.streams:
        click.echo(f"{stream.name:<20} {stream.rows:>10,}")
    click.echo(
        f"Read {result.records_read:,} records in {result.elapsed_seconds:.1f} s into {path}."
    )


@cli.command()
@duckdb_path_option
def status(duckdb_path: Path | None) -> None:
    """Show rows, last sync time and cursor for each stream in the DuckDB file.

    \b
    Example:
        intercom-elt status
    """
    from intercom_elt.status import stream_statuses  # noqa: PLC0415

    statuses = stream_statuses(_resolve_duckdb_path(duckdb_path))
    click.echo(f"{'stream':<20} {'rows':>10}  {'last sync (UTC)':<20} cursor")
    for row in statuses:
        click.echo(f"{row.name:<20} {row.rows_text:>10}  {row.last_sync_text:<20} {row.cursor_text}")


@cli.command()
@click.option("--scale", type=click.Choice(SCALES), default="small", show_default=True,
              help="Simulated workspace size.")
@click.option("--seed", type=int, default=42, show_default=True, help="Workspace generator seed.")
@duckdb_path_option
def demo(scale: str, seed: int, duckdb_path: Path | None) -> None:
    """Run everything offline: simulator → extract → dbt build → summary.

    \b
    Example:
        intercom-elt demo --scale small
    """
    from intercom_elt.demo import run_demo  # noqa: PLC0415

    run_demo(duckdb_path=_resolve_duckdb_path(duckdb_path), scale=scale, seed=seed,
             echo=click.echo)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="intercom-elt")
