"""One run at a time per home, with real concurrent processes; the Airflow database migrated once; recovery of a
corrupted work database with `social-roi rebuild`.

Expected values come from the processes themselves (their pids, the day asked for) and from the marts as they
were before the corruption — never from the code under test.
"""

from __future__ import annotations

import math
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from raw_files import generate_world

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 20)

HOLDER = textwrap.dedent(
    """
    import sys
    from social_roi.lock import run_lock
    with run_lock(sys.argv[1], "holder of the test", sys.argv[2]):
        print("held", flush=True)
        sys.stdin.read()  # until the test closes our stdin
    """
)
CONTENDER = textwrap.dedent(
    """
    import sys
    from social_roi.lock import RunLocked, run_lock
    try:
        with run_lock(sys.argv[1], "contender", wait=sys.argv[2] == "wait", poll=0.2):
            print("acquired", flush=True)
    except RunLocked as busy:
        print(busy, flush=True)
        sys.exit(3)
    """
)


def _python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)  # fmt: skip


def test_a_second_process_is_refused_with_the_holders_name_or_waits_for_it(tmp_path):
    holder = _python(HOLDER, str(tmp_path), "2026-11-20", stdin=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "held"
        refused = _python(CONTENDER, str(tmp_path), "refuse")
        out, _ = refused.communicate(timeout=60)
        assert refused.returncode == 3
        assert f"pid {holder.pid}" in out and "command `holder of the test`" in out and "day 2026-11-20" in out
        waiter = _python(CONTENDER, str(tmp_path), "wait")
        time.sleep(3)
        assert waiter.poll() is None  # still waiting while the holder lives
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    out, err = waiter.communicate(timeout=60)
    assert waiter.returncode == 0 and out.strip() == "acquired"
    assert f"waiting for the run using {tmp_path} to finish: pid {holder.pid}" in err


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    holder = _python(HOLDER, str(tmp_path), "2026-11-20", stdin=subprocess.PIPE)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait(timeout=60)
    after = _python(CONTENDER, str(tmp_path), "refuse")
    out, _ = after.communicate(timeout=60)
    assert after.returncode == 0 and out.strip() == "acquired"


def test_command_line_runs_of_a_day_get_distinct_logical_dates_inside_the_days_interval():
    from datetime import UTC, datetime

    from social_roi.airflow_runner import logical_date_for

    day = date(2026, 11, 20)
    at_noon = logical_date_for(day, datetime(2026, 12, 4, 12, 30, 15, 250, tzinfo=UTC))
    assert at_noon == datetime(2026, 11, 21, 12, 30, 15, 250, tzinfo=UTC)
    # exactly midnight would be the scheduler's own logical date for that day: never used
    at_midnight = logical_date_for(day, datetime(2026, 12, 4, 0, 0, 0, 0, tzinfo=UTC))
    assert at_midnight == datetime(2026, 11, 21, 0, 0, 0, 1, tzinfo=UTC)


@pytest.mark.slow
def test_airflow_database_is_migrated_once_by_concurrent_callers(tmp_path):
    code = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from social_roi.airflow_runner import airflow_environment, migrate_once
        from social_roi.config import Settings
        settings = Settings(home=Path(sys.argv[1]), inbox=Path(sys.argv[1]) / "inbox")
        migrate_once(settings, airflow_environment(settings))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "AIRFLOW_HOME"}
    procs = [_python(code, str(tmp_path), env=env) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    created = [out for out, _ in outputs if "created the Airflow metadata database" in out]
    assert len(created) == 1, outputs
    assert len(list((tmp_path / "airflow").glob(".migrated-*"))) == 1
    tables = (
        sqlite3.connect(tmp_path / "airflow" / "airflow.db")
        .execute("select count(*) from sqlite_master where type = 'table' and name = 'dag_run'")
        .fetchone()[0]
    )
    assert tables == 1


# ------------------------------------------------------------------------------------------ real runs


def _env(home: Path, inbox: Path) -> dict[str, str]:
    env = {**os.environ, "SOCIAL_ROI_HOME": str(home), "SOCIAL_ROI_INBOX": str(inbox),
           "SOCIAL_ROI_PII_SALT": "integration-test-salt"}  # fmt: skip
    env.pop("AIRFLOW_HOME", None)
    return env


def _cli(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "social_roi.cli", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def _dag_runs(home: Path) -> list[tuple[str, str, str]]:
    con = sqlite3.connect(home / "airflow" / "airflow.db")
    try:
        rows = con.execute(
            "select run_id, state, data_interval_start from dag_run where dag_id = 'social_roi_daily' order by run_id"
        ).fetchall()
    finally:
        con.close()
    return [(run_id, state, str(start)[:10]) for run_id, state, start in rows]


def _snapshot(marts: Path) -> dict[str, list[tuple]]:
    """Every table of the published file, rows sorted on their non-float values (the keys of every mart)."""
    con = duckdb.connect(str(marts), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()]
        snapshot = {}
        for table in tables:
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
                [table],
            ).fetchall()]  # fmt: skip
            # which run, and when it validated or published, differ between two runs of the same day by design
            skipped = {"_publication": {"run_id", "published_at"}, "quality_results": {"run_id", "validated_at"}}
            kept = [c for c in columns if c not in skipped.get(table, ())]
            select = ", ".join(f'"{c}"' for c in kept)
            rows = con.execute(f'select {select} from "{table}"').fetchall()
            snapshot[table] = sorted(
                rows, key=lambda row: [(isinstance(v, float), str(round(v, 3)) if isinstance(v, float) else str(v))
                                       for v in row]
            )  # fmt: skip
    finally:
        con.close()
    return snapshot


def _same_rows(left: list[tuple], right: list[tuple]) -> bool:
    """Equal row for row; floats equal to 1e-9 relative (sums may add in another order from one build to the next)."""
    if len(left) != len(right):
        return False
    for a, b in zip(left, right):
        if len(a) != len(b):
            return False
        for x, y in zip(a, b):
            if isinstance(x, float) and isinstance(y, float):
                if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif x != y:
                return False
    return True


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return generate_world(tmp_path_factory.mktemp("world"), seed=5, end=DAY, days=21)


@pytest.mark.slow
def test_concurrent_runs_one_refused_then_rebuild_recovers_a_corrupted_work_database(world, tmp_path):
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    shutil.copytree(world / "inbox", inbox)
    env = _env(home, inbox)

    first = _cli(env, "run", "--end", DAY.isoformat())
    lock = home / "run.lock"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and f'"pid": {first.pid}' not in (lock.read_text() if lock.exists() else ""):
        assert first.poll() is None, first.communicate()
        time.sleep(0.2)
    second = _cli(env, "run", "--end", DAY.isoformat())
    out2, err2 = second.communicate(timeout=120)
    assert first.poll() is None  # the second one was turned away while the first was still running
    assert second.returncode == 3, out2 + err2
    assert f"pid {first.pid}" in err2 and f"day {DAY}" in err2 and "social-roi run --end" in err2
    out1, err1 = first.communicate(timeout=900)
    assert first.returncode == 0, out1[-4000:] + err1[-4000:]
    assert out1.count(f"{DAY}: success") == 1
    [(first_run_id, state, interval)] = _dag_runs(home)
    assert (state, interval) == ("success", DAY.isoformat())

    marts = home / "warehouse" / "marts.duckdb"
    before = _snapshot(marts)
    assert len(before["fct_channel_roi_daily"]) > 0 and len(before["fct_attributed_revenue"]) > 0

    work = home / "warehouse" / "work.duckdb"
    work.write_bytes(b"this is not a database" * 1000)
    rebuild = _cli(env, "rebuild")
    out, err = rebuild.communicate(timeout=900)
    assert rebuild.returncode == 0, out[-4000:] + err[-4000:]
    assert f"{DAY} republished" in out
    assert [p.read_bytes()[:22] for p in (home / "warehouse" / "broken").glob("work.duckdb.*")] == [
        b"this is not a database"
    ]  # nothing lost: the corrupted file is kept aside
    after = _snapshot(marts)
    assert sorted(after) == sorted(before)
    for table in before:
        assert _same_rows(after[table], before[table]), table

    # the marts phase refuses channel weights of another day: a bare `dbt build` cannot use stale weights
    for run_date, expected in ((DAY, 0), (date(2026, 11, 21), 1)):
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "test", "--select", "attribution_tables_belong_to_the_run_day",
             "--project-dir", str(ROOT / "dbt_project"), "--profiles-dir", str(ROOT / "dbt_project"),
             "--target-path", str(tmp_path / "dbt_target"), "--log-path", str(tmp_path / "dbt_logs"),
             "--vars", f'{{"roi__run_date": "{run_date}"}}'],
            cwd=ROOT, env={**env, "SOCIAL_ROI_WORK_DB": str(work), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert proc.returncode == expected, proc.stdout[-3000:]

    runs = _dag_runs(home)
    # every command-line run of the day kept its own DAG run: none deleted another
    assert first_run_id in [r[0] for r in runs]
    assert len({r[0] for r in runs}) == len(runs) == 2
    assert {r[2] for r in runs} == {DAY.isoformat()}
    assert [r[1] for r in runs] == ["success", "success"]
