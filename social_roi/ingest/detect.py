"""Format detection by header signature, and the reading of a detected file into raw string tables.

A file is opened by its *content* (zip magic → xlsx workbook or zip bundle; ``PAR1`` → Parquet; otherwise
text), never by its name. For text, the first 50 lines are tried as header with ``,``, ``;`` and tab; every
known table signature is scored by the share of its required columns present (aliases included), then by the
optional columns present. The best full match wins; without one the file is rejected naming the closest
format and the required columns it lacks.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from social_roi.ingest import locale
from social_roi.ingest.base import PART_SHIFT, FormatSpec, IngestError, Problem, RawTable, TableSpec, norm_header

HEADER_SCAN_LINES = 50
DELIMITERS = (",", ";", "\t")


@dataclass
class Source:
    """One place a table can live: a text body, a worksheet, a Parquet table."""

    file: str  # name used in problems
    kind: str  # csv | xlsx | parquet
    member: str | None = None  # zip member name / sheet name
    records: locale.Records | None = None  # csv
    rows: list[list[str]] | None = None  # xlsx: all cells as strings
    parquet: object | None = None  # pyarrow.Table

    def header_candidates(self):
        """Yield (row index, delimiter, cells) for the lines that may be the header."""
        if self.kind == "csv":
            rec = self.records
            blank = rec.blank()
            for i in range(min(rec.n, HEADER_SCAN_LINES)):
                if blank[i]:
                    continue
                text = rec.text(i)
                for d in DELIMITERS:
                    if d not in text:
                        continue
                    cells = locale.split_cells(text, d)
                    if len(cells) >= 2:
                        yield i, d, cells
        elif self.kind == "xlsx":
            for i, row in enumerate(self.rows[:HEADER_SCAN_LINES]):
                cells = list(row)
                while cells and cells[-1] == "":
                    cells.pop()
                if len(cells) >= 2:
                    yield i, None, cells
        else:
            yield 0, None, list(self.parquet.column_names)


@dataclass
class Located:
    spec: TableSpec
    source: Source
    index: int
    delimiter: str | None
    header: list[str]
    score: tuple


@dataclass
class Detection:
    format: FormatSpec
    tables: list[Located]
    file: str
    extra: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------------------------------------------


def open_sources(path: Path) -> tuple[list[Source], list[str]]:
    """Read the file into sources. Also returns zip member names (empty when not a zip bundle)."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(Problem(name, None, None, None, f"a readable file ({exc})", "unreadable")) from exc
    if not data[:4096].strip() and not data.strip():
        raise IngestError(Problem(name, None, None, None, "a non-empty export file", "empty_file"))
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            members = [m for m in zf.namelist() if not m.endswith("/")]
        except zipfile.BadZipFile as exc:
            raise IngestError(
                Problem(
                    name, None, None, None, "a complete zip/xlsx archive (it cannot be opened: truncated?)", "truncated"
                )
            ) from exc
        if "xl/workbook.xml" in members:
            return _xlsx_sources(data, name), []
        sources = []
        for m in members:
            base = PurePosixPath(m).name
            if base.startswith(".") or m.startswith("__MACOSX"):
                continue
            try:
                blob = zf.read(m)
            except (zipfile.BadZipFile, EOFError, OSError) as exc:
                raise IngestError(
                    Problem(f"{name}!{m}", None, None, None, "a readable zip member (truncated archive?)", "truncated")
                ) from exc
            low = base.lower()
            if low.endswith((".csv", ".tsv", ".txt")):
                body, _ = locale.decode_to_utf8(blob, f"{name}!{base}")
                sources.append(
                    Source(f"{name}!{base}", "csv", base, records=locale.split_records(body, f"{name}!{base}"))
                )
            elif low.endswith(".xlsx"):
                sources.extend(_xlsx_sources(blob, f"{name}!{base}"))
        return sources, [PurePosixPath(m).name for m in members]
    if data[:4] == b"PAR1":
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(io.BytesIO(data))
        except Exception as exc:  # pyarrow raises several types for a cut file
            raise IngestError(Problem(name, None, None, None, f"a complete Parquet file ({exc})", "truncated")) from exc
        return [Source(name, "parquet", parquet=table)], []
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise IngestError(
            Problem(
                name,
                None,
                None,
                None,
                "CSV, XLSX, ZIP or Parquet (legacy .xls is not supported: re-save as .xlsx)",
                "unsupported_container",
            )
        )
    body, _ = locale.decode_to_utf8(data, name)
    return [Source(name, "csv", records=locale.split_records(body, name))], []


def _xlsx_sources(data: bytes, name: str) -> list[Source]:
    # social_roi.ingest.xlsx reads the cell values itself (several times faster than a general workbook library);
    # a workbook it cannot read raises IngestError(... "truncated")
    from social_roi.ingest.xlsx import read_sheets

    return [Source(f"{name}", "xlsx", title, rows=rows) for title, rows in read_sheets(data, name)]


# ----------------------------------------------------------------------------------------------------------------


def _rank(score: tuple[float, int, list[str]], spec: TableSpec, index: int) -> tuple:
    share, optional, missing = score
    matched = len(spec.required) - len(missing)
    return (share, matched, optional, -index)


class _Screen:
    """Every header name any known table accepts: a candidate line with none of them scores 0 for every table,
    so it is skipped without scoring (most scanned lines are data rows)."""

    def __init__(self, formats: list[FormatSpec]):
        plain, patterns = set(), []
        for fmt in formats:
            for spec in fmt.tables:
                for c in spec.columns:
                    for alias in c.names:
                        if alias.startswith("re:"):
                            patterns.append(f"(?:{alias[3:]})")
                        else:
                            plain.add(norm_header(alias))
        self.plain = frozenset(plain)
        self.regex = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def any_known(self, cells: list[str]) -> bool:
        for cell in cells:
            n = norm_header(cell)
            if n in self.plain or (self.regex is not None and self.regex.fullmatch(n)):
                return True
        return False


_SCREENS: dict[tuple[str, ...], _Screen] = {}


def _screen(formats: list[FormatSpec]) -> _Screen:
    key = tuple(f.name for f in formats)
    if key not in _SCREENS:
        _SCREENS[key] = _Screen(formats)
    return _SCREENS[key]


def detect(path: Path, formats: list[FormatSpec]) -> Detection:
    """Detect the format of ``path``. Lines are scanned top-down per source; the first line (any delimiter) on
    which some table's required columns are all present is that source's header, and the lines below it are data,
    so scanning that source stops there."""
    sources, members = open_sources(path)
    name = path.name
    screen = _screen(formats)
    best: dict[tuple[str, str], Located] = {}
    for src in sources:
        full_at = None
        for idx, delim, cells in src.header_candidates():
            if full_at is not None and idx != full_at:
                break
            if not screen.any_known(cells):
                continue
            for fmt in formats:
                for spec in fmt.tables:
                    if spec.member and src.member and src.kind == "csv" and src.member.lower() != spec.member.lower():
                        continue
                    score = spec.score(cells)
                    if score[0] == 0:
                        continue
                    if score[0] == 1.0:
                        full_at = idx
                    key = (fmt.name, spec.name)
                    rank = _rank(score, spec, idx)
                    cur = best.get(key)
                    if cur is None or rank > cur.score:
                        best[key] = Located(spec, src, idx, delim, [c.strip() for c in cells], rank)
    full = {k: v for k, v in best.items() if v.score[0] == 1.0}
    by_format = {f.name: f for f in formats}
    primary = [v for k, v in full.items() if v.spec.primary]
    if not primary and full and not members:
        # a secondary table dropped alone (YouTube Studio's Chart data.csv taken out of its zip): say what is missing
        (fname, _), loc = max(full.items(), key=lambda kv: kv[1].score)
        want = next(t for t in by_format[fname].tables if t.primary)
        _secondary_alone(name, fname, want, loc.spec.member or loc.spec.name)
    if not primary:
        _raise_unknown(name, best, by_format, members, sources)
    winner = max(primary, key=lambda v: v.score)
    fmt = by_format[next(k[0] for k, v in full.items() if v is winner)]
    tables = [full[(fmt.name, t.name)] for t in fmt.tables if (fmt.name, t.name) in full]
    # one header line feeds one table: the table whose signature covers most of that header
    chosen: dict[tuple[int, int], Located] = {}
    for loc in tables:
        key = (id(loc.source), loc.index)
        if key not in chosen or _coverage(loc) > _coverage(chosen[key]):
            chosen[key] = loc
    tables = [t for t in tables if chosen[(id(t.source), t.index)] is t]
    if not any(t.spec.primary for t in tables):
        want = next(t for t in fmt.tables if t.primary)
        have = ", ".join(t.spec.member or t.spec.name for t in tables)
        if members:
            raise IngestError(
                Problem(
                    name,
                    None,
                    None,
                    have,
                    f"the main table of {fmt.name} "
                    f"({want.member or want.name}); this file only holds a secondary table",
                    "zip_member_missing",
                )
            )
        _secondary_alone(name, fmt.name, want, have)
    return Detection(fmt, tables, name)


def _secondary_alone(name: str, fname: str, want: TableSpec, have: str) -> None:
    """A secondary table dropped alone (YouTube Studio's ``Chart data.csv`` taken out of its zip): what is missing."""
    raise IngestError(
        Problem(
            name,
            None,
            None,
            have,
            f"{fname}'s main table ({want.member or want.name}) — this file is only its '{have}', "
            "which cannot load alone: drop the whole export as downloaded (for YouTube Studio, "
            "the 'Content … .zip')",
            "secondary_table_alone",
        )
    )


def _coverage(loc: Located) -> int:
    return len(loc.spec.resolve(loc.header)[0])


def _raise_unknown(name, best, by_format, members, sources) -> None:
    if members:
        for fmt in by_format.values():
            wanted = [t.member for t in fmt.tables if t.member and t.primary]
            known = {t.member.lower() for t in fmt.tables if t.member}
            have = {m.lower() for m in members}
            if wanted and have & known and not any(w.lower() in have for w in wanted):
                raise IngestError(
                    Problem(
                        name,
                        None,
                        None,
                        ", ".join(sorted(members)),
                        f"a {fmt.name} bundle holding member '{wanted[0]}'",
                        "zip_member_missing",
                    )
                )
        if not sources:
            raise IngestError(
                Problem(
                    name,
                    None,
                    None,
                    ", ".join(sorted(members)) or "(empty archive)",
                    "a zip holding a CSV or XLSX export",
                    "zip_member_missing",
                )
            )
    primary = [(k, v) for k, v in best.items() if v.spec.primary]
    if not primary:
        raise IngestError(
            Problem(
                name,
                None,
                None,
                None,
                "a header row of a known export format (no known column found in the first lines)",
                "unknown_format",
            )
        )
    (fname, _), loc = max(primary, key=lambda kv: kv[1].score)
    _, _, missing = loc.spec.score(loc.header)
    raise IngestError(
        Problem(
            name,
            None,
            None,
            None,
            f"the header of a known export; closest is {fname} which lacks required "
            f"column(s) {', '.join(repr(m) for m in missing)}",
            "unknown_format",
        )
    )


# ----------------------------------------------------------------------------------------------------------------


@dataclass
class Piece:
    """One located table of one file, read into untrimmed string cells but not yet turned into a frame: pieces of
    files with the same header are concatenated and converted once (see ``social_roi.ingest.batch``)."""

    file: str  # name used in problems (file, ``bundle.zip!member`` or ``book.xlsx[sheet]``)
    spec: TableSpec
    header: list[str]
    table: pa.Table  # one string column per header cell, in header order
    source_row: np.ndarray  # physical line (CSV), sheet row (xlsx) or row number (Parquet) of each row
    delimiter: str | None
    preamble: list[str]
    kind: str  # csv | xlsx | parquet
    problems: list[Problem]

    @property
    def shape_key(self) -> tuple:
        return (self.spec.name, tuple(self.header), self.delimiter, self.kind)


def read_piece(loc: Located) -> Piece:
    """Read one located table (raises :class:`IngestError` for a file that cannot be read at all)."""
    src = loc.source
    header = loc.header
    file = src.file if src.kind != "xlsx" or not src.member else f"{src.file}[{src.member}]"
    _check_duplicates(header, file, loc)
    problems: list[Problem] = []
    preamble: list[str] = []
    if src.kind == "csv":
        rec = src.records
        header = _full_header(rec.text(loc.index), loc.delimiter)
        _check_duplicates(header, file, loc)
        table, source_row, problems = locale.read_records_arrow(
            rec, loc.index, header, loc.delimiter, file, loc.spec.footer, loc.spec.section_end
        )
        preamble = [rec.text(i) for i in range(loc.index)]
    elif src.kind == "xlsx":
        rows = src.rows[loc.index + 1 :]
        width = len(header)
        norm = [(r + [""] * width)[:width] for r in rows]
        columns = list(zip(*norm)) if norm else [()] * width
        table = pa.table({f"c{i}": pa.array(list(c), type=pa.string()) for i, c in enumerate(columns)})
        source_row = np.arange(loc.index + 2, loc.index + 2 + len(norm), dtype=np.int64)
        preamble = [" ".join(c for c in r if c) for r in src.rows[: loc.index]]
    else:
        table = src.parquet.select(list(range(len(header))))
        table = pa.table(
            {
                f"c{i}": col if pa.types.is_string(col.type) else pc.cast(col, pa.string())
                for i, col in enumerate(table.columns)
            }
        )
        source_row = np.arange(1, table.num_rows + 1, dtype=np.int64)
    return Piece(file, loc.spec, list(header), table, source_row, loc.delimiter, preamble, src.kind, problems)


def raw_table(pieces: list[Piece], *, label: str | None = None) -> tuple[RawTable, list[Problem]]:
    """Turn pieces of the same shape into one :class:`RawTable`. One piece gives the file's own table; several
    (``label`` names the batch in problems) give a batched table whose ``source_row`` carries the piece's index
    in its high bits. Rows of empty cells are dropped, rows repeating the header are rejected."""
    first = pieces[0]
    header = first.header
    batched = len(pieces) > 1
    table = pa.concat_tables([p.table for p in pieces]) if batched else first.table
    frame = locale.arrow_to_str_frame(table, header)
    frame["source_row"] = np.concatenate([(np.int64(i) << PART_SHIFT) | p.source_row for i, p in enumerate(pieces)])
    if first.kind != "parquet":
        # rows whose every cell is empty (`"","",""` spacer lines in report exports) carry nothing
        cells = [c for c in frame.columns if c != "source_row"]
        if len(frame) and cells:
            blank = np.logical_and.reduce([frame[c].to_numpy() == "" for c in cells])
            if blank.any():
                frame = frame[~blank]
    frame = frame.reset_index(drop=True)
    columns, captures = first.spec.resolve(list(frame.columns[:-1]))
    raw = RawTable(
        label if batched else first.file,
        first.spec,
        frame,
        columns,
        captures,
        first.delimiter,
        first.preamble,
        first.kind,
        batched=batched,
    )
    return raw, _repeated_headers(raw)


def _full_header(line: str, delimiter: str) -> list[str]:
    return [c.strip() for c in locale.split_cells(line, delimiter)]


def _check_duplicates(header: list[str], file: str, loc: Located) -> None:
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        n = norm_header(h)
        if not n:
            continue
        if n in seen:
            raise IngestError(
                Problem(
                    file,
                    _header_row(loc),
                    h,
                    h,
                    f"unique column names (this name appears in columns {seen[n] + 1} and {i + 1})",
                    "duplicate_column",
                )
            )
        seen[n] = i


def _header_row(loc: Located) -> int:
    if loc.source.kind == "csv":
        return int(loc.source.records.lines[loc.index])
    return loc.index + 1


def _repeated_headers(raw: RawTable) -> list[Problem]:
    """Rows that repeat the header line inside the data (concatenated exports) are rejected."""
    frame = raw.frame
    if frame.empty:
        return []
    names = [c for c in frame.columns if c != "source_row" and c]
    if not names:
        return []
    hits = np.zeros(len(frame), dtype=np.int64)
    for c in names:  # loop over columns, vectorised over rows
        hits += (frame[c].str.lower() == c.lower()).to_numpy(dtype=bool)
    mask = hits >= max(2, int(0.6 * len(names)))
    if not mask.any():
        return []
    rows = frame.loc[mask, "source_row"].tolist()
    raw.frame = frame[~mask].reset_index(drop=True)
    return [
        Problem(raw.file, int(r), None, None, "a data row (this row repeats the header line)", "repeated_header")
        for r in rows
    ]
