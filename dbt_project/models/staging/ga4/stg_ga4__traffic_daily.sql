-- Daily aggregate web traffic from GA4 web-interface reports (Traffic / User acquisition by date and source /
-- medium / campaign). Reports overlap (a 28-day report downloaded every week): per date and scope, the rows of the
-- latest export are kept, so a day is never counted twice.
with source as (
    select * from {{ raw_source('ga4_traffic') }} as raw_rows
),

ranked as (
    select
        *,
        dense_rank() over (
            partition by date, scope order by _export_date desc, _file_id desc
        ) as recency_rank
    from source
    where date is not null
),

final as (
    select
        cast(date as date) as traffic_date,
        scope,
        lower(source) as utm_source,
        lower(medium) as utm_medium,
        campaign as utm_campaign,
        channel_group,
        sum(coalesce(sessions, 0)) as sessions,
        sum(coalesce(engaged_sessions, 0)) as engaged_sessions,
        sum(coalesce(users, 0)) as users,
        sum(coalesce(new_users, 0)) as new_users,
        sum(coalesce(key_events, 0)) as key_events,
        cast(sum(coalesce(revenue, 0)) as {{ dbt.type_numeric() }}) as revenue
    from ranked
    where recency_rank = 1
    group by all
)

select * from final
