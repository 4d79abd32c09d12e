-- Which customer each browser belongs to. Identity precedence, strongest first:
--   1. hashed email of an order the browser paid for (GA4 purchase transaction_id = the order's id in its
--      sales system: Shopify Id, WooCommerce Order #, Stripe Client Reference ID),
--   2. the hashed GA4 user id (a logged-in visit),
--   3. the browser itself ('device:<user_pseudo_id>').
-- Click ids (fbclid, gclid/gbraid/wbraid, li_fat_id, ttclid, twclid) merge browsers: two browsers that
-- landed with the same click id are one person (the link was opened on one device and resumed on another),
-- and take the strongest key either has.
with events as (
    select * from {{ ref('stg_ga4__events') }}
),

orders as (
    select * from {{ ref('int_orders_unioned') }}
),

email_edges as (
    select events.user_pseudo_id, min(orders.customer_email_sha256) as customer_email_sha256
    from events
    inner join orders
        on events.transaction_id = orders.transaction_id
    where orders.customer_email_sha256 is not null
    group by events.user_pseudo_id
),

user_id_edges as (
    select user_pseudo_id, min(user_id_sha256) as user_id_sha256
    from events
    where user_id_sha256 is not null
    group by user_pseudo_id
),

click_ids as (
    select distinct user_pseudo_id, coalesce(fbclid, gclid, li_fat_id, ttclid, twclid) as click_id
    from events
    where coalesce(fbclid, gclid, li_fat_id, ttclid, twclid) is not null
),

devices as (
    select distinct user_pseudo_id from events
),

own_keys as (
    select
        devices.user_pseudo_id,
        case
            when email_edges.customer_email_sha256 is not null then 1
            when user_id_edges.user_id_sha256 is not null then 2
            else 3
        end as key_rank,
        coalesce(
            'email:' || email_edges.customer_email_sha256,
            'user:' || user_id_edges.user_id_sha256,
            'device:' || devices.user_pseudo_id
        ) as own_key
    from devices
    left join email_edges
        on devices.user_pseudo_id = email_edges.user_pseudo_id
    left join user_id_edges
        on devices.user_pseudo_id = user_id_edges.user_pseudo_id
),

shared_click_keys as (
    -- for each browser, the strongest key among the browsers sharing one of its click ids
    select
        mine.user_pseudo_id,
        min(cast(other_keys.key_rank as {{ dbt.type_string() }}) || other_keys.own_key) as ranked_key
    from click_ids as mine
    inner join click_ids as others
        on mine.click_id = others.click_id
    inner join own_keys as other_keys
        on others.user_pseudo_id = other_keys.user_pseudo_id
    group by mine.user_pseudo_id
),

final as (
    select
        own_keys.user_pseudo_id,
        case
            when shared_click_keys.ranked_key is not null
                and cast(substring(shared_click_keys.ranked_key, 1, 1) as {{ dbt.type_int() }}) < own_keys.key_rank
                then substring(shared_click_keys.ranked_key, 2)
            else own_keys.own_key
        end as customer_key,
        case
            when shared_click_keys.ranked_key is not null
                and cast(substring(shared_click_keys.ranked_key, 1, 1) as {{ dbt.type_int() }}) < own_keys.key_rank
                then 'click_id'
            when own_keys.key_rank = 1 then 'email'
            when own_keys.key_rank = 2 then 'user_id'
            else 'device'
        end as stitched_by
    from own_keys
    left join shared_click_keys
        on own_keys.user_pseudo_id = shared_click_keys.user_pseudo_id
)

select * from final
