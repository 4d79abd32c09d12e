-- Paid social spend of every ads export, per platform, entity (campaign › ad set › ad path) and day. Meta
-- campaigns run on Facebook and Instagram: a Meta campaign's platform is the one most of its clicks land from
-- (Facebook when unknown). An export without ids keys its campaigns by name (campaign_id = the campaign's name).
-- is_spread marks days that carry a share of a longer reporting period (see macro paid_daily).
with meta as (
    select * from {{ ref('stg_meta__ads_daily') }}
),

linkedin as (
    select * from {{ ref('stg_linkedin__ads_daily') }}
),

tiktok as (
    select * from {{ ref('stg_tiktok__ads_daily') }}
),

sessions as (
    select * from {{ ref('int_sessions') }}
),

meta_click_platforms as (
    select
        utm_campaign as campaign_id,
        {{ platform_of('channel') }} as platform,
        row_number() over (partition by utm_campaign order by count(*) desc, {{ platform_of('channel') }}) as rank_in_campaign
    from sessions
    where channel in ('facebook_paid', 'instagram_paid')
    group by utm_campaign, {{ platform_of('channel') }}
),

meta_with_platform as (
    select
        meta.spend_date,
        coalesce(meta_click_platforms.platform, 'facebook') as platform,
        'meta_ads' as ad_source,
        meta.entity_key,
        coalesce(meta.campaign_id, meta.campaign_name) as campaign_id,
        meta.campaign_name,
        meta.ad_id,
        meta.ad_name,
        meta.currency,
        meta.spend,
        meta.impressions,
        meta.link_clicks,
        meta.claimed_purchases,
        meta.claimed_purchase_value,
        meta.results,
        meta.is_spread
    from meta
    left join meta_click_platforms
        on coalesce(meta.campaign_id, meta.campaign_name) = meta_click_platforms.campaign_id
        and meta_click_platforms.rank_in_campaign = 1
),

unioned as (
    select * from meta_with_platform
    union all
    select
        spend_date, platform, 'linkedin_campaign_manager' as ad_source, entity_key,
        coalesce(campaign_id, campaign_name) as campaign_id, campaign_name, ad_id, ad_name,
        currency, spend, impressions, link_clicks, claimed_purchases, claimed_purchase_value, results, is_spread
    from linkedin
    union all
    select
        spend_date, platform, 'tiktok_ads' as ad_source, entity_key,
        coalesce(campaign_id, campaign_name) as campaign_id, campaign_name, ad_id, ad_name,
        currency, spend, impressions, link_clicks, claimed_purchases, claimed_purchase_value, results, is_spread
    from tiktok
),

final as (
    select
        unioned.spend_date,
        unioned.platform,
        unioned.ad_source,
        unioned.entity_key,
        unioned.campaign_id,
        unioned.campaign_name,
        unioned.ad_id,
        unioned.ad_name,
        unioned.currency as original_currency,
        unioned.spend as original_spend,
        '{{ var("roi__reporting_currency") | upper }}' as currency,
        unioned.spend * fx.rate as spend,
        unioned.impressions,
        unioned.link_clicks,
        unioned.claimed_purchases,
        unioned.claimed_purchase_value * fx.rate as claimed_purchase_value,
        unioned.results,
        unioned.is_spread
    from unioned
    {{ fx_join('unioned.currency', 'unioned.spend_date') }}
    where unioned.spend_date <= cast('{{ var("roi__run_date") }}' as date)
)

select * from final
