"""LinkedIn Campaign Manager performance export, at any level, time breakdown and delivery breakdown.

A row is one entity (its path, by ids or names), one period and one combination of delivery breakdown values;
the same row twice would be counted twice, so that combination is unique in a file. The key columns carry the
names the user sees in the export, so a failure names them. The currency is required: spend without a currency
cannot be added to anything.
"""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__linkedin_ads"
FORMATS = ("linkedin_ads",)
SEVERITY = "blocking"

ENTITY = "Campaign Group Name › Campaign Name (or Campaign ID) › Ad Name (or Ad ID)"
STARTS = "Start Date (in UTC)"
ENDS = "End Date (in UTC) (else Start Date)"
BREAKDOWN = (
    "breakdown (Member Country / Member Job Function / Member Seniority / Member Industry / Member Company Size)"
)

SPEC = kit.RawSpec(
    required=("period_start", "entity_key", "amount_spent", "currency"),
    kinds={
        "date": "datetime",
        "date_end": "datetime",
        "campaign_id": "text",
        "amount_spent": "number",
        "impressions": "integer",
        "clicks": "integer",
        "purchases": "number",
        "purchases_value": "number",
        "conversions": "number",
        "currency": "text",
    },
    key=(ENTITY, STARTS, ENDS, BREAKDOWN),
    non_negative=("amount_spent", "impressions", "clicks", "purchases", "purchases_value", "conversions"),
    currencies=("currency",),
)


def frame(df, today=None):
    derived = {
        label: df[column]
        for label, column in (
            (ENTITY, "entity_key"),
            (STARTS, "period_start"),
            (ENDS, "period_end"),
            (BREAKDOWN, "breakdown"),
        )
        if column in df.columns
    }
    return kit.prepare_raw(df.assign(**derived), SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
