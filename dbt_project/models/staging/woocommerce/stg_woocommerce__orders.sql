-- WooCommerce order rows: one per order plus one per refund (status 'refunded', negative net sales).
-- A row seen in several exports is kept once (latest export).
with source as (
    select * from {{ raw_source('woocommerce_orders') }} as raw_rows
),

latest as (
    select
        *,
        row_number() over (
            partition by order_number, status, net_sales order by _export_date desc, _file_id desc
        ) as recency_rank
    from source
),

final as (
    select
        cast(order_number as {{ dbt.type_string() }}) as order_number,
        customer_sha256 as customer_name_sha256,
        lower(status) as status,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        upper(coalesce(currency, {{ source_currency('woocommerce') }})) as currency,
        cast(coalesce(net_sales, 0) as {{ dbt.type_numeric() }}) as net_sales,
        lower(status) in ('completed', 'processing', 'refunded') as is_revenue,
        nullif(upper(trim(split_part(coupons, ',', 1))), '') as discount_code,
        lower(utm_source) as utm_source,
        lower(utm_medium) as utm_medium,
        utm_campaign,
        utm_content,
        utm_term
    from latest
    where recency_rank = 1
)

select * from final
