"""``metrics``, ``targets``, ``conflicts``: indicator values, target follow-through and cross-document conflicts."""
from __future__ import annotations

from . import add_corpus_args, built_from_args, emit

METRICS_COLUMNS = ["path", "doc_id", "place", "level", "city", "indicator", "value", "unit", "year", "kind",
                   "qualifier", "period", "tier", "quote", "start", "end", "number", "unit_id"]
TARGET_COLUMNS = ["place", "level", "city", "indicator", "tier", "year", "status", "unit", "target_value", "target_qualifier",
                  "outcome_value", "outcome_qualifier", "outcome_kind", "target_doc_id", "target_quote",
                  "target_start", "target_end", "outcome_doc_id", "outcome_quote", "outcome_start", "outcome_end"]


def _catalogue_args(p) -> None:
    p.add_argument("--indicator", action="append", metavar="ID", help="only this indicator (repeatable)")
    p.add_argument("--catalogue", metavar="YAML", help="indicator catalogue (default: the bundled indicators.yaml)")


def register(sub) -> None:
    p = sub.add_parser("metrics", help="extract indicator values (one row per value)",
                       description="One row per indicator value stated in the documents, with year, kind "
                                   "(actual|estimate|target), hedge and the quote with its offsets.")
    add_corpus_args(p)
    _catalogue_args(p)
    p.add_argument("--all-columns", action="store_true", help="all columns (sentence, alias, cues …)")
    p.set_defaults(handler=run_metrics)

    p = sub.add_parser("targets", help="targets against outcomes in later documents",
                       description="Each target matched to the outcome for the same place/indicator/year stated "
                                   "in another document: met | missed | unknown, with both quotes.")
    add_corpus_args(p)
    _catalogue_args(p)
    p.set_defaults(handler=run_targets)

    p = sub.add_parser("conflicts", help="the same figure stated differently in two documents",
                       description="Values of the same place/indicator/year/kind class that disagree across "
                                   "documents, with both quotes.")
    add_corpus_args(p)
    _catalogue_args(p)
    p.set_defaults(handler=run_conflicts)


def _metrics(args):
    from ..metrics import load_catalogue

    built = built_from_args(args, indicators=args.catalogue)
    df = built.table("metrics")
    if args.indicator:
        ids = load_catalogue(args.catalogue).subset(args.indicator).ids  # unknown ids: one error line
        df = df[df["indicator"].isin(ids)].reset_index(drop=True)
    return built, df


def run_metrics(args) -> int:
    _, df = _metrics(args)
    emit(df if args.all_columns else df[METRICS_COLUMNS], args.format)
    return 0


def run_targets(args) -> int:
    from ..metrics import target_follow_through

    built, df = _metrics(args)
    emit(target_follow_through(df, docs=built.docs, catalogue=args.catalogue)[TARGET_COLUMNS], args.format)
    return 0


def run_conflicts(args) -> int:
    from ..metrics import metric_conflicts

    emit(metric_conflicts(_metrics(args)[1]), args.format)
    return 0
