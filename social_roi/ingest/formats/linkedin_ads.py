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


def _preamble_date(preamble: list[str], label: str, dayfirst: bool):
    for line in preamble:
        text = line.replace("\t", " ").strip().strip('"')
        if text.lower().startswith(label.lower()):
            value = text.split(":", 1)[1].strip().strip(",").strip('"')
            ts, bad, _ = locale.parse_datetimes(pd.Series([value], dtype="str"), dayfirst=dayfirst)
            return None if bad.iloc[0] or pd.isna(ts.iloc[0]) else ts.iloc[0].date()
    return None


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
    start = _preamble_date(raw.preamble, "Report Start", dayfirst)
    end = _preamble_date(raw.preamble, "Report End", dayfirst)
    if start is None or end is None:
        start, end = period(frame["date"])
    return ParseResult("linkedin_ads", {"linkedin_ads": frame}, problems, start, end)


SPEC = FormatSpec("linkedin_ads", (TABLE,), parse, doc=__doc__)
