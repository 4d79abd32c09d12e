"""Writers that turn a simulated world into the export files marketers download.

Headers are written here from the platforms' published layouts, on purpose independently of the parsers in
``social_roi.ingest``: if a parser's column map were wrong, a shared list would hide it.

Layout of a generated world::

    <out>/inbox/<YYYY-MM-DD>/...   the files exported on that day (what the daily DAG picks up)
    <out>/truth/                   ground truth: causal incremental revenue per channel, world summary
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from social_roi.simulate.world import (
    CHANNELS,
    DAY_S,
    INFLUENCERS,
    PRODUCTS,
    REP_COUPONS,
    SALES_REPS,
    World,
    basket_lines,
)

SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
    "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
    "Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,"
    "Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
    "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,"
    "Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,"
    "Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
    "Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,"
    "Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References"
).split(",")

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

META_ADS_HEADER = {
    "en": {
        "starts": "Reporting starts", "ends": "Reporting ends", "day": "Day", "campaign": "Campaign name",
        "campaign_id": "Campaign ID", "adset": "Ad set name", "ad": "Ad name", "ad_id": "Ad ID",
        "delivery": "Campaign delivery", "attribution": "Attribution setting", "results": "Results",
        "indicator": "Result indicator", "reach": "Reach", "frequency": "Frequency",
        "cost_per_result": "Cost per results", "spent": "Amount spent ({cur})", "impressions": "Impressions",
        "cpm": "CPM (cost per 1,000 impressions) ({cur})", "link_clicks": "Link clicks",
        "cpc": "CPC (cost per link click) ({cur})", "ctr": "CTR (link click-through rate)", "clicks": "Clicks (all)",
        "purchases": "Purchases", "purchases_value": "Purchases conversion value",
    },
    "fr": {
        "starts": "Début des rapports", "ends": "Fin des rapports", "day": "Jour", "campaign": "Nom de la campagne",
        "campaign_id": "Identifiant de la campagne", "adset": "Nom de l’ensemble de publicités",
        "ad": "Nom de la publicité", "ad_id": "Identifiant de la publicité", "delivery": "Diffusion de la campagne",
        "attribution": "Paramètre d’attribution", "results": "Résultats", "indicator": "Indicateur de résultats",
        "reach": "Couverture", "frequency": "Répétition", "cost_per_result": "Coût par résultat",
        "spent": "Montant dépensé ({cur})", "impressions": "Impressions",
        "cpm": "CPM (coût pour 1 000 impressions) ({cur})", "link_clicks": "Clics sur un lien",
        "cpc": "CPC (coût par clic sur un lien) ({cur})", "ctr": "CTR (taux de clics sur le lien)",
        "clicks": "Clics (tous)", "purchases": "Achats", "purchases_value": "Valeur de conversion des achats",
    },
}

FACEBOOK_POSTS_HEADER = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,Permalink,Is crosspost,"
    "Is share,Post type,Languages,Custom labels,Funded content status,Data comment,Date,Views,Reach,"
    '"Reactions, Comments and Shares",Reactions,Comments,Shares,Total clicks,Link Clicks,Other Clicks,'
    "Matched Audience Targeting Consumption (Photo Click),Negative feedback from users: Hide all,Seconds viewed,"
    "Average Seconds viewed,Estimated earnings (USD),Ad CPM (USD),Ad impressions"
)
INSTAGRAM_POSTS_HEADER = (
    "Post ID,Account ID,Account username,Account name,Description,Duration (sec),Publish time,Permalink,"
    "Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,Comments,Saves"
)
LINKEDIN_METRICS_HEADER = (
    "Date,Impressions (organic),Impressions (sponsored),Impressions (total),Unique impressions (organic),"
    "Clicks (organic),Clicks (sponsored),Clicks (total),Reactions (organic),Reactions (sponsored),"
    "Reactions (total),Comments (organic),Comments (sponsored),Comments (total),Reposts (organic),"
    "Reposts (sponsored),Reposts (total),Engagement rate (organic),Engagement rate (sponsored),"
    "Engagement rate (total)"
).split(",")
LINKEDIN_POSTS_HEADER = (
    "Post title,Post link,Post type,Campaign name,Posted by,Created date,Campaign start date,Campaign end date,"
    "Audience,Impressions,Views (excluding off-site video views),Off-site views,Clicks,Click through rate (CTR),"
    "Likes,Comments,Reposts,Follows,Engagement rate,Content Type"
).split(",")
X_HEADER = (
    "Tweet id,Tweet permalink,Tweet text,time,impressions,engagements,engagement rate,retweets,replies,likes,"
    "user profile clicks,url clicks,hashtag clicks,detail expands,permalink clicks,app opens,app installs,follows,"
    "email tweet,dial phone,media views,media engagements,promoted impressions,promoted engagements,"
    "promoted engagement rate,promoted retweets,promoted replies,promoted likes,promoted user profile clicks,"
    "promoted url clicks,promoted hashtag clicks,promoted detail expands,promoted permalink clicks,"
    "promoted app opens,promoted app installs,promoted follows,promoted email tweet,promoted dial phone,"
    "promoted media views,promoted media engagements"
).split(",")

SHOP_DOMAIN = "https://shop.example.com"
PAGE_ID = "104857362012345"
IG_ACCOUNT_ID = "17841400123456789"
X_HANDLE = "exampleshop"
SNAPSHOT_MAX_AGE_DAYS = 28  # organic exports list posts published in the last 4 weeks


def _utc(epoch: np.ndarray | int) -> pd.DatetimeIndex:
    return pd.to_datetime(np.asarray(epoch, dtype="int64"), unit="s", utc=True)


def post_ids(world: World) -> pd.Series:
    """The id each platform gives a post, in the form its export and its links show."""
    idx = world.posts["post_index"].to_numpy()
    platform = world.posts["platform"].to_numpy()
    ids = np.where(
        platform == "facebook",
        [f"{PAGE_ID}_{122000000000000 + i * 97}" for i in idx],
        np.where(
            platform == "instagram",
            [f"{17900000000000000 + i * 1013}" for i in idx],
            np.where(
                platform == "linkedin",
                [f"{7140000000000000000 + i * 104729}" for i in idx],
                [f"{1860000000000000000 + i * 130363}" for i in idx],
            ),
        ),
    )
    return pd.Series(ids, index=world.posts.index)


def landing_urls(world: World) -> np.ndarray:
    """The page_location of each session: UTMs and click ids as each platform appends them."""
    s = world.sessions
    ids = post_ids(world).to_numpy()
    ads = world.ads
    out = np.empty(len(s), dtype=object)
    paths = np.array(["/", "/collections/new", "/products/rain-jacket", "/products/organic-tee", "/blog/lookbook"])
    page = paths[s["basket_seed"].to_numpy() % len(paths)]
    sid = s.index.to_numpy()
    by_name = {c[0]: c for c in CHANNELS}
    for name, mask in s.groupby("channel").groups.items():
        rows = s.index.get_indexer(mask)
        _, platform, source, medium, *_ = by_name[name]
        base = np.char.add(SHOP_DOMAIN, page[rows].astype(str))
        if name.endswith("_paid"):
            ad = ads.iloc[s["ad_index"].to_numpy()[rows]]
            q = [
                f"?utm_source={source}&utm_medium={medium}&utm_campaign={c}&utm_content={a}&fbclid=IwAR{k:010d}x"
                for c, a, k in zip(ad["campaign_id"], ad["ad_id"], sid[rows])
            ]
        elif name.endswith("_organic"):
            posts = ids[s["post_index"].to_numpy()[rows]]
            reps = world.posts["rep_index"].to_numpy()[s["post_index"].to_numpy()[rows]]
            extra = {"linkedin": "&li_fat_id={k:08x}-rep", "x": "&twclid={k:012d}"}.get(platform, "")
            q = []
            for p, r, k in zip(posts, reps, sid[rows]):
                term = f"&utm_term=rep_{r + 1}" if r >= 0 else ""
                q.append(
                    f"?utm_source={source}&utm_medium={medium}&utm_campaign=organic&utm_content={p}{term}"
                    + extra.format(k=k)
                )
        elif name == "instagram_influencer":
            handles = np.array([h for h, _ in INFLUENCERS])[s["influencer_index"].to_numpy()[rows]]
            q = [f"?utm_source=instagram&utm_medium=influencer&utm_campaign={h}" for h in handles]
        elif name == "email":
            q = ["?utm_source=newsletter&utm_medium=email&utm_campaign=weekly"] * len(rows)
        else:
            q = [""] * len(rows)
        out[rows] = np.char.add(base, np.array(q, dtype=str))
    return out


def _traffic_fields(world: World) -> pd.DataFrame:
    s = world.sessions
    source = np.full(len(s), "(direct)", dtype=object)
    medium = np.full(len(s), "(none)", dtype=object)
    by_name = {c[0]: c for c in CHANNELS}
    for name, c in by_name.items():
        mask = (s["channel"] == name).to_numpy()
        if c[2]:
            source[mask] = c[2]
            medium[mask] = c[3]
    return pd.DataFrame({"source": source, "medium": medium})


def write_ga4(world: World, day: date, folder: Path, rows: np.ndarray, urls: np.ndarray) -> Path:
    """GA4 BigQuery export of one day, flattened: a session_start per session and a purchase per order."""
    s = world.sessions.iloc[rows]
    cust = world.customers.iloc[s["customer_index"].to_numpy()]
    tf = _traffic_fields(world).iloc[rows]
    logged_in = (s["basket_seed"].to_numpy() % 5) < 3
    utm = pd.Series(urls[rows]).str.extract(r"utm_campaign=([^&]+)")[0].fillna("").to_numpy()
    ga_session = (s["ts"].to_numpy() // 1).astype(str)
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
            "traffic_source.source": tf["source"].to_numpy(),
            "traffic_source.medium": tf["medium"].to_numpy(),
            "traffic_source.name": np.where(utm != "", utm, "(direct)"),
            "collected_traffic_source.manual_campaign_id": "",
            "collected_traffic_source.manual_campaign_name": utm,
            "collected_traffic_source.manual_source": np.where(tf["source"] == "(direct)", "", tf["source"]),
            "collected_traffic_source.manual_medium": np.where(tf["medium"] == "(none)", "", tf["medium"]),
            "collected_traffic_source.manual_term": "",
            "collected_traffic_source.manual_content": "",
            "collected_traffic_source.gclid": "",
        }
    )
    conv = s["converted"].to_numpy()
    purchases = starts[conv].copy()
    purchases["event_name"] = "purchase"
    purchases["event_timestamp"] = purchases["event_timestamp"] + 240_000_000
    purchases["ecommerce.transaction_id"] = order_ids(world).reindex(s.index[conv]).to_numpy()
    purchases["ecommerce.purchase_revenue"] = s.loc[conv, "total"].map("{:.2f}".format).to_numpy()
    events = pd.concat([starts, purchases]).sort_values("event_timestamp", kind="stable")
    path = folder / f"events_{day.strftime('%Y%m%d')}.csv"
    events.to_csv(path, index=False)
    return path


def order_ids(world: World) -> pd.Series:
    """Shopify order ``Id`` per converting session (also GA4's transaction_id)."""
    orders = world.orders
    ids = pd.Series([f"{5510000000000 + k * 7}" for k in range(len(orders))], index=orders.index)
    return ids


def order_names(world: World) -> pd.Series:
    orders = world.orders
    return pd.Series([f"#{1001 + k}" for k in range(len(orders))], index=orders.index)


def _fmt_ts(epoch: np.ndarray) -> np.ndarray:
    return _utc(epoch).strftime("%Y-%m-%d %H:%M:%S +0000").to_numpy()


def write_shopify(world: World, day: date, folder: Path, rows: np.ndarray) -> Path:
    s = world.sessions.iloc[rows]
    orders = s[s["converted"]]
    cfg = world.config
    lines = basket_lines(orders)
    lines = lines.merge(
        orders.reset_index(names="session_row")[
            ["session_row", "customer_index", "ts", "coupon_code", "discount_amount", "subtotal", "shipping",
             "taxes", "total", "refunded_amount", "is_cancelled", "channel", "ad_index", "post_index"]
        ],
        on="session_row",
    )
    names, ids = order_names(world), order_ids(world)
    cust = world.customers.iloc[lines["customer_index"].to_numpy()].reset_index(drop=True)
    first = (lines["line_number"] == 1).to_numpy()
    created = _fmt_ts(lines["ts"].to_numpy() + 240)
    money = lambda col: np.where(first, lines[col].map("{:.2f}".format), "")  # noqa: E731
    status = np.where(
        lines["is_cancelled"], "voided", np.where(lines["refunded_amount"] > 0, "partially_refunded", "paid")
    )
    notes = np.full(len(lines), "", dtype=object)
    paid = lines["channel"].str.endswith("_paid").to_numpy() & (lines["basket_seed"].to_numpy() % 2 == 0)
    if paid.any():
        ad = world.ads.iloc[lines.loc[paid, "ad_index"].to_numpy()]
        src = np.where(ad["platform"] == "facebook", "facebook", "instagram")
        notes[paid] = [
            f"UTM source: {s_}\nUTM medium: paid_social\nUTM campaign: {c}\nUTM content: {a}"
            for s_, c, a in zip(src, ad["campaign_id"], ad["ad_id"])
        ]
    country = "FR" if cfg.locale == "fr" else "US"
    billing_name = (cust["first_name"] + " " + cust["last_name"]).to_numpy()
    table = {h: np.full(len(lines), "", dtype=object) for h in SHOPIFY_HEADER}
    table["Name"] = names.reindex(lines["session_row"]).to_numpy()
    table["Id"] = np.where(first, ids.reindex(lines["session_row"]).to_numpy(), "")
    table["Email"] = np.where(first, cust["email"], "")
    table["Financial Status"] = np.where(first, status, "")
    table["Paid at"] = np.where(first, created, "")
    table["Fulfillment Status"] = np.where(first, "fulfilled", "")
    table["Accepts Marketing"] = np.where(first, "yes", "")
    table["Currency"] = np.where(first, cfg.currency, "")
    table["Subtotal"] = money("subtotal")
    table["Shipping"] = money("shipping")
    table["Taxes"] = money("taxes")
    table["Total"] = money("total")
    table["Discount Code"] = np.where(first, lines["coupon_code"], "")
    table["Discount Amount"] = money("discount_amount")
    table["Shipping Method"] = np.where(first, "Standard", "")
    table["Created at"] = created
    table["Lineitem quantity"] = lines["quantity"].astype(str).to_numpy()
    table["Lineitem name"] = np.array([p[1] for p in PRODUCTS])[lines["product"]]
    table["Lineitem price"] = lines["unit_price"].map("{:.2f}".format).to_numpy()
    table["Lineitem sku"] = np.array([p[0] for p in PRODUCTS])[lines["product"]]
    table["Lineitem requires shipping"] = "true"
    table["Lineitem taxable"] = "true"
    table["Lineitem fulfillment status"] = "fulfilled"
    table["Billing Name"] = np.where(first, billing_name, "")
    table["Billing Address1"] = np.where(first, (cust["customer_id"] % 200 + 1).astype(str) + " Main Street", "")
    table["Billing City"] = np.where(first, "Lyon" if cfg.locale == "fr" else "Portland", "")
    table["Billing Country"] = np.where(first, country, "")
    table["Billing Phone"] = np.where(first, cust["phone"], "")
    table["Shipping Name"] = table["Billing Name"]
    table["Shipping Country"] = table["Billing Country"]
    table["Note Attributes"] = np.where(first, notes, "")
    table["Cancelled at"] = np.where(first & lines["is_cancelled"].to_numpy(), _fmt_ts(lines["ts"] + 7200), "")
    table["Payment Method"] = np.where(first, "Shopify Payments", "")
    table["Refunded Amount"] = money("refunded_amount")
    table["Vendor"] = "Example Shop"
    table["Outstanding Balance"] = np.where(first, "0.00", "")
    table["Source"] = np.where(first, "web", "")
    table["Lineitem discount"] = "0.00"
    path = folder / f"orders_export_{day.isoformat()}.csv"
    pd.DataFrame(table, columns=SHOPIFY_HEADER).to_csv(path, index=False)
    return path


def _num(value: float, locale: str, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}"
    if locale == "fr":  # "1 234,56" with a narrow no-break space, as French exports write it
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def meta_daily(world: World) -> pd.DataFrame:
    """Per ad and day: link clicks, spend, impressions, and the purchases Meta claims (7-day click window)."""
    s = world.sessions
    paid = s[s["ad_index"] >= 0]
    day_index = (paid["ts"].to_numpy() - world.config.start_epoch) // DAY_S
    clicks = (
        pd.DataFrame({"ad_index": paid["ad_index"].to_numpy(), "day": day_index})
        .value_counts()
        .rename("sessions")
        .reset_index()
    )
    grid = pd.MultiIndex.from_product([range(len(world.ads)), range(world.config.days)], names=["ad_index", "day"])
    daily = clicks.set_index(["ad_index", "day"]).reindex(grid, fill_value=0).reset_index()
    rng = np.random.default_rng([world.config.seed, 9])
    daily["link_clicks"] = np.round(daily["sessions"] * rng.uniform(1.02, 1.15, len(daily))).astype(int)
    cpc = world.ads["cpc"].to_numpy()[daily["ad_index"]]
    daily["spend"] = np.round(np.maximum(daily["link_clicks"], 1) * cpc * rng.uniform(0.85, 1.15, len(daily)), 2)
    daily["impressions"] = (daily["link_clicks"] * rng.uniform(60, 110, len(daily))).astype(int) + 200
    daily["reach"] = (daily["impressions"] * rng.uniform(0.6, 0.8, len(daily))).astype(int)
    # Meta counts an order for every ad clicked in the 7 days before it: it over-claims
    orders = s[s["converted"]]
    o = orders[["customer_index", "ts", "total"]].reset_index(names="order_row")
    clicks_by = paid[["customer_index", "ts", "ad_index"]].rename(columns={"ts": "click_ts"})
    m = o.merge(clicks_by, on="customer_index")
    m = m[(m["click_ts"] <= m["ts"]) & (m["click_ts"] > m["ts"] - 7 * DAY_S)]
    m = m.drop_duplicates(["order_row", "ad_index"])
    m["day"] = (m["ts"] - world.config.start_epoch) // DAY_S
    agg = m.groupby(["ad_index", "day"]).agg(purchases=("total", "size"), purchases_value=("total", "sum"))
    daily = daily.merge(agg.reset_index(), on=["ad_index", "day"], how="left").fillna(
        {"purchases": 0, "purchases_value": 0.0}
    )
    return daily


def write_meta_ads(world: World, day: date, folder: Path, daily: pd.DataFrame) -> Path:
    cfg = world.config
    h = META_ADS_HEADER[cfg.locale]
    cur = cfg.currency
    day_idx = (day - cfg.start_date).days
    rows = daily[daily["day"] == day_idx]
    out = io.StringIO()
    delimiter = ";" if cfg.locale == "fr" else ","
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    cols = ["starts", "ends", "day", "campaign", "campaign_id", "adset", "ad", "ad_id", "delivery", "attribution",
            "results", "indicator", "reach", "frequency", "cost_per_result", "spent", "impressions", "cpm",
            "link_clicks", "cpc", "ctr", "clicks", "purchases", "purchases_value"]
    writer.writerow([h[c].format(cur=cur) for c in cols])
    loc = cfg.locale
    for r in rows.itertuples():
        ad = world.ads.iloc[r.ad_index]
        purchases = int(r.purchases)
        writer.writerow(
            [
                day.isoformat(), day.isoformat(), day.isoformat(), ad["campaign_name"], ad["campaign_id"],
                ad["ad_set_name"], ad["ad_name"], ad["ad_id"], "active", "7-day click or 1-day view",
                purchases or "", "actions:offsite_conversion.fb_pixel_purchase" if purchases else "",
                _num(r.reach, loc, 0), _num(r.impressions / max(r.reach, 1), loc, 2),
                _num(r.spend / purchases, loc) if purchases else "", _num(r.spend, loc),
                _num(r.impressions, loc, 0), _num(r.spend / r.impressions * 1000, loc),
                _num(r.link_clicks, loc, 0), _num(r.spend / max(r.link_clicks, 1), loc),
                _num(r.link_clicks / r.impressions * 100, loc, 4), _num(int(r.link_clicks * 1.6), loc, 0),
                purchases, _num(r.purchases_value, loc),
            ]
        )
    name = "Rapport-Meta-Ads" if loc == "fr" else "Meta-Ads-Report"
    path = folder / f"{name}-{day.isoformat()}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def post_snapshots(world: World, day: date) -> pd.DataFrame:
    """Lifetime metrics of recent posts as exported at the end of ``day`` (cumulative: they only grow)."""
    end = int(datetime.combine(day + timedelta(days=1), datetime.min.time(), timezone.utc).timestamp())
    posts = world.posts[
        (world.posts["published_at"] < end) & (world.posts["published_at"] >= end - SNAPSHOT_MAX_AGE_DAYS * DAY_S)
    ].copy()
    s = world.sessions
    clicked = s[(s["post_index"] >= 0) & (s["ts"] < end)]["post_index"].value_counts()
    posts["link_clicks"] = clicked.reindex(posts["post_index"]).fillna(0).astype(int).to_numpy()
    age = (end - posts["published_at"].to_numpy()) / DAY_S
    grown = 1 - np.exp(-age / 2.0)
    posts["impressions"] = np.maximum(
        (posts["reach_factor"] * 900 * grown).astype(int), posts["link_clicks"] * 25
    ) + posts["link_clicks"]
    posts["reach"] = (posts["impressions"] * 0.72).astype(int)
    posts["likes"] = (posts["impressions"] * 0.045).astype(int)
    posts["comments"] = (posts["impressions"] * 0.006).astype(int)
    posts["shares"] = (posts["impressions"] * 0.004).astype(int)
    posts["saves"] = (posts["impressions"] * 0.008).astype(int)
    posts["follows"] = (posts["impressions"] * 0.001).astype(int)
    posts["post_id"] = post_ids(world).reindex(posts.index).to_numpy()
    return posts


def write_instagram(world: World, day: date, folder: Path, snap: pd.DataFrame) -> Path:
    p = snap[snap["platform"] == "instagram"]
    publish = _utc(p["published_at"]).strftime("%m/%d/%Y %H:%M")
    rows = [
        [pid, IG_ACCOUNT_ID, "exampleshop", "Example Shop", f"New drop #{i} ✨ link in bio", "", pub,
         f"https://www.instagram.com/p/C{i:08d}/", t, "", "Lifetime", f"{v:,}", f"{r:,}", lk, sh, fo, cm, sv]
        for pid, i, pub, t, v, r, lk, sh, fo, cm, sv in zip(
            p["post_id"], p["post_index"], publish, p["post_type"], p["impressions"], p["reach"], p["likes"],
            p["shares"], p["follows"], p["comments"], p["saves"],
        )
    ]
    return _write_csv(folder / f"instagram_posts_{day.isoformat()}.csv", INSTAGRAM_POSTS_HEADER.split(","), rows)


def write_facebook(world: World, day: date, folder: Path, snap: pd.DataFrame) -> Path:
    p = snap[snap["platform"] == "facebook"]
    publish = _utc(p["published_at"]).strftime("%m/%d/%Y %H:%M")
    header = next(csv.reader([FACEBOOK_POSTS_HEADER]))
    rows = []
    for pid, i, pub, t, v, r, lk, cm, sh, cl in zip(
        p["post_id"], p["post_index"], publish, p["post_type"], p["impressions"], p["reach"], p["likes"],
        p["comments"], p["shares"], p["link_clicks"],
    ):
        total_clicks = cl + int(v * 0.01)
        values = {
            "Post ID": pid, "Page ID": PAGE_ID, "Page name": "Example Shop", "Title": "",
            "Description": f"Our week in pictures, part {i}", "Publish time": pub,
            "Permalink": f"https://www.facebook.com/{pid.replace('_', '/posts/')}", "Is crosspost": "No",
            "Is share": "No", "Post type": t, "Date": "Lifetime", "Views": f"{v:,}", "Reach": f"{r:,}",
            "Reactions, Comments and Shares": lk + cm + sh, "Reactions": lk, "Comments": cm, "Shares": sh,
            "Total clicks": total_clicks, "Link Clicks": cl, "Other Clicks": total_clicks - cl,
        }
        rows.append([values.get(h, "") for h in header])
    return _write_csv(folder / f"facebook_posts_{day.isoformat()}.csv", header, rows)


def write_x(world: World, day: date, folder: Path, snap: pd.DataFrame) -> Path:
    p = snap[snap["platform"] == "x"]
    posted = _utc(p["published_at"]).strftime("%Y-%m-%d %H:%M +0000")
    rows = []
    for tid, i, t, v, lk, rt, cl in zip(
        p["post_id"], p["post_index"], posted, p["impressions"], p["likes"], p["shares"], p["link_clicks"]
    ):
        eng = lk + rt + cl
        values = {
            "Tweet id": tid, "Tweet permalink": f"https://twitter.com/{X_HANDLE}/status/{tid}",
            "Tweet text": f"Thread {i}: how we make it\nmore below 👇", "time": t, "impressions": f"{v:.1f}",
            "engagements": f"{eng:.1f}", "engagement rate": f"{eng / max(v, 1):.6f}", "retweets": f"{rt:.1f}",
            "replies": "0.0", "likes": f"{lk:.1f}", "url clicks": f"{cl:.1f}",
        }
        rows.append([values.get(h, "0.0" if not h.startswith("promoted") else "-") for h in X_HEADER])
    start = (day - timedelta(days=SNAPSHOT_MAX_AGE_DAYS - 1)).strftime("%Y%m%d")
    name = f"tweet_activity_metrics_{X_HANDLE}_{start}_{day.strftime('%Y%m%d')}_en.csv"
    return _write_csv(folder / name, X_HEADER, rows, quote_all=True)


def write_linkedin(world: World, day: date, folder: Path, snap: pd.DataFrame) -> Path:
    from openpyxl import Workbook

    p = snap[snap["platform"] == "linkedin"]
    wb = Workbook()
    metrics = wb.active
    metrics.title = "Metrics"
    metrics.append(["Aggregated metrics for the page over the selected period."])
    metrics.append(LINKEDIN_METRICS_HEADER)
    imp, clk = int(p["impressions"].sum() / 7), int(p["link_clicks"].sum() / 7)
    metrics.append([day.strftime("%m/%d/%Y"), imp, 0, imp, int(imp * 0.7), clk, 0, clk, int(imp * 0.04), 0,
                    int(imp * 0.04), int(imp * 0.005), 0, int(imp * 0.005), int(imp * 0.003), 0, int(imp * 0.003),
                    round((clk + imp * 0.048) / max(imp, 1), 4), 0, round((clk + imp * 0.048) / max(imp, 1), 4)])
    posts = wb.create_sheet("All posts")
    posts.append(["All posts published over the selected period, with lifetime metrics."])
    posts.append(LINKEDIN_POSTS_HEADER)
    for pid, i, pub, t, rep, v, cl, lk, cm, sh, fo in zip(
        p["post_id"], p["post_index"], _utc(p["published_at"]).strftime("%m/%d/%Y"), p["post_type"],
        p["rep_index"], p["impressions"], p["link_clicks"], p["likes"], p["comments"], p["shares"], p["follows"],
    ):
        posted_by = SALES_REPS[rep] if rep >= 0 else "Example Shop"
        posts.append([f"Behind the seams, episode {i}", f"https://www.linkedin.com/feed/update/urn:li:activity:{pid}",
                      t, "", posted_by, pub, "", "", "All followers", int(v), int(v * 0.3), 0, int(cl),
                      round(cl / max(v, 1), 4), int(lk), int(cm), int(sh), int(fo),
                      round((cl + lk + cm + sh) / max(v, 1), 4), t])
    path = folder / f"linkedin_page_updates_{day.isoformat()}.xlsx"
    wb.save(path)
    return path


def _write_csv(path: Path, header: list[str], rows: list[list], quote_all: bool = False) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def coupon_seed() -> pd.DataFrame:
    """Coupon code → who it belongs to: the mapping the dbt project ships as a seed."""
    rows = [(code, "instagram_influencer", "instagram", handle, "") for handle, code in INFLUENCERS]
    rows += [(code, "linkedin_organic", "linkedin", "", rep) for code, rep in zip(REP_COUPONS, SALES_REPS)]
    return pd.DataFrame(rows, columns=["coupon_code", "channel", "platform", "influencer", "sales_rep"])


def write_world(world: World, out: Path, progress=print) -> dict:
    """Write every export of every day, and the ground truth, under ``out``."""
    cfg = world.config
    inbox, truth_dir = out / "inbox", out / "truth"
    inbox.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    s = world.sessions
    day_of = (s["ts"].to_numpy() - cfg.start_epoch) // DAY_S
    urls = landing_urls(world)
    consent = (world.customers["customer_id"].to_numpy() * 2654435761 % 100) >= 8  # 8% never tracked by GA4
    tracked = consent[s["customer_index"].to_numpy()]
    daily_ads = meta_daily(world)
    files = 0
    for offset in range(cfg.days):
        day = cfg.start_date + timedelta(days=offset)
        folder = inbox / day.isoformat()
        folder.mkdir(exist_ok=True)
        today = np.flatnonzero(day_of == offset)
        write_ga4(world, day, folder, today[tracked[today]], urls)
        write_shopify(world, day, folder, today)
        write_meta_ads(world, day, folder, daily_ads)
        snap = post_snapshots(world, day)
        write_instagram(world, day, folder, snap)
        write_facebook(world, day, folder, snap)
        write_x(world, day, folder, snap)
        write_linkedin(world, day, folder, snap)
        files += 7
        if progress and (offset + 1) % 10 == 0:
            progress(f"  wrote {offset + 1}/{cfg.days} days of exports")
    orders = world.orders
    truth = world.truth.copy()
    truth.to_csv(truth_dir / "channel_incremental_revenue.csv", index=False)
    summary = {
        "scale": cfg.scale, "days": cfg.days, "seed": cfg.seed, "locale": cfg.locale, "currency": cfg.currency,
        "start_date": cfg.start_date.isoformat(), "end_date": cfg.end_date.isoformat(),
        "sessions": int(len(s)), "orders": int(len(orders)), "posts": int(len(world.posts)),
        "net_revenue": round(float(orders["net_revenue"].sum()), 2), "files": files,
    }
    (truth_dir / "world.json").write_text(json.dumps(summary, indent=2))
    coupon_seed().to_csv(truth_dir / "coupon_codes.csv", index=False)
    return summary
