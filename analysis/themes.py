"""Units -> policy-theme and policy-instrument codes with evidence, and their aggregates.

Coding is dictionary-based and transparent: a sentence gets a theme (or an instrument sub-type) when one of the
category's cue strings occurs in it, and the matched cues are kept as evidence. Cues are matched as substrings of
the unit text, without word segmentation, on purpose: institution names such as 松山湖材料实验室 or
中山先进低温技术研究院 must match the cues 实验室 / 研究院, which a segmenter keeps as one token or splits
unpredictably; and the researcher editing the YAML sees exactly what will match.

The taxonomy (``resources/themes.yaml``) and the instrument scheme (``resources/instruments.yaml``) are data:
pass your own file (or a mapping) as ``taxonomy=`` / ``scheme=`` to replace them. Aggregates (shares, the
instrument x theme cross-tab, summary-vs-plan shifts) are in :mod:`analysis.theme_stats`, validation against
hand-coded gold in :mod:`analysis.theme_agreement`, unsupervised topics in :mod:`analysis.topics`.

Heading units are coded like any sentence (``include_headings=True``): a heading such as
"(一)坚持和加强党的全面领导,推动党建与业务互融互促" states what its section is about, which is what a human coder
reads too; the ``is_heading`` column lets you drop them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .config import resource_path
from .errors import ParameterError, ResourceError

#: Unit columns carried into coded tables (when present) so that every code can be shown with its evidence.
UNIT_COLUMNS = ("city", "part", "year", "doc_type", "is_heading", "section_path", "text", "start", "end")
INSTRUMENT_TYPES = ("supply", "environment", "demand")
BY_ALIASES = {"doc": "doc_id", "document": "doc_id", "unit": "unit_id"}
CUE_SEP = "、"


# ------------------------------------------------------------------------------------------------ schemes
@dataclass(frozen=True)
class Cue:
    """One cue: a substring (``regex=False``) or a regular expression, with its own exclusions."""

    name: str
    pattern: re.Pattern
    exclude: tuple[str, ...] = ()
    weight: float = 1.0
    parts: tuple[str, ...] = ()  # only in units of these parts (e.g. plan); empty = everywhere

    def applies(self, part: str | None) -> bool:
        return not self.parts or part in self.parts


@dataclass(frozen=True)
class Category:
    """A theme or an instrument sub-type: its id, labels, cues and exclusions."""

    id: str
    label_zh: str
    label_en: str
    cues: tuple[Cue, ...]
    exclude: tuple[str, ...] = ()
    exclude_sentence: tuple[str, ...] = ()
    parent: str | None = None  # the instrument type of a sub-type
    any_cue: re.Pattern | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        # one alternation of all cues: most sentences match no cue of most categories, and one search says so
        alternation = "|".join(f"(?:{c.pattern.pattern})" for c in self.cues)
        object.__setattr__(self, "any_cue", re.compile(alternation))

    def match(self, text: str, part: str | None = None) -> list[tuple[int, int, str, float]]:
        """Return the cue matches in ``text`` as (start, end, matched text, weight), nested matches dropped.

        ``part`` is the unit's part (summary, plan …): cues restricted to other parts do not match.
        """
        if not self.any_cue.search(text):
            return []
        if self.exclude_sentence and any(s in text for s in self.exclude_sentence):
            return []
        veto = _spans(text, self.exclude)
        hits = []
        for cue in self.cues:
            if not cue.applies(part):
                continue
            cue_veto = veto + _spans(text, cue.exclude) if cue.exclude else veto
            for m in cue.pattern.finditer(text):
                s, e = m.span()
                if e > s and not any(vs < e and s < ve for vs, ve in cue_veto):
                    # the evidence is the text matched (for a regex cue too), so it can be found in the sentence
                    hits.append((s, e, m.group(0), cue.weight))
        # a shorter cue inside a longer matched cue (实验室 inside 重点实验室) is one piece of evidence, not two
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, str, float]] = []
        for h in hits:
            if not any(k[0] <= h[0] and h[1] <= k[1] for k in kept):
                kept.append(h)
        return kept


def _spans(text: str, needles: Sequence[str]) -> list[tuple[int, int]]:
    out = []
    for n in needles:
        i = text.find(n)
        while i >= 0:
            out.append((i, i + len(n)))
            i = text.find(n, i + 1)
    return out


@dataclass(frozen=True)
class Taxonomy:
    """The theme taxonomy: an ordered tuple of categories and where it came from."""

    themes: tuple[Category, ...]
    source: str = "<mapping>"

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def labels(self, lang: str = "zh") -> dict[str, str]:
        return {t.id: (t.label_zh if lang == "zh" else t.label_en) for t in self.themes}


@dataclass(frozen=True)
class InstrumentScheme:
    """The policy-instrument scheme: types, their sub-types, the decision rule's cue lists and tie order."""

    types: tuple[tuple[str, str, str], ...]  # (id, label_zh, label_en)
    subtypes: tuple[Category, ...]
    priority: tuple[str, ...]
    action_cues: tuple[str, ...]
    non_policy: tuple[Cue, ...]
    scoring: str = "hits"  # "hits": sum of cue weights; "subtypes": per sub-type, its largest cue weight
    source: str = "<mapping>"

    def non_policy_match(self, text: str, part: str | None = None) -> str | None:
        """The first ``non_policy`` cue found in the sentence (None if there is none)."""
        for cue in self.non_policy:
            if cue.applies(part) and cue.pattern.search(text):
                return cue.name
        return None

    def type_labels(self, lang: str = "zh") -> dict[str, str]:
        return {t[0]: (t[1] if lang == "zh" else t[2]) for t in self.types}


TaxonomyArg = str | Path | Mapping | Taxonomy | None
SchemeArg = str | Path | Mapping | InstrumentScheme | None


def _read_yaml(arg, default_name: str) -> tuple[Any, str]:
    path = Path(arg) if arg is not None else resource_path(default_name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        return yaml.safe_load(text), str(path)
    except yaml.YAMLError as exc:
        raise ResourceError(path, f"not valid YAML: {exc}") from exc


def _str_list(value, where: str, source: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ResourceError(source, f"{where} must be a list of non-empty strings")
    return tuple(value)


def _cue(entry, where: str, source: str) -> Cue:
    if isinstance(entry, (str, int, float)) and str(entry):
        s = str(entry)
        return Cue(s, re.compile(re.escape(s)))
    if isinstance(entry, Mapping):
        exclude = _str_list(entry.get("exclude"), f"{where}.exclude", source)
        try:
            weight = float(entry.get("weight", 1))
        except (TypeError, ValueError):
            raise ResourceError(source, f"{where}: weight must be a number") from None
        parts = _str_list(entry.get("parts"), f"{where}.parts", source)
        if "regex" in entry:
            try:
                pattern = re.compile(str(entry["regex"]))
            except re.error as exc:
                raise ResourceError(source, f"{where}: bad regex {entry['regex']!r}: {exc}") from None
            return Cue(str(entry.get("name") or entry["regex"]), pattern, exclude, weight, parts)
        if entry.get("cue"):
            s = str(entry["cue"])
            return Cue(s, re.compile(re.escape(s)), exclude, weight, parts)
    raise ResourceError(source, f"{where}: a cue is a string or a mapping with 'cue' or 'regex', got {entry!r}")


def _category(entry, where: str, source: str, parent: str | None = None) -> Category:
    if not isinstance(entry, Mapping) or not entry.get("id"):
        raise ResourceError(source, f"{where}: each entry needs an id")
    cid = str(entry["id"])
    cues = entry.get("cues")
    if not isinstance(cues, list) or not cues:
        raise ResourceError(source, f"{where} ({cid}): needs a non-empty list of cues")
    return Category(
        id=cid, label_zh=str(entry.get("label_zh") or cid), label_en=str(entry.get("label_en") or cid),
        cues=tuple(_cue(c, f"{where} ({cid}) cue {i}", source) for i, c in enumerate(cues)),
        exclude=_str_list(entry.get("exclude"), f"{where} ({cid}).exclude", source),
        exclude_sentence=_str_list(entry.get("exclude_sentence"), f"{where} ({cid}).exclude_sentence", source),
        parent=parent)


def load_taxonomy(taxonomy: TaxonomyArg = None) -> Taxonomy:
    """Load a theme taxonomy.

    Parameters
    ----------
    taxonomy
        A YAML file path, an already parsed mapping (``{"themes": [...]}``), a :class:`Taxonomy`, or None for the
        bundled ``resources/themes.yaml``.

    Returns
    -------
    Taxonomy
    """
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    if isinstance(taxonomy, Mapping):
        data, source = taxonomy, "<mapping>"
    else:
        data, source = _read_yaml(taxonomy, "themes.yaml")
    if not isinstance(data, Mapping) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise ResourceError(source, "expected a mapping with a non-empty 'themes' list")
    themes = tuple(_category(t, f"themes[{i}]", source) for i, t in enumerate(data["themes"]))
    ids = [t.id for t in themes]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise ResourceError(source, f"duplicate theme ids: {', '.join(dup)}")
    return Taxonomy(themes, source)


def load_scheme(scheme: SchemeArg = None) -> InstrumentScheme:
    """Load a policy-instrument scheme.

    Parameters
    ----------
    scheme
        A YAML file path, a parsed mapping, an :class:`InstrumentScheme`, or None for ``resources/instruments.yaml``.

    Returns
    -------
    InstrumentScheme
    """
    if isinstance(scheme, InstrumentScheme):
        return scheme
    if isinstance(scheme, Mapping):
        data, source = scheme, "<mapping>"
    else:
        data, source = _read_yaml(scheme, "instruments.yaml")
    if not isinstance(data, Mapping) or not isinstance(data.get("types"), list) or not data["types"]:
        raise ResourceError(source, "expected a mapping with a non-empty 'types' list")
    types, subtypes = [], []
    for i, t in enumerate(data["types"]):
        if not isinstance(t, Mapping) or not t.get("id") or not isinstance(t.get("subtypes"), list):
            raise ResourceError(source, f"types[{i}]: needs an id and a list of subtypes")
        tid = str(t["id"])
        if tid == "none":
            raise ResourceError(source, "'none' is reserved for sentences without an instrument")
        types.append((tid, str(t.get("label_zh") or tid), str(t.get("label_en") or tid)))
        subtypes += [_category(s, f"types[{i}].subtypes[{j}]", source, parent=tid) for j, s in enumerate(t["subtypes"])]
    type_ids = [t[0] for t in types]
    sub_ids = [s.id for s in subtypes]
    dup = sorted({i for i in type_ids + sub_ids if (type_ids + sub_ids).count(i) > 1})
    if dup:
        raise ResourceError(source, f"duplicate type or subtype ids: {', '.join(dup)}")
    priority = _str_list(data.get("priority"), "priority", source) or tuple(type_ids)
    unknown = [p for p in priority if p not in type_ids]
    if unknown:
        raise ResourceError(source, f"priority names unknown types: {', '.join(unknown)}")
    priority = priority + tuple(t for t in type_ids if t not in priority)
    scoring = str(data.get("scoring", "hits"))
    if scoring not in ("hits", "subtypes"):
        raise ResourceError(source, f"scoring must be 'hits' or 'subtypes', got {scoring!r}")
    non_policy = data.get("non_policy") or []
    if not isinstance(non_policy, list):
        raise ResourceError(source, "non_policy must be a list of cues")
    return InstrumentScheme(tuple(types), tuple(subtypes), priority,
                            _str_list(data.get("action_cues"), "action_cues", source),
                            tuple(_cue(c, f"non_policy[{i}]", source) for i, c in enumerate(non_policy)),
                            scoring, source)


# ------------------------------------------------------------------------------------------------ coding
def _units_frame(units) -> pd.DataFrame:
    df = units.units if hasattr(units, "units") and hasattr(units, "docs") else units
    if not isinstance(df, pd.DataFrame):
        raise ParameterError("units", type(df).__name__, reason="expected a Corpus or a units DataFrame")
    missing = [c for c in ("doc_id", "unit_id", "text") if c not in df.columns]
    if missing:
        raise ParameterError("units", "DataFrame", reason=f"missing columns: {', '.join(missing)}")
    return df


def _select_units(df: pd.DataFrame, include_headings: bool) -> pd.DataFrame:
    if not include_headings and "is_heading" in df.columns:
        df = df[~df["is_heading"].astype(bool)]
    return df


def _carry(df: pd.DataFrame) -> list[str]:
    return [c for c in UNIT_COLUMNS if c in df.columns]


def code_themes(units, *, taxonomy: TaxonomyArg = None, include_headings: bool = True) -> pd.DataFrame:
    """Code every sentence unit with the themes whose cues it contains (multi-label), keeping the evidence.

    Parameters
    ----------
    units
        A Corpus or its units DataFrame (needs doc_id, unit_id, text; other unit columns are carried).
    taxonomy
        Theme taxonomy (path, mapping or :class:`Taxonomy`); default the bundled ``themes.yaml``.
    include_headings
        Code heading units too (default; see the module docstring).

    Returns
    -------
    DataFrame
        One row per (unit, theme): doc_id, unit_id, theme, label (Chinese), label_en, cues (matched cue strings
        joined by "、", in text order), n_hits (cue occurrences), then the unit columns city, part, year,
        doc_type, is_heading, section_path, text, start, end (those present). ``attrs['taxonomy']`` is the source.
    """
    tax = load_taxonomy(taxonomy)
    df = _select_units(_units_frame(units), include_headings)
    carry = _carry(df)
    rows = []
    for pos, (text, part) in enumerate(zip(df["text"].astype(str), _parts(df))):
        for theme in tax.themes:
            hits = theme.match(text, part)
            if hits:
                rows.append((pos, theme.id, theme.label_zh, theme.label_en, _cue_list(hits), len(hits)))
    out = pd.DataFrame(rows, columns=["_pos", "theme", "label", "label_en", "cues", "n_hits"])
    out["_pos"] = out["_pos"].astype("int64")
    base = df[["doc_id", "unit_id", *carry]].reset_index(drop=True)
    out = pd.concat([base.iloc[out["_pos"]].reset_index(drop=True), out.drop(columns="_pos")], axis=1)
    out = out[["doc_id", "unit_id", "theme", "label", "label_en", "cues", "n_hits", *carry]]
    out.attrs = {"taxonomy": tax.source, "include_headings": include_headings}
    return out


def _parts(df: pd.DataFrame) -> list[str | None]:
    return df["part"].astype(str).tolist() if "part" in df.columns else [None] * len(df)


def _cue_list(hits) -> str:
    seen: list[str] = []
    for h in hits:
        if h[2] not in seen:
            seen.append(h[2])
    return CUE_SEP.join(seen)


def classify_instruments(units, *, scheme: SchemeArg = None, include_headings: bool = True) -> pd.DataFrame:
    """Give every sentence unit one dominant policy-instrument type (or ``none``) with the rule's evidence.

    The rule (documented in ``instruments.yaml``): a sentence matching a ``non_policy`` cue, or containing none
    of the ``action_cues``, is ``none``; otherwise the type with the highest score (``scoring: hits``: sum of cue
    weights over its sub-types; ``subtypes``: one per matched sub-type) wins, ties broken by the scheme's
    ``priority``; no cue hit -> ``none``.

    Parameters
    ----------
    units
        A Corpus or its units DataFrame (needs doc_id, unit_id, text; ``part`` enables part-restricted cues).
    scheme
        Instrument scheme (path, mapping or :class:`InstrumentScheme`); default the bundled ``instruments.yaml``.
    include_headings
        Classify heading units too (default).

    Returns
    -------
    DataFrame
        One row per unit: doc_id, unit_id, instrument_type (a type id or "none"), type_label, subtypes
        (matched sub-type ids joined by "、"), cues ("subtype:cue" pairs; "non_policy:cue" first when that rule
        fired), hits_<type> per type (the scores compared), reason (non_policy | no_action | no_cue | most_hits |
        tie), then the unit columns.
    """
    sch = load_scheme(scheme)
    df = _select_units(_units_frame(units), include_headings)
    out, _ = _classify(df, sch)
    out.attrs = {"scheme": sch.source, "include_headings": include_headings}
    return out


def _classify(df: pd.DataFrame, sch: InstrumentScheme) -> tuple[pd.DataFrame, list]:
    """The per-unit table of :func:`classify_instruments` and every unit's sub-type matches."""
    carry = _carry(df)
    type_ids = [t[0] for t in sch.types]
    labels = sch.type_labels()
    records, all_matches = [], []
    for text, part in zip(df["text"].astype(str), _parts(df)):
        matches = _subtype_matches(text, sch, part)
        all_matches.append(matches)
        hits = {t: 0.0 for t in type_ids}
        for sub, h in matches:
            hits[sub.parent] += sum(x[3] for x in h) if sch.scoring == "hits" else max(x[3] for x in h)
        subtypes = CUE_SEP.join(sub.id for sub, _ in matches)
        cues = CUE_SEP.join(f"{sub.id}:{c}" for sub, h in matches for c in _cue_list(h).split(CUE_SEP))
        veto = sch.non_policy_match(text, part)
        if veto:
            itype, reason = "none", "non_policy"
            cues = f"non_policy:{veto}" + (CUE_SEP + cues if cues else "")
        elif not any(s in text for s in sch.action_cues):
            itype, reason = "none", "no_action"
        elif not matches:
            itype, reason = "none", "no_cue"
        else:
            best = max(hits.values())
            top = [t for t in sch.priority if hits[t] == best]
            itype, reason = top[0], "most_hits" if len(top) == 1 else "tie"
        records.append((itype, labels.get(itype, "无"), subtypes, cues, *[hits[t] for t in type_ids], reason))
    out = pd.DataFrame(records, columns=["instrument_type", "type_label", "subtypes", "cues",
                                         *[f"hits_{t}" for t in type_ids], "reason"])
    base = df[["doc_id", "unit_id", *carry]].reset_index(drop=True)
    return pd.concat([base[["doc_id", "unit_id"]], out, base[carry]], axis=1), all_matches


def _subtype_matches(text: str, sch: InstrumentScheme, part: str | None = None) -> list[tuple[Category, list]]:
    out = []
    for sub in sch.subtypes:
        h = sub.match(text, part)
        if h:
            out.append((sub, h))
    return out


def code_instruments(units, *, scheme: SchemeArg = None, include_headings: bool = True) -> pd.DataFrame:
    """Code every sentence unit with the policy-instrument sub-types whose cues it contains (multi-label).

    Sentences the rule of :func:`classify_instruments` sets to ``none`` (no government action, or internal
    Party/agency affairs) get no sub-type rows: a cue word alone does not make a policy instrument.

    Returns
    -------
    DataFrame
        One row per (unit, sub-type): doc_id, unit_id, instrument_type, type_label, subtype, label, label_en,
        cues, n_hits, dominant (this row's type is the sentence's dominant type), then the unit columns.
    """
    sch = load_scheme(scheme)
    df = _select_units(_units_frame(units), include_headings)
    carry = _carry(df)
    sentence, matches = _classify(df, sch)
    type_labels = sch.type_labels()
    rows = []
    for pos, (dominant, unit_matches) in enumerate(zip(sentence["instrument_type"], matches)):
        if dominant == "none":
            continue
        for sub, h in unit_matches:
            rows.append((pos, sub.parent, type_labels[sub.parent], sub.id, sub.label_zh, sub.label_en,
                         _cue_list(h), len(h), sub.parent == dominant))
    out = pd.DataFrame(rows, columns=["_pos", "instrument_type", "type_label", "subtype", "label", "label_en",
                                      "cues", "n_hits", "dominant"])
    out["_pos"] = out["_pos"].astype("int64")
    out["dominant"] = out["dominant"].astype(bool)
    base = df[["doc_id", "unit_id", *carry]].reset_index(drop=True)
    out = pd.concat([base.iloc[out["_pos"]].reset_index(drop=True), out.drop(columns="_pos")], axis=1)
    out = out[["doc_id", "unit_id", "instrument_type", "type_label", "subtype", "label", "label_en", "cues",
               "n_hits", "dominant", *carry]]
    out.attrs = {"scheme": sch.source, "include_headings": include_headings}
    return out

