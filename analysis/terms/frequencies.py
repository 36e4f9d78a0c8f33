"""Term frequencies (raw, per 10,000 words, document frequency), TF-IDF and document similarity."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._common import as_list, check_classes, require, word_mask


def term_frequencies(tokens: pd.DataFrame, *, by: str | Sequence[str] | None = None,
                     classes: Iterable[str] = ("content",), min_count: int = 1) -> pd.DataFrame:
    """Count terms, overall or per group.

    Parameters
    ----------
    tokens
        A token table from :func:`analysis.segment.tokenize`.
    by
        Column(s) to group by (city, year, part, doc_id, …); None: the whole corpus.
    classes
        Token classes to count.
    min_count
        Drop terms counted fewer times than this within a group.

    Returns
    -------
    DataFrame
        the ``by`` columns, term, count, per10k (per 10,000 words of the group: every token but punct),
        doc_freq (documents of the group containing the term), sorted by group and count descending.
        ``attrs``: classes, by.
    """
    keys = as_list(by)
    require(tokens, ["token", "class", "doc_id", *keys])
    classes = check_classes(classes)
    sel = tokens[tokens["class"].isin(classes)]
    group_keys = [*keys, "token"]
    if keys:
        totals = tokens[word_mask(tokens)].groupby(keys, dropna=False, observed=True).size().rename("n_words")
    agg = (sel.groupby(group_keys, dropna=False, observed=True)
           .agg(count=("token", "size"), doc_freq=("doc_id", "nunique")).reset_index())
    if keys:
        agg = agg.merge(totals.reset_index(), on=keys, how="left")
    else:
        agg["n_words"] = int(word_mask(tokens).sum())
    agg["per10k"] = agg["count"] / agg["n_words"] * 1e4
    agg = agg[agg["count"] >= min_count].rename(columns={"token": "term"})
    agg = agg.sort_values([*keys, "count", "term"], ascending=[True] * len(keys) + [False, True], kind="stable")
    out = agg[[*keys, "term", "count", "per10k", "doc_freq"]].reset_index(drop=True)
    out.attrs = {"classes": list(classes), "by": keys}
    return out


def _identity(doc):
    return doc


def tfidf_matrix(tokens: pd.DataFrame, *, by: str = "doc_id", classes: Iterable[str] = ("content",),
                 sublinear_tf: bool = False):
    """Return (group labels, terms, sparse TF-IDF matrix) with one row per group of ``by``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    require(tokens, ["token", "class", by])
    classes = check_classes(classes)
    sel = tokens[tokens["class"].isin(classes) & tokens[by].notna()]
    groups = sel.groupby(by, sort=True, observed=True)["token"].agg(list)
    if groups.empty:
        raise ParameterError("tokens", "DataFrame", reason=f"no tokens of classes {classes} with a {by}")
    vec = TfidfVectorizer(analyzer=_identity, lowercase=False, sublinear_tf=sublinear_tf)
    matrix = vec.fit_transform(groups.tolist())
    return groups.index.tolist(), vec.get_feature_names_out().tolist(), matrix


def tfidf(tokens: pd.DataFrame, *, by: str = "doc_id", classes: Iterable[str] = ("content",),
          sublinear_tf: bool = False, top: int | None = None) -> pd.DataFrame:
    """TF-IDF of terms per group (scikit-learn's smoothed idf, l2-normalised rows).

    Parameters
    ----------
    by
        The column whose values are the "documents" (doc_id, city, year, …).
    top
        Keep the ``top`` terms of each group (None: every term).

    Returns
    -------
    DataFrame
        ``by``, term, count, tfidf; sorted by group and tfidf descending.
    """
    labels, terms, matrix = tfidf_matrix(tokens, by=by, classes=classes, sublinear_tf=sublinear_tf)
    coo = matrix.tocoo()
    out = pd.DataFrame({by: np.asarray(labels, dtype=object)[coo.row], "term": np.asarray(terms)[coo.col],
                        "tfidf": coo.data})
    counts = (tokens[tokens["class"].isin(check_classes(classes))]
              .groupby([by, "token"], observed=True).size().rename("count").reset_index()
              .rename(columns={"token": "term"}))
    out = out.merge(counts, on=[by, "term"], how="left")
    out = out.sort_values([by, "tfidf", "term"], ascending=[True, False, True], kind="stable")
    if top is not None:
        out = out.groupby(by, sort=False).head(top)
    out = out[[by, "term", "count", "tfidf"]].reset_index(drop=True)
    out.attrs = {"by": by, "classes": list(classes), "measure": "tfidf"}
    return out


def similarity(tokens: pd.DataFrame, *, by: str = "doc_id", classes: Iterable[str] = ("content",)) -> pd.DataFrame:
    """Cosine similarity between groups over TF-IDF vectors.

    Returns
    -------
    DataFrame
        a, b, cosine: every ordered pair including a == b (1.0), so it pivots straight into a square matrix.
    """
    from sklearn.metrics.pairwise import cosine_similarity

    labels, _, matrix = tfidf_matrix(tokens, by=by, classes=classes)
    sim = cosine_similarity(matrix)
    n = len(labels)
    out = pd.DataFrame({"a": np.repeat(np.asarray(labels, dtype=object), n),
                        "b": np.tile(np.asarray(labels, dtype=object), n),
                        "cosine": np.clip(sim.ravel(), 0.0, 1.0)})
    out.attrs = {"by": by, "measure": "cosine", "weighting": "tfidf"}
    return out
