-- HubSpot deals; the deal owner is the sales rep, the associated contact's hashed e-mail stitches the deal to visitors.
with source as (
    select * from {{ raw_source('hubspot_deals') }} as raw_rows
),

latest as (
    select
        *,
        row_number() over (partition by deal_id order by _export_date desc, _file_id desc) as recency_rank
    from source
),

final as (
    select
        'hubspot:' || cast(deal_id as {{ dbt.type_string() }}) as deal_id,
        'hubspot' as crm,
        deal_owner as sales_rep,
        contact_email_sha256,
        lower(deal_stage) as stage,
        coalesce(is_closed_won, false) as is_won,
        cast(coalesce(amount, 0) as {{ dbt.type_numeric() }}) as amount,
        upper(coalesce(currency, {{ source_currency('hubspot') }})) as currency,
        cast(close_date as date) as closed_on,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        lower(original_source_type) as lead_source,
        original_source_drill_down_1 as primary_campaign_source
    from latest
    where recency_rank = 1
)

select * from final
