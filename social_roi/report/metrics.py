"""The business metrics, read from their one definition: the dbt semantic layer
(``dbt_project/models/semantic/_semantic__models.yml``, the file `mf query` answers from).

Each metric becomes one SQL aggregate over the columns of its mart: a simple metric is its measure's aggregate,
a ratio is numerator / nullif(denominator, 0) (as MetricFlow writes it), a derived metric is its expression with
every input metric replaced by that metric's SQL. Nothing in the report or the CLI computes a metric otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

SEMANTIC_YML = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "semantic" / "_semantic__models.yml"
_REF = re.compile(r"""ref\(\s*['"]([A-Za-z0-9_]+)['"]\s*\)""")
_AGGREGATES = {
    "sum": "sum",
    "count": "count",
    "min": "min",
    "max": "max",
    "average": "avg",
    "count_distinct": "count(distinct {})",
}


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    description: str
    table: str  # the mart the metric is computed on
    sql: str  # one SQL aggregate expression over that mart's columns


def _aggregate(agg: str, expr: str) -> str:
    if agg not in _AGGREGATES:
        raise ValueError(f"{SEMANTIC_YML.name}: measure aggregation {agg!r} is not supported by the report")
    template = _AGGREGATES[agg]
    return template.format(expr) if "{}" in template else f"{template}({expr})"


@cache
def load_metrics(path: Path = SEMANTIC_YML) -> dict[str, Metric]:
    """Every metric of the semantic layer file, as SQL over its mart."""
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    measures: dict[str, tuple[str, str]] = {}
    for model in spec.get("semantic_models", []):
        found = _REF.search(model["model"])
        if not found:
            raise ValueError(f"{path}: semantic model {model['name']!r}: model must be ref('<mart>')")
        for measure in model.get("measures", []):
            sql = _aggregate(measure["agg"], measure.get("expr") or measure["name"])
            measures[measure["name"]] = (found.group(1), sql)
    raw = {m["name"]: m for m in spec.get("metrics", [])}
    resolved: dict[str, Metric] = {}

    def resolve(name: str, seen: tuple[str, ...] = ()) -> Metric:
        if name in resolved:
            return resolved[name]
        if name not in raw:
            raise KeyError(f"{path}: metric {name!r} is not defined")
        if name in seen:
            raise ValueError(f"{path}: metric {name!r} refers to itself")
        spec_, params = raw[name], raw[name].get("type_params", {})
        kind = spec_["type"]
        if kind == "simple":
            table, sql = measures[params["measure"]]
        elif kind == "ratio":
            num, den = resolve(params["numerator"], seen + (name,)), resolve(params["denominator"], seen + (name,))
            table = _one_table(name, num, den)
            sql = f"cast({num.sql} as double) / cast(nullif({den.sql}, 0) as double)"
        elif kind == "derived":
            inputs = [resolve(m["name"], seen + (name,)) for m in params["metrics"]]
            table = _one_table(name, *inputs)
            sql = params["expr"]
            for metric in sorted(inputs, key=lambda m: -len(m.name)):
                sql = re.sub(rf"\b{re.escape(metric.name)}\b", f"({metric.sql})", sql)
            sql = f"({sql})"
        else:
            raise ValueError(f"{path}: metric {name!r}: type {kind!r} is not supported by the report")
        metric = Metric(name, spec_.get("label", name), spec_.get("description", ""), table, sql)
        resolved[name] = metric
        return metric

    return {name: resolve(name) for name in raw}


def _one_table(name: str, *inputs: Metric) -> str:
    tables = {m.table for m in inputs}
    if len(tables) != 1:
        raise ValueError(f"{SEMANTIC_YML.name}: metric {name!r} mixes marts {sorted(tables)}")
    return tables.pop()


def metric_query(
    metrics: list[str],
    group_by: list[str] | tuple[str, ...] = (),
    where: str | None = None,
    order_by: str | None = None,
) -> str:
    """SQL computing ``metrics`` (all on one mart) per ``group_by`` (columns or ``expr as alias``) where ``where``."""
    definitions = load_metrics()
    chosen = [definitions[m] for m in metrics]
    table = _one_table(", ".join(metrics), *chosen)
    select = [*group_by, *(f"{m.sql} as {m.name}" for m in chosen)]
    keys = [g.rsplit(" as ", 1)[0] for g in group_by]
    sql = f"select {', '.join(select)}\nfrom {table}"
    if where:
        sql += f"\nwhere {where}"
    if keys:
        sql += f"\ngroup by {', '.join(keys)}"
    if order_by or keys:
        sql += f"\norder by {order_by or ', '.join(keys)}"
    return sql
