-- Post x day: what each organic post did that day (differences between consecutive lifetime snapshots; the
-- first snapshot counts whole) and what it earned that day under the primary model. Reach is not additive
-- across days: reach_delta is the growth of lifetime reach.
with snapshots as (
    select * from {{ ref('stg_organic__post_snapshots') }}
    where snapshot_date <= cast('{{ var("roi__run_date") }}' as date)
),

posts as (
    select * from {{ ref('dim_posts') }}
),

attributed as (
    select * from {{ ref('fct_attributed_revenue') }}
    where attribution_model = '{{ var("roi__primary_model") }}'
        and post_id is not null
),

{% set metrics = ['impressions', 'reach', 'likes', 'comments', 'shares', 'saves', 'clicks', 'video_views'] %}
deltas as (
    select
        platform,
        post_id,
        snapshot_date as date_day,
        {%- for metric in metrics %}
        {{ metric }} - coalesce(
            lag({{ metric }}) over (partition by platform, post_id order by snapshot_date), 0
        ) as {{ metric }}{% if metric == 'reach' %}_delta{% endif %},
        {%- endfor %}
        impressions as lifetime_impressions
    from snapshots
),

daily_revenue as (
    select
        platform,
        post_id,
        conversion_date as date_day,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_gross_margin) as attributed_gross_margin
    from attributed
    group by platform, post_id, conversion_date
),

final as (
    select
        deltas.platform || ':' || deltas.post_id || ':' || cast(deltas.date_day as {{ dbt.type_string() }})
            as post_day_id,
        posts.post_key,
        deltas.platform,
        deltas.post_id,
        deltas.date_day,
        deltas.impressions,
        deltas.reach_delta,
        deltas.likes,
        deltas.comments,
        deltas.shares,
        deltas.saves,
        deltas.clicks,
        deltas.video_views,
        coalesce(deltas.likes, 0) + coalesce(deltas.comments, 0) + coalesce(deltas.shares, 0)
            + coalesce(deltas.saves, 0) as engagements,
        case when deltas.impressions > 0 then
            (coalesce(deltas.likes, 0) + coalesce(deltas.comments, 0) + coalesce(deltas.shares, 0)
                + coalesce(deltas.saves, 0)) * 1.0 / deltas.impressions
        end as engagement_rate,
        coalesce(daily_revenue.attributed_conversions, 0) as attributed_conversions,
        coalesce(daily_revenue.attributed_revenue, 0) as attributed_revenue,
        coalesce(daily_revenue.attributed_gross_margin, 0) as attributed_gross_margin,
        case when cast(posts.published_at as date) = deltas.date_day then posts.content_cost else 0 end
            as content_cost,
        posts.roi as lifetime_roi,
        '{{ var("roi__reporting_currency") | upper }}' as currency
    from deltas
    inner join posts
        on deltas.platform = posts.platform
        and deltas.post_id = posts.post_id
    left join daily_revenue
        on deltas.platform = daily_revenue.platform
        and deltas.post_id = daily_revenue.post_id
        and deltas.date_day = daily_revenue.date_day
)

select * from final
