"""Units -> indicator values with year, kind and provenance.

``extract_metrics`` reads every sentence unit with the catalogue (``resources/indicators.yaml``) and the number
grammar (:mod:`.numbers`); the attribution rules are in :mod:`.attribution`. Every row
carries ``doc_id``, ``unit_id``, the ``quote`` and its ``start``/``end`` offsets into ``docs.text``, so
``docs.text[start:end] == quote``: a reader can go from any number back to its sentence.
"""
from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..errors import AnalysisWarning, ParameterError
from ..gazetteer import place_pattern
from .attribution import attribute_sentence, is_plan_like
from .catalogue import Catalogue, load_catalogue
from .cues import Context, plan_period_end, review_years

__all__ = ["extract_metrics", "METRIC_COLUMNS"]

#: Columns of :func:`extract_metrics`, in order.
METRIC_COLUMNS = ("doc_id", "unit_id", "place", "level", "city", "indicator", "label", "value", "unit", "low", "high",
                  "qualifier", "year", "kind", "period", "tier", "quote", "start", "end", "number", "number_start", "number_end",
                  "sentence", "part", "path", "file", "alias", "year_source", "kind_cue")
_UNIT_REQUIRED = ("doc_id", "unit_id", "text", "start")
_HEADING_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")


def _resolve_catalogue(catalogue: Catalogue | str | Path | None, indicators: Sequence[str] | None) -> Catalogue:
    cat = catalogue if isinstance(catalogue, Catalogue) else load_catalogue(catalogue)
    if indicators:
        cat = cat.subset(list(indicators))
    return cat


def _int_or_none(x) -> int | None:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return None
    try:
        return int(x)
    except (TypeError, ValueError):
        return None


def _attribute(u, text: str, cat: Catalogue, ctx: Context, own: dict, places) -> list:
    """One sentence's values; a rule that raises is reported (one warning naming doc and unit), not hidden."""
    try:
        return attribute_sentence(text, cat, context=ctx, city=own.get("city"), place=own.get("place"),
                                  other_places=places)
    except Exception as exc:  # noqa: BLE001 — one bad sentence must not stop a corpus; the warning names it
        warnings.warn(f"metrics: attribution failed in doc {u.doc_id}, unit {u.unit_id}: {exc!r}",
                      AnalysisWarning, stacklevel=3)
        return []


_SENTENCE_END = tuple("。！？；!?;:：")
_WRAP_COLUMNS = ("para_id", "sent_no", "end", "is_heading", "section_id")


def _wraps(u, v) -> bool:
    """Whether unit ``v`` continues ``u`` across a line break: ``u`` ends its line without ending its sentence,
    ``v`` opens the next line of the same section, and only the line break lies between them."""
    return (v.doc_id == u.doc_id and v.para_id == u.para_id + 1 and v.sent_no == 0 and not u.is_heading
            and not v.is_heading and v.section_id == u.section_id and int(v.start) - int(u.end) == 1
            and isinstance(u.text, str) and isinstance(v.text, str) and not u.text.rstrip().endswith(_SENTENCE_END))


def _sentences(units: pd.DataFrame, cols: set):
    """(first unit, sentence text, [(offset in the text, unit_id)]) per sentence. A sentence wrapped over lines
    (``研发经费投入强度`` / ``达到2.2%。``, as in texts saved with hard line breaks) is read whole, joined by its line
    break, so offsets into it are offsets from the first unit's start."""
    rows = list(units.itertuples(index=False))
    can_join = all(c in cols for c in _WRAP_COLUMNS)
    i = 0
    while i < len(rows):
        u = rows[i]
        text, pieces, j = u.text, [(0, u.unit_id)], i
        while can_join and isinstance(text, str) and text and j + 1 < len(rows) and _wraps(rows[j], rows[j + 1]):
            j += 1
            pieces.append((len(text) + 1, rows[j].unit_id))
            text = text + "\n" + rows[j].text
        i = j + 1
        if isinstance(text, str) and text:
            yield u, text, pieces


def _str(x) -> str | None:
    return x if isinstance(x, str) and x else None


def _doc_contexts(units: pd.DataFrame) -> dict:
    """Per document: the summary year and whether its review spans five years (``过去五年`` in a summary heading)."""
    out = {}
    cols = set(units.columns)
    for doc_id, g in units.groupby("doc_id", sort=False):
        summ = g[g["part"] == "summary"] if "part" in cols else g.iloc[0:0]
        years = summ["year"].dropna() if "year" in cols else []
        heads = " ".join(summ["section_path"].dropna().astype(str).unique()) if "section_path" in cols else ""
        out[doc_id] = (_int_or_none(years.iloc[0]) if len(years) else None, review_years(heads))
    return out


def _later_year(heading: str | None, year: int | None) -> int | None:
    """The last year a heading names after ``year`` (``二、2025年工作计划`` in a 2024 summary -> 2025), or None."""
    later = [y for y in map(int, _HEADING_YEAR_RE.findall(heading or "")) if year is None or y > year]
    return later[-1] if later else None


def _context(u, cols: set, docctx: dict) -> Context:
    part = getattr(u, "part", None) if "part" in cols else None
    section_path = _str(getattr(u, "section_path", None)) if "section_path" in cols else None
    summary_year, review = docctx.get(u.doc_id, (None, 1))
    if part == "summary" and section_path is not None:
        review = review_years(section_path) if review_years(section_path) > 1 else review
    plan_like = is_plan_like(part, section_path)
    year = _int_or_none(getattr(u, "year", None)) if "year" in cols else None
    if plan_like and part != "plan":  # a plan section of a summary (二、2025年工作计划) plans the year it names
        year = _later_year(section_path, year) or year
    return Context(year=year, plan_like=plan_like,
                   review_years=review if part == "summary" else 1, summary_year=summary_year,
                   plan_end=plan_period_end((section_path or "") + u.text) if plan_like else None)


def extract_metrics(units, *, catalogue: Catalogue | str | Path | None = None, docs: pd.DataFrame | None = None,
                    indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """Every catalogued indicator value stated in the units, one row per value.

    Parameters
    ----------
    units : the corpus units (columns doc_id, unit_id, text, start, and where present city, part, year,
        section_path), or a Corpus (its docs are then used for ``path``/``file``).
    catalogue : a Catalogue, a path to a catalogue YAML, or None for the bundled ``indicators.yaml``.
    docs : the corpus docs, to add ``path`` and ``file`` (optional).
    indicators : restrict to these indicator ids.

    Returns
    -------
    DataFrame with :data:`METRIC_COLUMNS`: ``value`` in the indicator's unit (money converted), ``low``/``high``
    the bounds the hedge implies, ``qualifier`` exact | lower_bound | upper_bound | approx | range, ``kind``
    actual | estimate | target, ``quote`` the clause(s) stating the value with ``start``/``end`` offsets into
    the document text, ``number`` the numeral as written with its own offsets. ``attrs["catalogue"]`` names the
    catalogue file.
    """
    if hasattr(units, "units") and hasattr(units, "docs"):
        docs = units.docs if docs is None else docs
        units = units.units
    if not isinstance(units, pd.DataFrame):
        raise ParameterError("units", type(units).__name__, reason="expected a units DataFrame or a Corpus")
    missing = [c for c in _UNIT_REQUIRED if c not in units.columns]
    if missing:
        raise ParameterError("units", f"columns {list(units.columns)[:6]}…",
                             reason=f"missing column(s) {', '.join(missing)}")
    cat = _resolve_catalogue(catalogue, indicators)
    places = place_pattern()
    doc_info: dict[str, tuple[str | None, str | None]] = {}
    if docs is not None and len(docs):
        for row in docs.itertuples(index=False):
            doc_info[row.doc_id] = (getattr(row, "path", None), getattr(row, "file", None))
    rows = []
    cols = set(units.columns)
    docctx = _doc_contexts(units)
    for u, text, pieces in _sentences(units, cols):
        own = {c: _str(getattr(u, c, None)) for c in ("place", "level", "city") if c in cols}
        found = _attribute(u, text, cat, _context(u, cols, docctx), own, places)
        ustart = int(u.start)
        path, file = doc_info.get(u.doc_id, (None, None))
        for a in found:
            unit_id = next(uid for off, uid in reversed(pieces) if off <= a.quantity.start)
            rows.append({
                "doc_id": u.doc_id, "unit_id": unit_id, "place": own.get("place"), "level": own.get("level"),
                "city": own.get("city"), "indicator": a.indicator.id, "label": a.indicator.label_zh,
                "value": a.value, "unit": a.unit, "low": a.low, "high": a.high, "qualifier": a.quantity.qualifier,
                "year": a.year, "kind": a.kind, "period": a.period, "tier": a.tier,
                "quote": text[a.quote_start:a.quote_end], "start": ustart + a.quote_start,
                "end": ustart + a.quote_end, "number": a.quantity.raw, "number_start": ustart + a.quantity.start,
                "number_end": ustart + a.quantity.end, "sentence": text,
                "part": getattr(u, "part", None) if "part" in cols else None, "path": path, "file": file,
                "alias": a.alias, "year_source": a.year_source, "kind_cue": a.kind_cue})
    df = pd.DataFrame(rows, columns=list(METRIC_COLUMNS))
    df["year"] = df["year"].astype("Int64")
    for c in ("value", "low", "high"):
        df[c] = df[c].astype("float64")
    for c in ("start", "end", "number_start", "number_end"):
        df[c] = df[c].astype("int64")
    for c in ("place", "level", "city", "period", "tier", "part", "path", "file"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    df = df.sort_values(["doc_id", "start", "number_start"], kind="stable").reset_index(drop=True)
    df.attrs["catalogue"] = cat.source
    return df
