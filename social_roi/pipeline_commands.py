"""Pipeline commands: `run` (real Airflow runs of social_roi_daily), `demo`, and `roi` (print the ROI table)."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from datetime import date
from pathlib import Path


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser("run", help="run the daily DAG through Airflow for one day or a range (backfill)")
    run.add_argument("--end", type=date.fromisoformat, required=True, help="last day to run (ISO date)")
    run.add_argument("--days", type=int, default=1, help="how many days ending at --end (default 1)")
    run.set_defaults(func=run_command)

    demo = subparsers.add_parser("demo", help="generate a sample world, backfill its last 7 days, print ROI")
    demo.add_argument("--home", type=Path, default=Path("var/demo"), help="demo folder (wiped first)")
    demo.add_argument("--scale", type=float, default=0.05)
    demo.add_argument("--days", type=int, default=45, help="days of history in the sample world")
    demo.add_argument("--backfill-days", type=int, default=7)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--locale", choices=("en", "fr"), default="en")
    demo.set_defaults(func=demo_command)

    roi = subparsers.add_parser("roi", help="print the ROI table from the published marts")
    roi.set_defaults(func=roi_command)

    crm = subparsers.add_parser(
        "export-crm",
        help="write the CRM enrichment (dim_customers) as CSV keyed on the hashed email or CRM id",
        description="One row per customer the CRM can match: match_key is the salted SHA-256 of the normalised "
        "email (key_type email), the CRM deal id (key_type deal) or the hashed login id (key_type user_id). "
        "Hash your CRM's emails with the same salt (SOCIAL_ROI_PII_SALT) to join.",
    )
    crm.add_argument("--out", type=Path, default=None, help="output CSV (default: standard output)")
    crm.set_defaults(func=export_crm_command)


def _settings():
    from social_roi.config import Settings

    return Settings.from_env()


def run_command(args: argparse.Namespace) -> int:
    from social_roi.airflow_runner import day_range, run_days

    results = run_days(_settings(), day_range(args.end, args.days))
    failed = [r for r in results if "success" not in r[1]]
    return 1 if failed else 0


def roi_command(args: argparse.Namespace) -> int:
    from social_roi.report.roi import format_roi_table, roi_table

    print(format_roi_table(roi_table(_settings().marts_db)))
    return 0


def demo_command(args: argparse.Namespace) -> int:
    import os

    started = time.perf_counter()
    home = args.home.resolve()
    if home.exists():
        shutil.rmtree(home)
    os.environ["SOCIAL_ROI_HOME"] = str(home)
    os.environ.pop("SOCIAL_ROI_INBOX", None)

    from social_roi.airflow_runner import day_range, run_days
    from social_roi.config import Settings
    from social_roi.report.roi import format_roi_table, roi_table
    from social_roi.simulate.world import WorldConfig, build_world
    from social_roi.simulate.writers import write_world

    config = WorldConfig(scale=args.scale, days=args.days, seed=args.seed, locale=args.locale)
    print(f"[1/3] generating a sample world: {config.days} days to {config.end_date}, scale {config.scale}")
    summary = write_world(build_world(config), home)
    print(f"      {summary['files']} export files, {summary['sessions']:,} sessions, {summary['orders']:,} orders")
    settings = Settings.from_env()
    days = day_range(config.end_date, args.backfill_days)
    print(f"[2/3] running social_roi_daily through Airflow for {days[0]} .. {days[-1]}")
    results = run_days(settings, days)
    failed = [r for r in results if "success" not in r[1]]
    if failed:
        print(f"demo: {len(failed)} run(s) failed: {failed}", file=sys.stderr)
        return 1
    print("[3/3] ROI by platform and attribution model (all published days)")
    print(format_roi_table(roi_table(settings.marts_db)))
    print(f"\nHTML report: {settings.reports / 'roi_report.html'}")
    print(f"Published marts (open read-only): {settings.marts_db}")
    print(f"demo finished in {time.perf_counter() - started:.0f} s")
    return 0


CRM_EXPORT_SQL = """
select
    case key_type when 'user' then 'user_id' else key_type end as key_type,
    substring(customer_key, length(key_type) + 2) as match_key,
    engagement_segment,
    first_social_touch_at,
    first_social_channel,
    last_social_touch_at,
    last_social_channel,
    social_touches,
    cast(facebook_touches as integer) as facebook_touches, cast(instagram_touches as integer) as instagram_touches,
    cast(linkedin_touches as integer) as linkedin_touches, cast(x_touches as integer) as x_touches,
    cast(tiktok_touches as integer) as tiktok_touches, cast(youtube_touches as integer) as youtube_touches,
    conversions,
    round(revenue, 2) as revenue,
    round(social_attributed_revenue, 2) as social_attributed_revenue,
    currency
from dim_customers
where key_type in ('email', 'deal', 'user')
order by key_type, match_key
"""


def export_crm_command(args: argparse.Namespace) -> int:
    import duckdb

    from social_roi.spreadsheet_safe import write_csv

    marts = _settings().marts_db
    if not marts.exists():
        print(f"error: no published marts at {marts}: run the pipeline first", file=sys.stderr)
        return 2
    con = duckdb.connect(str(marts), read_only=True)
    try:
        frame = con.execute(CRM_EXPORT_SQL).df()
    finally:
        con.close()
    if args.out:
        write_csv(frame, args.out)
        print(f"wrote {len(frame):,} customers to {args.out}", file=sys.stderr)
    else:
        write_csv(frame, sys.stdout)
    return 0
