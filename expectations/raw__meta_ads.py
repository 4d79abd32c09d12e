"""Meta Ads Manager export (grain: ad x day with a daily breakdown, ad x reporting period without one).

The currency comes from the amount column's header (``Amount spent (EUR)``): a file without it is quarantined,
since spend without a currency cannot be added to anything. Like stg_meta__ads_daily, a row's day is ``day`` or
else ``reporting_starts``; its entity is the finest level the export was broken down by (ad id, ad name, ad set
id/name, campaign id/name). The frame adds both as ``spend_day`` and ``entity_key``; the key is checked on them
(their values' types and dates are checked on the columns they come from).
"""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__meta_ads"
FORMATS = ("meta_ads",)
SEVERITY = "blocking"

SPEC = kit.RawSpec(
    required=("spend_day", "entity_key", "amount_spent", "currency"),
    kinds={"day": "datetime", "reporting_starts": "datetime", "reporting_ends": "datetime",
           "campaign_id": "text", "ad_id": "text", "amount_spent": "number", "impressions": "integer",
           "reach": "integer", "link_clicks": "integer", "clicks_all": "integer", "purchases": "number",
           "purchases_value": "number", "currency": "text"},
    key=("entity_key", "spend_day"),
    non_negative=("amount_spent", "impressions", "reach", "link_clicks", "clicks_all", "purchases",
                  "purchases_value"),
    currencies=("currency",),
)


# Finest first: a row's entity is the first of these it has a value for.
ENTITY_LEVELS = ("ad_id", "ad_name", "ad_set_id", "ad_set_name", "campaign_id", "campaign_name")


def _first_present(df, *columns):
    values = None
    for column in columns:
        if column in df.columns:
            values = df[column] if values is None else values.where(values.notna(), df[column])
    return values


def frame(df, today=None):
    derived = {}
    day = _first_present(df, "day", "reporting_starts")
    entity = _first_present(df, *ENTITY_LEVELS)
    if day is not None:
        derived["spend_day"] = day
    if entity is not None:
        derived["entity_key"] = entity
    return kit.prepare_raw(df.assign(**derived), SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
