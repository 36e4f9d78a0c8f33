"""``corpus``: one row per document with its inferred (or manifest) metadata and structure counts."""
from __future__ import annotations

from . import add_corpus_args, emit, load_from_args

CORPUS_COLUMNS = ["path", "doc_id", "title", "city", "province", "doc_type", "summary_year", "plan_year", "published",
                  "n_chars", "n_top_sections", "summary_chars", "plan_chars", "place", "level", "plan_period"]
EVIDENCE_COLUMNS = ["place_evidence", "city_evidence", "doc_type_evidence", "years_evidence", "published_evidence", "title_evidence",
                    "metadata_source", "encoding", "source_format", "traditional", "n_units", "n_sections_l2"]


def register(sub) -> None:
    p = sub.add_parser("corpus", help="list documents with metadata and structure",
                       description="One row per document: metadata (manifest values win over inference) and structure.")
    add_corpus_args(p)
    p.add_argument("--evidence", action="store_true", help="add the evidence behind each inferred field")
    p.set_defaults(handler=run)


def run(args) -> int:
    docs = load_from_args(args).docs
    cols = CORPUS_COLUMNS + (EVIDENCE_COLUMNS if args.evidence else [])
    emit(docs[[c for c in cols if c in docs.columns]], args.format)
    return 0
