"""A small, fast reader of .xlsx worksheets: every sheet as rows of cell text.

Exports arrive as workbooks written by the platforms (LinkedIn page updates, TikTok Studio, re-saved CSVs). A
general workbook library builds style and cell objects for every cell, which costs tens of milliseconds per
small workbook; an ingest of a year of daily exports reads hundreds of them. This module reads only what the
cell values need, with ``zipfile`` and ElementTree:

* ``xl/workbook.xml`` (sheet names and order, the 1900/1904 date system) and its relationships (which part holds
  which sheet; chartsheets are skipped);
* ``xl/sharedStrings.xml`` (each ``<si>``: its text, or its rich-text runs joined; phonetic guides are left out);
* the ``cellXfs`` of ``xl/styles.xml``: which cell styles carry a date/time number format — the built-in ids 14-22
  and 45-47 (ECMA-376 §18.8.30), or a custom code with a day, month, year, hour or second token outside quoted
  literals and ``[...]`` modifiers (``[h]``/``[m]``/``[s]`` elapsed-time codes are durations);
* each worksheet's ``<sheetData>``.

Cell text is what an export would have held (what a workbook library's values read as text would give):
numbers as written (``7``, ``0.05``; a whole float without its ``.0``; a 16+ digit number that Excel cut to 15
significant digits in scientific notation, so the id check can reject it); booleans ``true``/``false``; date
cells as ISO date-times (``2026-09-01 00:00:00``; serials count from 1899-12-30, or 1904-01-01, with Excel's
phantom 29 Feb 1900 accounted for; sub-second parts rounded to milliseconds); a time of day alone as
``HH:MM:SS``; durations as ``1 day, 2:00:00``; text (shared, inline, a formula's cached value, an error such as
``#N/A``) stripped of surrounding spaces. Rows are numbered as in the sheet: a row missing from the XML is an
empty row, so row ``n`` of the result is spreadsheet row ``n + 1``. A workbook that cannot be read raises
:class:`IngestError` (code ``truncated``).
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from functools import lru_cache
from xml.etree import ElementTree as ET

from social_roi.ingest.base import IngestError, Problem

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DATE_IDS = frozenset(range(14, 23)) | {45, 47}
_DURATION_IDS = frozenset({46})
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)
_ELAPSED = re.compile(r"\[[hms]+\]", re.IGNORECASE)
_DATE_TOKENS = re.compile(r"[dmyhs]", re.IGNORECASE)
_COLUMN = re.compile(r"^([A-Z]+)")
_IS, _V, _ROW, _C = f"{_NS}is", f"{_NS}v", f"{_NS}row", f"{_NS}c"
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def read_sheets(data: bytes, name: str) -> list[tuple[str, list[list[str]]]]:
    """(sheet title, rows of cell text) for every worksheet of the workbook, in workbook order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _read(zf)
    except IngestError:
        raise
    except Exception as exc:  # a cut or corrupt archive fails in zipfile, ElementTree or a value conversion
        raise IngestError(
            Problem(name, None, None, None, f"a readable xlsx workbook ({type(exc).__name__})", "truncated")
        ) from exc


def _read(zf: zipfile.ZipFile) -> list[tuple[str, list[list[str]]]]:
    names = set(zf.namelist())
    workbook = ET.fromstring(zf.read("xl/workbook.xml"))
    pr = workbook.find(f"{_NS}workbookPr")
    epoch = _EPOCH_1904 if pr is not None and pr.get("date1904") in ("1", "true") else _EPOCH_1900
    targets = _relationships(zf, "xl/_rels/workbook.xml.rels", "xl")
    strings = _shared_strings(zf.read("xl/sharedStrings.xml")) if "xl/sharedStrings.xml" in names else []
    dates, durations = _styles(zf.read("xl/styles.xml")) if "xl/styles.xml" in names else (set(), set())
    sheets = []
    for sheet in workbook.iter(f"{_NS}sheet"):
        target, kind = targets.get(sheet.get(_REL) or "", (None, None))
        if target is None or not kind.endswith("/worksheet") or target not in names:
            continue
        reader = _Cells(strings, dates, durations, epoch)
        sheets.append((sheet.get("name") or "", reader.rows(zf.read(target))))
    return sheets


def _relationships(zf: zipfile.ZipFile, path: str, base: str) -> dict[str, tuple[str, str]]:
    if path not in zf.namelist():
        return {}
    out = {}
    for rel in ET.fromstring(zf.read(path)).iter(f"{_PKG}Relationship"):
        target = rel.get("Target") or ""
        full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out[rel.get("Id") or ""] = (full, rel.get("Type") or "")
    return out


def _text_of(element: ET.Element) -> str:
    """The text of a string item: its ``<t>``, or its runs' ``<t>`` joined (phonetic ``<rPh>`` runs excluded)."""
    direct = element.find(f"{_NS}t")
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for r in element.findall(f"{_NS}r") for t in r.findall(f"{_NS}t"))


def _shared_strings(xml: bytes) -> list[str]:
    return [_text_of(si) for si in ET.fromstring(xml).findall(f"{_NS}si")]


def _is_date_code(code: str) -> bool:
    return bool(_DATE_TOKENS.search(_LITERALS.sub("", code)))


def _styles(xml: bytes) -> tuple[set[int], set[int]]:
    """Indexes of the cell styles (``cellXfs``) whose number format is a date/time, and those that are durations."""
    root = ET.fromstring(xml)
    custom = {}
    formats = root.find(f"{_NS}numFmts")
    if formats is not None:
        for f in formats.findall(f"{_NS}numFmt"):
            custom[int(f.get("numFmtId", "-1"))] = f.get("formatCode") or ""
    dates, durations = set(), set()
    xfs = root.find(f"{_NS}cellXfs")
    for i, xf in enumerate(xfs.findall(f"{_NS}xf") if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        code = custom.get(fid)
        if code is not None:
            if _ELAPSED.search(_LITERALS.sub("", code)):
                durations.add(i)
            elif _is_date_code(code):
                dates.add(i)
        elif fid in _DURATION_IDS:
            durations.add(i)
        elif fid in _DATE_IDS:
            dates.add(i)
    return dates, durations


@lru_cache(maxsize=1 << 16)
def _column(ref: str) -> int:
    """0-based column of a cell reference such as ``AB12`` (cached: every sheet repeats the same references)."""
    m = _COLUMN.match(ref)
    if not m:
        raise ValueError(f"bad cell reference {ref!r}")
    n = 0
    for ch in m.group(1):
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def number_text(raw: str) -> str:
    """A numeric cell as an export would have written it."""
    raw = raw.strip()
    if any(ch in raw for ch in ".eE"):
        value = float(raw)
        if value.is_integer():
            if abs(value) >= 1e15:  # beyond Excel's 15 significant digits: an id that lost its tail
                return f"{value:.5E}"
            return str(int(value))
        return repr(value)
    value = int(raw)
    if abs(value) >= 10**15 and value % 1000 == 0:
        return f"{float(value):.5E}"
    return str(value)


def serial_text(raw: str, epoch: dt.datetime, duration: bool) -> str:
    """A date/time or duration cell (a day count) as ISO text."""
    days = float(raw)
    millis = round(days * 86_400_000)
    if duration:
        return str(dt.timedelta(milliseconds=millis))
    if epoch == _EPOCH_1900 and days < 60:  # serials before Excel's phantom 29 Feb 1900 are one day off
        millis += 86_400_000
    moment = epoch + dt.timedelta(milliseconds=millis)
    if 0 <= days < 1:
        return moment.time().isoformat()
    return moment.isoformat(sep=" ")


class _Cells:
    def __init__(self, strings: list[str], dates: set[int], durations: set[int], epoch: dt.datetime):
        self.strings = strings
        self.dates = dates
        self.durations = durations
        self.epoch = epoch

    def value(self, c: ET.Element) -> str:
        kind = c.get("t", "n")
        if kind == "inlineStr":
            inline = c.find(_IS)
            return "" if inline is None else _text_of(inline).strip()
        v = c.find(_V)
        raw = None if v is None else v.text
        if raw is None:
            return ""
        if kind == "n" and "s" not in c.attrib:
            return number_text(raw)
        if kind == "s":
            return self.strings[int(raw)].strip()
        if kind == "b":
            return "true" if raw.strip() in ("1", "true") else "false"
        if kind in ("str", "e"):
            return raw.strip()
        if kind == "d":
            moment = dt.datetime.fromisoformat(raw.strip().removesuffix("Z"))
            return moment.isoformat(sep=" ")
        style = int(c.get("s", "0"))
        if style in self.dates or style in self.durations:
            return serial_text(raw, self.epoch, style in self.durations)
        return number_text(raw)

    def rows(self, xml: bytes) -> list[list[str]]:
        root = ET.fromstring(xml)
        data = root.find(f"{_NS}sheetData")
        rows: list[list[str]] = []
        number = 0
        for row in data.iterfind(_ROW) if data is not None else []:
            number = int(row.get("r")) if row.get("r") else number + 1
            while len(rows) < number - 1:
                rows.append([])
            cells: list[str] = []
            col = -1
            for c in row.iterfind(_C):
                ref = c.get("r")
                col = _column(ref) if ref else col + 1
                text = self.value(c)
                if text == "":
                    continue
                cells.extend([""] * (col + 1 - len(cells)))
                cells[col] = text
            if len(rows) < number:
                rows.append(cells)
            else:  # a row number repeated: its cells join the row
                rows[number - 1] = [b or a for a, b in zip(*_pad(rows[number - 1], cells))]
        return rows


def _pad(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    n = max(len(a), len(b))
    return a + [""] * (n - len(a)), b + [""] * (n - len(b))
