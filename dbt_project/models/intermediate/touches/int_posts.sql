-- Organic posts (grain: platform x post_id) with their first and latest snapshot and lifetime metrics.
with snapshots as (
    select * from {{ ref('stg_organic__post_snapshots') }}
    where snapshot_date <= cast('{{ var("roi__run_date") }}' as date)
),

ranked as (
    select
        *,
        row_number() over (partition by platform, post_id order by snapshot_date desc) as latest_rank,
        min(snapshot_date) over (partition by platform, post_id) as first_snapshot_date
    from snapshots
),

final as (
    select
        platform,
        post_id,
        published_at,
        posted_by,
        first_snapshot_date,
        snapshot_date as latest_snapshot_date,
        impressions as lifetime_impressions,
        reach as lifetime_reach,
        coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0)
            as lifetime_engagements,
        clicks as lifetime_clicks,
        video_views as lifetime_video_views
    from ranked
    where latest_rank = 1
)

select * from final
