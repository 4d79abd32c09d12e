"""Writers that turn a simulated world into the export files marketers download.

Headers are written in the ``writers_*`` modules from the platforms' published layouts, on purpose
independently of the parsers in ``social_roi.ingest``: if a parser's column map were wrong, a shared list would
hide it. The pipeline detects a file's format by its header, never by its name; names are only realistic.

Layout of a generated world::

    <out>/inbox/<YYYY-MM-DD>/...   the files exported on that day (what the daily DAG picks up)
    <out>/truth/                   ground truth: Shapley value of the revenue game per channel and baseline
                                   (channel_shapley_revenue.csv), removal effects, deals per rep, summary

Files of one export day (``<d>`` = the day, ISO; ``<d-27>`` = four weeks earlier)::

    events_<YYYYMMDD>.csv                               GA4 BigQuery export, flattened (session_start, purchase)
    orders_export_<d>.csv                               Shopify orders (line items)
    orders-report-export-<d>.csv                        WooCommerce Analytics › Orders
    unified_payments.csv                                Stripe payments (Payment Links), failed attempts included
    Meta-Ads-Report-<d>.csv | Rapport-Meta-Ads-<d>.csv  Meta Ads Manager, daily, per ad (fr: `;`, French headers)
    account_508123456_campaign_performance_report_<d>.csv   LinkedIn Campaign Manager (fr: UTF-16, tabs)
    tiktok_ads_campaign_report_<d>.csv                  TikTok Ads, per campaign
    instagram_posts_<d>.csv, facebook_posts_<d>.csv     Meta Business Suite lifetime post snapshots
    tweet_activity_metrics_<handle>_<d-27>_<d>_en.csv   X tweet activity
    linkedin_page_updates_<d>.xlsx                      LinkedIn page (two sheets, header on row 2)
    TikTok_Content_<d-27>_<d>.xlsx | .csv               TikTok Studio content (xlsx one day in three)
    Content <d-27>_<d> Example Shop.zip                 YouTube Studio: Table data.csv, Chart data.csv, Totals.csv
    report<epoch ms>.csv                                Salesforce opportunity report (with footer)
    hubspot-crm-exports-all-deals-<d>.csv               HubSpot deals
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from social_roi.simulate.world import (
    DAY_S,
    INFLUENCERS,
    REP_COUPONS,
    SALES_REPS,
    SALES_SYSTEMS,
    World,
    deal_truth,
)
from social_roi.simulate.writers_ads import (  # noqa: F401  (re-exported)
    META_ADS_HEADER,
    ad_daily,
    meta_daily,
    write_linkedin_ads,
    write_meta_ads,
    write_tiktok_ads,
)
from social_roi.simulate.writers_common import (  # noqa: F401  (re-exported)
    IG_ACCOUNT_ID,
    PAGE_ID,
    SHOP_DOMAIN,
    SNAPSHOT_MAX_AGE_DAYS,
    X_HANDLE,
    landing_urls,
    post_ids,
    traffic_fields,
)
from social_roi.simulate.writers_sales import (  # noqa: F401  (re-exported)
    SHOPIFY_HEADER,
    write_hubspot,
    write_salesforce,
    write_shopify,
    write_stripe,
    write_woocommerce,
)
from social_roi.simulate.writers_social import (
    Engagement,
    post_snapshots,
    write_facebook,
    write_instagram,
    write_linkedin,
    write_tiktok_content,
    write_x,
    write_youtube,
)

GA4_HEADER = (
    "event_date",
    "event_timestamp",
    "event_name",
    "user_pseudo_id",
    "user_id",
    "event_params.ga_session_id",
    "event_params.page_location",
    "ecommerce.transaction_id",
    "ecommerce.purchase_revenue",
    "traffic_source.source",
    "traffic_source.medium",
    "traffic_source.name",
    "collected_traffic_source.manual_campaign_id",
    "collected_traffic_source.manual_campaign_name",
    "collected_traffic_source.manual_source",
    "collected_traffic_source.manual_medium",
    "collected_traffic_source.manual_term",
    "collected_traffic_source.manual_content",
    "collected_traffic_source.gclid",
)
FORMATS_PER_DAY = 15


def order_ids(world: World) -> pd.Series:
    """The id of each order in its sales system (GA4's transaction_id), indexed like ``world.orders``."""
    return world.orders["order_id"]


def order_names(world: World) -> pd.Series:
    """Shopify ``Name`` (``#1001``…); for WooCommerce and Stripe orders, their id."""
    return world.orders["order_name"]


def write_ga4(
    world: World, day: date, folder: Path, rows: np.ndarray, urls: np.ndarray, traffic: pd.DataFrame | None = None
) -> Path:
    """GA4 BigQuery export of one day, flattened: a session_start per session and a purchase per order."""
    s = world.sessions.iloc[rows]
    cust = world.customers.iloc[s["customer_index"].to_numpy()]
    tf = (traffic if traffic is not None else traffic_fields(world)).iloc[rows]
    logged_in = (s["basket_seed"].to_numpy() % 5) < 3
    utm = pd.Series(urls[rows]).str.extract(r"utm_campaign=([^&]+)")[0].fillna("").to_numpy()
    ga_session = s["ts"].to_numpy().astype(str)
    source, medium = tf["source"].to_numpy(), tf["medium"].to_numpy()
    starts = pd.DataFrame(
        {
            "event_date": day.strftime("%Y%m%d"),
            "event_timestamp": s["ts"].to_numpy() * 1_000_000 + 123_456,
            "event_name": "session_start",
            "user_pseudo_id": cust["user_pseudo_id"].to_numpy(),
            "user_id": np.where(logged_in, "cust_" + cust["customer_id"].astype(str).to_numpy(), ""),
            "event_params.ga_session_id": ga_session,
            "event_params.page_location": urls[rows],
            "ecommerce.transaction_id": "",
            "ecommerce.purchase_revenue": "",
            "traffic_source.source": source,
            "traffic_source.medium": medium,
            "traffic_source.name": np.where(utm != "", utm, "(direct)"),
            "collected_traffic_source.manual_campaign_id": "",
            "collected_traffic_source.manual_campaign_name": utm,
            "collected_traffic_source.manual_source": np.where(source == "(direct)", "", source),
            "collected_traffic_source.manual_medium": np.where(medium == "(none)", "", medium),
            "collected_traffic_source.manual_term": "",
            "collected_traffic_source.manual_content": "",
            "collected_traffic_source.gclid": "",
        },
        columns=GA4_HEADER,
    )
    conv = s["converted"].to_numpy()
    purchases = starts[conv].copy()
    purchases["event_name"] = "purchase"
    purchases["event_timestamp"] = purchases["event_timestamp"] + 240_000_000
    purchases["ecommerce.transaction_id"] = s["order_id"].to_numpy()[conv]
    purchases["ecommerce.purchase_revenue"] = s.loc[conv, "total"].map("{:.2f}".format).to_numpy()
    events = pd.concat([starts, purchases]).sort_values("event_timestamp", kind="stable")
    path = folder / f"events_{day.strftime('%Y%m%d')}.csv"
    events.to_csv(path, index=False, lineterminator="\n")
    return path


def coupon_seed() -> pd.DataFrame:
    """Coupon code → who it belongs to: the mapping the dbt project ships as a seed."""
    rows = [(code, "instagram_influencer", "instagram", handle, "") for handle, code in INFLUENCERS]
    rows += [(code, "linkedin_organic", "linkedin", "", rep) for code, rep in zip(REP_COUPONS, SALES_REPS)]
    return pd.DataFrame(rows, columns=["coupon_code", "channel", "platform", "influencer", "sales_rep"])


PARALLEL_MIN_SESSIONS = 200_000  # below this, forking workers costs more than it saves
_DAY_STATE: dict | None = None  # what forked workers inherit from write_world


def _write_day(state: dict, offset: int) -> int:
    world = state["world"]
    cfg = world.config
    urls, daily_ads, engine = state["urls"], state["daily_ads"], state["engine"]
    day = cfg.start_date + timedelta(days=offset)
    folder = state["inbox"] / day.isoformat()
    folder.mkdir(exist_ok=True)
    by_day, bounds, tracked = state["by_day"], state["bounds"], state["tracked"]
    today = np.sort(by_day[bounds[offset] : bounds[offset + 1]])
    snap = post_snapshots(world, day, engine)
    written = [
        write_ga4(world, day, folder, today[tracked[today]], urls, state["traffic"]),
        write_shopify(world, day, folder, today),
        write_woocommerce(world, day, folder, today, urls),
        write_stripe(world, day, folder, today, urls),
        write_meta_ads(world, day, folder, daily_ads),
        write_linkedin_ads(world, day, folder, daily_ads),
        write_tiktok_ads(world, day, folder, daily_ads),
        write_instagram(world, day, folder, snap),
        write_facebook(world, day, folder, snap),
        write_x(world, day, folder, snap),
        write_linkedin(world, day, folder, snap),
        write_tiktok_content(world, day, folder, snap),
        write_youtube(world, day, folder, snap, engine),
        write_salesforce(world, day, folder),
        write_hubspot(world, day, folder),
    ]
    return len(written)


def _write_days_in_worker(offsets: list[int]) -> int:
    assert _DAY_STATE is not None
    return sum(_write_day(_DAY_STATE, offset) for offset in offsets)


def _workers(world: World) -> int:
    """Day folders are independent, so big worlds write them in forked workers (same bytes, less time)."""
    env = os.environ.get("SOCIAL_ROI_GENERATE_WORKERS")
    if env:
        return max(int(env), 1)
    if len(world.sessions) < PARALLEL_MIN_SESSIONS or "fork" not in mp.get_all_start_methods():
        return 1
    return max(min(os.cpu_count() or 1, 8), 1)


def write_world(world: World, out: Path, progress=print) -> dict:
    """Write every export of every day, and the ground truth, under ``out``."""
    global _DAY_STATE
    cfg = world.config
    inbox, truth_dir = out / "inbox", out / "truth"
    inbox.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    s = world.sessions
    day_of = (s["ts"].to_numpy() - cfg.start_epoch) // DAY_S
    by_day = np.argsort(day_of, kind="stable")
    consent = (world.customers["customer_id"].to_numpy() * 2654435761 % 100) >= 8  # 8% never tracked by GA4
    daily_ads = ad_daily(world)
    state = {
        "world": world,
        "inbox": inbox,
        "urls": landing_urls(world),
        "traffic": traffic_fields(world),
        "tracked": consent[s["customer_index"].to_numpy()],
        "daily_ads": daily_ads,
        "engine": Engagement(world),
        "by_day": by_day,
        "bounds": np.searchsorted(day_of[by_day], np.arange(cfg.days + 1), side="left"),
    }
    files = 0
    workers = min(_workers(world), cfg.days)
    if workers > 1:
        chunks = [list(range(start, min(start + 10, cfg.days))) for start in range(0, cfg.days, 10)]
        _DAY_STATE = state
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                for done, count in enumerate(pool.imap_unordered(_write_days_in_worker, chunks), start=1):
                    files += count
                    if progress:
                        progress(f"  wrote {min(done * 10, cfg.days)}/{cfg.days} days of exports ({workers} workers)")
        finally:
            _DAY_STATE = None
    else:
        for offset in range(cfg.days):
            files += _write_day(state, offset)
            if progress and (offset + 1) % 10 == 0:
                progress(f"  wrote {offset + 1}/{cfg.days} days of exports")
    orders = world.orders
    world.truth.to_csv(truth_dir / "channel_incremental_revenue.csv", index=False)
    if len(world.additive_truth):
        world.additive_truth.to_csv(truth_dir / "channel_shapley_revenue.csv", index=False)
    deals = deal_truth(world)
    deals.to_csv(truth_dir / "deals.csv", index=False)
    coupon_seed().to_csv(truth_dir / "coupon_codes.csv", index=False)
    by_system = orders.groupby("sales_system")["net_revenue"].agg(["size", "sum"]).reindex(list(SALES_SYSTEMS))
    stripe_attempts = _stripe_failed_attempts(world)
    spend = daily_ads.groupby("platform")["spend"].sum().round(2)
    summary = {
        "scale": cfg.scale,
        "days": cfg.days,
        "seed": cfg.seed,
        "locale": cfg.locale,
        "currency": cfg.currency,
        "scenario": cfg.scenario,
        "start_date": cfg.start_date.isoformat(),
        "end_date": cfg.end_date.isoformat(),
        "sessions": len(s),
        "orders": len(orders),
        "posts": len(world.posts),
        "net_revenue": round(float(orders["net_revenue"].sum()), 2),
        "files": files,
        "formats_per_day": FORMATS_PER_DAY,
        "orders_by_system": {k: int(v) for k, v in by_system["size"].fillna(0).items()},
        "net_revenue_by_system": {k: round(float(v), 2) for k, v in by_system["sum"].fillna(0.0).items()},
        "cancelled_orders": int(orders["is_cancelled"].sum()),
        "stripe_failed_attempts": stripe_attempts,
        "ad_spend_by_platform": {k: float(v) for k, v in spend.items()},
        "deals": int(deals["deals"].sum()),
        "deals_won": int(deals["deals_won"].sum()),
        "deal_amount_won": round(float(deals["amount_won"].sum()), 2),
        "additive_truth_method": world.additive_truth.attrs.get("method", ""),
        "posts_by_platform": {k: int(v) for k, v in world.posts["platform"].value_counts().sort_index().items()},
    }
    (truth_dir / "world.json").write_text(json.dumps(summary, indent=2))
    return summary


def _stripe_failed_attempts(world: World) -> int:
    from social_roi.simulate.world import STRIPE_ABANDONED_RATE, STRIPE_FAILED_RETRY_RATE

    s = world.sessions
    stripe = (s["sales_system"] == "stripe").to_numpy()
    conv = s["converted"].to_numpy()
    fail = s["stripe_fail_draw"].to_numpy()
    return int(
        (stripe & conv & (fail < STRIPE_FAILED_RETRY_RATE)).sum()
        + (stripe & ~conv & (fail < STRIPE_ABANDONED_RATE)).sum()
    )
