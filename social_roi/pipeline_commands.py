"""Pipeline commands: `run` (real Airflow runs of social_roi_daily), `demo`, `rebuild` (recover the work
database from the inbox), `up`/`down` (the Airflow scheduler components), and `roi` (print the ROI table).

`run`, `demo` and `rebuild` hold the home's run lock (social_roi.lock) for their whole duration and refuse at once
when another run holds it."""

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

    rebuild = subparsers.add_parser(
        "rebuild",
        help="recreate the work database from the exports kept in the inbox and republish the latest day",
        description="Moves the work database aside (warehouse/broken/), then runs the daily DAG for the day the "
        "published marts hold (or the latest day of the inbox): it ingests every kept export again, rebuilds, "
        "gates and republishes. Needs the same PII salt as before.",
    )
    rebuild.add_argument(
        "--day",
        type=date.fromisoformat,
        default=None,
        help="day to rebuild and publish (default: the published day, else the inbox's latest)",
    )
    rebuild.set_defaults(func=rebuild_command)

    up = subparsers.add_parser("up", help="start the Airflow api-server, scheduler, dag-processor and triggerer")
    up.add_argument(
        "--port",
        type=int,
        default=None,
        help="api-server port on 127.0.0.1 (default $SOCIAL_ROI_AIRFLOW_PORT, else 8080)",
    )
    up.set_defaults(func=up_command)
    down = subparsers.add_parser("down", help="stop the Airflow components started by `up`")
    down.set_defaults(func=down_command)

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


EXIT_CONFIG = 2  # a setting is missing or unsafe: nothing was run
EXIT_BROKEN_PIPE = 141  # the reader of standard output went away (128 + SIGPIPE, as shell tools exit)

# Warnings of libraries about their own internals (not about this product's calls): kept out of the output.
_LIBRARY_WARNINGS = (
    r"Using `httpx` with `starlette\.testclient` is deprecated",  # Airflow's in-process execution API (dag.test)
)


def _quiet_library_warnings() -> None:
    import warnings

    for message in _LIBRARY_WARNINGS:
        warnings.filterwarnings("ignore", message=message)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _config_error(exc: Exception) -> int:
    _stderr(f"error: {exc}")
    return EXIT_CONFIG


def _stdout_closed() -> int:
    """The reader of our output stopped (``| head``): end quietly, without a traceback at exit."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


def _settings():
    from social_roi.config import Settings

    return Settings.from_env()


def _command_line() -> str:
    return "social-roi " + " ".join(sys.argv[1:]) if sys.argv and sys.argv[0] else "social-roi"


def run_command(args: argparse.Namespace) -> int:
    from social_roi.config import ConfigError

    if args.days < 0:
        _stderr(f"error: --days must be 0 or more, not {args.days}")
        return 2
    if args.days == 0:
        _stderr("nothing to run: --days 0 asks for no day (give --days 1 or more); nothing was published")
        return 0
    settings = _settings()
    try:
        settings.check()
    except ConfigError as exc:
        return _config_error(exc)
    _quiet_library_warnings()
    from social_roi.airflow_runner import ScheduledRunInProgress, day_range, run_days
    from social_roi.lock import RunLocked, run_lock

    days = day_range(args.end, args.days)
    try:
        with run_lock(settings.home, _command_line(), days[-1] if len(days) == 1 else f"{days[0]}..{days[-1]}"):
            results = run_days(settings, days)
    except (RunLocked, ScheduledRunInProgress) as busy:
        _stderr(f"error: {busy}")
        return 3
    failed = [r for r in results if "success" not in r[1]]
    if failed:
        _stderr(f"{len(failed)} of {len(results)} run(s) failed: " + ", ".join(f"{d} ({s})" for d, s, _ in failed))
    return 1 if failed else 0


def _reading_settings():
    from social_roi.config import Settings

    return Settings.for_reading(say=_stderr)


def _published_day(marts_db: Path) -> date | None:
    import duckdb

    if not marts_db.exists():
        return None
    try:
        con = duckdb.connect(str(marts_db), read_only=True)
        try:
            return con.execute("select run_date from _publication").fetchall()[0][0]
        finally:
            con.close()
    except duckdb.Error:
        return None


def _latest_inbox_day(inbox: Path) -> date | None:
    days = []
    for folder in inbox.iterdir() if inbox.exists() else []:
        try:
            days.append(date.fromisoformat(folder.name))
        except ValueError:
            continue
    return max(days) if days else None


def rebuild_command(args: argparse.Namespace) -> int:
    from social_roi.airflow_runner import ScheduledRunInProgress, prepare, run_days, settle_other_runs
    from social_roi.config import ConfigError
    from social_roi.lock import RunLocked, run_lock

    settings = _settings()
    try:
        settings.check()
    except ConfigError as exc:
        return _config_error(exc)
    day = args.day or _published_day(settings.marts_db) or _latest_inbox_day(settings.inbox)
    if day is None:
        print(
            f"error: nothing to rebuild from: no published marts at {settings.marts_db} and no dated folder "
            f"(YYYY-MM-DD) in the inbox {settings.inbox}",
            file=sys.stderr,
        )
        return 2
    try:
        with run_lock(settings.home, _command_line(), day):
            prepare(settings)
            settle_other_runs()  # before anything is moved: refuses while a scheduled run is in progress
            broken = settings.warehouse / "broken"
            stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
            moved = []
            for path in (settings.work_db, settings.work_db.with_name(settings.work_db.name + ".wal")):
                if path.exists():
                    broken.mkdir(parents=True, exist_ok=True)
                    target = broken / f"{path.name}.{stamp}"
                    path.rename(target)
                    moved.append(target)
            for target in moved:
                print(f"rebuild: moved the old work database aside to {target}")
            print(
                f"rebuild: ingesting every export of {settings.inbox} up to {day} again, then building, "
                f"gating and publishing {day}"
            )
            results = run_days(settings, [day])
    except (RunLocked, ScheduledRunInProgress) as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 3
    if any("success" not in r[1] for r in results):
        print(f"rebuild: the run for {day} failed; the published marts are unchanged", file=sys.stderr)
        return 1
    print(f"rebuild: done, {day} republished to {settings.marts_db}")
    return 0


def up_command(args: argparse.Namespace) -> int:
    from social_roi import scheduler

    return scheduler.up(_settings(), port=args.port)


def down_command(args: argparse.Namespace) -> int:
    from social_roi import scheduler

    return scheduler.down(_settings())


def roi_command(args: argparse.Namespace) -> int:
    from social_roi.config import ConfigError
    from social_roi.report.roi import format_roi_table, roi_table

    try:
        table = roi_table(_reading_settings().marts_db)
    except ConfigError as exc:
        return _config_error(exc)
    try:
        print(format_roi_table(table), flush=True)
    except BrokenPipeError:
        return _stdout_closed()
    return 0


def demo_command(args: argparse.Namespace) -> int:
    import os

    from social_roi.config import ConfigError, Settings, check_salt
    from social_roi.lock import LOCK_NAME, RunLocked, run_lock
    from social_roi.scheduler import running_components

    if os.environ.get("SOCIAL_ROI_PII_SALT") is not None:
        try:
            check_salt(os.environ["SOCIAL_ROI_PII_SALT"])
        except ConfigError as exc:
            return _config_error(exc)
    home = args.home.resolve()
    running = running_components(Settings(home=home, inbox=home / "inbox"))
    if running:
        print(f"error: the Airflow components of {home} are running ({', '.join(running)}); the demo wipes its "
              "folder first: stop them with `social-roi down` (SOCIAL_ROI_HOME set to it) or choose another --home",
              file=sys.stderr)  # fmt: skip
        return 3
    try:
        with run_lock(home, _command_line()):
            for entry in home.iterdir():  # the demo folder is wiped first, all but the lock being held
                if entry.name != LOCK_NAME:
                    shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
            return _demo(args, home)
    except RunLocked as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 3


def _demo(args: argparse.Namespace, home: Path) -> int:
    import os

    from social_roi.config import Settings, write_demo_salt

    started = time.perf_counter()
    given_salt = os.environ.get("SOCIAL_ROI_PII_SALT")  # checked by demo_command before anything is wiped
    os.environ["SOCIAL_ROI_HOME"] = str(home)
    os.environ.pop("SOCIAL_ROI_INBOX", None)
    if given_salt is None:
        write_demo_salt(home)  # a demo home gets its own random salt, kept in the home
    _quiet_library_warnings()

    from social_roi.airflow_runner import day_range, run_days
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
        _stderr(f"demo: {len(failed)} run(s) failed: " + ", ".join(f"{d} ({s})" for d, s, _ in failed))
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

    from social_roi.config import ConfigError
    from social_roi.spreadsheet_safe import write_csv

    try:
        marts = _reading_settings().marts_db
    except ConfigError as exc:
        return _config_error(exc)
    if not marts.exists():
        return _config_error(f"no published marts at {marts}: run the pipeline for this home first")
    con = duckdb.connect(str(marts), read_only=True)
    try:
        frame = con.execute(CRM_EXPORT_SQL).df()
    finally:
        con.close()
    if args.out:
        try:
            write_csv(frame, args.out)
        except OSError as exc:
            return _config_error(f"{args.out}: cannot write the export: {exc.strerror or exc}")
        print(f"wrote {len(frame):,} customers to {args.out}", file=sys.stderr)
        return 0
    try:
        write_csv(frame, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        return _stdout_closed()
    return 0
