-- What organic social costs per platform and day, in the reporting currency:
--   content   seed content_costs 'per_post' x posts published that day, and 'per_month' fees spread evenly over
--             the days of each month
--   sales_rep seed sales_rep_costs: monthly cost x social selling share, spread over the days, on LinkedIn
-- Window: from the first day with a conversion or ad spend up to the run date (the ROI mart's window).
with posts as (
    select * from {{ ref('int_posts') }}
),

content_costs as (
    select * from {{ ref('content_costs') }}
),

rep_costs as (
    select * from {{ ref('sales_rep_costs') }}
),

calendar as (
    {{ day_spine(dbt.dateadd('day', -var('roi__history_days'), "cast('" ~ var('roi__run_date') ~ "' as date)"),
                 "cast('" ~ var('roi__run_date') ~ "' as date)") }}
),

days_in_month as (
    select
        date_day,
        count(*) over (partition by {{ dbt.date_trunc('month', 'date_day') }}) as month_days,
        {{ dbt.datediff(dbt.date_trunc('month', 'date_day'),
                        dbt.dateadd('month', 1, dbt.date_trunc('month', 'date_day')), 'day') }} as calendar_month_days
    from calendar
),

post_costs as (
    select
        cast(posts.published_at as date) as date_day,
        posts.platform,
        'content' as cost_type,
        content_costs.currency,
        sum(content_costs.amount) as amount
    from posts
    inner join content_costs
        on posts.platform = content_costs.platform
        and content_costs.cost_basis = 'per_post'
    group by cast(posts.published_at as date), posts.platform, content_costs.currency
),

monthly_fees as (
    select
        days_in_month.date_day,
        content_costs.platform,
        'content' as cost_type,
        content_costs.currency,
        sum(content_costs.amount / days_in_month.calendar_month_days) as amount
    from days_in_month
    cross join content_costs
    where content_costs.cost_basis = 'per_month'
    group by days_in_month.date_day, content_costs.platform, content_costs.currency
),

rep_time as (
    select
        days_in_month.date_day,
        'linkedin' as platform,
        'sales_rep' as cost_type,
        rep_costs.currency,
        sum(rep_costs.monthly_cost * rep_costs.social_selling_share / days_in_month.calendar_month_days) as amount
    from days_in_month
    cross join rep_costs
    group by days_in_month.date_day, rep_costs.currency
),

unioned as (
    select * from post_costs
    union all
    select * from monthly_fees
    union all
    select * from rep_time
),

first_activity as (
    -- organic cost is windowed like spend and revenue: it starts on the first day with sales (a conversion) or
    -- ad spend, since costs of days before any sales data could earn no measured revenue (posts published
    -- earlier still count from that day on through their monthly fees and rep time, not through their content)
    select min(first_day) as first_day from (
        select min(conversion_date) as first_day from {{ ref('int_conversions') }}
        union all
        select min(spend_date) from {{ ref('int_ad_spend_daily') }} where spend <> 0
    ) as firsts
),

final as (
    select
        unioned.date_day,
        unioned.platform,
        unioned.cost_type,
        unioned.currency as original_currency,
        unioned.amount as original_amount,
        '{{ var("roi__reporting_currency") | upper }}' as currency,
        unioned.amount * fx.rate as cost
    from unioned
    cross join first_activity
    {{ fx_join('unioned.currency', 'unioned.date_day') }}
    where unioned.date_day >= first_activity.first_day
        and unioned.date_day <= cast('{{ var("roi__run_date") }}' as date)
)

select * from final
