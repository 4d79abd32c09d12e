{#- The data-driven channel weights and their bootstrap intervals must have been computed for this run's day
    (var roi__run_date) by the attribution step that runs between the two dbt phases. A bare `dbt build`, or a
    second phase run without the attribution step, fails here instead of silently applying another day's
    weights. Returns the offending rows. -#}
{{ config(severity='error') }}

select 'channel_weights' as attribution_table, run_date, count(*) as rows_of_that_day
from {{ source('attribution', 'channel_weights') }}
where run_date is distinct from cast('{{ var("roi__run_date") }}' as date)
group by run_date

union all

select 'channel_uncertainty' as attribution_table, run_date, count(*) as rows_of_that_day
from {{ source('attribution', 'channel_uncertainty') }}
where run_date is distinct from cast('{{ var("roi__run_date") }}' as date)
group by run_date
