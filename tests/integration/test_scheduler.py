"""The real Airflow components on a temporary home: `social-roi up` starts them, the scheduler itself runs two
consecutive daily intervals of social_roi_daily (SOCIAL_ROI_START_DATE makes it catch up from two days ago), both
publish, and `social-roi down` stops every process by its process group.

Expected values: the two intervals follow from today's date; the processes left are found by scanning /proc for
the home's AIRFLOW_HOME, independently of the code under test.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from raw_files import generate_world

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes_with(needle: bytes) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _dag_runs(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(
            "select run_id, run_type, state, data_interval_start from dag_run where dag_id = 'social_roi_daily' "
            "order by data_interval_start"
        ).fetchall()
    except sqlite3.OperationalError:  # not migrated yet, or busy
        return []
    finally:
        con.close()


def test_scheduler_runs_two_daily_intervals_and_down_stops_every_process(tmp_path):
    today = datetime.now(UTC).date()
    first, last = today - timedelta(days=2), today - timedelta(days=1)
    world = generate_world(tmp_path / "world", seed=3, end=last, days=10)
    home = tmp_path / "home"
    env = {
        **os.environ,
        "SOCIAL_ROI_HOME": str(home),
        "SOCIAL_ROI_INBOX": str(world / "inbox"),
        "SOCIAL_ROI_PII_SALT": "integration-test-salt",
        "SOCIAL_ROI_START_DATE": first.isoformat(),
    }
    env.pop("AIRFLOW_HOME", None)
    port = _free_port()
    cli = [sys.executable, "-m", "social_roi.cli"]
    started = time.monotonic()
    try:
        up = subprocess.run([*cli, "up", "--port", str(port)], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300, check=False)  # fmt: skip
        assert up.returncode == 0, up.stdout[-3000:] + up.stderr[-3000:]
        print(up.stdout)
        pid_files = sorted((home / "airflow" / "run").glob("*.pid"))
        assert [p.stem for p in pid_files] == ["api-server", "dag-processor", "scheduler", "triggerer"]
        groups = [int(p.read_text()) for p in pid_files]
        config = (home / "airflow" / "airflow.cfg").read_text()
        assert f"dags_folder = {ROOT / 'dags'}\n" in config and "load_examples = False\n" in config

        db = home / "airflow" / "airflow.db"
        paused = (
            sqlite3.connect(db, timeout=30)
            .execute("select is_paused from dag where dag_id = 'social_roi_daily'")
            .fetchall()
        )
        assert paused == [(0,)]
        deadline = time.monotonic() + 420
        runs = _dag_runs(db)
        while time.monotonic() < deadline:
            runs = _dag_runs(db)
            if len(runs) >= 2 and all(r[2] in ("success", "failed") for r in runs):
                break
            time.sleep(5)
        assert [(r[1], r[2], str(r[3])[:10]) for r in runs] == [
            ("scheduled", "success", first.isoformat()),
            ("scheduled", "success", last.isoformat()),
        ], (runs, (home / "airflow" / "logs" / "scheduler.log").read_text()[-3000:])
        print(f"two scheduled runs succeeded {time.monotonic() - started:.0f} s after `up` started")

        con = duckdb.connect(str(home / "warehouse" / "marts.duckdb"), read_only=True)
        try:
            assert con.execute("select run_id, run_date from _publication").fetchall() == [(runs[1][0], last)]
        finally:
            con.close()
        con = duckdb.connect(str(home / "warehouse" / "work.duckdb"), read_only=True)
        try:
            gated = con.execute("select distinct run_id from quality_results where success").fetchall()
        finally:
            con.close()
        assert {runs[0][0], runs[1][0]} <= {r for (r,) in gated}  # both days passed their mart gate
    finally:
        down = subprocess.run([*cli, "down"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                              check=False)  # fmt: skip
    assert down.returncode == 0, down.stdout + down.stderr
    for pgid in groups:
        with pytest.raises(ProcessLookupError):
            os.killpg(pgid, 0)
    assert _processes_with(f"AIRFLOW_HOME={home / 'airflow'}".encode()) == []
    assert not list((home / "airflow" / "run").glob("*.pid"))
