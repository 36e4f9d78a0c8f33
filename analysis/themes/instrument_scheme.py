"""The policy-instrument scheme (``resources/instruments.yaml``): types, sub-types with their cues and action
entries (who does what), and the decision rule's settings, read into a checked, immutable scheme.

The scheme is data: pass your own file (or a mapping) as ``scheme=`` to replace it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import ResourceError
from .scheme import (
    Category,
    Cue,
    GenreRule,
    _category,
    _cue,
    _genre_rules,
    _genres,
    _setting,
    _str_list,
    resource_mapping,
)


@dataclass(frozen=True)
class ResultRule:
    """A sentence of ``parts`` that reports a result (a ``marker``: a number, 达到, 增长, 突破 …) and names no
    government action (none of ``unless``) is ``none``: an outcome, not a tool (corpora codebook rule 16). With
    ``counted`` (a regex), an ``unless`` verb whose clause, from the verb on, matches it (ends in a count: 引进人才
    300人) reports how many, a result, and is no government action."""

    parts: tuple[str, ...]
    markers: tuple[Cue, ...]
    unless: tuple[str, ...]
    counted: re.Pattern | None = None

    def marker(self, text: str, part: str | None) -> str | None:
        """The first result marker of a sentence this rule applies to (None: not a bare result)."""
        if self.parts and part not in self.parts or any(self._acts(text, u) for u in self.unless):
            return None
        for cue in self.markers:
            m = cue.pattern.search(text)
            if m and not any(x in text for x in cue.exclude):
                return m.group(0)
        return None

    def _acts(self, text: str, verb: str) -> bool:
        """Whether ``verb`` occurs in ``text`` as a government action (some occurrence not a counted result)."""
        start = text.find(verb)
        while start >= 0:
            end = next((i for i in range(start, len(text)) if text[i] in _CLAUSE_STOP), len(text))
            if self.counted is None or not self.counted.search(text[start:end]):
                return True
            start = text.find(verb, start + 1)
        return False


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
    toolless_themes: tuple[str, ...] = ()  # a sentence with only these themes has no instrument (corpora rule 4)

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


SchemeArg = str | Path | Mapping | InstrumentScheme | None


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
    data, source = resource_mapping(scheme, "instruments.yaml", "types")
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
                                                           "toolless_themes": lambda v: _str_list(v, "toolless_themes",
                                                                                                  source),
                                                           "result_rule": lambda v: _result_rule(v or None, source)})
    return InstrumentScheme(tuple(types), tuple(subtypes), priority,
                            _str_list(data.get("action_cues"), "action_cues", source),
                            tuple(_cue(c, f"non_policy[{i}]", source) for i, c in enumerate(non_policy)),
                            scoring, source, bool(data.get("requires_theme", False)),
                            fallback(data.get("fallback")), rules, result_rule,
                            fallback(data.get("action_fallback")), leads, int(data.get("action_start", 6)),
                            _str_list(data.get("toolless_themes"), "toolless_themes", source))


def _result_rule(entry, source: str) -> ResultRule | None:
    if entry is None:
        return None
    if not isinstance(entry, Mapping) or not isinstance(entry.get("markers"), list):
        raise ResourceError(source, "result_rule must be a mapping with a 'markers' list (and parts, unless)")
    return ResultRule(_str_list(entry.get("parts"), "result_rule.parts", source),
                      tuple(_cue(c, f"result_rule.markers[{i}]", source) for i, c in enumerate(entry["markers"])),
                      _str_list(entry.get("unless"), "result_rule.unless", source),
                      _cue({"regex": entry["counted"]}, "result_rule.counted", source).pattern
                      if entry.get("counted") is not None else None)


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
