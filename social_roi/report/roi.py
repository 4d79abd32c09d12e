"""The ROI table: platform x attribution model, read from the published marts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from social_roi.report.metrics import metric_query

ROI_METRICS = ["spend", "cost", "conversions", "revenue", "gross_margin", "roas", "roi"]


def roi_table(marts_db: Path) -> pd.DataFrame:
    """Spend, cost, attributed conversions, revenue and margin, ROAS and ROI per platform and model over everything
    published, computed from the semantic layer's metric definitions (social_roi.report.metrics). The totals per
    model (same metrics, grouped by model only) are in ``frame.attrs["totals"]``."""
    if not marts_db.exists():
        from social_roi.config import ConfigError

        raise ConfigError(
            f"no published marts at {marts_db}: run the pipeline for this home first (`social-roi run --end "
            "YYYY-MM-DD`), or set SOCIAL_ROI_HOME to a home that has published (`make demo` writes var/demo)"
        )
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        frame = con.execute(metric_query(ROI_METRICS, ["attribution_model", "platform", "currency"])).df()
        totals = con.execute(metric_query(ROI_METRICS, ["attribution_model", "currency"])).df()
    finally:
        con.close()
    for table in (frame, totals):
        table.rename(columns={"gross_margin": "margin"}, inplace=True)
        for column in ("spend", "cost", "conversions", "revenue", "margin", "roas", "roi"):
            table[column] = table[column].astype(float)
    frame.attrs["totals"] = totals.set_index("attribution_model")
    return frame


def format_roi_table(frame: pd.DataFrame) -> str:
    header = f"{'model':<16}{'platform':<20}{'spend':>11}{'cost':>11}{'conv.':>8}{'revenue':>12}{'ROAS':>7}{'ROI':>8}"
    lines = [header, "-" * len(header)]
    for model, group in frame.groupby("attribution_model", sort=False):
        for row in group.itertuples():
            roas = f"{row.roas:.2f}" if pd.notna(row.roas) else "-"
            roi = f"{row.roi:+.0%}" if pd.notna(row.roi) else "-"
            lines.append(
                f"{model:<16}{row.platform:<20}{row.spend:>11,.0f}{row.cost:>11,.0f}{row.conversions:>8.1f}"
                f"{row.revenue:>12,.0f}{roas:>7}{roi:>8}"
            )
        total = frame.attrs["totals"].loc[model]
        roas = f"{total.roas:.2f}" if pd.notna(total.roas) else "-"
        roi = f"{total.roi:+.0%}" if pd.notna(total.roi) else "-"
        lines.append(
            f"{'':<16}{'= all (' + total.currency + ')':<20}{total.spend:>11,.0f}{total.cost:>11,.0f}"
            f"{total.conversions:>8.1f}{total.revenue:>12,.0f}{roas:>7}{roi:>8}"
        )
    return "\n".join(lines)
