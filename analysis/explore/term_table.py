"""The tables behind the term explorer: every term of two groups with its keyness, and its KWIC lines.

Statistics come from :func:`analysis.terms.keyness` and :func:`analysis.terms.term_frequencies`; this module only
selects, labels and places them. A term's KWIC lines are its token occurrences (so their number is the count
plotted), with the raw text of the document around them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .. import gazetteer
from ..errors import ParameterError
from ..terms import keyness, term_frequencies
from ..terms._common import match
from .explorer import jitter

POINT_COLUMNS = ["term", "kind", "side", "target_count", "reference_count", "target_per10k", "reference_per10k",
                 "target_docs", "reference_docs", "g2", "log_ratio", "p_adjusted", "direction", "x", "y", "label"]
CONTEXT_COLUMNS = ["term", "line_id", "doc_id", "unit_id", "part", "section_path", "group", "left", "keyword",
                   "right", "start", "end", "order"]
KINDS = ("content", "formulaic", "place")
_WS = re.compile(r"\s+")


def group_masks(tokens: pd.DataFrame, by: str, target, reference=None) -> tuple[pd.Series, pd.Series]:
    """Token rows of the target and of the reference group, exactly as :func:`analysis.terms.keyness` picks them."""
    if by not in tokens.columns:
        raise ParameterError("by", by, sorted(tokens.columns), reason="not a column of the token table")
    column = tokens[by]
    t_mask = match(column, target, "target")
    r_mask = ~t_mask & column.notna() if reference is None else match(column, reference, "reference")
    return t_mask, r_mask


def place_names(path=None) -> frozenset[str]:
    """Every full and short name of an administrative division in the gazetteer."""
    return frozenset(gazetteer.city_names(path)) | frozenset(gazetteer.province_names(path))


def term_points(tokens: pd.DataFrame, *, by: str, target, reference=None,
                classes: Iterable[str] = ("content", "formulaic"), min_freq: int = 3, max_terms: int = 4000,
                alpha: float = 0.05, labels: int = 8, gazetteer_path=None) -> pd.DataFrame:
    """Every term of two groups with its counts, rates, G², log ratio, keyness side and kind, placed for plotting.

    Parameters
    ----------
    tokens
        The token table (a build's ``tokens``).
    by, target, reference
        The grouping column and the two groups, as for :func:`analysis.terms.keyness` (reference None: the rest).
    classes
        Token classes shown; formulaic phrases are included by default and marked, not removed.
    min_freq
        Terms counted fewer times in the two groups together are left out (as in keyness).
    max_terms
        At most this many terms are kept: the significant ones (by G², up to half) and then the most frequent.
    alpha
        A term is on a group's side when its adjusted p-value is below this.
    labels
        The strongest key terms of each side are labelled on the plot.

    Returns
    -------
    DataFrame
        term, kind (content|formulaic|place), side (target|reference|neither), target_count, reference_count,
        target_per10k, reference_per10k, target_docs, reference_docs (document frequency), g2, log_ratio,
        p_adjusted, direction, x, y (reference and target rate per 10k, zero counts at half a count, jittered),
        label (bool). ``attrs``: the keyness attrs plus n_terms (before the cap), n_shown, max_terms, alpha.
    """
    classes = tuple(classes)
    kw = keyness(tokens, by=by, target=target, reference=reference, classes=classes, min_freq=min_freq)
    t_mask, r_mask = group_masks(tokens, by, target, reference)
    n_t, n_r = kw.attrs["n_target"], kw.attrs["n_reference"]
    sig = kw["p_adjusted"] < alpha
    kw["side"] = np.where(sig & (kw["direction"] == "over"), "target",
                          np.where(sig & (kw["direction"] == "under"), "reference", "neither"))
    chosen = _cap(kw, max_terms)
    selected = tokens[tokens["class"].isin(classes)]
    formulaic = set(selected.loc[selected["class"] == "formulaic", "token"])
    places = place_names(gazetteer_path)
    chosen["kind"] = np.where(chosen["term"].isin(places), "place",
                              np.where(chosen["term"].isin(formulaic), "formulaic", "content"))
    for side, mask in (("target", t_mask), ("reference", r_mask)):
        df = term_frequencies(tokens[mask], classes=classes)
        chosen[f"{side}_docs"] = chosen["term"].map(df.set_index("term")["doc_freq"]).fillna(0).astype("int64")
    half = 0.5 * 1e4
    chosen["x"] = np.where(chosen["reference_count"] > 0, chosen["reference_per10k"], half / n_r)
    chosen["y"] = np.where(chosen["target_count"] > 0, chosen["target_per10k"], half / n_t)
    chosen["x"] *= 10 ** jitter(chosen["term"], 0.06)
    chosen["y"] *= 10 ** jitter(chosen["term"] + "\x00", 0.06)
    chosen["label"] = False
    for side in ("target", "reference"):
        top = chosen[chosen["side"] == side].nlargest(labels, "g2").index
        chosen.loc[top, "label"] = True
    out = chosen[POINT_COLUMNS].reset_index(drop=True)
    out.attrs = {**kw.attrs, "n_terms": len(kw), "n_shown": len(out), "max_terms": max_terms, "alpha": alpha}
    return out


def _cap(kw: pd.DataFrame, max_terms: int) -> pd.DataFrame:
    """Up to half the places for the significant terms (strongest first), the rest for the most frequent."""
    if max_terms < 1:
        raise ParameterError("max_terms", max_terms, reason="must be at least 1")
    if len(kw) <= max_terms:
        return kw.copy()
    total = kw["target_count"] + kw["reference_count"]
    key = kw[kw["side"] != "neither"].nlargest(max_terms // 2, "g2")
    rest = kw.drop(index=key.index).assign(_total=total).sort_values(["_total", "term"], ascending=[False, True])
    return pd.concat([key, rest.head(max_terms - len(key)).drop(columns="_total")]).copy()


def term_contexts(tokens: pd.DataFrame, docs: pd.DataFrame, points: pd.DataFrame, *, window: int = 20,
                  per_term: int = 8) -> pd.DataFrame:
    """KWIC lines of the plotted terms: up to ``per_term`` occurrences each, one per document first.

    Parameters
    ----------
    tokens, docs
        The build's token and docs tables (``docs.text`` gives the context).
    points
        Output of :func:`term_points` (its attrs name the groups).
    window
        Characters of context on each side (whitespace shown as one space).
    per_term
        KWIC lines kept per term, chosen round-robin over documents so each document shows up before any repeats.

    Returns
    -------
    DataFrame
        term, line_id, doc_id, unit_id, part, section_path, group (target|reference), left, keyword (the raw
        text), right, start, end (document offsets), order (rank within the term). ``attrs['n_occurrences']``.
    """
    if per_term < 1:
        raise ParameterError("per_term", per_term, reason="must be at least 1")
    by, target, reference = (points.attrs.get(k) for k in ("by", "target", "reference"))
    t_mask, r_mask = group_masks(tokens, by, target, reference)
    occ = tokens[(t_mask | r_mask) & tokens["token"].isin(set(points["term"]))].copy()
    occ["group"] = np.where(t_mask[occ.index], "target", "reference")
    occ = occ.rename(columns={"token": "term"}).sort_values(["term", "doc_id", "start"], kind="stable")
    occ["_in_doc"] = occ.groupby(["term", "doc_id"], sort=False).cumcount()
    occ = occ.sort_values(["term", "_in_doc", "doc_id", "start"], kind="stable")
    occ["order"] = occ.groupby("term", sort=False).cumcount()
    n_occ = occ.groupby("term").size()
    occ = occ[occ["order"] < per_term]
    texts = dict(zip(docs["doc_id"], docs["text"]))
    lefts, kws, rights = [], [], []
    for doc_id, s, e in zip(occ["doc_id"], occ["start"], occ["end"]):
        text = texts.get(doc_id) or ""
        lefts.append(_WS.sub(" ", text[max(0, s - window):s]))
        kws.append(text[s:e])
        rights.append(_WS.sub(" ", text[e:e + window]))
    occ["left"], occ["keyword"], occ["right"] = lefts, kws, rights
    occ["line_id"] = occ["unit_id"].astype(str) + "@" + occ["start"].astype(str)
    out = occ[CONTEXT_COLUMNS].reset_index(drop=True)
    out.attrs = {"window": window, "per_term": per_term, "n_occurrences": n_occ.to_dict()}
    return out
