"""Benchmark one full ingest of a generated world (every export file of every day) into a fresh work database.

The world (``social-roi generate``) is reused when ``--world`` already holds one, else generated first (timed
separately). The world's inbox is hard-linked (copied if hard links are impossible) into a fresh ``--home`` so
quarantining a file never moves it out of the world. Then:

1. one full ingest with the real ``ingest_inbox`` up to the world's last day. Its summary reports the wall seconds
   of each pass (hashing, parsing in ``parse_many``'s worker processes, raw gate, loading into DuckDB) and, per
   format, files, rows, bytes and parse seconds (each file's reading plus its row share of its batch, measured
   inside the workers, so they add up to worker seconds, not wall); the raw gate's ``run_raw_gate`` is wrapped
   by a timer (removed afterwards) for per-table figures; then a summary of ``raw._files``;
2. a second ingest right after it (everything is already loaded: the idempotency cost);
3. with ``--no-gate``: the same ingest into another fresh home with ``ingest_inbox(raw_gate=False)``;
4. with ``--profile``: the full ingest runs under cProfile (its times include the profiler's overhead) and
   the top 25 entries by cumulative time are printed. cProfile sees only the main process (the parse workers
   show as lock waits), so ``parse_files`` is also profiled in-process on a sample of days.

    .venv/bin/python scripts/bench_ingest_world.py --world /tmp/bench_sf1_world [--no-gate] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

TARGET_S = 60.0
ROOT = Path(__file__).resolve().parent.parent


def _load_avg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cpus)"


def _mb(n: float) -> float:
    return n / 1e6


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# ----------------------------------------------------------------------------------------------------------------
# World and home


def ensure_world(world: Path, scale: float, days: int) -> float | None:
    """Generate the world with the CLI unless ``world`` already holds one; returns the generation seconds."""
    inbox = world / "inbox"
    if (world / "truth" / "world.json").exists() and inbox.is_dir() and any(inbox.iterdir()):
        return None
    cli = Path(sys.executable).with_name("social-roi")
    cmd = [str(cli)] if cli.exists() else [sys.executable, "-m", "social_roi.cli"]
    cmd += ["generate", "--out", str(world), "--scale", str(scale), "--days", str(days)]
    print(f"generating the world: {' '.join(cmd)}   [{_load_avg()}]", flush=True)
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    seconds = time.perf_counter() - started
    print(f"generation took {seconds:.1f} s   [{_load_avg()}]", flush=True)
    return seconds


def link_inbox(src: Path, dst: Path) -> tuple[int, str]:
    """Mirror ``src`` into ``dst`` with hard links (same bytes, same mtime), falling back to copies."""
    mode = "hard links"
    count = 0
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
            mode = "copies"
        count += 1
    return count, mode


def fresh_home(home: Path, world: Path):
    """Wipe ``home``, mirror the world's inbox into it, point the environment at it; returns the Settings."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    started = time.perf_counter()
    count, mode = link_inbox(world / "inbox", home / "inbox")
    print(f"home {home}: mirrored {count} files as {mode} in {time.perf_counter() - started:.1f} s")
    os.environ["SOCIAL_ROI_HOME"] = str(home)
    os.environ["SOCIAL_ROI_INBOX"] = str(home / "inbox")
    from social_roi.config import Settings, write_demo_salt

    if "SOCIAL_ROI_PII_SALT" not in os.environ:
        write_demo_salt(home)  # a benchmark home, like the demo's, gets its own random salt
    settings = Settings.from_env()
    settings.ensure_dirs()
    return settings


# ----------------------------------------------------------------------------------------------------------------
# Timing wrapper (measures only; the wrapped function is called unchanged and restored afterwards)


def install_gate_timer(calls: list):
    """Time every ``run_raw_gate`` call: (table, rows, files in the call, seconds) appended to ``calls``."""
    from social_roi.quality import gate as G

    original = G.run_raw_gate

    def run_gate(frame, *, fmt, file_name, **kw):
        s = time.perf_counter()
        try:
            return original(frame, fmt=fmt, file_name=file_name, **kw)
        finally:
            files = int(file_name.split()[0]) if file_name.endswith(" files") else 1
            calls.append((fmt, len(frame), files, time.perf_counter() - s))

    G.run_raw_gate = run_gate

    def restore():
        G.run_raw_gate = original

    return restore


# ----------------------------------------------------------------------------------------------------------------
# Runs


def _progress(started: float):
    """Print ingest_inbox's own progress lines with the seconds elapsed."""

    def report(message: str) -> None:
        print(f"  [{time.perf_counter() - started:6.1f} s] {message.strip()}", flush=True)

    return report


def timed_ingest(settings, up_to: date, run_id: str, profile: bool, raw_gate: bool = True):
    import duckdb

    from social_roi.ingest.load import ingest_inbox

    calls: list = []
    restore = install_gate_timer(calls)
    profiler = cProfile.Profile() if profile else None
    con = duckdb.connect(str(settings.work_db))
    try:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        summary = ingest_inbox(
            con, settings, up_to=up_to, run_id=run_id, progress=_progress(started), raw_gate=raw_gate
        )
        if profiler:
            profiler.disable()
        total = time.perf_counter() - started
        files = con.execute(
            "select format, status, count(*), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0) "
            "from raw._files group by all order by 1 nulls last, 2"
        ).fetchall()
    finally:
        restore()
        con.close()
    return summary, total, calls, files, profiler


# ----------------------------------------------------------------------------------------------------------------
# Report


def print_formats(summary) -> None:
    print(
        "\nper format (parse s = seconds inside the parse workers, summed: each file's reading plus its row share "
        "of its batch; rows/s and MB/s per worker)"
    )
    print(f"{'format':<26}{'files':>6}{'rows':>12}{'MB':>9}{'parse s':>9}{'ms/file':>8}{'rows/s':>11}{'MB/s':>7}")
    total = {"files": 0, "rows": 0, "bytes": 0, "parse_seconds": 0.0}
    for fmt, f in sorted(summary.formats.items(), key=lambda kv: -kv[1]["parse_seconds"]):
        sec = f["parse_seconds"]
        print(
            f"{fmt:<26}{f['files']:>6}{f['rows']:>12,}{_mb(f['bytes']):>9.1f}{sec:>9.2f}"
            f"{sec / max(f['files'], 1) * 1000:>8.1f}{f['rows'] / sec if sec else 0:>11,.0f}"
            f"{_mb(f['bytes']) / sec if sec else 0:>7.1f}"
        )
        for key in total:
            total[key] += f[key]
    sec = total["parse_seconds"]
    print(
        f"{'all formats':<26}{total['files']:>6}{total['rows']:>12,}{_mb(total['bytes']):>9.1f}{sec:>9.2f}"
        f"{sec / max(total['files'], 1) * 1000:>8.1f}{total['rows'] / sec if sec else 0:>11,.0f}"
        f"{_mb(total['bytes']) / sec if sec else 0:>7.1f}"
    )


def print_gate(calls: list) -> None:
    if not calls:
        return
    per: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0.0, 0])  # calls, rows, files, seconds, single calls
    for table, rows, files, seconds in calls:
        p = per[table]
        p[0] += 1
        p[1] += rows
        p[2] += files
        p[3] += seconds
        p[4] += files == 1
    print(
        "\nraw gate per table (run_raw_gate calls; 'single' = one-file calls, incl. the fall-back after a failed batch)"
    )
    print(f"{'table':<26}{'calls':>6}{'single':>7}{'rows':>12}{'seconds':>9}{'rows/s':>12}")
    for table, (n, rows, _files, seconds, single) in sorted(per.items(), key=lambda kv: -kv[1][3]):
        print(f"{table:<26}{n:>6}{single:>7}{rows:>12,}{seconds:>9.2f}{rows / seconds if seconds else 0:>12,.0f}")
    print(
        f"{'all tables':<26}{len(calls):>6}{sum(p[4] for p in per.values()):>7}"
        f"{sum(p[1] for p in per.values()):>12,}{sum(p[3] for p in per.values()):>9.2f}"
    )


def print_phases(summary, total: float) -> None:
    rows = [
        ("1. list, hash and look up the manifest", summary.seconds.get("hash", 0.0)),
        ("2. parse (worker pool, wall) + quarantine unparseable", summary.seconds.get("parse", 0.0)),
        ("3. raw gate (wall)", summary.seconds.get("gate", 0.0)),
        ("4. quarantine gate failures + load into DuckDB (wall)", summary.seconds.get("load", 0.0)),
    ]
    rows.append(("   other", total - sum(v for _, v in rows)))
    print()
    print(f"{'phase':<56}{'seconds':>9}{'share':>8}")
    for name, seconds in rows:
        print(f"{name:<56}{seconds:>9.2f}{seconds / total if total else 0:>8.0%}")
    print(f"{'TOTAL wall':<56}{total:>9.2f}{1:>8.0%}")
    worker_s = sum(f["parse_seconds"] for f in summary.formats.values())
    if summary.seconds.get("parse"):
        print(
            f"parse seconds inside the workers, summed: {worker_s:.1f} s "
            f"({worker_s / summary.seconds['parse']:.2f}x the parse wall: the parallel speed-up net of pool "
            f"start-up and pickling)"
        )


def print_manifest(files) -> None:
    print("\nraw._files by format and status")
    print(f"{'format':<26}{'status':<22}{'files':>6}{'rows_loaded':>13}{'rejected':>10}")
    by_status: dict[str, int] = defaultdict(int)
    for fmt, status, count, rows, rejected in files:
        print(f"{fmt!s:<26}{status:<22}{count:>6}{rows:>13,}{rejected:>10,}")
        by_status[status] += count
    print("statuses: " + ", ".join(f"{status} {count}" for status, count in sorted(by_status.items())))


def profile_parse_sample(settings, days: int) -> None:
    """cProfile ``parse_files`` in this process on every file of ``days`` export days spread over the world."""
    from social_roi.ingest import parse_files

    folders = sorted(p for p in settings.inbox.iterdir() if p.is_dir())
    step = max(len(folders) // max(days, 1), 1)
    paths = sorted(p for d in folders[::step][:days] for p in d.iterdir() if p.is_file())
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    parse_files(
        paths,
        salt=settings.pii_salt,
        default_phone_country=settings.default_phone_country,
        today=date.fromisoformat(paths[-1].parent.name),
    )
    profiler.disable()
    print(
        f"\nparse_files in-process under cProfile on {len(paths)} files of {days} days: "
        f"{time.perf_counter() - started:.1f} s"
    )
    for key, n in (("cumulative", 25), ("tottime", 15)):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(n)
        print(f"top {n} by {key}:")
        print(out.getvalue())


def gx_import_seconds() -> float | None:
    """Seconds to import the raw gate (Great Expectations) in a fresh process: part of the gate phase above."""
    code = (
        "import time; s = time.perf_counter(); import social_roi.quality.gate, great_expectations; "
        "print(time.perf_counter() - s)"
    )
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        return float(out.stdout.strip().splitlines()[-1])
    except (subprocess.CalledProcessError, ValueError, IndexError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, required=True, help="generated world (generated here if missing)")
    parser.add_argument("--scale", type=float, default=1.0, help="scale when generating (default 1)")
    parser.add_argument("--days", type=int, default=365, help="days when generating (default 365)")
    parser.add_argument("--home", type=Path, default=None, help="SOCIAL_ROI_HOME of the run (wiped; default: temp)")
    parser.add_argument("--no-gate", action="store_true", help="also time an ingest without the raw gate")
    parser.add_argument("--profile", action="store_true", help="cProfile the full ingest (top 25 cumulative)")
    parser.add_argument(
        "--profile-sample",
        type=int,
        default=10,
        help="with --profile: export days parsed in-process under cProfile (default 10)",
    )
    parser.add_argument(
        "--up-to",
        type=date.fromisoformat,
        default=None,
        help="ingest only the exports dated on or before this day (default: the world's last day)",
    )
    args = parser.parse_args(argv)

    print(f"bench_ingest_world   [{_load_avg()}]")
    gen_s = ensure_world(args.world, args.scale, args.days)
    truth = json.loads((args.world / "truth" / "world.json").read_text())
    up_to = args.up_to or date.fromisoformat(truth["end_date"])
    world_bytes = sum(p.stat().st_size for p in (args.world / "inbox").rglob("*") if p.is_file())
    print(
        f"world {args.world}: scale {truth['scale']}, {truth['days']} days {truth['start_date']} .. "
        f"{truth['end_date']}, {truth['files']} files, {_mb(world_bytes):,.0f} MB, {truth['sessions']:,} sessions, "
        f"{truth['orders']:,} orders, {truth['posts']:,} posts"
        + (f"; generated in {gen_s:.1f} s" if gen_s is not None else " (reused)")
    )

    tmp = None
    home = args.home
    if home is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_ingest_world_")
        home = Path(tmp.name) / "home"
    try:
        settings = fresh_home(home, args.world)
        _ = settings.pii_salt  # written once before timing, as a real home already has it

        # -- 1. full ingest
        print(
            f"\n== full ingest up to {up_to}{' (under cProfile)' if args.profile else ''}   [{_load_avg()}]", flush=True
        )
        rss0 = _peak_rss_mb()
        summary, total, calls, files, profiler = timed_ingest(settings, up_to, "bench-1", args.profile)
        load_after = _load_avg()
        print("\n".join(summary.lines()[:12]))
        print_formats(summary)
        print_gate(calls)
        print_phases(summary, total)
        gx_s = gx_import_seconds()
        if gx_s is not None:
            print(f"(the raw gate phase includes importing Great Expectations: {gx_s:.1f} s in a fresh process)")
        db_mb = _mb(settings.work_db.stat().st_size)
        wal = settings.work_db.with_name(settings.work_db.name + ".wal")
        print(
            f"work.duckdb {db_mb:,.0f} MB{f' (+ wal {_mb(wal.stat().st_size):,.0f} MB)' if wal.exists() else ''}; "
            f"peak RSS of this process {_peak_rss_mb():,.0f} MB (before the ingest {rss0:,.0f} MB)"
        )
        verdict = "UNDER" if total < TARGET_S else "OVER"
        print(
            f"TOTAL {total:.1f} s wall for {len(summary.files)} files, {summary.rows_loaded:,} rows "
            f"({summary.rows_loaded / total:,.0f} rows/s) — {verdict} the {TARGET_S:.0f} s target   [{load_after}]"
        )
        print_manifest(files)

        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print("\ncProfile of the ingest (main process only), top 25 by cumulative time:")
            print(out.getvalue())
            profile_parse_sample(settings, args.profile_sample)

        # -- 2. second ingest: everything already loaded
        print(f"\n== second ingest (everything already loaded)   [{_load_avg()}]", flush=True)
        summary2, total2, _, files2, _ = timed_ingest(settings, up_to, "bench-2", False)
        print("\n".join(summary2.lines()[:5]))
        print(
            f"second ingest: {total2:.2f} s wall (hashing and manifest look-ups "
            f"{summary2.seconds.get('hash', 0.0):.2f} s, parsed {sum(f['files'] for f in summary2.formats.values())} "
            f"files); manifest rows {sum(r[2] for r in files)} -> {sum(r[2] for r in files2)}   [{_load_avg()}]"
        )

        # -- 3. without the raw gate
        if args.no_gate:
            print(f"\n== full ingest without the raw gate (fresh home)   [{_load_avg()}]", flush=True)
            settings = fresh_home(home, args.world)
            _ = settings.pii_salt
            summary3, total3, _, _, _ = timed_ingest(settings, up_to, "bench-nogate", False, raw_gate=False)
            print("\n".join(summary3.lines()[:5]))
            print(
                f"without the gate: TOTAL {total3:.2f} s (with the gate {total:.2f} s, of which gate "
                f"{summary.seconds.get('gate', 0.0):.2f} s)   [{_load_avg()}]"
            )
    finally:
        if tmp is not None:
            tmp.cleanup()
        else:
            print(f"home kept in {home} (wiped again on the next run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
