"""The ingestion room: recognise an export by its header, parse it locale-robustly, hash personal data.

Public API (called by ``social_roi.ingest.load``)::

    parse_file(path, *, salt, default_phone_country="1", today=None) -> ParseResult   # raises IngestError
    detect_format(path) -> str                                                        # raises IngestError

See ``docs/formats.md`` for every format, its aliases and its canonical tables.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from social_roi.ingest.base import IngestError, ParseContext, ParseResult, Problem

__all__ = ["IngestError", "ParseResult", "Problem", "detect_format", "parse_file"]


def detect_format(path: Path) -> str:
    """The name of the format ``path`` holds, judged by its header (never by its name)."""
    from social_roi.ingest.detect import detect
    from social_roi.ingest.formats import all_formats

    return detect(Path(path), all_formats()).format.name


def parse_file(path: Path, *, salt: str, default_phone_country: str = "1", today: date | None = None,
               ) -> ParseResult:
    """Detect and parse one export file into canonical raw tables plus row-level problems."""
    from social_roi.ingest.detect import detect, read_located
    from social_roi.ingest.formats import all_formats

    path = Path(path)
    if not salt:
        raise ValueError("parse_file needs a non-empty salt to hash personal data")
    detection = detect(path, all_formats())
    ctx = ParseContext(salt=salt, default_phone_country=str(default_phone_country).lstrip("+"),
                       today=today or date.today(), file_name=path.name)
    raws, problems = [], []
    for located in detection.tables:
        raw, read_problems = read_located(located)
        raws.append(raw)
        problems.extend(read_problems)
    result = detection.format.parse(raws, ctx)
    result.problems = sorted(problems + result.problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
    return result
