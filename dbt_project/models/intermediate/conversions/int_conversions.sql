-- Conversions up to the run date, of the types listed in roi__conversion_types, with revenue and gross margin
-- converted into roi__reporting_currency at the rate of the conversion day (original amounts kept):
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
        gross_margin_rate,
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
        original_currency as currency,
        original_amount as revenue,
        {{ var('roi__default_gross_margin_rate') }} as gross_margin_rate,
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
        original_currency as currency,
        cast(0 as {{ dbt.type_numeric() }}) as revenue,
        {{ var('roi__default_gross_margin_rate') }} as gross_margin_rate,
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
        unioned.conversion_id,
        unioned.conversion_type,
        unioned.source_system,
        unioned.transaction_id,
        unioned.customer_key,
        unioned.converted_at,
        cast(unioned.converted_at as date) as conversion_date,
        unioned.currency as original_currency,
        unioned.revenue as original_revenue,
        '{{ var("roi__reporting_currency") | upper }}' as currency,
        unioned.revenue * fx.rate as revenue,
        unioned.revenue * fx.rate * unioned.gross_margin_rate as gross_margin,
        unioned.gross_margin_rate,
        unioned.discount_code,
        unioned.utm_source,
        unioned.utm_medium,
        unioned.utm_campaign,
        unioned.utm_content,
        unioned.utm_term
    from unioned
    {{ fx_join('unioned.currency', 'unioned.converted_at') }}
    where unioned.conversion_type in ({% for t in var('roi__conversion_types') %}'{{ t }}'{% if not loop.last %}, {% endif %}{% endfor %})
        and cast(unioned.converted_at as date) <= cast('{{ var("roi__run_date") }}' as date)
)

select * from final
