-- CRM deals of Salesforce and HubSpot in one shape. A HubSpot deal with an associated contact e-mail belongs to
-- that customer ('email:<sha256>', the key orders and visitors stitch on); any other deal's customer is the deal
-- itself ('deal:<id>'), and its journey is the sales rep who owns it.
-- Amounts are converted to the reporting currency at the close date (or today's run date while open).
with salesforce as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

hubspot as (
    select * from {{ ref('stg_hubspot__deals') }}
),

unioned as (
    select
        deal_id, crm, sales_rep, stage, is_won, amount, currency, closed_on,
        cast(null as {{ dbt.type_timestamp() }}) as created_at,
        cast(null as {{ dbt.type_string() }}) as contact_email_sha256
    from salesforce
    union all
    select deal_id, crm, sales_rep, stage, is_won, amount, currency, closed_on, created_at, contact_email_sha256
    from hubspot
),

final as (
    select
        unioned.deal_id,
        unioned.crm,
        unioned.sales_rep,
        unioned.stage,
        unioned.is_won,
        unioned.currency as original_currency,
        unioned.amount as original_amount,
        '{{ var("roi__reporting_currency") | upper }}' as currency,
        unioned.amount * fx.rate as amount,
        unioned.closed_on,
        unioned.created_at,
        coalesce('email:' || unioned.contact_email_sha256, 'deal:' || unioned.deal_id) as customer_key
    from unioned
    {{ fx_join('unioned.currency', "coalesce(unioned.closed_on, cast('" ~ var('roi__run_date') ~ "' as date))") }}
)

select * from final
