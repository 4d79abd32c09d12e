"""The report's charts: Vega-Lite specifications built with altair, rendered to SVG by vl-convert (no browser,
no JavaScript in the page, no network: data is inline and external URLs are refused).

Channels, platforms and models keep one order and one colour in every chart."""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

from social_roi.report.i18n import Lang

PLATFORMS = ["facebook", "instagram", "linkedin", "tiktok", "x", "youtube", "(none)"]
PLATFORM_COLOURS = ["#1877f2", "#c13584", "#0a66c2", "#00a6a6", "#14171a", "#e62117", "#9aa0a6"]
CHANNELS = [
    "facebook_paid",
    "facebook_organic",
    "instagram_paid",
    "instagram_organic",
    "instagram_influencer",
    "linkedin_paid",
    "linkedin_organic",
    "tiktok_paid",
    "tiktok_organic",
    "x_organic",
    "youtube_organic",
    "(no social touch)",
]
MODELS = ["first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay", "markov", "shapley"]
MODEL_COLOURS = ["#8c564b", "#ff7f0e", "#bcbd22", "#7f7f7f", "#2ca02c", "#17becf", "#1f77b4", "#d62728"]
WIDTH = 620


def ordered(values, known: list[str]) -> list[str]:
    """``known`` values first in their fixed order, then any other value seen, sorted."""
    seen = {str(v) for v in values}
    return [v for v in known if v in seen] + sorted(seen - set(known))


def render(chart: alt.TopLevelMixin, lang: Lang) -> str:
    """SVG text of ``chart`` in the language's number and date formats."""
    spec = chart.configure_view(stroke=None).configure_axis(labelFontSize=11, titleFontSize=11).to_dict()
    return vl_convert.vegalite_to_svg(
        spec, format_locale=lang.d3_locale, time_format_locale=lang.d3_locale, allowed_base_urls=[]
    )


def _platform_colour(values) -> alt.Scale:
    domain = ordered(values, PLATFORMS)
    colours = {p: c for p, c in zip(PLATFORMS, PLATFORM_COLOURS)}
    return alt.Scale(domain=domain, range=[colours.get(p, "#5f6368") for p in domain])


def weekly_trend(frame: pd.DataFrame, lang: Lang, currency: str) -> str:
    """Three line charts side by side: revenue, spend and ROI per week and platform."""
    data = frame.assign(week_start=pd.to_datetime(frame["week_start"]).dt.strftime("%Y-%m-%d"))
    colour = alt.Color("platform:N", scale=_platform_colour(data["platform"]), title=lang.t("platform"))
    base = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("week_start:T", title=lang.t("week"), axis=alt.Axis(format="%d %b", tickCount="week")),
            color=colour,
        )
        .properties(width=190, height=170)
    )
    money = alt.Axis(format=",.0f")
    return render(
        alt.hconcat(
            base.encode(y=alt.Y("revenue:Q", title=f"{lang.t('revenue')} ({currency})", axis=money)),
            base.encode(y=alt.Y("spend:Q", title=f"{lang.t('spend')} ({currency})", axis=money)),
            base.encode(y=alt.Y("roi:Q", title=lang.t("roi"), axis=alt.Axis(format="+.0%"))),
        ),
        lang,
    )


def model_comparison(
    revenue: pd.DataFrame, intervals: pd.DataFrame, trusted: str | None, lang: Lang, currency: str
) -> str:
    """One chart: attributed revenue per channel (fixed order) and model (fixed colours), the trusted model's
    points larger and outlined, bootstrap intervals of the data-driven models as lines."""
    channels = ordered(revenue["channel"], CHANNELS)
    models = ordered(revenue["attribution_model"], MODELS)
    colours = dict(zip(MODELS, MODEL_COLOURS))
    label = {m: (f"{m} ★" if m == trusted else m) for m in models}
    data = revenue.assign(
        model=revenue["attribution_model"].map(label), trusted=revenue["attribution_model"] == trusted
    )
    scale = alt.Scale(domain=[label[m] for m in models], range=[colours.get(m, "#5f6368") for m in models])
    y = alt.Y("channel:N", sort=channels, title=lang.t("channel"))
    offset = alt.YOffset("model:N", sort=[label[m] for m in models])
    points = (
        alt.Chart(data)
        .mark_point(filled=True)
        .encode(
            x=alt.X("revenue:Q", title=f"{lang.t('revenue')} ({currency})", axis=alt.Axis(format=",.0f")),
            y=y,
            yOffset=offset,
            color=alt.Color("model:N", scale=scale, title=lang.t("model")),
            size=alt.condition("datum.trusted", alt.value(140), alt.value(45)),
            stroke=alt.condition("datum.trusted", alt.value("#000000"), alt.value(None)),
            tooltip=["channel", "model", alt.Tooltip("revenue:Q", format=",.0f")],
        )
    )
    layers = [points]
    if not intervals.empty:
        ci = intervals[intervals["channel"].isin(channels)].assign(
            model=intervals["attribution_model"].map(lambda m: label.get(m, m))
        )
        layers.insert(
            0,
            alt.Chart(ci)
            .mark_rule(strokeWidth=2, opacity=0.7)
            .encode(
                x="revenue_ci_low:Q",
                x2="revenue_ci_high:Q",
                y=y,
                yOffset=offset,
                color=alt.Color("model:N", scale=scale, title=lang.t("model")),
            ),
        )
    chart = alt.layer(*layers).properties(width=WIDTH, height=alt.Step(7))
    return render(chart, lang)


def bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    lang: Lang,
    title: str,
    colour_by_platform: bool = False,
    value_format: str = ",.0f",
) -> str:
    """A horizontal bar chart of ``value`` per ``category`` (largest first)."""
    order = frame.sort_values(value, ascending=False)[category].astype(str).tolist()
    encoding = {
        "x": alt.X(f"{value}:Q", title=title, axis=alt.Axis(format=value_format)),
        "y": alt.Y(f"{category}:N", sort=order, title=None),
    }
    if colour_by_platform and "platform" in frame:
        encoding["color"] = alt.Color("platform:N", scale=_platform_colour(frame["platform"]), title=lang.t("platform"))
    chart = alt.Chart(frame).mark_bar().encode(**encoding).properties(width=WIDTH - 180, height=alt.Step(18))
    return render(chart, lang)


def claimed_vs_backed(frame: pd.DataFrame, lang: Lang) -> str:
    """Claimed and order-backed conversions side by side per platform."""
    long = frame.melt(
        id_vars=["platform"],
        value_vars=["claimed_conversions", "backed_conversions"],
        var_name="kind",
        value_name="conversions",
    )
    names = {"claimed_conversions": lang.t("claimed"), "backed_conversions": lang.t("backed")}
    long["kind"] = long["kind"].map(names)
    platforms = ordered(frame["platform"], PLATFORMS)
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("conversions:Q", title=lang.t("conversions"), axis=alt.Axis(format=",.0f")),
            y=alt.Y("platform:N", sort=platforms, title=None),
            yOffset=alt.YOffset("kind:N", sort=list(names.values())),
            color=alt.Color(
                "kind:N", scale=alt.Scale(domain=list(names.values()), range=["#f29900", "#188038"]), title=None
            ),
        )
        .properties(width=WIDTH - 180, height=alt.Step(14))
    )
    return render(chart, lang)
