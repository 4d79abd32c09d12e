-- LinkedIn Campaign Manager spend per entity (campaign group › campaign › ad path, by ids or names) and day, from
-- exports with a daily, monthly or no time breakdown and any demographic breakdown: breakdown rows summed,
-- longer periods spread over their days (is_spread), latest export wins (macro paid_daily). Conversions are
-- LinkedIn's claim; the export carries no conversion value.
with source as (
    select * from {{ raw_source('linkedin_ads') }} as raw_rows
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
        conversions as purchases,
        cast(0 as {{ type_double() }}) as purchase_value,
        cast(null as {{ type_double() }}) as results
    from source
),

{{ paid_daily('paid_rows') }}

select *, 'linkedin' as platform from paid_final
