"""Benchmark the raw gate on the full-world batches, one per table, as ``raw_gate_batch`` builds them.

Every file of a generated world's inbox (``social-roi generate``; default /tmp/bench_sf1_world) is parsed once
with the ingest's own ``parse_many`` (spread over the CPUs), the frames of each table are concatenated with a
``_batch_file`` column exactly as ``social_roi.ingest.load.raw_gate_batch`` does, and the batches are cached as
parquet files under ``--cache`` (default /tmp/rawgate_bench) so reruns skip parsing.

The timing runs in a fresh Python process (so "cold" includes importing and initialising Great Expectations):
``run_raw_gate`` is called once per table, largest first (cold: the first call of the process, GX import
included, then each table's first call), then ``--repeat`` more times (warm, best of). Prints seconds per table
and the totals, and how long importing GX alone takes in another fresh process (from the bytecode ``make``
compiles into the virtualenv). ``--profile`` prints the top cProfile entries of one warm run
of the largest table (``--profile-table`` picks another).

    .venv/bin/python scripts/bench_raw_gate.py [--world /tmp/bench_sf1_world] [--rebuild] [--repeat 2]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 8.0


def build_cache(world: Path, cache: Path, workers: int) -> None:
    from types import SimpleNamespace

    import pandas as pd

    from social_roi.ingest.load import candidate_files, parse_many

    inbox = world / "inbox"
    days = sorted(p.name for p in inbox.iterdir() if p.is_dir())
    up_to = date.fromisoformat(days[-1])
    files = candidate_files(inbox, up_to)
    print(f"parsing {len(files)} files of {inbox} (up to {up_to}) with {workers} workers ...", flush=True)
    started = time.perf_counter()
    settings = SimpleNamespace(pii_salt="bench", default_phone_country="1")
    results = parse_many(files, settings, workers=workers, today=up_to)
    parsed = [(str(p), r.tables if r is not None else None) for p, (r, _) in zip(files, results)]
    print(f"  parsed in {time.perf_counter() - started:.1f} s", flush=True)
    by_table: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    rejected = 0
    for path, tables in parsed:
        if tables is None:
            rejected += 1
            continue
        rel = str(Path(path).relative_to(inbox))
        for table, frame in tables.items():
            by_table.setdefault(table, []).append((rel, frame))
    cache.mkdir(parents=True, exist_ok=True)
    manifest = {
        "world": str(world),
        "up_to": up_to.isoformat(),
        "files": len(files),
        "rejected": rejected,
        "tables": {},
    }
    for table, items in sorted(by_table.items()):
        # exactly raw_gate_batch's batch (single-file tables are validated as they are)
        if len(items) > 1:
            frames = [frame.assign(_batch_file=rel) for rel, frame in items if len(frame)]
            combined = pd.concat(frames, ignore_index=True) if frames else items[0][1]
        else:
            combined = items[0][1]
        combined.to_parquet(cache / f"{table}.parquet")
        back = pd.read_parquet(cache / f"{table}.parquet")
        if not back.dtypes.equals(combined.dtypes):  # parquet does not keep every pandas dtype: pickle instead
            (cache / f"{table}.parquet").unlink()
            combined.to_pickle(cache / f"{table}.pkl")
        manifest["tables"][table] = {"files": len(items), "rows": len(combined), "columns": len(combined.columns)}
        print(f"  {table:<28} {len(items):>5} files {len(combined):>9} rows {len(combined.columns):>3} columns")
    (cache / "manifest.json").write_text(json.dumps(manifest, indent=2))


def load_batches(cache: Path):
    import pandas as pd

    manifest = json.loads((cache / "manifest.json").read_text())
    batches = {}
    for table in manifest["tables"]:
        pq, pkl = cache / f"{table}.parquet", cache / f"{table}.pkl"
        batches[table] = pd.read_parquet(pq) if pq.exists() else pd.read_pickle(pkl)
    return manifest, batches


def timed_run(cache: Path, repeat: int, profile_table: str | None, top: int) -> dict:
    """In this (fresh) process: cold and warm ``run_raw_gate`` seconds per table."""
    manifest, batches = load_batches(cache)
    today = date.fromisoformat(manifest["up_to"])
    order = sorted(batches, key=lambda t: -len(batches[t]))
    started = time.perf_counter()
    from social_roi.quality.gate import run_raw_gate

    import_s = time.perf_counter() - started

    def run(table):
        items = manifest["tables"][table]["files"]
        t0 = time.perf_counter()
        outcomes = run_raw_gate(batches[table], fmt=table, file_name=f"{items} files", run_id="bench", today=today)
        return time.perf_counter() - t0, outcomes

    report: dict = {"import_s": import_s, "tables": {}}
    for table in order:
        seconds, outcomes = run(table)
        failed = [o.line() for o in outcomes if not o.success]
        report["tables"][table] = {
            "rows": len(batches[table]),
            "columns": len(batches[table].columns),
            "cold": seconds,
            "warm": [],
            "expectations": len(outcomes),
            "failed": failed,
        }
    for _ in range(repeat):
        for table in order:
            report["tables"][table]["warm"].append(run(table)[0])
    if profile_table:
        prof = cProfile.Profile()
        prof.enable()
        run(profile_table)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
        report["profile"] = out.getvalue()
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--world", type=Path, default=Path("/tmp/bench_sf1_world"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/rawgate_bench"))
    ap.add_argument("--rebuild", action="store_true", help="parse the world again even if the cache exists")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=2, help="warm runs per table")
    ap.add_argument("--profile", action="store_true", help="cProfile one warm run of the largest table")
    ap.add_argument("--profile-table", default=None)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--json", action="store_true", help="print the raw report as JSON")
    ap.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args._child:
        profile_table = args.profile_table
        if args.profile and profile_table is None:
            manifest = json.loads((args.cache / "manifest.json").read_text())
            profile_table = max(manifest["tables"], key=lambda t: manifest["tables"][t]["rows"])
        print(json.dumps(timed_run(args.cache, args.repeat, profile_table, args.top)))
        return 0

    if args.rebuild or not (args.cache / "manifest.json").exists():
        build_cache(args.world, args.cache, args.workers)
    cmd = [
        sys.executable,
        __file__,
        "--_child",
        "--cache",
        str(args.cache),
        "--repeat",
        str(args.repeat),
        "--top",
        str(args.top),
    ]
    if args.profile:
        cmd.append("--profile")
    if args.profile_table:
        cmd += ["--profile-table", args.profile_table]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        return proc.returncode
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    # importing GX alone, in another fresh process that has imported what an ingest has (pandas, pyarrow)
    probe = (
        "import time, pandas, pyarrow; t = time.perf_counter(); from social_roi.quality import _gx; "
        "_gx.gx(); _gx._context(); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    gx_import = out.stdout.strip() if out.returncode == 0 else "nan"
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    tables = report["tables"]
    print(
        f"raw gate, full-world batches (one run_raw_gate call per table); import of the gate module "
        f"{report['import_s']:.2f} s (GX is imported on the first call)"
    )
    print(f"{'table':<28} {'rows':>9} {'cols':>4} {'exps':>4} {'cold s':>7} {'warm s':>7}  failed")
    cold_total = warm_total = 0.0
    for table, t in tables.items():
        warm = min(t["warm"]) if t["warm"] else float("nan")
        cold_total += t["cold"]
        warm_total += warm if t["warm"] else 0.0
        print(
            f"{table:<28} {t['rows']:>9} {t['columns']:>4} {t['expectations']:>4} {t['cold']:>7.2f} {warm:>7.2f}"
            f"  {len(t['failed'])}"
        )
        for line in t["failed"][:5]:
            print(f"      {line}")
    cold_total += report["import_s"]
    print(
        f"{'total (cold incl. import)':<28} {'':>9} {'':>4} {'':>4} {cold_total:>7.2f} {warm_total:>7.2f}"
        f"  target < {TARGET_S:.0f} s cold: {'OK' if cold_total < TARGET_S else 'MISSED'}"
    )
    print(f"GX import + context alone (another fresh process): {float(gx_import):.2f} s")
    print(f"machine: load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cpus)")
    if "profile" in report:
        print(report["profile"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
