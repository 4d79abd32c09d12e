"""The quality gates: the raw gate (each incoming file, before load) and the mart gate (after dbt, before publish).

Division of labour: dbt tests own what is inside a model (keys of staging and intermediate models, accepted values,
unit tests of formulas); these gates own the boundaries: files coming in and marts going out. The mart gate
pushes all heavy work into DuckDB SQL (one small DataFrame per suite) and validates those frames with Great
Expectations, because GX's SQL data source does not work on DuckDB.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from social_roi.quality import _gx, kit
from social_roi.quality.outcomes import ExpectationOutcome, GateFailed, GateResult
from social_roi.quality.registry import load_suite_module, mart_suite_names, raw_suite_name
from social_roi.quality.thresholds import load_thresholds

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import pandas as pd

__all__ = ["RESULTS_TABLE", "ExpectationOutcome", "GateFailed", "GateResult", "run_mart_gate", "run_raw_gate"]

log = logging.getLogger(__name__)

RESULTS_TABLE = "main.quality_results"
_RESULTS_DDL = f"""
create table if not exists {RESULTS_TABLE} (
    run_id varchar not null,
    layer varchar not null,
    suite varchar not null,
    severity varchar not null,
    expectation varchar not null,
    column_name varchar,
    success boolean not null,
    observed_value varchar,
    expected varchar,
    validated_at timestamptz not null
)
"""


def run_mart_gate(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    run_date: date,
    schema: str = "audit",
    docs_dir: Path,
    thresholds_file: Path | None = None,
) -> GateResult:
    """Run every registered mart suite, record the outcomes in ``main.quality_results``, build Data Docs.

    Raises :class:`GateFailed` (after recording and building docs) when a blocking expectation fails; warning
    suites only report. Re-running a ``run_id`` replaces that run's mart rows in ``quality_results``.
    """
    thresholds = load_thresholds(thresholds_file)
    params = kit.MartParams(schema=schema, run_date=run_date, thresholds=thresholds)
    docs_dir = Path(docs_dir)
    outcomes: list[ExpectationOutcome] = []
    runs: list[_gx.SuiteRun] = []
    for name in mart_suite_names():
        started = time.perf_counter()
        module = load_suite_module(name)
        severity = thresholds.severity(name, module.SEVERITY)
        try:
            frame = module.frame(con, params)
        except Exception as exc:  # noqa: BLE001 - a suite that cannot even query is a failed suite
            outcomes.append(_broken(name, severity, "query", exc))
            continue
        try:
            run = _gx.run_suite(
                module.build_suite(thresholds),
                frame,
                severity=severity,
                run_id=run_id,
                row_ids=list(getattr(module, "ROW_ID", [])),
            )
        except Exception as exc:  # noqa: BLE001
            outcomes.append(_broken(name, severity, "validation", exc))
            continue
        runs.append(run)
        outcomes += run.outcomes
        log.debug("suite %s: %.2f s", name, time.perf_counter() - started)
    docs_index = _gx.build_docs(docs_dir, runs)
    result = GateResult(run_id=run_id, layer="mart", outcomes=outcomes, docs_index=docs_index)
    record_outcomes(con, result)
    # the caller prints the summary (once); the log keeps one line
    log.debug("%s", result.summary().splitlines()[0])
    if result.blocking_failures:
        raise GateFailed(result)
    return result


def run_raw_gate(
    frame: pd.DataFrame,
    *,
    fmt: str,
    file_name: str,
    run_id: str,
    docs_dir: Path | None = None,
    today: date | None = None,
    thresholds_file: Path | None = None,
) -> list[ExpectationOutcome]:
    """Validate one parsed file (before load) with its format's suite; the caller quarantines it on any failure.

    ``today`` bounds plausible dates (default: the machine's date; pass the run's date for reproducible reruns).
    The GX context and the suite of each (format, columns, thresholds, day) are built once per process and
    reused; GX gets only the columns the suite reads (``_gx.columns_for``) and runs the suite's validation
    definition directly (no checkpoint: the raw gate has no actions). A full year of files of one table (a
    million GA4 events) validates in about a second.
    """
    name = raw_suite_name(fmt)
    module = load_suite_module(name)
    thresholds = load_thresholds(thresholds_file)
    severity = thresholds.severity(name, module.SEVERITY)
    try:
        prepared = module.frame(frame, today=today)
        suite = _raw_suite(module, list(prepared.columns), thresholds, today)
        row_ids = ["source_row"] if "source_row" in prepared.columns else []
        run = _gx.run_suite(
            suite,
            _gx.columns_for(suite, prepared, row_ids),
            severity=severity,
            run_id=f"{run_id}:{file_name}",
            row_ids=row_ids,
            complete=False,
            via_checkpoint=False,
        )
        if docs_dir is not None:
            _gx.build_docs(Path(docs_dir), [run])
    except Exception as exc:  # noqa: BLE001
        return [_broken(name, severity, "validation", exc)]
    outcomes = _drop_echoes(run.outcomes)
    if len(prepared) == 0:
        # a header-only export (a day without orders, say) is valid: "holds a value" applies to files with rows
        outcomes = [o for o in outcomes if o.expectation != "expect_column_unique_value_count_to_be_between"]
    return outcomes


_RAW_SUITES: dict[tuple, object] = {}


def _raw_suite(module, columns: list[str], thresholds, today: date | None):
    """``module.build_suite(...)``, built once per (suite, columns, thresholds, day) and process: a suite is a
    pure function of these, and building one (and fingerprinting it for the GX context) costs per call."""
    key = (module.NAME, id(module), tuple(columns), thresholds.fingerprint(), today or date.today())
    suite = _RAW_SUITES.get(key)
    if suite is None:
        suite = module.build_suite(columns=columns, thresholds=thresholds, today=today)
        if len(_RAW_SUITES) > 256:
            _RAW_SUITES.clear()
        _RAW_SUITES[key] = suite
    return suite


def _drop_echoes(outcomes: list[ExpectationOutcome]) -> list[ExpectationOutcome]:
    """A missing required column already fails ``expect_column_to_exist``: drop the errors it causes elsewhere."""
    missing = {o.column for o in outcomes if o.expectation == "expect_column_to_exist" and not o.success}
    return [
        o
        for o in outcomes
        if not (
            o.expectation != "expect_column_to_exist"
            and o.column in missing
            and not o.success
            and o.observed.startswith("error:")
        )
    ]


def _broken(suite: str, severity: str, stage: str, exc: Exception) -> ExpectationOutcome:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ExpectationOutcome(
        suite=suite,
        severity=severity,
        expectation=f"suite_{stage}_runs",
        column=None,
        success=False,
        observed=f"error: {type(exc).__name__}: {message}",
        expected=f"the suite's {stage} runs",
    )


def record_outcomes(con: duckdb.DuckDBPyConnection, result: GateResult) -> None:
    """Write ``result`` into ``main.quality_results`` (replacing earlier rows of the same run and layer)."""
    now = datetime.now(UTC)
    con.execute(_RESULTS_DDL)
    con.execute(f"delete from {RESULTS_TABLE} where run_id = ? and layer = ?", [result.run_id, result.layer])
    rows = [
        [
            result.run_id,
            result.layer,
            o.suite,
            o.severity,
            o.expectation,
            o.column,
            o.success,
            o.observed,
            o.expected,
            now,
        ]
        for o in result.outcomes
    ]
    if rows:
        con.executemany(f"insert into {RESULTS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
