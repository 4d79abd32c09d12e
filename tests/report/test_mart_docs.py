"""Every column of every published mart is described in the dbt manifest of the run, every mart states its grain,
and the report and the CRM export are declared as exposures."""

from __future__ import annotations

import json

import pytest
from raw_files import query

pytestmark = pytest.mark.slow


def _manifest(world) -> dict:
    return json.loads((world.home / "dbt_target" / "manifest.json").read_text(encoding="utf-8"))


def test_every_published_mart_column_has_a_description(world):
    nodes = _manifest(world)["nodes"]
    columns = query(
        world.marts,
        "select table_name, column_name from information_schema.columns "
        "where table_name like 'fct\\_%' escape '\\' or table_name like 'dim\\_%' escape '\\'",
    )
    assert len({t for t, _ in columns}) >= 10 and len(columns) >= 150
    missing = []
    for table, column in columns:
        node = nodes.get(f"model.social_roi.{table}")
        described = node and node["columns"].get(column, {}).get("description", "").strip()
        if not described or "{{" in described:
            missing.append(f"{table}.{column}")
    assert not missing, f"mart columns without a description: {missing}"


def test_every_mart_states_a_grain_of_its_own_columns(world):
    nodes = _manifest(world)["nodes"]
    marts = {t for (t,) in query(world.marts, "select distinct table_name from information_schema.columns")}
    for table in sorted(t for t in marts if t.startswith(("fct_", "dim_"))):
        node = nodes[f"model.social_roi.{table}"]
        grain = node["meta"].get("grain") or node["config"]["meta"].get("grain")
        assert grain, table
        assert set(grain) <= set(node["columns"]), (table, grain)


def test_the_report_and_the_crm_export_are_exposures(world):
    exposures = _manifest(world)["exposures"]
    report = exposures["exposure.social_roi.roi_report"]
    crm = exposures["exposure.social_roi.crm_export"]
    assert "model.social_roi.fct_channel_roi_daily" in report["depends_on"]["nodes"]
    assert crm["depends_on"]["nodes"] == ["model.social_roi.dim_customers"]


def test_docs_site_is_one_file_holding_the_descriptions(world):
    site = (world.reports / "dbt_docs" / "index.html").read_text(encoding="utf-8")
    assert "claimed_conversions / attributed_conversions" in site  # a column description of the reconciliation
    assert "exposure.social_roi.roi_report" in site
