"""The one-page HTML report of the published marts (reports/roi_report.html).

Self-contained: styles inline, charts as inline SVG (social_roi.report.charts), no script, no font or image to
fetch, links relative to the report's folder, so the folder can be copied anywhere and opened offline."""

from __future__ import annotations

import html
import os
import time
from datetime import date
from pathlib import Path

import pandas as pd

from social_roi.config import Settings
from social_roi.report import charts
from social_roi.report.data import ReportData, gather
from social_roi.report.i18n import Lang
from social_roi.report.maturity import THRESHOLDS, scorecard

PROJECT_EVALUATION = Path(__file__).resolve().parents[2] / "docs" / "evaluation.json"

REPORT_NAME = "roi_report.html"
DOCS_DIR = "dbt_docs"  # the static dbt docs site, beside the report
SECTIONS = ("headline", "trend", "models", "top", "reps", "overclaim", "quality", "maturity", "definitions")

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 70rem;
       color: #202124; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #e8eaed; padding-bottom: .2rem; }
.meta { color: #5f6368; margin: .2rem 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr)); gap: .8rem; }
.card { border: 1px solid #dadce0; border-radius: 8px; padding: .7rem .9rem; }
.card .label { color: #5f6368; font-size: .85rem; } .card .value { font-size: 1.45rem; font-weight: 600; }
.up { color: #188038; } .down { color: #c5221f; } .flat { color: #5f6368; } .delta { font-size: .85rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; }
td, th { padding: .25rem .6rem; border-bottom: 1px solid #e8eaed; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; } .scroll { overflow-x: auto; }
table.wide { width: 100%; font-size: .82rem; } table.wide td { overflow-wrap: anywhere; }
td:nth-child(3) { white-space: nowrap; }
.fail { color: #c5221f; font-weight: 600; } .pass { color: #188038; }
.stage-beginner { color: #c5221f; } .stage-moderate { color: #b06000; } .stage-confirmed { color: #188038; }
figure { margin: .6rem 0 1rem; overflow-x: auto; } figure svg { max-width: 100%; height: auto; }
.note { color: #5f6368; font-size: .88rem; } .trusted { background: #e6f4ea; padding: .5rem .8rem; border-radius: 6px; }
"""


def _e(value) -> str:
    return html.escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))


def _table(headers: list[tuple[str, bool]], rows: list[list[str]], css: str = "") -> str:
    head = "".join(f'<th class="n">{_e(h)}</th>' if numeric else f"<th>{_e(h)}</th>" for h, numeric in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="n">{c}</td>' if headers[i][1] else f"<td>{c}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f'<div class="scroll"><table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _result(success: bool, lang: Lang) -> str:
    return f'<span class="{"pass" if success else "fail"}">{_e(lang.t("ok") if success else lang.t("ko"))}</span>'


def _figure(svg: str, name: str) -> str:
    return f'<figure class="chart" data-chart="{name}">{svg}</figure>'


def _section(key: str, lang: Lang, body: str) -> str:
    return f'<section id="{key}"><h2>{_e(lang.t("h_" + key))}</h2>\n{body}\n</section>'


def _headline(data: ReportData, lang: Lang) -> str:
    cur = data.currency
    cards = [
        ("revenue_total", data.headline.get("revenue_total"), data.previous.get("revenue_total"), "money"),
        ("revenue_social", data.headline.get("revenue"), data.previous.get("revenue"), "money"),
        ("spend", data.headline.get("spend"), data.previous.get("spend"), "money"),
        ("cost", data.headline.get("cost"), data.previous.get("cost"), "money"),
        ("roas", data.headline.get("roas"), data.previous.get("roas"), "ratio"),
        ("roi", data.headline.get("roi"), data.previous.get("roi"), "percent"),
    ]
    out = []
    for key, value, before, kind in cards:
        shown = {
            "money": lambda v: lang.money(v, cur),
            "ratio": lambda v: lang.ratio(v),
            "percent": lambda v: lang.percent(v, 0, signed=True),
        }[kind](value)
        if value is None or before is None:
            delta, css = lang.t("no_previous"), "flat"
        elif kind == "percent":  # a change of a rate is shown in points
            points = (value - before) * 100
            delta = f"{lang.number(points, 0) if points < 0 else '+' + lang.number(points, 0)} pts"
            css = "up" if points > 0 else "down" if points < 0 else "flat"
        elif before == 0:
            delta, css = lang.t("no_previous"), "flat"
        else:
            change = value / before - 1
            delta, css = lang.percent(change, 0, signed=True), "up" if change > 0 else "down" if change < 0 else "flat"
        if key in ("spend", "cost") and css in ("up", "down"):
            css = "flat"  # spending more is neither good nor bad by itself
        out.append(
            f'<div class="card" data-metric="{key}"><div class="label">{_e(lang.t(key))}</div>'
            f'<div class="value">{_e(shown)}</div>'
            f'<div class="delta {css}">{_e(delta)} {_e(lang.t("vs_previous"))}</div></div>'
        )
    return f'<div class="cards">{"".join(out)}</div>'


def _models(data: ReportData, lang: Lang) -> str:
    trusted = data.trusted["trusted_model"] if data.trusted else None
    if data.trusted:
        mark = f'<p class="trusted">{_e(lang.t("trusted", model=trusted, why=data.trusted["why"]))}</p>'
    else:
        mark = f'<p class="trusted">{_e(lang.t("trusted_missing", file="evaluation.json"))}</p>'
    chart = _figure(charts.model_comparison(data.model_revenue, data.intervals, trusted, lang, data.currency), "models")
    note = f'<p class="note">{_e(lang.t("models_note", lookback=data.interval_lookback or "–"))}</p>'
    return mark + chart + note


def _top(data: ReportData, lang: Lang) -> str:
    cur = data.currency
    posts = _table(
        [
            (lang.t("platform"), False),
            (lang.t("post"), False),
            (lang.t("published_at"), False),
            (lang.t("impressions"), True),
            (lang.t("engagements"), True),
            (lang.t("content_cost"), True),
            (lang.t("revenue"), True),
            (lang.t("roi"), True),
        ],
        [
            [
                _e(r.platform),
                _e(r.post_id),
                _e(lang.day(r.published_at.date()) if pd.notna(r.published_at) else ""),
                _e(lang.number(r.lifetime_impressions)),
                _e(lang.number(r.lifetime_engagements)),
                _e(lang.money(r.content_cost, cur)),
                _e(lang.money(r.attributed_revenue, cur)),
                _e(lang.percent(r.roi, 0, signed=True)),
            ]
            for r in data.posts.itertuples()
        ],
    )
    parts = [f"<h3>{_e(lang.t('top_posts'))}</h3>", posts, f"<h3>{_e(lang.t('top_campaigns'))}</h3>"]
    if not data.campaigns.empty:
        frame = data.campaigns.assign(label=data.campaigns["campaign_name"].fillna(data.campaigns["campaign_id"]))
        parts.append(
            _figure(
                charts.bars(frame, "label", "revenue", lang, f"{lang.t('revenue')} ({cur})", colour_by_platform=True),
                "campaigns",
            )
        )
    parts.append(
        _table(
            [
                (lang.t("campaign"), False),
                (lang.t("platform"), False),
                (lang.t("conversions"), True),
                (lang.t("revenue"), True),
                (lang.t("spend"), True),
                (lang.t("roas"), True),
                (lang.t("roi"), True),
            ],
            [
                [
                    _e(r.campaign_name or r.campaign_id),
                    _e(r.platform),
                    _e(lang.number(r.conversions, 1)),
                    _e(lang.money(r.revenue, cur)),
                    _e(lang.money(r.spend, cur)),
                    _e(lang.ratio(r.roas)),
                    _e(lang.percent(r.roi, 0, signed=True)),
                ]
                for r in data.campaigns.itertuples()
            ],
        )
    )
    return "\n".join(parts)


def _reps(data: ReportData, lang: Lang) -> str:
    cur = data.currency
    months = lang.t("reps_note", start=lang.day(data.period.start), end=lang.day(data.period.end))
    note = f'<p class="note">{_e(months)}</p>'
    if data.reps.empty:
        return note + f"<p>{_e(lang.t('none'))}</p>"
    chart = _figure(charts.bars(data.reps, "sales_rep", "revenue", lang, f"{lang.t('revenue')} ({cur})"), "reps")
    table = _table(
        [
            (lang.t("rep"), False),
            (lang.t("posts"), True),
            (lang.t("engagements"), True),
            (lang.t("touches"), True),
            (lang.t("conversions"), True),
            (lang.t("revenue"), True),
            (lang.t("deals_won"), True),
            (lang.t("deals_amount"), True),
        ],
        [
            [
                _e(r.sales_rep),
                _e(lang.number(r.posts)),
                _e(lang.number(r.engagements)),
                _e(lang.number(r.touches)),
                _e(lang.number(r.conversions, 1)),
                _e(lang.money(r.revenue, cur)),
                _e(lang.number(r.deals_won)),
                _e(lang.money(r.deals_won_amount, cur)),
            ]
            for r in data.reps.itertuples()
        ],
    )
    return note + chart + table


def _overclaim(data: ReportData, lang: Lang) -> str:
    note = f'<p class="note">{_e(lang.t("overclaim_note"))}</p>'
    if data.overclaim.empty:
        return note + f"<p>{_e(lang.t('none'))}</p>"
    chart = _figure(charts.claimed_vs_backed(data.overclaim, lang), "overclaim")
    table = _table(
        [
            (lang.t("platform"), False),
            (lang.t("claimed"), True),
            (lang.t("backed"), True),
            (lang.t("over_claim"), True),
        ],
        [
            [
                _e(r.platform),
                _e(lang.number(r.claimed_conversions, 0)),
                _e(lang.number(r.backed_conversions, 1)),
                _e(lang.ratio(r.over_claim_ratio)),
            ]
            for r in data.overclaim.itertuples()
        ],
    )
    return note + chart + table


def _quality(data: ReportData, lang: Lang) -> str:
    q = data.quality
    blocking_failed = int(((~q["success"]) & (q["severity"] == "blocking")).sum()) if not q.empty else 0
    warnings = int(((~q["success"]) & (q["severity"] != "blocking")).sum()) if not q.empty else 0
    status = lang.t("passed") if blocking_failed == 0 else lang.t("failed")
    parts = [
        f"<h3>{_e(lang.t('gate'))}</h3>",
        f'<p class="{"pass" if blocking_failed == 0 else "fail"}" data-gate="{status}">'
        f"{_e(lang.t('gate_status', status=status, n=len(q), failed=blocking_failed, warnings=warnings))}</p>",
    ]
    if data.sources is None:
        parts.append(f'<p class="note">{_e(lang.t("work_db_missing"))}</p>')
    else:
        present = {r.format: r for r in data.sources.itertuples()}
        rows = []
        for name in sorted(set(data.known_formats) | set(present)):
            r = present.get(name)
            state = lang.t("present") if r else lang.t("missing")
            rows.append(
                [
                    _e(name),
                    f'<span class="{"pass" if r else "fail"}">{_e(state)}</span>',
                    _e(lang.number(r.files) if r else "0"),
                    _e(lang.day(r.last_export) if r else ""),
                ]
            )
        parts += [
            f"<h3>{_e(lang.t('sources'))}</h3>",
            _table(
                [(lang.t("source"), False), ("", False), (lang.t("files"), True), (lang.t("last_export"), False)], rows
            ),
        ]
        parts.append(f"<h3>{_e(lang.t('quarantine'))}</h3>")
        if data.quarantine is None or data.quarantine.empty:
            parts.append(f"<p>{_e(lang.t('quarantine_none'))}</p>")
        else:
            parts.append(
                _table(
                    [
                        (lang.t("file"), False),
                        (lang.t("row"), True),
                        (lang.t("column"), False),
                        (lang.t("expected"), False),
                        (lang.t("reason"), False),
                    ],
                    [
                        [
                            _e(r.file_path),
                            _e("" if pd.isna(r.source_row) else int(r.source_row)),
                            _e(r.column_name),
                            _e(r.expected),
                            _e(r.reason),
                        ]
                        for r in data.quarantine.itertuples()
                    ],
                )
            )
    parts.append(f"<h3>{_e(lang.t('expectations'))}</h3>")
    parts.append(
        _table(
            [
                (lang.t("suite"), False),
                (lang.t("severity"), False),
                (lang.t("column"), False),
                (lang.t("result"), False),
                (lang.t("observed"), False),
                (lang.t("expected"), False),
            ],
            [
                [
                    _e(f"{r.layer}/{r.suite}"),
                    _e(r.severity),
                    f'<span title="{_e(r.expectation)}">{_e(r.column_name)}</span>',
                    _result(r.success, lang),
                    _e(r.observed_value),
                    _e(r.expected),
                ]
                for r in q.itertuples()
            ],
            css="wide",
        )
    )
    return "\n".join(parts)


def _maturity(data: ReportData, lang: Lang) -> str:
    indicators, overall = scorecard(data.maturity)
    rows = [
        [
            _e(lang.t(f"m_{i.key}")) + f'<br><span class="note">{_e(lang.t(f"m_{i.key}_d"))}</span>',
            _e(lang.percent(i.value, 0)),
            f'<span class="stage-{i.stage}">{_e(lang.t(i.stage))}</span>',
            _e(f"{lang.percent(THRESHOLDS[i.key][0])} / {lang.percent(THRESHOLDS[i.key][1])}"),
        ]
        for i in indicators
    ]
    table = _table(
        [(lang.t("indicator"), False), (lang.t("value"), True), (lang.t("stage"), False), (lang.t("thresholds"), True)],
        rows,
    )
    return (
        f'<p data-stage="{overall}"><strong class="stage-{overall}">'
        f"{_e(lang.t('overall_stage', stage=lang.t(overall)))}</strong></p>" + table
    )


def render_page(data: ReportData, lang: Lang, docs_link: str | None) -> str:
    p, prev = data.period, data.period.previous()
    docs = f'<a href="{_e(docs_link)}">{_e(lang.t("links"))}</a>' if docs_link else _e(lang.t("links_missing"))
    trend = (
        (
            _figure(charts.weekly_trend(data.trend, lang, data.currency), "trend")
            + f'<p class="note">{_e(lang.t("trend_note"))}</p>'
        )
        if not data.trend.empty
        else _e(lang.t("none"))
    )
    body = [
        _section("headline", lang, _headline(data, lang)),
        _section("trend", lang, trend),
        _section("models", lang, _models(data, lang)),
        _section("top", lang, _top(data, lang)),
        _section("reps", lang, _reps(data, lang)),
        _section("overclaim", lang, _overclaim(data, lang)),
        _section("quality", lang, _quality(data, lang)),
        _section("maturity", lang, _maturity(data, lang)),
        _section("definitions", lang, f"<p>{_e(lang.t('definitions'))}</p>"),
    ]
    return f"""<!doctype html>
<html lang="{lang.code}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(lang.t("title"))} — {_e(lang.day(p.end))}</title>
<style>{CSS}</style></head><body>
<h1>{_e(lang.t("title"))}</h1>
<p class="meta">{
        _e(
            lang.t(
                "period",
                start=lang.day(p.start),
                end=lang.day(p.end),
                days=p.days,
                pstart=lang.day(prev.start),
                pend=lang.day(prev.end),
            )
        )
    }</p>
<p class="meta">{_e(lang.t("published", run=data.run_id, day=lang.day(data.run_date), model=data.headline_model))}
· {docs}</p>
{chr(10).join(body)}
</body></html>
"""


def report_lang(lang: str | None = None) -> Lang:
    return Lang(lang or os.environ.get("SOCIAL_ROI_REPORT_LANG", "en"))


def report_days(days: int | None = None) -> int:
    value = days or int(os.environ.get("SOCIAL_ROI_REPORT_DAYS", "28"))
    if value < 1:
        raise ValueError(f"report period of {value} days: expected 1 or more (--days or SOCIAL_ROI_REPORT_DAYS)")
    return value


def evaluation_file(settings) -> Path:
    """The home's own evaluation (``$SOCIAL_ROI_HOME/evaluation.json``) when there is one, else the project's, written
    by ``social-roi evaluate --grid`` beside docs/evaluation.md."""
    own = settings.home / "evaluation.json"
    return own if own.exists() else PROJECT_EVALUATION


def write_report(
    settings: Settings,
    run_date: date | None = None,
    *,
    lang: str | None = None,
    days: int | None = None,
    out_dir: Path | None = None,
) -> Path:
    """Write ``roi_report.html`` for the published marts into ``out_dir`` (default ``settings.reports``).
    ``run_date`` is informative: the report is of what is published (the ``_publication`` day)."""
    started = time.perf_counter()
    out_dir = Path(out_dir or settings.reports)
    data = gather(
        settings.marts_db, settings.work_db, days=report_days(days), evaluation_file=evaluation_file(settings)
    )
    docs_link = f"{DOCS_DIR}/index.html" if (out_dir / DOCS_DIR / "index.html").exists() else None
    page = render_page(data, report_lang(lang), docs_link)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / REPORT_NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    print(f"report written in {time.perf_counter() - started:.1f} s: {path}", flush=True)
    return path
