-- Exchange rates as validity intervals: a rate holds from its rate_date until the next rate of the same pair.
-- Before building, every amount of the loaded exports (orders, payments, deals, ad spend, content costs of posts)
-- up to the run date is checked for a rate into the reporting currency on its day: a missing one fails here,
-- naming the currency and the days, instead of a null amount further down.
-- depends_on: {{ ref('stg_shopify__orders') }}, {{ ref('stg_woocommerce__orders') }}, {{ ref('stg_stripe__payments') }}
-- depends_on: {{ ref('stg_hubspot__deals') }}, {{ ref('stg_salesforce__opportunities') }}
-- depends_on: {{ ref('stg_meta__ads_daily') }}, {{ ref('stg_linkedin__ads_daily') }}, {{ ref('stg_tiktok__ads_daily') }}
-- depends_on: {{ ref('stg_organic__post_snapshots') }}, {{ ref('content_costs') }}
{%- set reporting = var('roi__reporting_currency') | upper %}
{%- set run_date = var('roi__run_date') %}
{%- if execute %}
    {%- set amounts = [
        ('stg_shopify__orders', 'created_at'), ('stg_woocommerce__orders', 'created_at'),
        ('stg_stripe__payments', 'created_at'), ('stg_hubspot__deals', 'closed_on'),
        ('stg_salesforce__opportunities', 'closed_on'), ('stg_meta__ads_daily', 'spend_date'),
        ('stg_linkedin__ads_daily', 'spend_date'), ('stg_tiktok__ads_daily', 'spend_date')] %}
    {%- set gaps_sql %}
        with amounts as (
        {%- for model, day in amounts %}
            select '{{ model }}' as model, upper(currency) as currency, cast({{ day }} as date) as day
            from {{ ref(model) }}
            where currency is not null and cast({{ day }} as date) <= cast('{{ run_date }}' as date)
            union all
        {%- endfor %}
            -- content production is costed on the day a post was published, in the currency of its platform's cost
            select 'content_costs', upper(costs.currency), cast(posts.published_at as date)
            from {{ ref('stg_organic__post_snapshots') }} as posts
            inner join {{ ref('content_costs') }} as costs on costs.platform = posts.platform
            where costs.currency is not null and cast(posts.published_at as date) <= cast('{{ run_date }}' as date)
        ),
        first_rates as (
            select upper(currency) as currency, min(cast(rate_date as date)) as first_rate
            from {{ ref('fx_rates') }}
            where upper(reporting_currency) = '{{ reporting }}'
            group by 1
        )
        select
            amounts.currency,
            min(amounts.day) as first_day,
            max(amounts.day) as last_day,
            count(*) as amounts,
            string_agg(distinct amounts.model, ', ') as models,
            max(first_rates.first_rate) as first_rate
        from amounts
        left join first_rates on first_rates.currency = amounts.currency
        where first_rates.first_rate is null or amounts.day < first_rates.first_rate
        group by 1
        order by 1
    {%- endset %}
    {%- set gaps = run_query(gaps_sql) %}
    {%- if gaps.rows | length > 0 %}
        {%- set lines = [] %}
        {%- for row in gaps.rows %}
            {%- do lines.append("no exchange rate from " ~ row[0] ~ " to " ~ reporting ~ " for " ~ row[1] ~ " … "
                ~ row[2] ~ " (" ~ row[3] ~ " amounts in " ~ row[4] ~ "; "
                ~ ("the first rate is dated " ~ row[5] if row[5] else "the pair has no rate at all") ~ ")") %}
        {%- endfor %}
        {{ exceptions.raise_compiler_error(lines | join("; ") ~ ". Add a row '<date>," ~ gaps.rows[0][0] ~ ","
            ~ reporting ~ ",<rate>' dated on or before the first day to dbt_project/seeds/fx_rates.csv") }}
    {%- endif %}
{%- endif %}
with rates as (
    select * from {{ ref('fx_rates') }}
),

final as (
    select
        upper(currency) as currency,
        upper(reporting_currency) as reporting_currency,
        cast(rate_date as date) as valid_from,
        coalesce(
            lead(cast(rate_date as date)) over (
                partition by upper(currency), upper(reporting_currency) order by rate_date
            ),
            cast('9999-12-31' as date)
        ) as valid_to,
        rate
    from rates
)

select * from final
