"""ROI mart values are usable: spend is never negative, ROAS is finite and non-negative wherever spend > 0."""

from __future__ import annotations

from social_roi.quality import kit

NAME = "mart__roi_values"
SEVERITY = "blocking"
ROW_ID = ["attribution_model"]

QUERY = """
with roi as (
    select
        *,
        cast(date_day as varchar) || '/' || platform || '/' || campaign_id as row_label,
        cast(roas as double) as roas_value
    from {schema}.fct_channel_roi_daily
),

final as (
    select
        attribution_model,
        count(*) as row_count,
        count(*) filter (where spend < 0) as negative_spend_rows,
        min(row_label || ' spend ' || spend) filter (where spend < 0) as example_negative_spend,
        count(*) filter (where spend > 0 and (roas_value is null or isnan(roas_value) or isinf(roas_value)))
            as non_finite_roas_rows,
        min(row_label || ' roas ' || coalesce(cast(roas_value as varchar), 'null'))
            filter (where spend > 0 and (roas_value is null or isnan(roas_value) or isinf(roas_value)))
            as example_non_finite_roas,
        count(*) filter (where spend > 0 and roas_value < 0) as negative_roas_rows,
        min(row_label || ' roas ' || roas_value) filter (where spend > 0 and roas_value < 0)
            as example_negative_roas
    from roi
    group by attribution_model
)

select * from final order by attribution_model
"""


def frame(con, params: kit.MartParams):
    return kit.run_query(con, params, QUERY)


def build_suite(thresholds=None):
    return kit.suite(
        NAME,
        [
            kit.expect_zero(
                "negative_spend_rows",
                "spend is never negative",
                show=["example_negative_spend"],
                expected="0 rows with spend < 0",
            ),
            kit.expect_zero(
                "non_finite_roas_rows",
                "ROAS is a finite number wherever spend > 0",
                show=["example_non_finite_roas"],
                expected="0 rows with spend > 0 and ROAS null/NaN/inf",
            ),
            kit.expect_zero(
                "negative_roas_rows",
                "ROAS is not negative wherever spend > 0",
                show=["example_negative_roas"],
                expected="0 rows with spend > 0 and ROAS < 0",
            ),
        ],
        notes=__doc__,
    )
