"""Salesforce opportunity report export [B pitfalls, C header].

Table ``salesforce_opportunities``: opportunity_owner, account_name, opportunity_name, stage, fiscal_period,
amount, currency, close_date, lead_source, type, primary_campaign_source, source_row.

* Footer rows are stripped silently: ``Grand Totals (N records)``, ``Confidential Information - Do Not
  Distribute``, ``Copyright (c) 2000-20xx salesforce.com…``, and the blank lines around them.
* Amounts like ``"$1,234,567"`` or ``USD 1,234.00``; ``currency`` comes from a ``Opportunity Currency`` /
  ``Amount Currency`` column when present, else from the sign/code in ``Amount`` ($ → USD is a guess).
* ``opportunity_owner`` (the sales rep: social-selling credit) is staff, kept in clear; ``account_name`` is a
  company. Dates default month-first (``M/D/YYYY``, US org locale).
"""

from __future__ import annotations

from social_roi.ingest import locale
from social_roi.ingest.base import FormatSpec, ParseResult, TableSpec, col
from social_roi.ingest.formats._common import Columns, file_dayfirst, period_of

TABLE = TableSpec(
    "salesforce_opportunities",
    (
        col("owner", "Opportunity Owner", required=True),
        col("account_name", "Account Name", required=True),
        col("opportunity_name", "Opportunity Name", required=True),
        col("stage", "Stage", required=True),
        col("fiscal_period", "Fiscal Period"),
        col("amount", "Amount", required=True),
        col("currency", "Opportunity Currency", "Amount Currency"),
        col("close_date", "Close Date", required=True),
        col("lead_source", "Lead Source"),
        col("type", "Type"),
        col("campaign", "Primary Campaign Source"),
    ),
    footer=r"(?i)(grand totals?\b|total\s*\(\d+ records?\)|confidential information\b|copyright \(c\))",
)

FOOTER = TABLE.footer


def parse(raws, ctx):
    raw = raws[0]
    first = raw.frame[raw.columns["owner"]]
    footer = locale.rx_match(first, FOOTER).fillna(False)
    if footer.any():  # everything from a file's first footer line on is the report's footer
        parts = raw.parts()
        after = footer.groupby(parts).cummax() if parts is not None else footer.cummax()
        raw.frame = raw.frame[~after.to_numpy(dtype=bool)].reset_index(drop=True)
    c = Columns(raw, ctx, dayfirst=file_dayfirst(raws, ["close_date"], default=False))
    day, _ = c.day("close_date", future=False)  # open opportunities close in the future
    amount_raw = raw.get("amount")
    currency = c.text("currency").str.upper()
    currency = currency.where(currency.notna(), locale.currency_from_signs(amount_raw))
    out = {
        "opportunity_owner": c.text("owner"),
        "account_name": c.text("account_name"),
        "opportunity_name": c.text("opportunity_name"),
        "stage": c.text("stage"),
        "fiscal_period": c.text("fiscal_period"),
        "amount": c.money("amount"),
        "currency": currency,
        "close_date": day,
        "lead_source": c.text("lead_source"),
        "type": c.text("type"),
        "primary_campaign_source": c.text("campaign"),
    }
    frame, problems = c.finish(out)
    return ParseResult("salesforce_opportunities", {"salesforce_opportunities": frame}, problems)


SPEC = FormatSpec(
    "salesforce_opportunities", (TABLE,), parse, doc=__doc__, period=period_of("salesforce_opportunities", "close_date")
)
