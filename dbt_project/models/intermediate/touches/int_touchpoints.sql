-- Every social touch of a customer, by type:
--   social_click  a web session whose UTMs / click id say a social channel (channel_of)
--   order_utm     an order carrying social UTMs itself (Shopify Note Attributes, WooCommerce attribution,
--                 Stripe Payment Link) whose purchase GA4 never saw: the click happened, untracked
--   coupon        an order using a coupon code mapped to a channel, influencer or sales rep (seed coupon_codes)
--   sales_rep     a CRM deal's owner: the rep's social selling, dated at the deal's creation (HubSpot
--                 `Create Date`); a Salesforce export has no creation date, so its deals are dated at their
--                 `Close Date` once closed (stage 'Closed Won' / 'Closed Lost') and carry no touch while open:
--                 an open deal's close date is a forecast, not something that happened
-- No touch is dated after the run day (roi__run_date): exports can carry dates in the future.
-- Meta's numeric campaign ids in UTMs are resolved to names downstream (dim_campaigns).
with sessions as (
    select * from {{ ref('int_sessions') }}
),

stitched as (
    select * from {{ ref('int_customers_stitched') }}
),

conversions as (
    select * from {{ ref('int_conversions') }}
),

orders as (
    select * from {{ ref('int_orders_unioned') }}
),

tracked_purchases as (
    select distinct transaction_id from {{ ref('stg_ga4__events') }} where transaction_id is not null
),

deals as (
    select * from {{ ref('int_deals_unioned') }}
),

coupons as (
    select * from {{ ref('coupon_codes') }}
),

reps as (
    select * from {{ ref('sales_reps') }}
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
        reps.sales_rep
    from sessions
    inner join stitched
        on sessions.user_pseudo_id = stitched.user_pseudo_id
    left join reps
        on sessions.utm_term = reps.link_tag
    where sessions.channel is not null
),

order_utms as (
    select
        'order_utm:' || orders.conversion_id as touch_id,
        coalesce('email:' || orders.customer_email_sha256, 'order:' || orders.conversion_id) as customer_key,
        orders.created_at as touched_at,
        'order_utm' as touch_type,
        {{ channel_of('orders.utm_source', 'orders.utm_medium', 'null', 'null', 'null', 'null') }} as channel,
        orders.utm_source,
        orders.utm_medium,
        orders.utm_campaign,
        orders.utm_content,
        orders.utm_term
    from orders
    left join tracked_purchases
        on orders.transaction_id = tracked_purchases.transaction_id
    where tracked_purchases.transaction_id is null
),

order_utm_touches as (
    select
        order_utms.touch_id,
        order_utms.customer_key,
        order_utms.touched_at,
        order_utms.touch_type,
        order_utms.channel,
        {{ platform_of('order_utms.channel') }} as platform,
        case when order_utms.channel like '%_paid' then order_utms.utm_campaign end as campaign_id,
        case when order_utms.channel like '%_organic' then order_utms.utm_content end as post_id,
        case when order_utms.channel like '%_influencer' then order_utms.utm_campaign end as influencer,
        reps.sales_rep
    from order_utms
    left join reps
        on order_utms.utm_term = reps.link_tag
    where order_utms.channel is not null
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

deal_touch_times as (
    select
        *,
        coalesce(
            created_at,
            case
                when replace(stage, ' ', '') in ('closedwon', 'closedlost', 'won', 'lost')
                    then cast(closed_on as {{ dbt.type_timestamp() }})
            end
        ) as touched_at
    from deals
),

rep_interactions as (
    select
        'rep:' || deal_id as touch_id,
        customer_key,
        touched_at,
        'sales_rep' as touch_type,
        'linkedin_social_selling' as channel,
        'linkedin' as platform,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as post_id,
        cast(null as {{ dbt.type_string() }}) as influencer,
        sales_rep
    from deal_touch_times
    where sales_rep is not null
        and touched_at is not null
),

final as (
    select * from social_clicks
    union all
    select * from order_utm_touches
    union all
    select * from coupon_uses
    union all
    select * from rep_interactions
)

select * from final
where touched_at < {{ dbt.dateadd('day', 1, "cast('" ~ var('roi__run_date') ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
