"""One run at a time per home: an exclusive ``fcntl.flock`` on ``$SOCIAL_ROI_HOME/run.lock``.

Every entry point that writes the home takes it: the CLI commands (``run``, ``demo``, ``rebuild``) for their
whole duration, and each task of a DAG run started by the scheduler for the duration of the task. The holder
writes who it is (pid, command, day, start time) into the file, so the one turned away can name it.

Policy: command-line entry points refuse at once with a message naming the running one; scheduled tasks wait
for it (printing who they wait for), because a scheduler cannot answer a refusal. The kernel drops the lock when
its process ends, however it ends: a crashed run never leaves a stale lock behind.

The lock is re-entrant inside one process: the tasks of a ``social-roi run`` execute in the process that
already holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

LOCK_NAME = "run.lock"

# lock file path -> (open file, depth) of the locks this process holds
_held: dict[str, tuple[object, int]] = {}


class RunLocked(RuntimeError):
    """Another process holds the run lock of this home."""

    def __init__(self, home: Path, holder: dict):
        self.home = home
        self.holder = holder
        super().__init__(
            f"another run is using {home}: {describe(holder)}.\n"
            "Only one run at a time may write a home. Wait for it to finish and try again, or stop it "
            f"(kill {holder.get('pid', '<pid>')}) if it should not be running."
        )


def describe(holder: dict) -> str:
    if not holder:
        return "a process that has not yet written its name into the lock"
    parts = [f"pid {holder.get('pid', '?')}", f"command `{holder.get('command', '?')}`"]
    if holder.get("day"):
        parts.append(f"day {holder['day']}")
    parts.append(f"started at {holder.get('started_at', '?')}")
    return ", ".join(parts)


def lock_path(home: Path) -> Path:
    return Path(home) / LOCK_NAME


def holder(home: Path) -> dict:
    """Who holds (or last held) the lock of ``home``, as written in the lock file; {} when unknown."""
    try:
        text = lock_path(home).read_text()
        return json.loads(text) if text.strip() else {}
    except (OSError, ValueError):
        return {}


def held_here(home: Path) -> bool:
    return str(lock_path(home).resolve()) in _held


@contextmanager
def run_lock(
    home: Path,
    command: str,
    day: date | str | None = None,
    *,
    wait: bool = False,
    timeout: float | None = None,
    poll: float = 2.0,
    say=None,
):
    """Hold the run lock of ``home`` inside the block.

    wait=False: raise RunLocked at once when another process holds it. wait=True: wait for it (up to
    ``timeout`` seconds, None = for ever), telling ``say`` (default: stderr) whom it waits for.
    """
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    path = lock_path(home)
    key = str(path.resolve())
    if key in _held:
        handle, depth = _held[key]
        _held[key] = (handle, depth + 1)
        try:
            yield
        finally:
            handle, depth = _held[key]
            _held[key] = (handle, depth - 1)
        return
    say = say or (lambda message: print(message, file=sys.stderr, flush=True))
    handle = open(path, "a+")  # noqa: SIM115 - kept open for as long as the lock is held
    started = time.monotonic()
    announced = 0.0
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                other = holder(home)
                if not wait:
                    raise RunLocked(home, other) from None
                waited = time.monotonic() - started
                if timeout is not None and waited > timeout:
                    raise RunLocked(home, other) from None
                if announced == 0.0 or waited - announced >= 60:
                    say(f"waiting for the run using {home} to finish: {describe(other)}")
                    announced = waited or 1e-9
                time.sleep(poll)
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "command": command,
                    "day": day.isoformat() if isinstance(day, date) else day,
                    "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                }
            )
        )
        handle.flush()
        _held[key] = (handle, 1)
        try:
            yield
        finally:
            del _held[key]
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


@contextmanager
def task_lock(task_id: str, day: date, run_id: str):
    """The run lock for one task of a DAG run (waits for any other run of the same home)."""
    from social_roi.config import Settings

    home = Settings.from_env().home
    with run_lock(
        home, f"airflow task {task_id} of {run_id}", day, wait=True, say=lambda message: print(message, flush=True)
    ):
        yield
