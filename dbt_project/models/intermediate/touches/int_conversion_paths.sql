-- Journeys: each conversion with the social touches of its customer in the lookback window of their touch type
-- before it, transformed (roi__path_transform), the last roi__max_path_length of them, in time order. A
-- conversion without any social touch keeps one row in the explicit '(no social touch)' bucket, so no revenue
-- is ever dropped.
with conversions as (
    select * from {{ ref('int_conversions') }}
),

touches as (
    select * from {{ ref('int_touchpoints') }}
),

in_window as (
    select
        conversions.conversion_id as journey_id,
        touches.touch_id,
        touches.touched_at,
        touches.touch_type,
        touches.channel,
        touches.platform,
        touches.campaign_id,
        touches.post_id,
        touches.influencer,
        touches.sales_rep,
        {{ dbt.datediff('touches.touched_at', 'conversions.converted_at', 'second') }} / 86400.0
            as days_before_conversion
    from conversions
    inner join touches
        on conversions.customer_key = touches.customer_key
        and touches.touched_at <= conversions.converted_at
        and {{ dbt.datediff('touches.touched_at', 'conversions.converted_at', 'second') }}
            < {{ lookback_days('touches.touch_type') }} * 86400
),

transformed as (
    {{ journey_steps('in_window') }}
),

recent as (
    select
        *,
        row_number() over (partition by journey_id order by touched_at desc, touch_id desc) as recency_rank
    from transformed
),

numbered as (
    select
        *,
        row_number() over (partition by journey_id order by touched_at, touch_id) as touch_index,
        count(*) over (partition by journey_id) as path_length
    from recent
    where recency_rank <= {{ var('roi__max_path_length') }}
),

untouched as (
    select conversions.conversion_id
    from conversions
    left join numbered
        on conversions.conversion_id = numbered.journey_id
    where numbered.journey_id is null
),

final as (
    select
        journey_id as conversion_id, touch_id, touched_at, touch_type, channel, platform, campaign_id, post_id,
        influencer, sales_rep, days_before_conversion, touch_index, path_length
    from numbered
    union all
    select
        conversion_id,
        'none:' || conversion_id as touch_id,
        cast(null as {{ dbt.type_timestamp() }}) as touched_at,
        'none' as touch_type,
        '(no social touch)' as channel,
        '(none)' as platform,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as post_id,
        cast(null as {{ dbt.type_string() }}) as influencer,
        cast(null as {{ dbt.type_string() }}) as sales_rep,
        cast(null as {{ dbt.type_numeric() }}) as days_before_conversion,
        1 as touch_index,
        1 as path_length
    from untouched
)

select * from final
