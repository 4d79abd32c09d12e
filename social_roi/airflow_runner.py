"""Run the real Airflow DAG locally: one `dag.test()` per day, in-process, on a SQLite metadata database.

The environment (AIRFLOW_HOME under SOCIAL_ROI_HOME, the project's dags/ folder, telemetry off, low
parallelism for small machines) is set before Airflow is imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

from social_roi.config import Settings
from social_roi.pipeline import PROJECT_ROOT, TELEMETRY_OFF

DAG_ID = "social_roi_daily"


def airflow_environment(settings: Settings) -> dict[str, str]:
    home = settings.home / "airflow"
    return {
        **TELEMETRY_OFF,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"),
        "SOCIAL_ROI_HOME": str(settings.home),
        "SOCIAL_ROI_INBOX": str(settings.inbox),
    }


def prepare(settings: Settings) -> None:
    """Point this process at the project's Airflow home and create its metadata database once."""
    env = airflow_environment(settings)
    os.environ.update(env)
    home = settings.home / "airflow"
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "airflow.db").exists():
        started = time.perf_counter()
        airflow = os.path.join(os.path.dirname(sys.executable), "airflow")
        proc = subprocess.run([airflow, "db", "migrate"], env={**os.environ, **env}, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"airflow db migrate failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        print(f"created the Airflow metadata database in {home} ({time.perf_counter() - started:.1f} s)")


def load_dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    return bag.get_dag(DAG_ID)


def run_days(settings: Settings, days: list[date]) -> list[tuple[date, str, float]]:
    """One real DAG run per day, oldest first. Returns (day, final state, seconds) for each."""
    prepare(settings)
    dag = load_dag()
    results = []
    for day in days:
        started = time.perf_counter()
        print(f"=== {DAG_ID} for {day} ===", flush=True)
        # a daily interval timetable: the run for `day` covers [day, day + 1) and is dated at its end
        logical = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
        dag_run = dag.test(logical_date=logical)
        state = str(getattr(dag_run, "state", "unknown"))
        seconds = time.perf_counter() - started
        print(f"=== {day}: {state} in {seconds:.1f} s ===", flush=True)
        results.append((day, state, seconds))
    return results


def day_range(end: date, count: int) -> list[date]:
    return [end - timedelta(days=count - 1 - i) for i in range(count)]
