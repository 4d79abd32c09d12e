-- Who earned each conversion: one row per conversion, touch and attribution model with the touch's credit.
with paths as (
    select * from {{ ref('int_conversion_paths') }}
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
    {% if not loop.last %}union all{% endif %}
{% endfor %}
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
        conversions.revenue as conversion_revenue,
        conversions.currency
    from credited
    inner join conversions
        on credited.conversion_id = conversions.conversion_id
    where credited.credit > 0
)

select * from final
