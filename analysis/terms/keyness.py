"""Keyness: which terms a target group over- or under-uses against a reference (G², chi², log ratio).

For a term with count ``a`` in the target (``n_t`` words) and ``b`` in the reference (``n_r`` words) the 2×2
table is ``[[a, b], [n_t - a, n_r - b]]``; the expected counts are ``E_ij = row_i · col_j / N``.

- ``g2`` (Dunning 1993; Rayson & Garside 2000) = 2 Σ O ln(O/E) over the four cells, ≥ 0;
- ``chi2`` (Pearson, no Yates correction) = Σ (O − E)² / E over the four cells, ≥ 0;
- ``log_ratio`` (Hardie 2014) = log2((a/n_t) / (b/n_r)), with 0.5 in place of a zero count: the effect size,
  +1 = twice as frequent in the target;
- ``p_value`` from the chi² distribution with 1 degree of freedom of the chosen test statistic (G² for
  ``measure="g2"`` or ``"log_ratio"``, chi² for ``"chi2"``), ``p_adjusted`` after the chosen correction;
- ``direction`` = "over" when the target's relative frequency is higher, else "under";
- ``score`` = the chosen measure, signed: negative for under-used terms (log_ratio is signed already).

Rows are sorted by ``score`` descending: most over-used first, most under-used last. Plots should use
``score`` (signed) and read the measure's name from ``df.attrs["measure"]``.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import xlogy

from ..errors import ParameterError
from ._common import check_classes, doc_list, match, require, word_mask

Measure = Literal["g2", "chi2", "log_ratio"]
Correction = Literal["fdr_bh", "bonferroni", "none"]
MEASURES = ("g2", "chi2", "log_ratio")
CORRECTIONS = ("fdr_bh", "bonferroni", "none")

KEYNESS_COLUMNS = ["term", "target_count", "reference_count", "target_per10k", "reference_per10k", "g2", "chi2",
                   "log_ratio", "p_value", "p_adjusted", "direction", "score"]


def contingency_stats(a, b, n_target, n_reference) -> pd.DataFrame:
    """G², chi², log ratio and their p-values for term counts ``a`` (target) and ``b`` (reference).

    Parameters
    ----------
    a, b
        Counts of each term in the target and in the reference (array-like of equal length).
    n_target, n_reference
        Corpus sizes (words) of the target and the reference (scalars, or arrays like ``a``).

    Returns
    -------
    DataFrame
        g2, chi2, log_ratio, p_g2, p_chi2, over (bool: target relative frequency is higher).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n_t = np.broadcast_to(np.asarray(n_target, dtype=float), a.shape)
    n_r = np.broadcast_to(np.asarray(n_reference, dtype=float), a.shape)
    if (n_t <= 0).any() or (n_r <= 0).any():
        raise ParameterError("corpus size", (n_target, n_reference),
                             reason="target and reference must both contain words")
    n = n_t + n_r
    observed = [a, b, n_t - a, n_r - b]
    row = [a + b, a + b, n - a - b, n - a - b]
    col = [n_t, n_r, n_t, n_r]
    g2 = np.zeros_like(a)
    chi2 = np.zeros_like(a)
    for o, r, c in zip(observed, row, col):
        e = r * c / n
        with np.errstate(divide="ignore", invalid="ignore"):
            g2 += np.where(o > 0, 2 * xlogy(o, o / np.where(e > 0, e, 1)), 0.0)
            chi2 += np.where(e > 0, (o - e) ** 2 / np.where(e > 0, e, 1), 0.0)
    g2 = np.maximum(g2, 0.0)  # rounding can leave -1e-15 for a term at exactly the expected rate
    a_adj = np.where(a > 0, a, 0.5)
    b_adj = np.where(b > 0, b, 0.5)
    log_ratio = np.log2((a_adj / n_t) / (b_adj / n_r))
    return pd.DataFrame({"g2": g2, "chi2": chi2, "log_ratio": log_ratio,
                         "p_g2": stats.chi2.sf(g2, 1), "p_chi2": stats.chi2.sf(chi2, 1),
                         "over": a / n_t > b / n_r})


def adjust_p(p_values, method: Correction = "fdr_bh") -> np.ndarray:
    """Correct p-values for multiple comparisons: Benjamini–Hochberg FDR, Bonferroni, or none."""
    p = np.asarray(p_values, dtype=float)
    if method not in CORRECTIONS:
        raise ParameterError("correction", method, CORRECTIONS)
    if p.size == 0 or method == "none":
        return p.copy()
    if method == "bonferroni":
        return np.minimum(p * p.size, 1.0)
    return stats.false_discovery_control(p, method="bh")


def place_names(docs: pd.DataFrame | None = None) -> set[str]:
    """Place names to leave out of keyness: every gazetteer name (full, short, alias) and the corpus's issuers.

    A place's own name is always its most "key" word and says nothing about its policy; neither does the name
    of its issuing body. ``docs`` (optional) adds the ``issuer`` and ``place`` values of the corpus.
    """
    from ..gazetteer import english_names

    names = {n for n in english_names(None) if n and not n.isascii()}
    if docs is not None:
        for col in ("issuer", "place", "city", "province"):
            if col in docs.columns:
                names |= {str(v) for v in docs[col].dropna().unique() if str(v).strip()}
    return names


def keyness(tokens: pd.DataFrame, *, by: str, target, reference=None, measure: Measure = "g2", min_freq: int = 3,
            correction: Correction = "fdr_bh", classes: Iterable[str] = ("content",),
            exclude: Iterable[str] | None = None) -> pd.DataFrame:
    """Keyness of the terms of a target group against a reference group.

    Parameters
    ----------
    tokens
        A token table from :func:`analysis.segment.tokenize`.
    by
        The document or unit column that defines the groups (city, year, part, doc_type, doc_id, …).
    target
        The target group's value (or a list of values).
    reference
        The reference group's value(s); default: every other row with a value in ``by``.
    measure
        What ``score`` holds and the rows are sorted by: ``"g2"``, ``"chi2"`` or ``"log_ratio"``.
    min_freq
        Keep terms whose target + reference count is at least this (default 3: in a one-document target of
        ~2,000 words a term used 3 times there and never elsewhere already has G² ≈ 11, p < 0.001).
    correction
        Multiple-comparison correction for ``p_adjusted``: ``"fdr_bh"``, ``"bonferroni"`` or ``"none"``.
    classes
        Token classes to test (default content words only; formulaic phrases on request).
    exclude
        Terms left out of the test (e.g. :func:`place_names`); they still count in the corpus sizes.

    Returns
    -------
    DataFrame
        term, target_count, reference_count, target_per10k, reference_per10k, g2, chi2, log_ratio, p_value,
        p_adjusted, direction (over|under), score (signed measure). ``attrs``: measure, by, target, reference,
        n_target, n_reference (word counts), target_docs, reference_docs, correction, min_freq, classes.
    """
    require(tokens, ["token", "class", "doc_id", by])
    if measure not in MEASURES:
        raise ParameterError("measure", measure, MEASURES)
    if correction not in CORRECTIONS:
        raise ParameterError("correction", correction, CORRECTIONS)
    classes = check_classes(classes)
    column = tokens[by]
    t_mask = match(column, target, "target")
    if reference is None:
        r_mask = ~t_mask & column.notna()
    else:
        r_mask = match(column, reference, "reference")
        if (t_mask & r_mask).any():
            raise ParameterError("reference", reference, reason="overlaps the target")
    words = word_mask(tokens)
    n_t, n_r = int((t_mask & words).sum()), int((r_mask & words).sum())
    if n_r == 0:
        raise ParameterError("reference", reference, reason=f"no words outside the target in column {by}")
    selected = tokens["class"].isin(classes)
    counts = pd.concat({"target_count": tokens.loc[t_mask & selected, "token"].value_counts(),
                        "reference_count": tokens.loc[r_mask & selected, "token"].value_counts()},
                       axis=1).fillna(0).astype("int64")
    counts = counts[counts.sum(axis=1) >= min_freq]
    excluded = sorted(set(counts.index) & set(exclude or ()))
    counts = counts.drop(index=excluded)
    out = _table(counts, n_t, n_r, measure, correction)
    out.attrs = {"excluded": excluded, "measure": measure, "by": by, "target": target, "reference": reference, "n_target": n_t,
                 "n_reference": n_r, "target_docs": doc_list(tokens.loc[t_mask, "doc_id"]),
                 "reference_docs": doc_list(tokens.loc[r_mask, "doc_id"]), "correction": correction,
                 "min_freq": min_freq, "classes": list(classes)}
    return out


def _table(counts: pd.DataFrame, n_t: int, n_r: int, measure: str, correction: str) -> pd.DataFrame:
    """Keyness columns from a frame of target_count/reference_count indexed by term."""
    a = counts["target_count"].to_numpy()
    b = counts["reference_count"].to_numpy()
    st = contingency_stats(a, b, n_t, n_r) if len(counts) else contingency_stats([], [], max(n_t, 1), max(n_r, 1))
    p = st["p_chi2"] if measure == "chi2" else st["p_g2"]
    sign = np.where(st["over"], 1.0, -1.0)
    score = st["log_ratio"] if measure == "log_ratio" else st[measure] * sign
    out = pd.DataFrame({
        "term": counts.index.astype("str"),
        "target_count": a, "reference_count": b,
        "target_per10k": a / n_t * 1e4 if n_t else np.zeros(len(a)),
        "reference_per10k": b / n_r * 1e4,
        "g2": st["g2"].to_numpy(), "chi2": st["chi2"].to_numpy(), "log_ratio": st["log_ratio"].to_numpy(),
        "p_value": p.to_numpy(), "p_adjusted": adjust_p(p.to_numpy(), correction),
        "direction": np.where(st["over"], "over", "under"),
        "score": np.asarray(score, dtype=float),
    })
    out = out.sort_values(["score", "target_count", "term"], ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True)
