"""Term statistics: hand-computed G², chi², log ratio and p-values; keyness, KWIC, collocations and shifts on seeds."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from analysis import segment, terms
from analysis.cli import main as cli_main
from analysis.errors import ParameterError
from analysis.segment import load_resources, tokenize


@pytest.fixture(scope="module")
def seed_tokens(corpus):
    return tokenize(corpus)


def _tokens(rows) -> pd.DataFrame:
    """A hand-made token table: rows of (doc_id, unit_id, city, year, part, token, class)."""
    df = pd.DataFrame(rows, columns=["doc_id", "unit_id", "city", "year", "part", "token", "class"])
    df["position"] = df.groupby("unit_id").cumcount()
    df["raw"] = df["token"]
    df["year"] = df["year"].astype("Int64")
    return df


# ------------------------------------------------------------------------------------- statistics by hand
def test_contingency_stats_by_hand():
    # term: 10 of 1,000 target words, 20 of 4,000 reference words
    # N = 5000, row totals 30 / 4970, column totals 1000 / 4000
    # E = 1000*30/5000 = 6, 4000*30/5000 = 24, 1000*4970/5000 = 994, 4000*4970/5000 = 3976
    # G² = 2*(10 ln(10/6) + 20 ln(20/24) + 990 ln(990/994) + 3980 ln(3980/3976))
    #    = 2*(5.108256 - 3.646431 - 3.991941 + 4.002011) = 2.943791
    # chi² = 4²/6 + 4²/24 + 4²/994 + 4²/3976 = 2.666667 + 0.666667 + 0.016097 + 0.004024 = 3.353454
    # log ratio = log2((10/1000) / (20/4000)) = log2(0.01 / 0.005) = 1
    # p (1 df) = erfc(sqrt(x / 2)): G² -> 0.086208, chi² -> 0.067064
    st = terms.contingency_stats([10], [20], 1000, 4000).iloc[0]
    assert st["g2"] == pytest.approx(2.943791214, abs=1e-8)
    assert st["chi2"] == pytest.approx(3.353454058, abs=1e-8)
    assert st["log_ratio"] == pytest.approx(1.0)
    assert st["p_g2"] == pytest.approx(math.erfc(math.sqrt(2.943791214 / 2)), rel=1e-7)
    assert st["p_g2"] == pytest.approx(0.0862082, abs=1e-6)
    assert st["p_chi2"] == pytest.approx(0.0670642, abs=1e-6)
    assert bool(st["over"])
    # and against scipy's independent implementation
    g2, p, _, _ = chi2_contingency([[10, 20], [990, 3980]], lambda_="log-likelihood", correction=False)
    c2, pc, _, _ = chi2_contingency([[10, 20], [990, 3980]], correction=False)
    assert st["g2"] == pytest.approx(g2) and st["p_g2"] == pytest.approx(p)
    assert st["chi2"] == pytest.approx(c2) and st["p_chi2"] == pytest.approx(pc)


def test_log_ratio_adds_half_to_zero_counts_and_g2_with_a_zero_cell():
    # a = 0 -> 0.5: log2((0.5/1000) / (8/4000)) = log2(0.0005 / 0.002) = log2(0.25) = -2
    st = terms.contingency_stats([0], [8], 1000, 4000).iloc[0]
    assert st["log_ratio"] == pytest.approx(-2.0)
    assert not bool(st["over"])
    # E = 1000*8/5000 = 1.6 and 6.4; the zero cell contributes 0 (0 ln 0 = 0):
    # G² = 2*(8 ln(8/6.4) + 1000 ln(1000/998.4) + 3992 ln(3992/3993.6))
    by_hand = 2 * (8 * math.log(8 / 6.4) + 1000 * math.log(1000 / 998.4) + 3992 * math.log(3992 / 3993.6))
    assert st["g2"] == pytest.approx(by_hand)
    g2, _, _, _ = chi2_contingency([[0, 8], [1000, 3992]], lambda_="log-likelihood", correction=False)
    assert st["g2"] == pytest.approx(g2)


def test_multiple_comparison_corrections_by_hand():
    p = [0.01, 0.04, 0.03, 0.20]
    # Bonferroni: p * m (m = 4), capped at 1
    assert terms.adjust_p(p, "bonferroni") == pytest.approx([0.04, 0.16, 0.12, 0.80])
    # BH: sorted 0.01, 0.03, 0.04, 0.20 -> p*m/rank = 0.04, 0.06, 0.0533, 0.20 -> running min from the top
    #     = 0.04, 0.0533, 0.0533, 0.20 ; back in input order:
    assert terms.adjust_p(p, "fdr_bh") == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.20])
    assert terms.adjust_p(p, "none") == pytest.approx(p)
    with pytest.raises(ParameterError):
        terms.adjust_p(p, "holm")


def _hand_corpus() -> pd.DataFrame:
    rows = []
    # city A: 10 words: 科技 x4, 风电 x3, 的 x2 (stop), "，" (punct, not a word)
    for i, (tok, cls) in enumerate([("科技", "content")] * 4 + [("风电", "content")] * 3 + [("的", "stop")] * 2
                                   + [("建设", "content")] + [("，", "punct")]):
        rows.append(("a1", "a1#0000", "A", 2021, "summary", tok, cls))
    # city B: 20 words over two documents: 科技 x4, 建设 x10, 的 x6
    for tok, n in [("科技", 2), ("建设", 5), ("的", 3)]:
        rows += [("b1", "b1#0000", "B", 2022, "plan", tok, "stop" if tok == "的" else "content")] * n
        rows += [("b2", "b2#0000", "B", 2022, "plan", tok, "stop" if tok == "的" else "content")] * n
    return _tokens(rows)


def test_keyness_on_a_hand_table():
    k = terms.keyness(_hand_corpus(), by="city", target="A", min_freq=1)
    assert k.attrs["n_target"] == 10 and k.attrs["n_reference"] == 20  # punct is not a word
    assert k.attrs["target_docs"] == "a1" and k.attrs["reference_docs"] == "b1, b2"
    row = k.set_index("term").loc["风电"]
    assert (row["target_count"], row["reference_count"]) == (3, 0)
    assert row["target_per10k"] == pytest.approx(3000.0)  # 3 / 10 * 10,000
    g2, p, _, _ = chi2_contingency([[3, 0], [7, 20]], lambda_="log-likelihood", correction=False)
    assert row["g2"] == pytest.approx(g2) and row["p_value"] == pytest.approx(p)
    assert row["log_ratio"] == pytest.approx(math.log2((3 / 10) / (0.5 / 20)))
    assert row["direction"] == "over" and row["score"] == pytest.approx(g2)
    under = k.set_index("term").loc["建设"]  # 1/10 vs 10/20
    assert under["direction"] == "under" and under["score"] == pytest.approx(-under["g2"])
    assert k["score"].is_monotonic_decreasing
    assert "的" not in set(k["term"])  # stop words are not tested by default
    assert list(k.columns) == terms.KEYNESS_COLUMNS and k.attrs["measure"] == "g2"
    # min_freq filters on target + reference count
    assert "风电" not in set(terms.keyness(_hand_corpus(), by="city", target="A", min_freq=4)["term"])


def test_keyness_options_and_errors():
    toks = _hand_corpus()
    lr = terms.keyness(toks, by="city", target="A", measure="log_ratio", min_freq=1)
    assert lr["score"].tolist() == pytest.approx(lr["log_ratio"].tolist())
    by_year = terms.keyness(toks, by="year", target="2021", min_freq=1)  # a CLI string matches an Int64 year
    assert by_year.attrs["n_target"] == 10
    with pytest.raises(ParameterError, match="target"):
        terms.keyness(toks, by="city", target="Z")
    with pytest.raises(ParameterError, match="measure"):
        terms.keyness(toks, by="city", target="A", measure="pmi")
    with pytest.raises(ParameterError, match="overlaps"):
        terms.keyness(toks, by="city", target="A", reference=["A", "B"])


def test_term_frequencies_by_hand():
    f = terms.term_frequencies(_hand_corpus(), by="city")
    b = f[f["city"] == "B"].set_index("term")
    assert b.loc["建设", "count"] == 10 and b.loc["建设", "doc_freq"] == 2
    assert b.loc["建设", "per10k"] == pytest.approx(10 / 20 * 1e4)
    assert "的" not in b.index
    assert list(f.columns) == ["city", "term", "count", "per10k", "doc_freq"]
    whole = terms.term_frequencies(_hand_corpus(), classes=("content", "stop")).set_index("term")
    assert whole.loc["的", "count"] == 8 and whole.loc["科技", "per10k"] == pytest.approx(8 / 30 * 1e4)


def test_tfidf_and_similarity_by_hand():
    toks = _hand_corpus()
    t = terms.tfidf(toks, by="doc_id")
    a1 = t[t["doc_id"] == "a1"].set_index("term")
    # smoothed idf = ln((1+n)/(1+df)) + 1 with n = 3 documents
    idf = {"科技": math.log(4 / 4) + 1, "风电": math.log(4 / 2) + 1, "建设": math.log(4 / 4) + 1}
    raw = {"科技": 4 * idf["科技"], "风电": 3 * idf["风电"], "建设": 1 * idf["建设"]}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    for term, v in raw.items():
        assert a1.loc[term, "tfidf"] == pytest.approx(v / norm)
    sim = terms.similarity(toks, by="doc_id").set_index(["a", "b"])["cosine"]
    assert sim[("b1", "b2")] == pytest.approx(1.0)  # identical documents
    assert sim[("a1", "a1")] == pytest.approx(1.0)
    assert sim[("a1", "b1")] == pytest.approx(sim[("b1", "a1")]) and 0 < sim[("a1", "b1")] < 1


# ------------------------------------------------------------------------------------- KWIC
def test_kwic_crosses_sentence_boundaries_by_hand():
    docs = pd.DataFrame({"doc_id": ["d"], "text": ["一是加强。\n二是实施揭榜挂帅项目。"]})
    units = pd.DataFrame({"doc_id": ["d", "d"], "unit_id": ["d#0000", "d#0001"], "start": [0, 6], "end": [5, 16],
                          "text": ["一是加强。", "二是实施揭榜挂帅项目。"], "part": ["plan", "plan"],
                          "section_path": ["一", "二"]})

    class C:  # a duck-typed corpus
        pass

    c = C()
    c.docs, c.units = docs, units
    k = terms.kwic(c, "揭榜挂帅", window=8)
    assert k.to_dict("records") == [{"doc_id": "d", "unit_id": "d#0001", "part": "plan", "section_path": "二",
                                     "left": "加强。 二是实施", "keyword": "揭榜挂帅", "right": "项目。",
                                     "start": 10, "end": 14}]
    # the same from the units alone (document text rebuilt) and with a regex
    assert terms.kwic(units, "揭榜挂帅", window=8)["left"].tolist() == ["加强。 二是实施"]
    assert terms.kwic(c, r"[一二]是", regex=True, window=2)["keyword"].tolist() == ["一是", "二是"]
    with pytest.raises(ParameterError, match="pattern"):
        terms.kwic(c, "([", regex=True)


def test_kwic_on_seeds(corpus):
    k = terms.kwic(corpus, "揭榜挂帅", window=10)
    assert len(k) == sum(t.count("揭榜挂帅") for t in corpus.docs["text"])
    texts = dict(zip(corpus.docs["doc_id"], corpus.docs["text"]))
    units = corpus.units.set_index("unit_id")
    for r in k.itertuples():
        assert texts[r.doc_id][r.start:r.end] == "揭榜挂帅"
        assert units.loc[r.unit_id, "start"] <= r.start < units.loc[r.unit_id, "end"]
        assert len(r.left) == 10 and r.section_path == units.loc[r.unit_id, "section_path"]


# ------------------------------------------------------------------------------------- collocations
def test_collocations_by_hand():
    # three sentences; bigram positions: (科技 创新)(创新 企业) | (科技 创新)(创新 平台) | (科技 创新)
    rows = [("d", "d#0", "A", 2022, "plan", t, "content") for t in ["科技", "创新", "企业"]]
    rows += [("d", "d#1", "A", 2022, "plan", t, "content") for t in ["科技", "创新", "平台"]]
    rows += [("d", "d#2", "A", 2022, "plan", t, c) for t, c in [("科技", "content"), ("创新", "content"),
                                                                ("。", "punct"), ("平台", "content")]]
    c = terms.collocations(_tokens(rows), n=2, min_count=2, measure="pmi")
    row = c.set_index("collocation").loc["科技 创新"]
    # N = 5 positions; 科技 first in 3, 创新 second in 3: E = 3*3/5 = 1.8, PMI = log2(3/1.8)
    assert row["count"] == 3 and row["expected"] == pytest.approx(1.8)
    assert row["pmi"] == pytest.approx(math.log2(3 / 1.8))
    g2, _, _, _ = chi2_contingency([[3, 0], [0, 2]], lambda_="log-likelihood", correction=False)
    assert row["g2"] == pytest.approx(g2)
    assert len(c) == 1  # 创新 平台 occurs once within a sentence run: the punct breaks the third
    tri = terms.collocations(_tokens(rows), n=3, min_count=1)
    assert set(tri["collocation"]) == {"科技 创新 企业", "科技 创新 平台"}


def test_cooccurrence_by_hand():
    rows = [("d", "d#0", "A", 2022, "plan", t, "content") for t in ["科技", "企业", "企业"]]
    rows += [("d", "d#1", "A", 2022, "plan", t, "content") for t in ["科技", "企业"]]
    rows += [("e", "e#0", "A", 2022, "plan", t, "content") for t in ["科技", "平台"]]
    co = terms.cooccurrence(_tokens(rows), min_count=1).set_index(["term_a", "term_b"])
    # sentences: N = 3; 科技 in 3, 企业 in 2, both in 2 -> PMI = log2(2*3/(3*2)) = 0
    assert co.loc[("企业", "科技"), "count"] == 2 and co.loc[("企业", "科技"), "pmi"] == pytest.approx(0.0)
    assert co.loc[("企业", "科技"), "doc_freq"] == 1
    assert co.loc[("平台", "科技"), "count"] == 1 and co.loc[("平台", "科技"), "pmi"] == pytest.approx(math.log2(3 / 3))
    assert ("企业", "平台") not in co.index


def test_collocations_and_cooccurrence_on_seeds(seed_tokens):
    c = terms.collocations(seed_tokens, n=2, min_count=3)
    assert len(c) > 20 and c["g2"].is_monotonic_decreasing and (c["count"] >= 3).all()
    co = terms.cooccurrence(seed_tokens, window="sentence", min_count=3)
    assert (co["term_a"] < co["term_b"]).all() and (co["count"] >= 3).all()
    formulaic = load_resources().formulaic
    assert not (set(co["term_a"]) | set(co["term_b"])) & formulaic


# ------------------------------------------------------------------------------------- done-when on the seeds
def test_yangjiang_keyness_surfaces_its_industries(seed_tokens):
    top = terms.keyness(seed_tokens, by="city", target="阳江").head(30)
    assert (top["direction"] == "over").all()
    assert {"海上风电", "合金材料", "五金刀剪"} <= set(top["term"])


def test_dongguan_keyness_surfaces_songshan_lake(seed_tokens):
    top = terms.keyness(seed_tokens, by="city", target="东莞").head(30)
    assert {"松山湖", "松山湖科学城"} <= set(top["term"])


@pytest.mark.parametrize("by", ["city", "doc_id", "part"])
def test_no_formulaic_phrase_in_any_default_top30(seed_tokens, by):
    formulaic = load_resources().formulaic
    for value in seed_tokens[by].dropna().unique():
        if (seed_tokens[by] != value).sum() == 0:
            continue
        top = terms.keyness(seed_tokens, by=by, target=value).head(30)
        assert not set(top["term"]) & formulaic, (by, value)
    # …while formulaic phrases are counted and can be studied on request
    f = terms.term_frequencies(seed_tokens, classes=("formulaic",))
    assert f["count"].sum() > 50 and set(f["term"]) <= formulaic


# ------------------------------------------------------------------------------------- shifts
def test_part_shift_names_its_documents(seed_tokens):
    s = terms.part_shift(seed_tokens, by="doc_id")
    assert set(s["doc_id"]) == {"dongguan_2021_summary_2022_plan", "guangzhou_2019_summary_2020_plan",
                                "zhongshan_2023_summary_2024_plan"}
    assert (s["docs"] == s["doc_id"]).all() and (s["n_docs"] == 1).all()
    gz = s[s["doc_id"] == "guangzhou_2019_summary_2020_plan"]
    assert gz["score"].is_monotonic_decreasing


def test_year_trends_emergence_and_trends(seed_tokens):
    yt = terms.year_trends(seed_tokens, terms=["揭榜挂帅", "松山湖科学城"])
    years = sorted(seed_tokens["year"].dropna().unique())
    assert len(yt) == 2 * len(years)  # zero-filled grid
    row = yt[(yt["term"] == "揭榜挂帅") & (yt["year"] == 2022)].iloc[0]
    assert row["count"] == 3 and row["docs"] == "dongguan_2022_proposal_reply_20220364, yangjiang_2022_plan"
    assert yt.loc[(yt["term"] == "揭榜挂帅") & (yt["year"] == 2019), "count"].item() == 0
    em = terms.emergence(seed_tokens).set_index("term")
    assert em.loc["揭榜挂帅", "first_year"] == 2022
    assert em.loc["揭榜挂帅", "first_cities"] == "东莞, 阳江"
    tr = terms.term_trends(seed_tokens)
    assert tr.attrs["first_year"] == 2019 and tr.attrs["last_year"] == 2024
    assert set(tr["trend"]) <= {"rising", "falling"} and tr["rho"].between(-1, 1).all()
    assert tr["docs"].iloc[0] == "guangzhou_2019_summary_2020_plan, zhongshan_2023_summary_2024_plan"


def test_city_vs_rest(seed_tokens):
    cv = terms.city_vs_rest(seed_tokens, top=10)
    assert set(cv["city"]) == {"东莞", "中山", "广州", "阳江"} and len(cv) == 80  # 10 over + 10 under each
    dg = cv[cv["city"] == "东莞"]
    assert dg["n_docs"].iloc[0] == 2 and "dongguan_2022_proposal_reply_20220364" in dg["docs"].iloc[0]


# ------------------------------------------------------------------------------------- the whole pipeline, warm
def test_warm_term_pipeline_does_no_segmentation(tmp_path, monkeypatch):
    from analysis.pipeline.build import build

    def pipeline():
        toks = build(cache=tmp_path / "cache").tokens
        return (terms.keyness(toks, by="city", target="阳江"), terms.term_frequencies(toks, by="city"),
                terms.collocations(toks), terms.part_shift(toks), terms.year_trends(toks, terms=["揭榜挂帅"]))

    cold = pipeline()
    calls = []
    monkeypatch.setattr("analysis.segment.tokens._cut_gaps", lambda *a, **k: calls.append(a) or [])
    segment.reset_stats()
    warm = pipeline()
    assert calls == [] and segment.STATS["segment_calls"] == 0 and segment.STATS["docs_segmented"] == 0
    for a, b in zip(cold, warm):
        pd.testing.assert_frame_equal(a, b)


# ------------------------------------------------------------------------------------- CLI
def test_cli_keyness_csv(capsys):
    assert cli_main(["keyness", "--by", "city", "--target", "阳江", "--top", "30", "--format", "csv"]) == 0
    out = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert list(out.columns) == ["term", "target_count", "reference_count", "target_per10k", "reference_per10k",
                                 "g2", "log_ratio", "p_value", "p_adjusted", "direction"]
    assert len(out) == 30 and {"海上风电", "合金材料", "五金刀剪"} <= set(out["term"])


def test_cli_kwic_term_before_paths(capsys, seeds_dir):
    path = str(seeds_dir / "yangjiang_2022_plan.txt")
    assert cli_main(["kwic", "揭榜挂帅", path, "--window", "5", "--format", "csv"]) == 0
    out = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert out["doc_id"].tolist() == ["yangjiang_2022_plan"] and out["keyword"].tolist() == ["揭榜挂帅"]
    assert out["left"].str.len().tolist() == [5]


def test_cli_terms_and_errors(capsys):
    assert cli_main(["terms", "--by", "city", "--top", "2", "--format", "csv"]) == 0
    out = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert len(out) == 8 and list(out.columns) == ["city", "term", "count", "per10k", "doc_freq"]
    assert cli_main(["keyness", "--by", "city", "--target", "北京"]) == 1
    assert "target='北京'" in capsys.readouterr().err


def test_numbers_and_np_types_are_plain(seed_tokens):
    k = terms.keyness(seed_tokens, by="city", target="阳江")
    assert k["target_count"].dtype == np.int64 and k["g2"].dtype == np.float64
