"""CLI: ``social-roi attribute-paths FILE [--sep ';'] [--out OUT.csv] [--models ...]``."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from social_roi.attribution.api import DEFAULT_MODELS, PATH_MODELS, attribute_path_table
from social_roi.attribution.paths import PathTableError, read_path_table


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "attribute-paths",
        help="attribute conversions of a path table to channels with rule and data-driven models",
        description="Read a path table (path, total_conversions[, total_conversion_value][, total_null]) "
        "and write channel,model,conversions,value for every model that needs no timestamps.",
    )
    parser.add_argument("file", help="CSV path table; steps in 'path' are separated by '>'")
    parser.add_argument("--sep", default=",", help="CSV delimiter (default ',')")
    parser.add_argument("--out", default=None, help="output CSV (default: standard output)")
    parser.add_argument("--models", default=",".join(DEFAULT_MODELS),
                        help=f"comma-separated models among {','.join(PATH_MODELS)} (default: %(default)s)")
    parser.set_defaults(func=run_attribute_paths)

    evaluate = subparsers.add_parser(
        "evaluate",
        help="run every model on a generated world and compare with its true incremental revenue",
        description="Generates a world (or reads --world), runs ingestion and the dbt project on it, and prints "
        "each channel's share of attributed revenue per model beside the simulator's true incremental share, "
        "with the total variation distance (TVD) of each model to the truth.",
    )
    evaluate.add_argument("--world", type=Path, default=None, help="an existing `social-roi generate` folder")
    evaluate.add_argument("--scale", type=float, default=0.05)
    evaluate.add_argument("--days", type=int, default=90)
    evaluate.add_argument("--seed", type=int, default=7)
    evaluate.add_argument("--home", type=Path, default=Path("var/evaluate"), help="working folder (wiped)")
    evaluate.set_defaults(func=run_evaluate)


def run_attribute_paths(args: argparse.Namespace) -> int:
    models = tuple(m.strip() for m in args.models.split(",") if m.strip())
    unknown = [m for m in models if m not in PATH_MODELS]
    if unknown or not models:
        print(f"error: --models: value '{args.models}': expected some of {','.join(PATH_MODELS)}", file=sys.stderr)
        return 2
    try:
        table = read_path_table(args.file, sep=args.sep)
        result = attribute_path_table(table, models)
    except PathTableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        from social_roi.spreadsheet_safe import write_csv

        write_csv(result, args.out if args.out else sys.stdout)
    except OSError as exc:
        print(f"error: {args.out}: cannot write output: {exc.strerror}", file=sys.stderr)
        return 2
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    import json
    import os

    import duckdb

    from social_roi.attribution.evaluate import compare, format_comparison, model_shares, truth_shares

    home = args.home.resolve()
    if home.exists():
        shutil.rmtree(home)
    world = args.world.resolve() if args.world else home / "world"
    if args.world is None:
        from social_roi.simulate.world import WorldConfig, build_world
        from social_roi.simulate.writers import write_world

        config = WorldConfig(scale=args.scale, days=args.days, seed=args.seed)
        print(f"generating a world: scale {config.scale}, {config.days} days, seed {config.seed}")
        write_world(build_world(config), world, progress=None)
    summary = json.loads((world / "truth" / "world.json").read_text())
    os.environ["SOCIAL_ROI_HOME"] = str(home / "pipeline")
    os.environ["SOCIAL_ROI_INBOX"] = str(world / "inbox")
    from datetime import date

    from social_roi import pipeline

    end = date.fromisoformat(summary["end_date"])
    pipeline.ingest(end, "evaluate")
    pipeline.build(end)
    from social_roi.config import Settings

    con = duckdb.connect(str(Settings.from_env().work_db))  # same configuration as the pipeline steps in this process
    try:
        attributed = con.execute(
            "select attribution_model, channel, sum(attributed_revenue) as revenue "
            "from audit.fct_attributed_revenue group by all"
        ).df()
    finally:
        con.close()
    table, tvd = compare(truth_shares(world), model_shares(attributed))
    print(format_comparison(table, tvd))
    return 0
