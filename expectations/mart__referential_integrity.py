"""Every reference in a mart resolves: paid ROI rows name a known campaign, attributed rows a known conversion.

"Paid rows" of fct_channel_roi_daily are those with a campaign (campaign_id not '(organic)'): revenue attributed to
a campaign that dim_campaigns does not know has no spend to divide by, so its ROAS would silently be missing.
A new relation: add a line to RELATIONS.
"""

from __future__ import annotations

import pandas as pd

from social_roi.quality import kit

NAME = "mart__referential_integrity"
SEVERITY = "blocking"
ROW_ID = ["relation"]

# (child table, child column, parent table, parent column, SQL filter on the child rows that must resolve,
#  required: False = checked only when both tables exist)
RELATIONS = [
    (
        "fct_channel_roi_daily",
        "campaign_id",
        "dim_campaigns",
        "campaign_id",
        "campaign_id is not null and campaign_id <> '(organic)'",
        True,
    ),
    ("fct_attributed_revenue", "conversion_id", "int_conversions", "conversion_id", "true", True),
    ("fct_post_performance", "post_key", "dim_posts", "post_key", "post_key is not null", False),
]


def _sql(params: kit.MartParams, child: str, child_col: str, parent: str, parent_col: str, where: str) -> str:
    return f"""
        with child as (
            select distinct {kit.ident(child_col)} as ref from {params.rel(child)} where {where}
        ),
        orphans as (
            select ref from child
            where not exists (select 1 from {params.rel(parent)} as parent
                              where parent.{kit.ident(parent_col)} = child.ref)
        )
        select
            '{child}.{child_col} -> {parent}.{parent_col}' as relation,
            (select count(*) from child) as distinct_references,
            (select count(*) from orphans) as orphan_references,
            (select string_agg(ref, ', ' order by ref) from (select ref from orphans order by ref limit 3))
                as example_orphans
    """


def frame(con, params: kit.MartParams):
    present = kit.existing_tables(con, params.schema)
    parts = [
        kit.query(con, _sql(params, child, child_col, parent, parent_col, where))
        for child, child_col, parent, parent_col, where, required in RELATIONS
        if required or {child, parent} <= present
    ]
    return pd.concat(parts, ignore_index=True)


def build_suite(thresholds=None):
    return kit.suite(
        NAME,
        [
            kit.expect_zero(
                "orphan_references",
                "every reference resolves to its parent table",
                show=["example_orphans"],
                expected="0 references missing from the parent table",
            ),
        ],
        notes=__doc__,
    )
