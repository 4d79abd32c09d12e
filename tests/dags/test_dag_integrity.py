"""The DAG folder imports cleanly, the daily DAG has the expected shape, and nothing heavy runs at parse time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"
HEAVY = {"pandas", "duckdb", "great_expectations", "dbt", "numpy", "pyarrow", "social_roi"}


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_dag_folder_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "social_roi_daily" in dagbag.dags


def test_daily_dag_runs_the_write_audit_publish_chain(dagbag):
    dag = dagbag.dags["social_roi_daily"]
    # the two dbt phases around the attribution step are tasks of their own
    order = ["ingest", "dbt_build_paths", "attribute", "dbt_build_marts", "mart_gate", "publish", "report"]
    assert set(dag.task_ids) == set(order)
    for upstream, downstream in zip(order, order[1:]):
        assert dag.get_task(downstream).upstream_task_ids == {upstream}
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert dag.get_task("mart_gate").retries == 0  # a failed gate is about data: retrying cannot fix it
    assert dag.get_task("ingest").retries >= 1


def test_production_schedule_has_no_catch_up_unless_a_start_date_is_given(monkeypatch):
    """SOCIAL_ROI_START_DATE turns catch-up on from that day; without it the production defaults hold."""
    import importlib.util
    from datetime import UTC, datetime

    def load():
        spec = importlib.util.spec_from_file_location("social_roi_daily_under_test", DAGS / "social_roi_daily.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    monkeypatch.delenv("SOCIAL_ROI_START_DATE", raising=False)
    production = load()
    assert (production.START_DATE, production.CATCHUP) == (datetime(2026, 1, 1, tzinfo=UTC), False)
    monkeypatch.setenv("SOCIAL_ROI_START_DATE", "2026-11-28")
    catching_up = load()
    assert (catching_up.START_DATE, catching_up.CATCHUP) == (datetime(2026, 11, 28, tzinfo=UTC), True)


@pytest.mark.parametrize("path", sorted(DAGS.glob("*.py")), ids=lambda p: p.name)
def test_no_heavy_imports_at_module_level(path):
    tree = ast.parse(path.read_text())
    for node in tree.body:
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in HEAVY, f"{path.name} imports {name} at parse time"


def test_one_dag_per_file_named_after_it(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert Path(dag.fileloc).stem == dag_id
