"""Run the daily DAG on a real schedule without Docker: the four Airflow components on this machine.

``up`` starts, each in its own process group, the api-server (and waits until ``/api/v2/monitor/health``
answers), then the scheduler, the dag-processor and the triggerer, all on the project's own configuration
(``$SOCIAL_ROI_HOME/airflow``): the project's ``dags/`` folder, no examples, LocalExecutor on SQLite with a
parallelism sized for the machine, one JWT secret shared by all (generated once, kept in the home, mode 600),
the execution API at the api-server's port, the virtualenv's ``bin`` on PATH, and the DAG unpaused. The process
group of each component is recorded in ``airflow/run/<component>.pid``; ``down`` stops every group (SIGTERM,
then SIGKILL after a grace period), and any process left that runs on this home's Airflow.

Components log to ``airflow/logs/<component>.log``; task logs are under ``airflow/logs/dag_id=social_roi_daily``.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from social_roi.airflow_runner import DAG_ID, airflow_environment, migrate_once
from social_roi.config import Settings

COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
HEALTH_KEYS = {"scheduler": "scheduler", "dag-processor": "dag_processor", "triggerer": "triggerer"}


def parallelism() -> int:
    """Task slots: one per core, at least 2 and at most 4 (each slot is a process of several hundred MB)."""
    return min(4, max(2, os.cpu_count() or 2))


def _airflow_home(settings: Settings) -> Path:
    return settings.home / "airflow"


def _run_dir(settings: Settings) -> Path:
    return _airflow_home(settings) / "run"


def _jwt_secret(settings: Settings) -> str:
    path = _airflow_home(settings) / "jwt_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def component_environment(settings: Settings, port: int) -> dict[str, str]:
    """The environment every component runs in (inherited by the task processes)."""
    bin_dir = os.path.dirname(sys.executable)
    base = f"http://127.0.0.1:{port}"
    return {
        **os.environ,
        **airflow_environment(settings),
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": str(parallelism()),
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__API__BASE_URL": base,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": _jwt_secret(settings),
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "INFO"),
    }


def _pid_file(settings: Settings, component: str) -> Path:
    return _run_dir(settings) / f"{component}.pid"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def running_components(settings: Settings) -> dict[str, int]:
    found = {}
    for component in COMPONENTS:
        path = _pid_file(settings, component)
        if path.exists():
            pgid = int(path.read_text().split()[0])
            if _group_alive(pgid):
                found[component] = pgid
    return found


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def health(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=5) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def _start(settings: Settings, component: str, env: dict[str, str]) -> int:
    logs = _airflow_home(settings) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    airflow = os.path.join(os.path.dirname(sys.executable), "airflow")
    args = [airflow, component]
    if component == "api-server":
        args += ["--host", "127.0.0.1", "--port", env["AIRFLOW__API__PORT"]]
    elif component in ("scheduler", "triggerer"):
        # their log servers bind every interface on fixed ports; the api-server reads the local log files itself
        args += ["--skip-serve-logs"]
    with open(logs / f"{component}.log", "ab") as log:
        process = subprocess.Popen(
            args, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=_airflow_home(settings),
        )  # fmt: skip
    _run_dir(settings).mkdir(parents=True, exist_ok=True)
    _pid_file(settings, component).write_text(f"{process.pid}\n")
    return process.pid


def _wait(what: str, check, timeout: float, poll: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(poll)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


def _unpaused(settings: Settings, env: dict[str, str]) -> bool:
    """True once the DAG is in the metadata database and not paused; unpauses it (Airflow's CLI) when paused."""
    import sqlite3

    db = _airflow_home(settings) / "airflow.db"
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            row = con.execute("select is_paused from dag where dag_id = ?", [DAG_ID]).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    if row is None:
        return False  # not parsed yet
    if row[0]:
        airflow = os.path.join(os.path.dirname(sys.executable), "airflow")
        subprocess.run([airflow, "dags", "unpause", DAG_ID], env=env, capture_output=True, stdin=subprocess.DEVNULL,
                       check=False)  # fmt: skip
        return False  # checked again on the next poll
    return True


def up(settings: Settings, port: int | None = None, timeout: float = 180.0) -> int:
    """Start the components; returns once the api-server answers and every component reports healthy."""
    started = time.perf_counter()
    port = port or int(os.environ.get("SOCIAL_ROI_AIRFLOW_PORT", "8080"))
    already = running_components(settings)
    if already:
        shown = ", ".join(f"{name} (process group {pgid})" for name, pgid in already.items())
        print(f"error: Airflow components of {settings.home} are already running: {shown}. "
              "Stop them first with `make down` (social-roi down).", file=sys.stderr)  # fmt: skip
        return 3
    if not _port_free(port):
        print(f"error: port {port} on 127.0.0.1 is in use: choose another with --port or SOCIAL_ROI_AIRFLOW_PORT",
              file=sys.stderr)  # fmt: skip
        return 2
    settings.ensure_dirs()
    env = component_environment(settings, port)
    migrate_once(settings, env)
    logs = _airflow_home(settings) / "logs"
    try:
        _start(settings, "api-server", env)
        _wait("the api-server", lambda: health(port), timeout)
        print(f"api-server healthy at http://127.0.0.1:{port} ({time.perf_counter() - started:.0f} s)", flush=True)
        for component in COMPONENTS[1:]:
            _start(settings, component, env)

        def all_healthy():
            report = health(port) or {}
            states = {name: (report.get(key) or {}).get("status") for name, key in HEALTH_KEYS.items()}
            alive = running_components(settings)
            dead = [name for name in COMPONENTS if name not in alive]
            if dead:
                raise RuntimeError(f"{', '.join(dead)} stopped during start-up: see {logs}/<component>.log")
            return all(state == "healthy" for state in states.values())

        _wait("the scheduler, dag-processor and triggerer", all_healthy, timeout, poll=2.0)
        # new DAGs are created unpaused; one created paused earlier (by a command-line run) is unpaused here
        _wait(f"{DAG_ID} parsed and unpaused", lambda: _unpaused(settings, env), timeout, poll=3.0)
    except (TimeoutError, RuntimeError) as failed:
        print(f"error: {failed}; stopping what was started (logs in {logs})", file=sys.stderr)
        down(settings)
        return 1
    print(f"scheduler, dag-processor and triggerer healthy ({time.perf_counter() - started:.0f} s); "
          f"DAG {DAG_ID} unpaused, parallelism {parallelism()}, LocalExecutor")  # fmt: skip
    print(f"  UI and API: http://127.0.0.1:{port} (users and passwords: "
          f"{_airflow_home(settings) / 'simple_auth_manager_passwords.json.generated'})")  # fmt: skip
    print(f"  logs: {logs}/<component>.log and {logs}/dag_id={DAG_ID}/; stop with `make down`")
    return 0


def _processes_of_home(settings: Settings) -> list[int]:
    """Processes (other than this one) whose environment points at this home's Airflow."""
    needle = f"AIRFLOW_HOME={_airflow_home(settings)}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _stop_groups(pgids: set[int], grace: float) -> None:
    for pgid in pgids:
        try:
            os.killpg(pgid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_group_alive(p) for p in pgids):
        time.sleep(0.5)
    for pgid in pgids:
        if _group_alive(pgid):
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def down(settings: Settings, grace: float = 30.0) -> int:
    """Stop every component's process group, then any process group still running on this home's Airflow."""
    groups = {}
    for component in COMPONENTS:
        path = _pid_file(settings, component)
        if path.exists():
            groups[component] = int(path.read_text().split()[0])
    _stop_groups(set(groups.values()), grace)
    stray = set()
    for pid in _processes_of_home(settings):
        try:
            stray.add(os.getpgid(pid))
        except ProcessLookupError:
            continue
    stray.discard(os.getpgrp())
    _stop_groups(stray, 10.0)
    for component in groups:
        _pid_file(settings, component).unlink(missing_ok=True)
    left = _processes_of_home(settings)
    stopped = ", ".join(f"{name} (group {pgid})" for name, pgid in groups.items()) or "no recorded component"
    print(f"stopped {stopped}" + (f" and {len(stray)} other process group(s)" if stray else ""))
    if left:
        print(f"error: processes still running on {_airflow_home(settings)}: {left}", file=sys.stderr)
        return 1
    return 0
