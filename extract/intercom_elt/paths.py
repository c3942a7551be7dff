"""Where the project's files live, whatever the current folder."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
MANIFEST_PATH = PACKAGE_DIR / "manifest.yaml"


def repo_root() -> Path:
    """The repository root (the folder holding dbt_project/), or the current folder.

    An editable install (`make setup`) keeps the package inside the repository, so the
    root is found from this file; any other install falls back to the current folder.
    """
    candidate = PACKAGE_DIR.parent.parent
    if (candidate / "dbt_project" / "dbt_project.yml").is_file():
        return candidate
    return Path.cwd()


def dbt_project_dir() -> Path:
    """The dbt project folder."""
    return repo_root() / "dbt_project"


def profiles_dir() -> Path:
    """The folder holding profiles.yml (the repository root)."""
    return repo_root()


def default_duckdb_path() -> Path:
    """`INTERCOM_DUCKDB_PATH`, or warehouse/intercom.duckdb under the repository root."""
    configured = os.environ.get("INTERCOM_DUCKDB_PATH")
    if configured:
        return Path(configured).expanduser().resolve()
    return repo_root() / "warehouse" / "intercom.duckdb"
