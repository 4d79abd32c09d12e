-- The CRM enrichment: one row per stitched customer with their social touches, conversions and the social
-- revenue attributed to them (primary model). customer_key is 'email:<sha256>' (the hashed email CRMs can
-- match), 'user:<sha256>', 'device:<id>', 'order:<id>' or 'deal:<id>'. Engagement segment, over the 30 days
-- up to the run date: engaged (3+ social touches), active (1-2), lapsed (touches before only), none.
{% set platforms = ['facebook', 'instagram', 'linkedin', 'x', 'tiktok', 'youtube'] %}
with touches as (
    select * from {{ ref('int_touchpoints') }}
),

conversions as (
    select * from {{ ref('int_conversions') }}
),

attributed as (
    select * from {{ ref('fct_attributed_revenue') }}
    where attribution_model = '{{ var("roi__primary_model") }}'
),

run_end as (
    select {{ dbt.dateadd('day', 1, "cast('" ~ var('roi__run_date') ~ "' as " ~ dbt.type_timestamp() ~ ")") }} as ends_at
),

ranked_touches as (
    select
        touches.*,
        row_number() over (partition by customer_key order by touched_at, touch_id) as first_rank,
        row_number() over (partition by customer_key order by touched_at desc, touch_id desc) as last_rank
    from touches
),

touch_summary as (
    select
        ranked_touches.customer_key,
        count(*) as social_touches,
        {%- for platform in platforms %}
        sum(case when ranked_touches.platform = '{{ platform }}' then 1 else 0 end) as {{ platform }}_touches,
        {%- endfor %}
        sum(case when ranked_touches.touched_at > {{ dbt.dateadd('day', -30, 'run_end.ends_at') }} then 1 else 0 end)
            as touches_last_30_days,
        max(case when ranked_touches.first_rank = 1 then ranked_touches.touched_at end) as first_social_touch_at,
        max(case when ranked_touches.first_rank = 1 then ranked_touches.channel end) as first_social_channel,
        max(case when ranked_touches.last_rank = 1 then ranked_touches.touched_at end) as last_social_touch_at,
        max(case when ranked_touches.last_rank = 1 then ranked_touches.channel end) as last_social_channel
    from ranked_touches
    cross join run_end
    group by ranked_touches.customer_key
),

conversion_summary as (
    select customer_key, count(*) as conversions, sum(revenue) as revenue, max(converted_at) as last_converted_at
    from conversions
    group by customer_key
),

attributed_summary as (
    select conversions.customer_key, sum(attributed.attributed_revenue) as social_attributed_revenue
    from attributed
    inner join conversions on attributed.conversion_id = conversions.conversion_id
    where attributed.channel <> '(no social touch)'
    group by conversions.customer_key
),

customers as (
    select customer_key from touch_summary
    union
    select customer_key from conversion_summary
),

final as (
    select
        customers.customer_key,
        split_part(customers.customer_key, ':', 1) as key_type,
        case when customers.customer_key like 'email:%' then substring(customers.customer_key, 7) end
            as email_sha256,
        touch_summary.first_social_touch_at,
        touch_summary.first_social_channel,
        touch_summary.last_social_touch_at,
        touch_summary.last_social_channel,
        coalesce(touch_summary.social_touches, 0) as social_touches,
        {%- for platform in platforms %}
        coalesce(touch_summary.{{ platform }}_touches, 0) as {{ platform }}_touches,
        {%- endfor %}
        case
            when coalesce(touch_summary.touches_last_30_days, 0) >= 3 then 'engaged'
            when coalesce(touch_summary.touches_last_30_days, 0) >= 1 then 'active'
            when coalesce(touch_summary.social_touches, 0) > 0 then 'lapsed'
            else 'none'
        end as engagement_segment,
        coalesce(conversion_summary.conversions, 0) as conversions,
        coalesce(conversion_summary.revenue, 0) as revenue,
        coalesce(attributed_summary.social_attributed_revenue, 0) as social_attributed_revenue,
        conversion_summary.last_converted_at,
        '{{ var("roi__reporting_currency") | upper }}' as currency
    from customers
    left join touch_summary on customers.customer_key = touch_summary.customer_key
    left join conversion_summary on customers.customer_key = conversion_summary.customer_key
    left join attributed_summary on customers.customer_key = attributed_summary.customer_key
)

select * from final
