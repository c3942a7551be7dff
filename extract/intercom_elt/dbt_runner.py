"""Run dbt on the project's dbt_project/ with the root profiles.yml.

dbt runs in its own process: DuckDB lets one process hold the file for writing, and a
separate process also keeps dbt's logging and global state out of ours.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from intercom_elt.errors import DbtError
from intercom_elt.paths import dbt_project_dir, profiles_dir


def run_dbt(args: list[str], *, duckdb_path: Path, quiet: bool = False) -> str:
    """Run `dbt <args>` against `duckdb_path`; return its output, raise DbtError on failure."""
    command = [
        sys.executable,
        "-m",
        "dbt.cli.main",
        *args,
        "--project-dir",
        str(dbt_project_dir()),
        "--profiles-dir",
        str(profiles_dir()),
    ]
    env = {**os.environ, "INTERCOM_DUCKDB_PATH": str(duckdb_path), "DO_NOT_TRACK": "1"}
    completed = subprocess.run(  # noqa: S603  # fixed argv, no shell
        command,
        env=env,
        cwd=dbt_project_dir(),
        capture_output=quiet,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        tail = (completed.stdout or "").strip().splitlines()[-1:] if quiet else []
        detail = f" Last line: {tail[0]}" if tail else ""
        raise DbtError(
            f"dbt {' '.join(args)} failed (exit {completed.returncode}).{detail}",
            guidance="See dbt_project/logs/dbt.log for details.",
        )
    return completed.stdout or ""
