"""Where the suites live, and loading them.

Suites are plain Python modules in the repository's ``expectations/`` folder (not a package: they are loaded by
path, so the folder stays a place for checks, not code). ``expectations/_registry.py`` lists which run where.
Set ``SOCIAL_ROI_EXPECTATIONS_DIR`` to use another folder.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

EXPECTATIONS_DIR = Path(
    os.environ.get("SOCIAL_ROI_EXPECTATIONS_DIR") or Path(__file__).resolve().parents[2] / "expectations"
)

_MODULES: dict[str, ModuleType] = {}


def load_suite_module(name: str) -> ModuleType:
    """The module ``expectations/<name>.py`` (loaded once per process)."""
    if name not in _MODULES:
        path = EXPECTATIONS_DIR / f"{name}.py"
        if not path.is_file():
            raise FileNotFoundError(f"suite module {path} does not exist (is it registered under another name?)")
        qualified = f"social_roi_expectations.{name}"
        spec = importlib.util.spec_from_file_location(qualified, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        spec.loader.exec_module(module)
        _check_contract(module, path)
        _MODULES[name] = module
    return _MODULES[name]


def _check_contract(module: ModuleType, path: Path) -> None:
    missing = [attr for attr in ("NAME", "SEVERITY", "build_suite", "frame") if not hasattr(module, attr)]
    if missing:
        raise TypeError(f"{path} lacks {', '.join(missing)} (see expectations/README.md)")
    if module.SEVERITY not in ("blocking", "warning"):
        raise TypeError(f"{path}: SEVERITY must be 'blocking' or 'warning'")
    if module.NAME != path.stem:
        raise TypeError(f"{path}: NAME must be the module's file name ({path.stem!r}), not {module.NAME!r}")


def registry() -> ModuleType:
    """``expectations/_registry.py``: which suites run in which gate."""
    if "_registry" not in _MODULES:
        path = EXPECTATIONS_DIR / "_registry.py"
        spec = importlib.util.spec_from_file_location("social_roi_expectations._registry", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _MODULES["_registry"] = module
    return _MODULES["_registry"]


def mart_suite_names() -> list[str]:
    return list(registry().MART_SUITES)


def raw_suite_name(fmt: str) -> str:
    """The raw suite of a format; formats without their own suite get the generic one."""
    reg = registry()
    return reg.RAW_SUITES.get(fmt, reg.RAW_FALLBACK)
