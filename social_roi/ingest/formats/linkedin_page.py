"""LinkedIn company page — updates export (xlsx; row 1 a description line, header on row 2; two sheets) [B/C].

Table ``linkedin_page_metrics`` (daily): ``date`` then every metric column of the sheet, snake_cased
(``Impressions (organic)`` → ``impressions_organic`` …, ``Engagement rate (total)`` → ``engagement_rate_total``),
plus ``source_row``. Counts are Int64 and MAY BE NEGATIVE: LinkedIn back-corrects daily values (e.g. removed
reactions), so negative daily metrics are kept, not rejected. Engagement rates are fractions.

Table ``linkedin_page_posts``: post_title, post_link, post_id, post_type, campaign_name, posted_by, created_at,
impressions, views, clicks, likes, comments, reposts, follows, engagement_rate, content_type, source_row.

* ``post_id`` is the activity / share / ugcPost urn number taken from ``Post link``.
* Older files say ``Shares`` for ``Reposts``; ``Views`` is ``Views (excluding off-site video views)``.
* ``posted_by`` (employee / sales-rep posts: social selling) is kept in clear: it names the company's own staff
  acting for the company and is the join key to CRM owners. Customers never appear here.
* Dates are ``MM/DD/YYYY`` (month-first default) or real spreadsheet dates.
"""

from __future__ import annotations

import re

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col, norm_header
from social_roi.ingest.formats._common import Columns, file_dayfirst, period

METRICS = TableSpec(
    "linkedin_page_metrics",
    (
        col("date", "Date", required=True),
        col("impressions_organic", "Impressions (organic)", required=True),
        col("impressions_total", "Impressions (total)"),
        col("clicks_organic", "Clicks (organic)", required=True),
        col("reactions_organic", "Reactions (organic)", required=True),
        col("reposts_organic", "Reposts (organic)", "Shares (organic)"),
        col("comments_organic", "Comments (organic)"),
        col("engagement_rate_organic", "Engagement rate (organic)"),
    ),
)

POSTS = TableSpec(
    "linkedin_page_posts",
    (
        col("post_title", "Post title", required=True),
        col("post_link", "Post link", required=True),
        col("post_type", "Post type"),
        col("campaign_name", "Campaign name"),
        col("posted_by", "Posted by"),
        col("created_at", "Created date", required=True),
        col("campaign_start", "Campaign start date"),
        col("campaign_end", "Campaign end date"),
        col("audience", "Audience"),
        col("impressions", "Impressions", required=True),
        col("views", "Views (excluding off-site video views)", "Views"),
        col("offsite_views", "Off-site views"),
        col("clicks", "Clicks", required=True),
        col("ctr", "Click through rate (CTR)"),
        col("likes", "Likes", "Reactions"),
        col("comments", "Comments"),
        col("reposts", "Reposts", "Shares"),
        col("follows", "Follows"),
        col("engagement_rate", "Engagement rate"),
        col("content_type", "Content Type"),
    ),
)


def snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", norm_header(name)).strip("_")


def _metrics(raw, ctx, dayfirst):
    c = Columns(raw, ctx, dayfirst=dayfirst)
    day, _ = c.day("date")
    out = {"date": day}
    date_col = raw.columns["date"]
    for name in raw.frame.columns:
        if name in (date_col, "source_row") or not name:
            continue
        key = snake(name)
        raw.columns.setdefault(key, name)
        if "rate" in key or "ctr" in key:
            out[key] = c.rate(key)
        else:
            out[key] = c.count(key, nonneg=False)
    return c.finish(out)


def _posts(raw, ctx, dayfirst):
    c = Columns(raw, ctx, dayfirst=dayfirst)
    link = c.text("post_link")
    out = {
        "post_title": c.text("post_title"),
        "post_link": link,
        "post_id": locale.rx_extract1(link, r"(?:activity|share|ugcPost)(?::|%3A|-)(\d{10,})"),
        "post_type": c.text("post_type"),
        "campaign_name": c.text("campaign_name"),
        "posted_by": c.text("posted_by"),
        "created_at": c.timestamp("created_at"),
        "impressions": c.count("impressions"),
        "views": c.count("views"),
        "clicks": c.count("clicks"),
        "likes": c.count("likes"),
        "comments": c.count("comments"),
        "reposts": c.count("reposts"),
        "follows": c.count("follows"),
        "engagement_rate": c.rate("engagement_rate"),
        "content_type": c.text("content_type"),
    }
    return c.finish(out)


def parse(raws, ctx):
    dayfirst = file_dayfirst(raws, ["date", "created_at"], default=False)
    tables, problems = {}, []
    for raw in raws:
        if raw.spec.name == "linkedin_page_metrics":
            frame, p = _metrics(raw, ctx, dayfirst)
        else:
            frame, p = _posts(raw, ctx, dayfirst)
        tables[raw.spec.name] = frame
        problems += p
    return ParseResult("linkedin_page", tables, problems)


def _period(tables, raws, ctx):
    """The metrics sheet's days; without that sheet, the posts' creation dates."""
    if "linkedin_page_metrics" in tables:
        return period(tables["linkedin_page_metrics"]["date"])
    return period(*(frame["created_at"] for frame in tables.values()))


SPEC = FormatSpec("linkedin_page", (METRICS, POSTS), parse, doc=__doc__, period=_period)
