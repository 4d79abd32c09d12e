"""The ROI table: platform x attribution model, read from the published marts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

ROI_SQL = """
select
    platform,
    attribution_model,
    currency,
    sum(spend) as spend,
    sum(cost) as cost,
    sum(attributed_conversions) as conversions,
    sum(attributed_revenue) as revenue,
    sum(attributed_gross_margin) as margin
from fct_channel_roi_daily
group by platform, attribution_model, currency
order by attribution_model, platform
"""


def roi_table(marts_db: Path) -> pd.DataFrame:
    """Spend, cost, attributed revenue and margin, ROAS and ROI per platform and model over everything published.
    ROAS = revenue / spend; ROI = (gross margin - cost) / cost, cost = spend + organic cost."""
    if not marts_db.exists():
        from social_roi.config import ConfigError

        raise ConfigError(
            f"no published marts at {marts_db}: run the pipeline for this home first (`social-roi run --end "
            "YYYY-MM-DD`), or set SOCIAL_ROI_HOME to a home that has published (`make demo` writes var/demo)"
        )
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        frame = con.execute(ROI_SQL).df()
    finally:
        con.close()
    for column in ("spend", "cost", "conversions", "revenue", "margin"):
        frame[column] = frame[column].astype(float)
    frame["roas"] = (frame["revenue"] / frame["spend"]).where(frame["spend"] > 0)
    frame["roi"] = ((frame["margin"] - frame["cost"]) / frame["cost"]).where(frame["cost"] > 0)
    return frame


def format_roi_table(frame: pd.DataFrame) -> str:
    header = (f"{'model':<16}{'platform':<20}{'spend':>11}{'cost':>11}{'conv.':>8}{'revenue':>12}{'ROAS':>7}"
              f"{'ROI':>8}")
    lines = [header, "-" * len(header)]
    for model, group in frame.groupby("attribution_model", sort=False):
        for row in group.itertuples():
            roas = f"{row.roas:.2f}" if pd.notna(row.roas) else "-"
            roi = f"{row.roi:+.0%}" if pd.notna(row.roi) else "-"
            lines.append(
                f"{model:<16}{row.platform:<20}{row.spend:>11,.0f}{row.cost:>11,.0f}{row.conversions:>8.1f}"
                f"{row.revenue:>12,.0f}{roas:>7}{roi:>8}"
            )
        spend, cost, rev, margin = (group[c].sum() for c in ("spend", "cost", "revenue", "margin"))
        lines.append(
            f"{'':<16}{'= all (' + group['currency'].iloc[0] + ')':<20}{spend:>11,.0f}{cost:>11,.0f}"
            f"{group['conversions'].sum():>8.1f}{rev:>12,.0f}{(rev / spend if spend else float('nan')):>7.2f}"
            f"{((margin - cost) / cost if cost else float('nan')):>+8.0%}"
        )
    return "\n".join(lines)
