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
    sum(attributed_conversions) as conversions,
    sum(attributed_revenue) as revenue
from fct_channel_roi_daily
group by platform, attribution_model, currency
order by attribution_model, platform
"""


def roi_table(marts_db: Path) -> pd.DataFrame:
    """Spend, attributed revenue, ROAS and ROI per platform and model over everything published."""
    if not marts_db.exists():
        raise FileNotFoundError(f"no published marts at {marts_db}: run the pipeline first (make demo)")
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        frame = con.execute(ROI_SQL).df()
    finally:
        con.close()
    has_spend = frame["spend"] > 0
    frame["roas"] = (frame["revenue"] / frame["spend"]).where(has_spend)
    frame["roi"] = ((frame["revenue"] - frame["spend"]) / frame["spend"]).where(has_spend)
    return frame


def format_roi_table(frame: pd.DataFrame) -> str:
    header = f"{'model':<16}{'platform':<20}{'spend':>12}{'conv.':>9}{'revenue':>13}{'ROAS':>8}{'ROI':>8}"
    lines = [header, "-" * len(header)]
    for model, group in frame.groupby("attribution_model", sort=False):
        for row in group.itertuples():
            roas = f"{row.roas:.2f}" if pd.notna(row.roas) else "-"
            roi = f"{row.roi:+.0%}" if pd.notna(row.roi) else "-"
            lines.append(
                f"{model:<16}{row.platform:<20}{row.spend:>12,.2f}{row.conversions:>9.1f}"
                f"{row.revenue:>13,.2f}{roas:>8}{roi:>8}"
            )
        total_spend, total_rev = group["spend"].sum(), group["revenue"].sum()
        lines.append(
            f"{'':<16}{'= all (' + group['currency'].iloc[0] + ')':<20}{total_spend:>12,.2f}"
            f"{group['conversions'].sum():>9.1f}{total_rev:>13,.2f}"
            f"{(total_rev / total_spend if total_spend else float('nan')):>8.2f}{'':>8}"
        )
    return "\n".join(lines)
