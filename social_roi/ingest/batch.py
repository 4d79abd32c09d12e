"""Parse many export files at once: files of one format with the same header are parsed as ONE batch.

Parsing cost is mostly per call, not per row (a two-row LinkedIn Ads report costs about as much as a GA4 day of
3,000 events), and a year of daily exports is thousands of small files of a dozen layouts. So:

1. every file is detected and read on its own (:func:`~social_roi.ingest.detect.read_piece`); a file that cannot
   be read is rejected here, alone;
2. files whose tables have the same shape (format, table, header cells, delimiter, container) form a group; each
   group's tables are concatenated and parsed once. In a batched table ``source_row`` carries the file's place in
   the group in its high bits (``base.PART_SHIFT``), so row problems and output rows find their file again;
3. the output is split back per file; each file's period comes from its format's ``period`` hook, called on that
   file's rows alone.

Decisions the parsers make once per file from all its values (day-first dates, the decimal separator, a legacy
description row, a report footer, line numbers within an order) are made per file inside a batch too, so a batch
gives exactly what parsing each file alone gives. If a batch raises anything — a file-level problem such as dates
in both orders — its files are parsed one by one instead, so the bad file is rejected alone with its own reason.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from social_roi.ingest.base import (
    PART_SHIFT,
    ROW_MASK,
    FormatSpec,
    IngestError,
    ParseContext,
    ParseResult,
    Problem,
    RawTable,
)
from social_roi.ingest.detect import Piece, detect, raw_table, read_piece

Outcome = tuple[ParseResult | None, list[Problem]]


class _Unbatchable(Exception):
    """A batch result that cannot be split back per file (it is then parsed file by file)."""


class _File:
    def __init__(self, path: Path, fmt: FormatSpec, pieces: list[Piece]):
        self.path = path
        self.format = fmt
        self.pieces = pieces

    @property
    def key(self) -> tuple:
        return (self.format.name, tuple(p.shape_key for p in self.pieces))


def parse_files(paths: Sequence[Path], *, salt: str, today: date, default_phone_country: str = "1") -> list[Outcome]:
    """Parse every file; per file, in order: (result, []) or (None, problems of the rejected file).

    ``today`` is the run's day, passed down by the caller: parsing never reads the wall clock (a year-less date,
    a future date are judged against the run's day, so a backfill parses as it did on the day)."""
    if not salt:
        raise ValueError("parsing needs a non-empty salt to hash personal data")
    from social_roi.ingest.formats import all_formats

    formats = all_formats()
    base = ParseContext(salt=salt, default_phone_country=str(default_phone_country).lstrip("+"), today=today)
    outcomes: list[Outcome | None] = [None] * len(paths)
    groups: dict[tuple, list[tuple[int, _File]]] = {}
    read_seconds = [0.0] * len(paths)
    for i, path in enumerate(paths):
        path = Path(path)
        started = time.perf_counter()
        try:
            detection = detect(path, formats)
            item = _File(path, detection.format, [read_piece(loc) for loc in detection.tables])
        except IngestError as exc:
            outcomes[i] = (None, exc.problems)
            continue
        finally:
            read_seconds[i] = time.perf_counter() - started
        groups.setdefault(item.key, []).append((i, item))
    for members in groups.values():
        files = [f for _, f in members]
        results = None
        started = time.perf_counter()
        if len(files) > 1 and files[0].format.period is not None:
            try:
                results = _parse_batch(files, base)
            except (IngestError, _Unbatchable):
                results = None
        if results is None:
            results = [_parse_alone(f, base) for f in files]
        _share(results, [read_seconds[i] for i, _ in members], time.perf_counter() - started)
        for (i, _), outcome in zip(members, results):
            outcomes[i] = _reject_if_every_row_rejected(outcome)
    return outcomes  # type: ignore[return-value]


def _reject_if_every_row_rejected(outcome: Outcome) -> Outcome:
    """A file whose every data row was rejected is rejected whole (quarantined with its rows' reasons), never
    "loaded" with 0 rows. A file with no data rows at all and no problem is not concerned."""
    result, _ = outcome
    if result is None or any(len(t) for t in result.tables.values()):
        return outcome
    rows = [p for p in result.problems if p.row is not None]
    if not rows:
        return outcome
    first = rows[0]
    whole = Problem(
        first.file,
        None,
        None,
        None,
        f"at least one usable row (all {len({p.row for p in rows})} data row(s) were rejected; the "
        f"first: row {first.row} column '{first.column}' expected {first.expected}) — fix the rows "
        "listed and drop the file again",
        "every_row_rejected",
    )
    return None, [whole, *result.problems]


def _share(results: list[Outcome], read_seconds: list[float], parse_seconds: float) -> None:
    """Record on each result its reading seconds plus its share, by rows, of the group's parsing seconds."""
    rows = [sum(len(t) for t in r.tables.values()) + 1 if r is not None else 1 for r, _ in results]
    total = sum(rows)
    for (result, _), own, n in zip(results, read_seconds, rows):
        if result is not None:
            result.parse_seconds = own + parse_seconds * n / total


def _in_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))


def _periods(fmt: FormatSpec, views: list[tuple]) -> list[tuple]:
    """Each file's period from its own (tables, raw tables, context), by the format's ``periods`` or ``period``."""
    if fmt.periods is not None:
        return fmt.periods(views)
    return [fmt.period(*view) for view in views]


def export_day_of(path: Path) -> date | None:
    """The day of the dated inbox folder a file was dropped in (``inbox/2026-07-20/...``), else None."""
    try:
        return date.fromisoformat(path.parent.name) if len(path.parent.name) == 10 else None
    except ValueError:
        return None


def _parse_alone(item: _File, base: ParseContext) -> Outcome:
    ctx = replace(base, file_name=item.path.name, export_days=(export_day_of(item.path),))
    try:
        raws, problems = [], []
        for piece in item.pieces:
            raw, repeated = raw_table([piece])
            raws.append(raw)
            problems += piece.problems + repeated
        result = item.format.parse(raws, ctx)
        if item.format.period is not None or item.format.periods is not None:  # else the parser's own period
            [(result.period_start, result.period_end)] = _periods(item.format, [(result.tables, raws, ctx)])
        result.problems = _in_order(problems + result.problems)
        return result, []
    except IngestError as exc:
        return None, exc.problems


def _parse_batch(files: list[_File], base: ParseContext) -> list[Outcome]:
    fmt = files[0].format
    n_tables = len(files[0].pieces)
    labels = [f"<batch of {len(files)} {fmt.name} files: {files[0].pieces[t].spec.name}>" for t in range(n_tables)]
    raws, problems = [], []
    for t in range(n_tables):
        raw, repeated = raw_table([f.pieces[t] for f in files], label=labels[t])
        raws.append(raw)
        problems += repeated
    result = fmt.parse(raws, replace(base, export_days=tuple(export_day_of(f.path) for f in files)))
    n = len(files)
    # problems back to their file and row
    by_label = {label: t for t, label in enumerate(labels)}
    per_file: list[list[Problem]] = [list(p for piece in f.pieces for p in piece.problems) for f in files]
    for p in problems + result.problems:
        t = by_label.get(p.file)
        if t is None or p.row is None:
            raise _Unbatchable(f"a problem without its file and row: {p}")
        part = p.row >> PART_SHIFT
        per_file[part].append(
            Problem(files[part].pieces[t].file, p.row & ROW_MASK, p.column, p.value, p.expected, p.code)
        )
    tables = {name: _split(frame, n) for name, frame in result.tables.items()}
    part_raws = [_split(raw.frame, n) for raw in raws]
    views = []
    for i, f in enumerate(files):
        own = {name: parts[i] for name, parts in tables.items()}
        own_raws = [
            RawTable(
                f.pieces[t].file,
                raw.spec,
                part_raws[t][i],
                raw.columns,
                raw.captures,
                raw.delimiter,
                f.pieces[t].preamble,
                raw.kind,
            )
            for t, raw in enumerate(raws)
        ]
        views.append((own, own_raws, replace(base, file_name=f.path.name, export_days=(export_day_of(f.path),))))
    return [
        (ParseResult(result.format, own, _in_order(problems_of_file), start, end), [])
        for (own, _, _), (start, end), problems_of_file in zip(views, _periods(fmt, views), per_file)
    ]


def _split(frame: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    """The rows of each of ``n`` parts, in their order, with ``source_row`` back to the file's own numbers."""
    if "source_row" not in frame.columns:
        raise _Unbatchable("an output table without source_row")
    rows = frame["source_row"].to_numpy(dtype=np.int64)
    parts = rows >> PART_SHIFT
    if parts.size and (np.diff(parts) < 0).any():
        order = np.argsort(parts, kind="stable")
        frame, rows, parts = frame.iloc[order], rows[order], parts[order]
    bounds = np.searchsorted(parts, np.arange(n + 1), side="left")
    local = rows & ROW_MASK
    out = []
    for i in range(n):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        piece = frame.iloc[lo:hi].reset_index(drop=True)
        piece["source_row"] = local[lo:hi]
        out.append(piece)
    return out
