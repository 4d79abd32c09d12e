-- Organic posts with lifetime metrics, content cost and what they earned under the primary model.
with posts as (
    select * from {{ ref('int_posts') }}
),

content_costs as (
    select * from {{ ref('content_costs') }}
),

attributed as (
    select * from {{ ref('fct_attributed_revenue') }}
    where attribution_model = '{{ var("roi__primary_model") }}'
        and post_id is not null
),

post_revenue as (
    select
        platform,
        post_id,
        sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_gross_margin) as attributed_gross_margin
    from attributed
    group by platform, post_id
),

post_cost as (
    select
        posts.platform,
        posts.post_id,
        sum(content_costs.amount * fx.rate) as content_cost
    from posts
    inner join content_costs
        on posts.platform = content_costs.platform
        and content_costs.cost_basis = 'per_post'
    {{ fx_join('content_costs.currency', 'posts.published_at') }}
    group by posts.platform, posts.post_id
),

final as (
    select
        posts.platform || ':' || posts.post_id as post_key,
        posts.*,
        coalesce(post_cost.content_cost, 0) as content_cost,
        coalesce(post_revenue.attributed_conversions, 0) as attributed_conversions,
        coalesce(post_revenue.attributed_revenue, 0) as attributed_revenue,
        coalesce(post_revenue.attributed_gross_margin, 0) as attributed_gross_margin,
        {{ roi('coalesce(post_revenue.attributed_gross_margin, 0)', 'post_cost.content_cost') }} as roi,
        '{{ var("roi__reporting_currency") | upper }}' as currency
    from posts
    left join post_cost
        on posts.platform = post_cost.platform
        and posts.post_id = post_cost.post_id
    left join post_revenue
        on posts.platform = post_revenue.platform
        and posts.post_id = post_revenue.post_id
)

select * from final
