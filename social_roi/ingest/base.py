"""Shared types of the ingestion room: problems, errors, parse results and format specifications.

A *format* is described by a :class:`FormatSpec`: one or more :class:`TableSpec` (a header signature: the columns
it requires, the columns it may carry, and their aliases) and a parser. Parsers are pure functions from the raw
string tables of one file to a :class:`ParseResult`; they never read anything but the file they are given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One machine-readable reason why a file or a row was rejected."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    code: str

    def __post_init__(self) -> None:
        # a cell's value is kept only masked: a rejected row can hold a customer's email, name or phone
        if self.row is not None and self.value is not None:
            object.__setattr__(self, "value", mask_value(self.value))

    def message(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column is not None:
            where += f" column '{self.column}'"
        what = f"value '{_shorten(self.value)}' — " if self.value is not None else ""
        return f"{where}: {what}expected {self.expected}"


_MASK_KEEP = 40


def mask_value(value: object) -> str:
    """The shape of a cell without its content: letters become ``x``/``X``, digits ``9``; punctuation, spaces,
    currency symbols and the length (up to 40 characters) stay — enough to see why a value was rejected
    (``1.234,56 €`` → ``9.999,99 €``, ``jane@shop.com`` → ``xxxx@xxxx.xxx``), never whose it was."""
    text = str(value)
    shape = "".join(
        "9" if ch.isdigit() else ("X" if ch.isupper() else "x") if ch.isalpha() else ch for ch in text[:_MASK_KEEP]
    )
    return shape + ("…" if len(text) > _MASK_KEEP else "")


def _shorten(value: str | None, limit: int = 80) -> str:
    text = "" if value is None else str(value).replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class IngestError(Exception):
    """A whole file is rejected. ``problems`` says why (usually one problem, row ``None``)."""

    def __init__(self, problems: Sequence[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(p.message() for p in self.problems))

    @property
    def code(self) -> str:
        return self.problems[0].code if self.problems else "unknown"


@dataclass
class ParseResult:
    format: str
    tables: dict[str, pd.DataFrame]
    problems: list[Problem] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    parse_seconds: float = 0.0  # this file's reading plus its share (by rows) of its batch's parsing
    # what the file says about its own locale when it names no currency: {"decimal_comma_cells": n,
    # "amount_column": "<the user's header>"} (the loader compares it with the configured currency)
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ParseContext:
    """What a parser may know besides the file: the hashing salt, defaults, and the run's day taken as "today"
    (passed down by the caller: a parser never reads the wall clock)."""

    salt: str
    today: date
    default_phone_country: str = "1"
    file_name: str = ""
    # the export day of each file parsed (one for a single file, one per part of a batch): the dated folder the
    # file was dropped in (``inbox/2026-07-20/Content.csv``), None when the folder is not a date
    export_days: tuple[date | None, ...] = ()

    def export_day_per_row(self, raw: RawTable) -> list[date]:
        """Per row of ``raw``: its file's export day, else the run's day."""
        parts = raw.parts()
        if parts is None:
            day = (self.export_days[0] if self.export_days else None) or self.today
            return [day] * len(raw.frame)
        return [(self.export_days[p] if p < len(self.export_days) else None) or self.today for p in parts.tolist()]


# ----------------------------------------------------------------------------------------------------------------
# Header signatures

_WS = re.compile(r"\s+")


def norm_header(name: object) -> str:
    """Normalise a header cell for matching: strip BOM/quotes, unify apostrophes, collapse whitespace, lowercase."""
    return _norm_header("" if name is None else str(name))


@lru_cache(maxsize=1 << 16)
def _norm_header(text: str) -> str:
    text = text.replace("\ufeff", "").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("’", "'").replace("‘", "'")
    return _WS.sub(" ", text).strip().strip('"').strip().lower()


@dataclass(frozen=True)
class Col:
    """A column a table may carry. ``names``: accepted header names, the first one is shown in messages.

    A name starting with ``re:`` is a regular expression matched against the normalised header (full match);
    its first group, if any, is kept as the column's *capture* (e.g. the currency in ``Amount spent (EUR)``).
    """

    key: str
    names: tuple[str, ...]
    required: bool = False

    @property
    def display(self) -> str:
        first = self.names[0]
        return first.removeprefix("re:")


def col(key: str, *names: str, required: bool = False) -> Col:
    return Col(key, tuple(names), required)


@dataclass(frozen=True)
class TableSpec:
    """The header signature of one raw table (one CSV, one sheet, one zip member)."""

    name: str
    columns: tuple[Col, ...]
    member: str | None = None  # zip member that must hold this table (YouTube bundles)
    primary: bool = True  # a file that lacks every primary table is not this format
    footer: str | None = None  # regex on a trailing line's text: that line and all after it are a report footer
    # regex on a line's text: the first such line after the header ends the table (a report of several tables)
    section_end: str | None = None

    @property
    def required(self) -> tuple[Col, ...]:
        return tuple(c for c in self.columns if c.required)

    def resolve(self, header: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
        """Map column keys to the actual header names present. Returns (key -> header, key -> capture)."""
        found, captures = _resolve_cached(self, tuple("" if h is None else str(h) for h in header))
        return dict(found), dict(captures)

    def _resolve(self, header: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
        normed = [norm_header(h) for h in header]
        positions: dict[str, int] = {}
        for i, h in enumerate(normed):
            positions.setdefault(h, i)
        found: dict[str, str] = {}
        captures: dict[str, str] = {}
        for c in self.columns:
            for alias in c.names:
                if alias.startswith("re:"):
                    hit = _match_alias(alias, normed)
                else:
                    idx = positions.get(norm_header(alias))
                    hit = None if idx is None else (idx, None)
                if hit is not None:
                    idx, capture = hit
                    found[c.key] = header[idx]
                    if capture:
                        captures[c.key] = capture
                    break
        return found, captures

    def score(self, header: Sequence[str]) -> tuple[float, int, list[str]]:
        """(share of required columns present, optional columns present, display names of missing required)."""
        found, _ = self.resolve(header)
        req = self.required
        missing = [c.display for c in req if c.key not in found]
        share = (len(req) - len(missing)) / len(req) if req else 0.0
        optional = sum(1 for c in self.columns if not c.required and c.key in found)
        return share, optional, missing


@lru_cache(maxsize=4096)
def _resolve_cached(spec: TableSpec, header: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Header resolution is pure: files of one export share their header, so resolve each header once."""
    return spec._resolve(header)


_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def _match_alias(alias: str, normed: Sequence[str]) -> tuple[int, str | None] | None:
    if alias.startswith("re:"):
        pattern = _REGEX_CACHE.get(alias)
        if pattern is None:
            pattern = _REGEX_CACHE[alias] = re.compile(alias[3:], re.IGNORECASE)
        for i, h in enumerate(normed):
            m = pattern.fullmatch(h)
            if m:
                return i, (m.group(1) if m.groups() else None)
        return None
    target = norm_header(alias)
    for i, h in enumerate(normed):
        if h == target:
            return i, None
    return None


Parser = Callable[["list[RawTable]", "ParseContext"], ParseResult]
PeriodOf = Callable[["dict[str, pd.DataFrame]", "list[RawTable]", "ParseContext"], "tuple[date | None, date | None]"]

# Files of one format with the same header are parsed as one batch (see ``social_roi.ingest.batch``): a batched
# table's ``source_row`` carries the file's position in the batch in its high bits.
PART_SHIFT = 32
ROW_MASK = (1 << PART_SHIFT) - 1


@dataclass(frozen=True)
class FormatSpec:
    name: str
    tables: tuple[TableSpec, ...]
    parse: Parser
    doc: str = ""
    default_dayfirst: bool = False  # how an ambiguous 03/04/2026 is read when nothing in the file decides it
    # (tables, raw tables, context) of ONE file -> the dates the file covers; called per file after parsing
    period: PeriodOf | None = None
    # optional: the same for many files at once ([(tables, raws, ctx), ...] -> [(start, end), ...]), for a format
    # whose per-file hook has a high fixed cost
    periods: Callable[[list], list] | None = None

    def table(self, name: str) -> TableSpec:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)


# ----------------------------------------------------------------------------------------------------------------
# Raw tables handed to parsers


@dataclass
class RawTable:
    """One raw table read from a file: string cells under their original header, plus ``source_row``."""

    file: str  # name used in problems (file name, or ``bundle.zip!member``)
    spec: TableSpec
    frame: pd.DataFrame  # str columns (original names; empty cells are "") + int ``source_row``
    columns: dict[str, str]  # key -> original header name
    captures: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None
    preamble: list[str] = field(default_factory=list)
    kind: str = "csv"  # csv | xlsx | parquet
    batched: bool = False  # rows of several files: ``source_row >> PART_SHIFT`` is the file's part number

    def parts(self) -> np.ndarray | None:
        """Per row, the part (file) of the batch it comes from; None for a table of one file."""
        if not self.batched:
            return None
        return self.frame["source_row"].to_numpy(dtype=np.int64) >> PART_SHIFT

    def has(self, key: str) -> bool:
        return key in self.columns

    def header_of(self, key: str) -> str:
        return self.columns.get(key) or self.spec_display(key)

    def spec_display(self, key: str) -> str:
        for c in self.spec.columns:
            if c.key == key:
                return c.display
        return key

    def get(self, key: str) -> pd.Series:
        """The column's cells as ``str`` with empty cells as missing, or an all-missing column when absent."""
        name = self.columns.get(key)
        if name is None:
            return pd.Series(np.full(len(self.frame), np.nan, dtype=object), index=self.frame.index, dtype="str")
        s = self.frame[name]
        return s.where(s != "")


class RowChecks:
    """Collects row-level problems as boolean masks and removes the offending rows at the end."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.reject = np.zeros(len(raw.frame), dtype=bool)
        self.problems: list[Problem] = []

    def flag(
        self,
        mask: pd.Series | np.ndarray,
        key_or_column: str | None,
        values: pd.Series | None,
        expected: str,
        code: str,
        *,
        is_key: bool = True,
    ) -> None:
        mask_arr = np.asarray(pd.Series(mask).fillna(False).to_numpy(dtype=bool))
        if not mask_arr.any():
            return
        column = None
        if key_or_column is not None:
            column = self.raw.header_of(key_or_column) if is_key else key_or_column
        rows = self.raw.frame["source_row"].to_numpy()[mask_arr]
        vals = (
            pd.Series(values).to_numpy(dtype=object)[mask_arr] if values is not None else [None] * int(mask_arr.sum())
        )
        for r, v in zip(rows.tolist(), vals):
            value = None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
            self.problems.append(Problem(self.raw.file, int(r), column, value, expected, code))
        self.reject |= mask_arr

    def keep(self) -> np.ndarray:
        return ~self.reject


def empty_frame(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
