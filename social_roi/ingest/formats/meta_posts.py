"""Meta Business Suite post exports — Instagram posts and Facebook Page posts [C].

Tables ``instagram_posts`` and ``facebook_posts`` share one layout: post_id, account_id, account_username,
permalink, post_type, published_at, description, date, is_lifetime, views, reach, likes, comments, shares, saves,
follows, total_clicks, link_clicks, source_row.

* Instagram: ``account_*`` from ``Account ID`` / ``Account username``; ``likes`` = Likes; ``saves`` = Saves;
  ``total_clicks`` / ``link_clicks`` are null.
* Facebook: ``account_*`` from ``Page ID`` / ``Page name``; ``likes`` = ``Reactions``; ``saves`` null;
  ``follows`` null unless present.
* ``Views`` was ``Impressions`` before Meta's rename: both accepted.
* ``Date`` is ``Lifetime`` unless a daily breakdown was chosen: then ``date`` is null and ``is_lifetime`` true.
* ``Publish time`` is ``MM/DD/YYYY HH:MM`` without offset: taken as UTC (the page's time zone is not in the file).
* A header containing a comma (``"Reactions, Comments and Shares"``), numbers like ``"12,400"``, UTF-16 with
  preamble lines are handled by the reader; legacy xlsx exports with a second header row of metric descriptions
  have that row dropped silently.
* Ids mangled by Excel (``1.22158E+17``): a Facebook post id is recovered from a ``/posts/<id>`` or
  ``story_fbid=<id>`` permalink; otherwise the row is rejected (``mangled_id``).
"""

from __future__ import annotations

import numpy as np

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats._common import Columns, file_dayfirst, first_of_part, period

COMMON = (
    col("post_id", "Post ID", required=True),
    col("description", "Description"),
    col("duration", "Duration (sec)"),
    col("publish_time", "Publish time", required=True),
    col("permalink", "Permalink", required=True),
    col("post_type", "Post type"),
    col("data_comment", "Data comment"),
    col("date", "Date"),
    col("views", "Views", "Impressions", required=True),
    col("reach", "Reach", required=True),
    col("comments", "Comments"),
    col("shares", "Shares"),
)

IG = TableSpec(
    "instagram_posts",
    COMMON
    + (
        col("account_id", "Account ID", required=True),
        col("account_username", "Account username", required=True),
        col("account_name", "Account name"),
        col("likes", "Likes", required=True),
        col("follows", "Follows"),
        col("saves", "Saves"),
    ),
)

FB = TableSpec(
    "facebook_posts",
    COMMON
    + (
        col("account_id", "Page ID", required=True),
        col("account_username", "Page name", required=True),
        col("title", "Title"),
        col("likes", "Reactions", required=True),
        col("rcs", "Reactions, Comments and Shares"),
        col("total_clicks", "Total clicks"),
        col("link_clicks", "Link Clicks"),
        col("other_clicks", "Other Clicks"),
        col("follows", "Follows"),
        col("is_crosspost", "Is crosspost"),
    ),
)

COLUMNS = (
    "post_id",
    "account_id",
    "account_username",
    "permalink",
    "post_type",
    "published_at",
    "description",
    "date",
    "is_lifetime",
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "follows",
    "total_clicks",
    "link_clicks",
    "source_row",
)

_METRIC_KEYS = ("views", "reach", "likes", "comments", "shares")


def _drop_description_row(raw) -> None:
    """Legacy xlsx: the first data row (of each file) holds metric descriptions (text in the metric columns)."""
    keys = [k for k in _METRIC_KEYS if k in raw.columns]
    if raw.frame.empty or not keys:
        return
    first = first_of_part(raw)
    heads = raw.frame[first]
    texty = np.zeros(len(heads), dtype=np.int64)
    for k in keys:  # loop over the metric columns, vectorised over the files' first rows
        _, bad = locale.parse_numbers(heads[raw.columns[k]].reset_index(drop=True).astype("str"))
        texty += bad.to_numpy(dtype=bool)
    drop = texty >= max(2, len(keys) // 2 + 1)
    if drop.any():
        keep = np.ones(len(raw.frame), dtype=bool)
        keep[np.flatnonzero(first)[drop]] = False
        raw.frame = raw.frame[keep].reset_index(drop=True)


def _parse(table: str):
    def parse(raws, ctx):
        raw = raws[0]
        _drop_description_row(raw)
        dayfirst = file_dayfirst(raws, ["publish_time", "date"], default=False)
        c = Columns(raw, ctx, dayfirst=dayfirst)
        permalink = c.text("permalink")
        recovered = None
        if table == "facebook_posts":
            recovered = locale.rx_extract1(permalink, r"(?:/posts/|story_fbid=|/videos/|fbid=)(\d{6,})")
        day, lifetime = c.day("date")
        out = {
            "post_id": c.ident("post_id", recovered=recovered),
            "account_id": c.ident("account_id"),
            "account_username": c.text("account_username"),
            "permalink": permalink,
            "post_type": c.text("post_type"),
            "published_at": c.timestamp("publish_time"),
            "description": c.text("description"),
            "date": day,
            # without a Date column the export holds lifetime totals
            "is_lifetime": lifetime.to_numpy(dtype=bool) if raw.has("date") else np.ones(len(raw.frame), bool),
            "views": c.count("views"),
            "reach": c.count("reach"),
            "likes": c.count("likes"),
            "comments": c.count("comments"),
            "shares": c.count("shares"),
            "saves": c.count("saves"),
            "follows": c.count("follows"),
            "total_clicks": c.count("total_clicks"),
            "link_clicks": c.count("link_clicks"),
        }
        frame, problems = c.finish(out)
        return ParseResult(table, {table: frame}, problems)

    return parse


def _period(tables, raws, ctx):
    """The days of a daily breakdown, else the posts' publish times."""
    frame = next(iter(tables.values()))
    start, end = period(frame["date"])
    if start is None:
        start, end = period(frame["published_at"])
    return start, end


SPECS = (
    FormatSpec("instagram_posts", (IG,), _parse("instagram_posts"), doc=__doc__, period=_period),
    FormatSpec("facebook_posts", (FB,), _parse("facebook_posts"), doc=__doc__, period=_period),
)
