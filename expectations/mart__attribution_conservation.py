"""Attribution conserves conversions and revenue, per model.

For every attribution model and every conversion of the window (int_conversions, conversion_date <= run date):
the conversion appears in the model (a lost conversion fails), its credits sum to 1, and its attributed revenue
sums to its revenue; per model, total attributed revenue equals total conversion revenue. The SQL reduces 1.5M
attribution rows to one row per model (max deviations, counts and the worst conversion as an example).
"""

from __future__ import annotations

from social_roi.quality import kit

NAME = "mart__attribution_conservation"
SEVERITY = "blocking"
ROW_ID = ["attribution_model"]

QUERY = """
with conversions as (
    select conversion_id, cast(revenue as double) as revenue
    from {schema}.int_conversions
    where conversion_date <= $run_date
),

attributed as (
    select conversion_id, attribution_model, cast(credit as double) as credit,
        cast(attributed_revenue as double) as attributed_revenue
    from {schema}.fct_attributed_revenue
    where conversion_date <= $run_date
),

models as (
    select distinct attribution_model from attributed
    union all
    select '(no model)' where not exists (select 1 from attributed)
),

per_conversion as (
    select attribution_model, conversion_id, sum(credit) as credit_sum, sum(attributed_revenue) as revenue_sum
    from attributed
    group by attribution_model, conversion_id
),

grid as (
    select
        models.attribution_model,
        conversions.conversion_id,
        conversions.revenue,
        per_conversion.credit_sum,
        per_conversion.revenue_sum,
        abs(per_conversion.credit_sum - 1) as credit_deviation,
        abs(per_conversion.revenue_sum - conversions.revenue) as revenue_deviation
    from models
    cross join conversions
    left join per_conversion
        on per_conversion.attribution_model = models.attribution_model
        and per_conversion.conversion_id = conversions.conversion_id
),

per_model as (
    select
        attribution_model,
        count(*) as conversions,
        count(*) filter (where credit_sum is null) as lost_conversions,
        min(conversion_id) filter (where credit_sum is null) as example_lost_conversion,
        coalesce(max(credit_deviation), 0) as max_credit_deviation,
        arg_max(conversion_id || ' (credits sum to ' || round(credit_sum, 9) || ')', credit_deviation)
            as worst_credit_conversion,
        coalesce(max(revenue_deviation), 0) as max_revenue_deviation,
        arg_max(conversion_id || ' (' || round(revenue_sum, 4) || ' attributed vs ' || round(revenue, 4) || ')',
            revenue_deviation) as worst_revenue_conversion,
        sum(revenue) as conversion_revenue_total
    from grid
    group by attribution_model
),

model_totals as (
    select attribution_model, sum(attributed_revenue) as attributed_revenue_total
    from attributed
    group by attribution_model
),

final as (
    select
        per_model.*,
        coalesce(model_totals.attributed_revenue_total, 0) as attributed_revenue_total,
        abs(coalesce(model_totals.attributed_revenue_total, 0) - per_model.conversion_revenue_total)
            as total_revenue_deviation,
        format('{:.2f} attributed vs {:.2f} conversion revenue',
            coalesce(model_totals.attributed_revenue_total, 0), per_model.conversion_revenue_total) as totals
    from per_model
    left join model_totals
        on per_model.attribution_model = model_totals.attribution_model
)

select * from final order by attribution_model
"""


def frame(con, params: kit.MartParams):
    return kit.run_query(con, params, QUERY)


def build_suite(thresholds=None):
    t = kit.resolve(thresholds)
    credit = float(t.get("conservation.credit_sum_tolerance"))
    revenue = float(t.get("conservation.conversion_revenue_tolerance"))
    total = float(t.get("conservation.total_revenue_tolerance"))
    return kit.suite(
        NAME,
        [
            kit.expect_zero(
                "lost_conversions",
                "every conversion of the window appears in every model",
                show=["example_lost_conversion"],
                expected="0 conversions missing from any model",
            ),
            kit.expect_at_most(
                "max_credit_deviation",
                credit,
                "credits of a conversion sum to 1 in every model",
                show=["worst_credit_conversion"],
                expected=f"|sum(credit) - 1| <= {credit:g} for every conversion",
            ),
            kit.expect_at_most(
                "max_revenue_deviation",
                revenue,
                "attributed revenue of a conversion sums to its revenue in every model",
                show=["worst_revenue_conversion"],
                expected=f"|sum(attributed_revenue) - revenue| <= {revenue:g} for every conversion",
            ),
            kit.expect_at_most(
                "total_revenue_deviation",
                total,
                "per model, total attributed revenue = total conversion revenue of the window",
                show=["totals"],
                expected=f"|total attributed - total revenue| <= {total:g}",
            ),
        ],
        notes=__doc__,
    )
