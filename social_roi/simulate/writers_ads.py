"""Paid-social exports: Meta Ads Manager, LinkedIn Campaign Manager, TikTok Ads (one file per export day).

Spend is clicks × CPC: Meta with a ±15 % auction jitter, TikTok and LinkedIn exactly. Each platform also claims
the orders that followed a click on its ads inside its click window (Meta and TikTok 7 days, LinkedIn 30 days):
platforms over-claim, which is what the reconciliation compares to real orders.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from social_roi.simulate.world import DAY_S, World
from social_roi.simulate.writers_common import export_time, mdy, num

META_ADS_HEADER = {
    "en": {
        "starts": "Reporting starts",
        "ends": "Reporting ends",
        "day": "Day",
        "campaign": "Campaign name",
        "campaign_id": "Campaign ID",
        "adset": "Ad set name",
        "ad": "Ad name",
        "ad_id": "Ad ID",
        "delivery": "Campaign delivery",
        "attribution": "Attribution setting",
        "results": "Results",
        "indicator": "Result indicator",
        "reach": "Reach",
        "frequency": "Frequency",
        "cost_per_result": "Cost per results",
        "spent": "Amount spent ({cur})",
        "impressions": "Impressions",
        "cpm": "CPM (cost per 1,000 impressions) ({cur})",
        "link_clicks": "Link clicks",
        "cpc": "CPC (cost per link click) ({cur})",
        "ctr": "CTR (link click-through rate)",
        "clicks": "Clicks (all)",
        "purchases": "Purchases",
        "purchases_value": "Purchases conversion value",
    },
    "fr": {
        "starts": "Début des rapports",
        "ends": "Fin des rapports",
        "day": "Jour",
        "campaign": "Nom de la campagne",
        "campaign_id": "Identifiant de la campagne",
        "adset": "Nom de l’ensemble de publicités",
        "ad": "Nom de la publicité",
        "ad_id": "Identifiant de la publicité",
        "delivery": "Diffusion de la campagne",
        "attribution": "Paramètre d’attribution",
        "results": "Résultats",
        "indicator": "Indicateur de résultats",
        "reach": "Couverture",
        "frequency": "Répétition",
        "cost_per_result": "Coût par résultat",
        "spent": "Montant dépensé ({cur})",
        "impressions": "Impressions",
        "cpm": "CPM (coût pour 1 000 impressions) ({cur})",
        "link_clicks": "Clics sur un lien",
        "cpc": "CPC (coût par clic sur un lien) ({cur})",
        "ctr": "CTR (taux de clics sur le lien)",
        "clicks": "Clics (tous)",
        "purchases": "Achats",
        "purchases_value": "Valeur de conversion des achats",
    },
}
LINKEDIN_ADS_HEADER = [
    "Start Date (in UTC)",
    "Account Name",
    "Campaign Group Name",
    "Campaign Name",
    "Campaign ID",
    "Currency",
    "Total Spent",
    "Impressions",
    "Clicks",
    "Average CPM",
    "Average CPC",
    "Click Through Rate",
    "Conversions",
    "Total Conversion Value",
]
TIKTOK_ADS_HEADER = [
    "stat_time_day",
    "campaign_name",
    "campaign_id",
    "spend",
    "impressions",
    "clicks",
    "complete_payment",
    "complete_payment_value",
    "currency",
]
LINKEDIN_ACCOUNT = ("Example Shop", "508123456")
CLAIM_WINDOW_DAYS = {"facebook": 7, "instagram": 7, "tiktok": 7, "linkedin": 30}
META_PLATFORMS = ("facebook", "instagram")


def ad_daily(world: World) -> pd.DataFrame:
    """Per ad and day: clicks, spend, impressions, reach, and the purchases the platform claims."""
    s = world.sessions
    cfg = world.config
    ads = world.ads
    paid = s[s["ad_index"] >= 0]
    day_index = (paid["ts"].to_numpy() - cfg.start_epoch) // DAY_S
    clicks = (
        pd.DataFrame({"ad_index": paid["ad_index"].to_numpy(), "day": day_index})
        .value_counts()
        .rename("sessions")
        .reset_index()
    )
    grid = pd.MultiIndex.from_product([range(len(ads)), range(cfg.days)], names=["ad_index", "day"])
    daily = clicks.set_index(["ad_index", "day"]).reindex(grid, fill_value=0).reset_index()
    platform = ads["platform"].to_numpy()[daily["ad_index"].to_numpy()]
    daily["platform"] = platform
    rng = np.random.default_rng([cfg.seed, 9])
    u_clicks, u_cost, u_imp, u_reach = (rng.random(len(daily)) for _ in range(4))
    meta = np.isin(platform, META_PLATFORMS)
    tiktok = platform == "tiktok"
    # link clicks per session that lands (and is tracked): 25-50% of paid social clicks never load the page
    lo = np.where(meta, 1.35, np.where(tiktok, 1.50, 1.25))
    hi = np.where(meta, 1.75, np.where(tiktok, 2.00, 1.60))
    daily["link_clicks"] = np.round(daily["sessions"] * (lo + (hi - lo) * u_clicks)).astype(int)
    cpc = ads["cpc"].to_numpy()[daily["ad_index"]]
    meta_spend = np.maximum(daily["link_clicks"], 1) * cpc * (0.85 + 0.30 * u_cost)
    daily["spend"] = np.round(np.where(meta, meta_spend, daily["link_clicks"] * cpc), 2)
    # impressions per link click = 1 / link CTR: Meta 0.9-1.4%, TikTok 0.7-1.25%, LinkedIn 0.44-0.65%
    per_click = np.where(meta, 70 + 40 * u_imp, np.where(tiktok, 80 + 60 * u_imp, 155 + 70 * u_imp))
    floor = np.where(meta, 200, np.where(tiktok, 300, 100))
    daily["impressions"] = (daily["link_clicks"] * per_click).astype(int) + floor
    daily["reach"] = (daily["impressions"] * (0.6 + 0.2 * u_reach)).astype(int)
    # each platform counts an order for every one of its ads clicked inside its window before the order
    orders = s[s["converted"]]
    o = orders[["customer_index", "ts", "total"]].reset_index(names="order_row")
    clicks_by = paid[["customer_index", "ts", "ad_index"]].rename(columns={"ts": "click_ts"})
    m = o.merge(clicks_by, on="customer_index")
    window = pd.Series(CLAIM_WINDOW_DAYS).reindex(ads["platform"]).to_numpy()
    m_window = window[m["ad_index"].to_numpy()] * DAY_S
    m = m[(m["click_ts"] <= m["ts"]) & (m["click_ts"] > m["ts"] - m_window)]
    m = m.drop_duplicates(["order_row", "ad_index"])
    m["day"] = (m["ts"] - cfg.start_epoch) // DAY_S
    agg = m.groupby(["ad_index", "day"]).agg(purchases=("total", "size"), purchases_value=("total", "sum"))
    daily = daily.merge(agg.reset_index(), on=["ad_index", "day"], how="left").fillna(
        {"purchases": 0, "purchases_value": 0.0}
    )
    return daily


def meta_daily(world: World) -> pd.DataFrame:
    """The Meta (Facebook + Instagram) rows of :func:`ad_daily`."""
    daily = ad_daily(world)
    return daily[daily["platform"].isin(META_PLATFORMS)].reset_index(drop=True)


def write_meta_ads(world: World, day: date, folder: Path, daily: pd.DataFrame) -> Path:
    cfg = world.config
    h = META_ADS_HEADER[cfg.locale]
    cur = cfg.currency
    day_idx = (day - cfg.start_date).days
    rows = daily[(daily["day"] == day_idx) & daily["platform"].isin(META_PLATFORMS)]
    out = io.StringIO()
    delimiter = ";" if cfg.locale == "fr" else ","
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    cols = [
        "starts",
        "ends",
        "day",
        "campaign",
        "campaign_id",
        "adset",
        "ad",
        "ad_id",
        "delivery",
        "attribution",
        "results",
        "indicator",
        "reach",
        "frequency",
        "cost_per_result",
        "spent",
        "impressions",
        "cpm",
        "link_clicks",
        "cpc",
        "ctr",
        "clicks",
        "purchases",
        "purchases_value",
    ]
    writer.writerow([h[c].format(cur=cur) for c in cols])
    loc = cfg.locale
    for r in rows.itertuples():
        ad = world.ads.iloc[r.ad_index]
        purchases = int(r.purchases)
        writer.writerow(
            [
                day.isoformat(),
                day.isoformat(),
                day.isoformat(),
                ad["campaign_name"],
                ad["campaign_id"],
                ad["ad_set_name"],
                ad["ad_name"],
                ad["ad_id"],
                "active",
                "7-day click or 1-day view",
                purchases or "",
                "actions:offsite_conversion.fb_pixel_purchase" if purchases else "",
                num(r.reach, loc, 0),
                num(r.impressions / max(r.reach, 1), loc, 2),
                num(r.spend / purchases, loc) if purchases else "",
                num(r.spend, loc),
                num(r.impressions, loc, 0),
                num(r.spend / r.impressions * 1000, loc),
                num(r.link_clicks, loc, 0),
                num(r.spend / max(r.link_clicks, 1), loc),
                num(r.link_clicks / r.impressions * 100, loc, 4),
                num(int(r.link_clicks * 1.6), loc, 0),
                purchases,
                num(r.purchases_value, loc),
            ]
        )
    name = "Rapport-Meta-Ads" if loc == "fr" else "Meta-Ads-Report"
    path = folder / f"{name}-{day.isoformat()}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _per_campaign(world: World, daily: pd.DataFrame, day: date, platform: str) -> pd.DataFrame:
    day_idx = (day - world.config.start_date).days
    rows = daily[(daily["day"] == day_idx) & (daily["platform"] == platform)]
    ads = world.ads
    rows = rows.assign(
        campaign_id=ads["campaign_id"].to_numpy()[rows["ad_index"].to_numpy()],
        campaign_name=ads["campaign_name"].to_numpy()[rows["ad_index"].to_numpy()],
        campaign_group=ads["campaign_group"].to_numpy()[rows["ad_index"].to_numpy()],
    )
    return (
        rows.groupby(["campaign_id", "campaign_name", "campaign_group"], sort=True)[
            ["spend", "impressions", "link_clicks", "purchases", "purchases_value"]
        ]
        .sum()
        .reset_index()
    )


def write_linkedin_ads(world: World, day: date, folder: Path, daily: pd.DataFrame) -> Path:
    """Campaign Performance Report: preamble, blank line, header; ``M/D/YYYY``; fr = UTF-16, tab-delimited."""
    cfg = world.config
    c = _per_campaign(world, daily, day, "linkedin")
    day_text = mdy(np.array([world.config.start_epoch + (day - cfg.start_date).days * DAY_S]))[0]
    generated = export_time(day)
    gen_text = f"{generated.month}/{generated.day}/{generated.year}, {generated.strftime('%I:%M %p').lstrip('0')}"
    fr = cfg.locale == "fr"
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t" if fr else ",", lineterminator="\r\n" if fr else "\n")
    writer.writerow(["Campaign Performance Report (in UTC)"])
    writer.writerow([f"Report Start: {day_text}, 12:00 AM"])
    writer.writerow([f"Report End: {day_text}, 11:59 PM"])
    writer.writerow([f"Date Generated: {gen_text}"])
    writer.writerow([])
    writer.writerow(LINKEDIN_ADS_HEADER)
    for r in c.itertuples(index=False):
        clicks, imp, spend = int(r.link_clicks), int(r.impressions), float(r.spend)
        writer.writerow(
            [
                day_text,
                LINKEDIN_ACCOUNT[0],
                r.campaign_group,
                r.campaign_name,
                r.campaign_id,
                cfg.currency,
                f"{spend:.2f}",
                imp,
                clicks,
                f"{spend / max(imp, 1) * 1000:.2f}",
                f"{spend / max(clicks, 1):.2f}",
                f"{clicks / max(imp, 1):.4f}",
                int(r.purchases),
                f"{float(r.purchases_value):.2f}",
            ]
        )
    path = folder / f"account_{LINKEDIN_ACCOUNT[1]}_campaign_performance_report_{day.isoformat()}.csv"
    if fr:
        path.write_bytes(out.getvalue().encode("utf-16"))  # BOM + UTF-16LE, as the tab-delimited download
    else:
        path.write_text(out.getvalue(), encoding="utf-8")
    return path


def write_tiktok_ads(world: World, day: date, folder: Path, daily: pd.DataFrame) -> Path:
    cfg = world.config
    c = _per_campaign(world, daily, day, "tiktok")
    table = pd.DataFrame(
        {
            "stat_time_day": f"{day.isoformat()} 00:00:00",
            "campaign_name": c["campaign_name"].to_numpy(),
            "campaign_id": c["campaign_id"].to_numpy(),
            "spend": c["spend"].map("{:.2f}".format).to_numpy(),
            "impressions": c["impressions"].astype(int).to_numpy(),
            "clicks": c["link_clicks"].astype(int).to_numpy(),
            "complete_payment": c["purchases"].astype(int).to_numpy(),
            "complete_payment_value": c["purchases_value"].map("{:.2f}".format).to_numpy(),
            "currency": cfg.currency,
        },
        columns=TIKTOK_ADS_HEADER,
    )
    path = folder / f"tiktok_ads_campaign_report_{day.isoformat()}.csv"
    table.to_csv(path, index=False, lineterminator="\n")
    return path
