"""Everything the report shows, read from the published marts (and, for files and sources, read-only from the
work database). Metrics come from the semantic layer through social_roi.report.metrics."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from social_roi.report.metrics import metric_query

DBT_PROJECT_YML = Path(__file__).resolve().parents[2] / "dbt_project" / "dbt_project.yml"
HEADLINE_METRICS = ["revenue", "spend", "cost", "roas", "roi"]
CAMPAIGN_METRICS = ["revenue", "conversions", "spend", "cost", "roas", "roi"]


@dataclass
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def where(self, column: str = "date_day") -> str:
        return f"{column} between date '{self.start}' and date '{self.end}'"


@dataclass
class ReportData:
    run_id: str
    run_date: date
    period: Period
    currency: str
    headline_model: str
    trusted: dict | None
    headline: dict[str, float | None]
    previous: dict[str, float | None]
    trend: pd.DataFrame
    model_revenue: pd.DataFrame
    intervals: pd.DataFrame
    interval_lookback: int | None
    posts: pd.DataFrame
    campaigns: pd.DataFrame
    reps: pd.DataFrame
    overclaim: pd.DataFrame
    quality: pd.DataFrame
    maturity: dict[str, float | None]
    sources: pd.DataFrame | None = None
    quarantine: pd.DataFrame | None = None
    known_formats: list[str] = field(default_factory=list)


def dbt_var(name: str):
    return yaml.safe_load(DBT_PROJECT_YML.read_text(encoding="utf-8"))["vars"][name]


def read_evaluation(path: Path) -> dict | None:
    """The model evaluation on file (docs/report.md): {"trusted_model": ..., "why": ...}; None when absent."""
    if not path.exists():
        return None
    content = json.loads(path.read_text(encoding="utf-8"))
    if not content.get("trusted_model") or not content.get("why"):
        raise ValueError(f"{path}: expected keys 'trusted_model' and 'why' (see docs/report.md)")
    return content


def _one(con, sql: str) -> dict[str, float | None]:
    frame = con.execute(sql).df()
    if frame.empty:
        return {}
    return {k: (None if pd.isna(v) else float(v)) for k, v in frame.iloc[0].items()}


def _share(con, sql: str) -> float | None:
    value = con.execute(sql).fetchone()[0]
    return None if value is None else float(value)


def _headline(con, model: str, period: Period) -> dict[str, float | None]:
    where = f"attribution_model = '{model}' and {period.where()}"
    out = _one(con, metric_query(HEADLINE_METRICS, where=f"{where} and platform <> '(none)'"))
    out["revenue_total"] = _one(con, metric_query(["revenue"], where=where)).get("revenue")
    return out


def gather(marts_db: Path, work_db: Path | None, *, days: int, evaluation_file: Path) -> ReportData:
    if not marts_db.exists():
        raise FileNotFoundError(f"no published marts at {marts_db}: run the pipeline first (make demo)")
    trusted = read_evaluation(evaluation_file)
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        run_id, run_date = con.execute("select run_id, run_date from _publication").fetchone()
        period = Period(run_date - timedelta(days=days - 1), run_date)
        currency = con.execute("select coalesce(max(currency), 'USD') from fct_channel_roi_daily").fetchone()[0]
        models = [r[0] for r in con.execute("select distinct attribution_model from fct_channel_roi_daily").fetchall()]
        primary = dbt_var("roi__primary_model")
        headline_model = trusted["trusted_model"] if trusted and trusted["trusted_model"] in models else primary
        model_where = f"attribution_model = '{headline_model}'"
        trend = con.execute(
            metric_query(
                ["revenue", "spend", "roi"],
                ["cast(date_trunc('week', date_day) as date) as week_start", "platform"],
                where=f"{model_where} and platform <> '(none)' and {Period(period.previous().start, run_date).where()}",
            )
        ).df()
        model_revenue = con.execute(
            "select attribution_model, channel, sum(attributed_revenue) as revenue from fct_attributed_revenue "
            "group by all order by all"
        ).df()
        lookbacks = [r[0] for r in con.execute("select distinct lookback_days from fct_channel_uncertainty").fetchall()]
        default_lookback = dbt_var("roi__lookback_days")
        lookback = default_lookback if default_lookback in lookbacks else (max(lookbacks) if lookbacks else None)
        intervals = con.execute(
            "select attribution_model, channel, revenue_ci_low, revenue_ci_high from fct_channel_uncertainty "
            "where lookback_days = ? order by all",
            [lookback],
        ).df()
        posts = con.execute(
            "select platform, post_id, published_at, lifetime_impressions, lifetime_engagements, content_cost, "
            "attributed_revenue, roi from dim_posts where attributed_revenue > 0 "
            "order by attributed_revenue desc, post_key limit 10"
        ).df()
        campaigns = con.execute(
            metric_query(
                CAMPAIGN_METRICS,
                ["platform", "campaign_id", "campaign_name"],
                where=f"{model_where} and {period.where()} and campaign_id <> '(organic)'",
                order_by="revenue desc, campaign_id",
            )
            + "\nlimit 10"
        ).df()
        reps = con.execute(
            "select sales_rep, sum(posts) as posts, sum(engagements) as engagements, sum(touches) as touches, "
            "sum(attributed_conversions) as conversions, sum(attributed_revenue) as revenue, "
            "sum(deals_won) as deals_won, sum(deals_won_amount) as deals_won_amount from fct_sales_rep_social "
            f"where month_start between date_trunc('month', date '{period.start}') and date '{period.end}' "
            "group by sales_rep order by revenue desc, sales_rep"
        ).df()
        overclaim = con.execute(
            metric_query(
                ["claimed_conversions", "backed_conversions", "over_claim_ratio"], ["platform"], where=period.where()
            )
        ).df()
        quality = con.execute(
            "select layer, suite, severity, expectation, column_name, success, observed_value, expected "
            "from quality_results where run_id = ? order by layer, suite, expectation, column_name",
            [run_id],
        ).df()
        maturity = {
            "identity": _share(
                con,
                "select sum(revenue) filter (where key_type in ('email', 'user', 'deal')) "
                "/ nullif(sum(revenue), 0) from dim_customers",
            ),
            "utm": _share(
                con,
                "select avg(case when campaign_id in (select campaign_id from dim_campaigns) "
                "then 1.0 else 0.0 end) from fct_attributed_revenue "
                f"where {model_where} and channel like '%\\_paid' escape '\\' "
                f"and {period.where('conversion_date')}",
            ),
            "reps": _share(
                con,
                "select count(distinct sales_rep) filter (where posts > 0 and month_start >= "
                f"date_trunc('month', date '{period.start}') and month_start <= date '{period.end}')"
                " / nullif(count(distinct sales_rep), 0) from fct_sales_rep_social",
            ),
            "crm": _share(
                con,
                "select avg(case when social_touches > 0 then 1.0 else 0.0 end) from dim_customers "
                "where key_type in ('email', 'user', 'deal')",
            ),
        }
        headline = _headline(con, headline_model, period)
        previous = _headline(con, headline_model, period.previous())
    finally:
        con.close()
    data = ReportData(
        run_id=run_id,
        run_date=run_date,
        period=period,
        currency=currency,
        headline_model=headline_model,
        trusted=trusted,
        headline=headline,
        previous=previous,
        trend=trend,
        model_revenue=model_revenue,
        intervals=intervals,
        interval_lookback=lookback,
        posts=posts,
        campaigns=campaigns,
        reps=reps,
        overclaim=overclaim,
        quality=quality,
        maturity=maturity,
    )
    if work_db is not None and work_db.exists():
        _coverage(data, work_db)
    return data


def _coverage(data: ReportData, work_db: Path) -> None:
    """Sources present in the period and quarantined files, from the ingestion manifest of the work database."""
    from social_roi.ingest.formats import all_formats

    try:
        con = duckdb.connect(str(work_db), read_only=True)
    except duckdb.Error:
        return  # another process holds the file: the report says coverage is unavailable
    try:
        data.sources = con.execute(
            "select format, count(*) as files, max(export_date) as last_export from raw._files "
            f"where status in ('loaded', 'loaded_with_rejects') and {data.period.where('export_date')} "
            "group by format order by format"
        ).df()
        # the rejected value itself is never shown: it may be personal data
        data.quarantine = con.execute(
            "select f.file_path, f.status, q.source_row, q.column_name, q.expected, "
            "coalesce(q.code, f.reason) as reason "
            "from raw._files f left join raw._quarantine q on q.file_id = f.file_id "
            "where f.status = 'quarantined' or q.file_id is not null "
            "order by f.file_path, q.source_row nulls first limit 200"
        ).df()
    finally:
        con.close()
    data.known_formats = sorted(f.name for f in all_formats())
