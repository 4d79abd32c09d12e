"""The mart gate on a hand-built audit schema: the clean world passes; each fault fails the expectation meant for
it, with a message that names suite, expectation, observed and expected values and the Data Docs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from quality_world import RUN_DATE

from social_roi.quality.gate import GateFailed, GateResult, run_mart_gate


def run(con, docs_dir, run_date=RUN_DATE, **kwargs) -> GateResult:
    return run_mart_gate(con, run_id="test-run", run_date=run_date, docs_dir=docs_dir, **kwargs)


def failing(con, docs_dir, **kwargs) -> GateFailed:
    with pytest.raises(GateFailed) as info:
        run(con, docs_dir, **kwargs)
    return info.value


def the_failure(result: GateResult, suite: str, column: str):
    matches = [o for o in result.outcomes if o.suite == suite and o.column == column]
    assert len(matches) == 1, [(o.suite, o.column) for o in result.outcomes]
    outcome = matches[0]
    assert not outcome.success, outcome
    return outcome


def assert_message(error: GateFailed, outcome, *fragments: str) -> None:
    message = str(error)
    assert message == error.result.summary()
    line = next(line for line in message.splitlines() if outcome.suite in line and f"({outcome.column})" in line)
    assert outcome.expectation in line
    assert f"observed {outcome.observed}" in line
    assert f"expected {outcome.expected}" in line
    assert "docs: " in line and str(outcome.docs_page) in line
    assert outcome.docs_page is not None and outcome.docs_page.exists()
    assert str(error.result.docs_index) in message and error.result.docs_index.exists()
    for fragment in fragments:
        assert fragment in line, (fragment, line)


def recorded(con, run_id="test-run"):
    return con.execute(
        "select suite, severity, expectation, column_name, success, observed_value, expected "
        "from main.quality_results where run_id = ? order by suite, column_name",
        [run_id],
    ).fetchall()


def test_clean_world_passes_and_is_recorded(world, docs_dir):
    result = run(world, docs_dir)
    assert result.blocking_failures == [] and result.warnings == []
    rows = recorded(world)
    assert len(rows) == len(result.outcomes) >= 20
    assert {r[0] for r in rows} >= {
        "mart__attribution_conservation",
        "mart__currency",
        "mart__roi_window",
        "mart__roi_values",
        "mart__keys",
        "mart__referential_integrity",
        "mart__personal_data",
        "mart__freshness",
        "mart__volume",
    }
    assert all(r[4] for r in rows)
    assert (docs_dir / "index.html").exists()
    orders = next(o for o in result.outcomes if o.column == "orders_ratio")
    assert orders.success and "insufficient history" in orders.observed  # two days of orders only
    assert "passed" in result.summary()


def test_rerun_replaces_its_rows(world, docs_dir):
    first = run(world, docs_dir)
    run(world, docs_dir)
    assert len(recorded(world)) == len(first.outcomes)


def test_lost_conversion(world, docs_dir):
    world.execute(
        "delete from audit.fct_attributed_revenue where conversion_id = 'o2' and attribution_model = 'linear'"
    )
    error = failing(world, docs_dir)
    outcome = the_failure(error.result, "mart__attribution_conservation", "lost_conversions")
    assert "attribution_model=linear" in outcome.observed and "o2" in outcome.observed
    assert_message(error, outcome, "1 at attribution_model=linear", "0 conversions missing")


def test_credit_sum_of_point_nine(world, docs_dir):
    world.execute(
        "update audit.fct_attributed_revenue set credit = 0.4 "
        "where conversion_id = 'o1' and touch_id = 'click:u1.1' and attribution_model = 'linear'"
    )
    error = failing(world, docs_dir)
    outcome = the_failure(error.result, "mart__attribution_conservation", "max_credit_deviation")
    assert_message(error, outcome, "0.1 at attribution_model=linear", "o1 (credits sum to 0.9)", "1e-06")
    assert [o.column for o in error.result.blocking_failures] == ["max_credit_deviation"]


def test_mixed_currency_roi_row(world, docs_dir):
    world.execute("""
        insert into audit.fct_channel_roi_daily
        select date_day, platform, campaign_id, campaign_name, attribution_model, 'EUR', 0, 0, 0.5, 20.0, null
        from audit.fct_channel_roi_daily
        where date_day = date '2026-03-10' and campaign_id = 'cmp_1' and attribution_model = 'linear'
    """)
    error = failing(world, docs_dir)
    outcome = the_failure(error.result, "mart__currency", "mixed_currency_groups")
    assert_message(
        error,
        outcome,
        "table_name=fct_channel_roi_daily",
        "2026-03-10/facebook/cmp_1/linear has EUR+USD",
        "1 currency per grain row",
    )


def test_negative_spend(world, docs_dir):
    world.execute("update audit.fct_channel_roi_daily set spend = -5 where date_day = date '2026-03-01'")
    error = failing(world, docs_dir)
    outcome = the_failure(error.result, "mart__roi_values", "negative_spend_rows")
    assert_message(error, outcome, "2026-03-01/facebook/cmp_1 spend -5", "0 rows with spend < 0")


def test_email_in_clear(world, docs_dir):
    world.execute("update audit.dim_campaigns set campaign_name = 'VIP list jane.doe@example.com'")
    error = failing(world, docs_dir)
    outcome = the_failure(error.result, "mart__personal_data", "email_values")
    assert_message(
        error,
        outcome,
        "table_name=dim_campaigns, column_name=campaign_name",
        "j***@***",
        "values matching an email pattern",
    )
    assert "jane.doe" not in str(error)  # the gate's own message must not leak what it found


def test_phone_in_clear(world, docs_dir):
    world.execute("update audit.fct_attributed_revenue set post_id = 'call +44 20 7946 0958' where post_id is not null")
    error = failing(world, docs_dir)
    outcome = the_failure(error.result, "mart__personal_data", "phone_values")
    assert_message(
        error,
        outcome,
        "table_name=fct_attributed_revenue, column_name=post_id",
        "***58",
        "values matching a phone pattern",
    )
    assert "7946" not in str(error)


def test_missing_run_day(world, docs_dir):
    error = failing(world, docs_dir, run_date=RUN_DATE + timedelta(days=1))  # nothing arrived for that day
    outcome = the_failure(error.result, "mart__freshness", "run_day_covered")
    assert_message(
        error,
        outcome,
        "0 sessions, 0 conversions, 0 spend rows on 2026-03-11",
        "0 of 0 source(s) on time",
        ">= 1 row(s) of sessions, conversions or spend",
    )
    assert [o.suite for o in error.result.blocking_failures] == ["mart__freshness"]


def test_sessions_drop_is_a_warning(world, docs_dir):
    world.execute(
        "delete from audit.int_sessions where cast(session_started_at as date) = date '2026-03-10' "
        "and user_pseudo_id not in ('u1', 'u2', 'u3', 'u4')"
    )  # 10 -> 4 sessions: -60%
    result = run(world, docs_dir)  # no GateFailed
    assert result.blocking_failures == []
    outcome = the_failure(result, "mart__volume", "sessions_ratio")
    assert outcome.severity == "warning"
    assert "sessions on 2026-03-10: 4 vs trailing 28-day mean 10" in outcome.observed
    assert "between 0.5 and 3" in outcome.expected
    line = next(line for line in result.summary().splitlines() if "sessions_ratio" in line)
    assert line.startswith("  [warning] mart__volume") and str(outcome.docs_page) in line
    rows = [r for r in recorded(world) if r[3] == "sessions_ratio"]
    assert rows == [
        (
            "mart__volume",
            "warning",
            "expect_column_values_to_be_between",
            "sessions_ratio",
            False,
            outcome.observed,
            outcome.expected,
        )
    ]


def test_missing_campaign_in_dim_campaigns(world, docs_dir):
    world.execute("delete from audit.dim_campaigns where campaign_id = 'cmp_1'")
    error = failing(world, docs_dir)
    outcome = the_failure(error.result, "mart__referential_integrity", "orphan_references")
    assert_message(
        error,
        outcome,
        "fct_channel_roi_daily.campaign_id -> dim_campaigns.campaign_id",
        "example_orphans=cmp_1",
        "0 references missing",
    )


def test_warning_severity_and_thresholds_come_from_the_yml(world, docs_dir, tmp_path):
    world.execute(
        "delete from audit.int_sessions where cast(session_started_at as date) = date '2026-03-10' "
        "and user_pseudo_id not in ('u1', 'u2', 'u3', 'u4')"
    )
    override = tmp_path / "thresholds.yml"
    override.write_text("severity:\n  mart__volume: blocking\nvolume:\n  metrics:\n    sessions: {drop: 0.7}\n")
    assert run(world, docs_dir, thresholds_file=override).blocking_failures == []  # 0.4 >= 1 - 0.7
    override.write_text("severity:\n  mart__volume: blocking\n")
    error = failing(world, docs_dir, thresholds_file=override)
    assert [o.column for o in error.result.blocking_failures] == ["sessions_ratio"]


def test_a_broken_query_is_a_blocking_failure(world, docs_dir):
    world.execute("drop table audit.stg_meta__ads_daily")
    error = failing(world, docs_dir)
    broken = {o.suite: o for o in error.result.failures if o.expectation == "suite_query_runs"}
    assert set(broken) == {"mart__freshness", "mart__roi_window", "mart__volume"}
    assert all("stg_meta__ads_daily" in o.observed for o in broken.values())
    assert broken["mart__freshness"].severity == "blocking"
    assert broken["mart__volume"].severity == "warning"  # a warning suite stays a warning, even broken


def test_spend_is_read_from_int_ad_spend_daily_when_the_schema_has_it(world, docs_dir):
    # All ads exports in the reporting currency; here it disagrees with the ROI mart (built from Meta alone).
    world.execute(
        "create table audit.int_ad_spend_daily as "
        "select spend_date, 'facebook' as platform, campaign_id, currency, spend * 2 as spend "
        "from audit.stg_meta__ads_daily"
    )
    error = failing(world, docs_dir)
    outcome = the_failure(error.result, "mart__roi_window", "total_deviation")
    assert "series=spend" in outcome.observed and "total 1400.00" in outcome.observed


def _sources(con, *rows) -> None:
    """audit.fct_source_freshness as dbt builds it: (source, cadence, last export day, next export due)."""
    con.execute(
        "create or replace table audit.fct_source_freshness (source varchar, last_export_date date, "
        "cadence varchar, next_export_due date, is_overdue boolean)"
    )
    for source, cadence, last, due in rows:
        con.execute(
            "insert into audit.fct_source_freshness values (?, ?, ?, ?, ? >= ?)",
            [source, last, cadence, due, RUN_DATE + timedelta(days=5), due],
        )


def test_a_monthly_source_on_time_publishes_a_day_without_rows(world, docs_dir):
    day = RUN_DATE + timedelta(days=5)  # no sessions, conversions or spend that day
    _sources(
        world,
        ("hubspot_deals", "monthly", RUN_DATE, RUN_DATE + timedelta(days=31)),
        ("meta_ads", "daily", RUN_DATE, RUN_DATE + timedelta(days=1)),
    )
    result = run(world, docs_dir, run_date=day)  # no GateFailed
    assert result.blocking_failures == []
    arrival = the_failure(result, "mart__source_arrival", "overdue_sources")
    assert (
        arrival.severity == "warning"
        and "meta_ads (daily, last export 2026-03-10, due 2026-03-11)" in arrival.observed
        and "hubspot" not in arrival.observed
    )


def test_every_source_overdue_and_no_rows_blocks(world, docs_dir):
    day = RUN_DATE + timedelta(days=5)
    _sources(
        world,
        ("meta_ads", "daily", RUN_DATE, RUN_DATE + timedelta(days=1)),
        ("woocommerce_orders", "weekly", RUN_DATE - timedelta(days=3), RUN_DATE + timedelta(days=4)),
    )
    error = failing(world, docs_dir, run_date=day)
    outcome = the_failure(error.result, "mart__freshness", "run_day_covered")
    assert_message(
        error,
        outcome,
        "0 of 2 source(s) on time",
        "meta_ads daily, last export 2026-03-10, overdue",
        "woocommerce_orders weekly, last export 2026-03-07, overdue",
    )
