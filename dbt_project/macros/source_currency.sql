{#-
  The currency of a source system whose exports carry none: SOCIAL_ROI_SOURCE_CURRENCIES (e.g.
  woocommerce:EUR,hubspot:EUR) when it names the system, else the seed source_currencies (the default).
  The ingest step warns when a file's own amounts (currency signs, decimal comma) disagree with it.
-#}
{% macro source_currency(system) -%}
    {%- set configured = {} -%}
    {%- for item in env_var('SOCIAL_ROI_SOURCE_CURRENCIES', '').split(',') if ':' in item -%}
        {%- do configured.update({item.split(':')[0].strip().lower(): item.split(':')[1].strip().upper()}) -%}
    {%- endfor -%}
    {%- if system in configured -%}
        '{{ configured[system] }}'
    {%- else -%}
        (select upper(currency) from {{ ref('source_currencies') }} where source_system = '{{ system }}')
    {%- endif -%}
{%- endmacro %}
