-- How sure the data-driven models are: each channel's attributed revenue with a bootstrap interval (journeys
-- resampled with replacement, seeded; docs/attribution.md "Uncertainty"), at every lookback of
-- roi__sensitivity_lookback_days side by side. Grain: lookback x model x channel.
with uncertainty as (
    select * from {{ source('attribution', 'channel_uncertainty') }}
),

final as (
    select
        cast(lookback_days as {{ dbt.type_string() }}) || ':' || attribution_model || ':' || channel
            as uncertainty_id,
        lookback_days,
        attribution_model,
        channel,
        {{ platform_of('channel') }} as platform,
        conversions,
        revenue,
        revenue_ci_low,
        revenue_ci_high,
        n_boot,
        run_date,
        '{{ var("roi__reporting_currency") | upper }}' as currency
    from uncertainty
    where run_date = cast('{{ var("roi__run_date") }}' as date)
)

select * from final
