"""LinkedIn page updates export, all-posts sheet (lifetime snapshot per post)."""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__linkedin_page_posts"
FORMATS = ("linkedin_page_posts",)
SEVERITY = "blocking"

SPEC = kit.RawSpec(
    required=("post_id", "created_at"),
    kinds={
        "post_id": "text",
        "created_at": "datetime",
        "impressions": "integer",
        "views": "integer",
        "clicks": "integer",
        "likes": "integer",
        "comments": "integer",
        "reposts": "integer",
        "follows": "integer",
    },
    key=("post_id",),
    non_negative=("impressions", "views", "clicks", "likes", "comments", "reposts", "follows"),
)


def frame(df, today=None):
    return kit.prepare_raw(df, SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
