"""Run the real pipeline (ingestion, both dbt phases and the attribution step) on a generated world and read
what every model attributed: the evaluation's only contact with the product's machinery."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pandas as pd


def generate(out: Path, scale: float, days: int, seed: int, scenario: str = "default", progress=print) -> Path:
    from social_roi.simulate.world import WorldConfig, build_world
    from social_roi.simulate.writers import write_world

    config = WorldConfig(scale=scale, days=days, seed=seed, scenario=scenario)
    if progress:
        progress(
            f"generating a world: scale {config.scale}, {config.days} days, seed {config.seed}, "
            f"scenario {config.scenario}"
        )
    write_world(build_world(config), out, progress=None)
    return out


def attributed_revenue(world: Path, home: Path, per_conversion: bool = False) -> pd.DataFrame:
    """Rows (attribution_model, channel, revenue) of fct_attributed_revenue after a pipeline run on ``world``
    (with ``conversion_id`` first when ``per_conversion``)."""
    import duckdb

    summary = json.loads((world / "truth" / "world.json").read_text())
    if home.exists():
        shutil.rmtree(home)
    os.environ["SOCIAL_ROI_HOME"] = str(home)
    os.environ["SOCIAL_ROI_INBOX"] = str(world / "inbox")
    from social_roi import pipeline
    from social_roi.config import Settings, write_demo_salt

    if "SOCIAL_ROI_PII_SALT" not in os.environ:
        write_demo_salt(home)  # a throwaway home, like the demo's, gets its own random salt

    end = date.fromisoformat(summary["end_date"])
    pipeline.ingest(end, "evaluate")
    pipeline.build(end)
    con = duckdb.connect(str(Settings.from_env().work_db))  # same configuration as the pipeline steps in this process
    try:
        key = "conversion_id, " if per_conversion else ""
        return con.execute(
            f"select {key}attribution_model, channel, sum(cast(attributed_revenue as double)) as revenue "
            "from audit.fct_attributed_revenue group by all"
        ).df()
    finally:
        con.close()
