"""The whole pipeline offline: simulator → extract every stream → dbt build → summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from intercom_elt import extractor
from intercom_elt.dbt_runner import run_dbt
from intercom_elt.settings import ConnectorSettings
from intercom_elt.simulator import DEMO_TOKEN, SimulatorServer, generate_workspace
from intercom_elt.summary import WarehouseSummary, summarize

# The simulator's workspace history starts well after this.
DEMO_START_DATE = "2020-01-01T00:00:00Z"


def run_demo(
    *,
    duckdb_path: Path,
    scale: str = "small",
    seed: int = 42,
    echo: Callable[[str], None] = print,
) -> WarehouseSummary:
    """Run the whole ELT against a freshly generated simulator workspace."""
    echo(f"Generating a {scale} simulated Intercom workspace (seed {seed})…")
    workspace = generate_workspace(seed=seed, scale=scale)
    server = SimulatorServer(workspace, host="127.0.0.1", port=0, token=DEMO_TOKEN)
    server.start()
    try:
        echo(f"Simulator serving at {server.url}")
        settings = ConnectorSettings(
            access_token=DEMO_TOKEN, start_date=DEMO_START_DATE, api_url=server.url
        )
        # A demo always starts over: another seed or scale must not mix with old state.
        result = extractor.extract(settings, duckdb_path=duckdb_path, full_refresh=True)
        echo(
            f"Extracted {result.records_read:,} records from {len(result.streams)} streams "
            f"in {result.elapsed_seconds:.1f} s."
        )
    finally:
        server.stop()
    echo("Running dbt build…")
    run_dbt(["build"], duckdb_path=duckdb_path, quiet=True)
    summary = summarize(duckdb_path)
    echo(summary.render())
    echo(f"Warehouse: {duckdb_path} (open it with `duckdb -readonly {duckdb_path}`)")
    return summary

