-- Stripe payments that are revenue: Status Paid and Captured, net of Amount Refunded. Failed attempts stay out.
with source as (
    select * from {{ raw_source('stripe_payments') }} as raw_rows
),

latest as (
    select
        *,
        row_number() over (partition by payment_id order by _export_date desc, _file_id desc) as recency_rank
    from source
),

final as (
    select
        payment_id,
        client_reference_id,
        customer_id,
        customer_email_sha256,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        upper(currency) as currency,
        cast(coalesce(amount, 0) as {{ dbt.type_numeric() }}) as amount,
        cast(coalesce(amount_refunded, 0) as {{ dbt.type_numeric() }}) as amount_refunded,
        lower(utm_source) as utm_source,
        lower(utm_medium) as utm_medium,
        utm_campaign,
        utm_content,
        utm_term
    from latest
    where recency_rank = 1
        and lower(status) in ('paid', 'succeeded')
        and coalesce(captured, true)
)

select * from final
