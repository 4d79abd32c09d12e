{#-
  Join a relation to the exchange rate of its currency on its date, into roi__reporting_currency:
      from x {{ fx_join('x.currency', 'x.some_date') }}   then   x.amount * fx.rate
  The rate is null when the seed fx_rates has no rate on or before that date: models test their converted
  amounts not_null, so a missing rate fails the build loudly instead of summing two currencies.
-#}
{% macro fx_join(currency, on_date, alias='fx') -%}
    left join {{ ref('int_fx_rates') }} as {{ alias }}
        on {{ alias }}.currency = upper({{ currency }})
        and {{ alias }}.reporting_currency = '{{ var("roi__reporting_currency") | upper }}'
        and cast({{ on_date }} as date) >= {{ alias }}.valid_from
        and cast({{ on_date }} as date) < {{ alias }}.valid_to
{%- endmacro %}
