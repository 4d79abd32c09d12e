-- CRM deals of Salesforce and HubSpot in one shape. A deal's customer is the deal itself ('deal:<id>'): CRM
-- exports carry no contact key that the web side shares, so its journey is the sales rep who owns it.
with salesforce as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

hubspot as (
    select * from {{ ref('stg_hubspot__deals') }}
),

final as (
    select
        deal_id, crm, sales_rep, stage, is_won, amount, currency, closed_on,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        'deal:' || deal_id as customer_key
    from salesforce
    union all
    select
        deal_id, crm, sales_rep, stage, is_won, amount, currency, closed_on, created_at,
        'deal:' || deal_id as customer_key
    from hubspot
)

select * from final
