"""Measure extracted metrics against a hand-annotated gold table: precision, recall, kind accuracy.

Matching rule: an extracted row matches a gold row when it is in the same document (the gold's ``file`` is the
source file name; ``doc_id`` — the file stem — is accepted too), has the same ``indicator``, and the same
``value`` within 1e-6 relative difference. Matching is one-to-one: a value stated twice in a document is two gold
rows and needs two extracted rows. Among several candidates the extracted row whose quote overlaps the gold quote
most is taken, so repeated values pair with the right sentence. Year, qualifier and period are reported but are
not part of the match; ``kind`` is scored on the matches.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from .scores import prf

GOLD_COLUMNS = ("file", "city", "indicator", "value", "unit", "year", "kind", "qualifier", "period", "quote", "note")
REL_TOL = 1e-6


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read a metrics gold CSV (columns file, city, indicator, value, unit, year, kind, qualifier, period, quote, note)."""
    from ..errors import InputError

    try:
        gold = pd.read_csv(path, dtype={"file": str, "indicator": str, "kind": str, "quote": str}, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read gold table: {exc}") from None
    missing = [c for c in ("file", "indicator", "value") if c not in gold.columns]
    if missing:
        raise InputError(path, f"gold table lacks column(s) {', '.join(missing)}")
    for c in GOLD_COLUMNS:  # the optional columns (unit, year, kind, quote …) are blank when a gold leaves them out
        if c not in gold.columns:
            gold[c] = ""
    try:
        gold["value"] = pd.to_numeric(gold["value"])
    except ValueError as exc:
        raise InputError(path, f"gold column 'value' must hold numbers: {exc}") from None
    return gold


def _doc_key(s: str) -> str:
    return Path(str(s)).stem


def _overlap(a: str, b: str) -> int:
    if not a or not b:
        return 0
    if a in b or b in a:
        return min(len(a), len(b)) + 1000
    return len(set(a) & set(b))


def match_gold(metrics: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Pair extracted rows with gold rows (see the module docstring for the rule).

    Returns
    -------
    DataFrame, one row per gold row and per unmatched extracted row: ``outcome`` tp | fn | fp, doc, indicator,
    value, gold_kind, kind, gold_year, year, gold_qualifier, qualifier, gold_quote, quote.
    """
    ext = metrics.copy()
    ext["_doc"] = (ext["file"] if "file" in ext.columns and ext["file"].notna().all() else ext["doc_id"]).map(_doc_key)
    used: set[int] = set()
    rows = []
    for g in gold.itertuples(index=False):
        doc = _doc_key(g.file)
        cand = ext[(ext["_doc"] == doc) & (ext["indicator"] == g.indicator)]
        best, best_score = None, -1
        for idx, r in cand.iterrows():
            if idx in used or not math.isclose(r["value"], float(g.value), rel_tol=REL_TOL, abs_tol=0.0):
                continue
            score = _overlap(str(g.quote), str(r["quote"]))
            if score > best_score:
                best, best_score = idx, score
        rec = {"outcome": "fn", "doc": doc, "indicator": g.indicator, "value": float(g.value),
               "gold_kind": getattr(g, "kind", None), "gold_year": getattr(g, "year", None),
               "gold_qualifier": getattr(g, "qualifier", None), "gold_quote": g.quote,
               "kind": None, "year": None, "qualifier": None, "quote": None}
        if best is not None:
            used.add(best)
            r = ext.loc[best]
            rec.update(outcome="tp", kind=r["kind"], year=r["year"], qualifier=r["qualifier"], quote=r["quote"])
        rows.append(rec)
    for idx, r in ext.iterrows():
        if idx not in used:
            rows.append({"outcome": "fp", "doc": r["_doc"], "indicator": r["indicator"], "value": r["value"],
                         "gold_kind": None, "gold_year": None, "gold_qualifier": None, "gold_quote": None,
                         "kind": r["kind"], "year": r["year"], "qualifier": r["qualifier"], "quote": r["quote"]})
    return pd.DataFrame(rows)


def gold_scores(matches: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall, F1 and kind / year / qualifier accuracy on the matches, per indicator and overall.

    Returns
    -------
    DataFrame indexed by indicator plus a final ``overall`` row: tp, fp, fn, precision, recall, f1,
    kind_accuracy, year_accuracy, qualifier_accuracy (NaN where undefined).
    """
    def scores(m: pd.DataFrame) -> dict:
        tp, fp, fn = (int((m["outcome"] == o).sum()) for o in ("tp", "fp", "fn"))
        p, r, f1 = prf(tp, fp, fn)
        hits = m[m["outcome"] == "tp"]

        def acc(a, b):
            if not len(hits):
                return math.nan
            return float((hits[a].astype(str) == hits[b].astype(str)).mean())
        return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f1,
                "kind_accuracy": acc("gold_kind", "kind"),
                "year_accuracy": float((pd.to_numeric(hits["gold_year"], errors="coerce")
                                        == pd.to_numeric(hits["year"], errors="coerce")).mean()) if len(hits) else math.nan,
                "qualifier_accuracy": acc("gold_qualifier", "qualifier")}

    out = {ind: scores(g) for ind, g in matches.groupby("indicator", sort=True)}
    out["overall"] = scores(matches)
    df = pd.DataFrame.from_dict(out, orient="index")
    df.index.name = "indicator"
    return df


def scores_markdown(scores: pd.DataFrame) -> str:
    """The scores table as Markdown (figures to three decimals, counts as integers)."""
    def f(x) -> str:
        return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"
    lines = ["| indicator | TP | FP | FN | precision | recall | F1 | kind acc. | year acc. | qualifier acc. |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for ind, r in scores.iterrows():
        name = f"**{ind}**" if ind == "overall" else f"`{ind}`"
        lines.append(f"| {name} | {int(r.tp)} | {int(r.fp)} | {int(r.fn)} | {f(r.precision)} | {f(r.recall)} | "
                     f"{f(r.f1)} | {f(r.kind_accuracy)} | {f(r.year_accuracy)} | {f(r.qualifier_accuracy)} |")
    return "\n".join(lines)


SUMMARY_COLUMNS = ("gold", "tp", "fp", "fn", "precision", "recall", "year_accuracy", "kind_accuracy",
                   "qualifier_accuracy")


def match_summary(matches: pd.DataFrame) -> dict:
    """Gold size, tp, fp, fn, precision, recall and year / kind / qualifier accuracy of a :func:`match_gold` table."""
    tp, fp, fn = (int((matches["outcome"] == o).sum()) for o in ("tp", "fp", "fn"))
    hits = matches[matches["outcome"] == "tp"]

    def acc(a: str, b: str) -> float:
        return float((hits[a].astype(str) == hits[b].astype(str)).mean()) if len(hits) else math.nan

    year_ok = pd.to_numeric(hits["gold_year"], errors="coerce") == pd.to_numeric(hits["year"], errors="coerce")
    return {"gold": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else math.nan, "recall": tp / (tp + fn) if tp + fn else math.nan,
            "year_accuracy": float(year_ok.mean()) if len(hits) else math.nan,
            "kind_accuracy": acc("gold_kind", "kind"), "qualifier_accuracy": acc("gold_qualifier", "qualifier")}


def summary_markdown(figures: dict[str, dict]) -> str:
    """Markdown table of :func:`match_summary` results, one row per named set (figures to three decimals)."""
    def f(x) -> str:
        if isinstance(x, int):
            return str(x)
        return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"
    lines = ["| set | gold values | TP | FP | FN | precision | recall | year acc. | kind acc. | qualifier acc. |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, s in figures.items():
        lines.append(f"| {name} | " + " | ".join(f(s[c]) for c in SUMMARY_COLUMNS) + " |")
    return "\n".join(lines)
