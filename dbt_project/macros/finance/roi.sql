{#- ROAS = attributed revenue / spend; null when there is no spend (a ratio over nothing is not 0). -#}
{% macro roas(revenue, spend) -%}
    case when {{ spend }} > 0 then {{ revenue }} / {{ spend }} end
{%- endmacro %}

{#- ROI = (attributed gross margin - cost) / cost; null when there is no cost. -#}
{% macro roi(gross_margin, cost) -%}
    case when {{ cost }} > 0 then ({{ gross_margin }} - {{ cost }}) / {{ cost }} end
{%- endmacro %}
