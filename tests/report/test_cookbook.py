"""Every query of docs/cookbook.md runs on a freshly published world and answers something."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "cookbook.md"
QUERIES = re.findall(r"^## (.+?)\n.*?```sql\n(.*?)```", COOKBOOK.read_text(encoding="utf-8"), re.S | re.M)


def test_the_cookbook_has_ten_questions():
    assert len(QUERIES) == 10


@pytest.mark.parametrize(("question", "sql"), QUERIES, ids=[q.split(".")[0] for q, _ in QUERIES])
def test_cookbook_query_runs_on_the_marts(world, question, sql):
    con = duckdb.connect(str(world.marts), read_only=True)
    try:
        result = con.execute(sql)
        rows = result.fetchall()
        columns = [d[0] for d in result.description]
    finally:
        con.close()
    assert rows, f"{question}: no rows"
    assert len(columns) >= 2
    assert any(v is not None for row in rows for v in row[1:]), f"{question}: only nulls"
