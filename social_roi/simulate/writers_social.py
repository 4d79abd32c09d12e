"""Organic engagement exports: Instagram, Facebook, X, LinkedIn page, TikTok Studio, YouTube Studio.

Every file is a lifetime snapshot of the posts published in the last four weeks, as of the end of its export
day: counts only grow from one export day to the next (clicks are the sessions the post brought so far).
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from social_roi.simulate.world import DAY_S, SALES_REPS, World
from social_roi.simulate.writers_common import (
    IG_ACCOUNT_ID,
    PAGE_ID,
    SNAPSHOT_MAX_AGE_DAYS,
    TIKTOK_HANDLE,
    X_HANDLE,
    YOUTUBE_CHANNEL,
    day_end_epoch,
    export_time,
    post_ids,
    save_xlsx,
    utc,
    write_csv,
    write_zip,
)

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
LINKEDIN_METRICS_HEADER = [
    "Date",
    "Impressions (organic)",
    "Impressions (sponsored)",
    "Impressions (total)",
    "Unique impressions (organic)",
    "Clicks (organic)",
    "Clicks (sponsored)",
    "Clicks (total)",
    "Reactions (organic)",
    "Reactions (sponsored)",
    "Reactions (total)",
    "Comments (organic)",
    "Comments (sponsored)",
    "Comments (total)",
    "Reposts (organic)",
    "Reposts (sponsored)",
    "Reposts (total)",
    "Engagement rate (organic)",
    "Engagement rate (sponsored)",
    "Engagement rate (total)",
]
LINKEDIN_POSTS_HEADER = [
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Campaign start date",
    "Campaign end date",
    "Audience",
    "Impressions",
    "Views (excluding off-site video views)",
    "Off-site views",
    "Clicks",
    "Click through rate (CTR)",
    "Likes",
    "Comments",
    "Reposts",
    "Follows",
    "Engagement rate",
    "Content Type",
]
X_HEADER = [
    "Tweet id",
    "Tweet permalink",
    "Tweet text",
    "time",
    "impressions",
    "engagements",
    "engagement rate",
    "retweets",
    "replies",
    "likes",
    "user profile clicks",
    "url clicks",
    "hashtag clicks",
    "detail expands",
    "permalink clicks",
    "app opens",
    "app installs",
    "follows",
    "email tweet",
    "dial phone",
    "media views",
    "media engagements",
    "promoted impressions",
    "promoted engagements",
    "promoted engagement rate",
    "promoted retweets",
    "promoted replies",
    "promoted likes",
    "promoted user profile clicks",
    "promoted url clicks",
    "promoted hashtag clicks",
    "promoted detail expands",
    "promoted permalink clicks",
    "promoted app opens",
    "promoted app installs",
    "promoted follows",
    "promoted email tweet",
    "promoted dial phone",
    "promoted media views",
    "promoted media engagements",
]
TIKTOK_CONTENT_HEADER = [
    "Video title",
    "Video link",
    "Post time",
    "Total likes",
    "Total comments",
    "Total shares",
    "Total views",
    "Average watch time",
]
YOUTUBE_TABLE_HEADER = [
    "Content",
    "Video title",
    "Video publish time",
    "Duration",
    "Views",
    "Watch time (hours)",
    "Subscribers",
    "Impressions",
    "Impressions click-through rate (%)",
]
YOUTUBE_CHART_HEADER = ["Date", "Content", "Video title", "Video publish time", "Duration", "Views"]
YOUTUBE_TOTALS_HEADER = ["Date", "Views"]
REACH_MULTIPLIER = {"tiktok": 6.0, "youtube": 1.5}  # views per unit of reach factor, relative to the others
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Engagement:
    """Cumulative clicks of every post up to any day, from one sorted key array (no per-day session scan)."""

    def __init__(self, world: World):
        s = world.sessions
        cfg = world.config
        has = s["post_index"].to_numpy() >= 0
        self.span = cfg.days + 1
        day = (s["ts"].to_numpy()[has] - cfg.start_epoch) // DAY_S
        self.keys = np.sort(s["post_index"].to_numpy()[has].astype(np.int64) * self.span + day)
        self.world = world
        self.ids = post_ids(world)
        self.multiplier = pd.Series(world.posts["platform"]).map(REACH_MULTIPLIER).fillna(1.0).to_numpy()

    def clicks(self, post_index: np.ndarray, day_index: int) -> np.ndarray:
        """Sessions each post brought up to the end of simulated day ``day_index``."""
        base = post_index.astype(np.int64) * self.span
        hi = np.searchsorted(self.keys, base + min(day_index, self.span - 1), side="right")
        lo = np.searchsorted(self.keys, base, side="left")
        return np.maximum(hi - lo, 0) if day_index >= 0 else np.zeros(len(post_index), dtype=np.int64)

    def impressions(self, post_index: np.ndarray, day: date) -> tuple[np.ndarray, np.ndarray]:
        """(impressions, link clicks) of the posts at the end of ``day``."""
        cfg = self.world.config
        end = day_end_epoch(day)
        p = self.world.posts
        clicks = self.clicks(post_index, (day - cfg.start_date).days)
        age = np.maximum((end - p["published_at"].to_numpy()[post_index]) / DAY_S, 0.0)
        grown = 1 - np.exp(-age / 2.0)
        organic = (p["reach_factor"].to_numpy()[post_index] * 900 * self.multiplier[post_index] * grown).astype(int)
        return np.maximum(organic, clicks * 25) + clicks, clicks


def post_snapshots(world: World, day: date, engine: Engagement | None = None) -> pd.DataFrame:
    """Lifetime metrics of recent posts as exported at the end of ``day`` (cumulative: they only grow)."""
    engine = engine or Engagement(world)
    end = day_end_epoch(day)
    published = world.posts["published_at"].to_numpy()
    keep = (published < end) & (published >= end - SNAPSHOT_MAX_AGE_DAYS * DAY_S)
    posts = world.posts[keep].copy()
    idx = posts["post_index"].to_numpy()
    posts["impressions"], posts["link_clicks"] = engine.impressions(idx, day)
    posts["reach"] = (posts["impressions"] * 0.72).astype(int)
    tiktok = (posts["platform"] == "tiktok").to_numpy()
    posts["likes"] = (posts["impressions"] * np.where(tiktok, 0.08, 0.045)).astype(int)
    posts["comments"] = (posts["impressions"] * 0.006).astype(int)
    posts["shares"] = (posts["impressions"] * 0.004).astype(int)
    posts["saves"] = (posts["impressions"] * 0.008).astype(int)
    posts["follows"] = (posts["impressions"] * 0.001).astype(int)
    posts["post_id"] = engine.ids.reindex(posts.index).to_numpy()
    return posts


def write_instagram(world: World, day: date, folder: Path, snap: pd.DataFrame) -> Path:
    p = snap[snap["platform"] == "instagram"]
    publish = utc(p["published_at"]).strftime("%m/%d/%Y %H:%M")
    rows = [
        [
            pid,
            IG_ACCOUNT_ID,
            "exampleshop",
            "Example Shop",
            f"New drop #{i} ✨ link in bio",
            d if t == "Video" else "",
            pub,
            f"https://www.instagram.com/p/C{i:08d}/",
            t,
            "",
            "Lifetime",
            f"{v:,}",
            f"{r:,}",
            lk,
            sh,
            fo,
            cm,
            sv,
        ]
        for pid, i, pub, t, d, v, r, lk, sh, fo, cm, sv in zip(
            p["post_id"],
            p["post_index"],
            publish,
            p["post_type"],
            p["duration_s"],
            p["impressions"],
            p["reach"],
            p["likes"],
            p["shares"],
            p["follows"],
            p["comments"],
            p["saves"],
        )
    ]
    return write_csv(folder / f"instagram_posts_{day.isoformat()}.csv", INSTAGRAM_POSTS_HEADER.split(","), rows)


def write_facebook(world: World, day: date, folder: Path, snap: pd.DataFrame) -> Path:
    p = snap[snap["platform"] == "facebook"]
    publish = utc(p["published_at"]).strftime("%m/%d/%Y %H:%M")
    header = next(csv.reader([FACEBOOK_POSTS_HEADER]))
    rows = []
    for pid, i, pub, t, v, r, lk, cm, sh, cl in zip(
        p["post_id"],
        p["post_index"],
        publish,
        p["post_type"],
        p["impressions"],
        p["reach"],
        p["likes"],
        p["comments"],
        p["shares"],
        p["link_clicks"],
    ):
        total_clicks = cl + int(v * 0.01)
        values = {
            "Post ID": pid,
            "Page ID": PAGE_ID,
            "Page name": "Example Shop",
            "Title": "",
            "Description": f"Our week in pictures, part {i}",
            "Publish time": pub,
            "Permalink": f"https://www.facebook.com/{pid.replace('_', '/posts/')}",
            "Is crosspost": "No",
            "Is share": "No",
            "Post type": t,
            "Date": "Lifetime",
            "Views": f"{v:,}",
            "Reach": f"{r:,}",
            "Reactions, Comments and Shares": lk + cm + sh,
            "Reactions": lk,
            "Comments": cm,
            "Shares": sh,
            "Total clicks": total_clicks,
            "Link Clicks": cl,
            "Other Clicks": total_clicks - cl,
        }
        rows.append([values.get(h, "") for h in header])
    return write_csv(folder / f"facebook_posts_{day.isoformat()}.csv", header, rows)


def write_x(world: World, day: date, folder: Path, snap: pd.DataFrame) -> Path:
    p = snap[snap["platform"] == "x"]
    posted = utc(p["published_at"]).strftime("%Y-%m-%d %H:%M +0000")
    rows = []
    for tid, i, t, v, lk, rt, cl in zip(
        p["post_id"], p["post_index"], posted, p["impressions"], p["likes"], p["shares"], p["link_clicks"]
    ):
        eng = lk + rt + cl
        values = {
            "Tweet id": tid,
            "Tweet permalink": f"https://twitter.com/{X_HANDLE}/status/{tid}",
            "Tweet text": f"Thread {i}: how we make it\nmore below 👇",
            "time": t,
            "impressions": f"{v:.1f}",
            "engagements": f"{eng:.1f}",
            "engagement rate": f"{eng / max(v, 1):.6f}",
            "retweets": f"{rt:.1f}",
            "replies": "0.0",
            "likes": f"{lk:.1f}",
            "url clicks": f"{cl:.1f}",
        }
        rows.append([values.get(h, "0.0" if not h.startswith("promoted") else "-") for h in X_HEADER])
    start = (day - timedelta(days=SNAPSHOT_MAX_AGE_DAYS - 1)).strftime("%Y%m%d")
    name = f"tweet_activity_metrics_{X_HANDLE}_{start}_{day.strftime('%Y%m%d')}_en.csv"
    return write_csv(folder / name, X_HEADER, rows, quote_all=True)


def write_linkedin(world: World, day: date, folder: Path, snap: pd.DataFrame) -> Path:
    from openpyxl import Workbook

    p = snap[snap["platform"] == "linkedin"]
    wb = Workbook(write_only=True)
    metrics = wb.create_sheet("Metrics")
    metrics.append(["Aggregated metrics for the page over the selected period."])
    metrics.append(LINKEDIN_METRICS_HEADER)
    imp, clk = int(p["impressions"].sum() / 7), int(p["link_clicks"].sum() / 7)
    metrics.append(
        [
            day.strftime("%m/%d/%Y"),
            imp,
            0,
            imp,
            int(imp * 0.7),
            clk,
            0,
            clk,
            int(imp * 0.04),
            0,
            int(imp * 0.04),
            int(imp * 0.005),
            0,
            int(imp * 0.005),
            int(imp * 0.003),
            0,
            int(imp * 0.003),
            round((clk + imp * 0.048) / max(imp, 1), 4),
            0,
            round((clk + imp * 0.048) / max(imp, 1), 4),
        ]
    )
    posts = wb.create_sheet("All posts")
    posts.append(["All posts published over the selected period, with lifetime metrics."])
    posts.append(LINKEDIN_POSTS_HEADER)
    for pid, i, pub, t, rep, v, cl, lk, cm, sh, fo in zip(
        p["post_id"],
        p["post_index"],
        utc(p["published_at"]).strftime("%m/%d/%Y"),
        p["post_type"],
        p["rep_index"],
        p["impressions"],
        p["link_clicks"],
        p["likes"],
        p["comments"],
        p["shares"],
        p["follows"],
    ):
        posted_by = SALES_REPS[rep] if rep >= 0 else "Example Shop"
        posts.append(
            [
                f"Behind the seams, episode {i}",
                f"https://www.linkedin.com/feed/update/urn:li:activity:{pid}",
                t,
                "",
                posted_by,
                pub,
                "",
                "",
                "All followers",
                int(v),
                int(v * 0.3),
                0,
                int(cl),
                round(cl / max(v, 1), 4),
                int(lk),
                int(cm),
                int(sh),
                int(fo),
                round((cl + lk + cm + sh) / max(v, 1), 4),
                t,
            ]
        )
    return save_xlsx(wb, folder / f"linkedin_page_updates_{day.isoformat()}.xlsx", export_time(day))


def compact_count(values: np.ndarray) -> np.ndarray:
    """TikTok Studio's counts: ``987``, ``1.2K``, ``15K``, ``2.3M`` (rounding keeps them non-decreasing)."""
    v = np.asarray(values, dtype=np.int64)
    k = pd.Series(np.round(v / 1e3, 1)).map("{:.1f}".format).str.replace(r"\.0$", "", regex=True) + "K"
    m = pd.Series(np.round(v / 1e6, 1)).map("{:.1f}".format).str.replace(r"\.0$", "", regex=True) + "M"
    plain = pd.Series(v).astype(str)
    return np.where(v < 1000, plain, np.where(v < 999_950, k, m)).astype(object)


def tiktok_uses_xlsx(day: date) -> bool:
    """TikTok Studio content exports: xlsx on some days, csv on others (both seen in the wild)."""
    return day.toordinal() % 3 == 0


def write_tiktok_content(world: World, day: date, folder: Path, snap: pd.DataFrame) -> Path:
    p = snap[snap["platform"] == "tiktok"].sort_values("published_at", ascending=False, kind="stable")
    rows = pd.DataFrame(
        {
            "Video title": (
                "Packing orders, behind the scenes #" + p["post_index"].astype(str) + " #smallbusiness"
            ).to_numpy(),
            "Video link": (f"https://www.tiktok.com/@{TIKTOK_HANDLE}/video/" + p["post_id"].astype(str)).to_numpy(),
            "Post time": utc(p["published_at"]).strftime("%Y-%m-%d %H:%M").to_numpy(),
            "Total likes": compact_count(p["likes"].to_numpy()),
            "Total comments": compact_count(p["comments"].to_numpy()),
            "Total shares": compact_count(p["shares"].to_numpy()),
            "Total views": compact_count(p["impressions"].to_numpy()),
            "Average watch time": np.round(p["duration_s"].to_numpy() * p["watch_share"].to_numpy(), 1),
        },
        columns=TIKTOK_CONTENT_HEADER,
    )
    start = day - timedelta(days=SNAPSHOT_MAX_AGE_DAYS - 1)
    stem = f"TikTok_Content_{start.isoformat()}_{day.isoformat()}"
    if tiktok_uses_xlsx(day):
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Sheet1")
        ws.append(TIKTOK_CONTENT_HEADER)
        for r in rows.itertuples(index=False, name=None):
            ws.append(
                [int(x) if isinstance(x, (np.integer,)) else float(x) if isinstance(x, np.floating) else x for x in r]
            )
        return save_xlsx(wb, folder / f"{stem}.xlsx", export_time(day))
    path = folder / f"{stem}.csv"
    rows.to_csv(path, index=False, lineterminator="\n")
    return path


def _yt_date(epoch: np.ndarray) -> np.ndarray:
    """``Sep 26, 2026`` (no zero padding)."""
    t = utc(epoch)
    return (
        pd.Series(np.array(MONTHS, dtype=object)[t.month - 1])
        + " "
        + pd.Series(t.day.astype(str))
        + ", "
        + pd.Series(t.year.astype(str))
    ).to_numpy()


def _yt_content(ids: np.ndarray) -> np.ndarray:
    """Ids starting with ``-`` get a leading space in YouTube's CSVs (so spreadsheets don't read a formula)."""
    ids = pd.Series(ids, dtype=object)
    return np.where(ids.str.startswith("-"), " " + ids, ids).astype(object)


def _csv_bytes(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write_youtube(world: World, day: date, folder: Path, snap: pd.DataFrame, engine: Engagement) -> Path:
    """``Content <start>_<end> <channel>.zip`` with Table data.csv (Total row 2), Chart data.csv, Totals.csv.

    The period is the last 28 days and only videos published inside it are listed, so period metrics are also
    lifetime metrics (the same cumulative-snapshot rule as the other engagement exports).
    """
    p = snap[snap["platform"] == "youtube"].copy()
    views = p["impressions"].to_numpy()
    p["views"] = views
    p["watch_hours"] = views * p["duration_s"].to_numpy() * p["watch_share"].to_numpy() / 3600
    p["subscribers"] = (views * 0.004).astype(int)
    p["thumb_impressions"] = (views / p["thumb_ctr"].to_numpy()).astype(int)
    p = p.sort_values(["views", "post_index"], ascending=[False, True], kind="stable")
    content = _yt_content(p["post_id"].to_numpy())
    titles = ("Made to last: episode " + p["post_index"].astype(str)).to_numpy()
    published = _yt_date(p["published_at"].to_numpy())
    total_imp = int(p["thumb_impressions"].sum())
    table = [
        [
            "Total",
            "",
            "",
            "",
            int(views.sum()),
            f"{p['watch_hours'].sum():.4f}",
            int(p["subscribers"].sum()),
            total_imp,
            f"{(views.sum() / total_imp * 100) if total_imp else 0:.2f}",
        ]
    ]
    table += [
        [c, t, pub, int(d), int(v), f"{w:.4f}", int(sb), int(im), f"{ctr * 100:.2f}"]
        for c, t, pub, d, v, w, sb, im, ctr in zip(
            content,
            titles,
            published,
            p["duration_s"],
            p["views"],
            p["watch_hours"],
            p["subscribers"],
            p["thumb_impressions"],
            p["thumb_ctr"],
        )
    ]
    # daily views per video over the period: differences of the lifetime curve, day by day
    start = day - timedelta(days=SNAPSHOT_MAX_AGE_DAYS - 1)
    idx = p["post_index"].to_numpy()
    previous = np.zeros(len(idx), dtype=np.int64)
    chart, totals = [], []
    first_before = engine.impressions(idx, start - timedelta(days=1))[0]
    previous = np.where(p["published_at"].to_numpy() < day_end_epoch(start - timedelta(days=1)), first_before, 0)
    for k in range(SNAPSHOT_MAX_AGE_DAYS):
        d = start + timedelta(days=k)
        live = p["published_at"].to_numpy() < day_end_epoch(d)
        now = np.where(live, engine.impressions(idx, d)[0], 0)
        daily = now - previous
        previous = now
        chart += [
            [d.isoformat(), c, t, pub, int(dur), int(v)]
            for c, t, pub, dur, v, alive in zip(content, titles, published, p["duration_s"], daily, live)
            if alive
        ]
        totals.append([d.isoformat(), int(daily.sum())])
    name = f"Content {start.isoformat()}_{day.isoformat()} {YOUTUBE_CHANNEL}.zip"
    members = {
        "Table data.csv": _csv_bytes(YOUTUBE_TABLE_HEADER, table),
        "Chart data.csv": _csv_bytes(YOUTUBE_CHART_HEADER, chart),
        "Totals.csv": _csv_bytes(YOUTUBE_TOTALS_HEADER, totals),
    }
    return write_zip(folder / name, members, export_time(day))
