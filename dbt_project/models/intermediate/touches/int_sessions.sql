-- One row per web session, with the UTMs and click ids of its first event and the channel they mean.
with events as (
    select * from {{ ref('stg_ga4__events') }}
    where cast(event_at as date) <= cast('{{ var("roi__run_date") }}' as date)
),

ranked as (
    select
        *,
        row_number() over (partition by session_key order by event_at, event_name desc) as event_rank
    from events
),

first_events as (
    select * from ranked where event_rank = 1
),

final as (
    select
        session_key,
        user_pseudo_id,
        event_at as session_started_at,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        fbclid,
        li_fat_id,
        twclid,
        ttclid,
        {{ channel_of('utm_source', 'utm_medium', 'fbclid', 'li_fat_id', 'twclid', 'ttclid') }} as channel
    from first_events
)

select * from final
