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
import warnings
from collections.abc import Callable, Sequence

import pandas as pd

from ..errors import AnalysisError, AnalysisWarning
from ..files import display_path, os_error_message, write_csv

#: Modules (in this package) that define command groups; each has ``register(subparsers)``.
COMMAND_MODULES = ("corpus_cmd", "terms_cmd", "metrics_cmd", "themes_cmd", "agreement_cmd", "build_cmd", "batch_cmd",
                   "ingest_cmd")

FORMATS = ("table", "csv", "json")


def add_corpus_args(parser: argparse.ArgumentParser, *, formats: Sequence[str] = FORMATS) -> None:
    """Add the arguments every corpus-reading command shares: PATH..., --manifest, --cache, --format."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled seeds)")
    parser.add_argument("--manifest", help="manifest CSV whose values override inference")
    parser.add_argument("--cache", metavar="DIR", help="build cache folder (default: $ANALYSIS_CACHE or .cache/analysis)")
    parser.add_argument("--format", choices=list(formats), default="table", help="output format (default: table)")
    add_input_args(parser)


def add_input_args(parser: argparse.ArgumentParser) -> None:
    """Add the input limits every command shares: --max-mb and --follow-links."""
    parser.add_argument("--max-mb", type=float, default=None, metavar="MB",
                        help="refuse text/HTML files larger than this (PDF/Word: 10x, and a .docx may unpack to 10x); "
                             "default 10, or $ANALYSIS_MAX_MB")
    parser.add_argument("--follow-links", action="store_true",
                        help="read symlinks that lead outside the corpus folder (refused by default)")


def say(kind: str, message: str) -> None:
    """One line on stderr: ``kind: message``, with control characters and undecodable bytes escaped."""
    print(f"{kind}: {display_path(message.encode('utf-8', 'surrogateescape'))}", file=sys.stderr)


def built_from_args(args: argparse.Namespace, **options):
    """The cached build of the corpus the common arguments name (``options``: segmenter and resource files);
    rejected files are reported on stderr, one line each."""
    from ..pipeline.build import build

    resources = {k: v for k, v in options.items() if v}
    built = build(args.paths or None, manifest=args.manifest, cache=getattr(args, "cache", None),
                  max_mb=getattr(args, "max_mb", None), links=getattr(args, "follow_links", False), **resources)
    report_rejected(built)
    return built


def load_from_args(args: argparse.Namespace, **options):
    """The corpus (docs, units, sections) of the build the common arguments name."""
    return built_from_args(args, **options).corpus


def report_rejected(built) -> None:
    """Print one line per rejected file on stderr and remember that the exit status must be 1."""
    for row in built.rejected.itertuples(index=False):
        say("error", f"{row.path}: {row.reason}")
    if len(built.rejected):
        _STATE["rejected"] = True


_STATE = {"rejected": False}


def emit(df: pd.DataFrame, fmt: str, *, max_colwidth: int | None = 60) -> None:
    """Write a table to stdout as an aligned table, CSV or JSON records."""
    if fmt == "csv":
        write_csv(df, sys.stdout)
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
    for stream in (sys.stdout, sys.stderr):  # a path that is not UTF-8 is shown escaped, never a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    with warnings.catch_warnings():
        warnings.showwarning = _one_line_warning
        try:
            status = handler(args) or 0
        except AnalysisError as exc:
            say("error", str(exc))
            return 1
        except OSError as exc:  # permissions, a full disk, a read-only folder: one line naming the path
            if isinstance(exc, BrokenPipeError):
                return 0
            say("error", os_error_message(exc))
            return 1
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
    return 1 if _STATE["rejected"] and status == 0 else status


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings as ``warning: path: message``, one line (not Python's two-line form with a source line)."""
    text = str(message)
    say("warning", text if issubclass(category, AnalysisWarning) else f"{text} ({category.__name__})")
