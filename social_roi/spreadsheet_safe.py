"""Every CSV the product writes goes through :func:`write_csv`: a text cell a spreadsheet would read as a formula
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading apostrophe, so
Excel, LibreOffice and Google Sheets show it as text and never run it. Numbers stay numbers; the data itself is
loaded and kept as the user wrote it — only what we hand to a spreadsheet is neutralised.
"""

from __future__ import annotations

from typing import IO

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """One cell: text starting like a formula gets a leading ``'``; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised (numeric, date and boolean columns untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise, na_action="ignore")
    return out


def write_csv(frame: pd.DataFrame, target: str | IO[str], **kwargs) -> None:
    """``frame.to_csv(target, index=False)`` with formula-like text neutralised."""
    neutralise_frame(frame).to_csv(target, index=False, **kwargs)


__all__ = ["FORMULA_STARTS", "neutralise", "neutralise_frame", "write_csv"]
