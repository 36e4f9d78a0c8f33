"""Units -> tokens: jieba (or rjieba) with a protected policy lexicon, aliases and token classes.

The token table is self-contained for grouping: :func:`with_context` joins each token row with every unit column
except the unit's text (part, city, province, doc_type, year, section_id, para_id, is_heading, …) and the short
document columns (summary_year, plan_year, published, issuer, a manifest's own columns). So
``terms.keyness(tokens, by="city", target="阳江")`` needs nothing else. The cached build stores the lean columns
(:data:`TOKEN_COLUMNS`) and joins the rest when a table is read, so both give the same table.

State: one tokenizer instance per (backend, lexicon fingerprint), and :data:`STATS`, counters a test can read to
prove that a warm build does not segment.
"""
from .cut import (
           SEGMENTERS,
           STATS,
           TOKEN_CLASSES,
           Segmenter,
           classify,
           cut,
           get_tokenizer,
           protected_spans,
           reset_stats,
)
from .resources import Resources, load_resources
from .tokens import TOKEN_COLUMNS, segmenter_agreement, tokenize, with_context

__all__ = ["tokenize", "with_context", "cut", "classify", "get_tokenizer", "protected_spans", "load_resources", "Resources",
           "segmenter_agreement", "reset_stats", "SEGMENTERS", "STATS", "TOKEN_CLASSES", "TOKEN_COLUMNS",
           "Segmenter"]
