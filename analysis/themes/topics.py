"""Units -> unsupervised topics (NMF or LDA over sentence units): what the theme dictionaries may miss.

Sentences are the documents of the topic model (policy texts are few and long; a sentence is about one thing).
Terms are the content tokens of :func:`analysis.segment.tokenize` (formulaic phrases, stopwords, numbers and
punctuation left out) when it is available, otherwise character bigrams of the sentence text. Everything is
seeded, so the same input gives the same topics.
"""
from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import AnalysisError, ParameterError
from .coding import _select_units, _units_frame

_PUNCT = set("，。、；：？！“”‘’（）《》【】—…·,.;:?!()[]<>\"' \t\n%％/-+")


def _bigrams(text: str) -> list[str]:
    chars = [c for c in text if c not in _PUNCT and not c.isdigit() and not c.isspace()]
    return ["".join(chars[i:i + 2]) for i in range(len(chars) - 1)]


def _unit_documents(units: pd.DataFrame, tokens: pd.DataFrame | None, analyzer: str) -> tuple[list[str], list, str]:
    """Return (unit ids, per-unit token lists, analyzer used)."""
    if analyzer in ("tokens", "auto") and tokens is None:
        try:
            from ..segment import tokenize

            tokens = tokenize(units)
        except (ImportError, AnalysisError) as exc:
            if analyzer == "tokens":
                raise
            warnings.warn(f"segmentation unavailable ({exc}); topics use character bigrams", stacklevel=3)
            tokens = None
    if tokens is not None and analyzer != "char_bigrams":
        tok = tokens
        if "class" in tok.columns:
            tok = tok[tok["class"] == "content"]
        tok = tok[tok["token"].astype(str).str.len() >= 2]
        grouped = tok.groupby("unit_id", sort=False)["token"].agg(list)
        ids = units["unit_id"].tolist()
        return ids, [grouped.get(u, []) for u in ids], "tokens"
    return units["unit_id"].tolist(), [_bigrams(t) for t in units["text"].astype(str)], "char_bigrams"


def topics(units, tokens: pd.DataFrame | None = None, *, n_topics: int = 8,
           method: Literal["nmf", "lda"] = "nmf", random_state: int = 0, top_n: int = 10,
           analyzer: Literal["auto", "tokens", "char_bigrams"] = "auto", min_df: int = 2, max_df: float = 0.5,
           include_headings: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit a topic model over sentence units.

    Parameters
    ----------
    units
        A Corpus or its units table.
    tokens
        Output of :func:`analysis.segment.tokenize` for these units; None tokenizes them (``analyzer="auto"``
        falls back to character bigrams when segmentation is unavailable).
    n_topics, method
        Number of topics; ``"nmf"`` (TF-IDF, Frobenius NMF) or ``"lda"`` (term counts, online variational LDA).
    random_state
        Seed of the initialisation: fixed seed, same topics.
    top_n
        Terms listed per topic.
    analyzer
        ``"auto"``, ``"tokens"`` (require segmentation) or ``"char_bigrams"``.
    min_df, max_df
        Vocabulary limits (sentences a term must / may occur in).
    include_headings
        Use heading units as documents too (off by default: they repeat their section's sentences).

    Returns
    -------
    (topic_terms, doc_topics)
        topic_terms: topic (0-based), rank (1-based), term, weight (component weight, the topic's terms sum to
        1); doc_topics: doc_id, topic, share (a document's sentence-topic weights summed and normalised to sum
        to 1 per document), top_terms (the topic's first five terms). ``attrs``: method, analyzer, n_units.
    """
    if method not in ("nmf", "lda"):
        raise ParameterError("method", method, ("nmf", "lda"))
    if analyzer not in ("auto", "tokens", "char_bigrams"):
        raise ParameterError("analyzer", analyzer, ("auto", "tokens", "char_bigrams"))
    if not isinstance(n_topics, int) or n_topics < 1:
        raise ParameterError("n_topics", n_topics, reason="must be a positive integer")
    df = _select_units(_units_frame(units), include_headings)
    if tokens is not None and "unit_id" in tokens.columns:
        tokens = tokens[tokens["unit_id"].isin(set(df["unit_id"]))]
    ids, docs, used = _unit_documents(df, tokens, analyzer)
    keep = [i for i, d in enumerate(docs) if d]
    if len(keep) < n_topics:
        raise ParameterError("n_topics", n_topics, reason=f"only {len(keep)} non-empty sentence units to model")
    docs = [docs[i] for i in keep]
    unit_ids = [ids[i] for i in keep]
    W, H, terms = _fit(docs, method=method, n_topics=n_topics, random_state=random_state, min_df=min_df,
                       max_df=max_df)
    topic_terms = _topic_terms(H, terms, top_n)
    doc_topics = _doc_topics(W, df.set_index("unit_id")["doc_id"], unit_ids, topic_terms)
    meta = {"method": method, "analyzer": used, "n_units": len(unit_ids), "n_topics": n_topics,
            "random_state": random_state}
    topic_terms.attrs, doc_topics.attrs = dict(meta), dict(meta)
    return topic_terms, doc_topics


def _fit(docs: list, *, method: str, n_topics: int, random_state: int, min_df: int, max_df: float):
    """Vectorise the term lists (TF-IDF for NMF, counts for LDA) and fit the model -> (W, H, terms)."""
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    vec_cls = TfidfVectorizer if method == "nmf" else CountVectorizer
    vec = vec_cls(analyzer=_identity, min_df=min(min_df, len(docs)), max_df=max_df if len(docs) > 1 else 1.0)
    try:
        X = vec.fit_transform(docs)
    except ValueError:  # every term pruned: keep them all rather than fail on a tiny corpus
        vec = vec_cls(analyzer=_identity)
        X = vec.fit_transform(docs)
    if method == "nmf":
        model = NMF(n_components=n_topics, init="nndsvda", random_state=random_state, max_iter=500)
    else:
        model = LatentDirichletAllocation(n_components=n_topics, random_state=random_state, learning_method="batch")
    W = model.fit_transform(X)
    return W, model.components_, np.asarray(vec.get_feature_names_out())


def _identity(doc):
    return doc


def _topic_terms(H, terms, top_n: int) -> pd.DataFrame:
    """topic, rank, term, weight (the topic's component weights normalised to sum to 1)."""
    rows = []
    for k, comp in enumerate(H):
        total = comp.sum() or 1.0
        order = np.lexsort((terms, -comp))[:top_n]  # ties broken by the term, for determinism
        rows += [(k, r + 1, str(terms[j]), float(comp[j] / total)) for r, j in enumerate(order)]
    return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


def _doc_topics(W, doc_of: pd.Series, unit_ids: list, topic_terms: pd.DataFrame) -> pd.DataFrame:
    """doc_id, topic, share (sentence-topic weights summed per document, normalised), top_terms."""
    wdf = pd.DataFrame(W, columns=range(W.shape[1]))
    wdf["doc_id"] = [doc_of[u] for u in unit_ids]
    sums = wdf.groupby("doc_id", sort=False).sum()
    shares = sums.div(sums.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    doc_topics = shares.stack().rename("share").reset_index()
    doc_topics.columns = ["doc_id", "topic", "share"]
    doc_topics["topic"] = doc_topics["topic"].astype("int64")
    top = topic_terms[topic_terms["rank"] <= 5].groupby("topic")["term"].agg(" ".join)
    doc_topics["top_terms"] = doc_topics["topic"].map(top)
    return doc_topics
