"""One small published world per test session, shared by the report, semantic-layer, cookbook and browser tests:
`social-roi generate` then one real Airflow run of social_roi_daily (tests/integration/raw_files.py)."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from raw_files import generate_world, run_pipeline  # noqa: E402

END = date(2026, 11, 30)
RUN_DAY = date(2026, 11, 28)
_CACHE: dict[str, PublishedWorld] = {}


@dataclass(frozen=True)
class PublishedWorld:
    home: Path
    inbox: Path
    run_day: date

    @property
    def marts(self) -> Path:
        return self.home / "warehouse" / "marts.duckdb"

    @property
    def work(self) -> Path:
        return self.home / "warehouse" / "work.duckdb"

    @property
    def reports(self) -> Path:
        return self.home / "reports"


def published_world(tmp_path_factory) -> PublishedWorld:
    if "world" not in _CACHE:
        world = generate_world(tmp_path_factory.mktemp("report_world"), seed=11, end=END)
        home = tmp_path_factory.mktemp("report_home")
        inbox = tmp_path_factory.mktemp("report_inbox")
        shutil.copytree(world / "inbox", inbox, dirs_exist_ok=True)
        proc = run_pipeline(home, inbox, RUN_DAY)
        assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-6000:]
        _CACHE["world"] = PublishedWorld(home, inbox, RUN_DAY)
    return _CACHE["world"]
