"""Theme taxonomies and policy-instrument schemes: YAML data read into checked, immutable categories.

The taxonomy (``resources/themes.yaml``) and the instrument scheme (``resources/instruments.yaml``) are data:
pass your own file (or a mapping) as ``taxonomy=`` / ``scheme=`` to replace them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..config import resource_path
from ..errors import ResourceError

INSTRUMENT_TYPES = ("supply", "environment", "demand")

@dataclass(frozen=True)
class Cue:
    """One cue: a substring (``regex=False``) or a regular expression, with its own exclusions."""

    name: str
    pattern: re.Pattern
    exclude: tuple[str, ...] = ()
    weight: float = 1.0
    parts: tuple[str, ...] = ()  # only in units of these parts (e.g. plan); empty = everywhere
    literal: str | None = None  # the plain string of a substring cue (matched by the automaton); None for a regex
    genres: tuple[str, ...] = ()  # only in units of these doc_types; empty = every genre
    not_genres: tuple[str, ...] = ()  # never in units of these doc_types (an unknown doc_type is not among them)

    def applies(self, part: str | None, genre: str | None = None) -> bool:
        """Whether the cue may match in a unit of this part and genre (``doc_type``)."""
        return ((not self.parts or part in self.parts) and (not self.genres or genre in self.genres)
                and genre not in self.not_genres)


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
    scope_free: bool = False  # a theme coded without the S&T scope test (party building, stated cooperation)
    clause_anchored: bool | tuple[str, ...] = False  # under a scope rule, (all or the listed) cues need an anchor
    not_anchors: tuple[str, ...] = ()  # scope anchors that do not anchor this theme's clauses (创新 of 金融创新)
    any_cue: re.Pattern | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        # one alternation of all cues: most sentences match no cue of most categories, and one search says so
        alternation = "|".join(f"(?:{c.pattern.pattern})" for c in self.cues)
        object.__setattr__(self, "any_cue", re.compile(alternation))

    def match(self, text: str, part: str | None = None, genre: str | None = None) -> list[tuple[int, int, str, float]]:
        """Return the cue matches in ``text`` as (start, end, matched text, weight), nested matches dropped; cues
        restricted to other parts or genres than ``part`` (summary, plan …) and ``genre`` (doc_type) do not match."""
        if not self.any_cue.search(text):
            return []
        if self.exclude_sentence and any(s in text for s in self.exclude_sentence):
            return []
        veto = find_spans(text, self.exclude)
        hits = []
        for cue in self.cues:
            if not cue.applies(part, genre):
                continue
            cue_veto = veto + find_spans(text, cue.exclude) if cue.exclude else veto
            for m in cue.pattern.finditer(text):
                s, e = m.span()
                if e > s and not any(vs < e and s < ve for vs, ve in cue_veto):
                    # the evidence is the text matched (for a regex cue too), so it can be found in the sentence
                    hits.append((s, e, m.group(0), cue.weight))
        # a shorter cue inside a longer matched cue (实验室 inside 重点实验室) is one piece of evidence, not two
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0]), -h[3]))  # same span: the heavier cue
        kept: list[tuple[int, int, str, float]] = []
        for h in hits:
            if not any(k[0] <= h[0] and h[1] <= k[1] for k in kept):
                kept.append(h)
        return kept


def find_spans(text: str, needles: Sequence[str]) -> list[tuple[int, int]]:
    """Every occurrence of every needle in the text, as (start, end)."""
    out = []
    for n in needles:
        i = text.find(n)
        while i >= 0:
            out.append((i, i + len(n)))
            i = text.find(n, i + 1)
    return out


@dataclass(frozen=True)
class Scope:
    """The rule that decides whether a sentence is about S&T at all (else it gets no S&T theme).

    A sentence is in scope when an ``anchor`` occurs in it outside every ``slogan`` span (创新 in 创新宏观调控 is
    a slogan, not S&T), unless it is a long omnibus sentence (at least ``min_chars`` characters) in which the
    clauses carrying an anchor are fewer than ``min_share`` of its clauses (innovation as one minor item), or a
    sentence whose subject is another policy field (its first clause names one of ``fields`` and no anchor) in
    which the clauses carrying an anchor are fewer than ``field_share`` of its clauses.
    """

    anchors: tuple[str, ...]
    slogans: tuple[str, ...] = ()
    min_chars: int = 0
    min_share: float = 0.0
    fields: tuple[str, ...] = ()
    field_share: float = 0.5


@dataclass(frozen=True)
class GenreRule:
    """Settings that differ for units of some genres (``doc_type``): where two codebooks differ, as data."""

    doc_types: frozenset[str]
    settings: tuple[tuple[str, Any], ...]  # (setting name, parsed value)


def _setting(rules: Sequence[GenreRule], name: str, doc_type: str | None, default):
    for rule in rules:
        if doc_type in rule.doc_types:
            for key, value in rule.settings:
                if key == name:
                    return value
    return default


@dataclass(frozen=True)
class Taxonomy:
    """The theme taxonomy: an ordered tuple of categories, the optional S&T scope rule and where it came from."""

    themes: tuple[Category, ...]
    source: str = "<mapping>"
    scope: Scope | None = None
    genre_rules: tuple[GenreRule, ...] = ()
    complement: tuple[str, str] | None = None  # (training table, its sha1): the supervised complement, if on

    def scope_for(self, doc_type: str | None) -> Scope | None:
        """The scope rule for a unit of this genre (``genre_rules`` may switch it off or replace it)."""
        return _setting(self.genre_rules, "scope", doc_type, self.scope)

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def labels(self, lang: str = "zh") -> dict[str, str]:
        return {t.id: (t.label_zh if lang == "zh" else t.label_en) for t in self.themes}


@dataclass(frozen=True)
class ResultRule:
    """A sentence of ``parts`` that reports a result (a ``marker``: a number, 达到, 增长, 突破 …) and names no
    government action (none of ``unless``) is ``none``: an outcome, not a tool (corpora codebook rule 16)."""

    parts: tuple[str, ...]
    markers: tuple[Cue, ...]
    unless: tuple[str, ...]

    def marker(self, text: str, part: str | None) -> str | None:
        """The first result marker of a sentence this rule applies to (None: not a bare result)."""
        if self.parts and part not in self.parts or any(u in text for u in self.unless):
            return None
        for cue in self.markers:
            m = cue.pattern.search(text)
            if m and not any(x in text for x in cue.exclude):
                return m.group(0)
        return None


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
    requires_theme: bool = False  # a sentence without an S&T theme has no instrument (corpora codebook rule 15)
    fallback: tuple[tuple[str, str], ...] = ()  # (part, sub-type id): a themed sentence of that part with no cue
    genre_rules: tuple[GenreRule, ...] = ()
    result_rule: ResultRule | None = None
    action_fallback: tuple[tuple[str, str], ...] = ()  # (part, sub-type id): themed, an action cue, no tool cue
    leads: tuple[re.Pattern, ...] = ()  # enumerated lead sentences (一是…, （四）…): no fallback tool (rules 17, 24)
    action_start: int = 6  # action_fallback: the action cue begins within this many characters (the omitted 我们)

    def is_lead(self, text: str, doc_type: str | None = None) -> bool:
        """Whether the sentence is an enumerated lead (一是…, （四）…) by this genre's ``leads`` patterns."""
        return any(p.search(text) for p in self.setting("leads", doc_type))

    def setting(self, name: str, doc_type: str | None):
        """A rule setting (``requires_theme``, ``fallback`` …) for a unit of this genre (``genre_rules`` first)."""
        return _setting(self.genre_rules, name, doc_type, getattr(self, name))

    def non_policy_match(self, text: str, part: str | None = None, genre: str | None = None) -> str | None:
        """The first ``non_policy`` cue found in the sentence (None if there is none)."""
        for cue in self.non_policy:
            if cue.applies(part, genre) and cue.pattern.search(text):
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
        return Cue(s, re.compile(re.escape(s)), literal=s)
    if isinstance(entry, Mapping):
        exclude = _str_list(entry.get("exclude"), f"{where}.exclude", source)
        try:
            weight = float(entry.get("weight", 1))
        except (TypeError, ValueError):
            raise ResourceError(source, f"{where}: weight must be a number") from None
        parts = _str_list(entry.get("parts"), f"{where}.parts", source)
        genres = _genres(entry, where, source)
        if "regex" in entry:
            try:
                pattern = re.compile(str(entry["regex"]))
            except re.error as exc:
                raise ResourceError(source, f"{where}: bad regex {entry['regex']!r}: {exc}") from None
            return Cue(str(entry.get("name") or entry["regex"]), pattern, exclude, weight, parts, None, *genres)
        if entry.get("cue"):
            s = str(entry["cue"])
            return Cue(s, re.compile(re.escape(s)), exclude, weight, parts, s, *genres)
    raise ResourceError(source, f"{where}: a cue is a string or a mapping with 'cue' or 'regex', got {entry!r}")


def _genres(entry: Mapping, where: str, source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    genres = _str_list(entry.get("genres"), f"{where}.genres", source)
    not_genres = _str_list(entry.get("not_genres"), f"{where}.not_genres", source)
    if genres and not_genres:
        raise ResourceError(source, f"{where}: give genres or not_genres, not both")
    return genres, not_genres


def _cues(entries: list, where: str, source: str) -> tuple[Cue, ...]:
    """A category's cue list: cues, and groups ``{genres | not_genres | parts: [...], cues: [...]}`` whose
    restrictions every cue of the group carries (vocabulary of one genre kept together, as data)."""
    out: list[Cue] = []
    for i, c in enumerate(entries):
        if isinstance(c, Mapping) and "cues" in c:
            if not isinstance(c["cues"], list) or not c["cues"] or set(c) - {"cues", "genres", "not_genres", "parts"}:
                raise ResourceError(source, f"{where} cue group {i}: a group is {{cues: [...], genres | not_genres"
                                            f" | parts: [...]}}, got keys {sorted(c)}")
            genres, not_genres = _genres(c, f"{where} cue group {i}", source)
            parts = _str_list(c.get("parts"), f"{where} cue group {i}.parts", source)
            for j, cue in enumerate(_cues(c["cues"], f"{where} cue group {i}", source)):
                if (cue.genres or cue.not_genres) and (genres or not_genres) or cue.parts and parts:
                    raise ResourceError(source, f"{where} cue group {i} cue {j}: restricted twice")
                out.append(replace(cue, genres=cue.genres or genres, not_genres=cue.not_genres or not_genres,
                                   parts=cue.parts or parts))
        else:
            out.append(_cue(c, f"{where} cue {i}", source))
    return tuple(out)


def _category(entry, where: str, source: str, parent: str | None = None) -> Category:
    if not isinstance(entry, Mapping) or not entry.get("id"):
        raise ResourceError(source, f"{where}: each entry needs an id")
    cid, cues, anchored = str(entry["id"]), entry.get("cues"), entry.get("clause_anchored", False)
    if not isinstance(cues, list) or not cues:
        raise ResourceError(source, f"{where} ({cid}): needs a non-empty list of cues")
    return Category(
        id=cid, label_zh=str(entry.get("label_zh") or cid), label_en=str(entry.get("label_en") or cid),
        cues=_cues(cues, f"{where} ({cid})", source),
        exclude=_str_list(entry.get("exclude"), f"{where} ({cid}).exclude", source),
        exclude_sentence=_str_list(entry.get("exclude_sentence"), f"{where} ({cid}).exclude_sentence", source),
        parent=parent, scope_free=bool(entry.get("scope_free", False)),
        clause_anchored=_str_list(anchored, f"{where} ({cid}).clause_anchored", source)
        if isinstance(anchored, list) else bool(anchored),
        not_anchors=_str_list(entry.get("not_anchors"), f"{where} ({cid}).not_anchors", source))


def _scope(entry, source: str) -> Scope | None:
    if entry is None:
        return None
    if not isinstance(entry, Mapping) or not entry.get("anchors"):
        raise ResourceError(source, "scope must be a mapping with a non-empty 'anchors' list")
    try:
        min_chars, min_share = int(entry.get("min_chars", 0)), float(entry.get("min_share", 0))
        field_share = float(entry.get("field_share", 0.5))
    except (TypeError, ValueError):
        raise ResourceError(source, "scope: min_chars, min_share and field_share must be numbers") from None
    return Scope(_str_list(entry["anchors"], "scope.anchors", source),
                 _str_list(entry.get("slogans"), "scope.slogans", source), min_chars, min_share,
                 _str_list(entry.get("fields"), "scope.fields", source), field_share)


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
    rules = _genre_rules(data.get("genre_rules"), source, {"scope": lambda v: _scope(v or None, source)})
    return Taxonomy(themes, source, _scope(data.get("scope"), source), rules, _complement(data.get("complement"),
                                                                                         source))


def _complement(entry, source: str) -> tuple[str, str] | None:
    if entry is not None and (not isinstance(entry, Mapping) or not entry.get("training") or not entry.get("sha1")):
        raise ResourceError(source, "complement must be null or a mapping with 'training' (a CSV) and its 'sha1'")
    return None if entry is None else (str(entry["training"]), str(entry["sha1"]))


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
    actions = _actions(data.get("actions"), source)
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
    unknown = sorted(set(actions) - set(sub_ids))
    if unknown:
        raise ResourceError(source, f"actions name unknown sub-types: {', '.join(unknown)}")
    subtypes = [replace(s, cues=actions.get(s.id, ()) + s.cues) for s in subtypes]
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
    def fallback(value):
        value = value or {}
        if not isinstance(value, Mapping) or any(str(v) not in sub_ids for v in value.values()):
            raise ResourceError(source, "fallback must map parts to sub-type ids")
        return tuple((str(k), str(v)) for k, v in value.items())

    def leads_of(value):
        return tuple(_cue({"regex": x}, "leads", source).pattern for x in _str_list(value, "leads", source))

    leads = leads_of(data.get("leads"))
    result_rule = _result_rule(data.get("result_rule"), source)
    rules = _genre_rules(data.get("genre_rules"), source, {"requires_theme": bool, "fallback": fallback,
                                                           "action_fallback": fallback, "leads": leads_of,
                                                           "result_rule": lambda v: _result_rule(v or None, source)})
    return InstrumentScheme(tuple(types), tuple(subtypes), priority,
                            _str_list(data.get("action_cues"), "action_cues", source),
                            tuple(_cue(c, f"non_policy[{i}]", source) for i, c in enumerate(non_policy)),
                            scoring, source, bool(data.get("requires_theme", False)),
                            fallback(data.get("fallback")), rules, result_rule,
                            fallback(data.get("action_fallback")), leads, int(data.get("action_start", 6)))


def _result_rule(entry, source: str) -> ResultRule | None:
    if entry is None:
        return None
    if not isinstance(entry, Mapping) or not isinstance(entry.get("markers"), list):
        raise ResourceError(source, "result_rule must be a mapping with a 'markers' list (and parts, unless)")
    return ResultRule(_str_list(entry.get("parts"), "result_rule.parts", source),
                      tuple(_cue(c, f"result_rule.markers[{i}]", source) for i, c in enumerate(entry["markers"])),
                      _str_list(entry.get("unless"), "result_rule.unless", source))


#: what ends the reach of a verb: its object is looked for in the same clause
_CLAUSE_STOP = "，,；;：:。！？!?"


def _actions(entries, source: str) -> dict[str, tuple[Cue, ...]]:
    """Read ``actions``: who does what, as {subtype, verbs, objects, window, weight, parts, genres | not_genres}
    -> one regex cue per entry.

    The cue matches a verb followed, within ``window`` characters of the same clause, by one of the objects
    (建设…平台, 设立…基金); the evidence shown is the text from the verb to the object.
    """
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise ResourceError(source, "actions must be a list of {subtype, verbs, objects, window, weight}")
    out: dict[str, list[Cue]] = {}
    for i, e in enumerate(entries):
        where = f"actions[{i}]"
        if not isinstance(e, Mapping) or not e.get("subtype"):
            raise ResourceError(source, f"{where}: needs a subtype")
        verbs = _str_list(e.get("verbs"), f"{where}.verbs", source)
        objects = _str_list(e.get("objects"), f"{where}.objects", source)
        if not verbs or not objects:
            raise ResourceError(source, f"{where}: needs non-empty verbs and objects")
        try:
            window, weight = int(e.get("window", 12)), float(e.get("weight", 2))
        except (TypeError, ValueError):
            raise ResourceError(source, f"{where}: window and weight must be numbers") from None
        alt = lambda xs: "|".join(re.escape(x) for x in sorted(xs, key=len, reverse=True))  # noqa: E731
        pattern = re.compile(f"(?:{alt(verbs)})[^{_CLAUSE_STOP}]{{0,{window}}}?(?:{alt(objects)})")
        name = f"{verbs[0]}…{objects[0]}"
        parts = _str_list(e.get("parts"), f"{where}.parts", source)
        exclude = _str_list(e.get("exclude"), f"{where}.exclude", source)
        out.setdefault(str(e["subtype"]), []).append(
            Cue(name, pattern, exclude, weight, parts, None, *_genres(e, where, source)))
    return {k: tuple(v) for k, v in out.items()}


def _genre_rules(entries, source: str, readers: Mapping[str, Any]) -> tuple[GenreRule, ...]:
    """Read ``genre_rules``: a list of {doc_types: [...], <setting>: value}; ``readers`` parse each setting."""
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise ResourceError(source, "genre_rules must be a list of {doc_types: [...], <setting>: value}")
    out = []
    for i, e in enumerate(entries):
        if not isinstance(e, Mapping) or not e.get("doc_types"):
            raise ResourceError(source, f"genre_rules[{i}]: needs a non-empty doc_types list")
        unknown = sorted(set(e) - {"doc_types", *readers})
        if unknown:
            raise ResourceError(source, f"genre_rules[{i}]: unknown settings {', '.join(unknown)} "
                                        f"(allowed: {', '.join(readers)})")
        doc_types = frozenset(_str_list(e["doc_types"], f"genre_rules[{i}].doc_types", source))
        out.append(GenreRule(doc_types, tuple((k, readers[k](v)) for k, v in e.items() if k != "doc_types")))
    return tuple(out)
