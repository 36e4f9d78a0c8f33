"""``agreement``: score the coder and the indicator extraction against your own hand-coded sentences.

A researcher who hand-codes sentences of her own documents (a new genre, place or period) gets the same figures as
the project's evaluation: themes macro-F1 (over the themes with at least ``--min-support`` gold sentences), Cohen's
kappa of the instrument type, per-category tables and the confusion of types; or, for an indicator gold, precision,
recall and year / kind accuracy. The kind of gold is recognised from its columns (see ``tests/gold/README.md``):

- themes gold: ``file, sentence, themes, instrument_type`` (themes ";"-separated theme ids, blank for no theme;
  instrument_type supply / environment / demand / none),
- indicator gold: ``file, indicator, value`` (+ ``unit, year, kind, qualifier, quote`` …).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputError
from . import add_corpus_args, built_from_args, emit


def register(sub) -> None:
    p = sub.add_parser("agreement", help="score the coder / indicators against your own hand-coded gold CSV",
                       description="Agreement of the theme and instrument coder (themes gold) or of the indicator "
                                   "extraction (indicator gold) with sentences you coded by hand, on the corpus the "
                                   "paths name. The kind of gold is read from its columns.")
    p.add_argument("--gold", required=True, metavar="CSV", help="your hand-coded gold (see tests/gold/README.md)")
    add_corpus_args(p)
    p.add_argument("--min-support", type=int, default=10, metavar="N",
                   help="themes: macro-F1 averages the themes with at least N gold sentences (default: 10, the "
                        "project's convention; 1 for every theme with support)")
    p.add_argument("--taxonomy", metavar="YAML", help="your own theme taxonomy (replaces the bundled themes.yaml)")
    p.add_argument("--scheme", metavar="YAML", help="your own instrument scheme (replaces instruments.yaml)")
    p.add_argument("--disagreements", action="store_true",
                   help="list the gold sentences (themes) or values (indicators) where the package disagrees")
    p.set_defaults(handler=run_agreement)


def gold_kind(path: Path) -> str:
    """``themes`` or ``metrics``, from the gold CSV's header; :class:`InputError` when it is neither."""
    try:
        columns = set(pd.read_csv(path, nrows=0, dtype=str, encoding="utf-8-sig").columns)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, f"cannot read gold CSV: {exc}") from None
    if {"themes", "instrument_type"} <= columns:
        if "sentence" not in columns:
            raise InputError(path, "themes gold needs a 'sentence' column with the sentence text (offset gold is "
                             "read by the evaluation scripts in eval/)")
        return "themes"
    if {"indicator", "value"} <= columns:
        return "metrics"
    raise InputError(path, "not a gold CSV: expected columns file, sentence, themes, instrument_type (themes) or "
                     "file, indicator, value (indicators)")


def run_agreement(args) -> int:
    gold_path = Path(args.gold)
    kind = gold_kind(gold_path)
    if kind == "themes":
        return _themes(args, gold_path)
    return _metrics(args, gold_path)


def _themes(args, gold_path: Path) -> int:
    from ..evaluation.themes import agreement, read_gold

    gold = read_gold(gold_path)
    built = built_from_args(args)
    res = agreement(gold, built.corpus, taxonomy=args.taxonomy, scheme=args.scheme, min_support=args.min_support)
    if args.disagreements:
        s = res["sentences"]
        differ = s[(s["gold_themes"] != s["pred_themes"]) | (s["gold_type"] != s["pred_type"])]
        emit(differ[["gold_row", "doc_id", "gold_themes", "pred_themes", "gold_type", "pred_type", "theme_cues",
                     "instrument_cues", "sentence"]], args.format, max_colwidth=None)
        return 0
    if args.format != "table":
        emit(res["summary"], args.format)
        return 0
    s = res["summary"].iloc[0]
    print(f"gold sentences {int(s.n_gold)}, found in the corpus {int(s.n_matched)}, not found {int(s.n_unmatched)}")
    print(f"themes: macro-F1 {s.macro_f1:.3f} over {int(s.n_themes_scored)} themes with >= {int(s.min_support)} "
          f"gold sentences; micro-F1 {s.micro_f1:.3f}")
    print(f"instrument type: Cohen's kappa {s.kappa:.3f}, accuracy {s.type_accuracy:.3f}\n")
    emit(res["themes"].round(3), "table")
    print()
    emit(res["types"].round(3), "table")
    print("\nconfusion (rows gold, columns predicted):")
    print(res["confusion"].to_string())
    unmatched = res["matching"][~res["matching"]["matched"]]
    if len(unmatched):
        print("\nnot found in the corpus (not scored):")
        emit(unmatched[["gold_row", "file", "reason"]], "table", max_colwidth=None)
    return 0


def _metrics(args, gold_path: Path) -> int:
    from ..evaluation.metrics import gold_scores, match_gold, read_gold

    gold = read_gold(gold_path)
    built = built_from_args(args)
    met = built.table("metrics")
    docs = {Path(str(f)).stem for f in gold["file"]}
    stem = (met["file"] if "file" in met.columns else met["doc_id"]).map(lambda f: Path(str(f)).stem)
    # only the documents and indicators the gold covers can be scored: other values are neither right nor wrong
    met = met[stem.isin(docs) & met["indicator"].isin(set(gold["indicator"]))]
    matches = match_gold(met, gold)
    if args.disagreements:
        emit(matches[matches["outcome"] != "tp"], args.format, max_colwidth=None)
        return 0
    emit(gold_scores(matches).round(3).reset_index(), args.format)
    return 0
