"""social_roi_daily: ingest the day's exports, build the marts into the audit area, gate them, publish, report.

Tasks: ingest → dbt_build_paths (dbt up to the path summaries) → attribute (data-driven channel weights) →
dbt_build_marts (the rest, with a test that the weights are the run day's) → mart_gate → publish → report.
Each task holds the run lock of the home while it works (it waits for a command-line run using the home).

One run per day; the run's day is the first day of its data interval. Every task is rerunnable: ingestion
loads each file once (manifest), dbt rebuilds the audit area for that day, the gate only reads, publish swaps
the published file whole, and the report is rewritten. A failed mart gate fails the run (no retry: the data,
not the machine, is wrong), names every failed expectation, and publishes nothing.

Heavy imports (duckdb, pandas, dbt, great_expectations) happen inside tasks, never at parse time.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from airflow.sdk import CronDataIntervalTimetable, dag, get_current_context, task

DOCS = __doc__


def _start_date() -> tuple[datetime, bool]:
    """Production: runs from the first interval after the scheduler starts (no catch-up). SOCIAL_ROI_START_DATE
    (YYYY-MM-DD) makes the scheduler catch up every daily interval from that day on."""
    start = os.environ.get("SOCIAL_ROI_START_DATE", "").strip()
    if start:
        return datetime.fromisoformat(start).replace(tzinfo=UTC), True
    return datetime(2026, 1, 1, tzinfo=UTC), False


START_DATE, CATCHUP = _start_date()


def _run_day():
    context = get_current_context()
    return context["data_interval_start"].date(), context["run_id"]


def _say_what_failed(context) -> None:
    from social_roi.alerts import on_task_failure  # standard library only: light enough for a callback

    on_task_failure(context)


@dag(
    dag_id="social_roi_daily",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=START_DATE,
    catchup=CATCHUP,
    max_active_runs=1,
    doc_md=DOCS,
    tags=["social_roi"],
    default_args={
        "owner": "social_roi",
        "retries": 1,
        "retry_delay": timedelta(minutes=1),
        "on_failure_callback": _say_what_failed,
    },
)
def social_roi_daily():
    @task
    def ingest() -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from social_roi import pipeline
        from social_roi.ingest.load import InboxEmpty
        from social_roi.lock import task_lock

        day, run_id = _run_day()
        try:
            with task_lock("ingest", day, run_id):
                return pipeline.ingest(day, run_id)
        except InboxEmpty as empty:  # no retry: nothing will have arrived a minute later
            raise AirflowFailException(str(empty)) from None

    @task
    def dbt_build_paths(ingested: dict) -> str:
        from social_roi import pipeline
        from social_roi.lock import task_lock

        day, run_id = _run_day()
        with task_lock("dbt_build_paths", day, run_id):
            pipeline.build_paths(day)
        return day.isoformat()

    @task
    def attribute(built_day: str) -> str:
        from social_roi import pipeline
        from social_roi.lock import task_lock

        day, run_id = _run_day()
        with task_lock("attribute", day, run_id):
            pipeline.attribute(day)
        return day.isoformat()

    @task
    def dbt_build_marts(attributed_day: str) -> str:
        from social_roi import pipeline
        from social_roi.lock import task_lock

        day, run_id = _run_day()
        with task_lock("dbt_build_marts", day, run_id):
            pipeline.build_marts(day)
        return day.isoformat()

    @task(retries=0)
    def mart_gate(built_day: str) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from social_roi import pipeline
        from social_roi.lock import task_lock
        from social_roi.quality.gate import GateFailed

        day, run_id = _run_day()
        try:
            with task_lock("mart_gate", day, run_id):
                return pipeline.gate(day, run_id)
        except GateFailed as failed:
            raise AirflowFailException(f"mart gate failed, nothing published:\n{failed}") from None

    @task
    def publish(gate_result: dict) -> dict:
        from social_roi import pipeline
        from social_roi.lock import task_lock

        day, run_id = _run_day()
        with task_lock("publish", day, run_id):
            return pipeline.publish(day, run_id)

    @task
    def report(published: dict) -> dict:
        from social_roi import pipeline
        from social_roi.lock import task_lock

        day, run_id = _run_day()
        with task_lock("report", day, run_id):
            return pipeline.report(day)

    report(publish(mart_gate(dbt_build_marts(attribute(dbt_build_paths(ingest()))))))


social_roi_daily()
