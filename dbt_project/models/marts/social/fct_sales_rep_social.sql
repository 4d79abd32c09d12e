-- Sales rep x month: social selling. Posts the rep published (LinkedIn "Posted by"), their engagements, the
-- touches credited to the rep (clicks on rep-tagged links, rep coupon codes, deals owned), the revenue those
-- touches earned under the primary model, and the deals the rep won.
with reps as (
    select * from {{ ref('sales_reps') }}
),

posts as (
    select * from {{ ref('dim_posts') }}
),

performance as (
    select * from {{ ref('fct_post_performance') }}
),

touches as (
    select * from {{ ref('int_touchpoints') }}
),

attributed as (
    select * from {{ ref('fct_attributed_revenue') }}
    where attribution_model = '{{ var("roi__primary_model") }}'
        and sales_rep is not null
),

deals as (
    select * from {{ ref('int_deals_unioned') }}
),

rep_posts as (
    select posts.posted_by as sales_rep, {{ dbt.date_trunc('month', 'posts.published_at') }} as month_start,
        count(*) as posts
    from posts
    inner join reps on posts.posted_by = reps.sales_rep
    group by posts.posted_by, {{ dbt.date_trunc('month', 'posts.published_at') }}
),

rep_engagements as (
    select posts.posted_by as sales_rep, {{ dbt.date_trunc('month', 'performance.date_day') }} as month_start,
        sum(performance.engagements) as engagements
    from performance
    inner join posts on performance.post_key = posts.post_key
    inner join reps on posts.posted_by = reps.sales_rep
    group by posts.posted_by, {{ dbt.date_trunc('month', 'performance.date_day') }}
),

rep_touches as (
    select sales_rep, {{ dbt.date_trunc('month', 'touched_at') }} as month_start, count(*) as touches
    from touches
    where sales_rep is not null
    group by sales_rep, {{ dbt.date_trunc('month', 'touched_at') }}
),

rep_revenue as (
    select sales_rep, {{ dbt.date_trunc('month', 'conversion_date') }} as month_start,
        sum(credit) as attributed_conversions, sum(attributed_revenue) as attributed_revenue
    from attributed
    group by sales_rep, {{ dbt.date_trunc('month', 'conversion_date') }}
),

rep_deals as (
    select sales_rep, {{ dbt.date_trunc('month', 'closed_on') }} as month_start,
        count(*) as deals_won, sum(amount) as deals_won_amount
    from deals
    where is_won and closed_on is not null
    group by sales_rep, {{ dbt.date_trunc('month', 'closed_on') }}
),

keys as (
    select sales_rep, month_start from rep_posts
    union
    select sales_rep, month_start from rep_engagements
    union
    select sales_rep, month_start from rep_touches
    union
    select sales_rep, month_start from rep_revenue
    union
    select sales_rep, month_start from rep_deals
),

final as (
    select
        keys.sales_rep || ':' || cast(cast(keys.month_start as date) as {{ dbt.type_string() }}) as rep_month_id,
        keys.sales_rep,
        cast(keys.month_start as date) as month_start,
        coalesce(rep_posts.posts, 0) as posts,
        coalesce(rep_engagements.engagements, 0) as engagements,
        coalesce(rep_touches.touches, 0) as touches,
        coalesce(rep_revenue.attributed_conversions, 0) as attributed_conversions,
        coalesce(rep_revenue.attributed_revenue, 0) as attributed_revenue,
        '{{ var("roi__reporting_currency") | upper }}' as currency,
        coalesce(rep_deals.deals_won, 0) as deals_won,
        coalesce(rep_deals.deals_won_amount, 0) as deals_won_amount
    from keys
    left join rep_posts on keys.sales_rep = rep_posts.sales_rep and keys.month_start = rep_posts.month_start
    left join rep_engagements
        on keys.sales_rep = rep_engagements.sales_rep and keys.month_start = rep_engagements.month_start
    left join rep_touches on keys.sales_rep = rep_touches.sales_rep and keys.month_start = rep_touches.month_start
    left join rep_revenue on keys.sales_rep = rep_revenue.sales_rep and keys.month_start = rep_revenue.month_start
    left join rep_deals on keys.sales_rep = rep_deals.sales_rep and keys.month_start = rep_deals.month_start
)

select * from final
