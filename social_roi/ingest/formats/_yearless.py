"""Dates written without a year (TikTok Studio's ``Post time`` = ``July 16`` or ``Jul 16, 18:00``).

Such a date is resolved against a reference day — the export's day (the dated inbox folder the file came in),
else the run's day — as the latest date with that month and day not after the reference: ``July 16`` exported on
2026-07-20 is 2026-07-16, exported on 2026-03-01 it is 2025-07-16. The wall clock is never read. ``February 29``
goes back to the latest leap year.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

MONTHS = {
    "jan": 1,
    "january": 1,
    "janvier": 1,
    "janv": 1,
    "feb": 2,
    "february": 2,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "mar": 3,
    "march": 3,
    "mars": 3,
    "apr": 4,
    "april": 4,
    "avril": 4,
    "avr": 4,
    "may": 5,
    "mai": 5,
    "jun": 6,
    "june": 6,
    "juin": 6,
    "jul": 7,
    "july": 7,
    "juillet": 7,
    "juil": 7,
    "aug": 8,
    "august": 8,
    "août": 8,
    "aout": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "septembre": 9,
    "oct": 10,
    "october": 10,
    "octobre": 10,
    "nov": 11,
    "november": 11,
    "novembre": 11,
    "dec": 12,
    "december": 12,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
}
_TIME = r"(?:\s*,?\s*(?:at\s+|à\s+)?(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?))?"
# "July 16", "Jul. 16, 18:00" (month first) and "16 July", "16 juillet 18:00" (day first)
MONTH_DAY = re.compile(r"^(?P<month>[^\W\d_]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?" + _TIME + r"$", re.I)
DAY_MONTH = re.compile(r"^(?P<day>\d{1,2})(?:er)?\s+(?P<month>[^\W\d_]+)\.?" + _TIME + r"$", re.I)


def split(text: str) -> tuple[int, int, str | None] | None:
    """(month, day, time text or None) of a year-less date, else None (a date with a year, or no date)."""
    value = text.strip()
    for pattern in (MONTH_DAY, DAY_MONTH):
        m = pattern.match(value)
        if m:
            month = MONTHS.get(m.group("month").lower())
            if month is None:
                return None
            return month, int(m.group("day")), m.group("time")
    return None


def resolve(month: int, day: int, reference: date) -> date | None:
    """The latest date with this month and day not after ``reference``; None for an impossible day."""
    for year in range(reference.year, reference.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= reference:
            return candidate
    return None


def complete(values: pd.Series, references: list[date]) -> tuple[pd.Series, pd.Series]:
    """Year-less dates rewritten as ISO text (with their time, if any), and a mask of the rows rewritten.
    Other values (dates with a year, invalid text) are returned unchanged for the usual parser to judge."""
    out = values.copy()
    done = pd.Series(False, index=values.index)
    for i, (text, reference) in enumerate(zip(values.tolist(), references)):
        if not isinstance(text, str) or not text:
            continue
        parts = split(text)
        if parts is None:
            continue
        month, day, clock = parts
        resolved = resolve(month, day, reference)
        if resolved is None:
            continue
        out.iloc[i] = resolved.isoformat() + (f" {clock}" if clock else "")
        done.iloc[i] = True
    return out, done
