"""Validation of the dictionary coder against hand-coded gold sentences, as researchers report it.

Gold sentences are matched to units by their exact text after NFKC and whitespace removal; a gold sentence that
matches no unit is kept in the ``matching`` table with the reason (it is never dropped silently). Themes are scored
per category (precision, recall, F1) and by macro-F1; the single dominant instrument type by Cohen's kappa.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..themes.coding import _units_frame, classify_instruments, code_themes
from ..themes.scheme import SchemeArg, TaxonomyArg, load_scheme, load_taxonomy
from .scores import kappa, prf

GOLD_COLUMNS = ("file", "sentence", "themes", "instrument_type", "instrument_subtype", "note")
_WS = re.compile(r"\s+")
_SPLIT = re.compile(r"[;；,，、\s]+")


def normalize_sentence(text: str) -> str:
    """NFKC, then remove all whitespace (scraped texts put stray spaces inside Chinese sentences)."""
    return _WS.sub("", unicodedata.normalize("NFKC", str(text)))


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read a gold CSV (file, sentence, themes, instrument_type, instrument_subtype, note).

    Returns
    -------
    DataFrame
        The gold rows with ``gold_row`` (1-based row number), ``gold_themes`` (a frozenset of theme ids) and
        ``gold_type`` (lower-case; blank -> "none").
    """
    path = Path(path)
    try:
        gold = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read gold CSV: {exc}") from exc
    missing = [c for c in ("file", "sentence", "themes", "instrument_type") if c not in gold.columns]
    if missing:
        raise InputError(path, f"gold CSV lacks columns: {', '.join(missing)}")
    gold = gold.copy()
    gold.insert(0, "gold_row", range(1, len(gold) + 1))
    gold["gold_themes"] = gold["themes"].map(lambda s: frozenset(t for t in _SPLIT.split(s.strip()) if t))
    gold["gold_type"] = gold["instrument_type"].str.strip().str.lower().replace("", "none")
    gold.attrs["source"] = str(path)
    return gold


def match_gold(gold: pd.DataFrame, units) -> pd.DataFrame:
    """Find the unit of every gold sentence.

    Parameters
    ----------
    gold
        Output of :func:`read_gold`.
    units
        A Corpus (its docs.file maps file names to doc_ids) or a units table (file stem = doc_id).

    Returns
    -------
    DataFrame
        gold_row, file, doc_id, unit_id (None when unmatched), matched (bool), reason ("exact", "exact, first of
        n identical units", or why it did not match: file not in corpus, part of a longer unit, spans several
        units, not found in the document).
    """
    df = _units_frame(units)
    file_map: dict[str, str] = {}
    if hasattr(units, "docs") and "file" in units.docs.columns:
        file_map = {Path(str(f)).name: d for f, d in zip(units.docs["file"], units.docs["doc_id"])}
    doc_ids = set(df["doc_id"])
    norm = df.assign(_n=df["text"].map(normalize_sentence))
    by_doc = {d: g for d, g in norm.groupby("doc_id", sort=False)}
    rows = []
    for g in gold.itertuples(index=False):
        fname = Path(str(g.file)).name
        doc = file_map.get(fname) or (Path(fname).stem if Path(fname).stem in doc_ids else None)
        s = normalize_sentence(g.sentence)
        if doc is None:
            rows.append((g.gold_row, g.file, None, None, False, "file not in corpus"))
            continue
        du = by_doc[doc]
        hit = du[du["_n"] == s]
        if len(hit):
            reason = "exact" if len(hit) == 1 else f"exact, first of {len(hit)} identical units"
            rows.append((g.gold_row, g.file, doc, hit["unit_id"].iloc[0], True, reason))
            continue
        inside = du[du["_n"].str.contains(s, regex=False)] if s else du.iloc[0:0]
        if len(inside):
            reason = f"part of a longer unit {inside['unit_id'].iloc[0]} (sentence split differs)"
        elif s and s in "".join(du["_n"]):
            covering = du[du["_n"].map(lambda u: bool(u) and u in s)]
            ids = covering["unit_id"].tolist()
            reason = f"spans several units ({ids[0]} … {ids[-1]})" if ids else "spans several units"
        else:
            reason = "not found in the document (text edited or mis-copied?)"
        rows.append((g.gold_row, g.file, doc, None, False, reason))
    return pd.DataFrame(rows, columns=["gold_row", "file", "doc_id", "unit_id", "matched", "reason"])


def agreement(gold: pd.DataFrame | str | Path, units, *, taxonomy: TaxonomyArg = None,
              scheme: SchemeArg = None) -> dict[str, pd.DataFrame]:
    """Agreement of the automatic coder with hand-coded gold sentences.

    Parameters
    ----------
    gold
        A gold CSV path or the output of :func:`read_gold`.
    units
        The Corpus (or units table) the gold sentences come from.
    taxonomy, scheme
        The dictionaries to evaluate (default: the bundled ones).

    Returns
    -------
    dict of DataFrames
        ``summary`` (one row: n_gold, n_matched, n_unmatched, macro_f1 (mean F1 over themes with gold support),
        micro_f1, kappa (Cohen's, dominant instrument type incl. none), type_accuracy, n_type_labels),
        ``themes`` (theme, label, support, predicted, tp, fp, fn, precision, recall, f1),
        ``types`` (instrument_type, support, predicted, precision, recall, f1),
        ``confusion`` (gold_type x predicted type counts), ``matching`` (see :func:`match_gold`),
        ``sentences`` (every matched gold sentence with gold and predicted codes and the cues).
    """
    if not isinstance(gold, pd.DataFrame):
        gold = read_gold(gold)
    tax, sch = load_taxonomy(taxonomy), load_scheme(scheme)
    matching = match_gold(gold, units)
    df = _units_frame(units)
    ok = matching[matching["matched"]]
    sub = df[df["unit_id"].isin(set(ok["unit_id"]))]
    coded = code_themes(sub, taxonomy=tax)
    inst = classify_instruments(sub, scheme=sch)
    pred_themes = coded.groupby("unit_id")["theme"].agg(frozenset)
    theme_cues = coded.assign(tc=coded["theme"] + ":" + coded["cues"]).groupby("unit_id")["tc"].agg(" | ".join)
    pred_type = inst.set_index("unit_id")["instrument_type"]
    inst_cues = inst.set_index("unit_id")["cues"]

    sent = gold.merge(ok[["gold_row", "doc_id", "unit_id"]], on="gold_row", how="inner")
    sent["pred_themes"] = sent["unit_id"].map(pred_themes).map(lambda v: v if isinstance(v, frozenset) else frozenset())
    sent["pred_type"] = sent["unit_id"].map(pred_type)
    sent["theme_cues"] = sent["unit_id"].map(theme_cues).fillna("")
    sent["instrument_cues"] = sent["unit_id"].map(inst_cues).fillna("")

    ids = tax.ids + sorted(set().union(*sent["gold_themes"]) - set(tax.ids)) if len(sent) else tax.ids
    labels = tax.labels()
    trows = []
    for t in ids:
        g = sent["gold_themes"].map(lambda s, t=t: t in s)
        p = sent["pred_themes"].map(lambda s, t=t: t in s)
        tp, fp, fn = int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum())
        trows.append((t, labels.get(t, "(not in taxonomy)"), int(g.sum()), int(p.sum()), tp, fp, fn, *prf(tp, fp, fn)))
    themes = pd.DataFrame(trows, columns=["theme", "label", "support", "predicted", "tp", "fp", "fn",
                                          "precision", "recall", "f1"])
    supported = themes[themes["support"] > 0]
    macro = float(supported["f1"].mean()) if len(supported) else float("nan")
    micro = prf(int(themes["tp"].sum()), int(themes["fp"].sum()), int(themes["fn"].sum()))[2]

    type_ids = [t[0] for t in sch.types] + ["none"]
    extra = sorted(set(sent["gold_type"]) - set(type_ids))
    type_ids += extra
    yrows = []
    for t in type_ids:
        g, p = sent["gold_type"] == t, sent["pred_type"] == t
        tp, fp, fn = int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum())
        yrows.append((t, int(g.sum()), int(p.sum()), *prf(tp, fp, fn)))
    types = pd.DataFrame(yrows, columns=["instrument_type", "support", "predicted", "precision", "recall", "f1"])
    confusion = pd.crosstab(pd.Categorical(sent["gold_type"], type_ids), pd.Categorical(sent["pred_type"], type_ids),
                            rownames=["gold_type"], colnames=["predicted"], dropna=False)
    kappa_value = kappa(sent["gold_type"], sent["pred_type"])
    summary = pd.DataFrame([{
        "n_gold": len(gold), "n_matched": int(matching["matched"].sum()),
        "n_unmatched": int((~matching["matched"]).sum()), "macro_f1": macro, "micro_f1": micro, "kappa": kappa_value,
        "type_accuracy": float((sent["gold_type"] == sent["pred_type"]).mean()) if len(sent) else float("nan"),
        "n_theme_labels": int(themes["support"].sum()), "n_themes_scored": len(supported),
    }])
    sentences = sent[["gold_row", "doc_id", "unit_id", "sentence", "gold_themes", "pred_themes", "theme_cues",
                      "gold_type", "pred_type", "instrument_cues"]].copy()
    for c in ("gold_themes", "pred_themes"):
        sentences[c] = sentences[c].map(lambda s: ";".join(sorted(s)))
    return {"summary": summary, "themes": themes, "types": types, "confusion": confusion,
            "matching": matching, "sentences": sentences}


def agreement_report(result: dict[str, pd.DataFrame], *, title: str = "Theme and instrument coding: agreement with "
                     "the hand-coded gold") -> str:
    """Render :func:`agreement` tables as a Markdown report."""
    s = result["summary"].iloc[0]
    lines = [f"# {title}", ""]
    lines += [f"- gold sentences: {int(s.n_gold)}; matched to a unit: {int(s.n_matched)}; unmatched: "
              f"{int(s.n_unmatched)}",
              f"- themes: macro-F1 **{s.macro_f1:.3f}** (mean over the {int(s.n_themes_scored)} themes with gold "
              f"support), "
              f"micro-F1 {s.micro_f1:.3f}",
              f"- instrument type (single dominant type incl. none): Cohen's kappa **{s.kappa:.3f}**, "
              f"accuracy {s.type_accuracy:.3f}", ""]
    lines += ["## Themes (per category)", "", _md(result["themes"]), ""]
    lines += ["## Instrument type", "", _md(result["types"]), "", "Confusion (rows gold, columns predicted):", "",
              _md(result["confusion"].reset_index()), ""]
    um = result["matching"][~result["matching"]["matched"]]
    lines += ["## Unmatched gold sentences", ""]
    lines += [_md(um[["gold_row", "file", "reason"]]) if len(um) else "None: every gold sentence matched a unit.", ""]
    return "\n".join(lines)


def _md(df: pd.DataFrame) -> str:
    cols = [str(c) for c in df.columns]
    out = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in df.itertuples(index=False):
        out.append("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row) + " |")
    return "\n".join(out)
