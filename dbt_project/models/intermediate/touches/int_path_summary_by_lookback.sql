-- int_path_summary at each lookback of roi__sensitivity_lookback_days (every touch type gets that lookback):
-- the input of the uncertainty step, which shows how channel credit moves with the window.
{% set lookbacks = var('roi__sensitivity_lookback_days') %}
with conversions as (
    select * from {{ ref('int_conversions') }}
),

touches as (
    select * from {{ ref('int_touchpoints') }}
),

lookbacks as (
{% for days in lookbacks %}
    select {{ days }} as lookback_days
    {% if not loop.last %}union all{% endif %}
{% endfor %}
),

converting_touches as (
    select
        cast(lookbacks.lookback_days as {{ dbt.type_string() }}) || ':' || conversions.conversion_id as journey_id,
        lookbacks.lookback_days,
        conversions.revenue,
        1 as converted,
        touches.touch_id,
        touches.touched_at,
        touches.channel
    from conversions
    cross join lookbacks
    inner join touches
        on conversions.customer_key = touches.customer_key
        and touches.touched_at <= conversions.converted_at
        and {{ dbt.datediff('touches.touched_at', 'conversions.converted_at', 'second') }}
            < lookbacks.lookback_days * 86400
),

last_conversions as (
    select customer_key, max(converted_at) as last_converted_at from conversions group by customer_key
),

null_touches as (
    select
        cast(lookbacks.lookback_days as {{ dbt.type_string() }}) || ':null:' || touches.customer_key as journey_id,
        lookbacks.lookback_days,
        0 as revenue,
        0 as converted,
        touches.touch_id,
        touches.touched_at,
        touches.channel
    from touches
    cross join lookbacks
    left join last_conversions
        on touches.customer_key = last_conversions.customer_key
    where touches.touch_type = 'social_click'
        and (last_conversions.last_converted_at is null or touches.touched_at > last_conversions.last_converted_at)
        and {{ dbt.datediff('touches.touched_at',
            dbt.dateadd('day', 1, "cast('" ~ var('roi__run_date') ~ "' as " ~ dbt.type_timestamp() ~ ")"), 'second') }}
            < lookbacks.lookback_days * 86400
),

candidates as (
    select * from converting_touches
    union all
    select * from null_touches
),

transformed as (
    {{ journey_steps('candidates') }}
),

recent as (
    select
        *,
        row_number() over (partition by journey_id order by touched_at desc, touch_id desc) as recency_rank
    from transformed
),

journeys as (
    select
        journey_id,
        max(lookback_days) as lookback_days,
        max(converted) as converted,
        max(revenue) as revenue,
        {{ dbt.listagg('channel', "' > '", "order by touched_at, touch_id") }} as path
    from recent
    where recency_rank <= {{ var('roi__max_path_length') }}
    group by journey_id
),

final as (
    select
        lookback_days,
        path,
        sum(converted) as total_conversions,
        sum(revenue) as total_conversion_value,
        sum(1 - converted) as total_null
    from journeys
    group by lookback_days, path
)

select * from final
