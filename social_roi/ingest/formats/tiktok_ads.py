"""TikTok Ads report [C: no real export seen; columns follow the reporting API field names].

Columns accepted: ``stat_time_day`` (or ``date`` / ``Date``), ``campaign_name``, ``campaign_id``, ``spend``,
``impressions``, ``clicks``, ``complete_payment``, ``complete_payment_value``, ``currency``; Ads Manager UI
style names (``Campaign name``, ``Cost``, ``Complete payment``, ``Total complete payment value``) are accepted as
aliases.

Table ``tiktok_ads``: date, campaign_name, campaign_id, currency, amount_spent, impressions, clicks, purchases,
purchases_value, source_row. ``purchases`` = ``complete_payment`` (platform-claimed).
"""

from __future__ import annotations

from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats._common import Columns, file_dayfirst, period_of

TABLE = TableSpec("tiktok_ads", (
    col("date", "stat_time_day", "date", "By Day", required=True),
    col("campaign_name", "campaign_name", "Campaign name", required=True),
    col("campaign_id", "campaign_id", "Campaign ID"),
    col("spend", "spend", "Cost", required=True),
    col("impressions", "impressions", required=True),
    col("clicks", "clicks", "Clicks (destination)"),
    col("complete_payment", "complete_payment", "Complete payment", required=True),
    col("complete_payment_value", "complete_payment_value", "Total complete payment value",
        "Complete payment value"),
    col("currency", "currency", "Currency"),
))


def parse(raws, ctx):
    raw = raws[0]
    c = Columns(raw, ctx, dayfirst=file_dayfirst(raws, ["date"], default=False))
    day, _ = c.day("date")
    out = {
        "date": day,
        "campaign_name": c.text("campaign_name"),
        "campaign_id": c.ident("campaign_id"),
        "currency": c.text("currency").str.upper(),
        "amount_spent": c.money("spend"),
        "impressions": c.count("impressions"),
        "clicks": c.count("clicks"),
        "purchases": c.number("complete_payment"),
        "purchases_value": c.money("complete_payment_value"),
    }
    frame, problems = c.finish(out)
    return ParseResult("tiktok_ads", {"tiktok_ads": frame}, problems)


SPEC = FormatSpec("tiktok_ads", (TABLE,), parse, doc=__doc__,
                  period=period_of("tiktok_ads", "date"))
