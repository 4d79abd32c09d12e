-- Paid campaigns of every ads export, with their platform and the ads account they run in; plus campaigns that
-- customers' touches name (UTM campaign ids, click ids) but no ads export covers — e.g. a shop that loads its
-- orders and not its ads exports — with no spend and has_spend_export = false, so every campaign a mart names is
-- here.
with spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

attributed as (
    select * from {{ ref('fct_attributed_revenue') }}
),

exported as (
    select
        campaign_id,
        max(campaign_name) as campaign_name,
        max(ad_source) as ad_source,
        max(platform) as platform,
        min(spend_date) as first_spend_date,
        max(spend_date) as last_spend_date,
        sum(spend) as lifetime_spend,
        max(currency) as currency,
        true as has_spend_export
    from spend
    group by campaign_id
),

touched_only as (
    select
        attributed.campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_name,
        cast(null as {{ dbt.type_string() }}) as ad_source,
        max(attributed.platform) as platform,
        cast(null as date) as first_spend_date,
        cast(null as date) as last_spend_date,
        cast(0 as {{ dbt.type_numeric() }}) as lifetime_spend,
        max(attributed.currency) as currency,
        false as has_spend_export
    from attributed
    where attributed.campaign_id is not null
        and attributed.campaign_id not in (select campaign_id from exported where campaign_id is not null)
    group by attributed.campaign_id
),

final as (
    select * from exported
    union all
    select * from touched_only
)

select * from final
