-- Which customer each browser belongs to. A browser that bought is tied to the hashed email of its order
-- (GA4 transaction_id = Shopify order Id); a browser seen logged in carries the hashed user id. Precedence:
-- hashed email from an order > hashed GA4 user id > the browser itself ('device:<user_pseudo_id>').
with events as (
    select * from {{ ref('stg_ga4__events') }}
),

orders as (
    select * from {{ ref('stg_shopify__orders') }}
),

email_edges as (
    select
        events.user_pseudo_id,
        min(orders.customer_email_sha256) as customer_email_sha256
    from events
    inner join orders
        on events.transaction_id = orders.order_id
    where orders.customer_email_sha256 is not null
    group by events.user_pseudo_id
),

user_id_edges as (
    select
        user_pseudo_id,
        min(user_id_sha256) as user_id_sha256
    from events
    where user_id_sha256 is not null
    group by user_pseudo_id
),

devices as (
    select distinct user_pseudo_id from events
),

final as (
    select
        devices.user_pseudo_id,
        coalesce(
            'email:' || email_edges.customer_email_sha256,
            'user:' || user_id_edges.user_id_sha256,
            'device:' || devices.user_pseudo_id
        ) as customer_key,
        case
            when email_edges.customer_email_sha256 is not null then 'email'
            when user_id_edges.user_id_sha256 is not null then 'user_id'
            else 'device'
        end as stitched_by
    from devices
    left join email_edges
        on devices.user_pseudo_id = email_edges.user_pseudo_id
    left join user_id_edges
        on devices.user_pseudo_id = user_id_edges.user_pseudo_id
)

select * from final
