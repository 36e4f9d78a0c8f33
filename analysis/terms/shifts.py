"""Keyword shifts: summary vs plan, across years (rates, emergence, rising/falling), one city vs the rest.

Every result names the documents it rests on (``docs``, ``n_docs``), so a reader can see when a "trend" is
really one city's document against another's.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ParameterError
from ._common import check_classes, doc_list, require, word_mask
from .keyness import CORRECTIONS, KEYNESS_COLUMNS, keyness


def part_shift(tokens: pd.DataFrame, *, by: str = "doc_id", target: str = "plan", reference: str = "summary",
               min_freq: int = 3, correction: Literal["fdr_bh", "bonferroni", "none"] = "fdr_bh",
               classes: Iterable[str] = ("content",)) -> pd.DataFrame:
    """Keyness of the plan part against the summary part within each document (or city, …).

    "over" terms are what a bureau turns its attention to next year; "under" terms are what it leaves behind.
    Groups that lack either part are skipped.

    Returns
    -------
    DataFrame
        ``by``, the keyness columns (target = ``target`` part), docs, n_docs.
    """
    require(tokens, ["part", "doc_id", "token", "class", by])
    frames = []
    for value, group in tokens.groupby(by, sort=True, observed=True):
        parts = set(group["part"].dropna())
        if target not in parts or reference not in parts:
            continue
        both = group[group["part"].isin([target, reference])]
        k = keyness(both, by="part", target=target, reference=reference, min_freq=min_freq, correction=correction,
                    classes=classes)
        k.insert(0, by, value)
        k["docs"] = doc_list(both["doc_id"])
        k["n_docs"] = both["doc_id"].nunique()
        frames.append(k)
    if not frames:
        raise ParameterError("tokens", "DataFrame", reason=f"no {by} has both a {target} and a {reference} part")
    out = pd.concat(frames, ignore_index=True)
    out.attrs = {"measure": "g2", "by": by, "target": target, "reference": reference, "correction": correction}
    return out


def year_trends(tokens: pd.DataFrame, *, terms: Sequence[str] | None = None, year: str = "year",
                classes: Iterable[str] = ("content",), min_count: int = 5) -> pd.DataFrame:
    """Rate per 10,000 words of each term in each year, zeros included.

    Parameters
    ----------
    terms
        The terms to follow; None: every term counted at least ``min_count`` times in the corpus.
    year
        The year column (units' ``year``: summary part -> summary year, plan part -> plan year).

    Returns
    -------
    DataFrame
        year, term, count, per10k, n_docs and docs (documents of that year containing the term),
        year_docs (every document with words in that year).
    """
    require(tokens, ["token", "class", "doc_id", year])
    classes = check_classes(classes)
    toks = tokens[tokens[year].notna()]
    totals = toks[word_mask(toks)].groupby(year, observed=True).size()
    year_docs = toks.groupby(year, observed=True)["doc_id"].agg(doc_list)
    sel = toks[toks["class"].isin(classes)]
    if terms is None:
        freq = sel["token"].value_counts()
        terms = sorted(freq[freq >= min_count].index)
    else:
        terms = list(dict.fromkeys(terms))
    sel = sel[sel["token"].isin(terms)]
    agg = sel.groupby([year, "token"], observed=True).agg(count=("token", "size"), n_docs=("doc_id", "nunique"),
                                                           docs=("doc_id", doc_list))
    grid = pd.MultiIndex.from_product([totals.index, terms], names=[year, "token"])
    out = agg.reindex(grid).reset_index().rename(columns={"token": "term", year: "year"})
    out["count"] = out["count"].fillna(0).astype("int64")
    out["n_docs"] = out["n_docs"].fillna(0).astype("int64")
    out["docs"] = out["docs"].fillna("")
    out["per10k"] = out["count"] / out["year"].map(totals).to_numpy(dtype=float) * 1e4
    out["year_docs"] = out["year"].map(year_docs)
    out = out[["year", "term", "count", "per10k", "n_docs", "docs", "year_docs"]]
    out.attrs = {"classes": list(classes), "year_column": year}
    return out.sort_values(["term", "year"], kind="stable").reset_index(drop=True)


def emergence(tokens: pd.DataFrame, *, year: str = "year", classes: Iterable[str] = ("content",),
              min_count: int = 1, min_docs: int = 2) -> pd.DataFrame:
    """The first year each term appears in the corpus, and in which documents and cities.

    A first year equal to the corpus's first year only means "present from the start"
    (``attrs["first_corpus_year"]``): such a term has not emerged. ``emerging`` marks the terms that did: first
    seen after the corpus's first year and used in at least ``min_docs`` documents (one document's word is that
    document's vocabulary, not an emergence). Check ``first_docs`` and ``first_cities`` too: with one document
    per city and year, emergence and city are confounded.

    Returns
    -------
    DataFrame
        term, first_year, first_count, first_docs, first_cities, n_years, n_docs, total_count, emerging;
        newest first. ``attrs``: first_corpus_year, min_docs, classes.
    """
    require(tokens, ["token", "class", "doc_id", year])
    classes = check_classes(classes)
    sel = tokens[tokens["class"].isin(classes) & tokens[year].notna()]
    has_city = "city" in sel.columns
    per_year = sel.groupby(["token", year], observed=True).agg(
        count=("token", "size"), docs=("doc_id", doc_list),
        **({"cities": ("city", doc_list)} if has_city else {})).reset_index()
    first = per_year.sort_values(["token", year], kind="stable").groupby("token").head(1)
    summary = per_year.groupby("token").agg(n_years=(year, "nunique"), total_count=("count", "sum"))
    summary["n_docs"] = sel.groupby("token", observed=True)["doc_id"].nunique()
    out = first.merge(summary, left_on="token", right_index=True)
    out = out[out["total_count"] >= min_count]
    out = out.rename(columns={"token": "term", year: "first_year", "count": "first_count", "docs": "first_docs",
                              "cities": "first_cities"})
    if not has_city:
        out["first_cities"] = ""
    first_corpus_year = sel[year].min() if len(sel) else None
    out["emerging"] = (out["first_year"] > first_corpus_year) & (out["n_docs"] >= min_docs) if len(out) else False
    out = out[["term", "first_year", "first_count", "first_docs", "first_cities", "n_years", "n_docs", "total_count",
               "emerging"]]
    out = out.sort_values(["first_year", "total_count", "term"], ascending=[False, False, True], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs = {"first_corpus_year": first_corpus_year, "min_docs": min_docs, "classes": list(classes)}
    return out


def pick_emerging(emergence_table: pd.DataFrame, n: int = 25) -> pd.DataFrame:
    """At most ``n`` emerging terms spread over the years they first appear in, for a chart.

    The most frequent emerging terms are those that appeared earliest (they had the most years to be used), so a
    chart of the top ``n`` by count shows the first years only. Here each first year contributes its most frequent
    term, then its second, and so on (round robin, later years first on ties), until ``n`` terms are chosen.
    Returns the chosen rows of :func:`emergence`'s table (``emerging`` only), ordered by first year, then count.
    """
    require(emergence_table, ["term", "first_year", "total_count", "emerging"])
    em = emergence_table[emergence_table["emerging"]].copy()
    em["_rank"] = em.groupby("first_year")["total_count"].rank(method="first", ascending=False)
    chosen = em.sort_values(["_rank", "first_year"], ascending=[True, False], kind="stable").head(n)
    chosen = chosen.sort_values(["first_year", "total_count", "term"], ascending=[True, False, True], kind="stable")
    return chosen.drop(columns="_rank").reset_index(drop=True)


def term_trends(tokens: pd.DataFrame, *, first=None, last=None, year: str = "year", min_freq: int = 5,
                correction: Literal["fdr_bh", "bonferroni", "none"] = "fdr_bh",
                classes: Iterable[str] = ("content",)) -> pd.DataFrame:
    """Rising and falling terms: G² of the last year against the first, and Spearman's rho over all years.

    Parameters
    ----------
    first, last
        The years compared (default: the corpus's first and last year with words).

    Returns
    -------
    DataFrame
        term, first_count, last_count, first_per10k, last_per10k, g2, log_ratio, p_value, p_adjusted,
        trend (rising|falling), rho and rho_p_value (Spearman over the per-10k rates of every year; NaN with
        fewer than three years), docs and n_docs (documents of the first and last year). Sorted by signed G².
        ``attrs``: first_year, last_year, first_docs, last_docs.
    """
    require(tokens, ["token", "class", "doc_id", year])
    if correction not in CORRECTIONS:
        raise ParameterError("correction", correction, CORRECTIONS)
    classes = check_classes(classes)
    toks = tokens[tokens[year].notna()]
    years = sorted(toks[year].unique())
    if len(years) < 2:
        raise ParameterError("tokens", "DataFrame", reason=f"needs at least two values of {year}; found {years}")
    first = years[0] if first is None else first
    last = years[-1] if last is None else last
    k = keyness(toks, by=year, target=last, reference=first, min_freq=min_freq, correction=correction,
                classes=classes)
    rates = year_trends(toks, terms=k["term"].tolist(), year=year, classes=classes)
    if len(years) >= 3 and len(k):
        pivot = rates.pivot(index="term", columns="year", values="per10k")
        order = np.asarray(pivot.columns, dtype=float)
        rho = {t: stats.spearmanr(order, row.to_numpy(dtype=float)) for t, row in pivot.iterrows()}
        k["rho"] = k["term"].map(lambda t: float(rho[t].statistic))
        k["rho_p_value"] = k["term"].map(lambda t: float(rho[t].pvalue))
    else:
        k["rho"] = np.nan
        k["rho_p_value"] = np.nan
    out = k.rename(columns={"target_count": "last_count", "reference_count": "first_count",
                            "target_per10k": "last_per10k", "reference_per10k": "first_per10k"})
    out["trend"] = np.where(out["direction"] == "over", "rising", "falling")
    docs = doc_list(toks.loc[toks[year].isin([first, last]), "doc_id"])
    out["docs"] = docs
    out["n_docs"] = len(docs.split(", ")) if docs else 0
    out = out[["term", "first_count", "last_count", "first_per10k", "last_per10k", "g2", "log_ratio", "p_value",
               "p_adjusted", "trend", "rho", "rho_p_value", "docs", "n_docs"]]
    out.attrs = {"measure": "g2", "first_year": first, "last_year": last, "first_docs": k.attrs["reference_docs"],
                 "last_docs": k.attrs["target_docs"], "years": list(years)}
    return out


def city_vs_rest(tokens: pd.DataFrame, *, cities: Sequence[str] | None = None, by: str = "city",
                 top: int | None = None, **options) -> pd.DataFrame:
    """Keyness of each city against all the others, stacked.

    Parameters
    ----------
    cities
        The cities to profile (default: every value of ``by``).
    top
        Keep the ``top`` most over-used and the ``top`` most under-used terms of each city (None: all rows).
    options
        Passed to :func:`keyness` (measure, min_freq, correction, classes, exclude).

    Returns
    -------
    DataFrame
        ``by``, the keyness columns, docs and n_docs (the city's documents), reference_docs.
    """
    require(tokens, [by, "doc_id"])
    values = sorted(tokens[by].dropna().unique()) if cities is None else list(cities)
    frames = []
    for value in values:
        k = keyness(tokens, by=by, target=value, **options)
        if top is not None:
            k = pd.concat([k[k["score"] > 0].head(top), k[k["score"] < 0].tail(top)])
        k.insert(0, by, value)
        k["docs"] = k.attrs["target_docs"]
        k["n_docs"] = len(k.attrs["target_docs"].split(", "))
        k["reference_docs"] = k.attrs["reference_docs"]
        frames.append(k)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[by, *KEYNESS_COLUMNS])
    out.attrs = {"measure": options.get("measure", "g2"), "by": by, "min_freq": options.get("min_freq", 3),
                 "excluded": bool(options.get("exclude"))}
    return out

