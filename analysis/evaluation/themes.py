"""Validation of the theme and instrument coder against hand-coded gold sentences, as researchers report it.

Two gold formats are read: the seeds' gold quotes its sentences (``sentence`` column); the development-corpora
gold stores offsets and a hash only (``start``, ``end``, ``span_hash``), and its text is supplied at run time by a
``text_of(file, start, end, span_hash)`` callable (the evaluation script reads the canonical source and checks the
hash), so no document text need be stored with the gold.

Every gold sentence is mapped to the package's units: the unit with the same text after NFKC and whitespace
removal (``exact``), else the one unit whose text contains it (``inside``: the package split differently), else the
run of consecutive units that together cover it (``spans``); a sentence that cannot be mapped stays in the
``matching`` table with the reason, never dropped silently. A sentence mapped to several units gets the union of
their themes and the first non-``none`` instrument type among them.

Themes are scored per category (precision, recall, F1) and by macro-F1 over the themes with at least
``min_support`` gold sentences; the single dominant instrument type by Cohen's kappa (:mod:`.scores`).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..themes.coding import _units_frame, classify_instruments, code_themes
from ..themes.instrument_scheme import SchemeArg, load_scheme
from ..themes.scheme import TaxonomyArg, load_taxonomy
from .scores import kappa, prf

GOLD_COLUMNS = ("file", "sentence", "themes", "instrument_type", "instrument_subtype", "note")
OFFSET_COLUMNS = ("start", "end", "span_hash")
_WS = re.compile(r"\s+")
_SPLIT = re.compile(r"[;；,，、\s]+")

#: ``text_of(file, start, end, span_hash) -> str``: the gold sentence's text, read and checked at run time.
TextOf = Callable[[str, int, int, str], str]
#: ``coder(units) -> (themes, instruments)``: the tables of :func:`code_themes` and :func:`classify_instruments`.
Coder = Callable[[pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]


def normalize_sentence(text: str) -> str:
    """NFKC, then remove all whitespace (scraped texts put stray spaces inside Chinese sentences)."""
    return _WS.sub("", unicodedata.normalize("NFKC", str(text)))


def read_gold(path: str | Path, *, text_of: TextOf | None = None) -> pd.DataFrame:
    """Read a gold CSV: quoted sentences (``sentence``) or offsets (``start, end, span_hash``) plus ``text_of``.

    Parameters
    ----------
    path
        The gold CSV (columns file, themes, instrument_type and either sentence or start/end/span_hash).
    text_of
        For offset gold: returns the sentence text of (file, start, end, span_hash) and raises if the hash differs.

    Returns
    -------
    DataFrame
        The gold rows with ``gold_row`` (1-based row number), ``sentence``, ``gold_themes`` (a frozenset of theme
        ids) and ``gold_type`` (lower-case; blank -> "none").
    """
    path = Path(path)
    try:
        gold = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read gold CSV: {exc}") from exc
    missing = [c for c in ("file", "themes", "instrument_type") if c not in gold.columns]
    if "sentence" not in gold.columns:
        missing += [c for c in OFFSET_COLUMNS if c not in gold.columns]
    if missing:
        raise InputError(path, f"gold CSV lacks columns: {', '.join(missing)}")
    gold = gold.copy()
    if "sentence" not in gold.columns:
        if text_of is None:
            raise InputError(path, "offset gold (start, end, span_hash) needs text_of= to supply the sentences")
        gold["sentence"] = [text_of(f, int(s), int(e), h) for f, s, e, h in
                            zip(gold["file"], gold["start"], gold["end"], gold["span_hash"])]
    gold.insert(0, "gold_row", range(1, len(gold) + 1))
    gold["gold_themes"] = gold["themes"].map(lambda s: frozenset(t for t in _SPLIT.split(s.strip()) if t))
    gold["gold_type"] = gold["instrument_type"].str.strip().str.lower().replace("", "none")
    gold.attrs["source"] = str(path)
    return gold


def _file_map(units, doc_ids: set) -> dict[str, str]:
    if hasattr(units, "docs") and "file" in units.docs.columns:
        return {Path(str(f)).name: d for f, d in zip(units.docs["file"], units.docs["doc_id"])}
    return {}


def _cover(du: pd.DataFrame, s: str) -> tuple[list[str], str, str]:
    """The unit(s) of one document that carry the normalised sentence ``s``: (unit ids, match kind, reason)."""
    hit = du[du["_n"] == s]
    if len(hit):
        return [hit["unit_id"].iloc[0]], "exact", ("exact" if len(hit) == 1 else
                                                   f"exact, first of {len(hit)} identical units")
    inside = du[du["_n"].str.contains(s, regex=False)]
    if len(inside):
        uid = inside["unit_id"].iloc[0]
        return [uid], "inside", f"inside the longer unit {uid} (the package's sentence split differs)"
    texts, ids = du["_n"].tolist(), du["unit_id"].tolist()
    joined = "".join(texts)
    pos = joined.find(s)
    if pos < 0:
        return [], "", "not found in the document (text edited, or the package dropped it)"
    covered, offset = [], 0
    for uid, t in zip(ids, texts):
        if offset < pos + len(s) and pos < offset + len(t):
            covered.append(uid)
        offset += len(t)
    return covered, "spans", f"spans {len(covered)} units ({covered[0]} … {covered[-1]})"


def match_gold(gold: pd.DataFrame, units) -> pd.DataFrame:
    """Map every gold sentence to the unit(s) that carry it.

    Parameters
    ----------
    gold
        Output of :func:`read_gold`.
    units
        A Corpus (its docs.file maps file names to doc_ids) or a units table (file stem = doc_id).

    Returns
    -------
    DataFrame
        gold_row, file, doc_id, unit_id (the first unit; None when unmatched), unit_ids (all, ";"-joined),
        matched (bool), match (exact | inside | spans | ""), reason (the kind in words, or why it did not match).
    """
    df = _units_frame(units)
    doc_ids = set(df["doc_id"])
    file_map = _file_map(units, doc_ids)
    norm = df.assign(_n=df["text"].map(normalize_sentence))
    by_doc = {d: g for d, g in norm.groupby("doc_id", sort=False)}
    rows = []
    for g in gold.itertuples(index=False):
        fname = Path(str(g.file)).name
        doc = file_map.get(fname) or (Path(fname).stem if Path(fname).stem in doc_ids else None)
        s = normalize_sentence(g.sentence)
        if doc is None or not s:
            rows.append((g.gold_row, g.file, doc, None, "", False, "", "file not in corpus" if doc is None
                         else "empty sentence"))
            continue
        ids, kind, reason = _cover(by_doc[doc], s)
        rows.append((g.gold_row, g.file, doc, ids[0] if ids else None, ";".join(ids), bool(ids), kind, reason))
    return pd.DataFrame(rows, columns=["gold_row", "file", "doc_id", "unit_id", "unit_ids", "matched", "match",
                                       "reason"])


def dictionary_coder(taxonomy: TaxonomyArg = None, scheme: SchemeArg = None) -> Coder:
    """The bundled (or given) dictionaries as a :data:`Coder`."""
    tax, sch = load_taxonomy(taxonomy), load_scheme(scheme)

    def coder(units: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        return code_themes(units, taxonomy=tax), classify_instruments(units, scheme=sch, taxonomy=tax)

    coder.theme_ids = tax.ids
    coder.theme_labels = tax.labels()
    coder.type_ids = [t[0] for t in sch.types]
    return coder


def _predictions(matching: pd.DataFrame, units, coder: Coder) -> pd.DataFrame:
    """Per matched gold row: pred_themes, pred_type, theme_cues, instrument_cues (multi-unit rows aggregated)."""
    df = _units_frame(units)
    ok = matching[matching["matched"]]
    pairs = [(r, u) for r, ids in zip(ok["gold_row"], ok["unit_ids"]) for u in ids.split(";")]
    wanted = {u for _, u in pairs}
    coded, inst = coder(df[df["unit_id"].isin(wanted)])
    themes = coded.groupby("unit_id")["theme"].agg(frozenset)
    tcues = coded.assign(tc=coded["theme"] + ":" + coded["cues"]).groupby("unit_id")["tc"].agg(" | ".join)
    itype = inst.set_index("unit_id")["instrument_type"]
    icues = inst.set_index("unit_id")["cues"]
    out = []
    for row, ids in zip(ok["gold_row"], ok["unit_ids"]):
        ids = ids.split(";")
        ts = frozenset().union(*(themes.get(u, frozenset()) for u in ids))
        types = [itype.get(u, "none") for u in ids]
        typ = next((t for t in types if t != "none"), "none")
        out.append((row, ts, typ, " | ".join(tcues[u] for u in ids if u in tcues.index),
                    " | ".join(str(icues[u]) for u in ids if u in icues.index and icues[u])))
    return pd.DataFrame(out, columns=["gold_row", "pred_themes", "pred_type", "theme_cues", "instrument_cues"])


def agreement(gold: pd.DataFrame | str | Path, units, *, taxonomy: TaxonomyArg = None, scheme: SchemeArg = None,
              coder: Coder | None = None, min_support: int = 1) -> dict[str, pd.DataFrame]:
    """Agreement of the automatic coder with hand-coded gold sentences.

    Parameters
    ----------
    gold
        A gold CSV path with quoted sentences, or the output of :func:`read_gold` (offset gold: read it with
        ``text_of=`` first).
    units
        The Corpus (or units table) the gold sentences come from.
    taxonomy, scheme
        The dictionaries to evaluate (default: the bundled ones); ignored when ``coder`` is given.
    coder
        Any :data:`Coder` (e.g. the dictionaries plus a supervised complement); default :func:`dictionary_coder`.
    min_support
        Macro-F1 averages the themes with at least this many gold sentences (1: every theme with support).

    Returns
    -------
    dict of DataFrames
        ``summary`` (one row: n_gold, n_matched, n_unmatched, macro_f1, n_themes_scored, min_support, micro_f1,
        kappa (Cohen's, dominant instrument type incl. none), type_accuracy, n_theme_labels),
        ``themes`` (theme, label, support, predicted, tp, fp, fn, precision, recall, f1, in_macro),
        ``types`` (instrument_type, support, predicted, precision, recall, f1),
        ``confusion`` (gold_type x predicted type counts), ``matching`` (see :func:`match_gold`),
        ``sentences`` (every matched gold sentence with gold and predicted codes and the cues).
    """
    if not isinstance(gold, pd.DataFrame):
        gold = read_gold(gold)
    coder = coder or dictionary_coder(taxonomy, scheme)
    matching = match_gold(gold, units)
    pred = _predictions(matching, units, coder)
    sent = gold.merge(matching.loc[matching["matched"], ["gold_row", "doc_id", "unit_id", "unit_ids", "match"]],
                      on="gold_row", how="inner").merge(pred, on="gold_row", how="left")
    themes = _theme_scores(sent, getattr(coder, "theme_ids", []), getattr(coder, "theme_labels", {}), min_support)
    scored = themes[themes["in_macro"]]
    macro = float(scored["f1"].mean()) if len(scored) else float("nan")
    micro = prf(int(themes["tp"].sum()), int(themes["fp"].sum()), int(themes["fn"].sum()))[2]
    type_ids = list(getattr(coder, "type_ids", ["supply", "environment", "demand"])) + ["none"]
    type_ids += sorted((set(sent["gold_type"]) | set(sent["pred_type"])) - set(type_ids))
    yrows = []
    for t in type_ids:
        g, p = sent["gold_type"] == t, sent["pred_type"] == t
        tp, fp, fn = int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum())
        yrows.append((t, int(g.sum()), int(p.sum()), *prf(tp, fp, fn)))
    types = pd.DataFrame(yrows, columns=["instrument_type", "support", "predicted", "precision", "recall", "f1"])
    confusion = pd.crosstab(pd.Categorical(sent["gold_type"], type_ids), pd.Categorical(sent["pred_type"], type_ids),
                            rownames=["gold_type"], colnames=["predicted"], dropna=False)
    summary = pd.DataFrame([{
        "n_gold": len(gold), "n_matched": int(matching["matched"].sum()),
        "n_unmatched": int((~matching["matched"]).sum()), "macro_f1": macro, "n_themes_scored": len(scored),
        "min_support": min_support, "micro_f1": micro, "kappa": kappa(sent["gold_type"], sent["pred_type"]),
        "type_accuracy": float((sent["gold_type"] == sent["pred_type"]).mean()) if len(sent) else float("nan"),
        "n_theme_labels": int(themes["support"].sum()),
    }])
    sentences = sent[["gold_row", "doc_id", "unit_ids", "match", "sentence", "gold_themes", "pred_themes",
                      "theme_cues", "gold_type", "pred_type", "instrument_cues"]].copy()
    for c in ("gold_themes", "pred_themes"):
        sentences[c] = sentences[c].map(lambda s: ";".join(sorted(s)))
    return {"summary": summary, "themes": themes, "types": types, "confusion": confusion,
            "matching": matching, "sentences": sentences}


def _theme_scores(sent: pd.DataFrame, theme_ids: list[str], labels: dict, min_support: int) -> pd.DataFrame:
    gold_ids = set().union(*sent["gold_themes"]) if len(sent) else set()
    ids = list(theme_ids) + sorted(gold_ids - set(theme_ids))
    rows = []
    for t in ids:
        g = sent["gold_themes"].map(lambda s, t=t: t in s).astype(bool)
        p = sent["pred_themes"].map(lambda s, t=t: t in s).astype(bool)
        tp, fp, fn = int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum())
        rows.append((t, labels.get(t, "(not in taxonomy)"), int(g.sum()), int(p.sum()), tp, fp, fn,
                     *prf(tp, fp, fn)))
    out = pd.DataFrame(rows, columns=["theme", "label", "support", "predicted", "tp", "fp", "fn", "precision",
                                      "recall", "f1"])
    out["in_macro"] = out["support"] >= max(min_support, 1)
    return out


def agreement_report(result: dict[str, pd.DataFrame], *, title: str = "Theme and instrument coding: agreement with "
                     "the hand-coded gold", level: int = 1) -> str:
    """Render :func:`agreement` tables as a Markdown report (``level``: the heading depth of the title)."""
    s = result["summary"].iloc[0]
    h = "#" * level
    lines = [f"{h} {title}", ""]
    lines += [f"- gold sentences: {int(s.n_gold)}; mapped to units: {int(s.n_matched)}; unmatched: "
              f"{int(s.n_unmatched)}",
              f"- themes: macro-F1 **{s.macro_f1:.3f}** (mean over the {int(s.n_themes_scored)} themes with at least "
              f"{int(s.min_support)} gold sentences), micro-F1 {s.micro_f1:.3f}",
              f"- instrument type (single dominant type incl. none): Cohen's kappa **{s.kappa:.3f}**, "
              f"accuracy {s.type_accuracy:.3f}", ""]
    lines += [f"{h}# Themes (per category)", "", md_table(result["themes"]), ""]
    lines += [f"{h}# Instrument type", "", md_table(result["types"]), "", "Confusion (rows gold, columns predicted):",
              "", md_table(result["confusion"].reset_index()), ""]
    m = result["matching"]
    kinds = m[m["matched"]]["match"].value_counts()
    lines += [f"{h}# Mapping of gold sentences to units", "",
              "Mapped: " + (", ".join(f"{k} {v}" for k, v in kinds.items()) or "none") + ".", ""]
    um = m[~m["matched"]]
    lines += [md_table(um[["gold_row", "file", "reason"]]) if len(um) else "Unmapped: none.", ""]
    return "\n".join(lines)


def md_table(df: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (floats with three decimals)."""
    cols = [str(c) for c in df.columns]
    out = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in df.itertuples(index=False):
        out.append("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row) + " |")
    return "\n".join(out)
