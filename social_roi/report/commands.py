"""CLI: ``social-roi report [--lang en|fr] [--days N] [--out DIR]``: the HTML report of the published marts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the HTML report of the published marts",
        description="Writes roi_report.html for the published period (the last --days days up to the published "
        "run day) from the published marts; the daily run writes it too. Language: --lang or SOCIAL_ROI_REPORT_LANG.",
    )
    parser.add_argument("--lang", choices=("en", "fr"), default=None, help="language (default en)")
    parser.add_argument("--days", type=int, default=None, help="days in the period (default 28)")
    parser.add_argument(
        "--out", type=Path, default=None, help="folder to write into (default $SOCIAL_ROI_HOME/reports)"
    )
    parser.set_defaults(func=report_command)


def report_command(args: argparse.Namespace) -> int:
    from social_roi.config import Settings
    from social_roi.report.html import write_report

    try:
        write_report(Settings.from_env(), lang=args.lang, days=args.days, out_dir=args.out)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
