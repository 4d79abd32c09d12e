-- What the run could and could not use, one row per check, each with the numbers and what to do about them:
-- coupon codes no row of seeds/coupon_codes.csv maps, UTM source / medium pairs no channel rule recognises,
-- purchases without an identity key (no e-mail: they cannot join a visitor), the share of revenue with a social
-- touch, and the sources present (with their last export day) or missing. Printed by every run.
{%- set known_sources = ['shopify_orders', 'woocommerce_orders', 'stripe_payments', 'ga4_events', 'meta_ads',
    'linkedin_ads', 'tiktok_ads', 'instagram_posts', 'facebook_posts', 'linkedin_page', 'x_tweets',
    'tiktok_content', 'youtube_studio', 'hubspot_deals', 'salesforce_opportunities'] %}
with purchases as (
    select * from {{ ref('int_conversions') }} where conversion_type = 'purchase'
),

coupons as (
    select upper(trim(coupon_code)) as coupon_code from {{ ref('coupon_codes') }}
),

sessions as (
    select * from {{ ref('int_sessions') }}
),

attributed as (
    select * from {{ ref('fct_attributed_revenue') }} where attribution_model = 'linear'
),

sources as (
    select * from {{ ref('fct_source_freshness') }}
),

unknown_coupons as (
    select upper(trim(discount_code)) as code, count(*) as orders
    from purchases
    where nullif(trim(discount_code), '') is not null
        and upper(trim(discount_code)) not in (select coupon_code from coupons)
    group by 1
),

utm_pairs as (
    select lower(utm_source) as utm_source, lower(coalesce(utm_medium, '(none)')) as utm_medium, count(*) as n
    from (
        select utm_source, utm_medium, channel from sessions
        union all
        select
            utm_source, utm_medium,
            {{ channel_of('utm_source', 'utm_medium', 'null', 'null', 'null', 'null') }} as channel
        from purchases
    ) as visits
    where nullif(utm_source, '') is not null and channel is null
    group by 1, 2
),

known as (
    select unnest({{ known_sources }}) as source
),

checks as (
    select
        1 as check_order,
        'unknown_coupon_codes' as check_name,
        cast(count(*) as double) as value,
        coalesce(string_agg(code || ' (' || orders || ' orders)', ', ' order by orders desc, code), 'none') as detail,
        'add each code with its channel to dbt_project/seeds/coupon_codes.csv' as action
    from unknown_coupons
    union all
    select
        2,
        'unmapped_utm_pairs',
        cast(count(*) as double),
        coalesce(string_agg(utm_source || ' / ' || utm_medium || ' (' || n || ')', ', ' order by n desc, utm_source),
                 'none'),
        'a social source: use a UTM source the channel rules know (macros/channels/channel_of.sql) or override '
            || 'default__channel_of; visits that are not social need nothing'
    from utm_pairs
    union all
    select
        3,
        'orders_without_identity_key',
        cast(count(*) filter (where customer_key like 'order:%') as double),
        count(*) filter (where customer_key like 'order:%') || ' of ' || count(*) || ' purchases have no e-mail',
        'export orders with the customer e-mail column: without it an order cannot join its visits'
    from purchases
    union all
    select
        4,
        'revenue_share_with_social_touch',
        coalesce(sum(attributed_revenue) filter (where channel <> '(no social touch)')
                 / nullif(sum(attributed_revenue), 0), 0),
        'linear model: ' || cast(round(coalesce(sum(attributed_revenue) filter (where channel <> '(no social touch)'),
                                             0), 2) as varchar)
            || ' of ' || cast(round(coalesce(sum(attributed_revenue), 0), 2) as varchar) || ' ' || coalesce(max(currency), ''),
        'a low share with GA4 missing, or many unknown coupons / unmapped UTMs above, means journeys are incomplete'
    from attributed
    union all
    select
        5,
        'sources_present',
        cast(count(*) as double),
        coalesce(string_agg(source || ' (last export ' || cast(last_export_date as varchar)
                            || case when is_overdue then ', overdue' else '' end || ')', ', ' order by source), 'none'),
        case when bool_or(is_overdue) then 'overdue sources: drop their latest export in the inbox' else '' end
    from sources
    union all
    select
        6,
        'sources_missing',
        cast(count(*) as double),
        coalesce(string_agg(known.source, ', ' order by known.source), 'none'),
        'optional: each missing source only narrows what the marts can see'
    from known
    where known.source not in (select source from sources)
)

select
    check_name,
    value,
    detail,
    action,
    cast('{{ var("roi__run_date") }}' as date) as run_date
from checks
order by check_order
