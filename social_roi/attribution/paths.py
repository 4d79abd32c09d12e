"""Path tables: reading, validating, transforming and aggregating customer journeys.

A *path table* is a DataFrame with one row per (journey path, counts):

- ``path``: a tuple of channel names, in touch order (first touch first);
- ``total_conversions``: journeys with this path that converted (float, >= 0);
- ``total_null``: journeys with this path that did not convert (float, >= 0; 0 when unknown);
- ``total_conversion_value``: conversion value of those conversions (float; NaN when the source has
  no value column: "unknown" is not "zero").

Every model in this package takes such a table; ``aggregate_paths`` merges identical paths first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

STEP_SEP = ">"
CONV, NULL, VALUE = "total_conversions", "total_null", "total_conversion_value"
COLUMNS = ("path", CONV, NULL, VALUE)
TRANSFORMS = ("unique", "first", "exposure", "frequency", "remove_if_not_all")


class PathTableError(ValueError):
    """A path table that cannot be used; the message names file, row, column, value and expectation."""


def _where(source: str, row: int | None, column: str | None) -> str:
    parts = [source] if source else []
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def parse_path(text: str, *, where: str = "path") -> tuple[str, ...]:
    """Split ``'A > B>C'`` into ``('A', 'B', 'C')``; steps are trimmed and must not be empty."""
    steps = tuple(step.strip() for step in str(text).split(STEP_SEP))
    if any(step == "" for step in steps):
        raise PathTableError(
            f"{where}: value '{text}': expected channel names separated by '{STEP_SEP}' with no empty step"
        )
    return steps


def _number(value: object, where: str, *, non_negative: bool) -> float:
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or (non_negative and number < 0):
        expected = "a non-negative number" if non_negative else "a finite number"
        raise PathTableError(f"{where}: value '{value}': expected {expected}")
    return number


def make_path_table(frame: pd.DataFrame, *, source: str = "path table") -> pd.DataFrame:
    """Validate a frame with ``path`` (string or tuple) and count columns; return a canonical path table.

    Rows are numbered from 1, header excluded (row 1 is the first data row of a CSV file).
    """
    for column in ("path", CONV):
        if column not in frame.columns:
            found = ", ".join(map(str, frame.columns)) or "none"
            raise PathTableError(f"{source}: missing column '{column}' (columns found: {found})")
    paths, conversions, nulls, values = [], [], [], []
    has_null, has_value = NULL in frame.columns, VALUE in frame.columns
    for row, record in enumerate(frame.to_dict("records"), start=1):
        raw = record["path"]
        if isinstance(raw, tuple):
            steps = raw
            if not steps or any(not isinstance(s, str) or s.strip() == "" for s in steps):
                raise PathTableError(f"{_where(source, row, 'path')}: value '{raw}': expected non-empty steps")
        else:
            steps = parse_path(raw, where=_where(source, row, "path"))
        paths.append(steps)
        conversions.append(_number(record[CONV], _where(source, row, CONV), non_negative=True))
        nulls.append(_number(record[NULL], _where(source, row, NULL), non_negative=True) if has_null else 0.0)
        values.append(_number(record[VALUE], _where(source, row, VALUE), non_negative=False) if has_value else math.nan)
    table = pd.DataFrame(
        {"path": pd.Series(paths, dtype=object), CONV: conversions, NULL: nulls, VALUE: values}, columns=list(COLUMNS)
    )
    return table.astype({CONV: float, NULL: float, VALUE: float})


def read_path_table(file: str | Path, sep: str = ",") -> pd.DataFrame:
    """Read a CSV path table (``sep`` is the CSV delimiter) and validate it; see ``make_path_table``."""
    try:
        frame = pd.read_csv(file, sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise PathTableError(f"{file}: file not found") from None
    except pd.errors.EmptyDataError:
        raise PathTableError(f"{file}: file is empty; expected a header with 'path,{CONV}'") from None
    except pd.errors.ParserError as exc:
        raise PathTableError(f"{file}: not a CSV table with delimiter '{sep}': {exc}".splitlines()[0]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return make_path_table(frame, source=str(file))


def has_value(table: pd.DataFrame) -> bool:
    """True when the table carries conversion values (a value column with no NaN)."""
    return len(table) > 0 and bool(table[VALUE].notna().all())


def channels_of(table: pd.DataFrame) -> list[str]:
    """Sorted distinct channels appearing in the table's paths."""
    return sorted({step for path in table["path"] for step in path})


# --- transforms -------------------------------------------------------------------------------------


def _first_occurrences(steps: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(steps))


def _runs(steps: Sequence[str]) -> list[list]:
    runs: list[list] = []
    for step in steps:
        if runs and runs[-1][0] == step:
            runs[-1][1] += 1
        else:
            runs.append([step, 1])
    return runs


def transform_path(steps: Sequence[str], how: str, channels: Iterable[str] = ()) -> tuple[str, ...]:
    """Transform one path (see docs/attribution.md for worked examples).

    - ``unique`` / ``first``: keep each channel's first touch, in order: A>B>A>C>B -> A>B>C.
    - ``exposure``: collapse consecutive repeats: A>A>B>A -> A>B>A.
    - ``frequency``: the exposure path (run lengths come from ``frequency_counts``).
    - ``remove_if_not_all``: drop ``channels`` unless the path consists only of them:
      with channels={direct}: A>direct>B -> A>B, but direct>direct stays direct>direct.
    """
    if how in ("unique", "first"):
        return _first_occurrences(steps)
    if how in ("exposure", "frequency"):
        return tuple(step for step, _ in _runs(steps))
    if how == "remove_if_not_all":
        drop = set(channels)
        kept = tuple(step for step in steps if step not in drop)
        return kept if kept else tuple(steps)
    raise ValueError(f"unknown path transform '{how}'; expected one of {', '.join(TRANSFORMS)}")


def frequency_counts(steps: Sequence[str]) -> tuple[int, ...]:
    """Run lengths aligned with ``transform_path(steps, 'frequency')``: A>A>B>A -> (2, 1, 1)."""
    return tuple(count for _, count in _runs(steps))


def truncate_path(steps: Sequence[str], max_length: int) -> tuple[str, ...]:
    """Keep the LAST ``max_length`` steps (the touches closest to the outcome)."""
    if max_length < 1:
        raise ValueError(f"max path length must be >= 1, got {max_length}")
    return tuple(steps[-max_length:])


def transform_paths(table: pd.DataFrame, how: str, channels: Iterable[str] = ()) -> pd.DataFrame:
    """Apply ``transform_path`` to every row; ``frequency`` also adds a ``path_counts`` column."""
    channels = tuple(channels)
    out = table.copy()
    out["path"] = [transform_path(p, how, channels) for p in table["path"]]
    if how == "frequency":
        out["path_counts"] = [frequency_counts(p) for p in table["path"]]
    return out


def aggregate_paths(table: pd.DataFrame) -> pd.DataFrame:
    """Sum counts and values of identical paths (and ``path_counts`` when present); drop empty rows.

    Rows with neither conversions nor nulls carry no information for any model and are dropped.
    The result is sorted by path, so identical input gives identical output.
    """
    keys = ["path", "path_counts"] if "path_counts" in table.columns else ["path"]
    grouped = table.groupby(keys, sort=True, dropna=False)
    out = grouped[[CONV, NULL]].sum()
    out[VALUE] = grouped[VALUE].sum(min_count=1)
    out = out.reset_index()
    out = out[(out[CONV] + out[NULL]) > 0].reset_index(drop=True)
    return out[keys + [CONV, NULL, VALUE]]


def prepare_paths(
    table: pd.DataFrame, transform: str | None = None, channels: Iterable[str] = (), max_length: int | None = None
) -> pd.DataFrame:
    """Transform, then keep the last ``max_length`` steps, then aggregate identical paths."""
    if transform is not None:
        table = transform_paths(table, transform, channels).drop(columns="path_counts", errors="ignore")
    if max_length is not None:
        table = table.assign(path=[truncate_path(p, max_length) for p in table["path"]])
    return aggregate_paths(table)
