"""A hand-built audit schema: the smallest clean world the mart gate must pass (tests break it one way each)."""

from __future__ import annotations

from datetime import date

import duckdb

RUN_DATE = date(2026, 3, 10)

CLEAN_WORLD = """
create schema audit;

-- Two conversions: o1 the day before the run, o2 on the run day.
create table audit.int_conversions as
select * from (values
    ('o1', 1001, 'purchase', 'email:5e88', timestamp '2026-03-09 14:00:00', date '2026-03-09', 'USD',
     cast(100.00 as decimal(18, 2)), null),
    ('o2', 1002, 'purchase', 'order:o2', timestamp '2026-03-10 09:30:00', date '2026-03-10', 'USD',
     cast(50.00 as decimal(18, 2)), 'SPRING10')
) as t(conversion_id, order_id, conversion_type, customer_key, converted_at, conversion_date, currency, revenue,
       discount_code);

-- Two models. o1: a paid Facebook click then an organic Instagram post; o2: one paid Facebook click.
create table audit.fct_attributed_revenue as
with credits(conversion_id, touch_id, attribution_model, channel, platform, campaign_id, post_id, touch_index,
             path_length, credit) as (
    values
        ('o1', 'click:u1.1', 'linear', 'facebook_paid', 'facebook', 'cmp_1', null, 1, 2, 0.5),
        ('o1', 'click:u1.2', 'linear', 'instagram_organic', 'instagram', null, 'ig_post_7', 2, 2, 0.5),
        ('o2', 'click:u2.1', 'linear', 'facebook_paid', 'facebook', 'cmp_1', null, 1, 1, 1.0),
        ('o1', 'click:u1.2', 'last_touch', 'instagram_organic', 'instagram', null, 'ig_post_7', 2, 2, 1.0),
        ('o2', 'click:u2.1', 'last_touch', 'facebook_paid', 'facebook', 'cmp_1', null, 1, 1, 1.0)
)
select
    credits.conversion_id || '|' || credits.touch_id || '|' || credits.attribution_model as attributed_revenue_id,
    credits.conversion_id, credits.touch_id, credits.attribution_model,
    conversions.conversion_type, conversions.converted_at, conversions.conversion_date,
    credits.channel, credits.platform, credits.campaign_id, credits.post_id, credits.touch_index,
    credits.path_length, credits.credit,
    credits.credit * conversions.revenue as attributed_revenue,
    conversions.revenue as conversion_revenue,
    conversions.currency
from credits
inner join audit.int_conversions as conversions on credits.conversion_id = conversions.conversion_id;

-- Meta spend: 50 USD a day on cmp_1 for the 14 days up to the run day.
create table audit.stg_meta__ads_daily as
select
    cast(day as date) as spend_date, 'cmp_1' as campaign_id, 'Spring sale' as campaign_name,
    'as_1' as ad_set_id, 'Spring set' as ad_set_name, 'ad_1' as ad_id, 'Spring ad' as ad_name, 'USD' as currency,
    cast(50.00 as decimal(18, 2)) as spend, 1000 as impressions, 20 as link_clicks, 1 as claimed_purchases,
    cast(80.00 as decimal(18, 2)) as claimed_purchase_value
from generate_series(date '2026-02-25', date '2026-03-10', interval 1 day) as days(day);

create table audit.dim_campaigns as
select * from (values ('cmp_1', 'Spring sale', 'meta_ads', 'facebook', date '2026-02-25', date '2026-03-10'))
    as t(campaign_id, campaign_name, ad_account_source, platform, first_spend_date, last_spend_date);

-- Ten sessions a day for the 28 days before the run day and on it.
create table audit.int_sessions as
select
    'u' || n || '.' || strftime(day, '%Y%m%d') as session_key,
    'u' || n as user_pseudo_id,
    day + interval 10 hour + n * interval 1 minute as session_started_at,
    'facebook' as utm_source, 'paid' as utm_medium, 'cmp_1' as utm_campaign, 'facebook_paid' as channel
from generate_series(timestamp '2026-02-10', timestamp '2026-03-10', interval 1 day) as days(day),
     generate_series(1, 10) as ns(n);

-- Organic cost: 10 USD a day of content on Instagram for the 14 days up to the run day (spend starts then too).
create table audit.int_organic_costs_daily as
select cast(day as date) as date_day, 'instagram' as platform, 'content' as cost_type, 'USD' as original_currency,
    cast(10.00 as decimal(18, 2)) as original_amount, 'USD' as currency, cast(10.00 as decimal(18, 2)) as cost
from generate_series(date '2026-02-25', date '2026-03-10', interval 1 day) as days(day);

-- The ROI mart, built from the tables above the way fct_channel_roi_daily does.
create table audit.fct_channel_roi_daily as
with revenue as (
    select conversion_date as date_day, platform, coalesce(campaign_id, '(organic)') as campaign_id,
        attribution_model, currency, sum(credit) as attributed_conversions,
        sum(attributed_revenue) as attributed_revenue
    from audit.fct_attributed_revenue
    group by all
),
spend as (
    select spend.spend_date as date_day, campaigns.platform, spend.campaign_id, models.attribution_model,
        spend.currency, sum(spend.spend) as spend
    from audit.stg_meta__ads_daily as spend
    inner join audit.dim_campaigns as campaigns on spend.campaign_id = campaigns.campaign_id
    cross join (values ('linear'), ('last_touch')) as models(attribution_model)
    group by all
),
organic as (
    select costs.date_day, costs.platform, '(organic)' as campaign_id, models.attribution_model, costs.currency,
        sum(costs.cost) as organic_cost
    from audit.int_organic_costs_daily as costs
    cross join (values ('linear'), ('last_touch')) as models(attribution_model)
    group by all
),
joined as (
    select date_day, platform, campaign_id, attribution_model, currency,
        sum(spend) as spend, sum(organic_cost) as organic_cost,
        sum(attributed_conversions) as attributed_conversions, sum(attributed_revenue) as attributed_revenue
    from (
        select date_day, platform, campaign_id, attribution_model, currency, 0 as spend, 0 as organic_cost,
            attributed_conversions, attributed_revenue
        from revenue
        union all
        select date_day, platform, campaign_id, attribution_model, currency, spend, 0, 0, 0 from spend
        union all
        select date_day, platform, campaign_id, attribution_model, currency, 0, organic_cost, 0, 0 from organic
    ) as parts
    group by all
)
select
    joined.date_day, joined.platform, joined.campaign_id,
    coalesce(campaigns.campaign_name, joined.campaign_id) as campaign_name,
    joined.attribution_model, joined.currency, joined.spend, joined.organic_cost, joined.attributed_conversions,
    joined.attributed_revenue,
    case when joined.spend > 0 then joined.attributed_revenue / joined.spend end as roas
from joined
left join audit.dim_campaigns as campaigns on joined.campaign_id = campaigns.campaign_id;
"""


def build_clean_world(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(CLEAN_WORLD)
