"""The CLI as a user meets it: help, one-line errors with distinct exit codes, the simulator."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from intercom_elt.cli import cli
from intercom_elt.simulator import SimulatorServer

COMMANDS = ["simulate", "check", "streams", "extract", "status", "demo"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _one_line_error(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {output!r}"
    assert "Traceback" not in output
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_streams_lists_all_thirteen_with_mode_and_key(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["streams"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()[1:]
    assert len(lines) == 13
    assert re.search(r"conversation_parts\s+incremental\s+id\s+updated_at", result.output)
    assert re.search(r"admins\s+full_refresh\s+id", result.output)


def test_extract_without_token_says_how_to_give_one(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["extract", "--duckdb-path", str(tmp_path / "w.duckdb")], env={"INTERCOM_ACCESS_TOKEN": ""}
    )
    assert result.exit_code == 3
    line = _one_line_error(result.output)
    assert "INTERCOM_ACCESS_TOKEN" in line and "--access-token" in line


@pytest.mark.parametrize("start_date", ["yesterday", "2020-13-01T00:00:00Z", "2999-01-01T00:00:00Z"])
def test_bad_start_date_is_a_usage_error(runner: CliRunner, start_date: str) -> None:
    result = runner.invoke(
        cli, ["extract", "--start-date", start_date], env={"INTERCOM_ACCESS_TOKEN": "x"}
    )
    assert result.exit_code == 2
    assert "Start date" in _one_line_error(result.output)


def test_unknown_stream_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["extract", "--streams", "contacts,nope"], env={"INTERCOM_ACCESS_TOKEN": "x"}
    )
    assert result.exit_code == 2
    assert "nope" in _one_line_error(result.output)


def test_api_url_with_a_path_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["check", "--api-url", "http://127.0.0.1:9/intercom/"], env={"INTERCOM_ACCESS_TOKEN": "x"}
    )
    assert result.exit_code == 2
    assert "host root" in _one_line_error(result.output)


@pytest.mark.slow
def test_wrong_token_is_one_line_and_never_printed(
    runner: CliRunner, pipeline_simulator: SimulatorServer, tmp_path: Path
) -> None:
    secret = "wrong-token-5f2c9"
    result = runner.invoke(
        cli,
        ["extract", "--api-url", pipeline_simulator.url, "--duckdb-path", str(tmp_path / "w.duckdb")],
        env={"INTERCOM_ACCESS_TOKEN": secret},
    )
    assert result.exit_code == 4
    assert "401" in _one_line_error(result.output)
    assert secret not in result.output


@pytest.mark.slow
def test_locked_warehouse_names_the_holder(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = runner.invoke(
            cli, ["extract", "--duckdb-path", str(path)], env={"INTERCOM_ACCESS_TOKEN": "x"}
        )
        assert result.exit_code == 5
        line = _one_line_error(result.output)
        assert "locked" in line and str(holder.pid) in line
    finally:
        holder.kill()
        holder.wait()


def test_simulate_prints_its_url_first_and_enforces_the_token() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "intercom_elt", "simulate", "--port", "0", "--token", "t0k"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        started = time.monotonic()
        first = process.stdout.readline().strip()
        assert time.monotonic() - started < 10
        match = re.fullmatch(r"Serving Intercom API simulator at (http://127\.0\.0\.1:(\d+)/)", first)
        assert match, first
        url = match.group(1)
        assert int(match.group(2)) > 0
        request = urllib.request.Request(url + "tags", headers={"Authorization": "Bearer other"})
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(request, timeout=5)
        assert denied.value.code == 401
        assert b'"unauthorized"' in denied.value.read()
        request = urllib.request.Request(url + "tags", headers={"Authorization": "Bearer t0k"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.slow
def test_status_shows_rows_last_sync_and_cursor(runner: CliRunner, built_warehouse: Path) -> None:
    result = runner.invoke(cli, ["status", "--duckdb-path", str(built_warehouse)])
    assert result.exit_code == 0, result.output
    conversations = next(line for line in result.output.splitlines() if line.startswith("conversations "))
    assert re.search(r"conversations\s+\d[\d,]*\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+updated ≥ \d{4}-", conversations)
    admins = next(line for line in result.output.splitlines() if line.startswith("admins "))
    assert admins.rstrip().endswith("-"), "full-refresh streams have no cursor"


def test_status_without_a_warehouse_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["status", "--duckdb-path", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 5
    assert "intercom-elt extract" in _one_line_error(result.output)


def test_readme_documents_every_command() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for command in COMMANDS:
        assert f"intercom-elt {command}" in readme, command


def test_simulate_takes_fault_knobs_on_the_command_line() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "intercom_elt", "simulate", "--port", "0",
         "--faults", '{"force_429": 1}', "--rate-limit", "600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        request = urllib.request.Request(url + "admins", headers={"Authorization": "Bearer sim-demo-token"})
        with pytest.raises(urllib.error.HTTPError) as limited:
            urllib.request.urlopen(request, timeout=5)
        assert limited.value.code == 429
        assert limited.value.headers["X-RateLimit-Limit"] == "100"
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_simulate_rejects_unknown_faults(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["simulate", "--faults", '{"bogus": 1}'])
    assert result.exit_code == 2
    assert "bogus" in _one_line_error(result.output)
