"""social_roi_daily: ingest the day's exports, build the marts into the audit area, gate them, publish, report.

One run per day; the run's day is the first day of its data interval. Every task is rerunnable: ingestion
loads each file once (manifest), dbt rebuilds the audit area for that day, the gate only reads, publish swaps
the published file whole, and the report is rewritten. A failed mart gate fails the run (no retry: the data,
not the machine, is wrong), names every failed expectation, and publishes nothing.

Heavy imports (duckdb, pandas, dbt, great_expectations) happen inside tasks, never at parse time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import CronDataIntervalTimetable, dag, get_current_context, task

DOCS = __doc__


def _run_day():
    context = get_current_context()
    return context["data_interval_start"].date(), context["run_id"]


def _say_what_failed(context) -> None:
    task_instance = context.get("task_instance")
    exception = context.get("exception")
    print(
        f"social_roi_daily failed in task {getattr(task_instance, 'task_id', '?')} for "
        f"{context.get('data_interval_start')}: {exception}. Published marts are unchanged; see the task log, "
        "raw._quarantine and the Data Docs folder under SOCIAL_ROI_HOME/data_docs."
    )


@dag(
    dag_id="social_roi_daily",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
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

        day, run_id = _run_day()
        try:
            return pipeline.ingest(day, run_id)
        except InboxEmpty as empty:  # no retry: nothing will have arrived a minute later
            raise AirflowFailException(str(empty)) from None

    @task
    def dbt_build(ingested: dict) -> str:
        from social_roi import pipeline

        day, _ = _run_day()
        pipeline.build(day)
        return day.isoformat()

    @task(retries=0)
    def mart_gate(built_day: str) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from social_roi import pipeline
        from social_roi.quality.gate import GateFailed

        day, run_id = _run_day()
        try:
            return pipeline.gate(day, run_id)
        except GateFailed as failed:
            raise AirflowFailException(f"mart gate failed, nothing published:\n{failed}") from None

    @task
    def publish(gate_result: dict) -> dict:
        from social_roi import pipeline

        day, run_id = _run_day()
        return pipeline.publish(day, run_id)

    @task
    def report(published: dict) -> dict:
        from social_roi import pipeline

        day, _ = _run_day()
        return pipeline.report(day)

    report(publish(mart_gate(dbt_build(ingest()))))


social_roi_daily()
