-- Platform x campaign x day: the conversions and value an ads platform claims (Meta "Purchases", TikTok
-- "complete_payment", LinkedIn "Conversions") beside the order-backed conversions and revenue attributed to
-- that campaign's clicks (model roi__reconciliation_model, default last touch). over_claim_ratio =
-- claimed conversions / attributed conversions (null when nothing is attributed).
with spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

attributed as (
    select * from {{ ref('fct_attributed_revenue') }}
    where attribution_model = '{{ var("roi__reconciliation_model") }}'
        and campaign_id is not null
),

claimed as (
    select
        spend_date as date_day,
        platform,
        campaign_id,
        max(campaign_name) as campaign_name,
        sum(claimed_purchases) as claimed_conversions,
        sum(claimed_purchase_value) as claimed_value,
        sum(spend) as spend
    from spend
    group by spend_date, platform, campaign_id
),

backed as (
    select
        conversion_date as date_day,
        platform,
        campaign_id,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from attributed
    group by conversion_date, platform, campaign_id
),

final as (
    select
        coalesce(claimed.platform, backed.platform) || ':' || coalesce(claimed.campaign_id, backed.campaign_id)
            || ':' || cast(coalesce(claimed.date_day, backed.date_day) as {{ dbt.type_string() }})
            as reconciliation_id,
        coalesce(claimed.date_day, backed.date_day) as date_day,
        coalesce(claimed.platform, backed.platform) as platform,
        coalesce(claimed.campaign_id, backed.campaign_id) as campaign_id,
        claimed.campaign_name,
        '{{ var("roi__reconciliation_model") }}' as attribution_model,
        coalesce(claimed.spend, 0) as spend,
        coalesce(claimed.claimed_conversions, 0) as claimed_conversions,
        coalesce(claimed.claimed_value, 0) as claimed_value,
        coalesce(backed.attributed_conversions, 0) as attributed_conversions,
        coalesce(backed.attributed_revenue, 0) as attributed_revenue,
        case when backed.attributed_conversions > 0
            then coalesce(claimed.claimed_conversions, 0) / backed.attributed_conversions end as over_claim_ratio,
        '{{ var("roi__reporting_currency") | upper }}' as currency
    from claimed
    full outer join backed
        on claimed.date_day = backed.date_day
        and claimed.platform = backed.platform
        and claimed.campaign_id = backed.campaign_id
)

select * from final
