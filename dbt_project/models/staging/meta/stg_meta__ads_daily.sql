-- Meta Ads spend per ad and day. Results are not summed (they mix event types); purchases are Meta's claim.
with source as (
    select * from {{ raw_source('meta_ads') }} as raw_rows
),

latest as (
    select
        *,
        row_number() over (
            partition by coalesce(ad_id, ad_name), coalesce(day, reporting_starts)
            order by _export_date desc, _file_id desc
        ) as recency_rank
    from source
),

final as (
    select
        cast(coalesce(day, reporting_starts) as date) as spend_date,
        campaign_id,
        campaign_name,
        ad_set_id,
        ad_set_name,
        ad_id,
        ad_name,
        upper(currency) as currency,
        cast(coalesce(amount_spent, 0) as {{ dbt.type_numeric() }}) as spend,
        coalesce(impressions, 0) as impressions,
        coalesce(link_clicks, 0) as link_clicks,
        coalesce(purchases, 0) as claimed_purchases,
        cast(coalesce(purchases_value, 0) as {{ dbt.type_numeric() }}) as claimed_purchase_value
    from latest
    where recency_rank = 1
)

select * from final
