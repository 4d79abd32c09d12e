"""``social-roi evaluate --grid``: every model over several seeds, scales and the harder worlds.

Each cell generates a world, runs the real pipeline on it (ingestion, both dbt phases, the attribution step)
and scores each model's revenue shares against the world's additive truth with the total variation distance.
The 90% interval of a TVD resamples the world's conversions (a bootstrap over conversions, 200 replicates,
seeded; the data-driven models' channel weights are held at their fitted values, so the interval shows how much
the score depends on which conversions happened, not the refit). A distance is biased upwards under resampling
(noise only adds to it), so the interval is the basic bootstrap one: [2 t - q95, 2 t - q05] with t the observed
TVD and q the percentiles of the resampled TVDs, floored at 0. Bias = model share - true share, per channel.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from social_roi.evaluation.compare import BASELINE, compare, model_shares, read_truth

TARGET_DEFAULT, TARGET_HARDER, TARGET_RETARGETING_POINTS = 0.05, 0.10, 2.0


@dataclass(frozen=True)
class Cell:
    scenario: str
    scale: float
    days: int
    seed: int

    @property
    def name(self) -> str:
        return f"{self.scenario}-s{self.scale:g}-d{self.days}-seed{self.seed}"


GRID = (
    Cell("default", 0.02, 45, 7),
    Cell("default", 0.02, 45, 11),
    Cell("default", 0.05, 45, 7),
    Cell("decay", 0.02, 45, 7),
    Cell("interaction", 0.02, 45, 7),
    Cell("retargeting", 0.02, 45, 7),
    Cell("long_cycle", 0.02, 60, 7),
)


def bootstrap_tvd(per_conversion: pd.DataFrame, truth: pd.Series, replicates: int = 200, seed: int = 0) -> pd.DataFrame:
    """Per model, the 5th and 95th percentiles of the TVD over conversions resampled with replacement.
    ``per_conversion``: rows (conversion_id, attribution_model, channel, revenue)."""
    rng = np.random.default_rng(seed)
    channels = truth.index
    rows = []
    for model, frame in per_conversion.groupby("attribution_model"):
        matrix = frame.pivot_table(
            index="conversion_id", columns="channel", values="revenue", aggfunc="sum", fill_value=0.0
        ).reindex(columns=channels.union(frame["channel"].unique()), fill_value=0.0)
        n = len(matrix)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=replicates)  # replicates x conversions
        totals = counts @ matrix.to_numpy()
        shares = totals / totals.sum(axis=1, keepdims=True)
        true = truth.reindex(matrix.columns, fill_value=0.0).to_numpy()
        distance = 0.5 * np.abs(shares - true[None, :]).sum(axis=1)
        rows.append(
            {
                "model": model,
                "tvd_low": float(np.percentile(distance, 5)),
                "tvd_high": float(np.percentile(distance, 95)),
            }
        )
    return pd.DataFrame(rows).set_index("model")


def interval(model: dict) -> tuple[float, float]:
    """The basic bootstrap 90% interval of a model's TVD from its observed value and resampled percentiles."""
    return max(0.0, 2 * model["tvd"] - model["tvd_high"]), max(0.0, 2 * model["tvd"] - model["tvd_low"])


def score_world(world: Path, per_conversion: pd.DataFrame) -> dict:
    truth = read_truth(world)
    attributed = per_conversion.groupby(["attribution_model", "channel"], as_index=False)["revenue"].sum()
    table, distance = compare(truth, model_shares(attributed))
    resampled = bootstrap_tvd(per_conversion, table["truth"])
    models = [
        {
            "model": m,
            "tvd": float(distance[m]),
            "tvd_low": float(resampled.loc[m, "tvd_low"]),
            "tvd_high": float(resampled.loc[m, "tvd_high"]),
        }
        for m in distance.index
    ]
    bias = table.drop(columns=["truth", "removal"]).sub(table["truth"], axis=0)
    return {
        "models": models,
        "truth": table["truth"].to_dict(),
        "removal": table["removal"].dropna().to_dict(),
        "bias": {m: bias[m].to_dict() for m in bias.columns},
        "truth_method": "exact" if (truth["shapley_stderr_share"].fillna(0) == 0).all() else "sampled",
        "max_truth_stderr": float(truth["shapley_stderr_share"].max()),
    }


def run_grid(home: Path, cells=GRID, progress=print) -> list[dict]:
    from social_roi.evaluation.run import attributed_revenue, generate
    from social_roi.simulate.world import SCENARIOS

    results = []
    home.mkdir(parents=True, exist_ok=True)
    for cell in cells:
        started = time.perf_counter()
        world = generate(home / cell.name / "world", cell.scale, cell.days, cell.seed, cell.scenario, progress=None)
        per_conversion = attributed_revenue(world, home / cell.name / "pipeline", per_conversion=True)
        result = {
            **asdict(cell),
            "name": cell.name,
            **score_world(world, per_conversion),
            "retargeting_channel": SCENARIOS[cell.scenario].retargeting,
            "seconds": round(time.perf_counter() - started, 1),
        }
        (home / f"{cell.name}.json").write_text(json.dumps(result, indent=1))
        best = result["models"][0]
        if progress:
            progress(
                "{}: best {} TVD {:.3f} [{:.3f}, {:.3f}] ({:.0f} s)".format(
                    cell.name, best["model"], best["tvd"], *interval(best), result["seconds"]
                )
            )
        results.append(result)
    return results


def verdicts(results: list[dict]) -> list[str]:
    """One line per target: met or missed, by how much."""
    lines = []
    for r in results:
        best = r["models"][0]
        target = TARGET_DEFAULT if r["scenario"] == "default" else TARGET_HARDER
        state = "met" if best["tvd"] <= target else f"MISSED by {best['tvd'] - target:.3f}"
        lines.append(
            f"- {r['name']}: best model {best['model']} TVD {best['tvd']:.3f} (target <= {target:.2f}): {state}"
        )
        channel = r.get("retargeting_channel")
        if channel and "causal" in r["bias"]:
            share = 100 * (r["bias"]["causal"].get(channel, 0.0) + r["truth"].get(channel, 0.0))
            state = (
                "met"
                if share <= TARGET_RETARGETING_POINTS
                else f"MISSED by {share - TARGET_RETARGETING_POINTS:.1f} points"
            )
            lines.append(
                f"- {r['name']}: zero-lift {channel} gets {share:.1f} points of revenue share from "
                f"causal (target <= {TARGET_RETARGETING_POINTS:.0f}): {state}"
            )
    return lines


WHY = (
    "- **The baseline floor.** Every model credits a touched conversion entirely to its touches, and only "
    "conversions without a tracked social touch to `(no social touch)`. The truth's baseline is the revenue that "
    "happens with no social channel at all, which differs from the untouched conversions' revenue (touches the "
    "pipeline cannot see: influencer exposures, visitors GA4 does not track; and touched orders that would have "
    "happened anyway). The gap is the `(no social touch)` column of the bias table, the same for every model "
    "(2-3 points either way on the default worlds), and half of it is in every model's TVD.",
    "- **Sampling noise.** A world at scale 0.02 over 45 days has about 500 orders; the resampled TVD of the same "
    "model moves by several hundredths (the intervals), so differences between the best models are often within "
    "noise; the data-driven models' weights are refitted on these few journeys.",
    "- **decay**: touches fade within days and saturate, so much of the revenue of touched orders would have "
    "happened anyway: the truth's baseline is far above the untouched orders' share (see its bias column) and "
    "the floor above dominates; no model here can give a touched conversion's revenue to the baseline.",
    "- **retargeting**: the zero-lift channel sits right before orders, and the causal model's only defence is "
    "its non-negative coefficient; conversions whose only touch is the retargeting click still go to it (a "
    "touched conversion must be credited to a touch), which is the share that remains.",
    "- **long_cycle**: views older than the 30-day lookback are invisible to every model "
    "(`roi__lookback_days_by_touch_type` can lengthen it); the models that weigh early touches (causal, first "
    "touch) come closest.",
)


def trusted_model(results: list[dict]) -> dict:
    """The model the evaluation trusts most: the lowest mean TVD to the additive truth over every world of the
    grid (harder worlds included), with the figures that say why. The report marks it (docs/report.md)."""
    tvds: dict[str, list[float]] = {}
    for r in results:
        for m in r["models"]:
            tvds.setdefault(m["model"], []).append(m["tvd"])
    means = {model: sum(values) / len(values) for model, values in tvds.items() if len(values) == len(results)}
    ranked = sorted(means, key=lambda model: (means[model], model))
    best, runner_up = ranked[0], ranked[1] if len(ranked) > 1 else None
    why = f"lowest mean distance to the simulator's additive truth over {len(results)} worlds (TVD {means[best]:.3f}"
    why += f"; next {runner_up} {means[runner_up]:.3f})" if runner_up else ")"
    return {"trusted_model": best, "why": why + "; see docs/evaluation.md", "mean_tvd": means}


def markdown(results: list[dict], seconds: float, command: str) -> str:
    out = [
        "# Evaluation: every model against the simulator's additive truth",
        "",
        f"Produced by `{command}` in {seconds / 60:.1f} min on this 2-core machine. Each row is one world: "
        "generated, ingested and built by the real pipeline; TVD = total variation distance between a model's "
        "revenue shares by channel (`(no social touch)` included) and the additive truth (the Shapley value of "
        "the world's revenue game, baseline included; see docs/simulation.md). Brackets: 90% basic bootstrap "
        "interval over conversions (channel weights held fixed; basic rather than percentile because resampling "
        "biases a distance upwards). Lower is better.",
        "",
    ]
    models = sorted({m["model"] for r in results for m in r["models"]})
    out.append("| world | " + " | ".join(models) + " | best |")
    out.append("|---|" + "---|" * (len(models) + 1))
    for r in results:
        by_model = {m["model"]: m for m in r["models"]}
        cells = [
            "{:.3f} [{:.3f}, {:.3f}]".format(by_model[m]["tvd"], *interval(by_model[m])) if m in by_model else "-"
            for m in models
        ]
        out.append(f"| {r['name']} | " + " | ".join(cells) + f" | {r['models'][0]['model']} |")
    sampled = [r for r in results if r.get("truth_method") != "exact"]
    truth_line = (
        "Truth: exact (every coalition re-simulated) in every world."
        if not sampled
        else "Truth sampled in "
        + ", ".join(f"{r['name']} (standard error up to {100 * r['max_truth_stderr']:.2f} points)" for r in sampled)
        + "."
    )
    out += [
        "",
        truth_line,
        "",
        "## Targets",
        "",
        *verdicts(results),
        "",
        "## Per-channel bias (model share - true share, points)",
        "",
        "For the best model and the causal model of each world.",
        "",
    ]
    channels = sorted({c for r in results for c in r["truth"]}, key=lambda c: (c == BASELINE, c))
    out.append("| world | model | " + " | ".join(channels) + " |")
    out.append("|---|---|" + "---|" * len(channels))
    for r in results:
        for model in dict.fromkeys([r["models"][0]["model"], "causal"]):
            if model not in r["bias"]:
                continue
            cells = [f"{100 * r['bias'][model].get(c, 0.0):+.1f}" for c in channels]
            out.append(f"| {r['name']} | {model} | " + " | ".join(cells) + " |")
    out += ["", "## Why scores stop where they do", "", *WHY, ""]
    out += ["", "Seconds per world: " + ", ".join(f"{r['name']} {r['seconds']:.0f}" for r in results) + "."]
    return "\n".join(out) + "\n"
