"""The ingestion room: recognise an export by its header, parse it locale-robustly, hash personal data.

Public API (called by ``social_roi.ingest.load``)::

    parse_file(path, *, salt, today, default_phone_country="1") -> ParseResult   # raises IngestError
    parse_files(paths, *, salt, ...) -> [(ParseResult | None, problems)]               # same-header files batched
    detect_format(path) -> str                                                        # raises IngestError

See ``docs/formats.md`` for every format, its aliases and its canonical tables.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from social_roi.ingest.base import IngestError, ParseResult, Problem

__all__ = ["IngestError", "ParseResult", "Problem", "detect_format", "parse_file", "parse_files"]


def detect_format(path: Path) -> str:
    """The name of the format ``path`` holds, judged by its header (never by its name)."""
    from social_roi.ingest.detect import detect
    from social_roi.ingest.formats import all_formats

    return detect(Path(path), all_formats()).format.name


def parse_file(path: Path, *, salt: str, today: date, default_phone_country: str = "1") -> ParseResult:
    """Detect and parse one export file into canonical raw tables plus row-level problems."""
    from social_roi.ingest.batch import parse_files

    result, problems = parse_files([Path(path)], salt=salt, default_phone_country=default_phone_country, today=today)[0]
    if result is None:
        raise IngestError(problems)
    return result


def parse_files(paths, *, salt: str, today: date, default_phone_country: str = "1"):
    """Parse many files; files of one format with the same header are parsed as one batch (same results as
    :func:`parse_file` on each). Returns, per file in order, ``(result, [])`` or ``(None, problems)``."""
    from social_roi.ingest.batch import parse_files as _parse_files

    return _parse_files([Path(p) for p in paths], salt=salt, default_phone_country=default_phone_country, today=today)
