"""MetricFlow answers from the semantic layer's definitions on the run's work database; its answers equal the
figures summed directly from the published marts with hand-written SQL."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from raw_files import query

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MF = Path(sys.executable).with_name("mf")
DBT = Path(sys.executable).with_name("dbt")


@pytest.fixture(scope="module")
def mf(world, tmp_path_factory):
    """A copy of the dbt project and of the run's work database, parsed once; returns a query function."""
    base = tmp_path_factory.mktemp("semantic")
    project = base / "dbt_project"
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    work = base / "work.duckdb"
    shutil.copyfile(world.work, work)
    env = {**os.environ, "SOCIAL_ROI_WORK_DB": str(work), "DBT_PROFILES_DIR": str(project)}
    parse = subprocess.run(
        [str(DBT), "parse", "--quiet"], cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert parse.returncode == 0, parse.stdout[-3000:] + parse.stderr[-3000:]

    def run(metrics: str, group_by: str) -> dict[str, dict[str, float | None]]:
        out = base / f"{metrics.replace(',', '_')}.csv"
        proc = subprocess.run(
            [str(MF), "query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out)],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert proc.returncode == 0 and out.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
        with out.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        return {r[group_by]: {k: (float(v) if v != "" else None) for k, v in r.items() if k != group_by} for r in rows}

    return run


def test_mf_query_equals_the_marts_per_model(world, mf):
    answer = mf("revenue,spend,cost,conversions,roas,roi", "channel_roi_row__attribution_model")
    expected = query(
        world.marts,
        """
        select attribution_model, sum(attributed_revenue), sum(spend), sum(cost), sum(attributed_conversions),
               sum(attributed_gross_margin)
        from fct_channel_roi_daily group by 1""",
    )
    assert len(expected) == 8 and set(answer) == {r[0] for r in expected}
    for model, revenue, spend, cost, conversions, margin in expected:
        got = answer[model]
        assert got["revenue"] == pytest.approx(revenue, abs=0.01), model
        assert got["spend"] == pytest.approx(spend, abs=0.01), model
        assert got["cost"] == pytest.approx(cost, abs=0.01), model
        assert got["conversions"] == pytest.approx(conversions, abs=1e-6), model
        assert got["roas"] == pytest.approx(revenue / spend, rel=1e-9), model
        assert got["roi"] == pytest.approx((margin - cost) / cost, rel=1e-9), model


def test_mf_query_over_claim_ratio_equals_the_marts(world, mf):
    answer = mf("claimed_conversions,backed_conversions,over_claim_ratio", "reconciliation__platform")
    expected = query(
        world.marts,
        """
        select platform, sum(claimed_conversions)::double, sum(attributed_conversions)::double
        from fct_platform_reconciliation group by 1""",
    )
    assert len(expected) >= 3 and set(answer) == {r[0] for r in expected}
    for platform, claimed, backed in expected:
        assert answer[platform]["claimed_conversions"] == pytest.approx(claimed), platform
        assert answer[platform]["over_claim_ratio"] == pytest.approx(claimed / backed if backed else None), platform
