"""Meta Business Suite Instagram posts export: one row per post (lifetime) or per post and day."""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__instagram_posts"
FORMATS = ("instagram_posts",)
SEVERITY = "blocking"

SPEC = kit.RawSpec(
    required=("post_id", "published_at"),
    kinds={
        "post_id": "text",
        "published_at": "datetime",
        "date": "datetime",
        "views": "integer",
        "reach": "integer",
        "likes": "integer",
        "comments": "integer",
        "shares": "integer",
        "saves": "integer",
        "follows": "integer",
    },
    key=("post_id", "date"),
    non_negative=("views", "reach", "likes", "comments", "shares", "saves", "follows"),
)


def frame(df, today=None):
    return kit.prepare_raw(df, SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
