"""Locale-robust reading of export files: encodings, delimiters, preambles, numbers, dates and ids.

Everything here is vectorised (numpy / pandas string methods backed by pyarrow / pyarrow.csv): no Python loop
runs over the rows of a file. Loops only run over a handful of header-candidate lines, columns or formats.

Text files
    * encodings: UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM (and BOM-less UTF-16 guessed from NUL bytes);
      anything else that is not valid UTF-8 is rejected (``undecodable``) naming the line of the first bad byte.
    * records are found on the raw bytes with numpy: a newline ends a record when an even number of ``"``
      precede it (RFC 4180 doubling keeps the parity right), so quoted multi-line cells (tweet text) stay in
      their record and every record knows the physical line it starts on (``source_row``).
    * the header is located by the detector (preamble lines before it are kept for parsers that need them).
    * cells are read with ``pyarrow.csv`` as strings only, never through float (ids stay exact).

Numbers (:func:`parse_numbers`)
    ``1,234.56``, ``1.234,56``, ``1 234,56`` (space, U+00A0, U+202F, U+2009 as thousands), ``$ £ € ¥`` signs and
    ISO codes, ``(12.50)`` accounting negatives, ``1.2K`` / ``3M`` / ``1B``, ``12%`` (→ 0.12), and ``-``, ``--``,
    empty, ``n/a`` as null. The decimal mark is decided once per column from all its values; when the column
    alone cannot tell (``1,234``), the file's hint decides (``;``-delimited files use the decimal comma).

Dates (:func:`parse_datetimes`)
    ISO 8601 with or without offset (``2016-12-23 18:50 +0000``), ``MM/DD/YYYY HH:MM``, ``M/D/YYYY``,
    ``DD/MM/YYYY`` (also ``.``-separated), ``Sep 26, 2026``, ``26 Sep 2026``, ``YYYYMMDD``, Excel serials
    (``45384.3478``) and ``Lifetime`` (null, flagged). Day-first vs month-first is decided ONCE PER FILE by
    :func:`decide_dayfirst` from every slash date in the file: a first field > 12 means day-first, a second
    field > 12 means month-first, both at once is a ``mixed_date_order`` file error, neither means the format's
    documented default. Values without offset are taken as UTC; every result is tz-aware UTC.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from social_roi.ingest.base import IngestError, Problem

MAX_LINE_BYTES = 1_048_576  # a physical line longer than 1 MB rejects the file
NULL_TOKENS = ("", "-", "--", "—", "–", "n/a", "na", "null", "none", "nan", "(none)", "(not set)")
_SPACES = "\u00a0\u202f\u2009\u2007"

# ----------------------------------------------------------------------------------------------------------------
# Decoding


def decode_to_utf8(data: bytes, file: str) -> tuple[bytes, str]:
    """Return the content as UTF-8 bytes without BOM, and the encoding found. Rejects empty/undecodable files."""
    if not re.search(rb"[^ \t\r\n\x00\xef\xbb\xbf\xff\xfe]", data[: 1 << 20]) and not data[1 << 20 :].strip():
        raise IngestError(Problem(file, None, None, None, "a non-empty export file", "empty_file"))
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = "utf-8-sig", data[3:]
    elif data.startswith(b"\xff\xfe"):
        encoding, body = "utf-16-le", data[2:]
    elif data.startswith(b"\xfe\xff"):
        encoding, body = "utf-16-be", data[2:]
    else:
        body = data
        head = np.frombuffer(data[:4000], dtype=np.uint8)
        if head.size >= 4 and (head == 0).mean() > 0.3:  # BOM-less UTF-16: ASCII text with NUL high bytes
            even_nul = (head[0::2] == 0).mean()
            odd_nul = (head[1::2] == 0).mean()
            encoding = "utf-16-be" if even_nul > odd_nul else "utf-16-le"
    if encoding.startswith("utf-16"):
        if len(body) % 2:
            raise IngestError(
                Problem(
                    file,
                    None,
                    None,
                    None,
                    f"complete {encoding} text (odd byte count: the file looks truncated)",
                    "truncated",
                )
            )
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _decode_error(file, body[: exc.start].decode(encoding, "replace"), encoding) from exc
        return text.encode("utf-8"), encoding
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        bad = body[exc.start : exc.start + 4]
        truncated = exc.start >= len(body) - 3 and exc.reason.startswith("unexpected end")
        if truncated:
            raise IngestError(
                Problem(
                    file,
                    line,
                    None,
                    None,
                    "complete UTF-8 text (the file ends inside a character: truncated)",
                    "truncated",
                )
            ) from exc
        raise IngestError(
            Problem(
                file,
                line,
                None,
                bad.hex(" "),
                "UTF-8, UTF-8 with BOM or UTF-16 text "
                "(found bytes that are not UTF-8, e.g. a Windows-1252/Latin-1 export)",
                "undecodable",
            )
        ) from exc
    if b"\x00" in body:
        line = body[: body.index(b"\x00")].count(b"\n") + 1
        raise IngestError(
            Problem(file, line, None, "\\x00", "text without NUL bytes (binary or corrupt file)", "undecodable")
        )
    return body, encoding


def _decode_error(file: str, before: str, encoding: str) -> IngestError:
    return IngestError(Problem(file, before.count("\n") + 1, None, None, f"valid {encoding} text", "undecodable"))


# ----------------------------------------------------------------------------------------------------------------
# Records


@dataclass
class Records:
    """Record boundaries of a UTF-8 CSV body, found on the bytes (vectorised)."""

    buf: bytes
    starts: np.ndarray  # byte offset where each record starts
    ends: np.ndarray  # byte offset just past the record's content (excluding \r\n)
    lines: np.ndarray  # 1-based physical line each record starts on
    quoted_newlines: bool
    open_quote: bool  # an odd number of quotes: the last record never closes its quote
    ends_with_newline: bool

    @property
    def n(self) -> int:
        return int(self.starts.size)

    def text(self, i: int) -> str:
        return self.buf[self.starts[i] : self.ends[i]].decode("utf-8", "replace")

    def blank(self) -> np.ndarray:
        return self.ends <= self.starts


def split_records(buf: bytes, file: str) -> Records:
    b = np.frombuffer(buf, dtype=np.uint8)
    nl = np.flatnonzero(b == 10)
    # a physical line over 1 MB rejects the file
    bounds = np.concatenate(([-1], nl, [b.size]))
    lengths = np.diff(bounds) - 1
    if lengths.size and lengths.max() > MAX_LINE_BYTES:
        line = int(np.argmax(lengths)) + 1
        raise IngestError(
            Problem(
                file,
                line,
                None,
                f"{int(lengths.max())} bytes",
                f"lines of at most {MAX_LINE_BYTES} bytes",
                "line_too_long",
            )
        )
    qpos = np.flatnonzero(b == 34)
    if qpos.size:
        parity = np.searchsorted(qpos, nl) & 1
        rec_nl = nl[parity == 0]
        quoted_newlines = bool((parity == 1).any())
    else:
        rec_nl = nl
        quoted_newlines = False
    ends_with_newline = bool(b.size and b[-1] == 10)
    ends = rec_nl.copy()
    if not ends_with_newline:
        ends = np.concatenate((ends, [b.size]))
    starts = np.concatenate(([0], rec_nl + 1))[: ends.size]
    lines = np.searchsorted(nl, starts) + 1
    # drop the \r of CRLF endings
    has_cr = (ends > starts) & (b[np.maximum(ends - 1, 0)] == 13)
    ends = ends - has_cr.astype(ends.dtype)
    return Records(
        buf,
        starts.astype(np.int64),
        ends.astype(np.int64),
        lines.astype(np.int64),
        quoted_newlines,
        bool(qpos.size % 2),
        ends_with_newline,
    )


def split_cells(line: str, delimiter: str) -> list[str]:
    """Split one header-candidate line (not used on data rows)."""
    try:
        return next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def field_counts(rec: Records, delimiter: str) -> np.ndarray:
    b = np.frombuffer(rec.buf, dtype=np.uint8)
    dpos = np.flatnonzero(b == ord(delimiter))
    qpos = np.flatnonzero(b == 34)
    if qpos.size and dpos.size:
        dpos = dpos[(np.searchsorted(qpos, dpos) & 1) == 0]
    idx = np.searchsorted(rec.ends, dpos, side="left")
    idx = idx[idx < rec.n]
    return np.bincount(idx, minlength=rec.n) + 1


def read_records(
    rec: Records, header_index: int, header: list[str], delimiter: str, file: str, footer: str | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read every record after the header as strings. Returns the frame (original header names +
    ``source_row``) and row problems for records with the wrong number of fields (see :func:`read_records_arrow`)."""
    table, source_row, problems = read_records_arrow(rec, header_index, header, delimiter, file, footer)
    frame = arrow_to_str_frame(table, header)
    frame["source_row"] = source_row
    return frame, problems


def read_records_arrow(
    rec: Records,
    header_index: int,
    header: list[str],
    delimiter: str,
    file: str,
    footer: str | None = None,
    section_end: str | None = None,
) -> tuple[pa.Table, np.ndarray, list[Problem]]:
    """Read every record after the header as untrimmed strings: (Arrow table with one string column per header
    cell, physical line of each row, row problems for records with the wrong number of fields).

    ``footer``: a regex; the first of the last 20 records whose text matches it starts a report footer, which
    is dropped silently with everything after it. ``section_end``: a regex; the first record after the header
    whose text matches it ends the table (the next tables of a report of several are not this table's rows)."""
    problems: list[Problem] = []
    ncol = len(header)
    first = header_index + 1
    data_idx = np.arange(first, rec.n)
    data_idx = data_idx[~rec.blank()[first:]]
    if section_end is not None and data_idx.size:
        pattern = re.compile(section_end)
        for pos, i in enumerate(data_idx.tolist()):  # only report layouts set it: a few thousand lines at most
            if pattern.match(rec.text(i).strip()):
                data_idx = data_idx[:pos]
                break
    if footer is not None and data_idx.size:
        pattern = re.compile(footer)
        tail = data_idx[-20:].tolist()
        for pos, i in enumerate(tail):  # the last few records only
            text = rec.text(i).strip().strip('"').strip()
            if pattern.match(text):
                data_idx = data_idx[: data_idx.size - len(tail) + pos]
                break
    if rec.open_quote:
        last = rec.n - 1
        raise IngestError(
            Problem(
                file,
                int(rec.lines[last]),
                None,
                None,
                "every quoted cell closed (the file ends inside a quoted cell: truncated)",
                "truncated",
            )
        )
    if data_idx.size == 0:
        return _empty_table(ncol), np.zeros(0, dtype=np.int64), problems
    if not (rec.ends_with_newline is False and rec.n - 1 in data_idx[-1:]):
        try:  # fast path: every record has the right number of fields
            return (*_read_arrow(rec, data_idx, header, delimiter, first), problems)
        except pa.ArrowInvalid:
            pass
    counts = field_counts(rec, delimiter)[data_idx]
    bad = counts != ncol
    # a trailing delimiter on every row (some exports) is tolerated when the extra cell is empty
    if bad.any():
        last = data_idx[-1]
        if bad[-1] and not rec.ends_with_newline and counts[-1] < ncol:
            raise IngestError(
                Problem(
                    file,
                    int(rec.lines[last]),
                    None,
                    None,
                    f"{ncol} fields on the last line (found {int(counts[-1])}: truncated)",
                    "truncated",
                )
            )
        for i in np.flatnonzero(bad).tolist():  # loop over rejected rows only
            problems.append(
                Problem(
                    file,
                    int(rec.lines[data_idx[i]]),
                    None,
                    rec.text(int(data_idx[i]))[:200],
                    f"{ncol} fields (found {int(counts[i])})",
                    "field_count",
                )
            )
        data_idx = data_idx[~bad]
    if data_idx.size == 0:
        return _empty_table(ncol), np.zeros(0, dtype=np.int64), problems
    try:
        return (*_read_arrow(rec, data_idx, header, delimiter, first), problems)
    except pa.ArrowInvalid as exc:
        raise IngestError(
            Problem(
                file,
                None,
                None,
                str(exc)[:200],
                "well-formed CSV (quotes balanced, one record per line or quoted multi-line cell)",
                "malformed_csv",
            )
        ) from exc


def _empty_table(ncol: int) -> pa.Table:
    return pa.table({f"c{i}": pa.array([], type=pa.string()) for i in range(ncol)})


def _read_arrow(
    rec: Records, data_idx: np.ndarray, header: list[str], delimiter: str, first: int
) -> tuple[pa.Table, np.ndarray]:
    ncol = len(header)
    body = _slice_records(rec, data_idx)
    names = [f"c{i}" for i in range(ncol)]
    table = pacsv.read_csv(
        io.BytesIO(body),
        read_options=pacsv.ReadOptions(column_names=names, block_size=max(1 << 24, 2 * MAX_LINE_BYTES)),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            quote_char='"',
            double_quote=True,
            newlines_in_values=rec.quoted_newlines,
            ignore_empty_lines=True,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    if table.num_rows == data_idx.size:
        source_row = rec.lines[data_idx].astype(np.int64)
    else:  # stray quotes made pyarrow split differently: fall back to approximate line numbers
        source_row = np.arange(table.num_rows, dtype=np.int64) + int(rec.lines[first])
    return table, source_row


def _slice_records(rec: Records, idx: np.ndarray) -> bytes:
    """The bytes of the chosen records joined by newlines (vectorised: a byte mask, no loop over records)."""
    if idx.size == rec.n - idx[0] and np.all(np.diff(idx) == 1):
        return rec.buf[rec.starts[idx[0]] :]
    b = np.frombuffer(rec.buf, dtype=np.uint8)
    mask = np.zeros(b.size + 1, dtype=np.int8)
    np.add.at(mask, rec.starts[idx], 1)
    stop = np.minimum(rec.ends[idx] + 1, b.size)  # keep the terminating newline (or \r\n's \n)
    np.add.at(mask, stop, -1)
    keep = np.cumsum(mask[:-1]).astype(bool)
    out = b[keep].tobytes()
    return out if out.endswith(b"\n") else out + b"\n"


def arrow_to_str_frame(table: pa.Table, header: list[str]) -> pd.DataFrame:
    cols = {}
    for name, arr in zip(header, table.columns):
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            arr = pc.cast(arr, pa.string())
        arr = pc.fill_null(pc.utf8_trim_whitespace(arr), "")
        cols[name] = pd.Series(arr.to_pandas(), dtype="str")
    return pd.DataFrame(cols)


# ----------------------------------------------------------------------------------------------------------------
# Vectorised regular expressions (pyarrow / RE2). pandas' ``.str.extract``/``.str.match`` fall back to a Python
# loop for many patterns on the ``str`` dtype, so the hot paths call pyarrow.compute directly.


def _arrow(s: pd.Series) -> pa.ChunkedArray | pa.Array:
    arr = getattr(s.array, "_pa_array", None)
    if arr is not None and (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return arr
    return pa.array(s.astype("object").where(s.notna(), None).to_numpy(), type=pa.string(), from_pandas=True)


def _str_series(arr, index) -> pd.Series:
    if not len(index):
        return pd.Series([], index=index, dtype="str")
    out = arr.to_pandas()
    out = out if isinstance(out, pd.Series) else pd.Series(out)
    out.index = index
    return out.astype("str")


def rx_match(s: pd.Series, pattern: str) -> pd.Series:
    """Boolean mask: the pattern matches at the start of the cell (like ``str.match``); missing → False."""
    if len(s) == 0:
        return pd.Series([], index=s.index, dtype=bool)
    anchored = pattern if pattern.startswith(("^", "(?i)^", "(?im)^")) else f"^(?:{pattern})"
    res = pc.fill_null(pc.match_substring_regex(_arrow(s), anchored), False)
    return pd.Series(np.asarray(res, dtype=bool), index=s.index)


def rx_contains(s: pd.Series, pattern: str) -> pd.Series:
    if len(s) == 0:
        return pd.Series([], index=s.index, dtype=bool)
    res = pc.fill_null(pc.match_substring_regex(_arrow(s), pattern), False)
    return pd.Series(np.asarray(res, dtype=bool), index=s.index)


def rx_replace(s: pd.Series, pattern: str, repl: str) -> pd.Series:
    if len(s) == 0:
        return s
    return _str_series(pc.replace_substring_regex(_arrow(s), pattern, repl), s.index)


def _name_groups(pattern: str) -> tuple[str, int]:
    out, n, i, in_class = [], 0, 0, False
    while i < len(pattern):  # loop over the pattern's characters (not over data)
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(" and not pattern.startswith("(?", i):
            out.append(f"(?P<g{n}>")
            n += 1
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out), n


def rx_extract(s: pd.Series, pattern: str) -> pd.DataFrame:
    """Capture groups as columns 0..k-1 (like ``str.extract``); no match or an empty group → missing."""
    named, n = _name_groups(pattern)
    if len(s) == 0:
        return pd.DataFrame({i: pd.Series([], dtype="str") for i in range(n)}, index=s.index)
    res = pc.extract_regex(_arrow(s), named)
    if isinstance(res, pa.ChunkedArray):
        res = res.combine_chunks()
    cols = {}
    for i in range(n):
        field = pc.struct_field(res, [i])
        col = _str_series(field, s.index)
        cols[i] = col.where(col != "")
    return pd.DataFrame(cols, index=s.index)


def rx_extract1(s: pd.Series, pattern: str) -> pd.Series:
    return rx_extract(s, pattern)[0]


def first_char_in(s: pd.Series, chars: str) -> pd.Series:
    """Cells whose first character is one of ``chars`` (cheap prefilter before a regex)."""
    if len(s) == 0:
        return pd.Series([], index=s.index, dtype=bool)
    first = pc.utf8_slice_codeunits(_arrow(s), 0, 1)
    res = pc.fill_null(pc.is_in(first, value_set=pa.array(list(chars), type=first.type)), False)
    return pd.Series(np.asarray(res, dtype=bool), index=s.index)


def has_substring(s: pd.Series, needle: str) -> pd.Series:
    if len(s) == 0:
        return pd.Series([], index=s.index, dtype=bool)
    res = pc.fill_null(pc.match_substring(_arrow(s), needle), False)
    return pd.Series(np.asarray(res, dtype=bool), index=s.index)


def query_params(url: pd.Series, names: list[str]) -> dict[str, pd.Series]:
    """Values of the named query parameters of every URL (first occurrence wins; empty → missing; not yet
    percent-decoded). One literal split of all URLs into ``key=value`` pieces, then a prefix test per name."""
    n = len(url)
    empty = {k: pd.Series(np.full(n, np.nan, dtype=object), index=url.index, dtype="str") for k in names}
    if n == 0:
        return empty
    arr = _arrow(url)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    pieces = pc.split_pattern(pc.replace_substring(pc.replace_substring(arr, "?", "&"), "#", "&"), "&")
    flat = pieces.flatten()
    offsets = np.asarray(pieces.offsets)
    parent = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    out = {}
    for name in names:  # loop over parameter names, vectorised over rows
        prefix = name + "="
        hit = np.flatnonzero(np.asarray(pc.fill_null(pc.starts_with(flat, prefix), False), dtype=bool))
        if hit.size == 0:
            out[name] = empty[name]
            continue
        vals = pc.utf8_slice_codeunits(pc.take(flat, pa.array(hit)), len(prefix))
        pos = np.full(n, -1, dtype=np.int64)
        pos[parent[hit[::-1]]] = np.arange(hit.size - 1, -1, -1)  # reversed so the first occurrence wins
        col = _str_series(pc.take(vals, pa.array(pos, mask=pos < 0)), url.index)
        out[name] = col.where(col != "")
    return out


def to_float(s: pd.Series) -> pd.Series:
    """Strings → float64 (NaN where unparseable). pyarrow's cast when every value parses, else pandas."""
    if len(s) == 0:
        return pd.Series([], index=s.index, dtype="float64")
    try:
        res = pc.cast(_arrow(s), pa.float64())
        return pd.Series(np.asarray(res.to_numpy(zero_copy_only=False), dtype="float64"), index=s.index)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(s, errors="coerce").astype("float64")


# ----------------------------------------------------------------------------------------------------------------
# Cell helpers


def strip(s: pd.Series) -> pd.Series:
    return s.astype("str").str.strip(" \t\r\n" + _SPACES)


def nullify(s: pd.Series) -> pd.Series:
    """Strip and turn null tokens (``-``, ``--``, empty, ``n/a`` …) into missing."""
    s = strip(s)
    return s.where(~s.str.lower().isin(NULL_TOKENS))


_NUM_JUNK = (
    "[\\s\u00a0\u202f\u2009\u2007$£€¥']|"
    r"^(?:usd|eur|gbp|cad|aud|chf|jpy|sek|nok|dkk)|(?:usd|eur|gbp|cad|aud|chf|jpy|sek|nok|dkk)$"
)


_PLAIN_INT = r"^-?\d+$"
_PLAIN_DOT = r"^-?\d+(?:\.\d+)?$"


def parse_numbers(
    s: pd.Series, *, decimal_hint: str = ".", percent_as_fraction: bool = True, parts: np.ndarray | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse a column of locale-formatted numbers. Returns (float64 values, mask of unparseable cells).

    The decimal separator is decided once per file from all the column's values; ``parts`` (per row, the file
    of a batch it comes from) makes that decision per file."""
    raw = nullify(s)
    present = raw.notna()
    # fast path: plain integers (any locale) or plain dot-decimals in a dot-decimal file need no clean-up
    plain = _PLAIN_DOT if decimal_hint == "." else _PLAIN_INT
    if bool((rx_match(raw, plain) | ~present).all()):
        values = to_float(raw)
        return values, present & values.isna()
    x = rx_replace(raw.str.lower(), _NUM_JUNK, "")
    neg_paren = rx_match(x, r"^\(.*\)$")
    x = rx_replace(x, r"^\((.*)\)$", r"\1")
    pct = x.str.endswith("%").fillna(False)
    x = x.str.rstrip("%")
    suffix = rx_extract(x, r"^(.*\d)\s*([kmb])$")
    has_suffix = suffix[1].notna()
    x = x.where(~has_suffix, suffix[0])
    comma = _decide_decimal(x, decimal_hint, parts if parts is not None else np.zeros(len(x), dtype=np.int64))
    as_dot = x.str.replace(",", "", regex=False)
    if comma.all():
        x = x.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    elif comma.any():
        x = x.str.replace(".", "", regex=False).str.replace(",", ".", regex=False).where(comma, as_dot)
    else:
        x = as_dot
    values = to_float(x)
    mult = suffix[1].map({"k": 1e3, "m": 1e6, "b": 1e9}).astype("float64").fillna(1.0)
    values = values * mult.to_numpy()
    if percent_as_fraction:
        values = values.where(~pct, values / 100.0)
    values = values.where(~neg_paren, -values)
    bad = present & values.isna()
    return values, bad


def _decide_decimal(x: pd.Series, hint: str, parts: np.ndarray) -> np.ndarray:
    """Per row, True where its file (its part of a batch; one part for a single file) reads ``,`` as the decimal
    separator, decided from all the file's values of the column: values with both marks -> the last one is the
    decimal mark (majority); only commas -> decimal unless every one is a thousands group (``1,234``), which
    follows the file's hint; only dots -> thousands when some value has several groups (``1.234.567``) or, in a
    decimal-comma file, when every one is a group; no value -> the hint. Counted per part with ``bincount``."""
    codes, part_of_row = np.unique(parts, return_inverse=True)
    k = codes.size

    def count(mask) -> np.ndarray:
        m = np.asarray(pd.Series(mask).fillna(False).to_numpy(dtype=bool))
        return np.bincount(part_of_row[m], minlength=k)

    present = x.notna().to_numpy()
    has_c = x.str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool) & present
    has_d = x.str.contains(".", regex=False).fillna(False).to_numpy(dtype=bool) & present
    both = has_c & has_d
    comma_last = both & (x.str.rfind(",") > x.str.rfind(".")).fillna(False).to_numpy(dtype=bool)
    c_grouped = rx_match(x, r"^-?\d{1,3}(,\d{3})+$").fillna(False).to_numpy(dtype=bool)
    d_multi = rx_match(x, r"^-?\d{1,3}(\.\d{3}){2,}$").fillna(False).to_numpy(dtype=bool)
    d_grouped = rx_match(x, r"^-?\d{1,3}(\.\d{3})+$").fillna(False).to_numpy(dtype=bool)
    n_present, n_both, n_comma_last = count(present), count(both), count(comma_last)
    n_c, n_c_free = count(has_c), count(has_c & ~c_grouped)
    n_d, n_d_multi, n_d_free = count(has_d), count(has_d & d_multi), count(has_d & ~d_grouped)
    hint_comma = hint == ","
    with np.errstate(invalid="ignore", divide="ignore"):
        by_both = n_comma_last / np.maximum(n_both, 1) > 0.5
    by_c = (n_c_free > 0) | hint_comma
    by_d = (n_d_multi > 0) | (hint_comma & (n_d_free == 0))
    decided = np.where(n_both > 0, by_both, np.where(n_c > 0, by_c, np.where(n_d > 0, by_d, False)))
    decided = np.where(n_present == 0, hint_comma, decided)
    return decided[part_of_row]


def to_int64(values: pd.Series, bad: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Counts: float values that are whole (``1938.0``, ``1.2K``) become Int64; fractional ones are bad."""
    # 1.25K = 1250 is whole; a count of 12.5 is not. Fractions of >= 1000 (from 1.2345K) are rounded.
    frac = values.notna() & ((values - values.round(0)).abs() > 1e-6) & ~(values.abs() >= 1000)
    out = values.round(0).where(~frac).astype("Int64")
    return out, bad | frac


def currency_from_signs(s: pd.Series) -> pd.Series:
    """Guess an ISO currency from a sign or code inside money cells (€ → EUR, £ → GBP, $ → USD [guess])."""
    t = strip(s)
    out = pd.Series(np.full(len(t), np.nan, dtype=object), index=t.index, dtype="str")
    for pattern, code in (("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("$", "USD")):
        out = out.where(out.notna() | ~t.str.contains(pattern, regex=False).fillna(False), code)
    codes = rx_extract(t, r"(?i)\b(USD|EUR|GBP|CAD|AUD|CHF|JPY|SEK|NOK|DKK)\b")[0].str.upper()
    return codes.where(codes.notna(), out)


# ----------------------------------------------------------------------------------------------------------------
# Dates

_ISO = r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
_SLASH = (
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"(?:\s*([AaPp])\.?[Mm]\.?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)
_MONTH_FIRST = (
    r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})"
    r"(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?\.?[Mm]?\.?)?$"
)
_DAY_FIRST = r"^(\d{1,2}) ([A-Za-z]{3,9})\.?,? (\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?\.?[Mm]?\.?)?$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
_SERIAL = r"^\d{5}(?:\.\d+)?$"
_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_MONTHS.update(
    {
        "janv": 1,
        "févr": 2,
        "fevr": 2,
        "mars": 3,
        "avr": 4,
        "mai": 5,
        "juin": 6,
        "juil": 7,
        "août": 8,
        "aout": 8,
        "sept": 9,
        "déc": 12,
        "dez": 12,
        "okt": 10,
        "mär": 3,
        "mrz": 3,
    }
)


class DateOrderConflict(Exception):
    def __init__(self, day_first_example: str, month_first_example: str):
        self.day_first_example = day_first_example
        self.month_first_example = month_first_example
        super().__init__(f"{day_first_example!r} needs day-first, {month_first_example!r} needs month-first")


def decide_dayfirst(columns: list[pd.Series], default: bool) -> bool:
    """Decide day-first vs month-first once for a whole file from all its slash-style dates."""
    decided = decide_dayfirst_parts(columns, [np.zeros(len(c), dtype=np.int64) for c in columns], default)
    return decided.get(0, default)


def decide_dayfirst_parts(columns: list[pd.Series], parts: list[np.ndarray], default: bool) -> dict[int, bool]:
    """Day-first vs month-first for every part (file) of a batch at once: part -> day-first. A slash date whose
    first field is > 12 needs day-first, one whose second field is > 12 needs month-first; parts without such a
    date are absent (they take the default); a part that needs both raises :class:`DateOrderConflict`."""
    day_first: dict[int, str] = {}
    month_first: dict[int, str] = {}
    for s, part in zip(columns, parts):
        cells = rx_extract(nullify(s), _SLASH)[[0, 1]].apply(pd.to_numeric, errors="coerce")
        a, b = (cells[i].to_numpy(dtype="float64", na_value=np.nan) for i in (0, 1))
        valid = ~np.isnan(a) & ~((a > 12) & (b > 12))
        values = s.to_numpy(dtype=object)
        for mask, found in ((valid & (a > 12), day_first), (valid & (b > 12), month_first)):
            idx = np.flatnonzero(mask)
            if idx.size:
                uniq, first = np.unique(part[idx], return_index=True)
                for p, i in zip(uniq.tolist(), idx[first].tolist()):
                    found.setdefault(p, str(values[i]))
    both = sorted(set(day_first) & set(month_first))
    if both:
        raise DateOrderConflict(day_first[both[0]], month_first[both[0]])
    decided = {p: True for p in day_first}
    decided.update({p: False for p in month_first})
    return decided


def parse_datetimes(s: pd.Series, *, dayfirst: bool | np.ndarray) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a date/time column. Returns (datetime64[us, UTC], bad mask, lifetime mask).

    ``dayfirst`` is one decision for the file, or per row (a batch of files that decided differently)."""
    x = nullify(s)
    present = x.notna()
    lifetime = (x.str.lower() == "lifetime").fillna(False)
    out = pd.Series(pd.NaT, index=x.index, dtype="datetime64[us, UTC]")

    iso = rx_match(x, _ISO)
    if iso.any():
        v = rx_replace(x[iso], r"\s*(?:UTC|GMT)$", "Z")
        v = rx_replace(v, r"\s+([+-]\d{2}:?\d{2}|Z)$", r"\1")
        out[iso] = pd.to_datetime(v, format="ISO8601", utc=True, errors="coerce").astype("datetime64[us, UTC]")

    rest = present & ~iso & ~lifetime
    sep = rest & (has_substring(x, "/") | has_substring(x, "."))
    if sep.any():
        sl = rx_extract(x[sep], _SLASH)
        hit = sl[0].notna()
        if hit.any():
            p = sl[hit]
            a, b = _num(p[0]), _num(p[1])
            year = _num(p[2])
            year = year.where(year >= 100, year + 2000)
            if isinstance(dayfirst, np.ndarray):
                first = pd.Series(dayfirst, index=x.index).loc[p.index].to_numpy(dtype=bool)
                day = pd.Series(np.where(first, a, b), index=p.index)
                month = pd.Series(np.where(first, b, a), index=p.index)
            else:
                day, month = (a, b) if dayfirst else (b, a)
            out[p.index] = _assemble(year, month, day, p[3], p[4], p[5], p[6], p[7])
        rest = rest & ~x.index.isin(sl.index[hit])
    alpha = rest & rx_contains(x, "[A-Za-z]")
    if alpha.any():
        for pattern, month_pos, day_pos in ((_MONTH_FIRST, 0, 1), (_DAY_FIRST, 1, 0)):
            sub = rx_extract(x[alpha & rest], pattern)
            hit = sub[0].notna()
            if not hit.any():
                continue
            p = sub[hit]
            month = p[month_pos].str.lower().str.rstrip(".").str[:4].map(_month_number)
            out[p.index] = _assemble(_num(p[2]), month, _num(p[day_pos]), p[3], p[4], p[5], p[6], None)
            rest = rest & ~x.index.isin(p.index)
    if rest.any():
        compact = rest & rx_match(x, _COMPACT)
        if compact.any():
            parsed = pc.strptime(_arrow(x[compact]), format="%Y%m%d", unit="us", error_is_null=True)
            vals = pd.Series(parsed.to_pandas(), index=x.index[compact.to_numpy()])
            out[compact] = vals.dt.tz_localize("UTC").astype("datetime64[us, UTC]")
            rest = rest & ~compact
    if rest.any():
        ser = rx_match(x[rest], _SERIAL)
        if ser.any():
            idx = x[rest][ser].index
            days = pd.to_numeric(x[idx], errors="coerce")
            ts = pd.Timestamp("1899-12-30", tz="UTC") + pd.to_timedelta(days * 86400.0, unit="s").dt.round("s")
            out[idx] = ts.astype("datetime64[us, UTC]")
    bad = present & ~lifetime & out.isna()
    return out, bad, lifetime


def _month_number(name: object) -> float:
    if not isinstance(name, str):
        return np.nan
    return float(_MONTHS.get(name, _MONTHS.get(name[:3], np.nan)))


def _num(s: pd.Series | None) -> pd.Series:
    return to_float(s.astype("str")) if s is not None else s


def _assemble(year, month, day, hour, minute, second, ampm, offset) -> pd.Series:
    idx = year.index
    h = _num(hour).fillna(0) if hour is not None else pd.Series(0, index=idx)
    if ampm is not None:
        ap = ampm.str.lower()
        h = h.where(~((ap == "p") & (h < 12)), h + 12)
        h = h.where(~((ap == "a") & (h == 12)), 0)
    mi = _num(minute).fillna(0) if minute is not None else 0
    se = _num(second).fillna(0) if second is not None else 0
    res = pd.Series(_civil(year, pd.to_numeric(month, errors="coerce"), day, h, mi, se), index=idx)
    res = res.dt.tz_localize("UTC")
    if offset is not None:
        off = offset.fillna("").str.replace(":", "", regex=False)
        m = rx_extract(off, r"^([+-])(\d{2})(\d{2})$")
        sign = m[0].map({"+": 1, "-": -1}).astype("float64").fillna(0)
        minutes = sign * (_num(m[1]).fillna(0) * 60 + _num(m[2]).fillna(0))
        res = res - pd.to_timedelta(minutes, unit="min")
    return res.astype("datetime64[us, UTC]")


def _civil(year, month, day, hour, minute, second) -> np.ndarray:
    """datetime64[us] from calendar fields (vectorised numpy calendar arithmetic); NaT where a field is missing or
    the day does not exist (31 April) or the time is out of range."""
    n = len(year)

    def arr(v) -> np.ndarray:
        if np.isscalar(v):
            return np.full(n, float(v))
        return np.asarray(pd.Series(v).astype("float64").to_numpy(), dtype="float64")

    y, mo, d, h, mi, se = (arr(v) for v in (year, month, day, hour, minute, second))
    ok = ~(np.isnan(y) | np.isnan(mo) | np.isnan(d) | np.isnan(h) | np.isnan(mi) | np.isnan(se))
    ok &= (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= 31) & (h >= 0) & (h < 24) & (mi >= 0) & (mi < 60)
    ok &= (se >= 0) & (se < 60) & (y >= 1) & (y <= 9999)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    if not ok.any():
        return out
    yi, mi_, di = y[ok].astype(np.int64), mo[ok].astype(np.int64), d[ok].astype(np.int64)
    months = (yi - 1970) * 12 + (mi_ - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    days = first + (di - 1).astype("timedelta64[D]")
    real = days.astype("datetime64[M]") == months.astype("datetime64[M]")  # 31 April rolls into May: not a day
    stamp = days.astype("datetime64[us]") + (
        h[ok].astype(np.int64) * 3600 + mi[ok].astype(np.int64) * 60 + se[ok].astype(np.int64)
    ).astype("timedelta64[s]")
    stamp[~real] = np.datetime64("NaT")
    out[ok] = stamp
    return out


def to_date(ts: pd.Series) -> pd.Series:
    """UTC timestamps → calendar dates (``date32[pyarrow]``), vectorised."""
    naive = ts.dt.tz_convert("UTC").dt.tz_localize(None) if ts.dt.tz is not None else ts
    arr = pa.array(naive.dt.floor("D").to_numpy(dtype="datetime64[ms]"), mask=naive.isna().to_numpy())
    return pd.Series(pd.array(arr.cast(pa.date32()), dtype=pd.ArrowDtype(pa.date32())), index=ts.index)


def from_unix_micros(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    x = nullify(s)
    n = to_float(x)
    bad = x.notna() & n.isna()
    ts = pd.to_datetime(n, unit="us", utc=True, errors="coerce").astype("datetime64[us, UTC]")
    return ts, bad


# ----------------------------------------------------------------------------------------------------------------
# Ids

_SCI = r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$"


def clean_ids(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ids as exact strings: strip spaces and Excel's leading apostrophe, ``123.0`` → ``123``.

    Returns (ids, mangled mask): a scientific-notation id (``6.49E+17``) lost its digits in Excel and is nulled.
    """
    x = nullify(s).str.lstrip("'")
    mangled = rx_match(x, _SCI)
    x = rx_replace(x, r"^(\d+)\.0+$", r"\1")
    return x.where(~mangled), mangled
