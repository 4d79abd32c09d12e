"""Quoting for the few places where a name or a path must be written into SQL text.

Values always go in as bound parameters (``?`` / ``$name``). Identifiers (schemas, tables, columns) and the
file path of ``ATTACH`` cannot be bound in DuckDB, so they are quoted here: an identifier between double quotes
with every ``"`` doubled, a literal between single quotes with every ``'`` doubled. Nothing else may paste a
name or a path into SQL.
"""

from __future__ import annotations

from os import PathLike


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier: ``my "odd" table`` -> ``"my ""odd"" table"``."""
    name = str(name)
    if not name or "\x00" in name:
        raise ValueError(f"not a usable SQL identifier: {name!r}")
    return '"' + name.replace('"', '""') + '"'


def qualified(*parts: str) -> str:
    """``schema.table`` (or ``catalog.schema.table``) with each part quoted."""
    return ".".join(ident(p) for p in parts)


def literal(value: str | PathLike) -> str:
    """``value`` (a file path, say) as a quoted SQL string literal: ``/home/o'neil`` -> ``'/home/o''neil'``."""
    text = str(value)
    if "\x00" in text:
        raise ValueError(f"a NUL character cannot go into SQL: {text!r}")
    return "'" + text.replace("'", "''") + "'"
