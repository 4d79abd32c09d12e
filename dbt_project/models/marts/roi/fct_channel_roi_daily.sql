-- Daily ROI per platform, campaign and attribution model, in the reporting currency.
-- Paid campaigns carry their spend; organic activity has campaign_id '(organic)' and carries the organic cost
-- (content production, agency fees, sales-rep time). Spend, cost and revenue cover the same days: all up to
-- the run date. ROAS = attributed revenue / spend; ROI = (attributed gross margin - cost) / cost.
with attributed as (
    select * from {{ ref('fct_attributed_revenue') }}
),

spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

organic_costs as (
    select * from {{ ref('int_organic_costs_daily') }}
),

campaigns as (
    select * from {{ ref('dim_campaigns') }}
),

models as (
{% for model in var('roi__rule_models') + var('roi__data_driven_models') %}
    select '{{ model }}' as attribution_model
    {% if not loop.last %}union all{% endif %}
{% endfor %}
),

revenue_daily as (
    select
        conversion_date as date_day,
        platform,
        coalesce(campaign_id, '(organic)') as campaign_id,
        attribution_model,
        currency,
        cast(0 as {{ dbt.type_numeric() }}) as spend,
        cast(0 as {{ dbt.type_numeric() }}) as organic_cost,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_gross_margin) as attributed_gross_margin
    from attributed
    group by conversion_date, platform, coalesce(campaign_id, '(organic)'), attribution_model, currency
),

spend_daily as (
    select
        spend.spend_date as date_day,
        spend.platform,
        spend.campaign_id,
        models.attribution_model,
        spend.currency,
        sum(spend.spend) as spend,
        cast(0 as {{ dbt.type_numeric() }}) as organic_cost,
        0 as attributed_conversions,
        0 as attributed_revenue,
        0 as attributed_gross_margin
    from spend
    cross join models
    group by spend.spend_date, spend.platform, spend.campaign_id, models.attribution_model, spend.currency
),

organic_cost_daily as (
    select
        organic_costs.date_day,
        organic_costs.platform,
        '(organic)' as campaign_id,
        models.attribution_model,
        organic_costs.currency,
        cast(0 as {{ dbt.type_numeric() }}) as spend,
        sum(organic_costs.cost) as organic_cost,
        0 as attributed_conversions,
        0 as attributed_revenue,
        0 as attributed_gross_margin
    from organic_costs
    cross join models
    group by organic_costs.date_day, organic_costs.platform, models.attribution_model, organic_costs.currency
),

unioned as (
    select * from revenue_daily
    union all
    select * from spend_daily
    union all
    select * from organic_cost_daily
),

summed as (
    select
        date_day,
        platform,
        campaign_id,
        attribution_model,
        currency,
        sum(spend) as spend,
        sum(organic_cost) as organic_cost,
        sum(spend) + sum(organic_cost) as cost,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_gross_margin) as attributed_gross_margin
    from unioned
    group by date_day, platform, campaign_id, attribution_model, currency
),

final as (
    select
        summed.date_day,
        summed.platform,
        summed.campaign_id,
        coalesce(campaigns.campaign_name, summed.campaign_id) as campaign_name,
        summed.attribution_model,
        summed.currency,
        summed.spend,
        summed.organic_cost,
        summed.cost,
        summed.attributed_conversions,
        summed.attributed_revenue,
        summed.attributed_gross_margin,
        {{ roas('summed.attributed_revenue', 'summed.spend') }} as roas,
        {{ roi('summed.attributed_gross_margin', 'summed.cost') }} as roi
    from summed
    left join campaigns
        on summed.campaign_id = campaigns.campaign_id
)

select * from final
