"""LinkedIn Campaign Manager campaign performance export [C].

Preamble lines (``Campaign Performance Report (in UTC)``, ``Report Start: …``, ``Report End: …``,
``Date Generated: …``), a blank line, then the header. Comma-delimited UTF-8, or tab-delimited UTF-16.

Table ``linkedin_ads``: date, account_name, campaign_group_name, campaign_name, campaign_id, currency,
amount_spent, impressions, clicks, conversions, source_row.

* Dates ``M/D/YYYY`` (month-first default).
* ``period_start`` / ``period_end`` come from the ``Report Start`` / ``Report End`` preamble lines when present.
"""

from __future__ import annotations

import pandas as pd

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats._common import Columns, file_dayfirst, period

TABLE = TableSpec("linkedin_ads", (
    col("date", "Start Date (in UTC)", "Start Date", "Date", required=True),
    col("account_name", "Account Name"),
    col("campaign_group_name", "Campaign Group Name"),
    col("campaign_name", "Campaign Name", required=True),
    col("campaign_id", "Campaign ID", required=True),
    col("currency", "Currency", required=True),
    col("spent", "Total Spent", "Amount Spent", required=True),
    col("impressions", "Impressions", required=True),
    col("clicks", "Clicks", required=True),
    col("conversions", "Conversions"),
))


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
    dayfirst = file_dayfirst(raws, ["date"], default=False)
    c = Columns(raw, ctx, dayfirst=dayfirst)
    day, _ = c.day("date")
    out = {
        "date": day,
        "account_name": c.text("account_name"),
        "campaign_group_name": c.text("campaign_group_name"),
        "campaign_name": c.text("campaign_name"),
        "campaign_id": c.ident("campaign_id"),
        "currency": c.text("currency").str.upper(),
        "amount_spent": c.money("spent"),
        "impressions": c.count("impressions"),
        "clicks": c.count("clicks"),
        "conversions": c.number("conversions"),
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
            start, end = period(tables["linkedin_ads"]["date"])
        out.append((start, end))
    return out


def _period(tables, raws, ctx):
    return _periods([(tables, raws, ctx)])[0]


SPEC = FormatSpec("linkedin_ads", (TABLE,), parse, doc=__doc__, period=_period, periods=_periods)
