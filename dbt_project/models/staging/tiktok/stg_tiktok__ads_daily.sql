-- TikTok Ads spend per entity (campaign › ad group › ad path, by ids or names) and day, from reports of any level,
-- period and breakdown: breakdown rows summed, longer periods spread over their days (is_spread), latest export
-- wins (macro paid_daily).
with source as (
    select * from {{ raw_source('tiktok_ads') }} as raw_rows
),

paid_rows as (
    select
        _file_id,
        _export_date,
        coalesce(entity_key, campaign_id) as entity_key,
        coalesce(period_start, date) as period_start,
        coalesce(period_end, date_end, date) as period_end,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        campaign_name,
        cast(ad_id as {{ dbt.type_string() }}) as ad_id,
        ad_name,
        currency,
        amount_spent as spend,
        impressions,
        clicks as link_clicks,
        purchases,
        purchases_value as purchase_value,
        cast(null as {{ type_double() }}) as results
    from source
),

{{ paid_daily('paid_rows') }}

select *, 'tiktok' as platform from paid_final
