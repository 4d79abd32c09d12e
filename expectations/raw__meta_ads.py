"""Meta Ads Manager export with a daily breakdown (grain: ad x day); currency from the amount column's header."""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__meta_ads"
FORMATS = ("meta_ads",)
SEVERITY = "blocking"

SPEC = kit.RawSpec(
    required=(("day", "reporting_starts"), "amount_spent", "currency", ("ad_id", "ad_name")),
    kinds={"day": "datetime", "reporting_starts": "datetime", "campaign_id": "text", "ad_id": "text",
           "amount_spent": "number", "impressions": "integer", "link_clicks": "integer", "purchases": "integer",
           "purchases_value": "number", "currency": "text"},
    key=(("ad_id", "ad_name"), ("day", "reporting_starts")),
    non_negative=("amount_spent", "impressions", "link_clicks", "purchases", "purchases_value"),
    currencies=("currency",),
)


def frame(df, today=None):
    return kit.prepare_raw(df, SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
