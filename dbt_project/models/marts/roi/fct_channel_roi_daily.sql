-- Daily ROI per platform, campaign and attribution model. Organic touches have campaign_id '(organic)'.
-- Spend and attributed revenue cover the same days: everything up to the run date.
with attributed as (
    select * from {{ ref('fct_attributed_revenue') }}
),

spend as (
    select * from {{ ref('int_ad_spend_daily') }}
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
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
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
        sum(spend.spend) as spend
    from spend
    cross join models
    group by spend.spend_date, spend.platform, spend.campaign_id, models.attribution_model, spend.currency
),

joined as (
    select
        coalesce(revenue_daily.date_day, spend_daily.date_day) as date_day,
        coalesce(revenue_daily.platform, spend_daily.platform) as platform,
        coalesce(revenue_daily.campaign_id, spend_daily.campaign_id) as campaign_id,
        coalesce(revenue_daily.attribution_model, spend_daily.attribution_model) as attribution_model,
        coalesce(revenue_daily.currency, spend_daily.currency) as currency,
        coalesce(spend_daily.spend, 0) as spend,
        coalesce(revenue_daily.attributed_conversions, 0) as attributed_conversions,
        coalesce(revenue_daily.attributed_revenue, 0) as attributed_revenue
    from revenue_daily
    full outer join spend_daily
        on revenue_daily.date_day = spend_daily.date_day
        and revenue_daily.platform = spend_daily.platform
        and revenue_daily.campaign_id = spend_daily.campaign_id
        and revenue_daily.attribution_model = spend_daily.attribution_model
        and revenue_daily.currency = spend_daily.currency
),

final as (
    select
        joined.date_day,
        joined.platform,
        joined.campaign_id,
        coalesce(campaigns.campaign_name, joined.campaign_id) as campaign_name,
        joined.attribution_model,
        joined.currency,
        joined.spend,
        joined.attributed_conversions,
        joined.attributed_revenue,
        case when joined.spend > 0 then joined.attributed_revenue / joined.spend end as roas
    from joined
    left join campaigns
        on joined.campaign_id = campaigns.campaign_id
)

select * from final
