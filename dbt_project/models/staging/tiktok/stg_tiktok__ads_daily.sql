-- TikTok Ads spend per campaign and day, latest export wins.
with source as (
    select * from {{ raw_source('tiktok_ads') }} as raw_rows
),

latest as (
    select
        *,
        row_number() over (partition by campaign_id, date order by _export_date desc, _file_id desc) as recency_rank
    from source
),

final as (
    select
        cast(date as date) as spend_date,
        'tiktok' as platform,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        campaign_name,
        upper(currency) as currency,
        cast(coalesce(amount_spent, 0) as {{ dbt.type_numeric() }}) as spend,
        coalesce(impressions, 0) as impressions,
        coalesce(clicks, 0) as link_clicks,
        coalesce(purchases, 0) as claimed_purchases,
        cast(coalesce(purchases_value, 0) as {{ dbt.type_numeric() }}) as claimed_purchase_value
    from latest
    where recency_rank = 1
)

select * from final
