"""X tweet activity export (lifetime snapshot per tweet)."""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__x_tweets"
FORMATS = ("x_tweets",)
SEVERITY = "blocking"

SPEC = kit.RawSpec(
    required=("tweet_id", "posted_at"),
    kinds={
        "tweet_id": "text",
        "posted_at": "datetime",
        "impressions": "integer",
        "engagements": "integer",
        "likes": "integer",
        "replies": "integer",
        "retweets": "integer",
        "url_clicks": "integer",
        "user_profile_clicks": "integer",
        "media_views": "integer",
    },
    key=("tweet_id",),
    non_negative=(
        "impressions",
        "engagements",
        "likes",
        "replies",
        "retweets",
        "url_clicks",
        "user_profile_clicks",
        "media_views",
    ),
)


def frame(df, today=None):
    return kit.prepare_raw(df, SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
