-- Touches happened: none is dated after the run day, and none counts toward a conversion that came before it
-- (an open CRM deal's expected close date is not a touch). Returns the offending rows.
select 'after the run day' as problem, touch_id, customer_key, touched_at, cast(null as {{ dbt.type_string() }}) as conversion_id
from {{ ref('int_touchpoints') }}
where touched_at >= {{ dbt.dateadd('day', 1, "cast('" ~ var('roi__run_date') ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
union all
select 'after its conversion' as problem, paths.touch_id, conversions.customer_key, paths.touched_at,
    paths.conversion_id
from {{ ref('int_conversion_paths') }} as paths
inner join {{ ref('int_conversions') }} as conversions
    on paths.conversion_id = conversions.conversion_id
where paths.touched_at > conversions.converted_at
