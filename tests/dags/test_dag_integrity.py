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
    order = ["ingest", "dbt_build", "mart_gate", "publish", "report"]
    assert set(dag.task_ids) == set(order)
    for upstream, downstream in zip(order, order[1:]):
        assert dag.get_task(downstream).upstream_task_ids == {upstream}
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert dag.get_task("mart_gate").retries == 0  # a failed gate is about data: retrying cannot fix it
    assert dag.get_task("ingest").retries >= 1


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
