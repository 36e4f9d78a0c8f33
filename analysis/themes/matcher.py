"""All cues of a taxonomy or scheme in one Aho-Corasick automaton: one multi-pattern pass per document.

The plain-string cues, their exclusions, the sentence vetoes and any extra needle lists (the scheme's action cues
and non-policy cues) go into one ``pyahocorasick`` automaton; the units of a document are joined with a separator
that no cue contains and scanned once. Regular-expression cues (a handful) are still matched with ``re``.

Per category a match nested inside a longer one is dropped, the leftmost-longest kept (实验室 inside 重点实验室
is one piece of evidence, not two); partly overlapping matches of two different cues are both kept. The result
equals :meth:`Category.match` (the regex reference implementation) hit for hit; the tests check it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from re import _constants as _sre
from re import _parser as _sre_parse

import ahocorasick

from .scheme import Category, Cue, find_spans

SEP = "\x00"
#: documents whose scan results an index keeps: a build batch (pipeline.executors.BATCH_DOCS, 8 documents)
_RECENT = 8
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
        self._recent: dict[tuple, list[UnitMatches]] = {}
        self._regex_list = [cue for ci in sorted(self.regex_cues) for cue in self.regex_cues[ci]]
        self.automaton = ahocorasick.Automaton()
        for key, items in payload.items():
            self.automaton.add_word(key, (len(key), tuple(items)))
        if payload:
            self.automaton.make_automaton()
        self._empty = not payload

    def scan(self, texts: Sequence[str], parts: Sequence[str | None],
             genres: Sequence[str | None] | None = None) -> list["UnitMatches"]:
        """Scan one document's unit texts in one pass; return each unit's matches (``genres``: their doc_type).

        The last documents' results are kept (:data:`_RECENT`): the themes stage scans each document for
        :func:`~analysis.themes.coding.code_themes` and again for the instrument rule's theme test."""
        genres = genres if genres is not None else [None] * len(texts)
        key = (tuple(texts), tuple(parts), tuple(genres))
        if key not in self._recent:
            if len(self._recent) >= _RECENT:
                del self._recent[next(iter(self._recent))]  # the oldest
            self._recent[key] = self._scan(texts, parts, genres)
        return self._recent[key]

    def _scan(self, texts, parts, genres) -> list["UnitMatches"]:
        found: list[list[tuple[int, int, tuple]]] = [[] for _ in texts]
        possible: list[set[int]] = [set() for _ in texts]
        if texts and (not self._empty or self._regex_list):
            starts, pos = [], 0
            for t in texts:
                starts.append(pos)
                pos += len(t) + len(SEP)
            joined = SEP.join(texts)
            u, last = 0, len(starts) - 1
            for end, (n, items) in (self.automaton.iter(joined) if not self._empty else ()):
                s = end - n + 1  # ends come in ascending order: the unit of the end only moves forward
                while u < last and starts[u + 1] <= end:
                    u += 1
                w = u if starts[u] <= s else bisect_right(starts, s) - 1  # (a match across a separator)
                found[w].append((s - starts[w], s - starts[w] + n, items))
            for cue in self._regex_list:
                for u in _units_with_match(cue.pattern, joined, starts):
                    possible[u].add(id(cue))
        return [UnitMatches(self, t, p, f, g, r) for t, p, f, g, r in zip(texts, parts, found, genres, possible)]


def _units_with_match(pattern: re.Pattern, joined: str, starts: list[int]) -> range | list[int]:
    """The units (indices into ``starts``, the units' offsets in ``joined``) where ``pattern`` may match: a superset
    of the units whose text it matches, found with one ``search`` per such unit instead of one per unit.

    Sound for a pattern without anchors, lookarounds, backreferences, atomic groups or possessive repeats
    (:func:`_context_free`): its match at [s, e) of a unit is a match at the same place of the joined text, so a
    search from any earlier position stops at or before it; every other pattern gets every unit.
    """
    if not _context_free(pattern):
        return range(len(starts))
    out, pos, n = [], 0, len(starts)
    while pos <= len(joined):
        m = pattern.search(joined, pos)
        if m is None:
            break
        u = bisect_right(starts, m.start()) - 1
        out.append(u)
        if u + 1 >= n:
            break
        pos = starts[u + 1]
    return out


# opcodes of the standard library regex parser (re._parser, Python >= 3.11) that look beyond the match
_UNSAFE = {_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT, _sre.GROUPREF, _sre.GROUPREF_EXISTS,
           *(getattr(_sre, name) for name in ("ATOMIC_GROUP", "POSSESSIVE_REPEAT", "GROUPREF_IGNORE",
                                              "GROUPREF_LOC_IGNORE", "GROUPREF_UNI_IGNORE") if hasattr(_sre, name))}
_CONTEXT_FREE: dict[tuple[str, int], bool] = {}


def _context_free(pattern: re.Pattern) -> bool:
    """Whether where ``pattern`` matches at a place depends only on the characters it matches (no ``^ $ \\b``,
    lookarounds, backreferences, atomic groups, possessive repeats)."""
    key = (pattern.pattern, pattern.flags)
    if key not in _CONTEXT_FREE:
        _CONTEXT_FREE[key] = isinstance(pattern.pattern, str) and not any(
            op in _UNSAFE for op in _opcodes(_sre_parse.parse(pattern.pattern, pattern.flags)))
    return _CONTEXT_FREE[key]


def _opcodes(sub):
    """Every opcode of a parsed pattern, nested groups, branches and repeats included."""
    for op, av in sub:
        yield op
        stack = [av]
        while stack:
            x = stack.pop()
            if isinstance(x, _sre_parse.SubPattern):
                yield from _opcodes(x)
            elif isinstance(x, (list, tuple)):
                stack.extend(x)


def _put(groups: dict, key, value) -> None:
    got = groups.get(key)
    if got is None:
        groups[key] = [value]
    else:
        got.append(value)


class UnitMatches:
    """The automaton's raw matches in one unit, resolved per category on demand."""

    __slots__ = ("index", "text", "part", "genre", "possible", "cues", "vetoes", "cue_vetoes", "sentence_vetoed",
                 "extra", "_needles")

    def __init__(self, index: CueIndex, text: str, part: str | None, found: list, genre: str | None = None,
                 possible: set[int] | None = None):
        self.index, self.text, self.part, self.genre = index, text, part, genre
        #: ids of the regex cues that may match here (None: every one); see :func:`_units_with_match`
        self.possible = possible
        self.cues: dict[int, list[tuple[int, int, Cue]]] = {}
        self.vetoes: dict[int, list[tuple[int, int]]] = {}
        self.cue_vetoes: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self.sentence_vetoed: set[int] = set()
        self.extra: dict[str, list[tuple[int, int, str]]] = {}
        self._needles: dict[str, set[str]] = {}
        cues, vetoes, cue_vetoes, extra = self.cues, self.vetoes, self.cue_vetoes, self.extra
        for s, e, items in found:
            for kind, key, obj in items:
                if kind == "cue":
                    got = cues.get(key)
                    if got is None:
                        cues[key] = [(s, e, obj)]
                    else:
                        got.append((s, e, obj))
                elif kind == "extra":
                    got = extra.get(key)
                    if got is None:
                        extra[key] = [(s, e, obj)]
                    else:
                        got.append((s, e, obj))
                elif kind == "veto":
                    _put(vetoes, key, (s, e))
                elif kind == "cue_veto":
                    _put(cue_vetoes, (key, id(obj)), (s, e))
                else:  # sentence_veto
                    self.sentence_vetoed.add(key)

    def has(self, name: str, needle: str | None = None) -> bool:
        """Whether any (or the given) needle of the extra list ``name`` occurs in the unit."""
        if needle is None:
            return bool(self.extra.get(name))
        needles = self._needles.get(name)
        if needles is None:
            needles = self._needles[name] = {x[2] for x in self.extra.get(name, ())}
        return needle in needles

    def spans(self, name: str) -> list[tuple[int, int, str]]:
        """The occurrences (start, end, needle) of the extra list ``name``, in text order."""
        return sorted(self.extra.get(name, []))

    def candidates(self) -> list[int]:
        """The categories (ascending) whose :meth:`hits` may be non-empty: those with a literal match or a regex
        cue that may match here; :meth:`hits` of every other category is ``[]``."""
        regex = self.index.regex_cues
        if self.possible is None:
            cats = set(self.cues).union(regex)
        else:
            cats = set(self.cues)
            if self.possible:
                cats.update(ci for ci, cues in regex.items() if any(id(c) in self.possible for c in cues))
        return sorted(cats)

    def hits(self, ci: int) -> list[Hit]:
        """The hits of category ``ci``: (start, end, matched text, weight), leftmost-longest, in text order."""
        literal = self.cues.get(ci, [])
        regex = self.index.regex_cues.get(ci, [])
        if regex and self.possible is not None:
            regex = [cue for cue in regex if id(cue) in self.possible] if self.possible else ()
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
    for group in spans:
        for vs, ve in group:
            if vs < e and s < ve:
                return True
    return False
