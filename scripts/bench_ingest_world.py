"""Benchmark one full ingest of a generated world (every export file of every day) into a fresh work database.

The world (``social-roi generate``) is reused when ``--world`` already holds one, else generated first (timed
separately). The world's inbox is hard-linked (copied if hard links are impossible) into a fresh ``--home`` so
quarantining a file never moves it out of the world. Then:

1. one full ingest with the real ``ingest_inbox`` up to the world's last day, timed per phase (hashing, parsing,
   raw gate, loading into DuckDB) by thin timing wrappers around the functions it calls (they only measure;
   they are removed afterwards), with per-format parse/load figures and a summary of ``raw._files``. Parsing
   runs in ``parse_many``'s worker processes: the wrapper of ``_parse_one`` (a top-level function of this
   script, so the spawned workers can import it) times each file inside its worker and sends the seconds back
   on the result; per-format parse seconds are therefore worker seconds, summed over the parallel workers;
2. a second ingest right after it (everything is already loaded: the idempotency cost);
3. with ``--no-gate``: the same ingest into another fresh home with ``ingest_inbox(raw_gate=False)``;
4. with ``--profile``: the full ingest runs under cProfile (its times include the profiler's overhead) and
   the top 25 entries by cumulative time are printed. cProfile sees only the main process (the parse workers
   show as lock waits), so ``parse_file`` is also profiled in-process on a sample of files of every format.

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
    from social_roi.config import Settings

    settings = Settings.from_env()
    settings.ensure_dirs()
    return settings


# ----------------------------------------------------------------------------------------------------------------
# Timing wrappers (measure only; every wrapped function is called unchanged and restored afterwards)


class Timings:
    def __init__(self) -> None:
        self.hash_s = 0.0
        self.hash_files = 0
        self.known_s = 0.0
        self.parse_many_s = 0.0  # wall of parse_many (the worker pool included)
        self.parse_files = 0
        self.parse_fail_s = 0.0  # worker seconds of files that did not parse
        self.quarantine_p1_s = 0.0  # unparseable files (pass 1)
        self.quarantine_p3_s = 0.0  # gate failures (pass 3)
        self.gate_start: float | None = None
        self.gate_end: float | None = None
        self.load_s = 0.0
        self.by_format: dict[str, dict] = defaultdict(lambda: {"files": 0, "rows": 0, "bytes": 0, "parse_s": 0.0,
                                                               "load_s": 0.0, "loaded": 0})
        self.workers = 1
        self.gate_calls: list[tuple[str, int, int, float]] = []  # table, rows, files in the call, seconds


_BENCH_SECONDS = "_bench_parse_seconds"


def timed_parse_one(path, salt, phone_country):
    """``load._parse_one`` timed where it runs (in a worker); the seconds ride back on the ParseResult."""
    from social_roi.ingest import load as L

    started = time.perf_counter()
    result, problems = _ORIGINAL_PARSE_ONE.get("fn", L._parse_one)(path, salt, phone_country)
    seconds = time.perf_counter() - started
    if result is not None:
        setattr(result, _BENCH_SECONDS, seconds)
    else:
        problems = list(problems) + [_Seconds(seconds)]
    return result, problems


class _Seconds(float):
    """Worker seconds of a file that did not parse (appended to its problems, removed again in the parent)."""


_ORIGINAL_PARSE_ONE: dict = {}


def install_timers(t: Timings):
    """Wrap the functions ``ingest_inbox`` looks up in its module (and the gate's ``run_raw_gate``)."""
    from social_roi.ingest import load as L
    from social_roi.quality import gate as G

    originals = {(L, "_sha256"): L._sha256, (L, "_parse_one"): L._parse_one, (L, "parse_many"): L.parse_many,
                 (L, "_known_outcome"): L._known_outcome, (L, "raw_gate_batch"): L.raw_gate_batch,
                 (L, "load_parsed"): L.load_parsed, (L, "quarantine"): L.quarantine,
                 (G, "run_raw_gate"): G.run_raw_gate}
    o = {name: fn for (_, name), fn in originals.items()}

    def sha(path):
        s = time.perf_counter()
        try:
            return o["_sha256"](path)
        finally:
            t.hash_s += time.perf_counter() - s
            t.hash_files += 1

    def known(*a, **k):
        s = time.perf_counter()
        try:
            return o["_known_outcome"](*a, **k)
        finally:
            t.known_s += time.perf_counter() - s

    def parse_many(paths, settings, workers=None):
        t.workers = (workers or min(os.cpu_count() or 1, 4)) if len(paths) >= L.PARALLEL_MIN_FILES else 1
        s = time.perf_counter()
        results = o["parse_many"](paths, settings, workers)
        t.parse_many_s += time.perf_counter() - s
        out = []
        for path, (result, problems) in zip(paths, results):
            size = Path(path).stat().st_size
            t.parse_files += 1
            if result is not None:
                seconds = result.__dict__.pop(_BENCH_SECONDS, 0.0)
                f = t.by_format[result.format]
                f["rows"] += sum(len(x) for x in result.tables.values())
            else:
                seconds = sum(p for p in problems if isinstance(p, _Seconds))
                problems = [p for p in problems if not isinstance(p, _Seconds)]
                t.parse_fail_s += seconds
                f = t.by_format["(unparseable)"]
            f["files"] += 1
            f["bytes"] += size
            f["parse_s"] += seconds
            out.append((result, problems))
        return out

    def gate_batch(*a, **k):
        t.gate_start = time.perf_counter()
        try:
            return o["raw_gate_batch"](*a, **k)
        finally:
            t.gate_end = time.perf_counter()

    def run_gate(frame, *, fmt, file_name, **kw):
        s = time.perf_counter()
        try:
            return o["run_raw_gate"](frame, fmt=fmt, file_name=file_name, **kw)
        finally:
            files = int(file_name.split()[0]) if file_name.endswith(" files") else 1
            t.gate_calls.append((fmt, len(frame), files, time.perf_counter() - s))

    def load(con, rel, digest, export_date, result, run_id, known_):
        s = time.perf_counter()
        try:
            return o["load_parsed"](con, rel, digest, export_date, result, run_id, known_)
        finally:
            dt = time.perf_counter() - s
            t.load_s += dt
            t.by_format[result.format]["load_s"] += dt
            t.by_format[result.format]["loaded"] += 1

    def quar(*a, **k):
        s = time.perf_counter()
        try:
            return o["quarantine"](*a, **k)
        finally:
            if t.gate_start is None:
                t.quarantine_p1_s += time.perf_counter() - s
            else:
                t.quarantine_p3_s += time.perf_counter() - s

    _ORIGINAL_PARSE_ONE["fn"] = o["_parse_one"]
    L._sha256, L._parse_one, L.parse_many, L._known_outcome = sha, timed_parse_one, parse_many, known
    L.raw_gate_batch, L.load_parsed, L.quarantine = gate_batch, load, quar
    G.run_raw_gate = run_gate

    def restore():
        for (module, name), fn in originals.items():
            setattr(module, name, fn)

    return restore


# ----------------------------------------------------------------------------------------------------------------
# Runs


def _progress(started: float):
    """Print ingest_inbox's own progress lines with the seconds elapsed."""

    def report(message: str) -> None:
        print(f"  [{time.perf_counter() - started:6.1f} s] {message.strip()}", flush=True)

    return report


def timed_ingest(settings, up_to: date, run_id: str, profile: bool):
    import duckdb

    from social_roi.ingest.load import ingest_inbox

    t = Timings()
    restore = install_timers(t)
    profiler = cProfile.Profile() if profile else None
    con = duckdb.connect(str(settings.work_db))
    try:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        summary = ingest_inbox(con, settings, up_to=up_to, run_id=run_id, progress=_progress(started))
        if profiler:
            profiler.disable()
        ended = time.perf_counter()
        files = con.execute(
            "select format, status, count(*), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0) "
            "from raw._files group by all order by 1 nulls last, 2").fetchall()
    finally:
        restore()
        con.close()
    return summary, t, started, ended, files, profiler


def ingest_without_gate(settings, up_to: date, run_id: str):
    """The real ``ingest_inbox`` with its raw gate switched off (every parsed file is loaded)."""
    import duckdb

    from social_roi.ingest.load import ingest_inbox

    con = duckdb.connect(str(settings.work_db))
    try:
        started = time.perf_counter()
        summary = ingest_inbox(con, settings, up_to=up_to, run_id=run_id, progress=_progress(started),
                               raw_gate=False)
        total = time.perf_counter() - started
    finally:
        con.close()
    return summary, total


# ----------------------------------------------------------------------------------------------------------------
# Report


def print_formats(t: Timings) -> None:
    print("\nper format (parse s = seconds inside the parse workers, summed; rows/s per worker; load s = load_parsed)")
    print(f"{'format':<26}{'files':>6}{'rows':>12}{'MB':>9}{'parse s':>9}{'ms/file':>8}{'rows/s':>10}{'MB/s':>7}"
          f"{'load s':>8}{'ms/file':>8}")
    total = {"files": 0, "rows": 0, "bytes": 0, "parse_s": 0.0, "load_s": 0.0, "loaded": 0}
    for fmt, f in sorted(t.by_format.items(), key=lambda kv: -kv[1]["parse_s"]):
        rate = f["rows"] / f["parse_s"] if f["parse_s"] else 0.0
        mbs = _mb(f["bytes"]) / f["parse_s"] if f["parse_s"] else 0.0
        print(f"{fmt:<26}{f['files']:>6}{f['rows']:>12,}{_mb(f['bytes']):>9.1f}{f['parse_s']:>9.2f}"
              f"{f['parse_s'] / max(f['files'], 1) * 1000:>8.0f}{rate:>10,.0f}{mbs:>7.1f}{f['load_s']:>8.2f}"
              f"{f['load_s'] / max(f['loaded'], 1) * 1000:>8.0f}")
        for key in total:
            total[key] += f[key]
    rate = total["rows"] / total["parse_s"] if total["parse_s"] else 0.0
    print(f"{'all formats':<26}{total['files']:>6}{total['rows']:>12,}{_mb(total['bytes']):>9.1f}"
          f"{total['parse_s']:>9.2f}{total['parse_s'] / max(total['files'], 1) * 1000:>8.0f}{rate:>10,.0f}"
          f"{_mb(total['bytes']) / max(total['parse_s'], 1e-9):>7.1f}{total['load_s']:>8.2f}"
          f"{total['load_s'] / max(total['loaded'], 1) * 1000:>8.0f}")


def print_gate(t: Timings) -> None:
    if not t.gate_calls:
        return
    per: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0.0, 0])  # calls, rows, files, seconds, single calls
    for table, rows, files, seconds in t.gate_calls:
        p = per[table]
        p[0] += 1
        p[1] += rows
        p[2] += files
        p[3] += seconds
        p[4] += files == 1
    print("\nraw gate per table (run_raw_gate calls; 'single' = one-file calls, incl. the fall-back after a "
          "failed batch)")
    print(f"{'table':<26}{'calls':>6}{'single':>7}{'rows':>12}{'seconds':>9}{'rows/s':>12}")
    for table, (calls, rows, _files, seconds, single) in sorted(per.items(), key=lambda kv: -kv[1][3]):
        print(f"{table:<26}{calls:>6}{single:>7}{rows:>12,}{seconds:>9.2f}{rows / seconds if seconds else 0:>12,.0f}")
    print(f"{'all tables':<26}{len(t.gate_calls):>6}{sum(p[4] for p in per.values()):>7}"
          f"{sum(p[1] for p in per.values()):>12,}{sum(p[3] for p in per.values()):>9.2f}")


def print_phases(t: Timings, started: float, ended: float) -> dict:
    total = ended - started
    gate_s = (t.gate_end - t.gate_start) if t.gate_start is not None else 0.0
    pass1 = (t.gate_start if t.gate_start is not None else ended) - started
    pass3 = ended - (t.gate_end if t.gate_end is not None else ended)
    worker_s = sum(f["parse_s"] for f in t.by_format.values())
    rows = [
        ("1. hash + parse (pass 1, wall)", pass1),
        ("     hashing (sha256)", t.hash_s),
        ("     manifest look-ups (_known_outcome)", t.known_s),
        (f"     parse_many wall ({t.parse_files} files, {t.workers} worker(s))", t.parse_many_s),
        ("     quarantine of unparseable files", t.quarantine_p1_s),
        ("     other (listing, manifest read)", pass1 - t.hash_s - t.known_s - t.parse_many_s - t.quarantine_p1_s),
        ("2. raw gate (raw_gate_batch, wall)", gate_s),
        ("3. load into DuckDB (pass 3, wall)", pass3),
        ("     load_parsed", t.load_s),
        ("     quarantine of gate failures", t.quarantine_p3_s),
    ]
    print()
    print(f"{'phase':<48}{'seconds':>9}{'share':>8}")
    for name, seconds in rows:
        print(f"{name:<48}{seconds:>9.2f}{seconds / total if total else 0:>8.0%}")
    print(f"{'TOTAL wall':<48}{total:>9.2f}{1:>8.0%}")
    if t.parse_files:
        print(f"parse seconds inside the workers, summed: {worker_s:.1f} s for {t.parse_files} files "
              f"({worker_s / t.parse_files * 1000:.0f} ms a file; {worker_s / max(t.parse_many_s, 1e-9):.2f}x the "
              f"parse_many wall, i.e. the parallel speed-up incl. pool start-up and pickling; "
              f"unparseable files {t.parse_fail_s:.1f} s)")
    return {"total": total, "pass1": pass1, "gate": gate_s, "load": pass3}


def print_manifest(files) -> None:
    print("\nraw._files by format and status")
    print(f"{'format':<26}{'status':<22}{'files':>6}{'rows_loaded':>13}{'rejected':>10}")
    by_status: dict[str, int] = defaultdict(int)
    for fmt, status, count, rows, rejected in files:
        print(f"{fmt!s:<26}{status:<22}{count:>6}{rows:>13,}{rejected:>10,}")
        by_status[status] += count
    print("statuses: " + ", ".join(f"{status} {count}" for status, count in sorted(by_status.items())))


def profile_parse_sample(settings, per_format: int) -> None:
    """cProfile ``parse_file`` in this process on ``per_format`` loaded files of each format, spread over the days."""
    import duckdb

    from social_roi.ingest import parse_file

    con = duckdb.connect(str(settings.work_db), read_only=True)
    try:
        rows = con.execute("select format, file_path from raw._files where status in ('loaded', "
                           "'loaded_with_rejects') order by format, export_date, file_path").fetchall()
    finally:
        con.close()
    by_format: dict[str, list[str]] = defaultdict(list)
    for fmt, rel in rows:
        by_format[fmt].append(rel)
    sample = []
    for fmt, rels in sorted(by_format.items()):
        step = max(len(rels) // per_format, 1)
        sample += [(fmt, rel) for rel in rels[::step][:per_format]]
    salt, phone = settings.pii_salt, settings.default_phone_country
    parse_file(settings.inbox / sample[0][1], salt=salt, default_phone_country=phone)  # imports out of the way
    profiler = cProfile.Profile()
    seconds: dict[str, list[float]] = defaultdict(list)
    for fmt, rel in sample:
        started = time.perf_counter()
        profiler.enable()
        parse_file(settings.inbox / rel, salt=salt, default_phone_country=phone)
        profiler.disable()
        seconds[fmt].append(time.perf_counter() - started)
    print(f"\nparse_file in-process under cProfile on {len(sample)} files ({per_format} per format):")
    print("  ms per file: " + ", ".join(f"{fmt} {sum(v) / len(v) * 1000:.0f}"
                                       for fmt, v in sorted(seconds.items(), key=lambda kv: -sum(kv[1]))))
    for key, n in (("cumulative", 25), ("tottime", 15)):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(n)
        print(f"top {n} by {key}:")
        print(out.getvalue())


def gx_import_seconds() -> float | None:
    """Seconds to import the raw gate (Great Expectations) in a fresh process: part of the gate phase above."""
    code = ("import time; s = time.perf_counter(); import social_roi.quality.gate, great_expectations; "
            "print(time.perf_counter() - s)")
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
    parser.add_argument("--profile-sample", type=int, default=10,
                        help="with --profile: files of each format parsed in-process under cProfile (default 10)")
    parser.add_argument("--up-to", type=date.fromisoformat, default=None,
                        help="ingest only the exports dated on or before this day (default: the world's last day)")
    args = parser.parse_args(argv)

    print(f"bench_ingest_world   [{_load_avg()}]")
    gen_s = ensure_world(args.world, args.scale, args.days)
    truth = json.loads((args.world / "truth" / "world.json").read_text())
    up_to = args.up_to or date.fromisoformat(truth["end_date"])
    world_bytes = sum(p.stat().st_size for p in (args.world / "inbox").rglob("*") if p.is_file())
    print(f"world {args.world}: scale {truth['scale']}, {truth['days']} days {truth['start_date']} .. "
          f"{truth['end_date']}, {truth['files']} files, {_mb(world_bytes):,.0f} MB, {truth['sessions']:,} sessions, "
          f"{truth['orders']:,} orders, {truth['posts']:,} posts"
          + (f"; generated in {gen_s:.1f} s" if gen_s is not None else " (reused)"))

    tmp = None
    home = args.home
    if home is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_ingest_world_")
        home = Path(tmp.name) / "home"
    try:
        settings = fresh_home(home, args.world)
        _ = settings.pii_salt  # written once before timing, as a real home already has it

        # -- 1. full ingest
        print(f"\n== full ingest up to {up_to}{' (under cProfile)' if args.profile else ''}   [{_load_avg()}]",
              flush=True)
        rss0 = _peak_rss_mb()
        summary, t, started, ended, files, profiler = timed_ingest(settings, up_to, "bench-1", args.profile)
        load_after = _load_avg()
        print("\n".join(summary.lines()[:12]))
        print_formats(t)
        print_gate(t)
        phases = print_phases(t, started, ended)
        gx_s = gx_import_seconds()
        if gx_s is not None:
            print(f"(the raw gate phase includes importing Great Expectations: {gx_s:.1f} s in a fresh process)")
        db_mb = _mb(settings.work_db.stat().st_size)
        wal = settings.work_db.with_name(settings.work_db.name + ".wal")
        print(f"work.duckdb {db_mb:,.0f} MB{f' (+ wal {_mb(wal.stat().st_size):,.0f} MB)' if wal.exists() else ''}; "
              f"peak RSS {_peak_rss_mb():,.0f} MB (before the ingest {rss0:,.0f} MB)")
        verdict = "UNDER" if phases["total"] < TARGET_S else "OVER"
        print(f"TOTAL {phases['total']:.1f} s wall for {len(summary.files)} files — {verdict} the {TARGET_S:.0f} s "
              f"target   [{load_after}]")
        print_manifest(files)

        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print("\ncProfile of the ingest (main process only), top 25 by cumulative time:")
            print(out.getvalue())
            profile_parse_sample(settings, args.profile_sample)

        # -- 2. second ingest: everything already loaded
        print(f"\n== second ingest (everything already loaded)   [{_load_avg()}]", flush=True)
        summary2, t2, s2, e2, files2, _ = timed_ingest(settings, up_to, "bench-2", False)
        print("\n".join(summary2.lines()[:5]))
        print(f"second ingest: {e2 - s2:.2f} s wall (hashing {t2.hash_s:.2f} s of {t2.hash_files} files, "
              f"manifest look-ups {t2.known_s:.2f} s, parsed {sum(f['files'] for f in t2.by_format.values())} "
              f"files); manifest rows {sum(r[2] for r in files)} -> {sum(r[2] for r in files2)}   [{_load_avg()}]")

        # -- 3. without the raw gate
        if args.no_gate:
            print(f"\n== full ingest without the raw gate (fresh home)   [{_load_avg()}]", flush=True)
            settings = fresh_home(home, args.world)
            _ = settings.pii_salt
            summary3, total3 = ingest_without_gate(settings, up_to, "bench-nogate")
            print("\n".join(summary3.lines()[:5]))
            print(f"without the gate: TOTAL {total3:.2f} s "
                  f"(with the gate {phases['total']:.2f} s, of which gate {phases['gate']:.2f} s)   [{_load_avg()}]")
    finally:
        if tmp is not None:
            tmp.cleanup()
        else:
            print(f"home kept in {home} (wiped again on the next run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
