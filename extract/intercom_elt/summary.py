"""What a user wants to see after a run: rows per table and a few headline metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from intercom_elt import warehouse


@dataclass
class WarehouseSummary:
    """Row counts and headline metrics read from the DuckDB file."""

    raw_rows: dict[str, int] = field(default_factory=dict)
    mart_rows: dict[str, int] = field(default_factory=dict)
    headlines: dict[str, str] = field(default_factory=dict)

    def render(self) -> str:
        """A short plain-text report."""
        lines = ["Raw tables (intercom_raw):"]
        lines += [f"  {name:<22} {rows:>9,}" for name, rows in self.raw_rows.items()]
        lines.append("Marts (marts):")
        lines += [f"  {name:<22} {rows:>9,}" for name, rows in self.mart_rows.items()]
        if self.headlines:
            lines.append("Headlines:")
            lines += [f"  {name:<36} {value}" for name, value in self.headlines.items()]
        return "\n".join(lines)


HEADLINE_QUERIES = {
    "median first response time": """
        select median(time_to_first_admin_reply_seconds) from marts.conversation_metrics
    """,
    "conversations answered": """
        select count(first_admin_reply_at) * 1.0 / nullif(count(first_contact_reply_at), 0)
        from marts.conversation_metrics
    """,
    "lead → user conversion": """
        select count(*) filter (where converted_at is not null and created_at < converted_at)
               * 1.0 / nullif(count(*) filter (
                   where contact_role = 'lead' or created_at < converted_at), 0)
        from marts.contact_funnel
    """,
    "active contacts": """
        select count(*) filter (where is_active) * 1.0 / nullif(count(*), 0)
        from marts.contact_funnel
    """,
}


def summarize(duckdb_path: Path) -> WarehouseSummary:
    """Read counts and headlines from the warehouse (read-only)."""
    summary = WarehouseSummary()
    with warehouse.connect(duckdb_path, read_only=True) as connection:
        for table in warehouse.list_tables(connection, warehouse.RAW_SCHEMA):
            if not table.startswith("_airbyte"):
                summary.raw_rows[table] = warehouse.count_rows(
                    connection, warehouse.RAW_SCHEMA, table
                ) or 0
        for table in warehouse.list_tables(connection, "marts"):
            summary.mart_rows[table] = warehouse.count_rows(connection, "marts", table) or 0
        if "conversation_metrics" in summary.mart_rows and "contact_funnel" in summary.mart_rows:
            for name, sql in HEADLINE_QUERIES.items():
                value = connection.execute(sql).fetchone()[0]
                summary.headlines[name] = _format(name, value)
    return summary


def _format(name: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    if "time" in name:
        minutes = float(value) / 60
        return f"{minutes:,.1f} min" if minutes < 120 else f"{minutes / 60:,.1f} h"
    return f"{float(value):.1%}"
