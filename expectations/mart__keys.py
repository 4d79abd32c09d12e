"""Mart keys are unique and present, at the grain each mart promises analysts.

dbt tests keys inside the build; this is the boundary check on what is about to be published. A new mart: add its
key to KEYS. The ROI mart's grain is (date, platform, campaign, model) as documented: a second currency in one
such row is a duplicate here and a mixed-currency row in mart__currency.
"""

from __future__ import annotations

import pandas as pd

from social_roi.quality import kit

NAME = "mart__keys"
SEVERITY = "blocking"
ROW_ID = ["table_name"]

KEYS = {
    "fct_attributed_revenue": ["attributed_revenue_id"],
    "fct_channel_roi_daily": ["date_day", "platform", "campaign_id", "attribution_model"],
    "dim_campaigns": ["campaign_id"],
    "fct_platform_reconciliation": ["reconciliation_id"],
    "fct_mmm_weekly": ["week_channel_id"],
    "dim_posts": ["post_key"],
    "fct_post_performance": ["post_day_id"],
    "fct_sales_rep_social": ["rep_month_id"],
    "dim_customers": ["customer_key"],
    "fct_channel_uncertainty": ["uncertainty_id"],
}

# Marts the gate cannot pass without; the others are checked when the schema has them.
REQUIRED = {"fct_attributed_revenue", "fct_channel_roi_daily", "dim_campaigns"}

COLUMNS = [
    "table_name",
    "key_columns",
    "table_missing",
    "row_count",
    "null_key_rows",
    "duplicate_keys",
    "example_duplicate",
]


def _sql(params: kit.MartParams, table: str, key: list[str]) -> str:
    rel = params.rel(table)
    cols = ", ".join(kit.ident(c) for c in key)
    label = " || '/' || ".join(f"coalesce(cast({kit.ident(c)} as varchar), '∅')" for c in key)
    nulls = " or ".join(f"{kit.ident(c)} is null" for c in key)
    return f"""
        with counts as (
            select {label} as key_label, count(*) as n, bool_or({nulls}) as has_null
            from {rel}
            group by {cols}
        )
        select
            '{table}' as table_name,
            '{", ".join(key)}' as key_columns,
            0 as table_missing,
            coalesce(sum(n), 0) as row_count,
            coalesce(sum(n) filter (where has_null), 0) as null_key_rows,
            count(*) filter (where n > 1) as duplicate_keys,
            min(key_label || ' ×' || n) filter (where n > 1) as example_duplicate
        from counts
    """


def frame(con, params: kit.MartParams):
    present = kit.existing_tables(con, params.schema)
    parts = []
    for table, key in KEYS.items():
        if table in present:
            parts.append(kit.query(con, _sql(params, table, key)))
        elif table in REQUIRED:
            parts.append(
                pd.DataFrame(
                    [
                        {
                            "table_name": table,
                            "key_columns": ", ".join(key),
                            "table_missing": 1,
                            "row_count": 0,
                            "null_key_rows": 0,
                            "duplicate_keys": 0,
                            "example_duplicate": None,
                        }
                    ]
                )
            )
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def build_suite(thresholds=None):
    return kit.suite(
        NAME,
        [
            kit.expect_zero("table_missing", "every required mart exists", expected="the table exists"),
            kit.expect_zero(
                "duplicate_keys",
                "mart keys are unique",
                show=["key_columns", "example_duplicate"],
                expected="0 duplicated keys",
            ),
            kit.expect_zero(
                "null_key_rows",
                "mart keys are never null",
                show=["key_columns"],
                expected="0 rows with a null key column",
            ),
        ],
        notes=__doc__,
    )
