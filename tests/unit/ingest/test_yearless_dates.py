"""Dates without a year (TikTok Studio ``Content.csv``: ``Post time`` = ``July 16``): resolved against the export's
day (the dated inbox folder), else the run's day, as the latest such date not after it. The wall clock is never
read; a file whose every row is rejected is rejected whole."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from social_roi.ingest import IngestError, parse_file, parse_files
from social_roi.ingest.formats import _yearless

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "exports"

CONTENT = "tiktok_studio_content_yearless.csv"


def _posted(result) -> list[str]:
    return [
        str(t.date()) + (f" {t:%H:%M}" if t.hour or t.minute else "")
        for t in result.tables["tiktok_content"]["posted_at"]
    ]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (date(2026, 7, 20), ["2026-07-16", "2025-12-30 18:05", "2025-08-02"]),  # July 16 is before the export day
        (date(2026, 7, 16), ["2026-07-16", "2025-12-30 18:05", "2025-08-02"]),  # the export day itself is allowed
        (date(2026, 7, 15), ["2025-07-16", "2025-12-30 18:05", "2025-08-02"]),  # one day earlier: last year's
        (date(2027, 1, 3), ["2026-07-16", "2026-12-30 18:05", "2026-08-02"]),
    ],
)
def test_resolved_against_the_export_folder_day(tmp_path, reference, expected):
    folder = tmp_path / reference.isoformat()
    folder.mkdir()
    shutil.copy(FIXTURES / CONTENT, folder / "Content.csv")
    # the run's day is far later: the export's own day decides
    result = parse_file(folder / "Content.csv", salt="s", today=date(2027, 6, 1))
    assert result.problems == []
    assert _posted(result) == expected


def test_without_a_dated_folder_the_run_day_decides(tmp_path):
    shutil.copy(FIXTURES / CONTENT, tmp_path / "Content.csv")
    result = parse_file(tmp_path / "Content.csv", salt="s", today=date(2026, 8, 1))
    assert _posted(result) == ["2026-07-16", "2025-12-30 18:05", "2025-08-02"]
    assert (result.period_start, result.period_end) == (date(2025, 8, 2), date(2026, 7, 16))


def test_a_batch_resolves_each_file_against_its_own_export_day(tmp_path):
    paths = []
    for day in ("2026-07-20", "2027-01-03"):
        (tmp_path / day).mkdir()
        shutil.copy(FIXTURES / CONTENT, tmp_path / day / "Content.csv")
        paths.append(tmp_path / day / "Content.csv")
    (first, _), (second, _) = parse_files(paths, salt="s", today=date(2027, 6, 1))
    assert _posted(first)[0] == "2026-07-16" and _posted(first)[1] == "2025-12-30 18:05"
    assert _posted(second)[1] == "2026-12-30 18:05"


def test_dates_with_a_year_are_untouched(fixture_path, parse):
    result = parse(fixture_path("tiktok_studio_content.csv"))
    assert [str(t.date()) for t in result.tables["tiktok_content"]["posted_at"]] == ["2026-09-20", "2026-09-21"]


def test_february_29_goes_back_to_the_last_leap_year():
    assert _yearless.resolve(2, 29, date(2027, 3, 1)) == date(2024, 2, 29)
    assert _yearless.resolve(2, 30, date(2027, 3, 1)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 16", (7, 16, None)),
        ("Jul. 16", (7, 16, None)),
        ("16 juillet", (7, 16, None)),
        ("Dec 30, 18:05", (12, 30, "18:05")),
        ("1er mai 09:30", (5, 1, "09:30")),
        ("Sep 26, 2026", None),
        ("2026-07-16", None),
        ("Smarch 3", None),
        ("hello", None),
    ],
)
def test_what_counts_as_a_year_less_date(text, expected):
    assert _yearless.split(text) == expected


def test_a_file_whose_every_row_is_rejected_is_rejected_whole(write):
    path = write(
        "Content.csv",
        "Video title,Video link,Post time,Total likes,Total views\n"
        "A,https://www.tiktok.com/@a/video/1,someday,1,10\n"
        "B,https://www.tiktok.com/@a/video/2,Smarch 3,2,20\n",
    )
    with pytest.raises(IngestError) as info:
        parse_file(path, salt="s", today=date(2026, 8, 1))
    whole, *rows = info.value.problems
    assert whole.code == "every_row_rejected" and whole.row is None and whole.file == "Content.csv"
    assert "all 2 data row(s) were rejected" in whole.expected and "'Post time'" in whole.expected
    assert [(p.row, p.column, p.value) for p in rows] == [
        (2, "Post time", "xxxxxxx"),
        (3, "Post time", "Xxxxxx 9"),
    ]  # masked
