-- Conversions up to the run date, of the types listed in roi__conversion_types:
--   purchase  orders of every sales system, valued net of refunds (zero-value orders kept)
--   deal_won  CRM deals won (Salesforce, HubSpot), valued at their amount, on their close date
--   lead      CRM deals created, valued at 0
with orders as (
    select * from {{ ref('int_orders_unioned') }}
),

deals as (
    select * from {{ ref('int_deals_unioned') }}
),

purchases as (
    select
        conversion_id,
        'purchase' as conversion_type,
        source_system,
        transaction_id,
        coalesce('email:' || customer_email_sha256, 'order:' || conversion_id) as customer_key,
        created_at as converted_at,
        currency,
        revenue,
        discount_code,
        utm_source, utm_medium, utm_campaign, utm_content, utm_term
    from orders
),

won_deals as (
    select
        deal_id || ':won' as conversion_id,
        'deal_won' as conversion_type,
        crm as source_system,
        cast(null as {{ dbt.type_string() }}) as transaction_id,
        customer_key,
        cast(closed_on as {{ dbt.type_timestamp() }}) as converted_at,
        currency,
        amount as revenue,
        cast(null as {{ dbt.type_string() }}) as discount_code,
        cast(null as {{ dbt.type_string() }}) as utm_source,
        cast(null as {{ dbt.type_string() }}) as utm_medium,
        cast(null as {{ dbt.type_string() }}) as utm_campaign,
        cast(null as {{ dbt.type_string() }}) as utm_content,
        cast(null as {{ dbt.type_string() }}) as utm_term
    from deals
    where is_won and closed_on is not null
),

leads as (
    select
        deal_id || ':lead' as conversion_id,
        'lead' as conversion_type,
        crm as source_system,
        cast(null as {{ dbt.type_string() }}) as transaction_id,
        customer_key,
        created_at as converted_at,
        currency,
        cast(0 as {{ dbt.type_numeric() }}) as revenue,
        cast(null as {{ dbt.type_string() }}) as discount_code,
        cast(null as {{ dbt.type_string() }}) as utm_source,
        cast(null as {{ dbt.type_string() }}) as utm_medium,
        cast(null as {{ dbt.type_string() }}) as utm_campaign,
        cast(null as {{ dbt.type_string() }}) as utm_content,
        cast(null as {{ dbt.type_string() }}) as utm_term
    from deals
    where created_at is not null
),

unioned as (
    select * from purchases
    union all
    select * from won_deals
    union all
    select * from leads
),

final as (
    select
        *,
        cast(converted_at as date) as conversion_date
    from unioned
    where conversion_type in ({% for t in var('roi__conversion_types') %}'{{ t }}'{% if not loop.last %}, {% endif %}{% endfor %})
        and cast(converted_at as date) <= cast('{{ var("roi__run_date") }}' as date)
)

select * from final
