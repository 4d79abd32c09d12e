{#-
  A raw source table, or an empty relation with the given columns when no file of that format has been loaded
  yet (a shop without TikTok still builds). `columns` maps column name -> kind:
  string | timestamp | date | float | int | bool.
-#}
{% macro source_or_empty(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set found = relation -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- endif -%}
    {%- if found is none -%}
        (select
        {%- for name, kind in columns.items() %}
            cast(null as {{ empty_column_type(kind) }}) as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
        where 1 = 0)
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}

{% macro empty_column_type(kind) -%}
    {%- if kind == 'string' -%} {{ dbt.type_string() }}
    {%- elif kind == 'timestamp' -%} {{ dbt.type_timestamp() }}
    {%- elif kind == 'date' -%} date
    {%- elif kind == 'float' -%} {{ type_double() }}
    {%- elif kind == 'int' -%} {{ dbt.type_bigint() }}
    {%- elif kind == 'bool' -%} {{ dbt.type_boolean() }}
    {%- else -%} {{ exceptions.raise_compiler_error("source_or_empty: unknown column kind " ~ kind) }}
    {%- endif -%}
{%- endmacro %}
