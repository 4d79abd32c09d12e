{#- One row per day (column date_day) from start_date to end_date inclusive; both are SQL date expressions. -#}
{% macro day_spine(start_date, end_date) -%}
    {{ return(adapter.dispatch('day_spine', 'social_roi')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__day_spine(start_date, end_date) -%}
    select cast(day_value as date) as date_day
    from generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval '1 day') as days(day_value)
{%- endmacro %}

{% macro duckdb__day_spine(start_date, end_date) -%}
    select cast(range as date) as date_day
    from range(cast({{ start_date }} as date), cast({{ end_date }} as date) + interval 1 day, interval 1 day)
{%- endmacro %}

{% macro spark__day_spine(start_date, end_date) -%}
    select explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day)) as date_day
{%- endmacro %}
