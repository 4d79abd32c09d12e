-- GA4 events; a session is identified by the browser (user_pseudo_id) and ga_session_id together. UTMs come from
-- the landing URL, else what the event collected (collected_traffic_source), else the session's last-click source
-- (session_traffic_source_last_click) when the export has it.
with source as (
    select * from {{ source_or_empty('raw', 'ga4_events', {
        'user_pseudo_id': 'string', 'user_id_sha256': 'string', 'ga_session_id': 'string', 'event_name': 'string',
        'event_timestamp': 'timestamp', 'page_location': 'string', 'transaction_id': 'string',
        'utm_source': 'string', 'utm_medium': 'string', 'utm_campaign': 'string', 'utm_content': 'string',
        'utm_term': 'string', 'manual_source': 'string', 'manual_medium': 'string', 'manual_campaign_name': 'string',
        'manual_content': 'string', 'manual_term': 'string', 'session_source': 'string', 'session_medium': 'string',
        'session_campaign_name': 'string', 'session_content': 'string', 'session_term': 'string',
        'fbclid': 'string', 'gclid': 'string', 'gbraid': 'string', 'wbraid': 'string', 'li_fat_id': 'string',
        'ttclid': 'string', 'twclid': 'string', '_export_date': 'date'}) }} as raw_rows
),

final as (
    select
        user_pseudo_id || '.' || ga_session_id as session_key,
        user_pseudo_id,
        user_id_sha256,
        ga_session_id,
        event_name,
        cast(event_timestamp as {{ dbt.type_timestamp() }}) as event_at,
        page_location,
        nullif(transaction_id, '') as transaction_id,
        lower(coalesce(utm_source, manual_source, session_source)) as utm_source,
        lower(coalesce(utm_medium, manual_medium, session_medium)) as utm_medium,
        coalesce(utm_campaign, manual_campaign_name, session_campaign_name) as utm_campaign,
        coalesce(utm_content, manual_content, session_content) as utm_content,
        coalesce(utm_term, manual_term, session_term) as utm_term,
        fbclid,
        coalesce(gclid, gbraid, wbraid) as gclid,
        li_fat_id,
        ttclid,
        twclid,
        _export_date as exported_on
    from source
)

select * from final
