"""Alias matching: where a sentence names catalogued indicators (the longest alias wins where aliases overlap).

Matching reads a flat view of the sentence that looks through whitespace (``R&D 经费``), a bracketed Latin
abbreviation (``研究与试验发展(R&D)经费``, ``国内生产总值(GDP)``), the ``的`` of ``占GDP的比重`` and the long form of
``规上`` (``规模以上``, ``全部规上``), and reads ``比例`` as ``比重``; offsets are mapped back to the sentence. A weak alias (``成交额``) names its indicator
only after one of its cue words (``技术合同``) with none of its ``not_between`` words in between. An alias right
after one of its indicator's ``not_after`` words (``企业`` before ``研发经费``) names a part, not the indicator.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from .catalogue import Catalogue, Indicator


@dataclass(frozen=True)
class Mention:
    """An alias found in a sentence: its span, the alias as catalogued and the indicators it may name."""

    start: int
    end: int
    alias: str
    indicators: tuple[Indicator, ...]


# what alias matching looks through: a bracketed Latin abbreviation (研究与试验发展(R&D)经费, 国内生产总值(GDP)), the
# 的 of 占GDP的比重, the long form of 规上 (规模以上 -> 规上, 全部规上 -> 规上, 占全省规上 -> 占规上); 比例 is read as 比重
# (占国内生产总值的比例, 占规模以上工业增加值的比例): a share is written once in the catalogue
_FLAT_DROPS = (re.compile(r"\([a-z&]{1,8}\)"), re.compile(r"的(?=比重|比例)"), re.compile(r"(?<=规)模以(?=上)"),
               re.compile(r"(?<=占)(?:全省|全市|全区|全县|全国)(?=全部|规上|工业)"), re.compile(r"全部(?=规上|工业)"))
_FLAT_RATIO = re.compile(r"比例")


def _canonical(flat: str, keep: list[int]) -> tuple[str, list[int]]:
    for rx in _FLAT_DROPS:  # in turn: 国内生产总值(GDP)的比例 -> 国内生产总值的比例 -> 国内生产总值比例
        drop = {j for m in rx.finditer(flat) for j in range(m.start(), m.end())}
        if drop:
            keep = [k for j, k in enumerate(keep) if j not in drop]
            flat = "".join(c for j, c in enumerate(flat) if j not in drop)
    return _FLAT_RATIO.sub("比重", flat), keep


def _flat(text: str) -> tuple[str, list[int]]:
    """The text lower-cased without whitespace (``R&D 经费`` -> ``r&d经费``), bracketed abbreviations and the 的 of
    ``占GDP的比重`` (see ``_FLAT_DROPS``), and the offset of each kept character."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return _canonical("".join(text[i] for i in keep).lower(), keep)


@lru_cache(maxsize=4096)
def _alias_key(alias: str) -> str:
    """An alias as the flat text reads it (:func:`_flat`)."""
    a = "".join(alias.split()).lower()
    return _canonical(a, list(range(len(a))))[0]


def _find(flat: str, keep: list[int], alias: str) -> list[tuple[int, int]]:
    a = _alias_key(alias)
    if not a or a not in flat:  # most aliases are absent: one substring test
        return []
    out, pos = [], flat.find(a)
    while pos >= 0:
        out.append((keep[pos], keep[pos + len(a) - 1] + 1))
        pos = flat.find(a, pos + 1)
    return out


_AUTOMATA: dict[int, tuple[Catalogue, object]] = {}


def _names_any(flat: str, catalogue: Catalogue) -> bool:
    """Whether any alias or weak alias of the catalogue occurs in the flat text (one Aho–Corasick pass); when
    none does, every :func:`_find` of :func:`alias_mentions` would find nothing."""
    got = _AUTOMATA.get(id(catalogue))
    if got is None or got[0] is not catalogue:
        if len(_AUTOMATA) > 8:  # catalogues are few per process; do not keep every one a test made
            _AUTOMATA.clear()
        automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        for ind in catalogue.indicators:
            for alias in (*ind.aliases, *(w.alias for w in ind.weak_aliases)):
                if _alias_key(alias):
                    automaton.add_word(_alias_key(alias))
        if len(automaton):
            automaton.make_automaton()
        got = _AUTOMATA[id(catalogue)] = (catalogue, automaton if len(automaton) else None)
    return got[1] is not None and next(got[1].iter(flat), None) is not None


def _weak_subject(text: str, s: int, after: tuple[str, ...], not_between: tuple[str, ...] = ()) -> bool:
    """A weak alias at ``s`` names the indicator when one of ``after`` stands before it in the sentence
    (``R&D经费支出150亿元,占GDP比重2.1%``) and none of ``not_between`` comes between: another subject of the share
    (``研发投入增长10%,战略性新兴产业增加值占地区生产总值比重15%`` is not R&D intensity)."""
    window = "".join(text[:s].split()).lower()
    pos, word = max((window.rfind(w), w) for w in ("".join(a.split()).lower() for a in after))
    return pos >= 0 and not any(b in window[pos + len(word):] for b in not_between)


def alias_mentions(text: str, catalogue: Catalogue) -> list[Mention]:
    flat, keep = _flat(text)
    if not _names_any(flat, catalogue):  # most sentences name no indicator: one automaton pass says so
        return []
    hits: dict[tuple[int, int], tuple[str, list[Indicator]]] = {}
    for ind in catalogue.indicators:
        found = [(s, e, alias) for alias in ind.aliases for s, e in _find(flat, keep, alias)]
        for weak in ind.weak_aliases:
            for s, e in _find(flat, keep, weak.alias):
                if _weak_subject(text, s, weak.after, weak.not_between):
                    found.append((s, e, weak.alias))
        parts = [(s, e) for s, e, _ in found
                 if ind.not_after and "".join(text[max(0, s - 8):s].split()).endswith(ind.not_after)]
        for s, e, alias in found:
            if any(s < pe and ps < e for ps, pe in parts):
                continue  # 规上工业企业研发经费支出 (and its 投入强度): the enterprises' part, not the region's total
            entry = hits.setdefault((s, e), (alias, []))
            if ind not in entry[1]:
                entry[1].append(ind)
    spans = sorted(hits)
    # longest match wins: drop spans strictly inside a longer one
    kept = [sp for sp in spans if not any(o != sp and o[0] <= sp[0] and sp[1] <= o[1] for o in spans)]
    # partially overlapping spans (全社会研发投入|强度): keep the later-ending one, the head of a Chinese noun phrase
    out: list[Mention] = []
    for s, e in kept:
        if out and s < out[-1].end:
            out[-1] = Mention(s, e, hits[(s, e)][0], tuple(hits[(s, e)][1]))
            continue
        out.append(Mention(s, e, hits[(s, e)][0], tuple(hits[(s, e)][1])))
    return out
