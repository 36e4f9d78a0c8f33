"""``themes``, ``instruments``, ``topics``: dictionary coding of sentences by policy theme and instrument, with
the evidence behind every share (``--evidence``), and an unsupervised topic model as a complement."""
from __future__ import annotations

from . import add_corpus_args, built_from_args, emit

BY_CHOICES = ("doc", "city", "part", "year", "doc_type")


def _by(value: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    return items or ["doc"]


def _round(df, fmt):
    return df.round(4) if fmt == "table" else df


def register(sub) -> None:
    p = sub.add_parser("themes", help="policy-theme shares per document/city/part/year (dictionary coding)",
                       description="Share of sentences coded with each policy theme (multi-label: shares need not "
                                   "sum to 1). --evidence lists the coded sentences and their cues.")
    add_corpus_args(p)
    p.add_argument("--by", type=_by, default=["doc"], metavar="COL[,COL]",
                   help=f"group by one or more of {', '.join(BY_CHOICES)} (default: doc)")
    p.add_argument("--weight", choices=["sentences", "chars"], default="sentences", help="what share counts")
    p.add_argument("--taxonomy", metavar="YAML", help="your own theme taxonomy (replaces the bundled themes.yaml)")
    p.add_argument("--theme", action="append", metavar="ID", help="only this theme (repeatable)")
    p.add_argument("--no-headings", action="store_true", help="do not code heading lines")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--evidence", action="store_true", help="print the coded sentences with their cues")
    g.add_argument("--shift", action="store_true", help="summary-part vs plan-part share of each theme")
    p.set_defaults(handler=run_themes)

    p = sub.add_parser("instruments", help="policy-instrument shares (supply/environment/demand and sub-types)",
                       description="Share of sentences coded with each policy-instrument sub-type (multi-label) or "
                                   "each sentence's dominant type (--level type, with none). --evidence lists the "
                                   "coded sentences and their cues.")
    add_corpus_args(p)
    p.add_argument("--by", type=_by, default=["doc"], metavar="COL[,COL]",
                   help=f"group by one or more of {', '.join(BY_CHOICES)} (default: doc)")
    p.add_argument("--level", choices=["subtype", "type"], default="subtype",
                   help="sub-types (multi-label) or the dominant type per sentence (default: subtype)")
    p.add_argument("--weight", choices=["sentences", "chars"], default="sentences", help="what share counts")
    p.add_argument("--scheme", metavar="YAML", help="your own instrument scheme (replaces instruments.yaml)")
    p.add_argument("--taxonomy", metavar="YAML", help="theme taxonomy for --crosstab")
    p.add_argument("--type", dest="types", action="append", metavar="ID", help="only this type (repeatable)")
    p.add_argument("--no-headings", action="store_true", help="do not code heading lines")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--evidence", action="store_true", help="print the coded sentences with their cues")
    g.add_argument("--crosstab", action="store_true", help="instrument x theme cross-tabulation (per --by group)")
    p.set_defaults(handler=run_instruments)

    p = sub.add_parser("topics", help="NMF/LDA topics over sentence units (what the dictionaries may miss)",
                       description="Unsupervised topics over sentence units, seeded: top terms per topic, or topic "
                                   "shares per document with --docs.")
    add_corpus_args(p)
    p.add_argument("--n-topics", type=int, default=8, help="number of topics (default: 8)")
    p.add_argument("--method", choices=["nmf", "lda"], default="nmf")
    p.add_argument("--seed", type=int, default=0, help="random state (default: 0)")
    p.add_argument("--top-n", type=int, default=10, help="terms per topic (default: 10)")
    p.add_argument("--analyzer", choices=["auto", "tokens", "char_bigrams"], default="auto")
    p.add_argument("--docs", action="store_true", help="print topic shares per document instead of terms")
    p.set_defaults(handler=run_topics)


def _coded(args, table: str, **resources):
    """The build's units and its coded table, headings left out with --no-headings."""
    built = built_from_args(args, **resources)
    units, coded = built.units, built.table(table)
    if args.no_headings:
        units = units[~units["is_heading"].astype(bool)]
        coded = coded[coded["unit_id"].isin(set(units["unit_id"]))]
    return built, units, coded


def run_themes(args) -> int:
    from ..themes import theme_shares, theme_shift, with_groups

    _built, corpus, coded = _coded(args, "themes", taxonomy=args.taxonomy)
    if args.evidence:
        ev = with_groups(coded, corpus, by=args.by)
        if args.theme:
            ev = ev[ev["theme"].isin(args.theme)]
        emit(ev[["group", "doc_id", "unit_id", "theme", "cues", "text"]], args.format, max_colwidth=None)
        return 0
    if args.shift:
        by = [b for b in args.by if b != "part"] or ["doc"]
        df = theme_shift(coded, corpus, by=by, weight=args.weight, taxonomy=args.taxonomy)
        keep = ["group", "theme", "label", *[c for c in df.columns if c.startswith(("before_", "after_"))],
                "shift_pp", "docs"]
    else:
        df = theme_shares(coded, corpus, by=args.by, weight=args.weight, taxonomy=args.taxonomy)
        keep = ["group", "theme", "label", "sentences", "chars", "share", "share_of_coded", "group_sentences"]
    if args.theme:
        df = df[df["theme"].isin(args.theme)]
    emit(_round(df[keep], args.format), args.format)
    return 0


def run_instruments(args) -> int:
    from ..themes import (
        classify_instruments,
        instrument_shares,
        instrument_theme_crosstab,
        with_groups,
    )

    built, corpus, coded = _coded(args, "instruments", scheme=args.scheme, taxonomy=args.taxonomy)
    if args.evidence and args.level == "type":
        ev = with_groups(classify_instruments(corpus, scheme=args.scheme), corpus, by=args.by)
        if args.types:
            ev = ev[ev["instrument_type"].isin(args.types)]
        emit(ev[["group", "doc_id", "unit_id", "instrument_type", "reason", "cues", "text"]], args.format,
             max_colwidth=None)
        return 0
    if args.evidence:
        ev = with_groups(coded, corpus, by=args.by)
        if args.types:
            ev = ev[ev["instrument_type"].isin(args.types)]
        emit(ev[["group", "doc_id", "unit_id", "instrument_type", "subtype", "dominant", "cues", "text"]],
             args.format, max_colwidth=None)
        return 0
    if args.crosstab:
        themes = built.themes[built.themes["unit_id"].isin(set(corpus["unit_id"]))]
        df = instrument_theme_crosstab(themes, coded, corpus, by=args.by, level=args.level)
        keep = ["group", "instrument_type", "subtype", "theme", "label", "sentences", "share", "row_share",
                "col_share"]
        if args.level == "type":
            keep.remove("subtype")
    else:
        df = instrument_shares(coded, corpus, by=args.by, level=args.level, weight=args.weight, scheme=args.scheme)
        keep = ["group", "instrument_type", "subtype", "label", "sentences", "chars", "share", "share_of_coded",
                "group_sentences"]
    if args.types:
        df = df[df["instrument_type"].isin(args.types)]
    emit(_round(df[keep], args.format), args.format)
    return 0


def run_topics(args) -> int:
    from ..themes.topics import topics

    built = built_from_args(args)
    tokens = built.table("tokens") if args.analyzer != "char_bigrams" else None
    terms, docs = topics(built.units, tokens, n_topics=args.n_topics, method=args.method, random_state=args.seed,
                         top_n=args.top_n, analyzer=args.analyzer)
    emit(_round(docs if args.docs else terms, args.format), args.format)
    return 0
