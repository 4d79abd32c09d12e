"""X/Twitter classic tweet activity export (``tweet_activity_metrics_<handle>_<start>_<end>_en.csv``) [A].

Table ``x_tweets``: tweet_id, permalink, tweet_text, posted_at, impressions, engagements, engagement_rate,
retweets, replies, likes, user_profile_clicks, url_clicks, media_views, promoted_impressions, source_row.

* One row per tweet, totals as of the export date. Every field is quoted; counts are written as floats
  (``"1938.0"``) and become Int64; ``-`` means "not promoted" (null).
* ``time`` looks like ``2016-12-23 18:50 +0000``.
* Tweet text spans lines (kept: it is public content, not personal data).
* Ids exceed 2^53 and are read as strings. When Excel re-saved the file (``6.49E+17``) the id is recovered from
  ``/status/<id>`` in the permalink; a row with neither is rejected (``mangled_id``).
* Older files say ``favorites`` instead of ``likes``.
* The period comes from the file name when it follows the documented pattern, else from ``posted_at``.
"""

from __future__ import annotations

import re
from datetime import date

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats._common import Columns, period

TABLE = TableSpec(
    "x_tweets",
    (
        col("tweet_id", "Tweet id", required=True),
        col("permalink", "Tweet permalink", required=True),
        col("tweet_text", "Tweet text", required=True),
        col("time", "time", required=True),
        col("impressions", "impressions", required=True),
        col("engagements", "engagements", required=True),
        col("engagement_rate", "engagement rate"),
        col("retweets", "retweets"),
        col("replies", "replies"),
        col("likes", "likes", "favorites"),
        col("user_profile_clicks", "user profile clicks"),
        col("url_clicks", "url clicks"),
        col("hashtag_clicks", "hashtag clicks"),
        col("detail_expands", "detail expands"),
        col("media_views", "media views"),
        col("promoted_impressions", "promoted impressions"),
    ),
)

_NAME = re.compile(r"_(\d{8})_(\d{8})(?:_[a-z]{2})?\.csv$", re.IGNORECASE)


def parse(raws, ctx):
    raw = raws[0]
    c = Columns(raw, ctx)
    permalink = c.text("permalink")
    recovered = locale.rx_extract1(permalink, r"/status(?:es)?/(\d+)")
    out = {
        "tweet_id": c.ident("tweet_id", recovered=recovered),
        "permalink": permalink,
        "tweet_text": c.text("tweet_text"),
        "posted_at": c.timestamp("time"),
        "impressions": c.count("impressions"),
        "engagements": c.count("engagements"),
        "engagement_rate": c.rate("engagement_rate"),
        "retweets": c.count("retweets"),
        "replies": c.count("replies"),
        "likes": c.count("likes"),
        "user_profile_clicks": c.count("user_profile_clicks"),
        "url_clicks": c.count("url_clicks"),
        "media_views": c.count("media_views"),
        "promoted_impressions": c.count("promoted_impressions"),
    }
    frame, problems = c.finish(out)
    return ParseResult("x_tweets", {"x_tweets": frame}, problems)


def _period(tables, raws, ctx):
    """The dates in the file name (``…_20260901_20260930_en.csv``), else the first and last tweet."""
    start, end = period(tables["x_tweets"]["posted_at"])
    m = _NAME.search(ctx.file_name or "")
    if m:
        try:
            start = date(int(m[1][:4]), int(m[1][4:6]), int(m[1][6:]))
            end = date(int(m[2][:4]), int(m[2][4:6]), int(m[2][6:]))
        except ValueError:  # a name that only looks like the pattern
            pass
    return start, end


SPEC = FormatSpec("x_tweets", (TABLE,), parse, doc=__doc__, period=_period)
