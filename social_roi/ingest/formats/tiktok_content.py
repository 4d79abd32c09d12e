"""TikTok Studio content export (csv or xlsx) [C].

Table ``tiktok_content``: video_id, video_title, video_link, posted_at, likes, comments, shares, views,
average_watch_time_seconds, source_row.

* Counts come abbreviated (``1.2K``, ``3M``) and become Int64.
* ``video_id`` is the number in ``/video/<id>`` of the link.
* ``Average watch time`` may carry a unit (``12.5s``); it is read as seconds.
* ``Post time`` may come without a year (``July 16``, ``Jul 16, 18:00``): it is resolved against the export's
  day (the dated inbox folder), else the run's day, as the latest such date not after it (see ``_yearless``).
"""

from __future__ import annotations

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats import _yearless
from social_roi.ingest.formats._common import Columns, file_dayfirst, period_of

TABLE = TableSpec(
    "tiktok_content",
    (
        col("video_title", "Video title", required=True),
        col("video_link", "Video link", required=True),
        col("post_time", "Post time", required=True),
        col("likes", "Total likes", required=True),
        col("comments", "Total comments"),
        col("shares", "Total shares"),
        col("views", "Total views", required=True),
        col("avg_watch", "Average watch time"),
    ),
)


def parse(raws, ctx):
    raw = raws[0]
    if raw.has("post_time"):
        name = raw.columns["post_time"]
        completed, _ = _yearless.complete(raw.get("post_time"), ctx.export_day_per_row(raw))
        raw.frame[name] = completed.fillna("")
    c = Columns(raw, ctx, dayfirst=file_dayfirst(raws, ["post_time"], default=False))
    link = c.text("video_link")
    watch = raw.get("avg_watch")
    if raw.has("avg_watch"):
        raw.frame[raw.columns["avg_watch"]] = locale.rx_replace(watch, r"(?i)\s*s(?:ec(?:onds?)?)?$", "").fillna("")
    out = {
        "video_id": locale.rx_extract1(link, r"/video/(\d+)"),
        "video_title": c.text("video_title"),
        "video_link": link,
        "posted_at": c.timestamp("post_time"),
        "likes": c.count("likes"),
        "comments": c.count("comments"),
        "shares": c.count("shares"),
        "views": c.count("views"),
        "average_watch_time_seconds": c.number("avg_watch", what="a duration in seconds"),
    }
    frame, problems = c.finish(out)
    return ParseResult("tiktok_content", {"tiktok_content": frame}, problems)


SPEC = FormatSpec("tiktok_content", (TABLE,), parse, doc=__doc__, period=period_of("tiktok_content", "posted_at"))
