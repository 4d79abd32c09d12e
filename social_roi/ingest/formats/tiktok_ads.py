"""TikTok Ads report [C: no real export seen; columns follow the reporting API field names and the Ads Manager UI].

Columns accepted: ``stat_time_day`` (or ``date`` / ``Date`` / ``By Day``), ``campaign_name``, ``campaign_id``,
``adgroup_name``, ``adgroup_id``, ``ad_name``, ``ad_id``, ``spend``, ``impressions``, ``clicks``,
``complete_payment``, ``complete_payment_value``, ``currency``; Ads Manager UI style names (``Campaign name``,
``Ad group name``, ``Ad name``, ``Cost``, ``Clicks (destination)``, ``Complete payment``, ``Total complete payment
value``) and French UI names (``Nom de la campagne``, ``Coût``, ...) are accepted as aliases. A weekly or monthly
report may carry ``End date`` next to the start date. Delivery breakdowns (``Age``, ``Gender``,
``Country/Region``, ``Placement``, ``Platform``, ``Operating system``) repeat the entity and day.

Table ``tiktok_ads``: date, date_end, campaign_name, campaign_id, ad_group_name, ad_group_id, ad_name, ad_id,
currency, amount_spent, impressions, clicks, purchases, purchases_value, entity_key, period_start, period_end,
breakdown, source_row. ``purchases`` = ``complete_payment`` (platform-claimed).
"""

from __future__ import annotations

from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats import _paid
from social_roi.ingest.formats._common import Columns, file_dayfirst, period_of

TABLE = TableSpec(
    "tiktok_ads",
    (
        col("date", "stat_time_day", "date", "By Day", "Start date", "Jour", "Date de début", required=True),
        col("date_end", "End date", "Date de fin"),
        col("campaign_name", "campaign_name", "Campaign name", "Nom de la campagne", required=True),
        col("campaign_id", "campaign_id", "Campaign ID", "ID de la campagne"),
        col("ad_group_name", "adgroup_name", "Ad group name", "Nom du groupe d'annonces"),
        col("ad_group_id", "adgroup_id", "Ad group ID", "ID du groupe d'annonces"),
        col("ad_name", "ad_name", "Ad name", "Nom de l'annonce"),
        col("ad_id", "ad_id", "Ad ID", "ID de l'annonce"),
        col("spend", "spend", "Cost", "Coût", required=True),
        col("impressions", "impressions", required=True),
        col("clicks", "clicks", "Clicks (destination)", "Clics (destination)"),
        col("complete_payment", "complete_payment", "Complete payment", "Paiement effectué", required=True),
        col(
            "complete_payment_value",
            "complete_payment_value",
            "Total complete payment value",
            "Complete payment value",
            "Valeur totale des paiements effectués",
        ),
        col("currency", "currency", "Currency", "Devise"),
        *_paid.breakdown_columns(),
    ),
)


def parse(raws, ctx):
    raw = raws[0]
    french = raw.columns.get("spend", "").lower().startswith("co")
    c = Columns(raw, ctx, dayfirst=file_dayfirst(raws, ["date", "date_end"], default=french))
    day, _ = c.day("date")
    end, _ = c.day("date_end")
    end = end.where(end.notna(), day)
    c.checks.flag(end < day, "date_end", raw.get("date_end"), "a day on or after the start date", "bad_period")
    campaign_name, ad_group_name, ad_name = c.text("campaign_name"), c.text("ad_group_name"), c.text("ad_name")
    campaign_id, ad_group_id, ad_id = c.ident("campaign_id"), c.ident("ad_group_id"), c.ident("ad_id")
    out = {
        "date": day,
        "date_end": end,
        "campaign_name": campaign_name,
        "campaign_id": campaign_id,
        "ad_group_name": ad_group_name,
        "ad_group_id": ad_group_id,
        "ad_name": ad_name,
        "ad_id": ad_id,
        "currency": c.text("currency").str.upper(),
        "amount_spent": c.money("spend"),
        "impressions": c.count("impressions"),
        "clicks": c.count("clicks"),
        "purchases": c.number("complete_payment"),
        "purchases_value": c.money("complete_payment_value"),
        "entity_key": _paid.entity_key([(campaign_name, campaign_id), (ad_group_name, ad_group_id), (ad_name, ad_id)]),
        "period_start": day,
        "period_end": end,
        "breakdown": _paid.breakdown(c),
    }
    frame, problems = c.finish(out)
    return ParseResult("tiktok_ads", {"tiktok_ads": frame}, problems)


SPEC = FormatSpec("tiktok_ads", (TABLE,), parse, doc=__doc__, period=period_of("tiktok_ads", "date", "date_end"))
