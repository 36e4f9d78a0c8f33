"""Indicator values across documents: conflicts, target follow-through, and the place x indicator x year table.

All three take the table of :func:`analysis.metrics.extract_metrics` and keep the quotes and offsets of every
value they rest on. Values are compared by **place and level** (``全国``/national, ``吉林``/province, ``东莞``/
prefecture …), not by city: national and provincial documents have no city. A row without a place falls back to
its city; a row with neither is compared with nothing (two documents of unknown place are not the same place).
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from .catalogue import Catalogue, load_catalogue
from .extract import _int_or_none

_KIND_CLASS = {"actual": "outcome", "estimate": "outcome", "target": "target"}
_QUALIFIER_RANK = {"exact": 0, "range": 1, "lower_bound": 2, "upper_bound": 2, "approx": 3}


def _interval(value: float, qualifier: str, low, high, tol: float) -> tuple[float, float]:
    if qualifier == "lower_bound":
        return value, math.inf
    if qualifier == "upper_bound":
        return -math.inf, value
    if qualifier == "approx":
        return value * (1 - tol), value * (1 + tol)
    if qualifier == "range" and low is not None and high is not None and not pd.isna(low) and not pd.isna(high):
        return float(low), float(high)
    return value, value


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    eps = 1e-9 * max(1.0, *(abs(x) for x in (*a, *b) if math.isfinite(x)))
    return a[0] <= b[1] + eps and b[0] <= a[1] + eps


_PLACE_COLS = ("place", "level", "city")


def _key_frame(metrics: pd.DataFrame) -> pd.DataFrame:
    df = metrics.copy()
    for c in _PLACE_COLS:
        if c not in df.columns:
            df[c] = None
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    df["kind_class"] = df["kind"].map(_KIND_CLASS).fillna("outcome")
    df["tier_key"] = df["tier"].fillna("")
    df["place"] = df["place"].where(df["place"].notna(), df["city"])
    # no place and no city: a key of its own document, so it is never taken for another document's place
    df["place_key"] = df["place"].where(df["place"].notna(), "\0" + df["doc_id"].astype(str))
    df["level_key"] = df["level"].fillna("")
    return df


def metric_conflicts(metrics: pd.DataFrame, *, approx_tolerance: float = 0.1) -> pd.DataFrame:
    """Values of the same place (and level) / indicator / tier / year / kind class that disagree across documents.

    Two values disagree when the ranges their hedges allow do not overlap (``7400多家`` allows [7400, ∞);
    ``约150亿元`` allows ±``approx_tolerance``). Kind classes: outcome (actual, estimate) and target.

    Returns
    -------
    DataFrame, one row per disagreeing pair: place, level, city, indicator, tier, year, kind_class, then for each
    side (``_a``, ``_b``) doc_id, value, qualifier, kind, quote, start, end, path.
    """
    cols = ["place", "level", "city", "indicator", "tier", "year", "kind_class"] + [f"{c}_{s}" for s in ("a", "b") for c in
                                                                     ("doc_id", "value", "qualifier", "kind", "quote",
                                                                      "start", "end", "path")]
    if metrics.empty:
        return pd.DataFrame(columns=cols)
    df = _key_frame(metrics)
    df = df.drop_duplicates(["doc_id", "indicator", "tier_key", "year", "kind_class", "value", "qualifier"])
    out = []
    for key, g in df.groupby(["place_key", "level_key", "indicator", "tier_key", "year", "kind_class"], dropna=False,
                             sort=True):
        recs = g.to_dict("records")
        for i in range(len(recs)):
            for j in range(i + 1, len(recs)):
                a, b = recs[i], recs[j]
                if a["doc_id"] == b["doc_id"]:
                    continue
                ia = _interval(a["value"], a["qualifier"], a["low"], a["high"], approx_tolerance)
                ib = _interval(b["value"], b["qualifier"], b["low"], b["high"], approx_tolerance)
                if _overlap(ia, ib):
                    continue
                row = {"place": a["place"], "level": a["level"], "city": a["city"] if a["city"] == b["city"] else None,
                       "indicator": key[2], "tier": key[3] or None, "year": key[4], "kind_class": key[5]}
                for side, r in (("a", a), ("b", b)):
                    for c in ("doc_id", "value", "qualifier", "kind", "quote", "start", "end", "path"):
                        row[f"{c}_{side}"] = r.get(c)
                out.append(row)
    res = pd.DataFrame(out, columns=cols)
    res["year"] = res["year"].astype("Int64")
    return res


def _status(target: dict, outcome: dict | None, direction: str, tol: float) -> str:
    if outcome is None:
        return "unknown"
    t_lo, t_hi = _interval(target["value"], target["qualifier"], target["low"], target["high"], tol)
    o_lo, o_hi = _interval(outcome["value"], outcome["qualifier"], outcome["low"], outcome["high"], tol)
    eps = 1e-9 * max(1.0, abs(target["value"]))
    ceiling = target["qualifier"] == "upper_bound"
    if (direction == "up") != ceiling:   # more is better: the target is a floor
        floor = t_lo if math.isfinite(t_lo) else target["value"]
        if o_lo >= floor - eps:
            return "met"
        if o_hi < floor - eps:
            return "missed"
        return "unknown"
    cap = t_hi if math.isfinite(t_hi) else target["value"]
    if o_hi <= cap + eps:
        return "met"
    if o_lo > cap + eps:
        return "missed"
    return "unknown"


def _doc_years(docs: pd.DataFrame | None) -> dict[str, tuple[int, str]]:
    """doc_id -> (year the document speaks from, published date or ""), for ordering documents in time."""
    out: dict[str, tuple[int, str]] = {}
    if docs is None or not len(docs):
        return out
    for r in docs.to_dict("records"):
        pub = r.get("published")
        pub = pub if isinstance(pub, str) and len(pub) >= 4 else ""
        years = [_int_or_none(r.get(c)) for c in ("summary_year", "plan_year")]
        years = [y for y in years if y is not None]
        y = int(pub[:4]) if pub[:4].isdigit() else (max(years) if years else None)
        if y is not None:
            out[r["doc_id"]] = (y, pub)
    return out


def target_follow_through(metrics: pd.DataFrame, *, docs: pd.DataFrame | None = None,
                          catalogue: Catalogue | str | Path | None = None,
                          approx_tolerance: float = 0.1) -> pd.DataFrame:
    """Each target matched to the outcome (actual, else estimate) for the same place and level / indicator / tier / year
    stated in another document, with status met | missed | unknown.

    A target is met when the outcome's lowest reading reaches it (``超过8200家`` meets ``达到8200家``), missed
    when the outcome's highest reading falls short, unknown otherwise or when no other document states the
    outcome. Indicators with ``direction: down`` in the catalogue, and 不超过-targets, are read the other way.
    With ``docs`` (the corpus docs), only documents from the target document's year on count (year of
    publication, else the later of summary/plan year), and among equals the later document wins; without it,
    any other document counts. Of several outcomes an actual beats an estimate, then the most precise qualifier,
    then the later document.

    Returns
    -------
    DataFrame, one row per target: place, level, city, indicator, tier, year, status, target_value, target_qualifier,
    target_doc_id, target_quote, target_start, target_end, outcome_value, outcome_qualifier, outcome_kind,
    outcome_doc_id, outcome_quote, outcome_start, outcome_end, n_outcomes, unit, target_path, outcome_path.
    """
    cols = ["place", "level", "city", "indicator", "tier", "year", "status", "unit", "target_value", "target_qualifier",
            "target_doc_id", "target_quote", "target_start", "target_end", "outcome_value", "outcome_qualifier",
            "outcome_kind", "outcome_doc_id", "outcome_quote", "outcome_start", "outcome_end", "n_outcomes",
            "target_path", "outcome_path"]
    if metrics.empty:
        return pd.DataFrame(columns=cols)
    directions: dict[str, str] = {}
    try:
        cat = catalogue if isinstance(catalogue, Catalogue) else load_catalogue(catalogue)
        directions = {i.id: i.direction for i in cat.indicators}
    except Exception:  # a metrics table from another catalogue: default direction
        if catalogue is not None:
            raise
    df = _key_frame(metrics)
    when = _doc_years(docs)
    df["_when"] = df["doc_id"].map(lambda d: when.get(d, (-1, "")))
    targets = df[df["kind"] == "target"].drop_duplicates(["doc_id", "indicator", "tier_key", "year", "value",
                                                          "qualifier"])
    outcomes = df[df["kind_class"] == "outcome"]
    out = []
    for t in targets.to_dict("records"):
        cand = outcomes[(outcomes["place_key"] == t["place_key"]) & (outcomes["level_key"] == t["level_key"])
                        & (outcomes["indicator"] == t["indicator"])
                        & (outcomes["tier_key"] == t["tier_key"]) & (outcomes["year"] == t["year"])
                        & (outcomes["doc_id"] != t["doc_id"])]
        if t["doc_id"] in when:
            cand = cand[[w[0] < 0 or w[0] >= when[t["doc_id"]][0] for w in cand["_when"]]]
        best = None
        if len(cand):
            cand = cand.assign(_k=(cand["kind"] != "actual").astype(int),
                               _q=cand["qualifier"].map(_QUALIFIER_RANK).fillna(9),
                               _y=[w[0] for w in cand["_when"]], _p=[w[1] for w in cand["_when"]])
            cand = cand.sort_values(["_k", "_q", "_y", "_p", "doc_id", "start"],
                                    ascending=[True, True, False, False, False, True])
            best = cand.iloc[0].to_dict()
        row = {"place": t["place"], "level": t["level"], "city": t["city"], "indicator": t["indicator"], "tier": t["tier"], "year": t["year"],
               "status": _status(t, best, directions.get(t["indicator"], "up"), approx_tolerance),
               "unit": t["unit"], "target_value": t["value"], "target_qualifier": t["qualifier"],
               "target_doc_id": t["doc_id"], "target_quote": t["quote"], "target_start": t["start"],
               "target_end": t["end"], "n_outcomes": len(cand), "target_path": t.get("path"),
               "outcome_path": None}
        if best is not None:
            row.update({"outcome_value": best["value"], "outcome_qualifier": best["qualifier"],
                        "outcome_kind": best["kind"], "outcome_doc_id": best["doc_id"],
                        "outcome_quote": best["quote"], "outcome_start": best["start"], "outcome_end": best["end"],
                        "outcome_path": best.get("path")})
        out.append(row)
    res = pd.DataFrame(out, columns=cols)
    res["year"] = res["year"].astype("Int64")
    for c in ("outcome_start", "outcome_end"):
        res[c] = res[c].astype("Int64")
    return res


def _fmt(v: float) -> str:
    return f"{v:g}"


def metrics_table(metrics: pd.DataFrame, *, wide: bool = False) -> pd.DataFrame:
    """The metrics as a place × indicator × tier × year × kind table with its sources.

    Parameters
    ----------
    metrics : the output of :func:`extract_metrics`.
    wide : False -> tidy (one row per cell, with ``city``, ``value`` — the value of the first source, ``values`` —
        all distinct values, ``n_sources``, ``sources`` — unit ids, ``quotes``); True -> a pivot with one row per
        place / level / indicator / tier / kind and one column per year.
    """
    keys = ["place", "level", "indicator", "tier", "year", "kind"]
    cols = keys + ["city", "value", "unit", "qualifier", "values", "n_sources", "doc_ids", "sources", "quotes"]
    if metrics.empty:
        return pd.DataFrame(columns=cols)
    df = _key_frame(metrics)
    df["tier"], df["level"], df["place"] = df["tier"].fillna(""), df["level"].fillna(""), df["place"].fillna("")
    rows = []
    for key, g in df.sort_values(["doc_id", "start"]).groupby(keys, dropna=False, sort=True):
        first = g.iloc[0]
        rows.append(dict(zip(keys, key)) | {
            "city": first["city"], "value": first["value"], "unit": first["unit"], "qualifier": first["qualifier"],
            "values": ";".join(dict.fromkeys(_fmt(v) for v in g["value"])), "n_sources": len(g),
            "doc_ids": ";".join(dict.fromkeys(g["doc_id"])), "sources": ";".join(g["unit_id"]),
            "quotes": " | ".join(dict.fromkeys(g["quote"]))})
    res = pd.DataFrame(rows, columns=cols)
    res["year"] = res["year"].astype("Int64")
    if wide:
        res = res.pivot_table(index=["place", "level", "indicator", "tier", "kind"], columns="year", values="value",
                              aggfunc="first", dropna=False).dropna(how="all").reset_index()
        res.columns.name = None
    for c in ("place", "level", "tier"):
        res[c] = res[c].replace("", None)
    return res
