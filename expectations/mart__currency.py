"""No mixed currencies: every mart row has one ISO-4217 currency, and no grain row mixes two.

Checked on every mart table (fct_/dim_ of the audit schema) that has a ``currency`` column: no missing currency, every
code is 3 capital letters, and within each grain listed below one currency only. The ROI mart must never add two
currencies into one (date, platform, campaign, model) row. A new mart with a currency: add its grain to GRAINS.
"""

from __future__ import annotations

import pandas as pd

from social_roi.quality import kit

NAME = "mart__currency"
SEVERITY = "blocking"
ROW_ID = ["table_name"]

# The grain within which a mart may carry only one currency.
GRAINS = {
    "fct_channel_roi_daily": ["date_day", "platform", "campaign_id", "attribution_model"],
    "fct_attributed_revenue": ["conversion_id"],
}

COLUMNS = [
    "table_name",
    "grain",
    "row_count",
    "null_currency_rows",
    "non_iso_currency_rows",
    "example_bad_currency",
    "mixed_currency_groups",
    "example_mixed_group",
]


def _table_sql(params: kit.MartParams, table: str) -> str:
    rel = params.rel(table)
    grain = GRAINS.get(table)
    if grain:
        cols = ", ".join(kit.ident(c) for c in grain)
        label = " || '/' || ".join(f"coalesce(cast({kit.ident(c)} as varchar), '∅')" for c in grain)
        mixed = f"""
            select count(*) as groups, min(label) as example
            from (
                select {label} || ' has ' || string_agg(distinct currency, '+' order by currency) as label
                from {rel}
                group by {cols}
                having count(distinct currency) > 1
            )"""
    else:
        mixed = "select 0 as groups, null as example"
    return f"""
        with base as (select cast(currency as varchar) as currency from {rel}),
        checks as (
            select
                count(*) as row_count,
                count(*) filter (where currency is null) as null_currency_rows,
                count(*) filter (where not regexp_full_match(currency, '[A-Z]{{3}}')) as non_iso_currency_rows,
                min(currency) filter (where not regexp_full_match(currency, '[A-Z]{{3}}')) as example_bad_currency
            from base
        ),
        mixed as ({mixed})
        select
            '{table}' as table_name,
            '{", ".join(grain) if grain else "(row)"}' as grain,
            checks.*,
            mixed.groups as mixed_currency_groups,
            mixed.example as example_mixed_group
        from checks, mixed
    """


def frame(con, params: kit.MartParams):
    tables = kit.mart_columns(con, params, column="currency")["table_name"].tolist()
    parts = [kit.query(con, _table_sql(params, table)) for table in tables]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def build_suite(thresholds=None):
    return kit.suite(
        NAME,
        [
            kit.expect_zero("null_currency_rows", "every mart row carries a currency"),
            kit.expect_zero(
                "non_iso_currency_rows",
                "currency values are ISO-4217 codes (3 capital letters)",
                show=["example_bad_currency"],
                expected="0 rows whose currency is not 3 capital letters",
            ),
            kit.expect_zero(
                "mixed_currency_groups",
                "no grain row mixes two currencies",
                show=["grain", "example_mixed_group"],
                expected="1 currency per grain row",
            ),
        ],
        notes=__doc__,
    )
