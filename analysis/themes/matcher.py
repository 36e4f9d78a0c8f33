"""All cues of a taxonomy or scheme in one Aho-Corasick automaton: one multi-pattern pass per document.

The plain-string cues, their exclusions, the sentence vetoes and any extra needle lists (the scheme's action cues
and non-policy cues) go into one ``pyahocorasick`` automaton; the units of a document are joined with a separator
that no cue contains and scanned once. Regular-expression cues (a handful) are still matched with ``re``.

Per category a match nested inside a longer one is dropped, the leftmost-longest kept (实验室 inside 重点实验室
is one piece of evidence, not two); partly overlapping matches of two different cues are both kept. The result
equals :meth:`Category.match` (the regex reference implementation) hit for hit; the tests check it.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence

import ahocorasick

from .scheme import Category, Cue, find_spans

SEP = "\x00"
Hit = tuple[int, int, str, float]


class CueIndex:
    """The automaton of a list of categories (themes or instrument sub-types) plus named needle lists."""

    def __init__(self, categories: Sequence[Category], extra: dict[str, Sequence[str]] | None = None):
        self.categories = tuple(categories)
        self.regex_cues: dict[int, list[Cue]] = defaultdict(list)
        payload: dict[str, list[tuple]] = defaultdict(list)
        for ci, cat in enumerate(self.categories):
            for cue in cat.cues:
                if cue.literal:
                    payload[cue.literal].append(("cue", ci, cue))
                else:
                    self.regex_cues[ci].append(cue)
                for x in cue.exclude:
                    payload[x].append(("cue_veto", ci, cue))
            for x in cat.exclude:
                payload[x].append(("veto", ci, None))
            for x in cat.exclude_sentence:
                payload[x].append(("sentence_veto", ci, None))
        for name, needles in (extra or {}).items():
            for x in needles:
                payload[x].append(("extra", name, x))
        self.automaton = ahocorasick.Automaton()
        for key, items in payload.items():
            self.automaton.add_word(key, (len(key), tuple(items)))
        if payload:
            self.automaton.make_automaton()
        self._empty = not payload

    def scan(self, texts: Sequence[str], parts: Sequence[str | None],
             genres: Sequence[str | None] | None = None) -> list["UnitMatches"]:
        """Scan one document's unit texts in one pass; return each unit's matches (``genres``: their doc_type)."""
        found: list[list[tuple[int, int, tuple]]] = [[] for _ in texts]
        if not self._empty and texts:
            starts, pos = [], 0
            for t in texts:
                starts.append(pos)
                pos += len(t) + len(SEP)
            for end, (n, items) in self.automaton.iter(SEP.join(texts)):
                s = end - n + 1
                u = bisect_right(starts, s) - 1
                found[u].append((s - starts[u], s - starts[u] + n, items))
        genres = genres if genres is not None else [None] * len(texts)
        return [UnitMatches(self, t, p, f, g) for t, p, f, g in zip(texts, parts, found, genres)]


class UnitMatches:
    """The automaton's raw matches in one unit, resolved per category on demand."""

    def __init__(self, index: CueIndex, text: str, part: str | None, found: list, genre: str | None = None):
        self.index, self.text, self.part, self.genre = index, text, part, genre
        self.cues: dict[int, list[tuple[int, int, Cue]]] = defaultdict(list)
        self.vetoes: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.cue_vetoes: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        self.sentence_vetoed: set[int] = set()
        self.extra: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for s, e, items in found:
            for kind, key, obj in items:
                if kind == "cue":
                    self.cues[key].append((s, e, obj))
                elif kind == "veto":
                    self.vetoes[key].append((s, e))
                elif kind == "cue_veto":
                    self.cue_vetoes[(key, id(obj))].append((s, e))
                elif kind == "sentence_veto":
                    self.sentence_vetoed.add(key)
                else:
                    self.extra[key].append((s, e, obj))

    def has(self, name: str, needle: str | None = None) -> bool:
        """Whether any (or the given) needle of the extra list ``name`` occurs in the unit."""
        got = self.extra.get(name, [])
        return bool(got) if needle is None else any(x[2] == needle for x in got)

    def spans(self, name: str) -> list[tuple[int, int, str]]:
        """The occurrences (start, end, needle) of the extra list ``name``, in text order."""
        return sorted(self.extra.get(name, []))

    def hits(self, ci: int) -> list[Hit]:
        """The hits of category ``ci``: (start, end, matched text, weight), leftmost-longest, in text order."""
        literal = self.cues.get(ci, [])
        regex = self.index.regex_cues.get(ci, [])
        if (not literal and not regex) or ci in self.sentence_vetoed:
            return []
        veto = self.vetoes.get(ci, [])
        raw: list[Hit] = []
        last_end: dict[int, int] = {}
        for s, e, cue in sorted(literal, key=lambda x: x[0]):
            if s < last_end.get(id(cue), -1):
                continue  # a cue's own occurrences do not overlap (as re.finditer finds them)
            last_end[id(cue)] = e
            if cue.applies(self.part, self.genre) and not _overlaps(s, e, veto, self.cue_vetoes.get((ci, id(cue)), ())):
                raw.append((s, e, cue.literal, cue.weight))
        for cue in regex:
            if not cue.applies(self.part, self.genre):
                continue
            cue_veto = find_spans(self.text, cue.exclude)
            for m in cue.pattern.finditer(self.text):
                s, e = m.span()
                if e > s and not _overlaps(s, e, veto, cue_veto):
                    raw.append((s, e, m.group(0), cue.weight))
        return longest_outer(raw)


def longest_outer(hits: list[Hit]) -> list[Hit]:
    """Hits in text order, each one nested inside a longer (leftmost-longest) hit dropped.

    Of nested matches the leftmost-longest is kept; two cues that only partly overlap (管理体制 and 体制机制 in
    管理体制机制) are both kept, as the reference :meth:`Category.match` keeps them: both words are in the text.
    """
    hits = sorted(hits, key=lambda h: (h[0], -(h[1] - h[0]), -h[3]))  # same span: the heavier cue
    kept: list[Hit] = []
    for h in hits:
        if not any(k[0] <= h[0] and h[1] <= k[1] for k in kept):
            kept.append(h)
    return kept


def _overlaps(s: int, e: int, *spans) -> bool:
    return any(vs < e and s < ve for group in spans for vs, ve in group)
