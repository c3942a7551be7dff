"""Shared fixtures: a simulator on an ephemeral loopback port and an extracted warehouse."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["AIRBYTE_OFFLINE_MODE"] = "1"
os.environ["DO_NOT_TRACK"] = "1"

from intercom_elt.simulator import DEMO_TOKEN, SimulatorServer, Workspace, generate_workspace  # noqa: E402

PIPELINE_SEED = 7
# Far enough back that every simulated record is included.
START_DATE = "2020-01-01T00:00:00Z"


@pytest.fixture(scope="session")
def pipeline_workspace() -> Workspace:
    """The small workspace the end-to-end tests extract."""
    return generate_workspace(seed=PIPELINE_SEED, scale="small")


@pytest.fixture(scope="session")
def pipeline_simulator(pipeline_workspace: Workspace) -> Iterator[SimulatorServer]:
    """A simulator serving the pipeline workspace for the whole session."""
    server = SimulatorServer(pipeline_workspace, host="127.0.0.1", port=0, token=DEMO_TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def built_warehouse(
    tmp_path_factory: pytest.TempPathFactory, pipeline_simulator: SimulatorServer
) -> Path:
    """simulator → extract every stream → dbt build, once per session; the DuckDB path."""
    from intercom_elt import extractor
    from intercom_elt.dbt_runner import run_dbt
    from intercom_elt.settings import ConnectorSettings

    path = tmp_path_factory.mktemp("warehouse") / "intercom.duckdb"
    settings = ConnectorSettings(
        access_token=DEMO_TOKEN, start_date=START_DATE, api_url=pipeline_simulator.url
    )
    extractor.extract(settings, duckdb_path=path)
    run_dbt(["build"], duckdb_path=path, quiet=True)
    return path
