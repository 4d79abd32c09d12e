"""The pipeline's data-driven attribution step, between the two dbt phases.

dbt builds ``audit.int_path_summary`` (one row per distinct channel path with conversions, value and nulls);
this step computes each data-driven model's channel weights from it with the same code as ``attribute-paths``
and writes them to ``attribution.channel_weights``; dbt then applies them per conversion in SQL. Any warehouse
that runs SQL can run the project: no dbt Python models are needed.

The ``attribution.*`` tables have one owner, the dbt project: its ``on-run-start`` hooks create them
(macros/attribution/create_channel_weights_table.sql) and its sources declare them; this step only replaces
their rows, stamped with the run day (a dbt test fails the marts when the rows are of another day).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from social_roi.attribution.api import channel_weights

DATA_DRIVEN_MODELS = ("markov", "shapley")


def compute_weights(path_summary: pd.DataFrame, models=DATA_DRIVEN_MODELS) -> pd.DataFrame:
    """Channel weights of every data-driven model; empty when there are no social paths."""
    frames = []
    if len(path_summary) and path_summary["total_conversions"].sum() > 0:
        for model in models:
            weights = channel_weights(path_summary, model)
            frames.append(weights.assign(attribution_model=model))
    if not frames:
        return pd.DataFrame({"attribution_model": [], "channel": [], "weight": []})
    return pd.concat(frames, ignore_index=True)[["attribution_model", "channel", "weight"]]


def _require(con, table: str) -> None:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'attribution' and table_name = ?",
        [table],
    ).fetchall()[0][0]
    if not found:
        raise RuntimeError(
            f"attribution.{table} does not exist in the work database: the dbt project creates it (on-run-start); "
            "run the first dbt phase (task dbt_build_paths) before the attribution step"
        )


def write_weights(con, run_date: date, schema: str = "audit") -> pd.DataFrame:
    """Read the path summary of the audit area, replace the channel weights. Returns what was written."""
    summary = con.execute(
        f"select path, total_conversions, total_conversion_value, total_null from {schema}.int_path_summary"
    ).df()
    for column in ("total_conversions", "total_conversion_value", "total_null"):
        summary[column] = summary[column].astype(float)
    weights = compute_weights(summary)
    weights["run_date"] = run_date
    _require(con, "channel_weights")
    con.register("_weights", weights)
    try:
        con.execute("begin")
        con.execute("delete from attribution.channel_weights")
        con.execute(
            "insert into attribution.channel_weights "
            "select attribution_model, channel, cast(weight as double), cast(run_date as date) from _weights"
        )
        con.execute("commit")
    finally:
        con.unregister("_weights")
    return weights


def write_uncertainty(con, run_date: date, schema: str = "audit", n_boot: int = 200) -> pd.DataFrame:
    """Bootstrap intervals of the data-driven models at every sensitivity lookback into
    attribution.channel_uncertainty (replacing the previous run's)."""
    from social_roi.attribution.uncertainty import bootstrap_channel_revenue

    tables = con.execute(
        "select lookback_days, path, total_conversions, total_conversion_value, total_null "
        f"from {schema}.int_path_summary_by_lookback"
    ).df()
    for column in ("total_conversions", "total_conversion_value", "total_null"):
        tables[column] = tables[column].astype(float)
    tables["lookback_days"] = tables["lookback_days"].astype(int)
    result = bootstrap_channel_revenue(tables, DATA_DRIVEN_MODELS, n_boot=n_boot)
    result["run_date"] = run_date
    _require(con, "channel_uncertainty")
    con.register("_uncertainty", result)
    try:
        con.execute("begin")
        con.execute("delete from attribution.channel_uncertainty")
        con.execute(
            "insert into attribution.channel_uncertainty select cast(lookback_days as integer), attribution_model, "
            "channel, revenue, conversions, revenue_ci_low, revenue_ci_high, cast(n_boot as integer), "
            "cast(run_date as date) from _uncertainty"
        )
        con.execute("commit")
    finally:
        con.unregister("_uncertainty")
    return result
