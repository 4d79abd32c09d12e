{#-
  The one way a staging model reads a raw table: the loaded table, or — when no file of that format has been
  loaded (a shop without GA4, without Shopify, a first run) — an empty relation with the columns and types declared
  once in models/staging/_raw__sources.yml (`columns: - {name, data_type}`).
-#}
{% macro raw_source(table_name) -%}
    {%- set relation = source('raw', table_name) -%}
    {%- if not execute -%}
        {{ relation }}
    {%- else -%}
        {%- set found = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- if found is not none -%}
            {{ relation }}
        {%- else -%}
            {%- set declared = graph.sources.values() | selectattr('source_name', 'equalto', 'raw')
                | selectattr('name', 'equalto', table_name) | list -%}
            {%- set columns = declared[0].columns.values() | list if declared else [] -%}
            {%- if not columns -%}
                {{ exceptions.raise_compiler_error(
                    "raw_source: raw." ~ table_name ~ " has no columns with data_type in _raw__sources.yml") }}
            {%- endif -%}
            (select
            {%- for column in columns %}
                cast(null as {{ column.data_type }}) as {{ column.name }}{% if not loop.last %},{% endif %}
            {%- endfor %}
            where 1 = 0)
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
