-- Conversions: Shopify orders that were not cancelled, valued at their total net of refunds.
with orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

final as (
    select
        order_name as conversion_id,
        order_id,
        'purchase' as conversion_type,
        coalesce('email:' || customer_email_sha256, 'order:' || order_name) as customer_key,
        created_at as converted_at,
        cast(created_at as date) as conversion_date,
        currency,
        order_total - refunded_amount as revenue,
        discount_code
    from orders
    where not is_cancelled
        and cast(created_at as date) <= cast('{{ var("roi__run_date") }}' as date)
)

select * from final
