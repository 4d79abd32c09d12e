-- Exchange rates as validity intervals: a rate holds from its rate_date until the next rate of the same pair.
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
