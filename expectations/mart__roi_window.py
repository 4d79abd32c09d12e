"""Spend, organic cost and revenue in the ROI mart cover the same window: up to the run date, each exactly its
source, and no organic cost before the shop's data starts.

The rule, per attribution model and per series (spend from int_ad_spend_daily, or stg_meta__ads_daily where the
schema has no such table: see kit.SPEND_SOURCES; organic cost from int_organic_costs_daily; revenue from
int_conversions):
  1. the last day with spend (revenue) in fct_channel_roi_daily is on or before the run date;
  2. the mart's first and last day with spend (revenue) are the source's first and last day on or before the run
     date (``roi_window.edge_gap_days`` of slack, 0 by default): neither series is cut short or padded, so ROAS of
     any period compares spend and revenue of the same days;
  3. the mart's total spend (organic cost, revenue) equals the source's total up to the run date
     (``roi_window.total_tolerance``):
     nothing is dropped by the joins (e.g. spend of a campaign missing from dim_campaigns) or counted twice;
  4. no organic cost is booked before the first day with a conversion or ad spend (content published earlier
     could earn no measured revenue: its cost would only lower ROI).
"""

from __future__ import annotations

from social_roi.quality import kit

NAME = "mart__roi_window"
SEVERITY = "blocking"
ROW_ID = ["attribution_model", "series"]

QUERY = """
with roi as (
    select * from {schema}.fct_channel_roi_daily
),

mart as (
    select attribution_model, 'spend' as series,
        min(date_day) filter (where spend <> 0) as mart_first_day,
        max(date_day) filter (where spend <> 0) as mart_last_day,
        coalesce(sum(cast(spend as double)), 0) as mart_total
    from roi
    group by attribution_model
    union all
    select attribution_model, 'revenue' as series,
        min(date_day) filter (where attributed_revenue <> 0),
        max(date_day) filter (where attributed_revenue <> 0),
        coalesce(sum(cast(attributed_revenue as double)), 0)
    from roi
    group by attribution_model
    union all
    select attribution_model, 'organic_cost' as series,
        min(date_day) filter (where organic_cost <> 0),
        max(date_day) filter (where organic_cost <> 0),
        coalesce(sum(cast(organic_cost as double)), 0)
    from roi
    group by attribution_model
),

data_start as (
    select min(first_day) as first_day from (
        select min(conversion_date) as first_day from {schema}.int_conversions where conversion_date <= $run_date
        union all
        select min(spend_date) from {spend_table} where spend <> 0 and spend_date <= $run_date
    ) as firsts
),

source as (
    select 'spend' as series,
        min(spend_date) filter (where spend <> 0) as source_first_day,
        max(spend_date) filter (where spend <> 0) as source_last_day,
        coalesce(sum(cast(spend as double)), 0) as source_total
    from {spend_table}
    where spend_date <= $run_date
    union all
    select 'revenue' as series,
        min(conversion_date) filter (where revenue <> 0),
        max(conversion_date) filter (where revenue <> 0),
        coalesce(sum(cast(revenue as double)), 0)
    from {schema}.int_conversions
    where conversion_date <= $run_date
    union all
    select 'organic_cost' as series,
        min(date_day) filter (where cost <> 0),
        max(date_day) filter (where cost <> 0),
        coalesce(sum(cast(cost as double)), 0)
    from {schema}.int_organic_costs_daily
    where date_day <= $run_date
),

final as (
    select
        mart.attribution_model,
        mart.series,
        coalesce(date_diff('day', cast($run_date as date), mart.mart_last_day), 0) as days_after_run_date,
        case
            when mart.mart_first_day is null and source.source_first_day is null then 0
            else abs(coalesce(date_diff('day', source.source_first_day, mart.mart_first_day), 99999))
        end as first_day_gap,
        case
            when mart.mart_last_day is null and source.source_last_day is null then 0
            else abs(coalesce(date_diff('day', mart.mart_last_day, source.source_last_day), 99999))
        end as last_day_gap,
        case
            when mart.series = 'organic_cost'
                then greatest(0, coalesce(date_diff('day', mart.mart_first_day, data_start.first_day), 0))
            else 0
        end as cost_days_before_data,
        abs(mart.mart_total - coalesce(source.source_total, 0)) as total_deviation,
        format('mart {} {}..{} total {:.2f}; source {}..{} total {:.2f}; run date {}', mart.series,
            coalesce(cast(mart.mart_first_day as varchar), '∅'), coalesce(cast(mart.mart_last_day as varchar), '∅'),
            mart.mart_total,
            coalesce(cast(source.source_first_day as varchar), '∅'),
            coalesce(cast(source.source_last_day as varchar), '∅'),
            coalesce(source.source_total, 0), cast($run_date as varchar))
            || coalesce('; data starts ' || cast(data_start.first_day as varchar), '') as window
    from mart
    cross join data_start
    left join source
        on mart.series = source.series
)

select * from final order by attribution_model, series
"""


def frame(con, params: kit.MartParams):
    return kit.run_query(con, params, kit.with_spend(con, params, QUERY))


def build_suite(thresholds=None):
    t = kit.resolve(thresholds)
    gap = int(t.get("roi_window.edge_gap_days"))
    tol = float(t.get("roi_window.total_tolerance"))
    return kit.suite(
        NAME,
        [
            kit.expect_at_most(
                "days_after_run_date",
                0,
                "no spend or revenue after the run date",
                show=["window"],
                expected="last day with spend/revenue <= run date",
            ),
            kit.expect_at_most(
                "first_day_gap",
                gap,
                "the mart's first day with spend/revenue is its source's",
                show=["window"],
                expected=f"first day = source's first day (± {gap} days)",
            ),
            kit.expect_at_most(
                "last_day_gap",
                gap,
                "the mart's last day with spend/revenue is its source's",
                show=["window"],
                expected=f"last day = source's last day up to the run date (± {gap} days)",
            ),
            kit.expect_at_most(
                "cost_days_before_data",
                0,
                "no organic cost before the first conversion or ad spend",
                show=["window"],
                expected="first day with organic cost >= first day with sales or spend",
            ),
            kit.expect_at_most(
                "total_deviation",
                tol,
                "the mart's totals equal its sources' totals in the window",
                show=["window"],
                expected=f"|mart total - source total| <= {tol:g}",
            ),
        ],
        notes=__doc__,
    )
