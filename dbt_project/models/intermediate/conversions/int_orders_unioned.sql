-- Orders from every sales system in one shape, valued at their revenue net of refunds (cancelled: excluded).
-- `transaction_id` is the id GA4's purchase event carries for it: Shopify Id, WooCommerce Order #, Stripe
-- Client Reference ID. Order-level UTMs (Shopify Note Attributes, Woo attribution, Stripe Payment Links) are
-- kept: they are a touch even when the web visit was never tracked.
with shopify as (
    select * from {{ ref('stg_shopify__orders') }}
),

woocommerce as (
    select * from {{ ref('stg_woocommerce__orders') }}
),

stripe as (
    select * from {{ ref('stg_stripe__payments') }}
),

final as (
    select
        'shopify:' || order_name as conversion_id,
        'shopify' as source_system,
        order_id as transaction_id,
        customer_email_sha256,
        created_at,
        currency,
        order_total - refunded_amount as revenue,
        discount_code,
        utm_source, utm_medium, utm_campaign, utm_content, utm_term
    from shopify
    where not is_cancelled
    union all
    select
        'woocommerce:' || order_number,
        'woocommerce',
        order_number,
        cast(null as {{ dbt.type_string() }}),
        created_at,
        currency,
        net_sales,
        discount_code,
        utm_source, utm_medium, utm_campaign, utm_content, utm_term
    from woocommerce
    where not is_cancelled
    union all
    select
        'stripe:' || payment_id,
        'stripe',
        coalesce(client_reference_id, payment_id),
        customer_email_sha256,
        created_at,
        currency,
        amount - amount_refunded,
        cast(null as {{ dbt.type_string() }}),
        utm_source, utm_medium, utm_campaign, utm_content, utm_term
    from stripe
)

select * from final
