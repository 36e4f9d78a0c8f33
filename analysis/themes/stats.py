"""Theme and policy-instrument codes -> aggregates: shares by group, the instrument x theme cross-tab, shifts.

Every table keeps the counts its shares rest on (sentences, chars, group totals); the coded rows themselves
(:func:`analysis.themes.code_themes`, :func:`analysis.themes.code_instruments`) are the evidence.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd

from ..errors import ParameterError
from .coding import BY_ALIASES, CUE_SEP, UNIT_COLUMNS, _select_units, _units_frame
from .instrument_scheme import SchemeArg, load_scheme
from .scheme import TaxonomyArg, load_taxonomy

Weight = Literal["sentences", "chars"]


def _by_columns(by, df: pd.DataFrame) -> list[str]:
    if by is None:
        return []
    cols = [BY_ALIASES.get(b, b) for b in ([by] if isinstance(by, str) else list(by))]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ParameterError("by", ",".join(missing), [c for c in df.columns if c not in ("text", "start", "end")],
                             reason="not a column of the units table")
    return cols


def _base(units, coded: pd.DataFrame, by) -> tuple[pd.DataFrame, list[str]]:
    """The denominator units (headings in or out, as when coding) with the group columns and text length."""
    df = _select_units(_units_frame(units), coded.attrs.get("include_headings", True))
    cols = _by_columns(by, df)
    base = df[["doc_id", "unit_id", *[c for c in cols if c not in ("doc_id", "unit_id")]]].copy()
    base["_chars"] = df["text"].astype(str).str.len().to_numpy()
    return base, cols


def _group_label(frame: pd.DataFrame, cols: list[str]) -> pd.Series:
    if not cols:
        return pd.Series("all", index=frame.index, dtype="str")
    parts = [frame[c].astype("string").fillna("NA") for c in cols]
    out = parts[0]
    for p in parts[1:]:
        out = out + " / " + p
    return out.astype("str")


def _shares(base: pd.DataFrame, cols: list[str], coded_units: pd.DataFrame, key: str, categories: pd.DataFrame,
            weight: Weight) -> pd.DataFrame:
    """Per group x category: sentences, chars, share (of all units) and share_of_coded (of units with any code)."""
    if weight not in ("sentences", "chars"):
        raise ParameterError("weight", weight, ("sentences", "chars"))
    gcols = cols or ["_all"]
    if not cols:
        base = base.assign(_all="all")
    totals = base.groupby(gcols, dropna=False, sort=True).agg(group_sentences=("unit_id", "size"),
                                                              group_chars=("_chars", "sum")).reset_index()
    merged = coded_units.merge(base, on="unit_id", how="inner")
    any_coded = merged.drop_duplicates("unit_id").groupby(gcols, dropna=False).agg(
        coded_sentences=("unit_id", "size"), coded_chars=("_chars", "sum")).reset_index()
    counts = merged.groupby([*gcols, key], dropna=False).agg(sentences=("unit_id", "nunique"),
                                                             chars=("_chars", "sum")).reset_index()
    grid = totals.merge(categories, how="cross")
    out = grid.merge(counts, on=[*gcols, key], how="left").merge(any_coded, on=gcols, how="left")
    for c in ("sentences", "chars", "coded_sentences", "coded_chars"):
        out[c] = out[c].fillna(0).astype("int64")
    num, den, cden = (("sentences", "group_sentences", "coded_sentences") if weight == "sentences"
                      else ("chars", "group_chars", "coded_chars"))
    out["share"] = (out[num] / out[den].where(out[den] > 0)).fillna(0.0)
    out["share_of_coded"] = (out[num] / out[cden].where(out[cden] > 0)).fillna(0.0)
    if not cols:
        out = out.drop(columns="_all")
    out.insert(0, "group", _group_label(out, cols))
    return out


def theme_shares(coded: pd.DataFrame, units, *, by: str | Sequence[str] | None = ("place",),
                 weight: Weight = "sentences", taxonomy: TaxonomyArg = None) -> pd.DataFrame:
    """Share of sentences (or characters) coded with each theme, per group.

    Coding is multi-label, so a group's theme shares need not sum to 1: ``share`` is coded sentences / all
    sentences of the group (the group's attention to the theme); ``share_of_coded`` divides by the sentences
    carrying at least one theme instead.

    Parameters
    ----------
    coded
        Output of :func:`code_themes`.
    units
        The Corpus or units table that was coded (the denominators).
    by
        Unit columns to group by (``"doc"`` = doc_id, place, level, part, year, doc_type …); None for one group.
    weight
        ``"sentences"`` or ``"chars"`` (sentences weighted by length): what ``share`` counts.
    taxonomy
        The taxonomy coded with, to list themes that never occur (default: the bundled one).

    Returns
    -------
    DataFrame
        group, the ``by`` columns, theme, label, sentences, chars, share, share_of_coded, group_sentences,
        group_chars, coded_sentences, coded_chars; every theme in every group (zeros included).
        ``attrs['weight']`` names what share counts.
    """
    base, cols = _base(units, coded, by)
    tax = load_taxonomy(taxonomy)
    cats = pd.DataFrame({"theme": tax.ids, "label": [t.label_zh for t in tax.themes]})
    extra = sorted(set(coded["theme"]) - set(tax.ids))
    if extra:
        lab = coded.drop_duplicates("theme").set_index("theme")["label"]
        cats = pd.concat([cats, pd.DataFrame({"theme": extra, "label": [lab[e] for e in extra]})], ignore_index=True)
    out = _shares(base, cols, coded[["unit_id", "theme"]], "theme", cats, weight)
    order = ["group", *cols, "theme", "label", "sentences", "chars", "share", "share_of_coded", "group_sentences",
             "group_chars", "coded_sentences", "coded_chars"]
    out = out[order].sort_values([*cols, "theme"], key=_theme_order(cats["theme"]), kind="stable")
    out = out.reset_index(drop=True)
    out.attrs = {"weight": weight, "by": cols, "taxonomy": tax.source}
    return out


def _theme_order(ids):
    rank = {t: i for i, t in enumerate(ids)}

    def key(s: pd.Series):
        return s.map(rank) if s.name in ("theme", "subtype", "instrument_type") else s
    return key


def dominant_types(coded: pd.DataFrame, units) -> pd.DataFrame:
    """One row per unit with its dominant instrument type (``none`` when it has no sub-type row)."""
    df = _select_units(_units_frame(units), coded.attrs.get("include_headings", True))
    dom = coded.loc[coded["dominant"], ["unit_id", "instrument_type"]].drop_duplicates("unit_id")
    out = df[["doc_id", "unit_id"]].merge(dom, on="unit_id", how="left")
    out["instrument_type"] = out["instrument_type"].fillna("none").astype("str")
    return out


def instrument_shares(coded: pd.DataFrame, units, *, by: str | Sequence[str] | None = ("place",),
                      level: Literal["subtype", "type"] = "subtype", weight: Weight = "sentences",
                      scheme: SchemeArg = None) -> pd.DataFrame:
    """Share of sentences (or characters) coded with each instrument sub-type or dominant type, per group.

    Parameters
    ----------
    coded
        Output of :func:`code_instruments`.
    units
        The Corpus or units table that was coded.
    by
        Unit columns to group by (``"doc"`` = doc_id); None for one group.
    level
        ``"subtype"``: multi-label sub-type codes (shares need not sum to 1). ``"type"``: each sentence's single
        dominant type, with ``none`` included, so the shares of a group sum to 1; subtype is "" there.
    weight
        ``"sentences"`` or ``"chars"``: what ``share`` counts.

    Returns
    -------
    DataFrame
        group, the ``by`` columns, instrument_type, subtype, label, sentences, chars, share, share_of_coded,
        group_sentences, group_chars, coded_sentences, coded_chars. ``attrs``: weight, level.
    """
    if level not in ("subtype", "type"):
        raise ParameterError("level", level, ("subtype", "type"))
    sch = load_scheme(scheme)
    base, cols = _base(units, coded, by)
    tl = sch.type_labels()
    if level == "subtype":
        cats = pd.DataFrame({"subtype": [s.id for s in sch.subtypes],
                             "instrument_type": [s.parent for s in sch.subtypes],
                             "label": [s.label_zh for s in sch.subtypes]})
        out = _shares(base, cols, coded[["unit_id", "subtype"]], "subtype", cats, weight)
        order_ids = [s.id for s in sch.subtypes]
        key_col = "subtype"
    else:
        dom = dominant_types(coded, units)[["unit_id", "instrument_type"]]
        type_ids = [t[0] for t in sch.types] + ["none"]
        cats = pd.DataFrame({"instrument_type": type_ids, "label": [tl.get(t, "无") for t in type_ids]})
        out = _shares(base, cols, dom, "instrument_type", cats, weight)
        # for dominant types "coded" means any type but none
        real = out[out["instrument_type"] != "none"].groupby("group")[["sentences", "chars"]].sum()
        out["coded_sentences"] = out["group"].map(real["sentences"]).fillna(0).astype("int64")
        out["coded_chars"] = out["group"].map(real["chars"]).fillna(0).astype("int64")
        num, cden = ("sentences", "coded_sentences") if weight == "sentences" else ("chars", "coded_chars")
        out["share_of_coded"] = (out[num] / out[cden].where(out[cden] > 0)).fillna(0.0)
        out.loc[out["instrument_type"] == "none", "share_of_coded"] = float("nan")
        out["subtype"] = ""
        order_ids = type_ids
        key_col = "instrument_type"
    order = ["group", *cols, "instrument_type", "subtype", "label", "sentences", "chars", "share", "share_of_coded",
             "group_sentences", "group_chars", "coded_sentences", "coded_chars"]
    rank = {t: i for i, t in enumerate(order_ids)}
    out = out[order].sort_values([*cols, key_col], kind="stable",
                                 key=lambda s: s.map(rank) if s.name == key_col else s).reset_index(drop=True)
    out.attrs = {"weight": weight, "level": level, "by": cols, "scheme": sch.source}
    return out


def instrument_theme_crosstab(themes: pd.DataFrame, instruments: pd.DataFrame, units=None, *,
                              by: str | Sequence[str] | None = None,
                              level: Literal["type", "subtype"] = "type") -> pd.DataFrame:
    """The two-dimensional framework: sentences coded with both an instrument (type or sub-type) and a theme.

    Parameters
    ----------
    themes, instruments
        Outputs of :func:`code_themes` and :func:`code_instruments` on the same units.
    units
        Needed only when ``by`` names a column the coded tables do not carry.
    by
        Optional grouping columns (``"doc"`` = doc_id, city, part …).
    level
        ``"type"``: each sentence's dominant type; ``"subtype"``: every sub-type code (multi-label).

    Returns
    -------
    DataFrame (long)
        group, the ``by`` columns, instrument_type, subtype ("" at type level), theme, label, sentences,
        share (of the group's sentences with both codes), row_share (of the instrument's sentences that carry a
        theme), col_share (of the theme's sentences that carry an instrument).
    """
    if level not in ("type", "subtype"):
        raise ParameterError("level", level, ("type", "subtype"))
    inst = instruments[instruments["dominant"]] if level == "type" else instruments
    inst = inst[["unit_id", "instrument_type", "subtype"]].copy()
    if level == "type":
        inst["subtype"] = ""
        inst = inst.drop_duplicates("unit_id")
    cols: list[str] = []
    th = themes[["unit_id", "doc_id", "theme", "label"] + [c for c in themes.columns if c in UNIT_COLUMNS]]
    if by is not None:
        src = th if units is None else _units_frame(units)
        cols = _by_columns(by, src)
        if units is not None:
            extra = [c for c in cols if c not in th.columns]
            th = th.merge(_units_frame(units)[["unit_id", *extra]], on="unit_id", how="left")
    pair = th.merge(inst, on="unit_id", how="inner")
    gcols = cols or ["_all"]
    if not cols:
        pair = pair.assign(_all="all")
    cell = pair.groupby([*gcols, "instrument_type", "subtype", "theme", "label"], dropna=False).agg(
        sentences=("unit_id", "nunique")).reset_index()
    both = pair.groupby(gcols, dropna=False)["unit_id"].nunique().rename("_both")
    rows = pair.groupby([*gcols, "instrument_type", "subtype"], dropna=False)["unit_id"].nunique().rename("_row")
    colsum = pair.groupby([*gcols, "theme"], dropna=False)["unit_id"].nunique().rename("_col")
    cell = cell.merge(both.reset_index(), on=gcols).merge(rows.reset_index(), on=[*gcols, "instrument_type", "subtype"])
    cell = cell.merge(colsum.reset_index(), on=[*gcols, "theme"])
    cell["share"] = cell["sentences"] / cell["_both"]
    cell["row_share"] = cell["sentences"] / cell["_row"]
    cell["col_share"] = cell["sentences"] / cell["_col"]
    cell = cell.drop(columns=["_both", "_row", "_col"])
    if not cols:
        cell = cell.drop(columns="_all")
    cell.insert(0, "group", _group_label(cell, cols))
    # supply -> environment -> demand (the framework's order), not alphabetical
    rank = {t: i for i, t in enumerate(("supply", "environment", "demand", "none"))}
    cell = cell.sort_values([*cols, "instrument_type", "subtype", "sentences"],
                            ascending=[True] * (len(cols) + 2) + [False], kind="stable",
                            key=lambda s: s.map(rank).fillna(len(rank)) if s.name == "instrument_type" else s
                            ).reset_index(drop=True)
    cell.attrs = {"level": level, "by": cols}
    return cell


def theme_shift(coded: pd.DataFrame, units, *, by: str | Sequence[str] = "doc", weight: Weight = "sentences",
                parts: tuple[str, str] = ("summary", "plan"), normalize: Literal["labels", "sentences"] = "labels",
                taxonomy: TaxonomyArg = None) -> pd.DataFrame:
    """How each theme's share moves from the summary part (what was done) to the plan part (what is planned).

    Only documents that have both parts count; which documents a row rests on is in ``docs``. Column names are
    fixed (``before_*`` = the first part, ``after_*`` = the second; the part names are in ``attrs['parts']``).

    Parameters
    ----------
    coded
        Output of :func:`code_themes`.
    units
        The Corpus or units table that was coded.
    by
        ``"doc"`` (default) or document-level unit columns such as ``"place"``.
    weight
        ``"sentences"`` or ``"chars"``.
    parts
        The (before, after) part names.
    normalize
        ``"labels"`` (default): a theme's share of all theme labels in the part, so the shares of a part sum to 1
        and a part whose sentences carry more labels (plans list several areas per sentence) does not make every
        theme "rise"; ``"sentences"``: the share of the part's sentences coded with the theme (multi-label).

    Returns
    -------
    DataFrame
        group, the ``by`` columns, theme, label, before_count, before_total, before_share, after_count,
        after_total, after_share, shift_pp ((after_share - before_share) * 100, percentage points),
        before_labels_per_sentence, after_labels_per_sentence, n_docs, docs (doc_ids joined by "、").
        ``count`` is sentences (or chars) with the theme; ``total`` the denominator (all labels, or sentences).
        ``attrs``: weight, parts, normalize, by, excluded_docs.
    """
    if normalize not in ("labels", "sentences"):
        raise ParameterError("normalize", normalize, ("labels", "sentences"))
    df = _units_frame(units)
    if "part" not in df.columns:
        raise ParameterError("units", "DataFrame", reason="theme_shift needs the part column")
    src, dst = parts
    has = df.groupby("doc_id")["part"].agg(lambda p: {src, dst} <= set(p))
    both = set(has[has].index)
    sub = df[df["doc_id"].isin(both) & df["part"].isin([src, dst])]
    cols = _by_columns(by, sub)
    shares = theme_shares(coded[coded["unit_id"].isin(set(sub["unit_id"]))], sub, by=[*cols, "part"],
                          weight=weight, taxonomy=taxonomy)
    shares.attrs.clear()
    num = "sentences" if weight == "sentences" else "chars"
    den = "group_sentences" if weight == "sentences" else "group_chars"
    gkey = [*cols, "part"]
    labels = shares.groupby(gkey, dropna=False)[num].transform("sum")
    shares["_per"] = labels / shares[den].where(shares[den] > 0)
    if normalize == "labels":
        shares["share"] = (shares[num] / labels.where(labels > 0)).fillna(0.0)
        shares[den] = labels
    key = [*cols, "theme", "label"]
    a = shares[shares["part"] == src].set_index(key)
    b = shares[shares["part"] == dst].set_index(key)
    out = pd.DataFrame({"before_count": a[num], "before_total": a[den], "before_share": a["share"],
                        "after_count": b[num], "after_total": b[den], "after_share": b["share"],
                        "before_labels_per_sentence": a["_per"], "after_labels_per_sentence": b["_per"]}).reset_index()
    out = out.dropna(subset=["before_share", "after_share"])
    out["shift_pp"] = (out["after_share"] - out["before_share"]) * 100
    out = _with_docs(out, sub, cols)
    tax_ids = load_taxonomy(taxonomy).ids
    rank = {t: i for i, t in enumerate(tax_ids)}
    out = out.sort_values([*cols, "theme"], key=lambda s: s.map(rank).fillna(len(rank)) if s.name == "theme" else s,
                          kind="stable").reset_index(drop=True)
    for c in ("before_count", "before_total", "after_count", "after_total"):
        out[c] = out[c].astype("int64")
    order = ["group", *cols, "theme", "label", "before_count", "before_total", "before_share", "after_count",
             "after_total", "after_share", "shift_pp", "before_labels_per_sentence", "after_labels_per_sentence",
             "n_docs", "docs"]
    out = out[order]
    out.attrs = {"weight": weight, "parts": parts, "normalize": normalize, "by": cols,
                 "excluded_docs": sorted(set(df["doc_id"]) - both)}
    return out


def _with_docs(out: pd.DataFrame, sub: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Add docs (the documents each row rests on), n_docs and the group label."""
    docs = sub.drop_duplicates("doc_id")
    if cols:
        dl = docs.groupby(cols)["doc_id"].agg(lambda s: CUE_SEP.join(sorted(s))).rename("docs").reset_index()
        out = out.merge(dl, on=cols, how="left")
    else:
        out["docs"] = CUE_SEP.join(sorted(docs["doc_id"]))
    out["n_docs"] = out["docs"].str.count(CUE_SEP) + 1
    out.insert(0, "group", _group_label(out, cols))
    return out


def with_groups(coded: pd.DataFrame, units=None, *, by: str | Sequence[str] | None = ("place",)) -> pd.DataFrame:
    """Add the ``group`` label of :func:`theme_shares` / :func:`instrument_shares` to coded rows (the evidence).

    Counting the returned rows per (group, theme) gives the ``sentences`` of the share tables, so every share can
    be traced to its sentences. ``units`` is needed only when ``by`` names a column the coded rows lack.
    """
    cols: list[str] = []
    out = coded
    if by is not None:
        requested = [BY_ALIASES.get(b, b) for b in ([by] if isinstance(by, str) else list(by))]
        lacking = [c for c in requested if c not in coded.columns]
        if lacking:
            if units is None:
                raise ParameterError("by", ",".join(lacking), list(coded.columns), reason="not a column of the codes")
            src = _units_frame(units)
            cols_ok = _by_columns(lacking, src)
            out = coded.merge(src[["unit_id", *cols_ok]], on="unit_id", how="left")
        cols = requested
    out = out.copy()
    out.insert(0, "group", _group_label(out, cols))
    out.attrs = dict(coded.attrs)
    return out
