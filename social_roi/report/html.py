"""A static HTML report of the published marts: the ROI table, revenue by platform per model, and links."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from social_roi.config import Settings
from social_roi.report.roi import roi_table

COLOURS = {
    "facebook": "#1877f2",
    "instagram": "#c13584",
    "linkedin": "#0a66c2",
    "x": "#14171a",
    "(none)": "#9aa0a6",
    "tiktok": "#25f4ee",
    "youtube": "#ff0000",
}


def _bars(frame) -> str:
    """One horizontal bar chart per model: attributed revenue by platform (inline SVG, no JavaScript)."""
    charts = []
    top = max(frame["revenue"].max(), 1.0)
    for model, group in frame.groupby("attribution_model", sort=False):
        rows = []
        for i, row in enumerate(group.sort_values("revenue", ascending=False).itertuples()):
            width = 360 * row.revenue / top
            y = 22 * i
            colour = COLOURS.get(row.platform, "#5f6368")
            rows.append(
                f'<text x="0" y="{y + 14}" font-size="12">{html.escape(row.platform)}</text>'
                f'<rect x="110" y="{y + 3}" width="{width:.1f}" height="15" fill="{colour}"/>'
                f'<text x="{116 + width:.1f}" y="{y + 14}" font-size="11">{row.revenue:,.0f}</text>'
            )
        height = 22 * len(group) + 4
        charts.append(
            f"<figure><figcaption>{html.escape(model)}</figcaption>"
            f'<svg width="560" height="{height}" role="img">{"".join(rows)}</svg></figure>'
        )
    return "\n".join(charts)


def write_report(settings: Settings, run_date: date) -> Path:
    frame = roi_table(settings.marts_db)
    table_rows = "".join(
        f"<tr><td>{html.escape(r.attribution_model)}</td><td>{html.escape(r.platform)}</td>"
        f"<td>{r.spend:,.2f}</td><td>{r.cost:,.2f}</td><td>{r.conversions:,.1f}</td><td>{r.revenue:,.2f}</td>"
        f"<td>{'' if r.roas != r.roas else f'{r.roas:.2f}'}</td>"
        f"<td>{'' if r.roi != r.roi else f'{r.roi:+.0%}'}</td><td>{html.escape(r.currency)}</td></tr>"
        for r in frame.itertuples()
    )
    docs_index = settings.data_docs / "index.html"
    docs_link = (
        f'<a href="{docs_index.resolve().as_uri()}">Great Expectations Data Docs</a>'
        if docs_index.exists()
        else "Data Docs not built yet"
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Social ROI — {run_date}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #202124; }}
table {{ border-collapse: collapse; }} td, th {{ padding: .25rem .75rem; border-bottom: 1px solid #e0e0e0; }}
td:nth-child(n+3) {{ text-align: right; }} figure {{ margin: 1rem 0; }} figcaption {{ font-weight: 600; }}
</style></head><body>
<h1>Social-media ROI up to {run_date}</h1>
<p>Published marts: <code>{html.escape(str(settings.marts_db))}</code> · {docs_link}</p>
<p>ROAS = attributed revenue / spend. ROI = (attributed gross margin − cost) / cost, where cost = ad spend +
organic cost (content production, agency fees, sales-rep time). Conversions without a social touch in their
lookback window are under platform "(none)".</p>
<h2>ROI by platform and attribution model</h2>
<table><thead><tr><th>model</th><th>platform</th><th>spend</th><th>cost</th><th>conversions</th><th>revenue</th>
<th>ROAS</th><th>ROI</th><th>currency</th></tr></thead><tbody>{table_rows}</tbody></table>
<h2>Attributed revenue by platform</h2>
{_bars(frame)}
</body></html>
"""
    settings.reports.mkdir(parents=True, exist_ok=True)
    path = settings.reports / "roi_report.html"
    path.write_text(page, encoding="utf-8")
    return path
