"""Helpers every format parser uses: typed columns with row checks, output.

Text is loaded as written, even when it starts with ``=``, ``+``, ``-`` or ``@``: no row is dropped for its text.
What the product hands to a spreadsheet is neutralised on the way out (``social_roi.spreadsheet_safe``)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from social_roi.ingest import locale, pii
from social_roi.ingest.base import IngestError, ParseContext, Problem, RawTable, RowChecks


def decimal_hint(raw: RawTable) -> str:
    """``;``-delimited files come from decimal-comma locales: an ambiguous ``1,234`` there means 1.234."""
    return "," if raw.delimiter == ";" else "."


class Columns:
    """Typed access to one raw table, recording row problems as it goes."""

    def __init__(self, raw: RawTable, ctx: ParseContext, *, dayfirst: bool | PerPart = False):
        self.raw = raw
        self.ctx = ctx
        self.checks = RowChecks(raw)
        self.hint = decimal_hint(raw)
        self.parts = raw.parts()
        self.dayfirst = dayfirst.per_row(self.parts) if isinstance(dayfirst, PerPart) else dayfirst

    # -- text -----------------------------------------------------------------------------------------------
    def text(self, key: str) -> pd.Series:
        return self.raw.get(key)

    # -- numbers --------------------------------------------------------------------------------------------
    def number(self, key: str, *, nonneg: bool = True, what: str = "a number") -> pd.Series:
        s = self.raw.get(key)
        if not self.raw.has(key):
            return s.astype("float64")
        values, bad = locale.parse_numbers(s, decimal_hint=self.hint, parts=self.parts)
        self.checks.flag(bad, key, s, what, "not_a_number")
        if nonneg:
            self.checks.flag(
                values < 0, key, s, f"a non-negative {what.removeprefix('a ').removeprefix('an ')}", "negative_value"
            )
        return values

    def money(self, key: str, *, nonneg: bool = True) -> pd.Series:
        return self.number(key, nonneg=nonneg, what="an amount")

    def count(self, key: str, *, nonneg: bool = True) -> pd.Series:
        s = self.raw.get(key)
        if not self.raw.has(key):
            return pd.Series(pd.NA, index=s.index, dtype="Int64")
        values, bad = locale.parse_numbers(s, decimal_hint=self.hint, percent_as_fraction=False, parts=self.parts)
        out, bad_int = locale.to_int64(values, bad)
        self.checks.flag(bad_int, key, s, "a whole number (count)", "not_a_number")
        if nonneg:
            self.checks.flag(out.fillna(0) < 0, key, s, "a non-negative count", "negative_value")
        return out

    def rate(self, key: str) -> pd.Series:
        """Rates/percentages as fractions: ``12%`` → 0.12; a bare ``0.12`` stays 0.12."""
        return self.number(key, nonneg=False, what="a rate")

    # -- dates ----------------------------------------------------------------------------------------------
    def timestamp(self, key: str, *, future: bool = True) -> pd.Series:
        s = self.raw.get(key)
        if not self.raw.has(key):
            return pd.Series(pd.NaT, index=s.index, dtype="datetime64[us, UTC]")
        ts, bad, _ = locale.parse_datetimes(s, dayfirst=self.dayfirst)
        self.checks.flag(
            bad, key, s, "a date/time (ISO, MM/DD/YYYY, DD/MM/YYYY, 'Sep 26, 2026' or an Excel serial)", "bad_date"
        )
        if future:
            self.future(ts, key, s)
        return ts

    def future(self, ts: pd.Series, key: str, s: pd.Series) -> None:
        limit = pd.Timestamp(self.ctx.today, tz="UTC") + pd.Timedelta(days=1)
        self.checks.flag(ts >= limit, key, s, f"a date not after today ({self.ctx.today.isoformat()})", "future_date")

    def day(self, key: str, *, future: bool = True) -> tuple[pd.Series, pd.Series]:
        """A calendar day column: (date32 dates, lifetime mask)."""
        s = self.raw.get(key)
        if not self.raw.has(key):
            empty = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us, UTC]")
            return locale.to_date(empty), pd.Series(False, index=s.index)
        ts, bad, lifetime = locale.parse_datetimes(s, dayfirst=self.dayfirst)
        self.checks.flag(bad, key, s, "a date", "bad_date")
        if future:
            self.future(ts, key, s)
        return locale.to_date(ts), lifetime

    # -- ids ------------------------------------------------------------------------------------------------
    def ident(self, key: str, *, recovered: pd.Series | None = None, flag: bool = True) -> pd.Series:
        """An id kept as an exact string. Excel-mangled ids (``1.22158E+17``) are replaced by ``recovered``
        when it has a value, else flagged as ``mangled_id``."""
        s = self.raw.get(key)
        ids, mangled = locale.clean_ids(s)
        if recovered is not None:
            fix = (mangled | ids.isna()) & recovered.notna()
            ids = ids.where(~fix, recovered)
            mangled = mangled & ~fix
        if flag:
            self.checks.flag(
                mangled,
                key,
                s,
                "an exact id (Excel turned it into scientific notation and lost "
                "digits; re-export as CSV without opening it in Excel)",
                "mangled_id",
            )
        return ids

    # -- personal data --------------------------------------------------------------------------------------
    def hashed(self, kind: str, *keys: str) -> pd.Series:
        """SHA-256 of the first non-empty of ``keys`` after normalisation for ``kind``."""
        s = None
        for key in keys:
            v = self.raw.get(key)
            s = v if s is None else s.where(s.notna(), v)
        return pii.hash_pii(s, kind, salt=self.ctx.salt, default_country=self.ctx.default_phone_country)

    # -- output ---------------------------------------------------------------------------------------------
    def finish(self, columns: dict[str, pd.Series]) -> tuple[pd.DataFrame, list[Problem]]:
        keep = self.checks.keep()
        out = pd.DataFrame({k: v.reset_index(drop=True) if isinstance(v, pd.Series) else v for k, v in columns.items()})
        out["source_row"] = self.raw.frame["source_row"].to_numpy(dtype=np.int64)
        out = out[keep].reset_index(drop=True)
        problems = sorted(self.checks.problems, key=lambda p: (p.row or 0, p.column or ""))
        return out, problems


def constant(value, n: int, dtype: str = "str") -> pd.Series:
    if value is None:
        return pd.Series([None] * n, dtype="object").astype(dtype)
    return pd.Series([value] * n, dtype="object").astype(dtype)


class PerPart:
    """Day-first decided per file of a batch (see :func:`file_dayfirst`)."""

    def __init__(self, decided: dict[int, bool], default: bool):
        self.decided = decided
        self.default = default

    def per_row(self, parts: np.ndarray | None) -> bool | np.ndarray:
        if parts is None:
            raise ValueError("a per-file day-first decision needs a batched table")
        lookup = np.vectorize(lambda p: self.decided.get(int(p), self.default), otypes=[bool])
        codes, inverse = np.unique(parts, return_inverse=True)
        return lookup(codes)[inverse] if codes.size else np.zeros(0, dtype=bool)


def file_dayfirst(raws: list[RawTable], keys: list[str], default: bool) -> bool | PerPart:
    """Decide day-first once for the whole file from every listed date column of every table.

    For a batch of files the decision is made per file: one bool when every file decides the same (or has
    nothing to decide), else a :class:`PerPart` that :class:`Columns` turns into a per-row choice."""
    series = [r.get(k) for r in raws for k in keys if r.has(k)]
    try:
        if raws and raws[0].batched:
            parts = [r.parts() for r in raws for k in keys if r.has(k)]
            decided = locale.decide_dayfirst_parts(series, parts, default)
            every = set(np.unique(np.concatenate([r.parts() for r in raws])).tolist())
            choices = {decided.get(p, default) for p in every}
            if len(choices) <= 1:
                return choices.pop() if choices else default
            return PerPart(decided, default)
        return locale.decide_dayfirst(series, default)
    except locale.DateOrderConflict as exc:
        raise IngestError(
            Problem(
                raws[0].file,
                None,
                None,
                f"{exc.day_first_example} / {exc.month_first_example}",
                "one date order in the whole file (some dates only read day-first, others only month-first)",
                "mixed_date_order",
            )
        ) from exc


def period(*series: pd.Series) -> tuple[date | None, date | None]:
    vals = [s.dropna() for s in series if s is not None]
    vals = [v for v in vals if len(v)]
    if not vals:
        return None, None
    lo = min(_as_date(v.min()) for v in vals)
    hi = max(_as_date(v.max()) for v in vals)
    return lo, hi


def period_of(table: str, *columns: str):
    """A :attr:`FormatSpec.period` hook: the first and last date found in ``columns`` of ``table``."""

    def of(tables, raws, ctx):
        frame = tables[table]
        return period(*(frame[c] for c in columns))

    return of


def first_of_part(raw: RawTable) -> np.ndarray:
    """Per row: is it the first row of its file? (Row 0 only, for a table of one file.)"""
    n = len(raw.frame)
    parts = raw.parts()
    first = np.zeros(n, dtype=bool)
    if n:
        first[0] = True
        if parts is not None:
            first[1:] = parts[1:] != parts[:-1]
    return first


def _as_date(v) -> date:
    if isinstance(v, pd.Timestamp):
        return v.tz_convert("UTC").date() if v.tzinfo else v.date()
    if hasattr(v, "date") and not isinstance(v, date):
        return v.date()
    return v


def url_param(url: pd.Series, name: str) -> pd.Series:
    """The value of query parameter ``name`` (vectorised regex), percent-decoded for common escapes."""
    v = locale.rx_extract1(url, rf"[?&#]{name}=([^&#]*)")
    v = v.where(v != "")
    return percent_decode(v)


def url_params(url: pd.Series, names: list[str]) -> dict[str, pd.Series]:
    """Several query parameters at once (one pass over all key=value pairs), percent-decoded."""
    return {k: percent_decode(v) for k, v in locale.query_params(url, names).items()}


_ESCAPES = {
    "%20": " ",
    "+": " ",
    "%2C": ",",
    "%2c": ",",
    "%3A": ":",
    "%3a": ":",
    "%2F": "/",
    "%2f": "/",
    "%7C": "|",
    "%7c": "|",
    "%28": "(",
    "%29": ")",
    "%27": "'",
    "%21": "!",
    "%2D": "-",
    "%5F": "_",
    "%2E": ".",
    "%40": "@",
    "%3D": "=",
    "%26": "&",
    "%23": "#",
    "%3F": "?",
    "%25": "%",
}


def percent_decode(v: pd.Series) -> pd.Series:
    has = locale.rx_contains(v, r"[%+]")
    if not has.any():
        return v
    sub = v[has]
    for code, ch in _ESCAPES.items():  # loop over escape codes, vectorised over rows
        sub = sub.str.replace(code, ch, regex=False)
    out = v.copy()
    out[has] = sub
    return out
