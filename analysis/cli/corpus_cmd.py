"""``corpus``: one row per document with its inferred (or manifest) metadata and structure counts; ``--dropped``
lists the lines cleaning removed instead."""
from __future__ import annotations

from . import add_corpus_args, built_from_args, emit

CORPUS_COLUMNS = ["path", "doc_id", "title", "city", "province", "doc_type", "summary_year", "plan_year", "published",
                  "n_chars", "n_top_sections", "summary_chars", "plan_chars", "place", "level", "plan_period"]
EVIDENCE_COLUMNS = ["place_evidence", "city_evidence", "doc_type_evidence", "years_evidence", "published_evidence", "title_evidence",
                    "metadata_source", "encoding", "source_format", "traditional", "n_units", "n_sections_l2"]
DROPPED_COLUMNS = ["path", "doc_id", "line", "rule", "length"]


def register(sub) -> None:
    p = sub.add_parser("corpus", help="list documents with metadata and structure",
                       description="One row per document: metadata (manifest values win over inference) and structure.")
    add_corpus_args(p)
    p.add_argument("--evidence", action="store_true", help="add the evidence behind each inferred field")
    p.add_argument("--dropped", action="store_true",
                   help="list the lines cleaning removed (document, line number, rule, length) instead")
    p.add_argument("--chrome", metavar="FILE", help="your site-chrome patterns file instead of the bundled one")
    p.set_defaults(handler=run)


def run(args) -> int:
    built = built_from_args(args, chrome=args.chrome)
    docs = built.docs
    if args.dropped:
        dropped = built.table("dropped").merge(docs[["doc_id", "path"]], on="doc_id", how="left")
        emit(dropped[DROPPED_COLUMNS], args.format)
        return 0
    cols = CORPUS_COLUMNS + (EVIDENCE_COLUMNS if args.evidence else [])
    emit(docs[[c for c in cols if c in docs.columns]], args.format)
    return 0
