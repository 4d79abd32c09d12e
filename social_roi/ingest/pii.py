"""Personal data: normalise, then hash with SHA-256 of ``salt + value`` — vectorised.

Normalisation (so the same person hashes alike in every source):
    * email: trimmed, lowercased (no provider-specific rewriting such as removing Gmail dots);
    * phone: E.164 — keep ``+`` and digits; ``00`` prefix → ``+``; Excel's leading apostrophe dropped; a national
      number gets the default country code (a single trunk ``0`` is dropped first: ``07911…`` → ``+447911…``);
      a number that already starts with the country code and has 11+ digits keeps it; fewer than 7 or more than
      15 digits → null;
    * name / address: Unicode NFKC, trimmed, lowercased, inner whitespace collapsed to one space;
    * empty → null (never the hash of an empty string).

Hashing runs inside DuckDB's ``sha256()`` over the whole column (hex, lowercase — identical to
``hashlib.sha256((salt + value).encode()).hexdigest()``). The clear value never leaves this module.
"""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from social_roi.ingest.locale import rx_replace

KINDS = ("email", "phone", "name", "address", "id")


def normalise_email(s: pd.Series) -> pd.Series:
    x = _nfkc(s).str.strip().str.lower()
    x = rx_replace(x, r"^mailto:", "")
    return x.where(x.str.len() > 0)


def normalise_phone(s: pd.Series, default_country: str = "1") -> pd.Series:
    x = _nfkc(s).str.strip().str.lstrip("'")
    x = rx_replace(x, r"(?i)\s*(?:ext\.?|x|#)\s*\d+$", "")  # extensions are not part of E.164
    plus = x.str.startswith("+").fillna(False)
    digits = rx_replace(x, r"\D", "")
    intl00 = ~plus & digits.str.startswith("00").fillna(False)
    digits = digits.where(~intl00, digits.str.slice(2))
    international = plus | intl00
    cc = str(default_country).lstrip("+")
    trunk = ~international & digits.str.startswith("0").fillna(False)
    national = digits.where(~trunk, digits.str.slice(1))
    has_cc = ~international & ~trunk & national.str.startswith(cc).fillna(False) & (national.str.len() >= 11)
    e164 = ("+" + national).where(international | has_cc, "+" + cc + national)
    n = e164.str.len() - 1
    ok = digits.notna() & (digits.str.len() > 0) & (n >= 7) & (n <= 15)
    return e164.where(ok)


def normalise_text(s: pd.Series) -> pd.Series:
    x = rx_replace(_nfkc(s).str.lower(), r"\s+", " ").str.strip()
    return x.where(x.str.len() > 0)


def normalise(s: pd.Series, kind: str, default_country: str = "1") -> pd.Series:
    if kind == "email":
        return normalise_email(s)
    if kind == "phone":
        return normalise_phone(s, default_country)
    if kind in ("name", "address"):
        return normalise_text(s)
    if kind == "id":
        x = s.astype("str").str.strip()
        return x.where(x.str.len() > 0)
    raise ValueError(f"unknown PII kind {kind!r}; expected one of {KINDS}")


_SMALL = 5_000


def sha256_hex(s: pd.Series, salt: str) -> pd.Series:
    """SHA-256 hex of ``salt + value`` for every non-null value (DuckDB, vectorised; hashlib for small inputs,
    where starting a DuckDB connection would cost more than hashing)."""
    if len(s) <= _SMALL:
        values = s.astype("object").where(s.notna(), None)
        hashed = [None if v is None else hashlib.sha256((salt + str(v)).encode("utf-8")).hexdigest() for v in values]
        return pd.Series(hashed, index=s.index, dtype="str")
    arr = pa.array(s.astype("object").where(s.notna(), None).to_numpy(), type=pa.string())
    table = pa.table({"v": arr})
    con = duckdb.connect()
    try:
        con.register("tbl", table)
        out = con.sql("select case when v is null then null else sha256($salt || v) end as h from tbl",
                      params={"salt": salt}).to_arrow_table()
    finally:
        con.close()
    return pd.Series(out.column("h").to_pandas(), index=s.index, dtype="str")


def hash_pii(s: pd.Series | None, kind: str, *, salt: str, default_country: str = "1") -> pd.Series:
    if s is None:
        return pd.Series(dtype="str")
    if not salt:
        raise ValueError("a non-empty salt is required to hash personal data")
    return sha256_hex(normalise(s, kind, default_country), salt)


def _nfkc(s: pd.Series) -> pd.Series:
    arr = pa.array(s.astype("object").where(s.notna(), None).to_numpy(), type=pa.string())
    return pd.Series(pc.utf8_normalize(arr, "NFKC").to_pandas(), index=s.index, dtype="str")


__all__ = ["hash_pii", "normalise", "normalise_email", "normalise_phone", "normalise_text", "sha256_hex"]
