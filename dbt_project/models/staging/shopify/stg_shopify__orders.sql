-- One row per order, from its first line in the latest export that contains it.
with source as (
    select * from {{ raw_source('shopify_orders') }}
),

order_rows as (
    select
        *,
        row_number() over (
            partition by order_name order by _export_date desc, _file_id desc
        ) as recency_rank
    from source
    where line_number = 1
),

final as (
    select
        order_name,
        order_id,
        email_sha256 as customer_email_sha256,
        phone_sha256 as customer_phone_sha256,
        lower(financial_status) as financial_status,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(cancelled_at as {{ dbt.type_timestamp() }}) as cancelled_at,
        cancelled_at is not null as is_cancelled,
        upper(currency) as currency,
        cast(subtotal as {{ dbt.type_numeric() }}) as subtotal,
        cast(coalesce(discount_amount, 0) as {{ dbt.type_numeric() }}) as discount_amount,
        cast(total as {{ dbt.type_numeric() }}) as order_total,
        cast(coalesce(refunded_amount, 0) as {{ dbt.type_numeric() }}) as refunded_amount,
        nullif(upper(trim(discount_code)), '') as discount_code,
        lower(utm_source) as utm_source,
        lower(utm_medium) as utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        _export_date as exported_on
    from order_rows
    where recency_rank = 1
)

select * from final
