"""The cue matcher's shortcuts (analysis/themes/matcher.py) against the plain per-unit route they replace."""
from __future__ import annotations

import random
import re

import pytest

from analysis.themes.matcher import SEP, _context_free, _units_with_match

PATTERNS = [r"a[^,。]{0,6}b", r"\d", r"(出台|制定)[^。;]{0,30}(规划|方案)", r"力争|确保", r"争取.{0,30}?(达到|\d+家)",
            r"[一二三]+(家|个)", r"x*", r"(?:ab|b)c"]


def _candidates(pattern: str, texts: list[str]) -> set[int]:
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + len(SEP)
    return set(_units_with_match(re.compile(pattern), SEP.join(texts), starts))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_unit_a_pattern_matches_is_a_candidate(pattern):
    rng = random.Random(7)
    alphabet = list("abcx,。;1二家个出台制定规划方案力争确保取达到") + [" "]
    for _ in range(300):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 6))]
        matched = {i for i, t in enumerate(texts) if re.search(pattern, t)}
        assert matched <= _candidates(pattern, texts), (pattern, texts)


def test_a_match_across_two_units_does_not_hide_the_next_units_own_match():
    # in the joined text "xa␀ab" the first match is "a␀ab" (crossing); unit 1's own "ab" must still be found
    assert _candidates(r"a[^,]{0,6}b", ["xa", "ab"]) == {0, 1}
    assert _candidates(r"a[^,]{0,6}b", ["xa", "cc", "zz"]) == set()


@pytest.mark.parametrize("pattern", [r"高新区(?!管委会)", r"^为指导", r"(?<=将)建设", r"\b\d", r"(a)\1", r"(?>a+)b", r"a++b"])
def test_patterns_that_look_around_their_match_get_every_unit(pattern):
    assert not _context_free(re.compile(pattern))
    assert _candidates(pattern, ["甲", "乙", "丙"]) == {0, 1, 2}


def test_plain_patterns_are_context_free():
    assert all(_context_free(re.compile(p)) for p in PATTERNS)


def test_a_document_scanned_again_gives_the_kept_result_and_old_ones_are_dropped():
    from analysis.themes import load_taxonomy
    from analysis.themes.matcher import _RECENT, CueIndex

    index = CueIndex(load_taxonomy(None).themes)
    texts, parts = ["加快建设国家实验室和新型研发机构。", "推进产学研合作。"], ["plan", "plan"]
    first = index.scan(texts, parts)
    assert index.scan(list(texts), list(parts)) is first  # the same document: not scanned again
    fresh = CueIndex(load_taxonomy(None).themes).scan(texts, parts)
    assert [[m.hits(ci) for ci in range(len(index.categories))] for m in first] == \
           [[m.hits(ci) for ci in range(len(index.categories))] for m in fresh]
    assert index.scan(texts, ["summary", "summary"]) is not first  # other parts: another key
    for i in range(_RECENT):
        index.scan([f"第{i}句。"], ["plan"])
    assert len(index._recent) == _RECENT and index.scan(texts, parts) is not first


@pytest.mark.parametrize("which", ["themes", "instruments"])
def test_categories_outside_candidates_have_no_hits(which):
    """UnitMatches.candidates lets the coders skip categories: every other category's hits must be empty, and the
    unit-of-a-match bookkeeping of the scan must place each match in its own unit (offsets inside the unit)."""
    from analysis.themes import load_scheme, load_taxonomy
    from analysis.themes.coding import _scheme_index, _theme_index

    index = _theme_index(load_taxonomy(None)) if which == "themes" else _scheme_index(load_scheme(None))
    texts = ["加快建设国家实验室和新型研发机构，设立科技创新专项资金。", "", "推进产学研合作，落实研发费用加计扣除政策。",
             "天气晴朗。", "出台人才引进方案，力争高新技术企业达到100家。"]
    scanned = index.scan(texts, ["plan", "plan", "summary", "summary", "plan"], ["report"] * len(texts))
    assert any(m.candidates() for m in scanned)
    for m, text in zip(scanned, texts):
        cands = m.candidates()
        assert cands == sorted(set(cands))
        assert all(m.hits(ci) == [] for ci in range(len(index.categories)) if ci not in cands)
        assert all(text[s:e] == cue for ci in cands for s, e, cue, _w in m.hits(ci))
