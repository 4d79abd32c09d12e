-- Meta Ads spend per entity (campaign › ad set › ad path, by ids or names) and day, from exports of any level,
-- period and delivery breakdown: breakdown rows summed, longer periods spread over their days (is_spread), latest
-- export wins (macro paid_daily). Results mix event types: they are summed per entity and day only as the file
-- reports them, to reconcile with the file's totals; purchases are Meta's claim.
with source as (
    select * from {{ raw_source('meta_ads') }} as raw_rows
),

paid_rows as (
    select
        _file_id,
        _export_date,
        coalesce(entity_key, ad_id, ad_name, ad_set_id, ad_set_name, campaign_id, campaign_name) as entity_key,
        coalesce(period_start, day, reporting_starts) as period_start,
        coalesce(period_end, day, reporting_ends, reporting_starts) as period_end,
        campaign_id,
        campaign_name,
        ad_id,
        ad_name,
        currency,
        amount_spent as spend,
        impressions,
        link_clicks,
        purchases,
        purchases_value as purchase_value,
        results
    from source
),

{{ paid_daily('paid_rows') }}

select * from paid_final
