"""Locale parsing: numbers, K/M, percentages, nulls, dates and the once-per-file day-first decision."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from social_roi.ingest import locale


def nums(values, hint="."):
    v, bad = locale.parse_numbers(pd.Series(values, dtype="str"), decimal_hint=hint)
    return [None if math.isnan(x) else x for x in v], list(bad)


@pytest.mark.parametrize(
    "values, hint, expected",
    [
        (["1,234.56", "7"], ".", [1234.56, 7.0]),
        (["1.234,56", "7"], ".", [1234.56, 7.0]),
        (["1 234,56"], ".", [1234.56]),
        (["1\u00a0234,56"], ".", [1234.56]),
        (["1\u202f234,56"], ".", [1234.56]),
        (["$1,234,567"], ".", [1234567.0]),
        (["£12.50", "$3.10"], ".", [12.5, 3.1]),
        (["€3,10", "€1.000,00"], ".", [3.1, 1000.0]),
        (["USD 1,234.00"], ".", [1234.0]),
        (["1.2K", "3M", "1B", "950"], ".", [1200.0, 3_000_000.0, 1e9, 950.0]),
        (["12%", "4.5%"], ".", [0.12, 0.045]),
        (["-", "--", "", "n/a", "5"], ".", [None, None, None, None, 5.0]),
        (["(12.50)"], ".", [-12.5]),
        (["-3"], ".", [-3.0]),
        (["1,234"], ".", [1234.0]),  # comma-dot file: thousands
        (["1,234"], ",", [1.234]),  # semicolon (decimal comma) file: decimal
        (["1.234.567"], ".", [1234567.0]),
        (["12,5"], ".", [12.5]),
        (["1938.0"], ".", [1938.0]),
    ],
)
def test_numbers(values, hint, expected):
    got, bad = nums(values, hint)
    assert got == pytest.approx(expected, nan_ok=True) if None not in expected else got == expected
    assert not any(bad)


def test_number_garbage_is_flagged():
    got, bad = nums(["abc", "12", "1.2.3,4,5x"])
    assert got[1] == 12.0 and bad == [True, False, True]


def test_counts_whole_numbers():
    v, bad = locale.parse_numbers(pd.Series(["1938.0", "1.25K", "12.5"], dtype="str"))
    out, bad = locale.to_int64(v, bad)
    assert list(out[:2]) == [1938, 1250] and pd.isna(out[2]) and list(bad) == [False, False, True]


def dts(values, dayfirst=False):
    ts, bad, life = locale.parse_datetimes(pd.Series(values, dtype="str"), dayfirst=dayfirst)
    return ts, list(bad), list(life)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2016-12-23 18:50 +0000", "2016-12-23 18:50"),
        ("2025-12-07 19:08:25 +0100", "2025-12-07 18:08:25"),
        ("2026-09-01T10:00:00Z", "2026-09-01 10:00"),
        ("2026-09-01", "2026-09-01"),
        ("09/26/2026 14:05", "2026-09-26 14:05"),
        ("9/1/2026", "2026-09-01"),
        ("9/1/2026 2:05 PM", "2026-09-01 14:05"),
        ("Sep 26, 2026", "2026-09-26"),
        ("September 26, 2026", "2026-09-26"),
        ("26 Sep 2026", "2026-09-26"),
        ("20260901", "2026-09-01"),
        ("45384.5", "2024-04-02 12:00"),
    ],
)
def test_date_forms(text, expected):
    ts, bad, _ = dts([text])
    assert ts.iloc[0] == pd.Timestamp(expected, tz="UTC") and bad == [False]


def test_lifetime_is_null_and_flagged():
    ts, bad, life = dts(["Lifetime", "2026-09-01"])
    assert pd.isna(ts.iloc[0]) and bad == [False, False] and life == [True, False]


def test_dayfirst_decision_once_per_file():
    assert locale.decide_dayfirst([pd.Series(["01/02/2026", "13/02/2026"])], default=False) is True
    assert locale.decide_dayfirst([pd.Series(["01/02/2026"]), pd.Series(["02/13/2026"])], default=True) is False
    assert locale.decide_dayfirst([pd.Series(["01/02/2026", "03/04/2026"])], default=True) is True
    assert locale.decide_dayfirst([pd.Series(["01/02/2026", "03/04/2026"])], default=False) is False
    with pytest.raises(locale.DateOrderConflict):
        locale.decide_dayfirst([pd.Series(["13/01/2026"]), pd.Series(["01/13/2026"])], default=False)
    # no slash date at all (ISO, empty, missing): nothing decides, the default holds
    assert locale.decide_dayfirst([pd.Series(["2026-09-10", "2026-12-31"], dtype="str")], default=True) is True
    assert (
        locale.decide_dayfirst([pd.Series(["", None], dtype="str"), pd.Series([], dtype="str")], default=False) is False
    )


def test_dayfirst_decision_per_part_of_a_batch():
    dates = pd.Series(["13/01/2026", "2026-01-02", "01/13/2026", "03/04/2026"], dtype="str")
    # part 0 needs day-first, part 1 has no slash date, part 2 needs month-first, part 3 is ambiguous
    assert locale.decide_dayfirst_parts([dates], [np.array([0, 1, 2, 3])], default=False) == {0: True, 2: False}
    with pytest.raises(locale.DateOrderConflict):
        locale.decide_dayfirst_parts([dates], [np.array([0, 0, 0, 1])], default=False)


def test_dayfirst_applies_to_ambiguous_values():
    ts, _, _ = dts(["01/02/2026"], dayfirst=True)
    assert ts.iloc[0] == pd.Timestamp("2026-02-01", tz="UTC")


def test_bad_dates_flagged():
    _ts, bad, _ = dts(["2/30/2026", "soon", "", "-"])
    assert bad == [True, True, False, False]


@pytest.mark.parametrize(
    "raw, expected, mangled",
    [
        ("812422485237743616", "812422485237743616", False),
        ("6.49E+17", None, True),
        ("1,22158E+17", None, True),
        (" -AbCdEf", "-AbCdEf", False),
        ("'00123", "00123", False),
        ("123456.0", "123456", False),
    ],
)
def test_ids(raw, expected, mangled):
    ids, m = locale.clean_ids(pd.Series([raw], dtype="str"))
    assert (None if pd.isna(ids.iloc[0]) else ids.iloc[0]) == expected and bool(m.iloc[0]) is mangled


def test_records_keep_quoted_newlines_and_line_numbers():
    body = b'a,b\n1,"x\ny"\n\n2,z\r\n'
    rec = locale.split_records(body, "f.csv")
    frame, problems = locale.read_records(rec, 0, ["a", "b"], ",", "f.csv")
    assert list(frame["b"]) == ["x\ny", "z"] and list(frame["source_row"]) == [2, 5] and problems == []


def test_decode_utf16_be():
    body, enc = locale.decode_to_utf8(b"\xfe\xff" + "a;b\n1;2\n".encode("utf-16-be"), "f.csv")
    assert enc == "utf-16-be" and body == b"a;b\n1;2\n"
