-- Who earned each conversion: one row per conversion, touch and attribution model with the touch's credit.
-- Rule-based models: rule_credit() of the touch's position. Data-driven models (Markov, Shapley): the
-- conversion goes to the distinct channels of its path in proportion to their channel weights
-- (weight_c / sum of the path's weights; equal shares when they sum to 0), then split equally over that
-- channel's touches, so every conversion's credits still sum to exactly 1.
with paths as (
    select * from {{ ref('int_conversion_paths') }}
),

weights as (
    select * from {{ source('attribution', 'channel_weights') }}
),

data_driven_models as (
{% for model in var('roi__data_driven_models') %}
    select '{{ model }}' as attribution_model
    union all
{% endfor %}
    select cast(null as {{ dbt.type_string() }}) as attribution_model where 1 = 0
),

path_channels as (
    select conversion_id, channel, count(*) as channel_touches
    from paths
    group by conversion_id, channel
),

channel_shares as (
    select
        path_channels.conversion_id,
        path_channels.channel,
        path_channels.channel_touches,
        data_driven_models.attribution_model,
        case when path_channels.channel = '(no social touch)' then 1.0 else coalesce(weights.weight, 0) end
            as weight
    from path_channels
    cross join data_driven_models
    left join weights
        on weights.attribution_model = data_driven_models.attribution_model
        and weights.channel = path_channels.channel
),

normalised as (
    select
        *,
        sum(weight) over (partition by conversion_id, attribution_model) as path_weight,
        count(*) over (partition by conversion_id, attribution_model) as path_channel_count
    from channel_shares
),

data_driven as (
    select
        paths.*,
        normalised.attribution_model,
        case
            when normalised.path_weight > 0 then normalised.weight / normalised.path_weight
            else 1.0 / normalised.path_channel_count
        end / normalised.channel_touches as credit
    from paths
    inner join normalised
        on paths.conversion_id = normalised.conversion_id
        and paths.channel = normalised.channel
),

conversions as (
    select * from {{ ref('int_conversions') }}
),

credited as (
{% for model in var('roi__rule_models') %}
    select
        paths.*,
        '{{ model }}' as attribution_model,
        {{ rule_credit(model) }} as credit
    from paths
    union all
{% endfor %}
    select * from data_driven
),

final as (
    select
        credited.conversion_id || '|' || credited.touch_id || '|' || credited.attribution_model
            as attributed_revenue_id,
        credited.conversion_id,
        credited.touch_id,
        credited.attribution_model,
        conversions.conversion_type,
        conversions.converted_at,
        conversions.conversion_date,
        credited.touched_at,
        credited.touch_type,
        credited.channel,
        credited.platform,
        credited.campaign_id,
        credited.post_id,
        credited.influencer,
        credited.sales_rep,
        credited.touch_index,
        credited.path_length,
        credited.credit,
        credited.credit * conversions.revenue as attributed_revenue,
        credited.credit * conversions.gross_margin as attributed_gross_margin,
        conversions.revenue as conversion_revenue,
        conversions.currency,
        credited.credit * conversions.original_revenue as attributed_original_revenue,
        conversions.original_currency
    from credited
    inner join conversions
        on credited.conversion_id = conversions.conversion_id
    where credited.credit > 0
)

select * from final
