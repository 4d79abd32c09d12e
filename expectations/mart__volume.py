"""Volume anomalies: orders, sessions and spend on the run day against the trailing mean (warning by default).

For each metric, the run day's value is compared with the mean of the ``volume.trailing_days`` days before it
(days without rows count as 0; days before the metric's first day do not count). It fails below
(1 - drop) x mean or above (1 + spike) x mean. With fewer than ``volume.min_history_days`` days of history the
check is skipped: it succeeds and says "insufficient history".
"""

from __future__ import annotations

import pandas as pd

from social_roi.quality import kit

NAME = "mart__volume"
SEVERITY = "warning"

METRICS = {
    # metric: (table, day expression, value expression, filter); table None = the spend source (kit.SPEND_SOURCES)
    "orders": ("int_conversions", "conversion_date", "count(*)", "conversion_type = 'purchase'"),
    "sessions": ("int_sessions", "cast(session_started_at as date)", "count(*)", "true"),
    "spend": (None, "spend_date", "sum(cast(spend as double))", "true"),
}


def _sql(rel: str, day: str, value: str, where: str, trailing: int) -> str:
    return f"""
        with first_day as (
            select min({day}) as first_day from {rel} where {where}
        ),
        daily as (
            select {day} as day, {value} as value
            from {rel}
            where {where} and {day} between cast($run_date as date) - {trailing} and cast($run_date as date)
            group by 1
        )
        select
            coalesce((select value from daily where day = $run_date), 0) as run_day_value,
            coalesce((select sum(value) from daily where day < $run_date), 0) as trailing_sum,
            greatest(0, least({trailing},
                date_diff('day', greatest((select first_day from first_day),
                                          cast($run_date as date) - {trailing}), cast($run_date as date))))
                as history_days
    """


def frame(con, params: kit.MartParams):
    t = params.thresholds
    trailing = int(t.get("volume.trailing_days"))
    min_history = int(t.get("volume.min_history_days"))
    row: dict[str, object] = {"run_date": params.run_date.isoformat()}
    for metric, (table, day, value, where) in METRICS.items():
        rel = params.rel(table) if table else kit.spend_table(con, params)
        got = kit.query(con, _sql(rel, day, value, where, trailing), {"run_date": params.run_date}).iloc[0]
        today, history = float(got["run_day_value"]), int(got["history_days"] or 0)
        mean = float(got["trailing_sum"]) / history if history else None
        if history < min_history:
            ratio, note = None, f"insufficient history ({history} of {min_history} days) for {metric}"
        elif not mean:
            ratio, note = None, f"{metric} on {params.run_date}: {today:g}; trailing mean is 0, nothing to compare"
        else:
            ratio = today / mean
            note = (
                f"{metric} on {params.run_date}: {today:g} vs trailing {history}-day mean {mean:.4g} "
                f"(ratio {ratio:.3f})"
            )
        row[f"{metric}_ratio"] = ratio
        row[f"{metric}_note"] = note
    out = pd.DataFrame([row])
    for metric in METRICS:
        out[f"{metric}_ratio"] = out[f"{metric}_ratio"].astype("float64")
    return out


def build_suite(thresholds=None):
    t = kit.resolve(thresholds)
    exps = []
    for metric in METRICS:
        drop = float(t.get(f"volume.metrics.{metric}.drop"))
        spike = float(t.get(f"volume.metrics.{metric}.spike"))
        exps.append(
            kit.expect_between(
                f"{metric}_ratio",
                1 - drop,
                1 + spike,
                f"{metric} on the run day within [1 - {drop:g}, 1 + {spike:g}] x the trailing mean",
                note=f"{metric}_note",
                expected=f"run day / trailing mean between {1 - drop:g} and {1 + spike:g}",
            )
        )
    return kit.suite(NAME, exps, notes=__doc__)
