"""Theme taxonomies: YAML data read into checked, immutable categories, and the cue readers the instrument
scheme (``instrument_scheme.py``) shares.

The taxonomy (``resources/themes.yaml``) is data: pass your own file (or a mapping) as ``taxonomy=`` to replace it.
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


TaxonomyArg = str | Path | Mapping | Taxonomy | None


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


def resource_mapping(arg, default: str, key: str) -> tuple[Mapping, str]:
    """The parsed resource ``arg`` (a mapping, or a YAML path; None for the bundled ``default``) and its source name;
    :class:`ResourceError` unless it is a mapping with a non-empty ``key`` list."""
    if isinstance(arg, Mapping):
        data, source = arg, "<mapping>"
    else:
        data, source = _read_yaml(arg, default)
    if not isinstance(data, Mapping) or not isinstance(data.get(key), list) or not data[key]:
        raise ResourceError(source, f"expected a mapping with a non-empty '{key}' list")
    return data, source


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
    data, source = resource_mapping(taxonomy, "themes.yaml", "themes")
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
