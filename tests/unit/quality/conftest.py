"""Fixtures of the quality-gate tests: a fresh work DuckDB file holding the clean audit world."""

from __future__ import annotations

import duckdb
import pytest
from quality_world import build_clean_world


@pytest.fixture
def world(tmp_path):
    """A connection to a fresh work DuckDB file holding the clean audit schema."""
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    build_clean_world(con)
    yield con
    con.close()


@pytest.fixture
def docs_dir(tmp_path):
    return tmp_path / "data_docs"
