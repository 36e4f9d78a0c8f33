"""Units -> policy-theme and policy-instrument codes with evidence, and their aggregates.

Coding is dictionary-based and transparent: a sentence gets a theme (or an instrument sub-type) when one of the
category's cue strings occurs in it, and the matched cues are kept as evidence. Cues are matched as substrings of
the unit text, without word segmentation, on purpose: institution names such as 松山湖材料实验室 or
中山先进低温技术研究院 must match the cues 实验室 / 研究院, which a segmenter keeps as one token or splits
unpredictably; and the researcher editing the YAML sees exactly what will match.

The taxonomy (``resources/themes.yaml``) and the instrument scheme (``resources/instruments.yaml``) are data:
pass your own file (or a mapping) as ``taxonomy=`` / ``scheme=`` to replace them. Aggregates (shares, the
instrument x theme cross-tab, summary-vs-plan shifts) are in :mod:`analysis.themes.stats`, validation against
hand-coded gold in :mod:`analysis.evaluation.themes`, unsupervised topics in :mod:`analysis.themes.topics`.

Heading units are coded like any sentence (``include_headings=True``): a heading such as
"(一)坚持和加强党的全面领导,推动党建与业务互融互促" states what its section is about, which is what a human coder
reads too; the ``is_heading`` column lets you drop them.
"""
from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd

from ..corpus.model import units_of
from .instrument_scheme import InstrumentScheme, SchemeArg, load_scheme
from .matcher import CueIndex, UnitMatches
from .scheme import Scope, Taxonomy, TaxonomyArg, load_taxonomy

#: Unit columns carried into coded tables (when present) so that every code can be shown with its evidence.
UNIT_COLUMNS = ("city", "part", "year", "doc_type", "is_heading", "section_path", "text", "start", "end")
BY_ALIASES = {"doc": "doc_id", "document": "doc_id", "unit": "unit_id"}
CUE_SEP = "、"


def _units_frame(units) -> pd.DataFrame:
    return units_of(units, required=("doc_id", "unit_id", "text"))


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
    for pos, (m, dt) in enumerate(zip(_scan(df, _theme_index(tax)), _doc_types(df))):
        for ci, theme, hits in _theme_hits(m, tax, tax.scope_for(dt)):
            if hits:
                rows.append((pos, theme.id, theme.label_zh, theme.label_en, _cue_list(hits), len(hits)))
    out = pd.DataFrame(rows, columns=["_pos", "theme", "label", "label_en", "cues", "n_hits"])
    out["_pos"] = out["_pos"].astype("int64")
    base = df[["doc_id", "unit_id", *carry]].reset_index(drop=True)
    out = pd.concat([base.iloc[out["_pos"]].reset_index(drop=True), out.drop(columns="_pos")], axis=1)
    out = out[["doc_id", "unit_id", "theme", "label", "label_en", "cues", "n_hits", *carry]]
    if tax.complement:  # the supervised complement, switched on in themes.yaml: adds themes with evidence
        from .complement import complement_themes, load_complement

        out = complement_themes(out, df.reset_index(drop=True), load_complement(*tax.complement), labels=tax.labels())
    out.attrs = {"taxonomy": tax.source, "include_headings": include_headings}
    return out


def _index(owner, categories, extra=None) -> CueIndex:
    """The automaton of a taxonomy or scheme, built once per loaded object (they are immutable)."""
    index = owner.__dict__.get("_cue_index")
    if index is None:
        index = CueIndex(categories, extra)
        object.__setattr__(owner, "_cue_index", index)
    return index


def _theme_index(tax: Taxonomy) -> CueIndex:
    scopes = [tax.scope] + [v for r in tax.genre_rules for k, v in r.settings if k == "scope" and v is not None]
    extra = {"anchor": [a for sc in scopes if sc for a in sc.anchors],
             "slogan": [x for sc in scopes if sc for x in sc.slogans],
             "field": [x for sc in scopes if sc for x in sc.fields]}
    return _index(tax, tax.themes, extra)


def _doc_types(df: pd.DataFrame) -> list[str | None]:
    return df["doc_type"].astype(str).tolist() if "doc_type" in df.columns else [None] * len(df)


_CLAUSE = re.compile(r"[^，,；;：:。！？!?]+")


def _anchors(m: UnitMatches, scope: Scope) -> list[tuple[int, int, str]]:
    """The S&T anchors of a sentence that lie outside every slogan span."""
    slogans = [x for x in m.spans("slogan") if x[2] in scope.slogans]
    return [a for a in m.spans("anchor")
            if a[2] in scope.anchors and not any(s <= a[0] and a[1] <= e for s, e, _ in slogans)]


def scope_evidence(m: UnitMatches, scope: Scope) -> str | None:
    """The S&T anchors that put a sentence in scope ("、"-joined), or None when it is about another policy field.

    The rule (see :class:`~analysis.themes.scheme.Scope`): an anchor outside every slogan span, and, in a long
    sentence, anchors in at least ``min_share`` of its clauses.
    """
    anchors = _anchors(m, scope)
    if not anchors:
        return None
    clauses = [c.span() for c in _CLAUSE.finditer(m.text)]
    share = sum(any(cs <= a[0] < ce for a in anchors) for cs, ce in clauses) / len(clauses) if clauses else 1.0
    if scope.min_chars and len(m.text) >= scope.min_chars and share < scope.min_share:
        return None
    if share < scope.field_share and _field_subject(m, clauses, anchors, scope):
        return None
    return CUE_SEP.join(dict.fromkeys(a[2] for a in anchors))


def _field_subject(m: UnitMatches, clauses, anchors, scope: Scope) -> bool:
    """True when the sentence's first clause names another policy field (就业, 外贸 …) and no S&T anchor."""
    if not scope.fields or not clauses:
        return False
    cs, ce = clauses[0]
    fields = [f for f in m.spans("field") if f[2] in scope.fields and cs <= f[0] < ce]
    return bool(fields) and not any(cs <= a[0] < ce for a in anchors)


def _about_other_field(m: UnitMatches, scope: Scope) -> bool:
    """A sentence whose subject is another policy field and whose clauses are mostly without S&T anchors."""
    anchors = _anchors(m, scope)
    clauses = [c.span() for c in _CLAUSE.finditer(m.text)]
    share = sum(any(cs <= a[0] < ce for a in anchors) for cs, ce in clauses) / len(clauses) if clauses else 1.0
    return share < scope.field_share and _field_subject(m, clauses, anchors, scope)


def _theme_hits(m: UnitMatches, tax: Taxonomy, scope: Scope | None, every: bool = True):
    """(index, theme, hits) for every theme of one sentence, in order (a generator), the scope rule applied: out of
    scope, only ``scope_free`` themes keep their hits; a ``clause_anchored`` theme keeps only the hits (of every
    cue, or of the listed cues) in a clause that carries an S&T anchor other than its ``not_anchors`` (a field word
    such as 农村 is S&T serving that field only next to S&T wording; 改革 is S&T reform only next to S&T wording).
    ``every=False``: only the themes that may have a hit (the others' hits are ``[]``)."""
    order = m.candidates()
    cands = set(order)  # every other theme has no hit (m.hits is [])
    themes = list(enumerate(tax.themes)) if every else [(ci, tax.themes[ci]) for ci in order]
    if scope is None or not cands:
        yield from ((ci, t, m.hits(ci) if ci in cands else []) for ci, t in themes)
        return
    in_scope = scope_evidence(m, scope) is not None
    free = in_scope or not _about_other_field(m, scope)  # a field-subject sentence gets no scope-free theme either
    for ci, t in themes:
        hits = m.hits(ci) if ci in cands and (in_scope or (t.scope_free and free)) else []
        if hits and t.clause_anchored:
            anchors = [a for a in _anchors(m, scope) if a[2] not in t.not_anchors]
            clauses = [c.span() for c in _CLAUSE.finditer(m.text) if any(c.start() <= a[0] < c.end() for a in anchors)]
            listed = t.clause_anchored if isinstance(t.clause_anchored, tuple) else None
            hits = [h for h in hits if (listed is not None and h[2] not in listed)
                    or any(cs <= h[0] < ce for cs, ce in clauses)]
        yield ci, t, hits


def _scan(df: pd.DataFrame, index: CueIndex) -> list[UnitMatches]:
    """Every unit's matches, one automaton pass per document (units in table order)."""
    texts, parts, genres = df["text"].astype(str).tolist(), _parts(df), _doc_types(df)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(df["doc_id"].tolist()):
        by_doc[d].append(i)
    out: list[UnitMatches | None] = [None] * len(texts)
    for rows in by_doc.values():
        for i, m in zip(rows, index.scan([texts[i] for i in rows], [parts[i] for i in rows],
                                         [genres[i] for i in rows])):
            out[i] = m
    return out


def _parts(df: pd.DataFrame) -> list[str | None]:
    return df["part"].astype(str).tolist() if "part" in df.columns else [None] * len(df)


def _cue_list(hits) -> str:
    seen: list[str] = []
    for h in hits:
        if h[2] not in seen:
            seen.append(h[2])
    return CUE_SEP.join(seen)


def classify_instruments(units, *, scheme: SchemeArg = None, taxonomy: TaxonomyArg = None,
                         include_headings: bool = True) -> pd.DataFrame:
    """Give every sentence unit one dominant policy-instrument type (or ``none``) with the rule's evidence.

    The rule (documented in ``instruments.yaml``): a sentence matching a ``non_policy`` cue, or containing none
    of the ``action_cues``, is ``none``; with ``requires_theme`` a sentence with no S&T theme (``taxonomy``'s
    codes, scope rule included) is ``none`` (reason no_theme); a themed sentence of a part listed under
    ``fallback`` that names no tool gets that sub-type (reason fallback: a bare plan directive is goal
    planning); a themed sentence of a part listed under ``action_fallback`` that opens with an action cue and
    names no tool gets that sub-type (reason action_fallback: a reported measure); an enumerated lead (``leads``)
    naming no tool by a verb and its object is ``none`` (reason lead); a sentence whose themes are all
    ``toolless_themes`` (party building in work reports, corpora rule 4) is ``none`` (reason toolless_theme);
    otherwise the type with the highest score
    (``scoring: hits``: sum of cue weights over its sub-types; ``subtypes``: one per matched sub-type) wins, ties
    broken by the scheme's ``priority``; no cue hit -> ``none``. With the complement switched on in the taxonomy
    (``complement:``), the model decides where the rule is silent or tied (reason model).

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
        fired; "result:marker" when the result rule fired), hits_<type> per type (the scores compared), reason
        (non_policy | no_theme | toolless_theme | lead | result | fallback | no_action | action_fallback | no_cue |
        most_hits | tie | model), then the unit columns.
    """
    sch = load_scheme(scheme)
    df = _select_units(_units_frame(units), include_headings)
    tax = load_taxonomy(taxonomy)
    out = _complemented(_classify(df, sch, tax)[0], df, tax)
    out.attrs = {"scheme": sch.source, "include_headings": include_headings}
    return out


def _complemented(sentence: pd.DataFrame, df: pd.DataFrame, tax: Taxonomy) -> pd.DataFrame:
    """The per-unit instrument table with the complement's types where the rule is silent or tied (when the
    complement is switched on in ``themes.yaml``; reason ``model``)."""
    if not tax.complement:
        return sentence
    from .complement import complement_types, load_complement

    return complement_types(sentence, df, load_complement(*tax.complement))


def themed_units(df: pd.DataFrame, tax: Taxonomy) -> list[bool]:
    """Whether each unit gets at least one theme from :func:`code_themes` (scope rule included)."""
    return [bool(themes) for themes in unit_themes(df, tax)]


def unit_themes(df: pd.DataFrame, tax: Taxonomy) -> list[frozenset[str]]:
    """The theme ids :func:`code_themes` gives each unit (scope rule included), one set per unit in order."""
    return [frozenset(t.id for _, t, hits in _theme_hits(m, tax, tax.scope_for(dt), every=False) if hits)
            for m, dt in zip(_scan(df, _theme_index(tax)), _doc_types(df))]


def _classify(df: pd.DataFrame, sch: InstrumentScheme, tax: Taxonomy) -> tuple[pd.DataFrame, list]:
    """The per-unit table of :func:`classify_instruments` and every unit's sub-type matches."""
    carry = _carry(df)
    type_ids = [t[0] for t in sch.types]
    labels = sch.type_labels()
    records, all_matches = [], []
    index = _scheme_index(sch)
    doc_types = _doc_types(df)
    needs_theme = [bool(sch.setting("requires_theme", dt)) for dt in doc_types]
    themes = unit_themes(df, tax) if any(needs_theme) else [frozenset()] * len(df)
    parent = {sub.id: sub.parent for sub in sch.subtypes}
    for um, unit_theme_ids, needs, dt in zip(_scan(df, index), themes, needs_theme, doc_types):
        part = um.part
        has_theme = bool(unit_theme_ids) or not needs
        toolless = set(sch.setting("toolless_themes", dt))
        fallback = dict(sch.setting("fallback", dt))
        act_fallback = dict(sch.setting("action_fallback", dt))
        matches = [(sch.subtypes[ci], h) for ci in um.candidates() if (h := um.hits(ci))]
        all_matches.append(matches)
        hits = {t: 0.0 for t in type_ids}
        for sub, h in matches:
            hits[sub.parent] += sum(x[3] for x in h) if sch.scoring == "hits" else max(x[3] for x in h)
        subtypes = CUE_SEP.join(sub.id for sub, _ in matches)
        cues = CUE_SEP.join(f"{sub.id}:{c}" for sub, h in matches for c in _cue_list(h).split(CUE_SEP))
        veto = _non_policy(sch, um)
        if veto:
            itype, reason = "none", "non_policy"
            cues = f"non_policy:{veto}" + (CUE_SEP + cues if cues else "")
        elif not has_theme:
            itype, reason = "none", "no_theme"
        elif toolless and unit_theme_ids and unit_theme_ids <= toolless:
            itype, reason = "none", "toolless_theme"  # rule 4: party building names no S&T policy tool
        elif sch.is_lead(um.text, dt) and max((x[3] for _, h in matches for x in h), default=0) < 2:
            itype, reason = "none", "lead"  # rules 17/24: a lead naming no tool by a verb and its object
        elif (result := _result(sch, dt, um)) is not None:
            itype, reason = "none", "result"
            cues = f"result:{result}" + (CUE_SEP + cues if cues else "")
        elif (not matches or not um.has("action")) and part in fallback:
            itype, reason = parent[fallback[part]], "fallback"
            subtypes, cues = fallback[part], f"{fallback[part]}:(rule: {part} sentence naming no tool)"
        elif not um.has("action"):
            itype, reason = "none", "no_action"
        elif not matches and part in act_fallback and _reports_action(sch, um):
            itype, reason = parent[act_fallback[part]], "action_fallback"
            subtypes = act_fallback[part]
            cues = f"{subtypes}:(rule: {part} sentence reporting an action, naming no tool)"
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


def _reports_action(sch: InstrumentScheme, um: UnitMatches) -> bool:
    """A sentence that opens with a government action ("we promoted X", the subject omitted) and says more than
    that in a further clause; a one-clause "推进X。" states a line of work like a lead (rule 17), not a measure."""
    return len(_CLAUSE.findall(um.text)) > 1 and any(a[0] < sch.action_start for a in um.spans("action") if a[2] in sch.action_cues)


def _scheme_index(sch: InstrumentScheme) -> CueIndex:
    return _index(sch, sch.subtypes, {"action": sch.action_cues,
                                      "non_policy": [c.literal for c in sch.non_policy if c.literal]})


def _result(sch: InstrumentScheme, doc_type: str | None, um: UnitMatches) -> str | None:
    """The result marker when the sentence is a bare result (the scheme's ``result_rule`` for its genre)."""
    rule = sch.setting("result_rule", doc_type)
    return rule.marker(um.text, um.part) if rule is not None else None


def _non_policy(sch: InstrumentScheme, um: UnitMatches) -> str | None:
    """The first ``non_policy`` cue (in the scheme's order) found in the unit, as :meth:`non_policy_match`."""
    found = um.has("non_policy")  # no literal cue can match without one
    for cue in sch.non_policy:
        if cue.literal:
            if found and um.has("non_policy", cue.literal) and cue.applies(um.part, um.genre):
                return cue.name
        elif cue.applies(um.part, um.genre) and cue.pattern.search(um.text):
            return cue.name
    return None


def code_instruments(units, *, scheme: SchemeArg = None, taxonomy: TaxonomyArg = None,
                     include_headings: bool = True) -> pd.DataFrame:
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
    tax = load_taxonomy(taxonomy)
    sentence, matches = _classify(df, sch, tax)
    sentence = _complemented(sentence, df, tax)
    type_labels = sch.type_labels()
    subs = {sub.id: sub for sub in sch.subtypes}
    rows = []
    for pos, (dominant, reason, subtype, cues, unit_matches) in enumerate(zip(
            sentence["instrument_type"], sentence["reason"], sentence["subtypes"], sentence["cues"], matches)):
        if dominant == "none":
            continue
        if reason in ("fallback", "action_fallback"):
            sub = subs[subtype]
            rows.append((pos, sub.parent, type_labels[sub.parent], sub.id, sub.label_zh, sub.label_en,
                         cues.split(":", 1)[1], 0, True))
            continue
        if reason == "model" and not any(sub.parent == dominant for sub, _ in unit_matches):
            rows.append((pos, dominant, type_labels[dominant], "", "", "", cues, 0, True))  # the model's type only
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
