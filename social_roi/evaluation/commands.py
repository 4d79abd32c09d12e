"""CLI: ``social-roi evaluate [--world DIR]``: every model against the simulator's additive truth."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    evaluate = subparsers.add_parser(
        "evaluate",
        help="run every model on a generated world and compare with its additive causal truth",
        description="Generates a world (or reads --world), runs ingestion and the dbt project on it, and prints "
        "each channel's share of attributed revenue per model beside the simulator's additive truth (the Shapley "
        "value of the true revenue game, baseline included) and each channel's removal effect, with the total "
        "variation distance (TVD) of each model to the truth.",
    )
    evaluate.add_argument("--world", type=Path, default=None, help="an existing `social-roi generate` folder")
    evaluate.add_argument("--scale", type=float, default=0.05)
    evaluate.add_argument("--days", type=int, default=90)
    evaluate.add_argument("--seed", type=int, default=7)
    evaluate.add_argument("--home", type=Path, default=Path("var/evaluate"), help="working folder (wiped)")
    evaluate.add_argument(
        "--grid",
        action="store_true",
        help="every model over several seeds, scales and the harder worlds; writes --report",
    )
    evaluate.add_argument(
        "--report",
        type=Path,
        default=Path("docs/evaluation.md"),
        help="where --grid writes its table (default: docs/evaluation.md)",
    )
    evaluate.set_defaults(func=run_evaluate)


def run_evaluate(args: argparse.Namespace) -> int:
    from social_roi.evaluation.compare import TruthMissing, compare, format_comparison, model_shares, read_truth
    from social_roi.evaluation.run import attributed_revenue, generate

    home = args.home.resolve()
    if home.exists():
        shutil.rmtree(home)
    if args.grid:
        return run_grid_command(home, args.report)
    world = args.world.resolve() if args.world else generate(home / "world", args.scale, args.days, args.seed)
    try:
        truth = read_truth(world)
    except TruthMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    attributed = attributed_revenue(world, home / "pipeline")
    table, distance = compare(truth, model_shares(attributed))
    method = "exact" if (truth["shapley_stderr_share"].fillna(0) == 0).all() else "sampled"
    print(format_comparison(table, distance, method))
    if method == "sampled":
        worst = truth["shapley_stderr_share"].idxmax()
        print(
            f"the truth is sampled: standard error up to {truth['shapley_stderr_share'].max():.2%} of revenue ({worst})"
        )
    return 0


def run_grid_command(home: Path, report: Path) -> int:
    import json
    import time

    from social_roi.evaluation.grid import markdown, run_grid, trusted_model, verdicts

    started = time.perf_counter()
    results = run_grid(home)
    seconds = time.perf_counter() - started
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(markdown(results, seconds, "social-roi evaluate --grid"))
    trusted = trusted_model(results)  # read by the report to mark the model it trusts most
    report.with_suffix(".json").write_text(json.dumps(trusted, indent=1) + "\n")
    print("\n".join(verdicts(results)))
    print(f"trusted model: {trusted['trusted_model']} ({trusted['why']})")
    print(f"grid of {len(results)} worlds in {seconds / 60:.1f} min; table in {report}")
    return 0
