"""End to end: real Airflow runs of social_roi_daily (dag.test) on a small generated world.

Expected figures are computed from the generated export files with the csv module alone (raw_files.py) — never
through the project's parsers or marts.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from raw_files import (
    campaign_ids,
    emails_from_files,
    generate_world,
    instagram_lifetime_views,
    linkedin_posts_by_author,
    meta_claimed_purchases,
    orders_from_files,
    query,
    run_pipeline,
    spend_from_files,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
END = date(2026, 11, 30)
FIRST_DAY = END - timedelta(days=2)
MODELS = {"first_touch", "last_touch", "linear", "position_based", "time_decay", "markov", "shapley", "causal"}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return generate_world(tmp_path_factory.mktemp("world"), seed=11, end=END)


@pytest.fixture(scope="module")
def first_runs(world, tmp_path_factory):
    """Two daily runs (a backfill of FIRST_DAY - 1 and FIRST_DAY) into a fresh home."""
    home = tmp_path_factory.mktemp("home")
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copytree(world / "inbox", inbox, dirs_exist_ok=True)
    proc = run_pipeline(home, inbox, FIRST_DAY, days=2)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-6000:]
    return home, inbox, proc


def test_backfill_runs_succeed_through_airflow(first_runs):
    _, _, proc = first_runs
    assert proc.stdout.count("success in") == 2, proc.stdout[-3000:]
    assert "published" in proc.stdout


def test_every_model_credits_exactly_the_order_revenue_of_the_window(first_runs):
    home, inbox, _ = first_runs
    orders = orders_from_files(inbox, FIRST_DAY)
    assert len(orders) > 50  # the world is big enough for the check to mean something
    marts = home / "warehouse" / "marts.duckdb"
    rows = query(
        marts,
        "select attribution_model, sum(attributed_revenue), sum(attributed_conversions) "
        "from fct_channel_roi_daily group by 1",
    )
    assert {r[0] for r in rows} == MODELS
    for model, revenue, conversions in rows:
        assert revenue == pytest.approx(sum(orders.values()), abs=0.01), model
        assert conversions == pytest.approx(len(orders), abs=1e-6), model
    per_conversion = query(
        marts,
        "select attribution_model, conversion_id, sum(attributed_revenue) from fct_attributed_revenue group by 1, 2",
    )
    assert len(per_conversion) == len(MODELS) * len(orders)
    for model, name, revenue in per_conversion:
        assert revenue == pytest.approx(orders[name], abs=0.01), (model, name)


def test_spend_matches_the_meta_exports_over_the_same_window(first_runs):
    home, inbox, _ = first_runs
    marts = home / "warehouse" / "marts.duckdb"
    expected = spend_from_files(inbox, FIRST_DAY)
    for model, spend, last_day in query(
        marts, "select attribution_model, sum(spend), max(date_day) from fct_channel_roi_daily group by 1"
    ):
        assert float(spend) == pytest.approx(expected, abs=0.01), model
        assert last_day == FIRST_DAY


def test_post_performance_adds_up_to_the_latest_snapshots(first_runs):
    """Daily deltas of a post sum to its lifetime figure in the latest export: no snapshot counted twice."""
    home, inbox, _ = first_runs
    expected = instagram_lifetime_views(inbox, FIRST_DAY)
    rows = dict(
        query(
            home / "warehouse" / "marts.duckdb",
            "select post_id, sum(impressions) from fct_post_performance where platform = 'instagram' group by post_id",
        )
    )
    assert len(expected) > 5
    assert rows == expected


def test_reconciliation_and_mmm_match_the_exports(first_runs):
    home, inbox, _ = first_runs
    marts = home / "warehouse" / "marts.duckdb"
    claimed = query(
        marts,
        "select sum(claimed_conversions) from fct_platform_reconciliation where platform in ('facebook', 'instagram')",
    )[0][0]
    assert float(claimed) == pytest.approx(meta_claimed_purchases(inbox, FIRST_DAY), abs=1e-6)
    weekly_spend = query(marts, "select sum(spend) from fct_mmm_weekly")[0][0]
    assert float(weekly_spend) == pytest.approx(spend_from_files(inbox, FIRST_DAY), abs=0.01)
    roi = query(
        marts,
        "select sum(attributed_gross_margin), sum(cost), sum(attributed_revenue) "
        "from fct_channel_roi_daily where attribution_model = 'linear'",
    )[0]
    margin, cost, revenue = (float(v) for v in roi)
    assert 0 < margin < revenue and cost > 0  # gross margin is a share of revenue; organic work costs money


def test_dimensions_and_rep_mart_match_the_exports(first_runs):
    home, inbox, _ = first_runs
    marts = home / "warehouse" / "marts.duckdb"
    assert {r[0] for r in query(marts, "select campaign_id from dim_campaigns")} == campaign_ids(inbox, FIRST_DAY)
    ig_posts = query(marts, "select count(*) from dim_posts where platform = 'instagram'")[0][0]
    assert ig_posts == len(instagram_lifetime_views(inbox, FIRST_DAY))
    by_author = linkedin_posts_by_author(inbox, FIRST_DAY)
    rep_posts = dict(query(marts, "select sales_rep, sum(posts) from fct_sales_rep_social group by 1"))
    reps = {name for (name,) in query(marts, "select distinct sales_rep from fct_sales_rep_social")}
    assert reps  # the world has sales reps who post and own deals
    for rep in reps:
        assert rep_posts.get(rep, 0) == by_author.get(rep, 0), rep


def test_uncertainty_intervals_at_every_lookback(first_runs):
    home, _, _ = first_runs
    rows = query(
        home / "warehouse" / "marts.duckdb",
        "select lookback_days, attribution_model, revenue, revenue_ci_low, revenue_ci_high "
        "from fct_channel_uncertainty",
    )
    assert {r[0] for r in rows} == {7, 14, 30, 90}
    assert {r[1] for r in rows} == {"markov", "shapley"}
    for _, _, revenue, low, high in rows:
        assert low - 1e-6 <= high and (revenue == 0 or low - 1e-6 <= revenue <= high + 1e-6)


def test_export_crm_writes_hashed_keys_only(first_runs, tmp_path):
    home, inbox, _ = first_runs
    out = tmp_path / "crm.csv"
    env = {**os.environ, "SOCIAL_ROI_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-m", "social_roi.cli", "export-crm", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["key_type", "match_key", "engagement_segment"]
    assert not any(email in text for email in emails_from_files(inbox))
    email_rows = [line for line in text.splitlines()[1:] if line.startswith("email,")]
    assert email_rows and all(len(line.split(",")[1]) == 64 for line in email_rows)  # sha256 hex


def test_no_email_in_clear_in_any_table(first_runs):
    home, inbox, _ = first_runs
    emails = emails_from_files(inbox)
    assert emails
    for db in (home / "warehouse" / "work.duckdb", home / "warehouse" / "marts.duckdb"):
        con = duckdb.connect(str(db), read_only=True)
        try:
            columns = con.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where data_type = 'VARCHAR'"
            ).fetchall()
            con.execute("create temp table clear_emails (email varchar)")
            con.executemany("insert into clear_emails values (?)", [[e] for e in sorted(emails)])
            for schema, table, column in columns:
                hits = con.execute(
                    f'select count(*) from "{schema}"."{table}" where "{column}" in (select email from clear_emails) '
                    f"or regexp_matches(\"{column}\", '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.[A-Za-z]{{2,}}')"
                ).fetchone()[0]
                assert hits == 0, f"{db.name} {schema}.{table}.{column} holds an email in clear"
        finally:
            con.close()


def test_manifest_loaded_each_file_once(first_runs):
    home, inbox, _ = first_runs
    files = sorted(p for p in inbox.rglob("*") if p.is_file() and date.fromisoformat(p.parent.name) <= FIRST_DAY)
    contents = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    rows = query(home / "warehouse" / "work.duckdb", "select status, count(*) from raw._files group by 1")
    # identical files (a header-only export on two quiet days) load once; the copies are recorded as duplicates
    assert dict(rows) == {"loaded": len(contents), "duplicate": len(files) - len(contents)}
    assert query(home / "warehouse" / "work.duckdb", "select count(*) from raw._quarantine") == [(0,)]


def test_rerun_adds_nothing_and_readers_keep_their_version(first_runs):
    home, inbox, _ = first_runs
    work, marts = home / "warehouse" / "work.duckdb", home / "warehouse" / "marts.duckdb"
    roi_sql = (
        "select date_day, platform, campaign_id, attribution_model, spend, attributed_revenue "
        "from fct_channel_roi_daily order by all"
    )
    before_raw = query(work, "select count(*) from raw.shopify_orders")
    before = query(marts, roi_sql)
    # an analyst holds the published marts open while the next day runs
    reader = duckdb.connect(str(marts), read_only=True)
    try:
        assert reader.execute("select run_date from _publication").fetchone()[0] == FIRST_DAY
        rerun = run_pipeline(home, inbox, FIRST_DAY)
        assert rerun.returncode == 0, rerun.stdout[-4000:]
        assert query(work, "select count(*) from raw.shopify_orders") == before_raw
        assert query(marts, roi_sql) == before
        next_day = run_pipeline(home, inbox, FIRST_DAY + timedelta(days=1))
        assert next_day.returncode == 0, next_day.stdout[-4000:]
        # the open connection still reads the version it opened, untouched
        assert reader.execute("select run_date from _publication").fetchone()[0] == FIRST_DAY
        assert reader.execute(roi_sql).fetchall() == before
    finally:
        reader.close()
    assert query(marts, "select run_date from _publication")[0][0] == FIRST_DAY + timedelta(days=1)
    orders = orders_from_files(inbox, FIRST_DAY + timedelta(days=1))
    total = query(marts, "select sum(attributed_revenue) from fct_channel_roi_daily where attribution_model = 'linear'")
    assert total[0][0] == pytest.approx(sum(orders.values()), abs=0.01)
