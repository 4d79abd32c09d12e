"""Great Expectations plumbing: one quiet ephemeral context per process, suites run on DataFrames, Data Docs.

Nothing here knows what a suite checks. ``run_suite`` validates one DataFrame against one suite through the GX 1.x
chain (pandas data source → asset → batch definition → suite → validation definition → checkpoint; the raw gate
stops at the validation definition) and turns each expectation result into an :class:`ExpectationOutcome` whose
``observed`` and ``expected`` are readable sentences. ``build_docs`` then renders the Data Docs of a whole gate
run at once: what ``UpdateDataDocsAction`` does per checkpoint, without rebuilding the site index and re-compiling
GX's templates once per suite.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from social_roi.quality.outcomes import ExpectationOutcome

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_QUIET = (
    "great_expectations",
    "great_expectations.core",
    "great_expectations.data_context",
    "tzlocal",
    "posthog",
    "urllib3",
)
_LOCK = threading.RLock()
_STATE: dict[str, Any] = {}


def gx():
    """``great_expectations``, imported once with analytics off and its loggers at WARNING.

    Importing GX loads some thousand modules (GX, scipy, sqlalchemy, altair ...): about 2.5 s from bytecode, 5-8 s
    from source, which is why the Makefile installs the virtualenv with its bytecode compiled.
    """
    module = _STATE.get("gx")
    if module is not None:
        return module
    with _LOCK:  # one import even when threads race to it
        module = _STATE.get("gx")
        if module is None:
            os.environ["GX_ANALYTICS_ENABLED"] = "false"
            for name in _QUIET:
                logging.getLogger(name).setLevel(logging.WARNING)
            import great_expectations as module

            for name in list(logging.root.manager.loggerDict):
                if name.startswith("great_expectations"):
                    logging.getLogger(name).setLevel(logging.WARNING)
            _STATE["gx"] = module
    return module


@dataclass
class _Entry:
    fingerprint: str
    batch_definition: Any
    suite: Any = None
    validation: Any = None
    source: Any = None  # the suite object passed in (registered as ``suite``): the same object needs no fingerprint
    checkpoints: dict[str, Any] = field(default_factory=dict)


def _context():
    ctx = _STATE.get("context")
    if ctx is None:
        mod = gx()
        from great_expectations.data_context.types.base import ProgressBarsConfig

        ctx = mod.get_context(mode="ephemeral")
        ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        _STATE["context"] = ctx
        _STATE["source"] = ctx.data_sources.add_pandas("social_roi_frames")
        _STATE["entries"] = {}
        _STATE["sites"] = {}
    return ctx


def docs_site(docs_dir: Path) -> str:
    """The name of the Data Docs site writing into ``docs_dir`` (added to the context on first use)."""
    ctx = _context()
    key = str(Path(docs_dir).resolve())
    sites: dict[str, str] = _STATE["sites"]
    if key not in sites:
        Path(key).mkdir(parents=True, exist_ok=True)
        name = "social_roi_docs_" + hashlib.sha1(key.encode()).hexdigest()[:10]
        if name not in (ctx.list_data_docs_sites() or {}):
            ctx.add_data_docs_site(
                site_name=name,
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": key},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
        sites[key] = name
    return sites[key]


def _entry(suite) -> _Entry:
    """Register ``suite`` (or reuse the registration of an identical one) and its validation definition."""
    mod = gx()
    ctx = _context()
    entries: dict[str, _Entry] = _STATE["entries"]
    name = suite.name
    entry = entries.get(name)
    if entry is not None and entry.source is suite:  # the very suite registered last (a caller's cached suite)
        return entry
    fingerprint = hashlib.sha1(json.dumps(suite.to_json_dict(), sort_keys=True, default=str).encode()).hexdigest()
    if entry is not None and entry.fingerprint == fingerprint:
        entry.source = suite
        return entry
    if entry is None:
        asset = _STATE["source"].add_dataframe_asset(name)
        entry = _Entry(fingerprint, asset.add_batch_definition_whole_dataframe(name))
        entries[name] = entry
    else:  # same name, other expectations (other thresholds or columns): replace the registration
        for cp_name in list(entry.checkpoints.values()):
            ctx.checkpoints.delete(cp_name.name)
        ctx.validation_definitions.delete(name)
        ctx.suites.delete(name)
        entry.fingerprint = fingerprint
        entry.checkpoints = {}
    entry.source = suite
    entry.suite = ctx.suites.add(suite)
    entry.validation = ctx.validation_definitions.add(
        mod.ValidationDefinition(name=name, data=entry.batch_definition, suite=entry.suite)
    )
    return entry


def _checkpoint(entry: _Entry, result_format: dict):
    """The suite's checkpoint. No actions: Data Docs are built once per gate run by :func:`build_docs` (GX
    re-compiles its page templates on every build, so one build per suite cost ~0.6 s each)."""
    mod = gx()
    key = json.dumps(result_format, sort_keys=True)
    cp = entry.checkpoints.get(key)
    if cp is None:
        name = f"{entry.suite.name}__{hashlib.sha1(key.encode()).hexdigest()[:8]}"
        cp = _context().checkpoints.add(
            mod.Checkpoint(
                name=name, validation_definitions=[entry.validation], actions=[], result_format=result_format
            )
        )
        entry.checkpoints[key] = cp
    return cp


@dataclass
class SuiteRun:
    """What one validation produced: outcomes, and the identifiers its Data Docs pages are built from."""

    outcomes: list[ExpectationOutcome]
    identifiers: list[Any]


def run_suite(
    suite,
    frame: pd.DataFrame,
    *,
    severity: str,
    run_id: str,
    row_ids: list[str] | None = None,
    complete: bool = True,
    via_checkpoint: bool = True,
) -> SuiteRun:
    """Validate ``frame`` against ``suite``; one outcome per expectation.

    ``row_ids``: columns that name a row of ``frame`` in messages (with each expectation's ``meta["show"]``
    columns). ``complete``: list every unexpected row (small aggregated frames) or a sample (raw files).
    ``via_checkpoint=False`` runs the suite's validation definition itself: the same validation and stored
    result, without the checkpoint's second round of freshness checks (re-serialising the suite: ~15% of a
    raw-file run) and without the checkpoint's id in the result's meta.
    """
    with _LOCK:
        _context()
        show = _show_columns(suite, row_ids or [], frame)
        result_format: dict[str, Any] = {"result_format": "COMPLETE" if complete else "SUMMARY"}
        if show:
            result_format["unexpected_index_column_names"] = show
        entry = _entry(suite)
        gx_run_id = gx().RunIdentifier(run_name=run_id)
        if via_checkpoint:
            run = _checkpoint(entry, result_format).run(batch_parameters={"dataframe": frame}, run_id=gx_run_id)
            results = list(run.run_results.items())
        else:
            from great_expectations.data_context.types.resource_identifiers import (
                ExpectationSuiteIdentifier,
                ValidationResultIdentifier,
            )

            validation = entry.validation.run(
                batch_parameters={"dataframe": frame}, result_format=result_format, run_id=gx_run_id
            )
            # the key the validation definition stored its result under (what a checkpoint reports)
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
                run_id=gx_run_id,
                batch_identifier=validation.batch_id,
            )
            results = [(key, validation)]
        outcomes: list[ExpectationOutcome] = []
        identifiers: list[Any] = []
        for identifier, validation in results:
            identifiers.append(identifier)
            for result in validation.results:
                outcomes.append(_outcome(result, suite.name, severity, frame, row_ids or [], None))
        return SuiteRun(outcomes, identifiers)


_SCOPE_KEYS = ("column", "column_list", "column_A", "column_B")


def columns_for(suite, frame: pd.DataFrame, row_ids: list[str] | None = None) -> pd.DataFrame:
    """``frame`` cut to the columns ``suite`` reads (its expectations' columns, ``row_ids``, ``meta["show"]``).

    GX's pandas engine hashes the whole batch to fingerprint it and copies the whole frame each time it drops a
    column's nulls, so every column it does not check costs per expectation. A suite with an expectation that is
    not about named columns (a table-level one: row count, column set) or has a row condition gets the frame as
    it is. A column an expectation names but the frame lacks stays missing (``expect_column_to_exist`` fails).
    """
    wanted: set[str] = set(row_ids or [])
    for exp in suite.expectations:
        if getattr(exp, "row_condition", None):  # a condition may name any column
            return frame
        scoped = False
        for key in _SCOPE_KEYS:
            value = getattr(exp, key, None)
            if value is None:
                continue
            scoped = True
            wanted.update([value] if isinstance(value, str) else value)
        if not scoped:
            return frame
        wanted.update((exp.meta or {}).get("show", []))
    columns = [c for c in frame.columns if c in wanted]
    return frame if len(columns) == len(frame.columns) else frame[columns]


def build_docs(docs_dir: Path, runs: list[SuiteRun]) -> Path | None:
    """Write the Data Docs pages of ``runs`` (and the site index) into ``docs_dir``; set each outcome's page.

    The pages of earlier runs already in ``docs_dir`` stay and are listed in the index.
    """
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    with _LOCK:
        ctx = _context()
        site = docs_site(docs_dir)
        identifiers: list[Any] = []
        for run in runs:
            for identifier in run.identifiers:
                identifiers += [
                    identifier,
                    ExpectationSuiteIdentifier(name=identifier.expectation_suite_identifier.name),
                ]
        if identifiers:
            ctx.build_data_docs(site_names=[site], resource_identifiers=identifiers, build_index=True)
        for run in runs:
            page = _docs_page(ctx, run.identifiers[0], site) if run.identifiers else None
            for outcome in run.outcomes:
                outcome.docs_page = page
        index = Path(docs_dir) / "index.html"
        return index if index.exists() else None


def _show_columns(suite, row_ids: list[str], frame) -> list[str]:
    cols: list[str] = []
    for col in row_ids:
        if col in frame.columns and col not in cols:
            cols.append(col)
    for exp in suite.expectations:
        for col in (exp.meta or {}).get("show", []):
            if col in frame.columns and col not in cols:
                cols.append(col)
    return cols


def _docs_page(ctx, identifier, site: str) -> Path | None:
    try:
        urls = ctx.get_docs_sites_urls(resource_identifier=identifier, site_name=site, only_if_exists=False)
    except Exception:  # noqa: BLE001 - a missing link must not fail a gate
        return None
    for item in urls or []:
        url = item.get("site_url") if isinstance(item, dict) else None
        if url and url.startswith("file://"):
            return Path(unquote(urlparse(url).path))
    return None


# ----------------------------------------------------------------------------------------------------------------
# Turning GX results into sentences


def _outcome(
    result, suite_name: str, severity: str, frame, row_ids: list[str], page: Path | None
) -> ExpectationOutcome:
    config = result.expectation_config
    kwargs = dict(config.kwargs)
    meta = dict(config.meta or {})
    column = kwargs.get("column")
    if column is None and kwargs.get("column_list"):
        column = ",".join(kwargs["column_list"])
    if column is None and kwargs.get("column_A"):
        column = f"{kwargs['column_A']},{kwargs['column_B']}"
    return ExpectationOutcome(
        suite=suite_name,
        severity=severity,
        expectation=config.type,
        column=column,
        success=bool(result.success),
        observed=_observed(result, kwargs, meta, frame, row_ids),
        expected=meta.get("expected") or _expected(config.type, kwargs),
        docs_page=page,
    )


def _exception(result) -> str | None:
    info = result.exception_info or {}
    candidates = [info] if "raised_exception" in info else list(info.values())
    for item in candidates:
        if isinstance(item, dict) and item.get("raised_exception"):
            return str(item.get("exception_message") or "exception").splitlines()[0]
    return None


def fmt(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return f"{value:.6g}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {fmt(v)}" for k, v in value.items()) + "}"
    return str(value)


def _observed(result, kwargs: dict, meta: dict, frame, row_ids: list[str]) -> str:
    error = _exception(result)
    if error is not None:
        return f"error: {error}"
    res = result.result or {}
    column = kwargs.get("column")
    note = meta.get("note")
    if res.get("observed_value") is not None:
        text = fmt(res["observed_value"])
    elif "unexpected_count" in res:
        n, bad = res.get("element_count"), res.get("unexpected_count", 0)
        if not bad:
            text = f"{n} row(s), all as expected" if n is not None else "all as expected"
        else:
            items = res.get("unexpected_index_list") or res.get("partial_unexpected_index_list") or []
            shown = [_row_text(item, column, row_ids, meta) for item in items if isinstance(item, dict)]
            if not shown:
                counts = res.get("partial_unexpected_counts") or [
                    {"value": v, "count": 1} for v in res.get("partial_unexpected_list") or []
                ]
                shown = [
                    f"{fmt(c['value'])} ×{c['count']}" if c.get("count", 1) > 1 else fmt(c["value"]) for c in counts
                ]
            more = f" (+{len(shown) - 5} more)" if len(shown) > 5 else ""
            if n is None:
                text = fmt(shown) if shown else f"{bad} unexpected"
            else:
                text = "; ".join(shown[:5]) + more + f" — {bad} of {n} row(s)"
    else:
        text = "as expected" if result.success else "not as expected (no details)"
    if note and note in frame.columns and (result.success or "unexpected_count" not in res):
        notes = [str(v) for v in frame[note].dropna().tolist()[:5]]
        if notes:
            text = "; ".join(notes) if result.success else f"{text} — {'; '.join(notes)}"
    return text


def _row_text(item: dict, column: str | None, row_ids: list[str], meta: dict) -> str:
    value = item.get(column) if column else None
    labels = [f"{k}={fmt(item[k])}" for k in row_ids if k in item and k != column]
    extra = [
        fmt(item[k]) if k == meta.get("note") else f"{k}={fmt(item[k])}"
        for k in meta.get("show", [])
        if k in item and k != column and k not in row_ids
    ]
    out = fmt(value) if column in item else ""
    if labels:
        out += (" at " if out else "") + ", ".join(labels)
    if extra:
        out += f" ({', '.join(extra)})"
    return out


_WHAT = {
    "expect_column_values_to_be_between": "every value",
    "expect_column_max_to_be_between": "max",
    "expect_column_min_to_be_between": "min",
    "expect_column_mean_to_be_between": "mean",
    "expect_column_sum_to_be_between": "sum",
    "expect_table_row_count_to_be_between": "row count",
}


def _expected(kind: str, kwargs: dict) -> str:
    if "min_value" in kwargs or "max_value" in kwargs:
        lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
        if lo is not None and hi is not None and lo == hi:
            cond = f"= {fmt(lo)}"
        elif lo is None:
            cond = f"<= {fmt(hi)}"
        elif hi is None:
            cond = f">= {fmt(lo)}"
        else:
            cond = f"between {fmt(lo)} and {fmt(hi)}"
        text = f"{_WHAT.get(kind, 'value')} {cond}"
    elif "regex" in kwargs:
        text = f"every value matching {kwargs['regex']}"
    elif "value_set" in kwargs:
        text = f"values in {fmt(sorted(kwargs['value_set'], key=str))}"
    elif kind == "expect_column_to_exist":
        text = "the column is present"
    elif kind == "expect_compound_columns_to_be_unique":
        text = f"unique combinations of ({', '.join(kwargs['column_list'])})"
    elif kind == "expect_column_values_to_be_unique":
        text = "unique values"
    elif kind == "expect_column_values_to_not_be_null":
        text = "no missing values"
    else:
        shown = {k: v for k, v in kwargs.items() if k not in ("batch_id", "column")}
        text = f"{kind} {fmt(shown)}"
    if kwargs.get("mostly") not in (None, 1, 1.0):
        text += f" for at least {fmt(kwargs['mostly'] * 100)}% of rows"
    return text
