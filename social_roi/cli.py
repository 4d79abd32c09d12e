"""The `social-roi` command line: each sub-command is a thin call into a room of the package."""

from __future__ import annotations

import argparse
import importlib
import sys

# Each room that offers commands exposes ``add_commands(subparsers)``; the parser it adds sets
# ``func`` (a callable taking the parsed namespace and returning an exit code).
_COMMAND_ROOMS = (
    "social_roi.simulate.commands",
    "social_roi.attribution.commands",
    "social_roi.evaluation.commands",
    "social_roi.pipeline_commands",
    "social_roi.report.commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="social-roi", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for room in _COMMAND_ROOMS:
        try:
            module = importlib.import_module(room)
        except ModuleNotFoundError as exc:  # a room still being built must not break the others
            if exc.name != room:
                raise
            continue
        module.add_commands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
