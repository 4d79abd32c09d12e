"""Run the real Airflow DAG locally: one `dag.test()` per day, in-process, on a SQLite metadata database.

The environment (AIRFLOW_HOME under SOCIAL_ROI_HOME, the project's dags/ folder, telemetry off, low
parallelism for small machines) is set before Airflow is imported. The same environment serves the scheduler
components of ``social-roi up`` (social_roi.scheduler).

Each command-line run of a day gets its own DAG run: its logical date is the end of the day's data interval
plus the time of day the run started, so the data interval (and the day the tasks work on) is unchanged while
no two runs share a logical date. ``dag.test()`` replaces a DAG run of the same logical date; keyed this way it
never deletes the scheduler's run of that day, nor an earlier command-line run.
"""

from __future__ import annotations

import fcntl
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


def migrate_once(settings: Settings, env: dict[str, str]) -> None:
    """Create (or upgrade) the Airflow metadata database of this home once, whoever asks first.

    A marker records the Airflow version migrated to; concurrent callers serialise on an flock of
    ``airflow/migrate.lock`` and the later ones find the marker and do nothing.
    """
    from importlib.metadata import version

    home = settings.home / "airflow"
    home.mkdir(parents=True, exist_ok=True)
    marker = home / f".migrated-{version('apache-airflow')}"
    if marker.exists():
        return
    with open(home / "migrate.lock", "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        if marker.exists():
            return
        started = time.perf_counter()
        airflow = os.path.join(os.path.dirname(sys.executable), "airflow")
        proc = subprocess.run([airflow, "db", "migrate"], env={**os.environ, **env}, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"airflow db migrate failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        marker.write_text(f"migrated at {datetime.now(UTC).isoformat()}\n")
        print(f"created the Airflow metadata database in {home} ({time.perf_counter() - started:.1f} s)", flush=True)


def prepare(settings: Settings) -> None:
    """Point this process at the project's Airflow home and make sure its metadata database exists."""
    env = airflow_environment(settings)
    os.environ.update(env)
    migrate_once(settings, env)


def load_dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    return bag.get_dag(DAG_ID)


class ScheduledRunInProgress(RuntimeError):
    pass


def settle_other_runs() -> None:
    """Refuse while a DAG run started by someone else (the scheduler, the UI) is running; mark failed the runs
    a killed command-line run left in state running (it holds the run lock, so no other one is alive)."""
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunTriggeredByType

    with create_session() as session:
        running = session.query(DagRun).filter(DagRun.dag_id == DAG_ID, DagRun.state == DagRunState.RUNNING).all()
        others = [r for r in running if r.triggered_by != DagRunTriggeredByType.TEST]
        if others:
            names = "; ".join(
                f"{r.run_id} (day {r.data_interval_start.date() if r.data_interval_start else '?'}, "
                f"started at {r.start_date or r.queued_at})"
                for r in others
            )
            raise ScheduledRunInProgress(
                f"a DAG run of {DAG_ID} started by the scheduler is in progress: {names}. Wait for it to finish "
                "(or stop the scheduler with `make down` and mark the run failed in the UI) and try again."
            )
        for stale in running:
            stale.state = DagRunState.FAILED
            print(f"marked failed the DAG run {stale.run_id} left running by a stopped command", flush=True)


def logical_date_for(day: date, now: datetime | None = None) -> datetime:
    """End of the day's data interval, plus the time of day now (at least 1 µs): unique per command-line run."""
    now = now or datetime.now(UTC)
    offset = timedelta(hours=now.hour, minutes=now.minute, seconds=now.second, microseconds=now.microsecond)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1) + max(offset, timedelta(0, 0, 1))


def run_days(settings: Settings, days: list[date]) -> list[tuple[date, str, float]]:
    """One real DAG run per day, oldest first. Returns (day, final state, seconds) for each.

    The caller holds the run lock of the home (social_roi.lock.run_lock)."""
    prepare(settings)
    dag = load_dag()
    settle_other_runs()
    results = []
    for day in days:
        started = time.perf_counter()
        print(f"=== {DAG_ID} for {day} ===", flush=True)
        # a daily interval timetable: the run for `day` covers [day, day + 1) and is dated at its end
        dag_run = dag.test(logical_date=logical_date_for(day))
        state = str(getattr(dag_run, "state", "unknown"))
        seconds = time.perf_counter() - started
        print(f"=== {day}: {state} in {seconds:.1f} s ===", flush=True)
        results.append((day, state, seconds))
    return results


def day_range(end: date, count: int) -> list[date]:
    return [end - timedelta(days=count - 1 - i) for i in range(count)]
