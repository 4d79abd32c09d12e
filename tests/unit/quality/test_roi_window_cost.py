"""The ROI window check covers organic cost: booked only from the first day with sales or spend, and in full."""

from __future__ import annotations

import pytest
from quality_world import RUN_DATE

from social_roi.quality.gate import GateFailed, run_mart_gate


def gate(con, docs_dir):
    return run_mart_gate(con, run_id="test-run", run_date=RUN_DATE, docs_dir=docs_dir)


def failures(con, docs_dir):
    with pytest.raises(GateFailed) as info:
        gate(con, docs_dir)
    return {(o.suite, o.column): o for o in info.value.result.blocking_failures}


def test_organic_cost_of_the_window_passes(world, docs_dir):
    result = gate(world, docs_dir)
    costs = [o for o in result.outcomes if o.suite == "mart__roi_window" and o.column == "cost_days_before_data"]
    assert len(costs) == 1 and costs[0].success


def test_organic_cost_before_the_first_sale_or_spend_fails(world, docs_dir):
    # Three days of content cost before 2026-02-25, the first day with spend (sales start on 2026-03-09).
    for table in ("audit.int_organic_costs_daily",):
        world.execute(
            f"insert into {table} select date_day - 3, platform, cost_type, original_currency, "
            f"original_amount, currency, cost from {table} where date_day = date '2026-02-25'"
        )
    for model in ("linear", "last_touch"):
        world.execute(
            "insert into audit.fct_channel_roi_daily (date_day, platform, campaign_id, campaign_name, "
            "attribution_model, currency, spend, organic_cost, attributed_conversions, attributed_revenue) "
            f"values (date '2026-02-22', 'instagram', '(organic)', '(organic)', '{model}', 'USD', "
            "0, 10, 0, 0)"
        )
    broken = failures(world, docs_dir)
    outcome = broken[("mart__roi_window", "cost_days_before_data")]
    assert "series=organic_cost" in outcome.observed and "data starts 2026-02-25" in outcome.observed
    assert "3" in outcome.observed


def test_organic_cost_dropped_by_the_mart_fails(world, docs_dir):
    world.execute("update audit.fct_channel_roi_daily set organic_cost = 0 where date_day = date '2026-03-01'")
    outcome = failures(world, docs_dir)[("mart__roi_window", "total_deviation")]
    assert "series=organic_cost" in outcome.observed and "total 140.00" in outcome.observed
