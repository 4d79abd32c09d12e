"""CLI: ``social-roi attribute-paths FILE [--sep ';'] [--out OUT.csv] [--models ...]``."""

from __future__ import annotations

import argparse
import sys

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
    parser.add_argument(
        "--models",
        default=",".join(DEFAULT_MODELS),
        help=f"comma-separated models among {','.join(PATH_MODELS)} (default: %(default)s)",
    )
    parser.set_defaults(func=run_attribute_paths)


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
