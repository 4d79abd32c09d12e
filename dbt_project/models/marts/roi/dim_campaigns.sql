-- Paid campaigns with the platform their clicks land from (Meta campaigns run on Facebook or Instagram).
with spend as (
    select * from {{ ref('stg_meta__ads_daily') }}
),

touches as (
    select * from {{ ref('int_touchpoints') }}
),

campaigns as (
    select
        campaign_id,
        max(campaign_name) as campaign_name,
        min(spend_date) as first_spend_date,
        max(spend_date) as last_spend_date
    from spend
    group by campaign_id
),

touch_platforms as (
    select
        campaign_id,
        platform,
        row_number() over (partition by campaign_id order by count(*) desc, platform) as platform_rank
    from touches
    where campaign_id is not null
    group by campaign_id, platform
),

final as (
    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        'meta_ads' as ad_account_source,
        coalesce(touch_platforms.platform, 'facebook') as platform,
        campaigns.first_spend_date,
        campaigns.last_spend_date
    from campaigns
    left join touch_platforms
        on campaigns.campaign_id = touch_platforms.campaign_id
        and touch_platforms.platform_rank = 1
)

select * from final
