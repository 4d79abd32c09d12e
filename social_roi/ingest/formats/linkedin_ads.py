"""LinkedIn Campaign Manager campaign performance export [C].

Preamble lines (``Campaign Performance Report (in UTC)``, ``Report Start: …``, ``Report End: …``,
``Date Generated: …``), a blank line, then the header. Comma-delimited UTF-8, or tab-delimited UTF-16.

Table ``linkedin_ads``: date, date_end, account_name, campaign_group_name, campaign_name, campaign_id, ad_name,
ad_id, currency, amount_spent, impressions, clicks, conversions, entity_key, period_start, period_end, breakdown,
source_row.

* Dates ``M/D/YYYY`` (month-first default).
* Time breakdown daily, monthly or none: a row covers ``Start Date (in UTC)``…``End Date (in UTC)`` when the file
  has an end date, else its start day. Campaign or ad (creative) level; without ``Campaign ID`` the entity is the
  names' path (campaign group › campaign › ad). Demographic breakdowns (``Member Job Function``, ...) repeat the
  entity and day. French headers (``Date de début (UTC)``, ``Nom de la campagne``, ``Total dépensé``,
  ``Devise``, ...) are plausible translations [C].
* ``period_start`` / ``period_end`` come from the ``Report Start`` / ``Report End`` preamble lines when present.
"""

from __future__ import annotations

import pandas as pd

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats import _paid
from social_roi.ingest.formats._common import Columns, file_dayfirst, period

TABLE = TableSpec(
    "linkedin_ads",
    (
        col("date", "Start Date (in UTC)", "Start Date", "Date", "Date de début (UTC)", "Date de début", required=True),
        col("date_end", "End Date (in UTC)", "End Date", "Date de fin (UTC)", "Date de fin"),
        col("account_name", "Account Name", "Nom du compte"),
        col("campaign_group_name", "Campaign Group Name", "Nom du groupe de campagnes"),
        col("campaign_name", "Campaign Name", "Nom de la campagne", required=True),
        col("campaign_id", "Campaign ID", "ID de la campagne"),
        col("ad_name", "Ad Name", "Creative Name", "Nom de l'annonce"),
        col("ad_id", "Ad ID", "Creative ID", "ID de l'annonce"),
        col("currency", "Currency", "Devise", required=True),
        col("spent", "Total Spent", "Amount Spent", "Total dépensé", "Montant dépensé", required=True),
        col("impressions", "Impressions", required=True),
        col("clicks", "Clicks", "Clics", required=True),
        col("conversions", "Conversions"),
        *_paid.breakdown_columns(),
    ),
)


def _preamble_value(preamble: list[str], label: str) -> str | None:
    for line in preamble:
        text = line.replace("\t", " ").strip().strip('"')
        if text.lower().startswith(label.lower()):
            return text.split(":", 1)[1].strip().strip(",").strip('"')
    return None


def _dates(values: list[str | None], dayfirst: list[bool]) -> list:
    """Parse preamble dates of many files at once (one vectorised call per date order)."""
    out: list = [None] * len(values)
    for order in (False, True):
        idx = [i for i, v in enumerate(values) if v is not None and bool(dayfirst[i]) == order]
        if not idx:
            continue
        ts, bad, _ = locale.parse_datetimes(pd.Series([values[i] for i in idx], dtype="str"), dayfirst=order)
        for i, t, b in zip(idx, ts.tolist(), bad.tolist()):
            out[i] = None if b or pd.isna(t) else t.date()
    return out


def parse(raws, ctx):
    raw = raws[0]
    french = raw.columns.get("spent", "").lower().endswith("dépensé")
    dayfirst = file_dayfirst(raws, ["date", "date_end"], default=french)
    c = Columns(raw, ctx, dayfirst=dayfirst)
    day, _ = c.day("date")
    end, _ = c.day("date_end")
    end = end.where(end.notna(), day)
    c.checks.flag(end < day, "date_end", raw.get("date_end"), "a day on or after the start date", "bad_period")
    group, campaign_name, ad_name = c.text("campaign_group_name"), c.text("campaign_name"), c.text("ad_name")
    campaign_id, ad_id = c.ident("campaign_id"), c.ident("ad_id")
    # with a campaign id the group adds nothing to the key; without one, the group tells same-named campaigns apart
    group_level = group.where(campaign_id.isna())
    out = {
        "date": day,
        "date_end": end,
        "account_name": c.text("account_name"),
        "campaign_group_name": group,
        "campaign_name": campaign_name,
        "campaign_id": campaign_id,
        "ad_name": ad_name,
        "ad_id": ad_id,
        "currency": c.text("currency").str.upper(),
        "amount_spent": c.money("spent"),
        "impressions": c.count("impressions"),
        "clicks": c.count("clicks"),
        "conversions": c.number("conversions"),
        "entity_key": _paid.entity_key([(group_level, None), (campaign_name, campaign_id), (ad_name, ad_id)]),
        "period_start": day,
        "period_end": end,
        "breakdown": _paid.breakdown(c),
    }
    frame, problems = c.finish(out)
    return ParseResult("linkedin_ads", {"linkedin_ads": frame}, problems)


def _periods(views):
    """Per file: the ``Report Start`` / ``Report End`` preamble lines, else the first and last ``date``."""
    dayfirst = [file_dayfirst(raws, ["date"], default=False) for _, raws, _ in views]
    starts = _dates([_preamble_value(raws[0].preamble, "Report Start") for _, raws, _ in views], dayfirst)
    ends = _dates([_preamble_value(raws[0].preamble, "Report End") for _, raws, _ in views], dayfirst)
    out = []
    for (tables, _, _), start, end in zip(views, starts, ends):
        if start is None or end is None:
            start, end = period(tables["linkedin_ads"]["date"], tables["linkedin_ads"]["date_end"])
        out.append((start, end))
    return out


def _period(tables, raws, ctx):
    return _periods([(tables, raws, ctx)])[0]


SPEC = FormatSpec("linkedin_ads", (TABLE,), parse, doc=__doc__, period=_period, periods=_periods)
