-- HubSpot deals; the deal owner is the sales rep.
with source as (
    select * from {{ source_or_empty('raw', 'hubspot_deals', {
        'deal_id': 'string', 'deal_name': 'string', 'deal_stage': 'string', 'is_closed_won': 'bool',
        'amount': 'float', 'currency': 'string', 'close_date': 'date', 'created_at': 'timestamp',
        'deal_owner': 'string', 'original_source_type': 'string', 'original_source_drill_down_1': 'string',
        '_export_date': 'date', '_file_id': 'int'}) }} as raw_rows
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
        lower(deal_stage) as stage,
        coalesce(is_closed_won, false) as is_won,
        cast(coalesce(amount, 0) as {{ dbt.type_numeric() }}) as amount,
        upper(coalesce(currency, (select currency from {{ ref('source_currencies') }} where source_system = 'hubspot'))) as currency,
        cast(close_date as date) as closed_on,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        lower(original_source_type) as lead_source,
        original_source_drill_down_1 as primary_campaign_source
    from latest
    where recency_rank = 1
)

select * from final
