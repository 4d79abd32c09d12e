"""The data-driven model list and the causal parameters come from the dbt project, declared once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from social_roi.attribution.pipeline_step import ModelSettings, compute_weights

PROJECT = Path(__file__).resolve().parents[3] / "dbt_project"


def test_settings_are_the_projects_vars():
    variables = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]
    settings = ModelSettings.from_project(PROJECT)
    assert settings.models == tuple(variables["roi__data_driven_models"]) == ("markov", "shapley", "causal")
    assert (settings.causal_l2, settings.causal_touch_cap) == (
        variables["roi__causal_l2"],
        variables["roi__causal_touch_cap"],
    )


def test_an_unknown_model_in_the_project_is_named(tmp_path):
    (tmp_path / "dbt_project.yml").write_text("vars:\n  roi__data_driven_models: [markov, magic]\n")
    with pytest.raises(ValueError, match="roi__data_driven_models lists magic"):
        ModelSettings.from_project(tmp_path)


def test_compute_weights_covers_every_listed_model():
    table = pd.DataFrame(
        {
            "path": ["A", "A > B", "B"],
            "total_conversions": [3.0, 4.0, 1.0],
            "total_conversion_value": [30.0, 40.0, 10.0],
            "total_null": [10.0, 6.0, 12.0],
        }
    )
    weights = compute_weights(table, ModelSettings(models=("shapley", "causal")))
    assert set(weights["attribution_model"]) == {"shapley", "causal"}
    assert list(weights.columns) == ["attribution_model", "channel", "weight", "raw_share"]
