"""The command-line layer: thin wrappers over the public API.

Each command group lives in its own module with a ``register(subparsers)`` function; this module holds
what they share: the common arguments (paths, --manifest, --format), loading the corpus, writing tables,
and turning :class:`analysis.errors.AnalysisError` into one line on stderr and an exit status.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence

import pandas as pd

from ..errors import AnalysisError

#: Modules (in this package) that define command groups; each has ``register(subparsers)``.
COMMAND_MODULES = ("corpus_cmd", "terms_cmd", "metrics_cmd", "themes_cmd", "build_cmd", "batch_cmd", "ingest_cmd")

FORMATS = ("table", "csv", "json")


def add_corpus_args(parser: argparse.ArgumentParser, *, formats: Sequence[str] = FORMATS) -> None:
    """Add the arguments every corpus-reading command shares: PATH..., --manifest, --cache, --format."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled seeds)")
    parser.add_argument("--manifest", help="manifest CSV whose values override inference")
    parser.add_argument("--cache", metavar="DIR", help="build cache folder (default: $ANALYSIS_CACHE or .cache/analysis)")
    parser.add_argument("--format", choices=list(formats), default="table", help="output format (default: table)")


def built_from_args(args: argparse.Namespace, **options):
    """The cached build of the corpus the common arguments name (``options``: segmenter and resource files);
    rejected files are reported on stderr, one line each."""
    from ..pipeline.build import build

    resources = {k: v for k, v in options.items() if v}
    built = build(args.paths or None, manifest=args.manifest, cache=getattr(args, "cache", None), **resources)
    report_rejected(built)
    return built


def load_from_args(args: argparse.Namespace, **options):
    """The corpus (docs, units, sections) of the build the common arguments name."""
    return built_from_args(args, **options).corpus


def report_rejected(built) -> None:
    """Print one line per rejected file on stderr and remember that the exit status must be 1."""
    for row in built.rejected.itertuples(index=False):
        print(f"error: {row.path}: {row.reason}", file=sys.stderr)
    if len(built.rejected):
        _STATE["rejected"] = True


_STATE = {"rejected": False}


def emit(df: pd.DataFrame, fmt: str, *, max_colwidth: int | None = 60) -> None:
    """Write a table to stdout as an aligned table, CSV or JSON records."""
    if fmt == "csv":
        df.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        records = json.loads(df.to_json(orient="records", force_ascii=False, date_format="iso"))
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        if df.empty:
            print("(no rows)")
            return
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 250,
                               "display.max_colwidth", max_colwidth, "display.unicode.east_asian_width", True):
            print(df.to_string(index=False))


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every command group registered."""
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="Chinese municipal S&T policy documents: corpus, terms, themes, metrics, figures.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # that command group is not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 1 bad input or failed work, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int | None] = args.handler
    _STATE["rejected"] = False
    try:
        status = handler(args) or 0
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 1 if _STATE["rejected"] and status == 0 else status
