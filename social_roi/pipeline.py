"""The steps of the daily run, as plain functions: the DAG's tasks call these and nothing else.

Every step is keyed on the run's day (the first day of the Airflow data interval) and is safe to re-run:
ingestion is idempotent through the manifest, dbt rebuilds the audit area for that day, the gate only reads,
publish replaces the published file whole, and the report is rewritten.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from social_roi.config import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT = PROJECT_ROOT / "dbt_project"

TELEMETRY_OFF = {
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
    "DO_NOT_TRACK": "1",
}


def _log(message: str) -> None:
    print(message, flush=True)


def ingest(run_date: date, run_id: str, settings: Settings | None = None) -> dict:
    """Load every new export dated on or before ``run_date`` into ``raw.*`` of the work database."""
    import duckdb

    from social_roi.ingest.load import ingest_inbox

    settings = settings or Settings.from_env()
    settings.ensure_dirs()
    started = time.perf_counter()
    con = duckdb.connect(str(settings.work_db))
    try:
        summary = ingest_inbox(con, settings, up_to=run_date, run_id=run_id, progress=_log)
    finally:
        con.close()
    for line in summary.lines():
        _log(line)
    _log(f"ingest took {time.perf_counter() - started:.1f} s")
    return summary.as_dict()


def dbt(args: list[str], run_date: date, settings: Settings | None = None) -> None:
    """Run one dbt command on the project against the work database (a subprocess: dbt owns its connection)."""
    settings = settings or Settings.from_env()
    env = {
        **os.environ,
        **TELEMETRY_OFF,
        "SOCIAL_ROI_WORK_DB": str(settings.work_db),
        "DBT_PROFILES_DIR": str(DBT_PROJECT),
    }
    dbt_exe = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt_exe), *args, "--project-dir", str(DBT_PROJECT), "--target-path", str(settings.home / "dbt_target"),
        "--log-path", str(settings.home / "dbt_logs"), "--vars", json.dumps({"roi__run_date": run_date.isoformat()}),
    ]
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0:
        detail = "\n".join(line for line in lines if "ERROR" in line or "FAIL" in line or "Error" in line)
        raise RuntimeError(
            f"dbt {' '.join(args)} failed (exit {proc.returncode}) for {run_date}:\n{detail or proc.stdout[-4000:]}"
            f"\n{proc.stderr[-2000:]}\nfull log: {settings.home / 'dbt_logs' / 'dbt.log'}"
        )
    _log(lines[-1] if lines else "dbt finished")
    _log(f"dbt {' '.join(args)} took {time.perf_counter() - started:.1f} s")


def build(run_date: date, settings: Settings | None = None) -> None:
    """Build (and test) every dbt model into the audit schema of the work database."""
    dbt(["build"], run_date, settings)


def gate(run_date: date, run_id: str, settings: Settings | None = None) -> dict:
    """The mart gate: raises GateFailed (naming each failed expectation) when a blocking suite fails."""
    import duckdb

    from social_roi.quality.gate import run_mart_gate

    settings = settings or Settings.from_env()
    docs_dir = settings.data_docs
    con = duckdb.connect(str(settings.work_db))
    try:
        result = run_mart_gate(con, run_id=run_id, run_date=run_date, schema="audit", docs_dir=docs_dir)
    finally:
        con.close()
    _log(result.summary())
    return {
        "expectations": len(result.outcomes),
        "warnings": len(result.warnings),
        "docs_index": str(result.docs_index) if result.docs_index else None,
    }


def publish(run_date: date, run_id: str, settings: Settings | None = None) -> dict:
    from social_roi import publish as publisher

    settings = settings or Settings.from_env()
    out = publisher.publish(settings.work_db, settings.marts_db, run_id=run_id, run_date=run_date)
    _log(f"published {len(out['tables'])} marts to {out['marts_db']}")
    return out


def report(run_date: date, settings: Settings | None = None) -> dict:
    from social_roi.report.html import write_report

    settings = settings or Settings.from_env()
    path = write_report(settings, run_date)
    _log(f"report: {path}")
    return {"report": str(path)}
