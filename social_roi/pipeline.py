"""The steps of the daily run, as plain functions: the DAG's tasks call these and nothing else.

Every step is keyed on the run's day (the first day of the Airflow data interval) and is safe to re-run:
ingestion is idempotent through the manifest, dbt rebuilds the audit area for that day, the gate only reads,
publish replaces the published file whole, and the report is rewritten.
"""

from __future__ import annotations

import json
import os
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


_DBT_RUNNER = None


def dbt(args: list[str], run_date: date, settings: Settings | None = None) -> None:
    """Run one dbt command on the project against the work database.

    dbt runs in-process (dbtRunner), kept for the life of the process: a backfill pays dbt's start-up once.
    dbt closes its DuckDB connection when the command ends, so the other steps can open the file after it.
    """
    global _DBT_RUNNER
    settings = settings or Settings.from_env()
    os.environ.update(TELEMETRY_OFF)
    os.environ["SOCIAL_ROI_WORK_DB"] = str(settings.work_db)
    os.environ["DBT_PROFILES_DIR"] = str(DBT_PROJECT)
    from dbt.cli.main import dbtRunner

    if _DBT_RUNNER is None:
        _DBT_RUNNER = dbtRunner()
    command = [
        *args,
        "--project-dir",
        str(DBT_PROJECT),
        "--target-path",
        str(settings.home / "dbt_target"),
        "--log-path",
        str(settings.home / "dbt_logs"),
        "--vars",
        json.dumps({"roi__run_date": run_date.isoformat(), "roi__reporting_currency": settings.reporting_currency}),
        "--quiet",
    ]
    started = time.perf_counter()
    outcome = _DBT_RUNNER.invoke(command)
    results = list(getattr(outcome.result, "results", None) or [])
    failed = [r for r in results if str(r.status).lower() in ("error", "fail", "runtime error")]
    if not outcome.success:
        lines = [
            f"  {r.node.resource_type} {r.node.name}: {r.status} — {(r.message or '').strip()[:500]}" for r in failed
        ]
        if outcome.exception is not None:
            lines.append(f"  {type(outcome.exception).__name__}: {outcome.exception}")
        raise RuntimeError(
            f"dbt {' '.join(args)} failed for {run_date}:\n"
            + "\n".join(lines)
            + f"\nfull log: {settings.home / 'dbt_logs' / 'dbt.log'}"
        )
    kinds: dict[str, int] = {}
    for r in results:
        kinds[str(r.node.resource_type)] = kinds.get(str(r.node.resource_type), 0) + 1
    shown = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    _log(f"dbt {' '.join(args)}: {shown or 'nothing to do'} passed in {time.perf_counter() - started:.1f} s")


PATH_SUMMARY_SELECTOR = ("+int_path_summary", "+int_path_summary_by_lookback")


def build_paths(run_date: date, settings: Settings | None = None) -> None:
    """Phase 1: every dbt model up to the path summaries (and the tests whose every parent it builds)."""
    dbt(["build", "--select", *PATH_SUMMARY_SELECTOR, "--indirect-selection", "cautious"], run_date, settings)


def build_marts(run_date: date, settings: Settings | None = None) -> None:
    """Phase 2: the rest, after the attribution step, including the tests that span both phases and the test
    that the channel weights belong to ``run_date``."""
    settings = settings or Settings.from_env()
    dbt(["build", "--exclude", *PATH_SUMMARY_SELECTOR, "--indirect-selection", "buildable"], run_date, settings)
    for line in coverage_lines(settings):
        _log(line)


def build(run_date: date, settings: Settings | None = None) -> None:
    """Build (and test) every dbt model into the audit schema, in two phases around the attribution step:
    everything up to the path summary, then the data-driven channel weights, then the rest. (The DAG runs the
    three as separate tasks: dbt_build_paths, attribute, dbt_build_marts.)"""
    settings = settings or Settings.from_env()
    build_paths(run_date, settings)
    attribute(run_date, settings)
    build_marts(run_date, settings)


def coverage_lines(settings: Settings, schema: str = "audit") -> list[str]:
    """The run's data coverage (fct_data_coverage), one line per check, with the action that fixes it."""
    import duckdb

    con = duckdb.connect(str(settings.work_db))
    try:
        rows = con.execute(f"select check_name, value, detail, action from {schema}.fct_data_coverage").fetchall()
    except duckdb.CatalogException:
        return []
    finally:
        con.close()
    lines = ["data coverage:"]
    for name, value, detail, action in rows:
        shown = f"{value:.1%}" if name == "revenue_share_with_social_touch" else f"{value:g}"
        hint = f" → {action}" if value and action and "share" not in name else ""
        lines.append(f"  {name}: {shown} — {detail}{hint}")
    return lines


def attribute(run_date: date, settings: Settings | None = None) -> None:
    """Markov and Shapley channel weights from audit.int_path_summary into attribution.channel_weights."""
    import duckdb

    from social_roi.attribution.pipeline_step import ModelSettings, write_uncertainty, write_weights

    settings = settings or Settings.from_env()
    models = ModelSettings.from_project(DBT_PROJECT)
    started = time.perf_counter()
    con = duckdb.connect(str(settings.work_db))
    try:
        weights = write_weights(con, run_date, settings=models)
        uncertainty = write_uncertainty(con, run_date, settings=models)
    finally:
        con.close()
    _log(
        f"data-driven channel weights ({time.perf_counter() - started:.1f} s): {summarise_weights(weights)}; "
        f"{len(uncertainty)} bootstrap intervals"
    )
    for r in weights[weights["raw_share"] < 0].itertuples():
        _log(
            f"{r.attribution_model}: {r.channel} has a negative credit share ({r.raw_share:.3f}: its journeys "
            f"convert worse than those without it); its weight is floored at 0 (recorded in "
            f"attribution.channel_weights.raw_share)"
        )


def summarise_weights(weights, top: int = 3) -> str:
    """The ``top`` channels of each data-driven model by weight, e.g. ``markov: facebook_paid 0.44, ... (11)``."""
    if weights is None or len(weights) == 0:
        return "no social paths"
    parts = []
    for model, group in weights.groupby("attribution_model", sort=True):
        best = group.sort_values(["weight", "channel"], ascending=[False, True]).head(top)
        shown = ", ".join(f"{r.channel} {r.weight:.2f}" for r in best.itertuples())
        parts.append(f"{model} top {len(best)} of {len(group)}: {shown}")
    return "; ".join(parts)


def gate(run_date: date, run_id: str, settings: Settings | None = None) -> dict:
    """The mart gate: raises GateFailed (naming each failed expectation) when a blocking suite fails."""
    import duckdb

    from social_roi.quality.gate import GateFailed, run_mart_gate

    settings = settings or Settings.from_env()
    docs_dir = settings.data_docs
    con = duckdb.connect(str(settings.work_db))
    try:
        result = run_mart_gate(con, run_id=run_id, run_date=run_date, schema="audit", docs_dir=docs_dir)
    except GateFailed as failed:
        # printed here once, with every failed expectation; what travels on (the task's error) is one line
        _log(failed.result.summary())
        from social_roi import alerts

        alerts.on_gate_failed(failed.result, run_date, settings.marts_db)
        blocking = len(failed.result.blocking_failures)
        failed.args = (f"{blocking} blocking expectation(s) failed for {run_date} (listed above)",)
        raise
    finally:
        con.close()
    lines = result.summary().splitlines()
    # a clean pass is one line; warnings are listed one per line under it
    _log(f"{lines[0]}; {lines[1].strip()}" if len(lines) == 2 else "\n".join(lines))
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
    """The static dbt docs site (reports/dbt_docs/index.html, one self-contained file) and the HTML report."""
    import shutil

    from social_roi.report.html import DOCS_DIR, write_report

    settings = settings or Settings.from_env()
    dbt(["docs", "generate", "--static", "--no-compile"], run_date, settings)
    docs = settings.reports / DOCS_DIR
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(settings.home / "dbt_target" / "static_index.html", docs / "index.html")
    path = write_report(settings, run_date)
    _log(f"report: {path}")
    return {"report": str(path), "docs": str(docs / "index.html")}
