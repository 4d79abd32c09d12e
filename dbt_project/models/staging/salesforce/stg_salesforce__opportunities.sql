-- Salesforce opportunities; the owner is the sales rep. Won = a stage named like 'Closed Won'.
with source as (
    select * from {{ raw_source('salesforce_opportunities') }} as raw_rows
),

latest as (
    select
        *,
        row_number() over (
            partition by account_name, opportunity_name order by _export_date desc, _file_id desc
        ) as recency_rank
    from source
),

final as (
    select
        'salesforce:' || account_name || ':' || opportunity_name as deal_id,
        'salesforce' as crm,
        opportunity_owner as sales_rep,
        lower(stage) as stage,
        replace(lower(stage), ' ', '') in ('closedwon', 'won') as is_won,
        cast(coalesce(amount, 0) as {{ dbt.type_numeric() }}) as amount,
        upper(coalesce(currency, {{ source_currency('salesforce') }})) as currency,
        cast(close_date as date) as closed_on,
        lower(lead_source) as lead_source,
        primary_campaign_source
    from latest
    where recency_rank = 1
)

select * from final
