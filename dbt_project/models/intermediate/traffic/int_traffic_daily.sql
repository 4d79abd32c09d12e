-- Web sessions per channel and day, and the data they come from (traffic_basis):
--   'session_level'    GA4 events (BigQuery export): sessions counted one by one (int_sessions); the same data
--                      gives the conversion paths, so path attribution runs on it;
--   'aggregate_report' GA4 web-interface reports (stg_ga4__traffic_daily, session-scoped rows): daily totals per
--                      source / medium / campaign, used for the days session-level data does not cover. They say how
--                      much traffic each channel brought, not who: no path attribution can run on them.
-- channel follows the one channel definition (macro channel_of); traffic that is not social is '(not social)'.
with session_level as (
    select
        cast(session_started_at as date) as traffic_date,
        coalesce(channel, '(not social)') as channel,
        count(*) as sessions
    from {{ ref('int_sessions') }}
    group by cast(session_started_at as date), coalesce(channel, '(not social)')
),

reports as (
    select * from {{ ref('stg_ga4__traffic_daily') }}
    where scope in ('session', 'report')
        and traffic_date <= cast('{{ var("roi__run_date") }}' as date)
),

aggregate_level as (
    select
        traffic_date,
        coalesce({{ channel_of('utm_source', 'utm_medium', 'null', 'null', 'null', 'null') }}, '(not social)')
            as channel,
        sum(sessions) as sessions
    from reports
    group by all
),

session_days as (
    select distinct traffic_date from session_level
),

final as (
    select traffic_date, channel, sessions, 'session_level' as traffic_basis
    from session_level
    union all
    select aggregate_level.traffic_date, aggregate_level.channel, aggregate_level.sessions,
        'aggregate_report' as traffic_basis
    from aggregate_level
    where aggregate_level.traffic_date not in (select traffic_date from session_days)
)

select * from final
