-- Week x channel, ready for a media-mix model: spend and impressions of paid channels, organic posts and
-- engagements, web sessions of social channels (session-level GA4 events, else aggregate GA4 reports: see
-- traffic_basis), attributed revenue (primary model), and the week's total revenue (the response variable).
with spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

performance as (
    select * from {{ ref('fct_post_performance') }}
),

posts as (
    select * from {{ ref('dim_posts') }}
),

attributed as (
    select * from {{ ref('fct_attributed_revenue') }}
    where attribution_model = '{{ var("roi__primary_model") }}'
),

conversions as (
    select * from {{ ref('int_conversions') }}
),

traffic as (
    select {{ dbt.date_trunc('week', 'traffic_date') }} as week_start, channel, sum(sessions) as sessions,
        case when count(distinct traffic_basis) > 1 then 'mixed' else max(traffic_basis) end as traffic_basis
    from {{ ref('int_traffic_daily') }}
    where channel <> '(not social)'
    group by {{ dbt.date_trunc('week', 'traffic_date') }}, channel
),

paid as (
    select {{ dbt.date_trunc('week', 'spend_date') }} as week_start, platform || '_paid' as channel,
        sum(spend) as spend, sum(impressions) as paid_impressions
    from spend
    group by {{ dbt.date_trunc('week', 'spend_date') }}, platform || '_paid'
),

organic_posts as (
    select {{ dbt.date_trunc('week', 'published_at') }} as week_start, platform || '_organic' as channel,
        count(*) as organic_posts
    from posts
    group by {{ dbt.date_trunc('week', 'published_at') }}, platform || '_organic'
),

organic_engagement as (
    select {{ dbt.date_trunc('week', 'date_day') }} as week_start, platform || '_organic' as channel,
        sum(impressions) as organic_impressions, sum(engagements) as organic_engagements
    from performance
    group by {{ dbt.date_trunc('week', 'date_day') }}, platform || '_organic'
),

revenue as (
    select {{ dbt.date_trunc('week', 'conversion_date') }} as week_start, channel,
        sum(attributed_revenue) as attributed_revenue
    from attributed
    group by {{ dbt.date_trunc('week', 'conversion_date') }}, channel
),

weekly_total as (
    select {{ dbt.date_trunc('week', 'conversion_date') }} as week_start, sum(revenue) as total_revenue
    from conversions
    group by {{ dbt.date_trunc('week', 'conversion_date') }}
),

keys as (
    select week_start, channel from paid
    union
    select week_start, channel from organic_posts
    union
    select week_start, channel from organic_engagement
    union
    select week_start, channel from revenue
    union
    select week_start, channel from traffic
),

final as (
    select
        keys.channel || ':' || cast(cast(keys.week_start as date) as {{ dbt.type_string() }}) as week_channel_id,
        cast(keys.week_start as date) as week_start,
        keys.channel,
        coalesce(paid.spend, 0) as spend,
        coalesce(paid.paid_impressions, 0) as paid_impressions,
        coalesce(organic_posts.organic_posts, 0) as organic_posts,
        coalesce(organic_engagement.organic_impressions, 0) as organic_impressions,
        coalesce(organic_engagement.organic_engagements, 0) as organic_engagements,
        coalesce(traffic.sessions, 0) as sessions,
        traffic.traffic_basis,
        coalesce(revenue.attributed_revenue, 0) as attributed_revenue,
        coalesce(weekly_total.total_revenue, 0) as week_total_revenue,
        '{{ var("roi__reporting_currency") | upper }}' as currency
    from keys
    left join paid on keys.week_start = paid.week_start and keys.channel = paid.channel
    left join organic_posts on keys.week_start = organic_posts.week_start and keys.channel = organic_posts.channel
    left join organic_engagement
        on keys.week_start = organic_engagement.week_start and keys.channel = organic_engagement.channel
    left join revenue on keys.week_start = revenue.week_start and keys.channel = revenue.channel
    left join traffic on keys.week_start = traffic.week_start and keys.channel = traffic.channel
    left join weekly_total on keys.week_start = weekly_total.week_start
)

select * from final
