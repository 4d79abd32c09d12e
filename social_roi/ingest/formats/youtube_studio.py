"""YouTube Studio advanced-mode export: a ZIP ``Content <start>_<end> <channel>`` holding ``Table data.csv``,
``Chart data.csv`` and ``Totals.csv`` [C].

Table ``youtube_videos`` (from ``Table data.csv``): video_id, video_title, published_at, duration_seconds, views,
watch_time_hours, subscribers, impressions, impressions_ctr, source_row.

Table ``youtube_daily`` (from ``Chart data.csv``, when it has a date and a content column): date, video_id,
views, watch_time_hours, subscribers, impressions, source_row.

* The ``Total`` row (row 2 of Table data) is dropped silently; ``Totals.csv`` is not loaded (it is a sum).
* Dates look like ``"Sep 26, 2026"``; ids starting with ``-`` carry a leading space, which is stripped.
* ``impressions_ctr`` is a fraction (``4.5`` in the ``(%)`` column → 0.045).
* Columns depend on the metrics selected: only ``Content``, ``Video title`` and ``Views`` are required.
* The period comes from the zip name (``Content 2026-09-01_2026-09-30 …``) when present, else from the data.
"""

from __future__ import annotations

import re
from datetime import date

from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats._common import Columns, file_dayfirst, period

_METRICS = (
    col("views", "Views", required=True),
    col("watch_time", "Watch time (hours)"),
    col("subscribers", "Subscribers"),
    col("impressions", "Impressions"),
)

TABLE = TableSpec(
    "youtube_videos",
    (
        col("content", "Content", required=True),
        col("video_title", "Video title", required=True),
        col("published", "Video publish time"),
        col("duration", "Duration"),
        col("ctr", "Impressions click-through rate (%)"),
    )
    + _METRICS,
    member="Table data.csv",
)

CHART = TableSpec(
    "youtube_daily",
    (
        col("date", "Date", required=True),
        col("content", "Content", required=True),
        col("video_title", "Video title"),
        col("published", "Video publish time"),
        col("duration", "Duration"),
    )
    + _METRICS,
    member="Chart data.csv",
    primary=False,
)

TOTALS = TableSpec(
    "youtube_totals", (col("date", "Date", required=True),) + _METRICS, member="Totals.csv", primary=False
)

_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})")


def _videos(raw, ctx, dayfirst):
    content = raw.get("content")
    raw.frame = raw.frame[~(content.str.lower() == "total").fillna(False).to_numpy()].reset_index(drop=True)
    c = Columns(raw, ctx, dayfirst=dayfirst)
    ctr = c.number("ctr", what="a percentage")
    out = {
        "video_id": c.ident("content", flag=False),
        "video_title": c.text("video_title"),
        "published_at": c.timestamp("published"),
        "duration_seconds": c.count("duration"),
        "views": c.count("views"),
        "watch_time_hours": c.number("watch_time"),
        "subscribers": c.count("subscribers", nonneg=False),
        "impressions": c.count("impressions"),
        "impressions_ctr": ctr / 100.0,
    }
    return c.finish(out)


def _daily(raw, ctx, dayfirst):
    c = Columns(raw, ctx, dayfirst=dayfirst)
    day, _ = c.day("date")
    out = {
        "date": day,
        "video_id": c.ident("content", flag=False),
        "views": c.count("views", nonneg=False),
        "watch_time_hours": c.number("watch_time", nonneg=False),
        "subscribers": c.count("subscribers", nonneg=False),
        "impressions": c.count("impressions", nonneg=False),
    }
    return c.finish(out)


def _valid(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse(raws, ctx):
    raws = [r for r in raws if r.spec.name != "youtube_totals"]
    dayfirst = file_dayfirst(raws, ["published", "date"], default=False)
    tables, problems = {}, []
    for raw in raws:
        frame, p = (_videos if raw.spec.name == "youtube_videos" else _daily)(raw, ctx, dayfirst)
        tables[raw.spec.name] = frame
        problems += p
    return ParseResult("youtube_studio", tables, problems)


def _period(tables, raws, ctx):
    """The dates in the bundle's name (``Content 2026-09-01_2026-09-30 …``), else the chart's days."""
    m = _NAME.search(ctx.file_name or "")
    if m and _valid(m[1]) and _valid(m[2]):
        return date.fromisoformat(m[1]), date.fromisoformat(m[2])
    if "youtube_daily" in tables:
        return period(tables["youtube_daily"]["date"])
    return None, None


SPEC = FormatSpec("youtube_studio", (TABLE, CHART, TOTALS), parse, doc=__doc__, period=_period)
