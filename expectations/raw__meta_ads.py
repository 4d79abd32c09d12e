"""Meta Ads Manager export, at any level (campaign, ad set, ad), time breakdown and delivery breakdown.

The currency comes from the amount column's header (``Amount spent (EUR)``): a file without it is quarantined,
since spend without a currency cannot be added to anything. A row is one entity (its campaign › ad set › ad path,
by ids or names), one period (``Day``, else ``Reporting starts``…``Reporting ends``) and one combination of
delivery breakdown values; the same row twice would be counted twice, so that combination is unique in a file.
The key columns carry the names the user sees in Ads Manager, so a failure names them.
"""

from __future__ import annotations

from social_roi.quality import kit

NAME = "raw__meta_ads"
FORMATS = ("meta_ads",)
SEVERITY = "blocking"

ENTITY = "Campaign name › Ad set name › Ad name (or their IDs)"
STARTS = "Day (else Week / Month start, else Reporting starts)"
ENDS = "Day (else Week / Month end, else Reporting ends)"
BREAKDOWN = "breakdown (Age / Gender / Country / Region / Placement / Platform / Device platform / Impression device)"

SPEC = kit.RawSpec(
    required=("period_start", "entity_key", "amount_spent", "currency"),
    kinds={
        "day": "datetime",
        "reporting_starts": "datetime",
        "reporting_ends": "datetime",
        "campaign_id": "text",
        "ad_id": "text",
        "amount_spent": "number",
        "impressions": "integer",
        "reach": "integer",
        "link_clicks": "integer",
        "clicks_all": "integer",
        "purchases": "number",
        "purchases_value": "number",
        "results": "number",
        "currency": "text",
    },
    key=(ENTITY, STARTS, ENDS, BREAKDOWN),
    non_negative=(
        "amount_spent",
        "impressions",
        "reach",
        "link_clicks",
        "clicks_all",
        "purchases",
        "purchases_value",
        "results",
    ),
    currencies=("currency",),
)


def _first_present(df, *columns):
    values = None
    for column in columns:
        if column in df.columns:
            values = df[column] if values is None else values.where(values.notna(), df[column])
    return values


def frame(df, today=None):
    """Adds the key columns under the user's names; a frame built without the parser's ``entity_key`` /
    ``period_*`` columns gets them derived the parser's way."""
    derived = {}
    if "entity_key" not in df.columns:
        import pandas as pd

        from social_roi.ingest.formats._paid import entity_key

        missing = pd.Series([None] * len(df), index=df.index, dtype="str")
        levels = [
            (df[name] if name in df.columns else missing, df[ident] if ident in df.columns else None)
            for name, ident in (("campaign_name", "campaign_id"), ("ad_set_name", "ad_set_id"), ("ad_name", "ad_id"))
        ]
        df = df.assign(entity_key=entity_key(levels).to_numpy())
    if "period_start" not in df.columns:
        start = _first_present(df, "day", "reporting_starts")
        end = _first_present(df, "day", "reporting_ends")
        if start is not None:
            df = df.assign(period_start=start, period_end=end if end is not None else start)
    if "breakdown" not in df.columns:
        df = df.assign(breakdown="")
    for label, column in (
        (ENTITY, "entity_key"),
        (STARTS, "period_start"),
        (ENDS, "period_end"),
        (BREAKDOWN, "breakdown"),
    ):
        if column in df.columns:
            derived[label] = df[column]
    return kit.prepare_raw(df.assign(**derived), SPEC)


def build_suite(columns=None, thresholds=None, today=None):
    return kit.build_raw_suite(NAME, SPEC, columns, thresholds, today)
