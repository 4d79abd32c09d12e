-- The compact input of the data-driven models: one row per distinct channel path, with how many journeys
-- along it converted (and their value) and how many did not. Conversions without a social touch are not
-- paths of social channels and stay out (they keep the '(no social touch)' bucket in every model).
with conversion_paths as (
    select * from {{ ref('int_conversion_paths') }}
    where channel <> '(no social touch)'
),

conversions as (
    select * from {{ ref('int_conversions') }}
),

null_paths as (
    select * from {{ ref('int_null_paths') }}
),

converting as (
    select
        conversion_paths.conversion_id as journey_id,
        {{ dbt.listagg('conversion_paths.channel', "' > '", "order by conversion_paths.touch_index") }} as path,
        max(conversions.revenue) as revenue
    from conversion_paths
    inner join conversions
        on conversion_paths.conversion_id = conversions.conversion_id
    group by conversion_paths.conversion_id
),

not_converting as (
    select
        journey_id,
        {{ dbt.listagg('channel', "' > '", "order by touched_at, touch_id") }} as path
    from null_paths
    group by journey_id
),

journeys as (
    select path, 1 as converted, revenue from converting
    union all
    select path, 0 as converted, 0 as revenue from not_converting
),

final as (
    select
        path,
        sum(converted) as total_conversions,
        sum(revenue) as total_conversion_value,
        sum(1 - converted) as total_null
    from journeys
    group by path
)

select * from final
