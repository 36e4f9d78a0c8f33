"""Collocations (adjacent n-grams within sentences) and term co-occurrence (shared sentence) for networks."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import xlogy

from ..errors import ParameterError
from ._common import check_classes, require
from .keyness import contingency_stats

CollocationMeasure = Literal["g2", "pmi"]
Window = Literal["sentence", "paragraph", "section", "document"]
WINDOWS = {"sentence": ["unit_id"], "paragraph": ["doc_id", "para_id"], "section": ["doc_id", "section_id"],
           "document": ["doc_id"]}


def collocations(tokens: pd.DataFrame, *, n: int = 2, measure: CollocationMeasure = "g2", min_count: int = 3,
                 classes: Iterable[str] = ("content",)) -> pd.DataFrame:
    """Adjacent word sequences that occur together more often than chance, within sentences.

    n-gram positions are runs of ``n`` consecutive word tokens inside one unit; punctuation breaks a run.
    Only n-grams whose words are all of ``classes`` are scored. With ``N`` n-gram positions, ``f_i(w)`` the
    positions with ``w`` in slot ``i`` and ``O`` the n-gram's count, the expected count is
    ``E = N · Π f_i(w_i) / N``; ``pmi = log2(O / E)``. ``g2`` is Dunning's 2×2 log-likelihood for bigrams
    (``[[O, f_1 − O], [f_2 − O, N − f_1 − f_2 + O]]``) and the binomial log-likelihood ratio of O against E for
    trigrams.

    Returns
    -------
    DataFrame
        collocation (words joined by a space), word_1 … word_n, count, expected, pmi, g2, doc_freq; sorted by
        ``measure`` descending (``attrs["measure"]``).
    """
    if n not in (2, 3):
        raise ParameterError("n", n, (2, 3))
    if measure not in ("g2", "pmi"):
        raise ParameterError("measure", measure, ("g2", "pmi"))
    require(tokens, ["unit_id", "doc_id", "position", "token", "class"])
    classes = set(check_classes(classes))
    ordered = tokens.sort_values(["unit_id", "position"], kind="stable")
    grams: Counter = Counter()
    gram_docs: dict[tuple, set] = {}
    slot = [Counter() for _ in range(n)]
    total = 0
    for (unit_id, doc_id), run in _runs(ordered):
        for i in range(len(run) - n + 1):
            window = run[i:i + n]
            total += 1
            for k, (tok, _) in enumerate(window):
                slot[k][tok] += 1
            if all(cls in classes for _, cls in window):
                key = tuple(tok for tok, _ in window)
                grams[key] += 1
                gram_docs.setdefault(key, set()).add(doc_id)
    keys = [k for k, c in grams.items() if c >= min_count]
    cols = {f"word_{i + 1}": [k[i] for k in keys] for i in range(n)}
    obs = np.array([grams[k] for k in keys], dtype=float)
    f = [np.array([slot[i][k[i]] for k in keys], dtype=float) for i in range(n)]
    expected = total * np.prod([fi / total for fi in f], axis=0) if keys else np.array([])
    pmi = np.log2(obs / expected) if keys else np.array([])
    if n == 2 and keys:
        g2 = _g2(obs, f[0] - obs, f[1], total - f[1])
    elif keys:
        rest_o, rest_e = total - obs, total - expected
        g2 = 2 * (xlogy(obs, obs / expected) + xlogy(rest_o, np.where(rest_o > 0, rest_o / rest_e, 1.0)))
    else:
        g2 = np.array([])
    out = pd.DataFrame({"collocation": [" ".join(k) for k in keys], **cols, "count": obs.astype("int64"),
                        "expected": expected, "pmi": pmi, "g2": g2,
                        "doc_freq": [len(gram_docs[k]) for k in keys]})
    out = out.sort_values([measure, "count", "collocation"], ascending=[False, False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs = {"measure": measure, "n": n, "min_count": min_count, "positions": total, "classes": sorted(classes)}
    return out


def _g2(a, b, n_with, n_without) -> np.ndarray:
    """2×2 G²; a word present in every position (nothing to compare against) scores 0."""
    n_without = np.asarray(n_without, dtype=float)
    degenerate = n_without <= 0
    g2 = contingency_stats(a, b, n_with, np.where(degenerate, 1.0, n_without))["g2"].to_numpy()
    return np.where(degenerate, 0.0, g2)


def _runs(ordered: pd.DataFrame):
    """Yield ((unit_id, doc_id), [(token, class), …]) for each punctuation-free run of word tokens."""
    for unit_id, doc_id, toks, classes in zip(*_grouped(ordered)):
        run: list[tuple[str, str]] = []
        for tok, cls in zip(toks, classes):
            if cls == "punct":
                if run:
                    yield (unit_id, doc_id), run
                run = []
            else:
                run.append((tok, cls))
        if run:
            yield (unit_id, doc_id), run


def _grouped(ordered: pd.DataFrame):
    g = ordered.groupby("unit_id", sort=False)
    agg = g.agg(doc_id=("doc_id", "first"), token=("token", list), cls=("class", list))
    return agg.index.tolist(), agg["doc_id"].tolist(), agg["token"].tolist(), agg["cls"].tolist()


def cooccurrence(tokens: pd.DataFrame, *, window: Window = "sentence", min_count: int = 2,
                 classes: Iterable[str] = ("content",)) -> pd.DataFrame:
    """Pairs of terms that occur in the same sentence (or paragraph, section, document): a network's edges.

    Counts are of windows, not of token pairs: a sentence that mentions both terms twice counts once.

    Returns
    -------
    DataFrame
        term_a, term_b (term_a < term_b), count (windows with both), freq_a, freq_b (windows with each),
        pmi = log2(count · N / (freq_a · freq_b)) with N windows, g2 (2×2 log-likelihood of the window
        counts), doc_freq (documents with a shared window); sorted by count descending.
    """
    if window not in WINDOWS:
        raise ParameterError("window", window, list(WINDOWS))
    keys = WINDOWS[window]
    require(tokens, ["token", "class", "doc_id", *keys])
    classes = check_classes(classes)
    win_id = tokens.groupby(keys, sort=False, observed=True, dropna=False).ngroup()
    n_windows = int(win_id.max()) + 1 if len(win_id) else 0
    sel = tokens["class"].isin(classes)
    pres = pd.DataFrame({"w": win_id[sel], "term": tokens.loc[sel, "token"], "doc": tokens.loc[sel, "doc_id"]})
    pres = pres.drop_duplicates(["w", "term"])
    freq = pres["term"].value_counts()
    vocab = freq[freq >= min_count].index
    pres = pres[pres["term"].isin(vocab)]
    empty = pd.DataFrame({c: [] for c in ["term_a", "term_b", "count", "freq_a", "freq_b", "pmi", "g2", "doc_freq"]})
    if pres.empty:
        empty.attrs = {"window": window, "n_windows": n_windows, "min_count": min_count}
        return empty
    terms = np.array(sorted(vocab))
    col = pd.Index(terms).get_indexer(pres["term"])
    x = sparse.csr_matrix((np.ones(len(pres)), (pres["w"].to_numpy(), col)), shape=(n_windows, len(terms)))
    co = sparse.triu(x.T @ x, k=1).tocoo()
    keep = co.data >= min_count
    i, j, c = co.row[keep], co.col[keep], co.data[keep]
    fa, fb = freq[terms[i]].to_numpy(dtype=float), freq[terms[j]].to_numpy(dtype=float)
    g2 = _g2(c, fa - c, fb, n_windows - fb) if len(c) else np.array([])
    # documents behind each edge: windows belong to one document each
    doc_of_window = pres.drop_duplicates("w").set_index("w")["doc"]
    doc_codes, doc_index = pd.factorize(doc_of_window.reindex(range(n_windows)))
    valid = doc_codes >= 0
    doc_map = sparse.csr_matrix((np.ones(valid.sum()), (doc_codes[valid], np.arange(n_windows)[valid])),
                                shape=(len(doc_index), n_windows))
    xa = (doc_map @ x[:, i].multiply(x[:, j])) if len(c) else None
    doc_freq = np.asarray((xa > 0).sum(axis=0)).ravel() if len(c) else np.array([])
    out = pd.DataFrame({"term_a": terms[i], "term_b": terms[j], "count": c.astype("int64"),
                        "freq_a": fa.astype("int64"), "freq_b": fb.astype("int64"),
                        "pmi": np.log2(c * n_windows / (fa * fb)) if len(c) else [],
                        "g2": g2, "doc_freq": doc_freq.astype("int64")})
    out = out.sort_values(["count", "pmi", "term_a", "term_b"], ascending=[False, False, True, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs = {"window": window, "n_windows": n_windows, "min_count": min_count, "classes": list(classes)}
    return out
