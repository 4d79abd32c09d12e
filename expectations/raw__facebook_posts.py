"""Meta Business Suite Facebook Page posts export (lifetime snapshot per post)."""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__facebook_posts"
FORMATS = ("facebook_posts",)
SEVERITY = "blocking"

SPEC = kit.RawSpec(
    required=("post_id", "published_at"),
    kinds={"post_id": "text", "published_at": "datetime", "views": "integer", "likes": "integer",
           "comments": "integer", "shares": "integer", "link_clicks": "integer"},
    key=("post_id",),
    non_negative=("views", "likes", "comments", "shares", "link_clicks"),
)


def frame(df, today=None):
    return kit.prepare_raw(df, SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
