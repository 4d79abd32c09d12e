-- Every social touch of a customer: a session from a social channel, or an order using a social coupon code.
with sessions as (
    select * from {{ ref('int_sessions') }}
),

stitched as (
    select * from {{ ref('int_customers_stitched') }}
),

conversions as (
    select * from {{ ref('int_conversions') }}
),

coupons as (
    select * from {{ ref('coupon_codes') }}
),

social_clicks as (
    select
        'click:' || sessions.session_key as touch_id,
        stitched.customer_key,
        sessions.session_started_at as touched_at,
        'social_click' as touch_type,
        sessions.channel,
        {{ platform_of('sessions.channel') }} as platform,
        case when sessions.channel like '%_paid' then sessions.utm_campaign end as campaign_id,
        case when sessions.channel like '%_organic' then sessions.utm_content end as post_id,
        case when sessions.channel like '%_influencer' then sessions.utm_campaign end as influencer,
        case when sessions.utm_term like 'rep_%' then sessions.utm_term end as sales_rep
    from sessions
    inner join stitched
        on sessions.user_pseudo_id = stitched.user_pseudo_id
    where sessions.channel is not null
),

coupon_uses as (
    select
        'coupon:' || conversions.conversion_id as touch_id,
        conversions.customer_key,
        conversions.converted_at as touched_at,
        'coupon' as touch_type,
        coupons.channel,
        coupons.platform,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as post_id,
        nullif(coupons.influencer, '') as influencer,
        nullif(coupons.sales_rep, '') as sales_rep
    from conversions
    inner join coupons
        on conversions.discount_code = upper(coupons.coupon_code)
),

final as (
    select * from social_clicks
    union all
    select * from coupon_uses
)

select * from final
