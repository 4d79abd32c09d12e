"""Publish: copy the audited marts into a fresh database file and swap it in atomically.

Analysts open ``marts.duckdb`` (read-only). The pipeline never writes that file: it writes
``marts.duckdb.tmp`` next to it, checkpoints and closes it, then renames it over the old one
(``os.replace``, atomic on POSIX). A reader that already has the old file open keeps seeing the previous
version until it reconnects; a new connection sees the new version. Nothing is ever half-published.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from social_roi.sql import ident, literal, qualified

MART_PREFIXES = ("fct_", "dim_")


def published_tables(con: duckdb.DuckDBPyConnection, schema: str = "audit") -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' "
        "order by table_name",
        [schema],
    ).fetchall()
    return [r[0] for r in rows if r[0].startswith(MART_PREFIXES)]


def publish(work_db: Path, marts_db: Path, *, run_id: str, run_date, schema: str = "audit") -> dict:
    """Copy every mart of the audit schema (plus quality results) to ``marts_db`` atomically."""
    tmp = marts_db.with_name(marts_db.name + ".tmp")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    marts_db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(work_db))
    try:
        tables = published_tables(con, schema)
        if not tables:
            raise RuntimeError(f"nothing to publish: no fct_/dim_ tables in schema {schema!r} of {work_db}")
        con.execute(f"attach {literal(tmp)} as publish_target")
        counts = {}
        for table in tables:
            target = f"publish_target.main.{ident(table)}"
            con.execute(f"create table {target} as select * from {qualified(schema, table)}")
            counts[table] = con.execute(f"select count(*) from {target}").fetchone()[0]
        has_quality = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'main' "
            "and table_name = 'quality_results'"
        ).fetchone()[0]
        if has_quality:
            con.execute("create table publish_target.main.quality_results as select * from main.quality_results")
        con.execute(
            "create table publish_target.main._publication as select ? as run_id, cast(? as date) as run_date, "
            "cast(? as timestamptz) as published_at",
            [run_id, str(run_date), datetime.now(UTC)],
        )
        con.execute("checkpoint publish_target")
        con.execute("detach publish_target")
    finally:
        con.close()
    os.replace(tmp, marts_db)
    return {"marts_db": str(marts_db), "tables": counts}
