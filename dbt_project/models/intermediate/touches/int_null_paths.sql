-- Journeys that have not converted (yet): a customer's social touches after their last conversion, within
-- the default lookback before the end of the run date. Data-driven models need them: conversion *rates*.
with conversions as (
    select * from {{ ref('int_conversions') }}
),

touches as (
    select * from {{ ref('int_touchpoints') }}
),

last_conversions as (
    select customer_key, max(converted_at) as last_converted_at
    from conversions
    group by customer_key
),

tails as (
    select
        'null:' || touches.customer_key as journey_id,
        touches.touch_id,
        touches.touched_at,
        touches.channel
    from touches
    left join last_conversions
        on touches.customer_key = last_conversions.customer_key
    where touches.touch_type = 'social_click'
        and (last_conversions.last_converted_at is null or touches.touched_at > last_conversions.last_converted_at)
        and touches.touched_at > {{ dbt.dateadd('day', -var('roi__lookback_days'),
            dbt.dateadd('day', 1, "cast('" ~ var('roi__run_date') ~ "' as " ~ dbt.type_timestamp() ~ ")")) }}
),

transformed as (
    {{ journey_steps('tails') }}
),

final as (
    select
        journey_id,
        touch_id,
        touched_at,
        channel,
        row_number() over (partition by journey_id order by touched_at desc, touch_id desc) as recency_rank
    from transformed
)

select journey_id, touch_id, touched_at, channel
from final
where recency_rank <= {{ var('roi__max_path_length') }}
