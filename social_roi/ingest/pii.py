"""Personal data: normalise, then hash with SHA-256 of ``salt + value`` — vectorised.

Normalisation (so the same person hashes alike in every source):
    * email: trimmed, lowercased (no provider-specific rewriting such as removing Gmail dots);
    * phone: E.164 by libphonenumber's rules (``phonenumbers``) for the default country, once per distinct value
      (``07911…`` in the UK → ``+447911…``; Italy's ``06…`` keeps its 0); impossible numbers → null;
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
    """E.164 with Google's libphonenumber rules (``phonenumbers``), applied once per distinct value.

    A number written without ``+``/``00`` is read as a national number of ``default_country`` (a calling code:
    ``1``, ``44``, ``39`` …), so each country's own trunk rules apply: ``07911 123456`` (44) → ``+447911123456``,
    while Italy keeps its leading 0 (``06 1234 5678`` and ``+39 06 1234 5678`` → ``+390612345678``). Excel's
    leading apostrophe and extensions are dropped; what is not a possible number → null."""
    import phonenumbers

    region = phonenumbers.region_code_for_country_code(int(str(default_country).lstrip("+") or 1))
    cleaned = _nfkc(s).str.strip().str.lstrip("'")
    distinct = cleaned.dropna().unique()
    mapping: dict[str, str | None] = {}
    for value in distinct:
        text = str(value)
        if text.startswith("00"):
            text = "+" + text[2:]
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            mapping[value] = None
            continue
        number.extension = None
        mapping[value] = (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if phonenumbers.is_possible_number(number)
            else None
        )
    out = cleaned.map(mapping, na_action="ignore")
    return out.astype("str").where(out.notna())


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
        out = con.sql(
            "select case when v is null then null else sha256($salt || v) end as h from tbl", params={"salt": salt}
        ).to_arrow_table()
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
