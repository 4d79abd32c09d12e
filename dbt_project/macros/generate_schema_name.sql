{#- Build every node into the schema named in config (the audit area), not "<target>_<name>". -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
