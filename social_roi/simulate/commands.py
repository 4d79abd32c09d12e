"""`social-roi generate`: write a seeded world of real-format exports and its ground truth."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "generate",
        help="write a simulated world of real-format exports (and its ground truth)",
        description="Scale 1 = 1M sessions, 100k orders and 10k posts over 365 days; volumes scale per day.",
    )
    p.add_argument("--out", type=Path, default=Path("var/world"), help="output folder (default: var/world)")
    p.add_argument("--scale", type=float, default=0.01, help="scale factor (default 0.01)")
    p.add_argument("--days", type=int, default=60, help="number of days simulated (default 60)")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--locale", choices=("en", "fr"), default="en", help="export language / store currency")
    p.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 11, 30), help="last day (ISO)")
    p.add_argument(
        "--scenario",
        default="default",
        choices=("default", "decay", "interaction", "retargeting", "long_cycle"),
        help="how touches act on purchases: the default world or a harder one (docs/simulation.md)",
    )
    p.set_defaults(func=run_generate)


def run_generate(args: argparse.Namespace) -> int:
    from social_roi.simulate.world import WorldConfig, build_world
    from social_roi.simulate.writers import write_world

    started = time.perf_counter()
    config = WorldConfig(
        scale=args.scale,
        days=args.days,
        seed=args.seed,
        locale=args.locale,
        end_date=args.end_date,
        scenario=args.scenario,
    )
    print(
        f"simulating {config.days} days ({config.start_date} .. {config.end_date}), scale {config.scale}, "
        f"seed {config.seed}, locale {config.locale}, scenario {config.scenario}"
    )
    world = build_world(config)
    summary = write_world(world, args.out)
    print(
        f"wrote {summary['files']} files to {args.out}/inbox: {summary['sessions']:,} sessions, "
        f"{summary['orders']:,} orders, {summary['posts']:,} posts, net revenue {summary['net_revenue']:,.2f} "
        f"{summary['currency']} ({time.perf_counter() - started:.1f} s); ground truth in {args.out}/truth"
    )
    return 0
