"""Benchmark the mart gate on an SF1-sized synthetic audit schema.

SF1: 100k conversions x 7 attribution models (~1.5M attribution rows), 1M sessions, 365 days of spend on 20
campaigns, built with generate_series in a temporary DuckDB file. Prints the seconds of the build and of two gate
runs (the first includes importing Great Expectations). Usage: python scripts/bench_gate.py [--scale 1.0]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

RUN_DATE = date(2026, 12, 31)
MODELS = ["first_touch", "last_touch", "linear", "position_based", "time_decay", "markov", "shapley"]

BUILD = """
create schema audit;

create table audit.int_conversions as
select
    'o' || i as conversion_id,
    i as order_id,
    'purchase' as conversion_type,
    'email:' || md5(cast(i % 80000 as varchar)) as customer_key,
    cast(date '2026-01-01' + cast(i % 365 as integer) as timestamp) + interval 9 hour + (i % 600) * interval 1 minute
        as converted_at,
    date '2026-01-01' + cast(i % 365 as integer) as conversion_date,
    'USD' as currency,
    cast(20 + (i % 97) * 1.5 as decimal(18, 2)) as revenue,
    null as discount_code
from range({conversions}) as t(i);

create table audit.int_conversion_paths as
with conversions as (
    select conversion_id, conversion_date, 1 + cast(hash(conversion_id) % 4 as integer) as path_length
    from audit.int_conversions
)
select
    conversions.conversion_id,
    'click:' || conversions.conversion_id || '.' || k as touch_id,
    k as touch_index,
    conversions.path_length,
    (conversions.path_length - k) * 3 as days_before_conversion,
    ['facebook', 'instagram', 'x', 'linkedin'][1 + cast(hash(conversions.conversion_id || k) % 4 as integer)]
        as platform,
    case when hash(conversions.conversion_id || k || 'paid') % 2 = 0
        then 'cmp_' || hash(conversions.conversion_id || k) % 20 end as campaign_id
from conversions, generate_series(1, 4) as ks(k)
where k <= conversions.path_length;

create table audit.fct_attributed_revenue as
with credited as (
    select paths.*, models.attribution_model,
        case models.attribution_model
            when 'first_touch' then case when touch_index = 1 then 1.0 else 0 end
            when 'last_touch' then case when touch_index = path_length then 1.0 else 0 end
            else 1.0 / path_length
        end as credit
    from audit.int_conversion_paths as paths
    cross join (select unnest({models}) as attribution_model) as models
)
select
    credited.conversion_id || '|' || credited.touch_id || '|' || credited.attribution_model as attributed_revenue_id,
    credited.conversion_id, credited.touch_id, credited.attribution_model,
    conversions.conversion_type, conversions.converted_at, conversions.conversion_date,
    'social_click' as touch_type,
    credited.platform || case when credited.campaign_id is null then '_organic' else '_paid' end as channel,
    credited.platform, credited.campaign_id,
    case when credited.campaign_id is null then 'post_' || hash(credited.touch_id) % 500 end as post_id,
    credited.touch_index, credited.path_length, credited.credit,
    credited.credit * conversions.revenue as attributed_revenue,
    conversions.revenue as conversion_revenue,
    conversions.currency
from credited
inner join audit.int_conversions as conversions on credited.conversion_id = conversions.conversion_id
where credited.credit > 0;

create table audit.stg_meta__ads_daily as
select
    day::date as spend_date, 'cmp_' || c as campaign_id, 'Campaign ' || c as campaign_name,
    'as_' || c as ad_set_id, 'Set ' || c as ad_set_name, 'ad_' || c || '_' || a as ad_id,
    'Ad ' || c || '/' || a as ad_name, 'USD' as currency,
    cast(5 + (c * 7 + a) % 40 as decimal(18, 2)) as spend, 1000 + c * a as impressions, 10 + a as link_clicks,
    a % 2 as claimed_purchases, cast(a * 10 as decimal(18, 2)) as claimed_purchase_value
from generate_series(timestamp '2026-01-01', timestamp '2026-12-31', interval 1 day) as days(day),
     range(20) as cs(c), range(5) as ads(a);

create table audit.dim_campaigns as
select campaign_id, max(campaign_name) as campaign_name, 'meta_ads' as ad_account_source,
    ['facebook', 'instagram', 'x', 'linkedin'][1 + cast(hash(campaign_id) % 4 as integer)] as platform,
    min(spend_date) as first_spend_date, max(spend_date) as last_spend_date
from audit.stg_meta__ads_daily
group by campaign_id;

create table audit.int_sessions as
select
    'u' || (i % 400000) || '.' || i as session_key,
    'u' || (i % 400000) as user_pseudo_id,
    timestamp '2026-01-01 00:00:00' + (i % 365) * interval 1 day + (i % 86400) * interval 1 second
        as session_started_at,
    'facebook' as utm_source, 'paid_social' as utm_medium, 'cmp_' || i % 20 as utm_campaign,
    'facebook_paid' as channel
from range({sessions}) as t(i);

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
    cross join (select unnest({models}) as attribution_model) as models
    group by all
),
joined as (
    select
        coalesce(revenue.date_day, spend.date_day) as date_day,
        coalesce(revenue.platform, spend.platform) as platform,
        coalesce(revenue.campaign_id, spend.campaign_id) as campaign_id,
        coalesce(revenue.attribution_model, spend.attribution_model) as attribution_model,
        coalesce(revenue.currency, spend.currency) as currency,
        coalesce(spend.spend, 0) as spend,
        coalesce(revenue.attributed_conversions, 0) as attributed_conversions,
        coalesce(revenue.attributed_revenue, 0) as attributed_revenue
    from revenue
    full outer join spend using (date_day, platform, campaign_id, attribution_model, currency)
)
select
    joined.date_day, joined.platform, joined.campaign_id,
    coalesce(campaigns.campaign_name, joined.campaign_id) as campaign_name,
    joined.attribution_model, joined.currency, joined.spend, joined.attributed_conversions,
    joined.attributed_revenue,
    case when joined.spend > 0 then joined.attributed_revenue / joined.spend end as roas
from joined
left join audit.dim_campaigns as campaigns on joined.campaign_id = campaigns.campaign_id;
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100k conversions, 1M sessions")
    parser.add_argument("--keep", type=Path, help="build the DuckDB file here and keep it")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger("social_roi.quality.gate").setLevel(logging.DEBUG)

    from social_roi.quality.gate import GateFailed, run_mart_gate

    with tempfile.TemporaryDirectory(prefix="bench_gate_") as tmp:
        path = args.keep or Path(tmp) / "work.duckdb"
        con = duckdb.connect(str(path))
        started = time.perf_counter()
        con.execute(
            BUILD.format(
                conversions=int(100_000 * args.scale),
                sessions=int(1_000_000 * args.scale),
                models="[" + ", ".join(f"'{m}'" for m in MODELS) + "]",
            )
        )
        build = time.perf_counter() - started
        sizes = {
            t: con.execute(f"select count(*) from audit.{t}").fetchone()[0]
            for t in (
                "int_conversions",
                "fct_attributed_revenue",
                "int_sessions",
                "stg_meta__ads_daily",
                "fct_channel_roi_daily",
            )
        }
        print(f"built in {build:.1f} s: " + ", ".join(f"{t} {n:,}" for t, n in sizes.items()))
        timings = []
        for attempt in ("cold (includes importing GX)", "warm"):
            started = time.perf_counter()
            try:
                result = run_mart_gate(
                    con, run_id=f"bench-{len(timings)}", run_date=RUN_DATE, docs_dir=Path(tmp) / "docs"
                )
            except GateFailed as exc:
                print(exc, file=sys.stderr)
                return 1
            timings.append(time.perf_counter() - started)
            print(
                f"mart gate {attempt}: {timings[-1]:.1f} s — {len(result.outcomes)} expectations, "
                f"{len(result.blocking_failures)} blocking failures, {len(result.warnings)} warnings"
            )
        con.close()
    print(f"RESULT mart gate at SF{args.scale:g}: {timings[0]:.1f} s cold, {timings[1]:.1f} s warm (target < 30 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
