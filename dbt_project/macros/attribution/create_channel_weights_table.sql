{#- The table the attribution step writes channel weights into (one row per data-driven model and channel).
    Created empty when missing so that the project builds before the first weights exist. -#}
{% macro create_channel_weights_table() -%}
    create schema if not exists attribution;
    create table if not exists attribution.channel_weights (
        attribution_model {{ dbt.type_string() }},
        channel {{ dbt.type_string() }},
        weight {{ type_double() }},
        run_date date,
        raw_share {{ type_double() }}
    );
    {#- a work database made before raw_share existed gets the column on its next run #}
    alter table attribution.channel_weights add column if not exists raw_share {{ type_double() }}
{%- endmacro %}

{#- A 64-bit float on every warehouse (dbt.type_float() is 32-bit on some). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'social_roi')()) }}
{%- endmacro %}
{% macro default__type_double() -%} double precision {%- endmacro %}
{% macro spark__type_double() -%} double {%- endmacro %}

{#- The table the attribution step writes bootstrap intervals into (lookback x model x channel). -#}
{% macro create_channel_uncertainty_table() -%}
    create schema if not exists attribution;
    create table if not exists attribution.channel_uncertainty (
        lookback_days integer,
        attribution_model {{ dbt.type_string() }},
        channel {{ dbt.type_string() }},
        revenue {{ type_double() }},
        conversions {{ type_double() }},
        revenue_ci_low {{ type_double() }},
        revenue_ci_high {{ type_double() }},
        n_boot integer,
        run_date date
    )
{%- endmacro %}
