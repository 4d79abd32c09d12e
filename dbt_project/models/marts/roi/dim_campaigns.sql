-- Paid campaigns of every ads export, with their platform and the ads account they run in.
with spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

final as (
    select
        campaign_id,
        max(campaign_name) as campaign_name,
        max(ad_source) as ad_source,
        max(platform) as platform,
        min(spend_date) as first_spend_date,
        max(spend_date) as last_spend_date,
        sum(spend) as lifetime_spend,
        max(currency) as currency
    from spend
    group by campaign_id
)

select * from final
