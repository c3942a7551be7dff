"""Intercom ELT: Intercom → PyAirbyte → DuckDB → dbt, with a built-in Intercom API simulator."""

from __future__ import annotations

__version__ = "0.1.0"
