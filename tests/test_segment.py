"""Segmentation: the policy lexicon is in force (both backends), aliases fold, classes, offsets, context columns.

Caching is the build's (tests/test_build.py): a warm build segments nothing, a lexicon or code change re-segments."""
from __future__ import annotations

import re

import jieba
import pandas as pd
import pytest

from analysis import segment
from analysis.errors import ParameterError, ResourceError
from analysis.segment import load_resources, tokenize

LEXICON_PROBES = ["高新技术企业", "科技型中小企业", "揭榜挂帅", "松山湖科学城"]


@pytest.fixture(scope="module")
def seed_tokens(corpus):
    return tokenize(corpus)


def _units(*texts: str, doc_id: str = "d") -> pd.DataFrame:
    """A one-document units table following the corpus contract (sentences separated by a line break)."""
    rows, pos = [], 0
    for i, t in enumerate(texts):
        rows.append({"doc_id": doc_id, "unit_id": f"{doc_id}#{i:04d}", "para_id": i, "start": pos,
                     "end": pos + len(t), "text": t, "part": "plan", "city": "东莞", "year": 2022})
        pos += len(t) + 1
    df = pd.DataFrame(rows)
    df["year"] = df["year"].astype("Int64")
    return df


# ------------------------------------------------------------------------------------- lexicon in force
def test_plain_jieba_splits_the_probes_so_the_lexicon_test_means_something():
    plain = jieba.Tokenizer()
    for term in ["高新技术企业", "揭榜挂帅", "松山湖科学城"]:
        assert term not in plain.lcut(f"支持{term}发展"), term


@pytest.mark.parametrize("segmenter", ["jieba", "rjieba"])
def test_lexicon_terms_survive_as_single_tokens_in_the_seeds(corpus, segmenter):
    tokens = tokenize(corpus, segmenter=segmenter)
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    spans = {doc: list(zip(g["start"], g["end"])) for doc, g in tokens.groupby("doc_id")}
    for term in LEXICON_PROBES:
        assert (tokens["raw"] == term).sum() > 0, term
        # no occurrence of the term in any seed is cut inside: a single token covers each one
        n = 0
        for doc, text in texts.items():
            for m in re.finditer(term, text):
                n += 1
                assert any(s <= m.start() and m.end() <= e for s, e in spans[doc]), (term, doc, m.start())
        assert n > 0


def test_seed_probe_counts(seed_tokens):
    raw = seed_tokens["raw"].value_counts()
    assert raw["揭榜挂帅"] == 6
    assert raw["松山湖科学城"] == 11
    # 高企 / 国家高新技术企业 … fold onto 高新技术企业: more tokens than surface forms
    assert (seed_tokens["token"] == "高新技术企业").sum() > raw["高新技术企业"]


def test_low_frequency_lexicon_entry_still_kept_whole(tmp_path):
    # jieba's trap: a userdict entry with freq 1 loses to its pieces; protection does not depend on freq
    lex = tmp_path / "lex.txt"
    lex.write_text("揭榜挂帅 1 nz\n科技特派员 1 n\n", encoding="utf-8")
    t = tokenize(_units("实施揭榜挂帅和科技特派员制度"), lexicon=lex, aliases=False, stopwords=False,
                 formulaic=False)
    assert "揭榜挂帅" in t["token"].tolist() and "科技特派员" in t["token"].tolist()


def test_global_jieba_and_parallel_mode_untouched(seed_tokens):
    assert "松山湖科学城" not in jieba.dt.FREQ  # our lexicon never leaks into the global tokenizer
    assert jieba.pool is None  # parallel mode (which drops user dictionaries) is never enabled
    tok = segment.get_tokenizer(load_resources())
    assert tok is not jieba.dt and tok.FREQ.get("松山湖科学城", 0) >= 1000


def test_longest_match_wins():
    res = load_resources(lexicon=["科技型中小企业", "中小企业", "科技型企业"], aliases=False, stopwords=False,
                         formulaic=False)
    words = [w for w, _, _ in segment.cut("培育科技型中小企业", res)]
    assert words == ["培育", "科技型中小企业"]


# ------------------------------------------------------------------------------------- aliases, classes, offsets
def test_aliases_fold_and_keep_the_surface_form():
    t = tokenize(_units("新增高企120家，R&D投入增长。"), lexicon=False, stopwords=False, formulaic=False,
                 aliases={"高企": "高新技术企业", "R&D": "研发"})
    row = t[t["raw"] == "高企"].iloc[0]
    assert row["token"] == "高新技术企业" and (row["start"], row["end"]) == (2, 4)
    assert t.loc[t["raw"] == "R&D", "token"].tolist() == ["研发"]


def test_classes_on_a_hand_sentence():
    t = tokenize(_units("以习近平新时代中国特色社会主义思想为指导，2022年新增高企120家。"), lexicon=["高新技术企业"],
                 aliases={"高企": "高新技术企业"}, stopwords=["以", "为", "年"],
                 formulaic=["习近平新时代中国特色社会主义思想"])
    got = dict(zip(t["raw"], t["class"]))
    assert got["习近平新时代中国特色社会主义思想"] == "formulaic"
    assert got["以"] == "stop" and got["为"] == "stop" and got["年"] == "stop"
    assert got["，"] == "punct" and got["。"] == "punct"
    assert got["2022"] == "number" and got["120"] == "number"
    assert got["高企"] == "content" and got["指导"] == "content"


def test_bundled_classes_on_seeds(seed_tokens):
    cls = seed_tokens.drop_duplicates("token").set_index("token")["class"]
    assert cls["的"] == "stop"
    assert cls["习近平总书记"] == "formulaic"
    assert cls["高新技术企业"] == "content"
    assert set(seed_tokens["class"]) <= set(segment.TOKEN_CLASSES)


def test_offsets_point_into_the_document_text(corpus, seed_tokens):
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    sample = seed_tokens.sample(2000, random_state=0)
    for doc, raw, s, e in zip(sample["doc_id"], sample["raw"], sample["start"], sample["end"]):
        assert texts[doc][s:e] == raw
    # positions are 0..n-1 within each unit
    pos = seed_tokens.groupby("unit_id")["position"].agg(["min", "max", "size"])
    assert (pos["min"] == 0).all() and (pos["max"] == pos["size"] - 1).all()


def test_token_table_columns_carry_grouping_columns(seed_tokens):
    assert list(seed_tokens.columns[:8]) == segment.TOKEN_COLUMNS
    for col in ["part", "city", "province", "doc_type", "year", "section_id", "para_id", "is_heading",
                "summary_year", "plan_year"]:
        assert col in seed_tokens.columns, col
    assert "text" not in seed_tokens.columns
    assert seed_tokens.loc[seed_tokens["doc_id"] == "yangjiang_2022_plan", "city"].unique().tolist() == ["阳江"]


# ------------------------------------------------------------------------------------- backends
def test_backends_agree_on_the_seeds(corpus):
    agreement = segment.segmenter_agreement(corpus)
    assert agreement["agreement"] >= 0.99, agreement


def test_unknown_segmenter_and_missing_resource():
    with pytest.raises(ParameterError, match="segmenter"):
        tokenize(_units("科技"), segmenter="thulac")
    with pytest.raises(ResourceError, match="no_such_lexicon.txt"):
        tokenize(_units("科技"), lexicon="/nonexistent/no_such_lexicon.txt")
    with pytest.raises(ParameterError, match="missing columns"):
        tokenize(pd.DataFrame({"doc_id": ["d"], "text": ["科技"]}))


def test_bad_lexicon_frequency_is_reported_with_the_file(tmp_path):
    lex = tmp_path / "lex.txt"
    lex.write_text("揭榜挂帅 many nz\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"lex.txt: line 1"):
        load_resources(lexicon=lex)


def test_lean_tokens_joined_with_context_equal_tokenize(corpus):
    """The build stores lean tokens and joins the context when read: the same table as tokenize on a Corpus."""
    full = tokenize(corpus)
    lean = tokenize(corpus, context=False)
    assert list(lean.columns) == segment.TOKEN_COLUMNS
    joined = segment.with_context(lean, corpus.units, corpus.docs)
    pd.testing.assert_frame_equal(full, joined)
    assert {"summary_year", "plan_year", "published", "issuer", "part", "year", "city"} <= set(full.columns)


# ------------------------------------------------------------------------------------- protected-term pass
def _reference_spans(texts, res):
    """The definition the Aho–Corasick pass must reproduce: ``re.finditer`` over the alternation of the protected
    terms longest first, text by text, less the matches a common word crosses."""
    from analysis.segment.cut import _common_words, _straddles

    if not res.protected:
        return [[] for _ in texts]
    pattern = re.compile("|".join(map(re.escape, res.protected)))
    words = _common_words()
    return [[m.span() for m in pattern.finditer(t) if not _straddles(t, *m.span(), words)] for t in texts]


def test_protected_spans_are_the_leftmost_longest_matches_of_the_alternation():
    # overlapping terms where pyahocorasick's own iter_long loses matches (a failed longer attempt eats the next)
    res = load_resources(lexicon=["ab", "abcd", "cx", "acca", "bc", "b", "ca", "c", "cab", "aaac"], aliases=False,
                         stopwords=False, formulaic=False)
    texts = ["abcx", "daadbdcaaabbcac", "acdaccdca", "", "abcdcab", "xyz"]
    got = segment.protected_spans(texts, res)
    assert got == _reference_spans(texts, res)
    assert got[0] == [(0, 2), (2, 4)] and got[1][-1] == (14, 15) and got[3] == []


def test_protected_spans_on_the_seeds_equal_the_reference(corpus):
    res = load_resources()
    for _doc_id, units in corpus.units.groupby("doc_id", sort=False):
        texts = list(units["text"])
        assert segment.protected_spans(texts, res) == _reference_spans(texts, res)


def test_seed_token_table_unchanged_by_the_one_pass_protection(corpus, seed_tokens, monkeypatch):
    """Before/after: the token table with the reference (per-sentence regex) protection equals today's."""
    from analysis.segment import tokens as tokens_module

    monkeypatch.setattr(tokens_module, "protected_spans", _reference_spans)
    before = tokenize(corpus)
    assert len(before) > 10_000
    pd.testing.assert_frame_equal(before, seed_tokens)


def _per_unit_reference(units: pd.DataFrame, segmenter: str) -> pd.DataFrame:
    """The lean token columns cut unit by unit and gap by gap with :func:`segment.cut` (the route before one
    segmenter call per document)."""
    res = load_resources()
    rows = [(u.doc_id, u.unit_id, pos, w, u.start + s, u.start + e)
            for u in units.itertuples() for pos, (w, s, e) in enumerate(segment.cut(u.text, res, segmenter=segmenter))]
    return pd.DataFrame(rows, columns=["doc_id", "unit_id", "position", "raw", "start", "end"])


@pytest.mark.parametrize("segmenter", ["jieba", "rjieba"])
def test_one_segmenter_call_per_document_equals_cutting_every_gap_alone(corpus, segmenter):
    got = tokenize(corpus, segmenter=segmenter, context=False)
    want = _per_unit_reference(corpus.units, segmenter)
    assert len(got) > 10_000
    pd.testing.assert_frame_equal(got[list(want.columns)].astype(object), want.astype(object))


@pytest.mark.parametrize("segmenter", ["jieba", "rjieba"])
def test_separator_characters_in_the_text_and_whitespace_at_gap_edges(segmenter):
    # every candidate separator occurs (the per-gap fallback), whitespace and \r\n around protected terms
    units = _units("科技创新\r\n加快\x00建设\x01科技创新 平台", "\x02\x03\x04\x05\x06\x07\x08\x0e\x0f 自主创新。",
                   "  研发投入强度达到3.5%,高新技术企业1200家\n")
    got = tokenize(units, segmenter=segmenter, context=False)
    want = _per_unit_reference(units, segmenter)
    pd.testing.assert_frame_equal(got[list(want.columns)].astype(object), want.astype(object))
    assert "科技创新" in set(got["raw"]) and not any(t.isspace() for t in got["raw"])
    units2 = _units("科技创新\r\n加快建设科技创新 平台", "自主创新。")  # the one-call route
    pd.testing.assert_frame_equal(tokenize(units2, segmenter=segmenter, context=False)[list(want.columns)].astype(object),
                                  _per_unit_reference(units2, segmenter).astype(object))
