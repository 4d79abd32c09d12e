"""Load the exports in the inbox into the work database, exactly once each.

Rules (also in the README):
- **Manifest.** Every file seen gets a row in ``raw._files``: content hash, detected format, export date, the
  period it covers, rows loaded and rejected, and a status: ``loaded``, ``loaded_with_rejects``, ``duplicate``,
  ``replaced`` or ``quarantined``.
- **Idempotent.** A file whose content hash is already in the manifest loads nothing (the same file under a new
  name is recorded once as ``duplicate``). Re-running a day never double-counts.
- **Corrected re-exports.** A new file of the same format covering the same period (for cumulative engagement
  snapshots: exported on the same day) as a loaded one replaces it: the earlier file's rows are deleted, its
  manifest row becomes ``replaced``, and the new one loads. The period is what the parser reads from the file,
  else the export date.
- **Bad input never stops the good.** A file that cannot be parsed, that fails its raw quality gate, or whose
  every row is rejected, is moved to the quarantine folder with a ``.reason.json`` and a ``.reasons.csv`` beside
  it and a row per reason in ``raw._quarantine``; rows rejected inside a good file are recorded there too; every
  other file still loads. A rejected cell's value is kept masked (its shape: ``xxxx@xxxx.xxx``), never in clear.
- **Export date.** The day a file was exported: the ``YYYY-MM-DD`` folder it sits in, else the file's mtime.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from social_roi.ingest import parse_files
from social_roi.ingest.base import ParseResult, Problem
from social_roi.spreadsheet_safe import write_csv
from social_roi.sql import ident

# Exports that restate everything as of their export day (engagement lifetime metrics, CRM pipelines): each
# export day is its own period, so a later day never replaces an earlier one; staging keeps the latest.
SNAPSHOT_FORMATS = frozenset(
    {
        "instagram_posts",
        "facebook_posts",
        "linkedin_page",
        "x_tweets",
        "tiktok_content",
        "youtube_studio",
        "salesforce_opportunities",
        "hubspot_deals",
    }
)
_DATE_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ACTIVE = ("loaded", "loaded_with_rejects")

MANIFEST_DDL = """
create schema if not exists raw;
create sequence if not exists raw._file_ids start 1;
create table if not exists raw._files (
    file_id bigint primary key,
    file_path varchar not null,
    content_sha256 varchar not null,
    format varchar,
    export_date date,
    period_start date,
    period_end date,
    tables varchar,
    rows_loaded bigint,
    rows_rejected bigint,
    status varchar not null,
    reason varchar,
    replaced_by bigint,
    run_id varchar,
    loaded_at timestamptz
);
create table if not exists raw._quarantine (
    file_id bigint,
    file_path varchar,
    source_row bigint,
    column_name varchar,
    value varchar,
    expected varchar,
    code varchar,
    run_id varchar,
    recorded_at timestamptz
);
"""


class InboxEmpty(Exception):
    """Nothing to load and nothing loaded before: the run cannot produce anything, retrying will not help."""


@dataclass
class FileOutcome:
    path: str
    status: str  # loaded | loaded_with_rejects | duplicate | unchanged | quarantined (reason says "replaced …")
    format: str | None = None
    rows: int = 0
    rejected: int = 0
    reason: str = ""


@dataclass
class IngestSummary:
    run_id: str
    up_to: date
    files: list[FileOutcome] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall seconds per pass: hash, parse, gate, load
    formats: dict[str, dict] = field(default_factory=dict)  # per parsed format: files, rows, bytes, parse_seconds
    warnings: list[str] = field(default_factory=list)

    def count(self, *statuses: str) -> int:
        return sum(1 for f in self.files if f.status in statuses)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows for f in self.files)

    def lines(self) -> list[str]:
        out = [
            f"ingest up to {self.up_to}: {self.count('loaded', 'loaded_with_rejects')} loaded "
            f"({self.rows_loaded:,} rows, {sum(f.rejected for f in self.files)} rows rejected), "
            f"{sum(1 for f in self.files if 'replaced' in f.reason)} replaced an earlier export, "
            f"{self.count('duplicate', 'unchanged')} skipped as already loaded, "
            f"{self.count('quarantined')} quarantined"
        ]
        out += [f"  WARNING {w}" for w in self.warnings]
        for f in self.files:
            if f.status == "quarantined":
                out.append(f"  QUARANTINED {f.path}: {f.reason}")
            elif f.status == "loaded_with_rejects":
                out.append(f"  {f.path}: {f.rejected} rows rejected (see raw._quarantine)")
        return out

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "up_to": self.up_to.isoformat(),
            "loaded": self.count("loaded", "loaded_with_rejects"),
            "rows_loaded": self.rows_loaded,
            "replaced": sum(1 for f in self.files if "replaced" in f.reason),
            "skipped": self.count("duplicate", "unchanged"),
            "quarantined": self.count("quarantined"),
            "quarantined_files": [
                {"path": f.path, "reason": f.reason} for f in self.files if f.status == "quarantined"
            ],
            "seconds": {phase: round(value, 2) for phase, value in self.seconds.items()},
            "warnings": list(self.warnings),
        }


def export_date_of(path: Path) -> date:
    if _DATE_FOLDER.match(path.parent.name):
        return date.fromisoformat(path.parent.name)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date()


def candidate_files(inbox: Path, up_to: date) -> list[Path]:
    """Files exported on or before ``up_to``, oldest export first, then by name (a stable order)."""
    files = [p for p in inbox.rglob("*") if p.is_file() and not p.name.startswith(".")]
    dated = [(export_date_of(p), str(p.relative_to(inbox)), p) for p in files]
    return [p for d, _, p in sorted(dated) if d <= up_to]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ensure_manifest(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MANIFEST_DDL)


def _gate_problems(rel: str, outcomes) -> list[Problem]:
    return [
        Problem(rel, None, o.column, o.observed, o.expected, f"raw_gate:{o.expectation}")
        for o in outcomes
        if not o.success
    ]


def raw_gate_batch(parsed: list[tuple[str, ParseResult]], run_id: str, today: date) -> dict[str, list[Problem]]:
    """Failed raw-gate expectations per file (absent = passed).

    Files of one table are validated together first (one GX run per table and ingest, not per file); only when
    the batch fails is each file of that table validated alone, to find which ones fail — a failure shared
    across files (a key repeated by two exports) is judged per file too.
    """
    from social_roi.quality.gate import run_raw_gate

    by_table: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    for rel, result in parsed:
        for table, frame in result.tables.items():
            by_table.setdefault(table, []).append((rel, frame))
    problems: dict[str, list[Problem]] = {}
    for table, items in by_table.items():
        if len(items) > 1:
            combined = _batch_frame(items)
            outcomes = run_raw_gate(combined, fmt=table, file_name=f"{len(items)} files", run_id=run_id, today=today)
            if all(o.success for o in outcomes):
                continue
            failed = sorted({o.expectation for o in outcomes if not o.success})
            print(f"  raw gate: {table} batch of {len(items)} files failed {failed}; checking file by file")
        for rel, frame in items:
            failed = _gate_problems(rel, run_raw_gate(frame, fmt=table, file_name=rel, run_id=run_id, today=today))
            if failed:
                problems.setdefault(rel, []).extend(failed)
    return problems


def _batch_frame(items: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """The rows of every file of one table, with ``_batch_file`` naming each row's file (a categorical: one
    concatenation and no per-file copy)."""
    kept = [(rel, frame) for rel, frame in items if len(frame)]
    if not kept:
        return items[0][1]
    combined = pd.concat([frame for _, frame in kept], ignore_index=True)
    codes = np.repeat(np.arange(len(kept)), [len(frame) for _, frame in kept])
    combined["_batch_file"] = pd.Categorical.from_codes(codes, categories=pd.Index([rel for rel, _ in kept]))
    return combined


def _append(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, columns: dict[str, set[str]]) -> None:
    """Append a frame to raw.<table>, creating the table or adding new columns as needed. ``columns`` caches the
    columns of the raw tables for the ingest (read from information_schema once per table)."""
    if table not in columns:
        rows = con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()
        if rows:
            columns[table] = {r[0] for r in rows}
    con.register("_incoming", frame)
    try:
        if table not in columns:
            con.execute(f"create table raw.{ident(table)} as select * from _incoming")
            columns[table] = set(frame.columns)
            return
        have = columns[table]
        for column in frame.columns:
            if column not in have:
                dtype = con.execute(f"select typeof({ident(column)}) from _incoming limit 1").fetchone()
                kind = dtype[0] if dtype else "varchar"
                con.execute(f"alter table raw.{ident(table)} add column {ident(column)} {kind}")
                have.add(column)
        con.execute(f"insert into raw.{ident(table)} by name select * from _incoming")
    finally:
        try:
            con.unregister("_incoming")
        except duckdb.Error:  # the transaction is already aborted: the caller rolls back and reports the cause
            pass


def _record_problems(con, file_id, rel, problems: list[Problem], run_id: str) -> None:
    if not problems:
        return
    now = datetime.now(UTC)
    con.executemany(
        "insert into raw._quarantine values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                file_id,
                rel,
                p.row,
                p.column,
                None if p.value is None else str(p.value)[:500],
                p.expected,
                p.code,
                run_id,
                now,
            ]
            for p in problems
        ],
    )


def _quarantine_file(settings, path: Path, rel: str, problems: list[Problem], run_id: str) -> Path:
    target = settings.quarantine / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(path), target)
    reasons = [
        {
            "file": rel,
            "row": p.row,
            "column": p.column,
            "value": p.value,
            "expected": p.expected,
            "code": p.code,
            "message": p.message(),
        }
        for p in problems
    ]
    target.with_name(target.name + ".reason.json").write_text(
        json.dumps({"run_id": run_id, "reasons": reasons}, indent=2, default=str)
    )
    table = pd.DataFrame(reasons, columns=["file", "row", "column", "value", "expected", "code", "message"])
    table["row"] = table["row"].astype("Int64")
    write_csv(table, target.with_name(target.name + ".reasons.csv"))
    return target


@dataclass
class Seen:
    """What one ingest knows: each content hash's first file, every path recorded, the raw tables' columns."""

    first_path: dict[str, str] = field(default_factory=dict)
    paths: set[str] = field(default_factory=set)
    columns: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_manifest(cls, con: duckdb.DuckDBPyConnection) -> Seen:
        seen = cls()
        for rel, digest in con.execute("select file_path, content_sha256 from raw._files order by file_id").fetchall():
            seen.add(digest, rel)
        return seen

    def add(self, digest: str, rel: str) -> None:
        self.first_path.setdefault(digest, rel)
        self.paths.add(rel)


def _known_outcome(
    con, rel: str, digest: str, run_id: str, seen: Seen, export_date: date | None = None
) -> FileOutcome | None:
    """The outcome of a file whose content was seen before (None for new content). A copy under a new name is
    recorded with its own export day and the first copy's format: it still shows the source arriving."""
    if digest not in seen.first_path:
        return None
    first_path = seen.first_path[digest]
    if rel in seen.paths:
        return FileOutcome(rel, "unchanged")
    file_id = con.execute("select nextval('raw._file_ids')").fetchone()[0]
    con.execute(
        "insert into raw._files (file_id, file_path, content_sha256, format, export_date, status, reason, run_id, "
        "loaded_at) values (?, ?, ?, (select any_value(format) from raw._files where content_sha256 = ?), ?, "
        "'duplicate', ?, ?, ?)",
        [file_id, rel, digest, digest, export_date, f"same content as {first_path}", run_id, datetime.now(UTC)],
    )
    seen.paths.add(rel)
    return FileOutcome(rel, "duplicate", reason=f"same content as {first_path}")


def quarantine(
    con, settings, path: Path, rel: str, digest: str, problems: list[Problem], run_id: str, seen: Seen
) -> FileOutcome:
    problems = [Problem(rel, p.row, p.column, p.value, p.expected, p.code) for p in problems]
    export_date = export_date_of(path)
    _quarantine_file(settings, path, rel, problems, run_id)
    reason = "; ".join(p.message() for p in problems)[:2000]
    file_id = con.execute("select nextval('raw._file_ids')").fetchone()[0]
    con.execute("begin")
    con.execute(
        "insert into raw._files (file_id, file_path, content_sha256, export_date, status, reason, run_id, "
        "loaded_at) values (?, ?, ?, ?, 'quarantined', ?, ?, ?)",
        [file_id, rel, digest, export_date, reason, run_id, datetime.now(UTC)],
    )
    _record_problems(con, file_id, rel, problems, run_id)
    con.execute("commit")
    seen.add(digest, rel)
    return FileOutcome(rel, "quarantined", reason=reason)


def load_parsed(
    con, rel: str, digest: str, export_date: date, result: ParseResult, run_id: str, seen: Seen
) -> FileOutcome:
    """Load one parsed file in one transaction, replacing an earlier export of the same format and period: the
    batch loader with a batch of one (there is one loader, so one file and a batch can never load differently)."""
    return load_many(con, [(rel, digest, export_date, result)], run_id, seen)[0]


_OBJECT = pd.Series([], dtype=object).dtype


def _period(result: ParseResult, export_date: date) -> tuple[date, date]:
    if result.format in SNAPSHOT_FORMATS or result.period_start is None:
        return export_date, export_date
    return result.period_start, result.period_end or result.period_start


def _frame_kind(frame: pd.DataFrame) -> tuple | None:
    """Column names and dtypes: frames of one kind concatenate without changing a value or how DuckDB types a
    column. None for a frame with an object column (DuckDB infers its type from a sample of that frame's values),
    which is therefore always inserted on its own, as ``load_parsed`` would."""
    dtypes = frame.dtypes.tolist()
    if any(d is _OBJECT for d in dtypes):
        return None
    return tuple(frame.columns), dtypes


def _with_file_columns(
    frame: pd.DataFrame, file_ids: list[int], export_dates: list[date], lengths: list[int], loaded_at: datetime
) -> pd.DataFrame:
    """The frame with ``_file_id``, ``_export_date``, ``_loaded_at`` typed as ``load_parsed`` types them; the frame
    holds the rows of ``file_ids`` one after another (``lengths`` rows each)."""
    import pyarrow as pa

    frame["_file_id"] = pd.Series(
        np.repeat(np.asarray(file_ids, dtype="int64"), lengths), index=frame.index, dtype="int64"
    )
    days = pa.array(np.repeat(np.asarray(export_dates, dtype="datetime64[D]"), lengths), type=pa.date32())
    frame["_export_date"] = pd.Series(pd.arrays.ArrowExtensionArray(days), index=frame.index)
    frame["_loaded_at"] = pd.Series(pd.Timestamp(loaded_at), index=frame.index, dtype="datetime64[us, UTC]")
    return frame


def load_many(con, items, run_id: str, seen: Seen) -> list[FileOutcome]:
    """Load parsed files — ``(rel, digest, export_date, ParseResult)`` in load order — with exactly the outcome of
    ``load_parsed`` on each in turn, but in one transaction and a handful of statements: file ids in one go, the
    earlier exports read from the manifest once, one insert per raw table (and per change of a file's column
    dtypes), one insert each for the manifest and the rejected rows. A later file replaces an earlier one of the
    same format and period, in this batch too: the earlier one's rows are deleted again, its manifest row says
    ``replaced``. Should a batch of several fail, it is rolled back and the files are loaded one by one — the same
    code with batches of one — so a broken file costs only itself and what follows it, as in a file-by-file load:
    the files before it load, and its error is raised."""
    items = list(items)
    if not items:
        return []
    try:
        outcomes = _load_batch(con, items, run_id, seen)
    except Exception as exc:
        seen.columns.clear()  # the rolled-back transaction may have created or altered tables
        if len(items) == 1:
            raise
        print(
            f"  ingest: loading {len(items)} files in one transaction failed ({type(exc).__name__}: "
            f"{str(exc)[:300]}); loading them one by one"
        )
        return [load_many(con, [item], run_id, seen)[0] for item in items]
    for rel, digest, _, _ in items:
        seen.add(digest, rel)
    return outcomes


def _load_batch(con, items, run_id: str, seen: Seen) -> list[FileOutcome]:
    import pyarrow as pa

    registered: list[str] = []

    def register(name: str, frame) -> str:  # a pandas frame or an arrow table
        con.register(name, frame)
        registered.append(name)
        return name

    con.execute("begin")
    try:
        file_ids = sorted(
            r[0] for r in con.execute("select nextval('raw._file_ids') from range(?)", [len(items)]).fetchall()
        )
        active: dict[tuple, list[tuple[int, str, str | None]]] = {}
        for old_id, old_path, old_tables, fmt, start, end in con.execute(
            "select file_id, file_path, tables, format, period_start, period_end from raw._files "
            "where status in ('loaded', 'loaded_with_rejects') order by file_id"
        ).fetchall():
            active.setdefault((fmt, start, end), []).append((old_id, old_path, old_tables))
        loaded_at = datetime.now(UTC)
        manifest: list[dict] = []
        outcomes: list[FileOutcome] = []
        in_batch: dict[int, dict] = {}  # file id -> its manifest row, for the files of this batch
        dropped: set[int] = set()  # files of this batch replaced by a later one of it
        replaced: dict[int, int] = {}  # file loaded by an earlier ingest -> the file of this batch replacing it
        deletes: dict[str, list[int]] = {}  # raw table -> earlier files whose rows go
        by_table: dict[str, list[tuple[int, date, pd.DataFrame]]] = {}
        problems: list[list] = []
        for (rel, digest, export_date, result), file_id in zip(items, file_ids):
            period = _period(result, export_date)
            rows = sum(len(f) for f in result.tables.values())
            rejected = len({p.row for p in result.problems})
            status = "loaded_with_rejects" if result.problems else "loaded"
            key = (result.format, period[0], period[1])
            reason = ""
            for old_id, old_path, old_tables in active.get(key, []) if result.format is not None else []:
                if old_id in in_batch:
                    in_batch[old_id].update(status="replaced", replaced_by=file_id)
                    dropped.add(old_id)
                else:
                    replaced[old_id] = file_id
                    for table in (old_tables or "").split(","):
                        if table:
                            deletes.setdefault(table, []).append(old_id)
                reason = f"replaced {old_path} (same format and period)"
            tables = ",".join(result.tables)
            active[key] = [(file_id, rel, tables)]
            row = dict(
                file_id=file_id,
                file_path=rel,
                content_sha256=digest,
                format=result.format,
                export_date=export_date,
                period_start=period[0],
                period_end=period[1],
                tables=tables,
                rows_loaded=rows,
                rows_rejected=rejected,
                status=status,
                reason=reason or None,
                replaced_by=None,
                run_id=run_id,
                loaded_at=loaded_at,
            )
            manifest.append(row)
            in_batch[file_id] = row
            for table, frame in result.tables.items():
                by_table.setdefault(table, []).append((file_id, export_date, frame))
            problems.extend(
                [file_id, rel, p.row, p.column, None if p.value is None else str(p.value)[:500], p.expected, p.code]
                for p in result.problems
            )
            outcomes.append(FileOutcome(rel, status, result.format, rows, rejected, reason))

        for table, old_ids in deletes.items():
            con.execute(f"delete from raw.{ident(table)} where _file_id in (select unnest(?::bigint[]))", [old_ids])
        if replaced:
            con.execute(
                "update raw._files set status = 'replaced', replaced_by = u.new_id from (select "
                "unnest(?::bigint[]) as old_id, unnest(?::bigint[]) as new_id) u where raw._files.file_id = u.old_id",
                [list(replaced), list(replaced.values())],
            )

        unknown = [t for t in by_table if t not in seen.columns]
        if unknown:
            for table, column in con.execute(
                "select table_name, column_name from information_schema.columns where table_schema = 'raw' "
                "and table_name in (select unnest(?::varchar[]))",
                [unknown],
            ).fetchall():
                seen.columns.setdefault(table, set()).add(column)
        for table, entries in by_table.items():
            # the table's columns evolve file by file, as in _append: created from the first file (typed even
            # when it has no rows), a column new in a later file added with that file's type (varchar when the
            # file has no rows) — files replaced within the batch included
            known = None  # the columns of a frame already all in the table
            for file_id, export_date, frame in entries:
                have = seen.columns.get(table)
                names = tuple(frame.columns)
                if have is not None and names == known:
                    continue
                new = (
                    []
                    if have is None
                    else list(
                        dict.fromkeys(c for c in [*names, "_file_id", "_export_date", "_loaded_at"] if c not in have)
                    )
                )
                known = names
                if have is not None and not new:
                    continue
                incoming = _with_file_columns(frame.copy(deep=False), [file_id], [export_date], [len(frame)], loaded_at)
                register("_incoming_schema", incoming)
                if have is None:
                    con.execute(f"create table raw.{ident(table)} as select * from _incoming_schema limit 0")
                    seen.columns[table] = set(incoming.columns)
                else:
                    added = con.execute(
                        "select " + ", ".join(f"typeof({ident(c)})" for c in new) + " from _incoming_schema limit 1"
                    ).fetchone()
                    for column, dtype in zip(new, added or [None] * len(new)):
                        con.execute(f"alter table raw.{ident(table)} add column {ident(column)} {dtype or 'varchar'}")
                        have.add(column)
                con.unregister("_incoming_schema")
                registered.remove("_incoming_schema")
            # rows: consecutive files whose frames are of one kind go in one insert, in load order; the rows of a
            # file replaced within the batch are inserted too, then deleted, so that a file whose rows cannot be
            # loaded fails the batch as it fails load_parsed
            runs: list[list[tuple[int, date, pd.DataFrame]]] = []
            last_kind = None
            for entry in entries:
                if not len(entry[2]):
                    continue
                kind = _frame_kind(entry[2])
                if runs and kind is not None and kind == last_kind:
                    runs[-1].append(entry)
                else:
                    runs.append([entry])
                last_kind = kind
            for run in runs:
                frames = [f for _, _, f in run]
                data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].copy(deep=False)
                data = _with_file_columns(
                    data, [i for i, _, _ in run], [d for _, d, _ in run], [len(f) for f in frames], loaded_at
                )
                register("_incoming_rows", data)
                con.execute(f"insert into raw.{ident(table)} by name select * from _incoming_rows")
                con.unregister("_incoming_rows")
                registered.remove("_incoming_rows")
            gone = [file_id for run in runs for file_id, _, _ in run if file_id in dropped]
            if gone:
                con.execute(f"delete from raw.{ident(table)} where _file_id in (select unnest(?::bigint[]))", [gone])

        types = dict(
            file_id=pa.int64(),
            file_path=pa.string(),
            content_sha256=pa.string(),
            format=pa.string(),
            export_date=pa.date32(),
            period_start=pa.date32(),
            period_end=pa.date32(),
            tables=pa.string(),
            rows_loaded=pa.int64(),
            rows_rejected=pa.int64(),
            status=pa.string(),
            reason=pa.string(),
            replaced_by=pa.int64(),
            run_id=pa.string(),
            loaded_at=pa.timestamp("us", tz="UTC"),
        )
        register("_incoming_files", pa.table({c: pa.array([m[c] for m in manifest], type=t) for c, t in types.items()}))
        con.execute("insert into raw._files by name select * from _incoming_files")
        if problems:
            recorded_at = datetime.now(UTC)
            names = ["file_id", "file_path", "source_row", "column_name", "value", "expected", "code"]
            columns = {c: [p[i] for p in problems] for i, c in enumerate(names)}
            rejects = {
                "file_id": pa.array(columns["file_id"], type=pa.int64()),
                "source_row": pa.array([None if v is None else int(v) for v in columns["source_row"]], type=pa.int64()),
                **{
                    c: pa.array([None if v is None else str(v) for v in columns[c]], type=pa.string())
                    for c in ("file_path", "column_name", "value", "expected", "code")
                },
                "run_id": pa.array([run_id] * len(problems), type=pa.string()),
                "recorded_at": pa.array([recorded_at] * len(problems), type=pa.timestamp("us", tz="UTC")),
            }
            register("_incoming_problems", pa.table(rejects))
            con.execute("insert into raw._quarantine by name select * from _incoming_problems")
        con.execute("commit")
    except Exception:
        try:
            con.execute("rollback")
        except duckdb.Error:
            pass
        raise
    finally:
        for name in registered:
            try:
                con.unregister(name)
            except duckdb.Error:
                pass
    return outcomes


PARALLEL_MIN_FILES = 40  # below this, starting worker processes costs more than it saves


def _parse_chunk(
    paths: list[Path], salt: str, phone_country: str, today: date
) -> list[tuple[ParseResult | None, list]]:
    """Parse in a worker: problems travel back as data (an exception with a list argument does not pickle)."""
    return parse_files(paths, salt=salt, default_phone_country=phone_country, today=today)


# A worker's share of the files, relative to this process's: a worker first starts (a fresh interpreter importing
# pandas and pyarrow) and its results come back pickled, while this process parses its own share in place.
WORKER_SHARE = 0.8


def _chunks(paths: list[Path], weights: list[float]) -> list[list[Path]]:
    """Runs of consecutive files with about the given shares of the bytes: consecutive files share formats and
    headers, so every run still parses as large same-header batches."""
    sizes = [max(p.stat().st_size, 1) for p in paths]
    total = float(sum(sizes))
    bounds = [total * sum(weights[: i + 1]) / sum(weights) for i in range(len(weights))]
    chunks: list[list[Path]] = [[] for _ in weights]
    acc, k = 0.0, 0
    for path, size in zip(paths, sizes):
        while k < len(weights) - 1 and acc >= bounds[k]:
            k += 1
        chunks[k].append(path)
        acc += size
    return chunks


def parse_many(
    paths: list[Path], settings, workers: int | None = None, *, today: date
) -> list[tuple[ParseResult | None, list]]:
    """Parse files in order (same-header files as batches, see ``social_roi.ingest.batch``). A large set (a first
    run catching up on history) is split into runs of consecutive files: one per extra CPU for worker processes,
    and one, parsed meanwhile, for this process."""
    workers = workers or min(os.cpu_count() or 1, 4)
    salt, phone = settings.pii_salt, settings.default_phone_country
    if len(paths) < PARALLEL_MIN_FILES or workers < 2:
        return _parse_chunk(paths, salt, phone, today)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    *theirs, mine = _chunks(paths, [WORKER_SHARE] * (workers - 1) + [1.0])
    with (
        _main_script_hidden(),
        ProcessPoolExecutor(max_workers=len(theirs), mp_context=multiprocessing.get_context("spawn")) as pool,
    ):
        futures = [pool.submit(_parse_chunk, chunk, salt, phone, today) for chunk in theirs]
        own = _parse_chunk(mine, salt, phone, today)
        parts = [future.result() for future in futures] + [own]
    return [outcome for part in parts for outcome in part]


@contextmanager
def _main_script_hidden():
    """Spawned workers first re-run the parent's main script. Inside an Airflow task that script is `airflow`,
    whose import fails there (a task may not reach the metadata database); the parse workers need nothing from
    any main script, so they are not shown it while they start."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


# formats whose exports name no currency of their own -> the source system configured for them
CURRENCY_FROM_CONFIG = {
    "woocommerce_orders": "woocommerce",
    "hubspot_deals": "hubspot",
    "salesforce_opportunities": "salesforce",
}
_EURO_ZONE_HINT = {"EUR"}


def currency_warnings(rel: str, result: ParseResult, configured: dict[str, str]) -> list[str]:
    """A file's own amounts against the currency configured for its source: a sign naming another currency, or a
    decimal comma while the configured currency is one written with a decimal point, is reported with the
    evidence and the setting that fixes it. Nothing is changed: the warning asks, it does not guess."""
    system = CURRENCY_FROM_CONFIG.get(result.format)
    if system is None or system not in configured:
        return []
    currency = configured[system]
    table = next(iter(result.tables.values()))
    evidence = []
    if "currency" in table.columns:
        signs = table["currency"].dropna()
        other = signs[signs.str.upper() != currency]
        if len(other):
            counts = other.str.upper().value_counts()
            evidence.append(", ".join(f"{n} amount(s) written in {code}" for code, n in counts.items()))
    comma = result.evidence.get("decimal_comma_cells", 0)
    if comma and currency not in _EURO_ZONE_HINT:
        column = result.evidence.get("amount_column", "amount")
        evidence.append(f"{comma} '{column}' cell(s) with a decimal comma (a European locale)")
    if not evidence:
        return []
    return [
        f"{rel}: {system} amounts are valued as {currency} (configured), but the file shows "
        f"{'; '.join(evidence)}. If the store's currency is not {currency}, set "
        f"SOCIAL_ROI_SOURCE_CURRENCIES={system}:<ISO code> (e.g. {system}:EUR) and run again."
    ]


def ingest_inbox(
    con: duckdb.DuckDBPyConnection, settings, *, up_to: date, run_id: str, progress=None, raw_gate: bool = True
) -> IngestSummary:
    """Load every new file exported on or before ``up_to``; returns what happened to each file.

    Three passes: hash and parse every new file (unparseable ones are quarantined), run the raw gate on what
    parsed (``raw_gate=False`` skips it: benchmarks only), then quarantine what failed it and load what passed —
    in export-date order, in one transaction (``load_many``).
    """
    ensure_manifest(con)
    seen = Seen.from_manifest(con)
    summary = IngestSummary(run_id=run_id, up_to=up_to)
    files = candidate_files(settings.inbox, up_to) if settings.inbox.exists() else []
    if (
        not files
        and not con.execute(
            "select count(*) from raw._files where status in ('loaded', 'loaded_with_rejects')"
        ).fetchone()[0]
    ):
        raise InboxEmpty(
            f"inbox is empty: drop exports in {settings.inbox} (one folder per export day named YYYY-MM-DD, "
            f"e.g. {settings.inbox / up_to.isoformat()}/orders_export.csv), then run again"
        )
    parsed: list[tuple[Path, str, str, ParseResult]] = []
    new: list[tuple[Path, str, str]] = []
    started = time.perf_counter()
    for path in files:
        rel = str(path.relative_to(settings.inbox))
        digest = _sha256(path)
        outcome = _known_outcome(con, rel, digest, run_id, seen, export_date_of(path))
        if outcome is not None:
            summary.files.append(outcome)
            continue
        new.append((path, rel, digest))
        seen.add(digest, rel)
    summary.seconds["hash"] = time.perf_counter() - started
    if progress and new:
        progress(f"  ingest: parsing {len(new)} new file(s) of {len(files)} in the inbox")
    started = time.perf_counter()
    results = parse_many([p for p, _, _ in new], settings, today=up_to)
    configured = settings.source_currencies
    parse_seconds = time.perf_counter() - started
    for (path, rel, digest), (result, problems) in zip(new, results):
        stats = summary.formats.setdefault(
            result.format if result is not None else "(unparseable)",
            {"files": 0, "rows": 0, "bytes": 0, "parse_seconds": 0.0},
        )
        stats["files"] += 1
        stats["bytes"] += path.stat().st_size
        if result is None:
            summary.files.append(quarantine(con, settings, path, rel, digest, problems, run_id, seen))
        else:
            stats["rows"] += sum(len(t) for t in result.tables.values())
            summary.warnings += currency_warnings(rel, result, configured)
            stats["parse_seconds"] += result.parse_seconds
            parsed.append((path, rel, digest, result))
    summary.seconds["parse"] = time.perf_counter() - started
    started = time.perf_counter()
    gate = {}
    if parsed and raw_gate:
        gate = raw_gate_batch([(rel, result) for _, rel, _, result in parsed], run_id, today=up_to)
    gate_seconds = summary.seconds["gate"] = time.perf_counter() - started
    started = time.perf_counter()
    # quarantine touches no raw table, so the files that failed the gate go first and the rest load in one batch;
    # the summary keeps export order
    outcomes: list[FileOutcome | None] = []
    to_load: list[tuple[str, str, date, ParseResult]] = []
    for path, rel, digest, result in parsed:
        if rel in gate:
            outcomes.append(quarantine(con, settings, path, rel, digest, gate[rel], run_id, seen))
        else:
            outcomes.append(None)
            to_load.append((rel, digest, export_date_of(path), result))
    loaded = iter(load_many(con, to_load, run_id, seen))
    summary.files.extend(outcome if outcome is not None else next(loaded) for outcome in outcomes)
    # a copy seen before its first file loaded (same run) takes the format once that file is in the manifest
    con.execute(
        "update raw._files set format = first.format from raw._files as first "
        "where raw._files.status = 'duplicate' and raw._files.format is null "
        "and first.content_sha256 = raw._files.content_sha256 and first.format is not null"
    )
    summary.seconds["load"] = time.perf_counter() - started
    if progress and new:
        progress(
            f"  ingest: parse {parse_seconds:.1f} s, raw gate {gate_seconds:.1f} s, "
            f"load {time.perf_counter() - started:.1f} s"
        )
    return summary
