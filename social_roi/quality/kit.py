"""What suite modules in ``expectations/`` share: run parameters, SQL helpers, expectation shorthands, raw specs.

A **mart suite** module defines::

    NAME = "mart__<what>"            # = its file name
    SEVERITY = "blocking"            # or "warning" (thresholds.yml may override it)
    ROW_ID = ["attribution_model"]   # columns that name a row of its frame in messages (optional)
    def frame(con, params: MartParams) -> pandas.DataFrame    # the SQL aggregation it validates
    def build_suite(thresholds: Thresholds | None = None) -> gx.ExpectationSuite

A **raw suite** module defines ``NAME``, ``SEVERITY``, ``FORMATS`` (format names it covers), ``SPEC``
(a :class:`RawSpec`), ``frame(df, today=...)`` and ``build_suite(columns=None, thresholds=None, today=None)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from social_roi import sql
from social_roi.quality._gx import gx
from social_roi.quality.thresholds import Thresholds, load_thresholds

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def ident(name: str) -> str:
    """A quoted SQL identifier (schema, table or column name); the gates read only plain names."""
    if not _IDENT.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return sql.ident(name)


@dataclass(frozen=True)
class MartParams:
    schema: str
    run_date: date
    thresholds: Thresholds

    def rel(self, table: str) -> str:
        return f"{ident(self.schema)}.{ident(table)}"

    def sql(self, template: str) -> str:
        """``{schema}`` in a query becomes the quoted schema; ``$run_date`` stays a bound parameter."""
        return template.replace("{schema}", ident(self.schema))


def query(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run ``sql`` and fetch the result as a DataFrame (always consumed: an open result blocks the connection)."""
    used = {k: v for k, v in (params or {}).items() if f"${k}" in sql}
    return con.execute(sql, used).df()


def run_query(con, params: MartParams, template: str) -> pd.DataFrame:
    return query(con, params.sql(template), {"run_date": params.run_date})


def mart_columns(con, params: MartParams, *, data_type: str | None = None, column: str | None = None) -> pd.DataFrame:
    """(table_name, column_name, data_type) of the mart tables (prefixes from thresholds ``pii.table_prefixes``)."""
    prefixes = params.thresholds.get("pii.table_prefixes", ["fct_", "dim_"])
    where = " or ".join(["starts_with(table_name, ?)"] * len(prefixes)) or "false"
    sql = (
        f"select table_name, column_name, data_type from information_schema.columns "
        f"where table_schema = ? and ({where})"
    )
    args: list[Any] = [params.schema, *prefixes]
    if data_type is not None:
        sql += " and data_type = ?"
        args.append(data_type)
    if column is not None:
        sql += " and column_name = ?"
        args.append(column)
    sql += " order by table_name, ordinal_position"
    return con.execute(sql, args).df()


def existing_tables(con, schema: str) -> set[str]:
    rows = con.execute("select table_name from information_schema.tables where table_schema = ?", [schema]).fetchall()
    return {r[0] for r in rows}


# Where the mart gate reads spend: the first of these the audit schema has. int_ad_spend_daily holds every ads
# export in the reporting currency (what fct_channel_roi_daily sums); stg_meta__ads_daily is the Meta-only layout.
SPEND_SOURCES = ("int_ad_spend_daily", "stg_meta__ads_daily")


def spend_table(con, params: MartParams) -> str:
    """The quoted spend source (columns ``spend_date``, ``spend``) of ``params.schema``."""
    present = existing_tables(con, params.schema)
    for table in SPEND_SOURCES:
        if table in present:
            return params.rel(table)
    raise LookupError(f"no spend table in schema {params.schema} (looked for {', '.join(SPEND_SOURCES)})")


def with_spend(con, params: MartParams, template: str) -> str:
    """``template`` with ``{spend_table}`` replaced by the spend source."""
    return template.replace("{spend_table}", spend_table(con, params))


def suite(name: str, expectations: Sequence[Any], *, notes: str | None = None):
    mod = gx()
    return mod.ExpectationSuite(name=name, expectations=list(expectations), notes=notes)


def resolve(thresholds: Thresholds | None) -> Thresholds:
    return thresholds if thresholds is not None else load_thresholds()


def _meta(show: Iterable[str] = (), note: str | None = None, expected: str | None = None) -> dict:
    meta: dict[str, Any] = {}
    show = list(show)
    if note:
        meta["note"] = note
        show = show if note in show else [*show, note]
    if show:
        meta["show"] = show
    if expected:
        meta["expected"] = expected
    return meta


def expect_zero(column: str, description: str, *, show: Iterable[str] = (), expected: str | None = None):
    """Every row of ``column`` (a count of offending rows) is 0."""
    return gx().expectations.ExpectColumnValuesToBeBetween(
        column=column,
        min_value=0,
        max_value=0,
        description=description,
        meta=_meta(show, expected=expected or "0 in every row"),
    )


def expect_at_most(
    column: str,
    limit: float,
    description: str,
    *,
    show: Iterable[str] = (),
    note: str | None = None,
    expected: str | None = None,
):
    return gx().expectations.ExpectColumnValuesToBeBetween(
        column=column, max_value=limit, description=description, meta=_meta(show, note, expected)
    )


def expect_at_least(
    column: str,
    limit: float,
    description: str,
    *,
    show: Iterable[str] = (),
    note: str | None = None,
    expected: str | None = None,
):
    return gx().expectations.ExpectColumnValuesToBeBetween(
        column=column, min_value=limit, description=description, meta=_meta(show, note, expected)
    )


def expect_between(
    column: str,
    low: float | None,
    high: float | None,
    description: str,
    *,
    show: Iterable[str] = (),
    note: str | None = None,
    expected: str | None = None,
):
    return gx().expectations.ExpectColumnValuesToBeBetween(
        column=column, min_value=low, max_value=high, description=description, meta=_meta(show, note, expected)
    )


# ----------------------------------------------------------------------------------------------------------------
# Raw files


KINDS = ("text", "number", "integer", "datetime", "boolean")
# Column naming the file of each row when the loader validates several files of one table in one run.
BATCH_FILE_COLUMN = "_batch_file"
ISO_4217 = r"^[A-Z]{3}$"


@dataclass(frozen=True)
class RawSpec:
    """The contract of one parsed table, in the canonical column names the parser emits.

    ``required``: columns that must exist and hold at least one value (parsers emit every known column, empty
    when the export lacks it). ``kinds``: column -> one of KINDS ("datetime" covers dates and timestamps),
    checked where present. ``key``: columns whose combination is unique in a file. ``non_negative``: amounts
    and counts. ``currencies``: ISO-4217 code columns (missing values allowed; ``required`` makes them mandatory).
    A module that needs a derived column (``coalesce(day, reporting_starts)``) adds it in its ``frame()``.
    """

    required: tuple[str, ...]
    kinds: dict[str, str]
    key: tuple[str, ...] = ()
    non_negative: tuple[str, ...] = ()
    currencies: tuple[str, ...] = ()
    notes: str = ""

    def __post_init__(self) -> None:
        bad = {c: k for c, k in self.kinds.items() if k not in KINDS}
        if bad:
            raise ValueError(f"unknown kinds {bad}; use one of {KINDS}")

    @property
    def dates(self) -> tuple[str, ...]:
        return tuple(c for c, k in self.kinds.items() if k == "datetime")

    @property
    def columns(self) -> set[str]:
        return set(self.required) | set(self.kinds) | set(self.key) | set(self.non_negative) | set(self.currencies)


def kind_of(series: pd.Series) -> str:
    """What a parsed column holds, from its dtype (GX's type expectations misread pandas 3 extension dtypes)."""
    dtype = series.dtype
    api = pd.api.types
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        t = dtype.pyarrow_dtype
        if pa.types.is_date(t) or pa.types.is_timestamp(t):
            return "datetime"
        if pa.types.is_boolean(t):
            return "boolean"
        if pa.types.is_integer(t):
            return "integer"
        if pa.types.is_floating(t) or pa.types.is_decimal(t):
            return "number"
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return "text"
        return str(t)
    if api.is_bool_dtype(dtype):
        return "boolean"
    if api.is_datetime64_any_dtype(dtype):
        return "datetime"
    if api.is_integer_dtype(dtype):
        return "integer"
    if api.is_numeric_dtype(dtype):
        return "number"
    if api.is_string_dtype(dtype):
        sample = series.dropna().head(50)
        if len(sample) and all(isinstance(v, (date, datetime)) for v in sample):
            return "datetime"
        return "text"
    return str(dtype)


_ACCEPTS = {
    "text": {"text"},
    "number": {"number", "integer"},
    "integer": {"integer"},
    "datetime": {"datetime"},
    "boolean": {"boolean"},
}


def type_column(column: str) -> str:
    return f"{column}__kind"


def prepare_raw(df: pd.DataFrame, spec: RawSpec) -> pd.DataFrame:
    """The frame the raw suite validates: typed columns' kinds recorded, dates as naive UTC, numbers numeric."""
    out = {}
    for column, expected in spec.kinds.items():
        if column not in df.columns:
            continue
        s = df[column]
        kind = kind_of(s)
        out[type_column(column)] = _constant(kind, len(df))
        if expected == "datetime":
            out[column] = _naive_utc(s)
        elif expected in ("number", "integer") and kind not in ("number", "integer"):
            out[column] = pd.to_numeric(s, errors="coerce")
        elif expected in ("number", "integer"):
            out[column] = s.astype("float64")
    return df.assign(**out) if out else df


def _constant(value: str, n: int):
    """``value`` in each of ``n`` rows: a one-category categorical (hashing, null-filtering and finding the
    distinct values of a million rows of it cost next to nothing; the values are the same strings). An empty
    column stays a plain string column, since an empty categorical would still report its category."""
    if n == 0:
        return pd.Series([], dtype="str").to_numpy()
    import numpy as np

    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([value], dtype="str"))


def _naive_utc(s: pd.Series) -> pd.Series:
    """Dates and timestamps as naive UTC, in nanoseconds when every value fits (GX compares a ``datetime64[ns]``
    column with its bounds vectorised, any other column one Python call per value), else in microseconds."""
    out = _arrow_naive_utc(s)
    if out is None:
        if isinstance(s.dtype, pd.ArrowDtype) or not pd.api.types.is_datetime64_any_dtype(s.dtype):
            s = pd.to_datetime(s.astype("object"), errors="coerce", utc=True, format="mixed")
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        out = s.astype("datetime64[us]")
    try:
        return out.astype("datetime64[ns]")
    except (OverflowError, ValueError):  # OutOfBoundsDatetime is a ValueError: a date before 1677 or after 2262
        return out


# Python's date range in microseconds since the epoch: what ``pd.to_datetime`` accepts from date objects.
_PY_MIN_US = -62135596800 * 10**6
_PY_MAX_US = 253402300799 * 10**6 + 999999


def _arrow_naive_utc(s: pd.Series) -> pd.Series | None:
    """The arrow-native form of the general path for arrow dates and (s, ms, us) timestamps: the same values
    (midnight UTC for a date; the UTC instant for a timestamp, naive ones read as UTC) without a Python object
    per value. None where the general path must decide (other types, values outside Python's date range)."""
    if not isinstance(s.dtype, pd.ArrowDtype):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    t = s.dtype.pyarrow_dtype
    if not (pa.types.is_date(t) or (pa.types.is_timestamp(t) and t.unit in ("s", "ms", "us"))):
        return None
    arr = pa.chunked_array(s.array.__arrow_array__()).cast(pa.timestamp("us"))  # a tz-aware one's values are UTC
    if arr.null_count < len(arr):
        bounds = pc.min_max(arr.cast(pa.int64()))
        if bounds["min"].as_py() < _PY_MIN_US or bounds["max"].as_py() > _PY_MAX_US:
            return None
    values = arr.to_numpy(zero_copy_only=False) if len(arr) else pd.Series([], dtype="datetime64[us]").to_numpy()
    return pd.Series(values.astype("datetime64[us]"), index=s.index, name=s.name)


def date_bounds(thresholds: Thresholds, today: date | None) -> tuple[datetime, datetime]:
    today = today or date.today()
    low = thresholds.get("raw.min_date", date(2000, 1, 1))
    low = low if isinstance(low, date) else date.fromisoformat(str(low))
    days = int(thresholds.get("raw.future_days", 1))
    high = datetime.combine(today + timedelta(days=days + 1), datetime.min.time()) - timedelta(microseconds=1)
    return datetime.combine(low, datetime.min.time()), high


def build_raw_suite(
    name: str,
    spec: RawSpec,
    columns: Iterable[str] | None = None,
    thresholds: Thresholds | None = None,
    today: date | None = None,
):
    """The raw suite of one format, for the columns a file actually has (absent optional columns are skipped)."""
    mod = gx()
    gxe = mod.expectations
    t = resolve(thresholds)
    present = set(columns) if columns is not None else spec.columns
    exps: list[Any] = []
    for col in spec.required:
        exps.append(gxe.ExpectColumnToExist(column=col, description=f"required column {col}"))
        exps.append(
            gxe.ExpectColumnUniqueValueCountToBeBetween(
                column=col,
                min_value=1,
                description=f"required column {col} is not empty",
                meta=_meta(expected=f"{col} holds at least one value"),
            )
        )
    for column, kind in spec.kinds.items():
        if column in present:
            exps.append(
                gxe.ExpectColumnDistinctValuesToBeInSet(
                    column=type_column(column),
                    value_set=sorted(_ACCEPTS[kind]),
                    description=f"{column} holds {kind} values",
                    meta=_meta(expected=f"{column} of kind {kind}"),
                )
            )
    key = [c for c in spec.key if c in present]
    if key and len(key) == len(spec.key):
        if BATCH_FILE_COLUMN in present:  # several files validated at once: keys are unique within each file
            key = [BATCH_FILE_COLUMN, *key]
        if len(key) == 1:
            exps.append(gxe.ExpectColumnValuesToBeUnique(column=key[0], description=f"{key[0]} is unique in a file"))
        else:
            exps.append(
                gxe.ExpectCompoundColumnsToBeUnique(
                    column_list=key, description=f"({', '.join(key)}) is unique in a file"
                )
            )
    for column in spec.non_negative:
        if column in present:
            exps.append(
                gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, description=f"{column} is not negative")
            )
    low, high = date_bounds(t, today)
    planned = set(t.get("raw.future_allowed_columns", []))
    for column in spec.dates:
        if column in present and column in planned:
            exps.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=column,
                    min_value=low,
                    description=f"{column} is a plausible (possibly planned) date",
                    meta=_meta(expected=f"dates from {low.date()} on (future dates allowed: a planned date)"),
                )
            )
        elif column in present:
            exps.append(
                gxe.ExpectColumnValuesToBeBetween(
                    column=column,
                    min_value=low,
                    max_value=high,
                    description=f"{column} is a plausible date",
                    meta=_meta(
                        expected=f"dates between {low.date()} and {high.date()} (today + "
                        f"{t.get('raw.future_days', 1)} day)"
                    ),
                )
            )
    for column in spec.currencies:
        if column in present:
            exps.append(
                gxe.ExpectColumnValuesToMatchRegex(
                    column=column, regex=ISO_4217, description=f"{column} is an ISO-4217 code (3 capital letters)"
                )
            )
    return mod.ExpectationSuite(name=name, expectations=exps, notes=spec.notes or None)
