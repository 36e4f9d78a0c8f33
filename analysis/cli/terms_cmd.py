"""``terms``, ``keyness``, ``kwic``, ``tokens``: term statistics from the command line."""
from __future__ import annotations

import argparse

import pandas as pd

from . import add_corpus_args, built_from_args, emit, load_from_args

KEYNESS_CLI_COLUMNS = ["term", "target_count", "reference_count", "target_per10k", "reference_per10k", "g2",
                       "log_ratio", "p_value", "p_adjusted", "direction"]
TOKEN_CLI_COLUMNS = ["doc_id", "unit_id", "position", "token", "raw", "class", "start", "end"]


def _csv_list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _add_token_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("segmentation")
    g.add_argument("--lexicon", metavar="FILE", help="your policy lexicon (jieba userdict format) instead of the bundled one")
    g.add_argument("--aliases", metavar="FILE", help="your alias CSV (variant,canonical,note)")
    g.add_argument("--stopwords", metavar="FILE", help="your stopword list, one per line")
    g.add_argument("--formulaic", metavar="FILE", help="your formulaic-phrase list, one per line")
    g.add_argument("--segmenter", choices=["jieba", "rjieba"], default="jieba", help="segmenter backend (default: jieba)")
    g.add_argument("--classes", type=_csv_list, default=["content"], metavar="LIST",
                   help="token classes to count, comma-separated: content,stop,formulaic,number,punct (default: content)")


def _built(args):
    return built_from_args(args, lexicon=args.lexicon, aliases=args.aliases, stopwords=args.stopwords,
                           formulaic=args.formulaic, segmenter=args.segmenter)


def _tokens(args) -> pd.DataFrame:
    return _built(args).table("tokens")


def _rounded(df: pd.DataFrame, fmt: str) -> pd.DataFrame:
    """Readable numbers in a table; full precision in CSV and JSON."""
    if fmt != "table":
        return df
    df = df.copy()
    for col in df.columns:
        if col.startswith("p_") and df[col].dtype.kind == "f":
            df[col] = df[col].map(lambda p: f"{p:.2e}" if p < 0.001 else f"{p:.3f}")
        elif df[col].dtype.kind == "f":
            df[col] = df[col].round(2)
    return df


def register(sub) -> None:
    p = sub.add_parser("terms", help="term frequencies per group",
                       description="Raw count, rate per 10,000 words and document frequency of terms, per group.")
    add_corpus_args(p)
    p.add_argument("--by", metavar="COLUMN", help="document/unit column to group by (city, year, part, doc_id, doc_type)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="terms per group (default: 20; 0 = all)")
    p.add_argument("--min-count", type=int, default=1, metavar="N", help="drop terms counted fewer times in a group")
    _add_token_args(p)
    p.set_defaults(handler=run_terms)

    p = sub.add_parser("keyness", help="key terms of a group against the rest (G², log ratio)",
                       description="Keyness of the terms of one group (--by COLUMN --target VALUE) against a "
                                   "reference (default: every other group): Dunning's G², log ratio, p-values.")
    add_corpus_args(p)
    p.add_argument("--by", required=True, metavar="COLUMN", help="document/unit column that defines the groups")
    p.add_argument("--target", required=True, metavar="VALUE", help="the target group, e.g. 阳江")
    p.add_argument("--reference", metavar="VALUE", action="append",
                   help="the reference group (repeatable; default: all other groups)")
    p.add_argument("--top", type=int, default=30, metavar="N", help="rows to show (default: 30; 0 = all)")
    p.add_argument("--direction", choices=["over", "under", "both"], default="over",
                   help="over-used terms (default), under-used ones, or both")
    p.add_argument("--measure", choices=["g2", "chi2", "log_ratio"], default="g2", help="ranking measure (default: g2)")
    p.add_argument("--min-freq", type=int, default=3, metavar="N", help="minimum target+reference count (default: 3)")
    p.add_argument("--correction", choices=["fdr_bh", "bonferroni", "none"], default="fdr_bh",
                   help="multiple-comparison correction of p_adjusted (default: fdr_bh)")
    p.add_argument("--drop-places", action="store_true",
                   help="leave out place names (gazetteer) and the corpus's issuers, as the figures do")
    _add_token_args(p)
    p.set_defaults(handler=run_keyness)

    p = sub.add_parser("kwic", help="keyword in context",
                       description="Every occurrence of TERM in the documents with its context (window in characters).")
    # TERM comes before the paths: declared first, then the shared PATH... positional.
    p.add_argument("term", metavar="TERM", help="the term to find (a regular expression with --regex)")
    add_corpus_args(p)
    p.add_argument("--window", type=int, default=20, metavar="N", help="characters of context each side (default: 20)")
    p.add_argument("--regex", action="store_true", help="TERM is a regular expression")
    p.set_defaults(handler=run_kwic)

    p = sub.add_parser("tokens", help="the token table (segmentation with the policy lexicon)",
                       description="One row per token: doc_id, unit_id, position, token (alias-folded), raw, class, offsets.")
    add_corpus_args(p)
    p.add_argument("--doc", metavar="DOC_ID", action="append", help="only this document (repeatable)")
    _add_token_args(p)
    p.set_defaults(handler=run_tokens, classes=None)


def run_terms(args) -> int:
    from ..terms import term_frequencies

    df = term_frequencies(_tokens(args), by=args.by, classes=args.classes, min_count=args.min_count)
    if args.top:
        df = df.groupby(args.by, sort=False).head(args.top) if args.by else df.head(args.top)
    emit(_rounded(df, args.format), args.format)
    return 0


def run_keyness(args) -> int:
    from ..terms import keyness

    reference = None if not args.reference else (args.reference[0] if len(args.reference) == 1 else args.reference)
    from ..terms import place_names

    built = _built(args)
    exclude = place_names(built.docs) if args.drop_places else None
    df = keyness(built.table("tokens"), by=args.by, target=args.target, reference=reference, measure=args.measure,
                 min_freq=args.min_freq, correction=args.correction, classes=args.classes, exclude=exclude)
    if args.direction == "over":
        df = df[df["direction"] == "over"]
    elif args.direction == "under":
        df = df[df["direction"] == "under"].iloc[::-1]
    if args.top:
        df = df.head(args.top)
    emit(_rounded(df[KEYNESS_CLI_COLUMNS], args.format), args.format)
    return 0


def run_kwic(args) -> int:
    from ..terms import kwic

    df = kwic(load_from_args(args), args.term, regex=args.regex, window=args.window)
    emit(df, args.format, max_colwidth=None)
    return 0


def run_tokens(args) -> int:
    df = _tokens(args)
    if args.doc:
        df = df[df["doc_id"].isin(args.doc)]
    if args.classes:
        df = df[df["class"].isin(args.classes)]
    emit(df[TOKEN_CLI_COLUMNS], args.format)
    return 0
