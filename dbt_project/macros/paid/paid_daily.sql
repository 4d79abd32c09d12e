{#-
  Paid-ads rows of any level, period and delivery breakdown -> one row per entity and day.

  `rows` is a relation (CTE name) with: _file_id, _export_date, entity_key, period_start, period_end,
  campaign_id, campaign_name, ad_id, ad_name, currency, spend, impressions, link_clicks, purchases,
  purchase_value, results.

  1. Breakdown rows (age, gender, country, placement, ...) of one file, entity and period are summed.
  2. A period longer than a day is spread evenly over its days in whole units (cents of spend and value,
     hundredths of purchases and results, whole impressions and clicks): each day gets the total divided by the
     number of days, rounded down, and the first (total mod days) days one unit more, so the days add up to the
     file's total exactly. Such rows are marked `is_spread`.
  3. When several files cover the same entity and day, the latest export wins (then the latest file).
-#}
{% macro paid_daily(rows) -%}
per_period as (
    select
        _file_id,
        max(_export_date) as _export_date,
        entity_key,
        cast(period_start as date) as period_start,
        cast(coalesce(period_end, period_start) as date) as period_end,
        any_value(campaign_id) as campaign_id,
        any_value(campaign_name) as campaign_name,
        any_value(ad_id) as ad_id,
        any_value(ad_name) as ad_name,
        upper(max(currency)) as currency,
        sum(cast(round(coalesce(spend, 0) * 100) as bigint)) as spend_units,
        sum(cast(coalesce(impressions, 0) as bigint)) as impressions_units,
        sum(cast(coalesce(link_clicks, 0) as bigint)) as link_clicks_units,
        sum(cast(round(coalesce(purchases, 0) * 100) as bigint)) as purchases_units,
        sum(cast(round(coalesce(purchase_value, 0) * 100) as bigint)) as value_units,
        sum(cast(round(coalesce(results, 0) * 100) as bigint)) as results_units
    from {{ rows }}
    where period_start is not null and entity_key is not null
    group by _file_id, entity_key, cast(period_start as date), cast(coalesce(period_end, period_start) as date)
),

spread_days as (
    select
        per_period.*,
        cast(days.ts as date) as spend_date,
        datediff('day', per_period.period_start, cast(days.ts as date)) as day_index,
        datediff('day', per_period.period_start, per_period.period_end) + 1 as n_days
    from per_period,
        unnest(generate_series(cast(per_period.period_start as timestamp), cast(per_period.period_end as timestamp),
                               interval 1 day)) as days(ts)
),

spread as (
    select
        spend_date,
        entity_key,
        campaign_id,
        campaign_name,
        ad_id,
        ad_name,
        currency,
        period_start,
        period_end,
        n_days > 1 as is_spread,
        _export_date,
        _file_id,
        {{ paid_share('spend_units') }} as spend_units,
        {{ paid_share('impressions_units') }} as impressions,
        {{ paid_share('link_clicks_units') }} as link_clicks,
        {{ paid_share('purchases_units') }} as purchases_units,
        {{ paid_share('value_units') }} as value_units,
        {{ paid_share('results_units') }} as results_units
    from spread_days
),

paid_latest as (
    select
        *,
        row_number() over (
            partition by entity_key, spend_date order by _export_date desc, _file_id desc
        ) as recency_rank
    from spread
),

paid_final as (
    select
        spend_date,
        entity_key,
        campaign_id,
        campaign_name,
        ad_id,
        ad_name,
        currency,
        cast(spend_units as {{ dbt.type_numeric() }}) * 0.01 as spend,
        impressions,
        link_clicks,
        cast(purchases_units as {{ dbt.type_numeric() }}) * 0.01 as claimed_purchases,
        cast(value_units as {{ dbt.type_numeric() }}) * 0.01 as claimed_purchase_value,
        cast(results_units as {{ dbt.type_numeric() }}) * 0.01 as results,
        is_spread,
        period_start,
        period_end
    from paid_latest
    where recency_rank = 1
)
{%- endmacro %}

{#- One day's whole-unit share of a period's total (see paid_daily). -#}
{% macro paid_share(total) -%}
    ({{ total }} // n_days + case when day_index < {{ total }} % n_days then 1 else 0 end)
{%- endmacro %}
