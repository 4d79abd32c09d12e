"""The gate's thresholds: ``expectations/thresholds.yml``, optionally overlaid by another file."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from social_roi.quality.registry import EXPECTATIONS_DIR

DEFAULT_FILE = EXPECTATIONS_DIR / "thresholds.yml"


class Thresholds:
    """Nested settings with dotted look-ups: ``thresholds.get("conservation.credit_sum_tolerance")``."""

    def __init__(self, data: dict[str, Any], source: str = "<dict>"):
        self.data = data
        self.source = source

    def get(self, dotted: str, default: Any = ...) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is ...:
                    raise KeyError(f"threshold '{dotted}' is not set in {self.source}")
                return default
            node = node[part]
        return node

    def severity(self, suite: str, default: str) -> str:
        value = (self.data.get("severity") or {}).get(suite, default)
        if value not in ("blocking", "warning"):
            raise ValueError(f"{self.source}: severity of {suite} must be 'blocking' or 'warning', not {value!r}")
        return value

    def fingerprint(self) -> str:
        return repr(sorted(_flatten(self.data).items()))


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (over or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise TypeError(f"{path}: expected a mapping at the top level")
    return data


_CACHE: dict[tuple[str, float], dict] = {}


def load_thresholds(path: Path | None = None) -> Thresholds:
    """The default file, with ``path`` (if given) laid over it key by key."""
    data = _cached(DEFAULT_FILE)
    source = str(DEFAULT_FILE)
    if path is not None and Path(path).resolve() != DEFAULT_FILE.resolve():
        data = _merge(data, _cached(Path(path)))
        source = f"{path} over {DEFAULT_FILE}"
    return Thresholds(data, source)


def _cached(path: Path) -> dict:
    key = (str(Path(path).resolve()), Path(path).stat().st_mtime)
    if key not in _CACHE:
        _CACHE[key] = _read(Path(path))
    return copy.deepcopy(_CACHE[key])
