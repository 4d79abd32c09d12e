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

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from social_roi.attribution.api import DATA_DRIVEN, channel_weights
from social_roi.attribution.uncertainty import BOOTSTRAP_MODELS


@dataclass(frozen=True)
class ModelSettings:
    """The data-driven models and their parameters, as the dbt project declares them (its ``roi__`` vars): the
    list the SQL applies is the list this step computes."""

    models: tuple[str, ...] = DATA_DRIVEN  # every model the package offers, when the project lists none
    causal_l2: float = 1.0
    causal_touch_cap: int = 3

    @classmethod
    def from_project(cls, project_dir: Path) -> ModelSettings:
        import yaml

        variables = yaml.safe_load((project_dir / "dbt_project.yml").read_text()).get("vars", {})
        models = tuple(variables.get("roi__data_driven_models", cls.models))
        unknown = [m for m in models if m not in DATA_DRIVEN]
        if unknown:
            raise ValueError(
                f"{project_dir / 'dbt_project.yml'}: roi__data_driven_models lists {', '.join(unknown)}; "
                f"data-driven models are {', '.join(DATA_DRIVEN)}"
            )
        return cls(
            models,
            float(variables.get("roi__causal_l2", cls.causal_l2)),
            int(variables.get("roi__causal_touch_cap", cls.causal_touch_cap)),
        )


def compute_weights(path_summary: pd.DataFrame, settings: ModelSettings | None = None) -> pd.DataFrame:
    """Channel weights of every data-driven model; empty when there are no social paths."""
    settings = settings or ModelSettings()
    frames = []
    if len(path_summary) and path_summary["total_conversions"].sum() > 0:
        for model in settings.models:
            weights = channel_weights(
                path_summary, model, causal_l2=settings.causal_l2, causal_touch_cap=settings.causal_touch_cap
            )
            frames.append(weights.assign(attribution_model=model))
    if not frames:
        return pd.DataFrame({"attribution_model": [], "channel": [], "weight": [], "raw_share": []})
    return pd.concat(frames, ignore_index=True)[["attribution_model", "channel", "weight", "raw_share"]]


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


def write_weights(con, run_date: date, schema: str = "audit", settings: ModelSettings | None = None) -> pd.DataFrame:
    """Read the path summary of the audit area, replace the channel weights. Returns what was written."""
    summary = con.execute(
        f"select path, total_conversions, total_conversion_value, total_null from {schema}.int_path_summary"
    ).df()
    for column in ("total_conversions", "total_conversion_value", "total_null"):
        summary[column] = summary[column].astype(float)
    weights = compute_weights(summary, settings)
    weights["run_date"] = run_date
    _require(con, "channel_weights")
    con.register("_weights", weights)
    try:
        con.execute("begin")
        con.execute("delete from attribution.channel_weights")
        con.execute(
            "insert into attribution.channel_weights (attribution_model, channel, weight, run_date, raw_share) "
            "select attribution_model, channel, cast(weight as double), cast(run_date as date), "
            "cast(raw_share as double) from _weights"
        )
        con.execute("commit")
    finally:
        con.unregister("_weights")
    return weights


def write_uncertainty(
    con, run_date: date, schema: str = "audit", n_boot: int = 200, settings: ModelSettings | None = None
) -> pd.DataFrame:
    """Bootstrap intervals of the Markov and Shapley models (those of them the project lists) at every
    sensitivity lookback into attribution.channel_uncertainty (replacing the previous run's)."""
    from social_roi.attribution.uncertainty import bootstrap_channel_revenue

    tables = con.execute(
        "select lookback_days, path, total_conversions, total_conversion_value, total_null "
        f"from {schema}.int_path_summary_by_lookback"
    ).df()
    for column in ("total_conversions", "total_conversion_value", "total_null"):
        tables[column] = tables[column].astype(float)
    tables["lookback_days"] = tables["lookback_days"].astype(int)
    models = tuple(m for m in (settings or ModelSettings()).models if m in BOOTSTRAP_MODELS)
    result = bootstrap_channel_revenue(tables, models, n_boot=n_boot)
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
