-- Orders from every sales system in one shape, valued at their revenue net of refunds (cancelled: excluded).
-- `transaction_id` is the id GA4's purchase event carries for it: Shopify Id, WooCommerce Order #, Stripe
-- Client Reference ID. Order-level UTMs (Shopify Note Attributes, Woo attribution, Stripe Payment Links) are
-- kept: they are a touch even when the web visit was never tracked.
with shopify as (
    select * from {{ ref('stg_shopify__orders') }}
),

shopify_lines as (
    select * from {{ ref('stg_shopify__order_lines') }}
),

margins as (
    select * from {{ ref('product_margins') }}
),

shopify_margin_rates as (
    -- a Shopify order's margin rate: its lines' margin rates weighted by line amount
    select
        shopify_lines.order_name,
        sum(shopify_lines.quantity * shopify_lines.unit_price
            * coalesce(margins.gross_margin_rate, {{ var('roi__default_gross_margin_rate') }}))
        / nullif(sum(shopify_lines.quantity * shopify_lines.unit_price), 0) as gross_margin_rate
    from shopify_lines
    left join margins
        on shopify_lines.sku = margins.sku
    group by shopify_lines.order_name
),

woocommerce as (
    select * from {{ ref('stg_woocommerce__orders') }}
),

stripe as (
    select * from {{ ref('stg_stripe__payments') }}
),

woocommerce_orders as (
    -- an order's revenue: its net sales plus its (negative) refund rows; orders without a revenue row drop out
    select
        order_number,
        min(case when status <> 'refunded' then created_at end) as created_at,
        max(currency) as currency,
        sum(net_sales) as revenue,
        max(customer_name_sha256) as customer_name_sha256,
        max(discount_code) as discount_code,
        max(utm_source) as utm_source,
        max(utm_medium) as utm_medium,
        max(utm_campaign) as utm_campaign,
        max(utm_content) as utm_content,
        max(utm_term) as utm_term
    from woocommerce
    where is_revenue
    group by order_number
),

final as (
    select
        'shopify:' || shopify.order_name as conversion_id,
        'shopify' as source_system,
        order_id as transaction_id,
        customer_email_sha256,
        created_at,
        currency,
        order_total - refunded_amount as revenue,
        coalesce(shopify_margin_rates.gross_margin_rate, {{ var('roi__default_gross_margin_rate') }})
            as gross_margin_rate,
        discount_code,
        utm_source, utm_medium, utm_campaign, utm_content, utm_term
    from shopify
    left join shopify_margin_rates
        on shopify.order_name = shopify_margin_rates.order_name
    where not is_cancelled
    union all
    select
        'woocommerce:' || order_number,
        'woocommerce',
        order_number,
        cast(null as {{ dbt.type_string() }}),
        created_at,
        currency,
        revenue,
        {{ var('roi__default_gross_margin_rate') }},
        discount_code,
        utm_source, utm_medium, utm_campaign, utm_content, utm_term
    from woocommerce_orders
    union all
    select
        'stripe:' || payment_id,
        'stripe',
        coalesce(client_reference_id, payment_id),
        customer_email_sha256,
        created_at,
        currency,
        amount - amount_refunded,
        {{ var('roi__default_gross_margin_rate') }},
        cast(null as {{ dbt.type_string() }}),
        utm_source, utm_medium, utm_campaign, utm_content, utm_term
    from stripe
)

select * from final
