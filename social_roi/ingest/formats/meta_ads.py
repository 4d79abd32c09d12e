"""Meta Ads Manager export (Ads Reporting › Export table) [C].

Table ``meta_ads``: day, reporting_starts, reporting_ends, campaign_name, campaign_id, ad_set_name, ad_set_id,
ad_name, ad_id, currency, amount_spent, impressions, reach, link_clicks, clicks_all, purchases, purchases_value,
results, result_indicator, attribution_setting, entity_key, period_start, period_end, breakdown, source_row.

* Any level (campaign, ad set, ad), with or without ids; any time breakdown: none (each row covers
  ``Reporting starts``…``Reporting ends``), day (``Day``), week or month (each row's own ``Reporting starts`` /
  ``Reporting ends``, or a ``Week`` / ``Month`` column ``2026-11-02 - 2026-11-08`` when the export has one [C]);
  any delivery breakdown (``Age``, ``Gender``, ``Country``, ``Region``, ``Placement``,
  ``Platform``, ``Device platform``, ``Impression device``). See ``_paid`` for ``entity_key``, ``period_*`` and
  ``breakdown``.

* The currency is inside the spend column's name (``Amount spent (EUR)``); ``currency`` repeats it per row.
* ``day`` is null without a daily breakdown (no ``Day`` column).
* ``Results`` mixes event types (see ``result_indicator``): never sum it across rows.
* ``purchases_value`` is ``Purchases conversion value``, else ``Website purchases conversion value``.
* Headers follow the UI language. French names are accepted (confidence [C]: only ``Montant dépensé``,
  ``Début des rapports`` and ``Jour`` are attested; the rest are plausible translations). French files use ``;``
  and ``1 234,56``; their ambiguous dates are read day-first, English ones month-first (ISO is unambiguous).
* Ids (campaign/ad set/ad) are kept as exact strings; Excel-mangled ids (``1.20243E+17``) reject the row
  (``mangled_id``): they cannot be joined to the UTM ids in orders.
"""

from __future__ import annotations

import pandas as pd

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats import _paid
from social_roi.ingest.formats._common import Columns, constant, file_dayfirst, period_of

TABLE = TableSpec(
    "meta_ads",
    (
        col("reporting_starts", "Reporting starts", "Début des rapports", required=True),
        col("reporting_ends", "Reporting ends", "Fin des rapports", required=True),
        col("day", "Day", "Jour"),
        col("campaign_name", "Campaign name", "Nom de la campagne", required=True),
        col("campaign_id", "Campaign ID", "Identifiant de la campagne", "ID de la campagne"),
        col("ad_set_name", "Ad set name", "Nom de l'ensemble de publicités"),
        col("ad_set_id", "Ad set ID", "Identifiant de l'ensemble de publicités", "ID de l'ensemble de publicités"),
        col("ad_name", "Ad name", "Nom de la publicité"),
        col("ad_id", "Ad ID", "Identifiant de la publicité", "ID de la publicité"),
        col("amount_spent", r"re:amount spent \(([a-z]{3})\)", r"re:montant dépensé \(([a-z]{3})\)", required=True),
        col("impressions", "Impressions", required=True),
        col("reach", "Reach", "Couverture"),
        col("link_clicks", "Link clicks", "Clics sur un lien", "Clics sur le lien"),
        col("clicks_all", "Clicks (all)", "Clics (tous)"),
        col("purchases", "Purchases", "Achats"),
        col("purchases_value", "Purchases conversion value", "Valeur de conversion des achats"),
        col(
            "website_purchases_value",
            "Website purchases conversion value",
            "Valeur de conversion des achats sur le site web",
        ),
        col("results", "Results", "Résultats"),
        col("result_indicator", "Result indicator", "Indicateur de résultats", "Indicateur de résultat"),
        col("attribution_setting", "Attribution setting", "Paramètre d'attribution"),
        col("campaign_delivery", "Campaign delivery", "Diffusion de la campagne"),
        col("frequency", "Frequency", "Répétition"),
        col("time_bucket", "Week", "Month", "2 weeks", "Semaine", "Mois", "2 semaines"),
        *_paid.breakdown_columns(),
    ),
)


def _bucket(c: Columns, raw, dayfirst) -> tuple[pd.Series, pd.Series]:
    """A ``Week`` / ``Month`` / ``2 weeks`` column written as ``2026-11-02 - 2026-11-08``: the row's own period
    (rows of a weekly or monthly breakdown). Absent or empty: nulls, and ``Reporting starts``/``ends`` decide."""
    s = raw.get("time_bucket")
    if not raw.has("time_bucket"):
        empty = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us, UTC]")
        return locale.to_date(empty), locale.to_date(empty)
    parts = s.str.split(r"\s+[-–]\s+", n=1, regex=True)
    start_text, end_text = parts.str[0], parts.str[1]
    start, bad_start, _ = locale.parse_datetimes(start_text, dayfirst=dayfirst)
    end, bad_end, _ = locale.parse_datetimes(end_text, dayfirst=dayfirst)
    bad = s.notna() & (bad_start | bad_end | end_text.isna())
    c.checks.flag(bad, "time_bucket", s, "a period 'start - end' (e.g. 2026-11-02 - 2026-11-08)", "bad_date")
    return locale.to_date(start), locale.to_date(end)


def parse(raws, ctx):
    raw = raws[0]
    french = raw.columns.get("amount_spent", "").lower().startswith("montant")
    dayfirst = file_dayfirst(raws, ["reporting_starts", "reporting_ends", "day"], default=french)
    c = Columns(raw, ctx, dayfirst=dayfirst)
    n = len(raw.frame)
    currency = (raw.captures.get("amount_spent") or "").upper() or None
    value = c.money("purchases_value")
    value = value.where(value.notna(), c.money("website_purchases_value"))
    starts, _ = c.day("reporting_starts")
    ends, _ = c.day("reporting_ends")
    day, _ = c.day("day")
    bucket_start, bucket_end = _bucket(c, raw, dayfirst)
    period_start = day.where(day.notna(), bucket_start.where(bucket_start.notna(), starts))
    period_end = day.where(day.notna(), bucket_end.where(bucket_end.notna(), ends))
    c.checks.flag(
        period_end < period_start,
        "reporting_ends",
        raw.get("reporting_ends"),
        "a day on or after 'Reporting starts'",
        "bad_period",
    )
    campaign_name, ad_set_name, ad_name = c.text("campaign_name"), c.text("ad_set_name"), c.text("ad_name")
    campaign_id, ad_set_id, ad_id = c.ident("campaign_id"), c.ident("ad_set_id"), c.ident("ad_id")
    out = {
        "day": day,
        "reporting_starts": starts,
        "reporting_ends": ends,
        "campaign_name": campaign_name,
        "campaign_id": campaign_id,
        "ad_set_name": ad_set_name,
        "ad_set_id": ad_set_id,
        "ad_name": ad_name,
        "ad_id": ad_id,
        "currency": constant(currency, n),
        "amount_spent": c.money("amount_spent"),
        "impressions": c.count("impressions"),
        "reach": c.count("reach"),
        "link_clicks": c.count("link_clicks"),
        "clicks_all": c.count("clicks_all"),
        "purchases": c.number("purchases"),
        "purchases_value": value,
        "results": c.number("results"),
        "result_indicator": c.text("result_indicator"),
        "attribution_setting": c.text("attribution_setting"),
        "entity_key": _paid.entity_key([(campaign_name, campaign_id), (ad_set_name, ad_set_id), (ad_name, ad_id)]),
        "period_start": period_start,
        "period_end": period_end,
        "breakdown": _paid.breakdown(c),
    }
    frame, problems = c.finish(out)
    return ParseResult("meta_ads", {"meta_ads": frame}, problems)


SPEC = FormatSpec(
    "meta_ads", (TABLE,), parse, doc=__doc__, period=period_of("meta_ads", "reporting_starts", "reporting_ends", "day")
)
