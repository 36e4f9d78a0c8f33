"""Theme and policy-instrument coding: cue matching, the instrument rule, aggregates (hand-computed), the seeds'
done-when (Zhongshan's party-building share), traceability of shares to evidence, CLI, topics, and agreement with
the hand-coded gold (tests/gold/themes_gold.csv), written to docs/themes_accuracy.md."""
from __future__ import annotations

import io
import math
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import ParameterError, ResourceError
from analysis.evaluation.themes import agreement, agreement_report, match_gold, normalize_sentence, read_gold
from analysis.themes.stats import (instrument_shares, instrument_theme_crosstab, theme_shares, theme_shift,
                                  with_groups)
from analysis.themes import classify_instruments, code_instruments, code_themes, load_scheme, load_taxonomy

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold" / "themes_gold.csv"
ACCURACY_DOC = REPO / "docs" / "themes_accuracy.md"
# The dictionaries were tuned on the gold sentences of these three documents only; the other two are held out.
TUNING_FILES = ("dongguan_2021_summary_2022_plan.txt", "guangzhou_2019_summary_2020_plan.txt",
                "yangjiang_2022_plan.txt")
ISSUE_THEMES = ("party_building", "innovation_platforms", "enterprise_cultivation", "core_technology",
                "tech_transfer", "talent", "sci_tech_finance", "regional_cooperation", "industry",
                "institutional_reform", "agriculture_livelihood", "basic_research")
SUBTYPES = {"supply": ["talent_training", "funding", "infrastructure", "information_support", "public_services"],
            "environment": ["goal_planning", "financial_services", "tax_incentives", "regulation_standards",
                            "strategic_measures"],
            "demand": ["procurement", "outsourcing", "trade_market", "overseas_cooperation", "demonstration_pilots"]}


def _units(texts, *, docs=None, cities=None, parts=None):
    n = len(texts)
    docs = docs or ["a"] * n
    return pd.DataFrame({
        "doc_id": docs, "unit_id": [f"{d}#{i:04d}" for i, d in enumerate(docs)], "text": texts,
        "city": cities or ["东莞"] * n, "part": parts or ["plan"] * n, "is_heading": [False] * n,
        "start": [0] * n, "end": [len(t) for t in texts],
    })


# ------------------------------------------------------------------------------------------ schemes
def test_bundled_taxonomy_has_the_issue_themes_with_labels():
    tax = load_taxonomy()
    assert set(ISSUE_THEMES) <= set(tax.ids)
    for t in tax.themes:
        assert t.label_zh and t.label_en and t.cues


def test_bundled_scheme_has_the_three_types_and_fifteen_subtypes():
    sch = load_scheme()
    assert [t[0] for t in sch.types] == ["supply", "environment", "demand"]
    assert sch.type_labels() == {"supply": "供给型", "environment": "环境型", "demand": "需求型"}
    got = {t: [s.id for s in sch.subtypes if s.parent == t] for t in SUBTYPES}
    assert got == SUBTYPES
    assert all(s.label_zh and s.label_en and s.cues for s in sch.subtypes)


@pytest.mark.parametrize("data, reason", [
    ({"themes": []}, "non-empty 'themes'"),
    ({"themes": [{"id": "a", "cues": []}]}, "non-empty list of cues"),
    ({"themes": [{"id": "a", "cues": ["x"]}, {"id": "a", "cues": ["y"]}]}, "duplicate theme ids: a"),
    ({"themes": [{"id": "a", "cues": [{"regex": "("}]}]}, "bad regex"),
])
def test_bad_taxonomy_is_a_resource_error_naming_the_problem(data, reason):
    with pytest.raises(ResourceError, match=reason):
        load_taxonomy(data)


def test_user_taxonomy_file_replaces_the_bundled_one(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("themes:\n  - id: lab\n    label_zh: 实验室\n    cues: [实验室]\n", encoding="utf-8")
    coded = code_themes(_units(["建设松山湖材料实验室。", "全面从严治党。"]), taxonomy=path)
    assert coded["theme"].tolist() == ["lab"]
    assert coded.attrs["taxonomy"] == str(path)
    with pytest.raises(ResourceError, match="cannot read"):
        load_taxonomy(tmp_path / "missing.yaml")


# ------------------------------------------------------------------------------------------ coding
def test_code_themes_substring_cues_nested_matches_and_exclusions():
    units = _units(["加快推进松山湖材料实验室建设。", "全面从严治党,加强党风廉政建设。", "全市高新技术企业超过1000家。",
                    "落实研发费用加计扣除税收优惠政策。", "支持企业申报国家自然科学基金。"])
    coded = code_themes(units)
    got = {(r.unit_id, r.theme): r.cues for r in coded.itertuples()}
    assert got == {
        ("a#0000", "innovation_platforms"): "实验室",  # inside the name 松山湖材料实验室: substring matching
        ("a#0001", "party_building"): "从严治党、党风廉政",  # 廉政 inside 党风廉政 is not a second cue
        ("a#0002", "enterprise_cultivation"): "高新技术企业",
        ("a#0003", "enterprise_cultivation"): "研发费用",  # 研发费 inside 研发费用 dropped
        ("a#0004", "basic_research"): "自然科学基金",  # not sci_tech_finance: 基金 is excluded there
    }
    row = coded.iloc[1]
    assert (row.label, row.label_en, row.n_hits, row.city, row.part) == ("党的建设", "Party building and integrity",
                                                                         2, "东莞", "plan")
    assert units.loc[1, "text"] == row.text


def test_cue_options_exclude_regex_parts_and_sentence_veto():
    tax = {"themes": [
        {"id": "fin", "cues": ["上市", {"cue": "基金", "exclude": ["自然科学基金"]}], "exclude": ["上市委"]},
        {"id": "goal", "cues": [{"regex": r"力争.{0,6}\d+家", "name": "力争…家"}, {"cue": "我们将", "parts": ["plan"]}]},
        {"id": "rd", "cues": ["研发"], "exclude_sentence": ["研发费用加计扣除"]},
    ]}
    units = _units(["推动企业上市,设立产业基金。", "5家企业通过科创板上市委审核。", "获自然科学基金资助。",
                    "力争新增高企30家。", "我们将加强研发。", "我们将加强研发。", "落实研发费用加计扣除。"],
                   parts=["plan"] * 4 + ["plan", "summary", "plan"])
    coded = code_themes(units, taxonomy=tax)
    got = {(r.unit_id, r.theme): r.cues for r in coded.itertuples()}
    assert got == {("a#0000", "fin"): "上市、基金", ("a#0003", "goal"): "力争新增高企30家",
                   ("a#0004", "goal"): "我们将", ("a#0004", "rd"): "研发", ("a#0005", "rd"): "研发"}


def test_headings_are_coded_unless_excluded():
    units = _units(["(一)强化党建引领。", "抓好党建工作。"])
    units.loc[0, "is_heading"] = True
    assert len(code_themes(units)) == 2
    assert code_themes(units, include_headings=False)["unit_id"].tolist() == ["a#0001"]


SCHEME = {"priority": ["demand", "environment", "supply"], "action_cues": ["支持", "落实"],
          "non_policy": ["党风廉政"],
          "types": [{"id": "supply", "label_zh": "供给型", "subtypes": [{"id": "funding", "cues": ["资助", "补助"]}]},
                    {"id": "environment", "label_zh": "环境型",
                     "subtypes": [{"id": "tax_incentives", "cues": ["加计扣除", {"cue": "税收优惠", "weight": 2}]}]},
                    {"id": "demand", "label_zh": "需求型", "subtypes": [{"id": "procurement", "cues": ["采购"]}]}]}


def test_instrument_rule_hand_computed():
    units = _units(["支持企业研发,给予资助和补助。", "落实加计扣除政策,给予补助。", "全市企业获得补助1亿元。",
                    "支持党风廉政建设资助。", "支持企业发展。", "支持政府采购首台套产品,给予补助。",
                    "落实税收优惠,给予资助和补助。"])
    got = classify_instruments(units, scheme=SCHEME)
    assert got["instrument_type"].tolist() == ["supply", "environment", "none", "none", "none", "demand", "environment"]
    assert got["reason"].tolist() == ["most_hits", "tie", "no_action", "non_policy", "no_cue", "tie", "tie"]
    assert got["hits_supply"].tolist() == [2, 1, 1, 1, 0, 1, 2]
    assert got["hits_environment"].tolist() == [0, 1, 0, 0, 0, 0, 2]  # 税收优惠 weighs 2
    assert got.loc[0, "cues"] == "funding:资助、funding:补助"
    assert got.loc[3, "cues"].startswith("non_policy:党风廉政")
    # the sub-type codes: none-sentences get no rows; dominant marks the sentence's type
    coded = code_instruments(units, scheme=SCHEME)
    assert coded["unit_id"].tolist() == ["a#0000", "a#0001", "a#0001", "a#0005", "a#0005", "a#0006", "a#0006"]
    assert coded["dominant"].tolist() == [True, False, True, False, True, False, True]
    sub = load_scheme({**SCHEME, "scoring": "subtypes"})
    assert classify_instruments(units, scheme=sub)["instrument_type"].tolist()[0:2] == ["supply", "environment"]
    with pytest.raises(ResourceError, match="scoring"):
        load_scheme({**SCHEME, "scoring": "votes"})
    with pytest.raises(ResourceError, match="priority names unknown types: market"):
        load_scheme({**SCHEME, "priority": ["market"]})


def test_bundled_instrument_rule_on_codebook_cases():
    units = _units(["落实研发费用加计扣除等税收政策,为12748家企业减免税额超过102亿元。",
                    "全年新增科技贷款超10亿元。",
                    "坚持以习近平新时代中国特色社会主义思想为指导,推动科技创新。",
                    "我们将以习近平新时代中国特色社会主义思想为指导,推动科技创新。",
                    "加强与港中大对接磋商,落实框架合作协议具体实施工作。",
                    "组织召开党风廉政建设暨形式主义官僚主义专项整治动员会。"],
                   parts=["summary", "summary", "summary", "plan", "plan", "summary"])
    got = classify_instruments(units)
    assert got["instrument_type"].tolist() == ["environment", "none", "none", "environment", "demand", "none"]
    assert got["reason"].tolist()[1:3] == ["no_action", "non_policy"]
    assert "tax_incentives:加计扣除" in got.loc[0, "cues"]


# ------------------------------------------------------------------------------------------ aggregates
TAX = {"themes": [{"id": "lab", "label_zh": "实验室", "cues": ["实验室"]},
                  {"id": "party", "label_zh": "党建", "cues": ["党建"]},
                  {"id": "none_here", "label_zh": "无", "cues": ["不会出现"]}]}


@pytest.fixture
def small():
    texts = ["建设实验室。", "抓好党建。", "实验室党建融合发展。", "其他工作安排如下。",  # doc a: 东莞
             "实验室。", "一般性表述。"]  # doc b: 中山
    units = _units(texts, docs=["a"] * 4 + ["b"] * 2, cities=["东莞"] * 4 + ["中山"] * 2,
                   parts=["summary", "summary", "plan", "plan", "plan", "plan"])
    return units, code_themes(units, taxonomy=TAX)


def test_theme_shares_hand_computed(small):
    units, coded = small
    s = theme_shares(coded, units, by="city", taxonomy=TAX).set_index(["city", "theme"])
    # 东莞: 4 sentences, lab in 2 (6 + 10 chars), party in 2 (5 + 10), coded sentences 3 (6 + 5 + 10 = 21 chars)
    assert s.loc[("东莞", "lab"), ["sentences", "chars", "group_sentences", "coded_sentences"]].tolist() == [2, 16, 4, 3]
    assert s.loc[("东莞", "lab"), "share"] == pytest.approx(2 / 4)
    assert s.loc[("东莞", "lab"), "share_of_coded"] == pytest.approx(2 / 3)
    assert s.loc[("东莞", "party"), "share"] == pytest.approx(2 / 4)
    assert s.loc[("中山", "lab"), "share"] == pytest.approx(1 / 2)
    assert s.loc[("中山", "party"), ["sentences", "share"]].tolist() == [0, 0.0]  # zero rows are kept
    assert s.loc[("东莞", "none_here"), "sentences"] == 0
    assert s.loc[("东莞", "lab"), "group"] == "东莞"
    c = theme_shares(coded, units, by="city", weight="chars", taxonomy=TAX).set_index(["city", "theme"])
    total = sum(len(t) for t in units["text"][:4])  # 6 + 5 + 10 + 9 = 30
    assert c.loc[("东莞", "lab"), "share"] == pytest.approx(16 / total)
    assert c.loc[("东莞", "lab"), "share_of_coded"] == pytest.approx(16 / 21)
    assert c.attrs["weight"] == "chars"
    both = theme_shares(coded, units, by=["doc", "part"], taxonomy=TAX)
    assert set(both["group"]) == {"a / summary", "a / plan", "b / plan"}
    one = theme_shares(coded, units, by=None, taxonomy=TAX).set_index("theme")
    assert one.loc["lab", "share"] == pytest.approx(3 / 6)
    with pytest.raises(ParameterError, match="by='nope'"):
        theme_shares(coded, units, by="nope")
    with pytest.raises(ParameterError, match="weight"):
        theme_shares(coded, units, weight="words")


def test_theme_shift_hand_computed(small):
    units, coded = small
    sh = theme_shift(coded, units, by="doc", normalize="sentences", taxonomy=TAX).set_index("theme")
    # only doc a has both parts: summary 2 sentences (lab 1, party 1), plan 2 sentences (lab 1, party 1)
    assert sh.loc["lab", ["before_count", "before_total", "after_count", "after_total"]].tolist() == [1, 2, 1, 2]
    assert sh.loc["lab", "shift_pp"] == pytest.approx(0.0)
    assert sh.loc["party", "docs"] == "a" and sh.loc["party", "n_docs"] == 1
    assert sh.attrs["excluded_docs"] == ["b"]
    units2 = units.copy()
    units2.loc[3, "text"] = "实验室建设。"
    sh2 = theme_shift(code_themes(units2, taxonomy=TAX), units2, by="city", normalize="sentences",
                      taxonomy=TAX).set_index("theme")
    assert sh2.loc["lab", "shift_pp"] == pytest.approx((2 / 2 - 1 / 2) * 100)


def test_instrument_shares_and_crosstab_hand_computed():
    units = _units(["支持实验室建设,给予资助。", "落实加计扣除政策。", "支持采购实验室设备并给予补助。", "全市完成任务。"],
                   cities=["东莞", "东莞", "中山", "中山"])
    inst = code_instruments(units, scheme=SCHEME)
    sub = instrument_shares(inst, units, by="city", scheme=SCHEME).set_index(["city", "subtype"])
    assert sub.loc[("东莞", "funding"), ["sentences", "share"]].tolist() == [1, 0.5]
    assert sub.loc[("中山", "procurement"), ["sentences", "share", "share_of_coded"]].tolist() == [1, 0.5, 1.0]
    typ = instrument_shares(inst, units, by="city", level="type", scheme=SCHEME)
    assert typ.groupby("city")["share"].sum().tolist() == [1.0, 1.0]  # dominant types + none sum to 1
    t = typ.set_index(["city", "instrument_type"])
    assert t.loc[("中山", "demand"), "sentences"] == 1 and t.loc[("中山", "none"), "sentences"] == 1
    assert t.loc[("东莞", "environment"), "share_of_coded"] == pytest.approx(0.5)
    assert math.isnan(t.loc[("中山", "none"), "share_of_coded"])
    themes = code_themes(units, taxonomy=TAX)
    ct = instrument_theme_crosstab(themes, inst).set_index(["instrument_type", "theme"])
    # lab sentences: #0 (supply) and #2 (demand); 2 sentences carry both codes
    assert ct.loc[("supply", "lab"), ["sentences", "share", "row_share", "col_share"]].tolist() == [1, 0.5, 1.0, 0.5]
    assert ct.loc[("demand", "lab"), "sentences"] == 1
    cts = instrument_theme_crosstab(themes, inst, level="subtype", by="city")
    assert set(cts["subtype"]) == {"funding", "procurement"}
    assert set(cts["group"]) == {"东莞", "中山"}


# ------------------------------------------------------------------------------------------ seeds
@pytest.fixture(scope="module")
def seed_codes(corpus):
    return code_themes(corpus), code_instruments(corpus)


def test_zhongshan_party_building_share_is_the_largest_of_the_five(corpus, seed_codes):
    themes, _ = seed_codes
    # a whole section, not a few mentions: clearly ahead of Guangzhou (whose party-building sections are shorter)
    for weight, margin in (("sentences", 2.0), ("chars", 1.4)):
        s = theme_shares(themes, corpus, by="doc", weight=weight)
        pb = s[s["theme"] == "party_building"].set_index("doc_id")["share"]
        assert len(pb) == 5
        assert pb.idxmax() == "zhongshan_2023_summary_2024_plan"
        assert pb.max() > margin * pb.drop(pb.idxmax()).max()
    s = theme_shares(themes, corpus, by="doc").set_index(["doc_id", "theme"])
    assert s.loc[("zhongshan_2023_summary_2024_plan", "party_building"), "sentences"] == 31
    assert s.loc[("dongguan_2021_summary_2022_plan", "party_building"), "sentences"] == 0
    by_city = theme_shares(themes, corpus, by="city")
    assert by_city[by_city["theme"] == "party_building"].set_index("city")["share"].idxmax() == "中山"


def test_every_share_traces_to_its_evidence_rows(corpus, seed_codes):
    themes, inst = seed_codes
    for by in (["doc"], ["city", "part"]):
        shares = theme_shares(themes, corpus, by=by)
        ev = with_groups(themes, corpus, by=by)
        counted = ev.groupby(["group", "theme"]).size()
        got = shares.set_index(["group", "theme"])["sentences"]
        assert got[got > 0].sort_index().equals(counted.sort_index())
        assert (ev["cues"].str.len() > 0).all()
        ist = instrument_shares(inst, corpus, by=by)
        icount = with_groups(inst, corpus, by=by).groupby(["group", "subtype"]).size()
        igot = ist.set_index(["group", "subtype"])["sentences"]
        assert igot[igot > 0].sort_index().equals(icount.sort_index())
    # every cue shown as evidence really occurs in its sentence
    for row in themes.itertuples():
        for cue in row.cues.split("、"):
            assert cue in row.text, (row.unit_id, cue)


def test_seed_instrument_types_sum_to_one_and_theme_shift_rests_on_two_part_docs(corpus, seed_codes):
    themes, inst = seed_codes
    typ = instrument_shares(inst, corpus, by="doc", level="type")
    assert typ.groupby("doc_id")["share"].sum().round(12).eq(1.0).all()
    sh = theme_shift(themes, corpus, by="doc", normalize="sentences")
    assert set(sh["docs"]) == {"dongguan_2021_summary_2022_plan", "guangzhou_2019_summary_2020_plan",
                               "zhongshan_2023_summary_2024_plan"}
    z = sh.set_index(["doc_id", "theme"]).loc[("zhongshan_2023_summary_2024_plan", "party_building")]
    assert z["after_count"] == 0 and z["shift_pp"] == pytest.approx(-100 * 31 / z["before_total"])


# ------------------------------------------------------------------------------------------ CLI
def _cli(argv) -> str:
    from analysis.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(argv) == 0
    return buf.getvalue()


def test_cli_themes_and_instruments_contract_columns(seed_codes):
    out = pd.read_csv(io.StringIO(_cli(["themes", "--by", "city", "--format", "csv"])))
    assert {"group", "theme", "label", "sentences", "share"} <= set(out.columns)
    assert out[out["theme"] == "party_building"].set_index("group")["share"].idxmax() == "中山"
    out = pd.read_csv(io.StringIO(_cli(["instruments", "--by", "doc", "--format", "csv"])))
    assert {"group", "instrument_type", "subtype", "sentences", "share"} <= set(out.columns)
    assert len(out) == 5 * 15
    out = pd.read_csv(io.StringIO(_cli(["instruments", "--level", "type", "--by", "year", "--format", "csv"])))
    assert set(out["instrument_type"]) == {"supply", "environment", "demand", "none"}


def test_cli_evidence_prints_coded_sentences_with_cues():
    out = pd.read_csv(io.StringIO(_cli(["themes", "--evidence", "--theme", "party_building", "--format", "csv"])))
    assert list(out.columns) == ["group", "doc_id", "unit_id", "theme", "cues", "text"]
    assert (out.groupby("group").size()["zhongshan_2023_summary_2024_plan"]) == 31
    assert all(c in t for cues, t in zip(out["cues"], out["text"]) for c in cues.split("、"))
    table = _cli(["instruments", "--evidence", "--type", "demand"])
    assert "overseas_cooperation" in table and "港" in table
    out = pd.read_csv(io.StringIO(_cli(["instruments", "--evidence", "--level", "type", "--format", "csv"])))
    assert {"instrument_type", "reason", "cues", "text"} <= set(out.columns)


# ------------------------------------------------------------------------------------------ topics
def test_topics_are_deterministic_and_tidy(corpus):
    from analysis.themes.topics import topics

    terms, docs = topics(corpus, n_topics=5, analyzer="char_bigrams", top_n=8)
    again, docs2 = topics(corpus, n_topics=5, analyzer="char_bigrams", top_n=8)
    assert terms.equals(again) and docs.equals(docs2)
    assert list(terms.columns) == ["topic", "rank", "term", "weight"]
    assert terms.groupby("topic").size().tolist() == [8] * 5
    assert list(docs.columns[:3]) == ["doc_id", "topic", "share"]
    assert docs.groupby("doc_id")["share"].sum().round(9).eq(1.0).all()
    assert terms.attrs["analyzer"] == "char_bigrams"
    lda, _ = topics(corpus, n_topics=3, method="lda", analyzer="char_bigrams")
    assert lda["topic"].nunique() == 3
    with pytest.raises(ParameterError, match="method"):
        topics(corpus, method="pca")


def test_topics_on_given_tokens():
    from analysis.themes.topics import topics

    units = _units(["甲", "乙", "丙", "丁"])
    tokens = pd.DataFrame({"unit_id": ["a#0000"] * 2 + ["a#0001"] * 2 + ["a#0002"] * 2 + ["a#0003"] * 2,
                           "token": ["人才", "团队", "人才", "引进", "金融", "信贷", "金融", "基金"],
                           "class": ["content"] * 8})
    terms, docs = topics(units, tokens, n_topics=2, min_df=1, max_df=1.0, top_n=2)
    assert terms.attrs["analyzer"] == "tokens"
    tops = {frozenset(g["term"]) for _, g in terms.groupby("topic")}
    assert {"人才", "金融"} == {t for s in tops for t in s if t in ("人才", "金融")}
    assert docs["doc_id"].unique().tolist() == ["a"]


# ------------------------------------------------------------------------------------------ gold agreement
def test_gold_sentences_match_units_exactly(corpus):
    gold = read_gold(GOLD)
    m = match_gold(gold, corpus)
    unmatched = m[~m["matched"]]
    assert len(gold) >= 160
    assert unmatched.empty, unmatched[["gold_row", "file", "reason"]].to_string()
    assert normalize_sentence(" 2024年, 市科技局 \n") == "2024年,市科技局"


def test_match_gold_explains_unmatched_sentences(corpus):
    gold = pd.DataFrame({"file": ["yangjiang_2022_plan.txt", "nowhere.txt", "yangjiang_2022_plan.txt"],
                         "sentence": ["尽快组织专家论证修改完善规划内容", "随便一句。", "这句话不在文件里。"],
                         "themes": ["", "", ""], "instrument_type": ["none"] * 3})
    gold.insert(0, "gold_row", [1, 2, 3])
    m = match_gold(gold, corpus)
    assert not m["matched"].any()
    assert m.loc[0, "reason"].startswith("part of a longer unit yangjiang_2022_plan#")
    assert m.loc[1, "reason"] == "file not in corpus"
    assert m.loc[2, "reason"].startswith("not found in the document")


def test_agreement_with_gold_meets_the_bar_and_is_reported(corpus):
    result = agreement(GOLD, corpus)
    s = result["summary"].iloc[0]
    gold = read_gold(GOLD)
    tuning = gold[gold["file"].isin(TUNING_FILES)].reset_index(drop=True)
    held = gold[~gold["file"].isin(TUNING_FILES)].reset_index(drop=True)
    split = pd.DataFrame([
        {"subset": name, "files": ", ".join(sorted(g["file"].unique())), **agreement(g, corpus)["summary"].iloc[0]
         [["n_matched", "macro_f1", "micro_f1", "kappa", "type_accuracy"]].to_dict()}
        for name, g in (("tuning documents", tuning), ("held-out documents", held))])
    ACCURACY_DOC.parent.mkdir(exist_ok=True)
    ACCURACY_DOC.write_text(_accuracy_doc(result, split), encoding="utf-8")

    assert s.n_gold == len(gold) and s.n_unmatched == 0
    assert s.macro_f1 >= 0.7
    assert s.kappa >= 0.6
    # the held-out documents, never looked at while tuning, must clear the bar too
    assert split.loc[1, "macro_f1"] >= 0.7 and split.loc[1, "kappa"] >= 0.6
    t = result["themes"].set_index("theme")
    assert t.loc["party_building", "f1"] == 1.0


def _accuracy_doc(result, split) -> str:
    report = agreement_report(result)
    head, rest = report.split("\n## Themes", 1)
    protocol = f"""
Generated by `tests/test_themes.py::test_agreement_with_gold_meets_the_bar_and_is_reported` (rerun the test to
refresh). Gold: `tests/gold/themes_gold.csv`, {int(result['summary'].n_gold[0])} seed sentences hand-coded by an
annotator who did not see the coder (codebook in `tests/gold/README.md`). Coder: `analysis/resources/themes.yaml`
and `instruments.yaml` as committed.

## Protocol, and how much of this is in-sample

1. The dictionaries were written from domain knowledge and a reading of the seed documents, and committed
   (commit `8d8a51f`) before the gold was opened. Measured then, on all {int(result['summary'].n_gold[0])} gold
   sentences: **macro-F1 0.789, Cohen's kappa 0.590** (micro-F1 0.778, type accuracy 0.711).
2. They were then tuned looking only at the gold sentences of three documents (Dongguan 2021/2022, Guangzhou,
   Yangjiang; 134 sentences), mostly by aligning with the codebook's stated conventions (the label 粤港澳大湾区
   alone is not cooperation; 揭榜挂帅 / 重点研发 projects are funding; 科技特派员 are technical support; summary
   opening formulae and stated problems are no instrument; sector names count as industry only with an industry
   head noun). The Zhongshan document and the Dongguan proposal reply (112 sentences) were held out: before
   tuning they scored macro-F1 0.855 and kappa 0.673 there.
3. The figures below use the tuned dictionaries. Those on the tuning documents are in-sample and optimistic;
   the held-out row is the honest estimate of how the coder does on unseen documents of this kind.

{_split_md(split)}
"""
    return head + protocol + "\n## Themes" + rest + _notes()


def _split_md(split: pd.DataFrame) -> str:
    lines = ["| subset | files | n | macro-F1 | micro-F1 | kappa | type accuracy |", "|---|---|---|---|---|---|---|"]
    for r in split.itertuples():
        lines.append(f"| {r.subset} | {r.files} | {int(r.n_matched)} | {r.macro_f1:.3f} | {r.micro_f1:.3f} | "
                     f"{r.kappa:.3f} | {r.type_accuracy:.3f} |")
    return "\n".join(lines)


def _notes() -> str:
    return """
## Reading the figures

- Themes are multi-label: precision/recall/F1 are per theme over the matched sentences; macro-F1 is their
  unweighted mean over the themes with gold support (rare themes count as much as frequent ones).
- The instrument type is one label per sentence (supply | environment | demand | none), compared with Cohen's
  kappa (`sklearn.metrics.cohen_kappa_score`). The coder's dominant type comes from the rule in
  `instruments.yaml` (no government action or a non-policy sentence -> none; else most cue hits, ties by priority).
- Where the coder still disagrees: long enumerating sentences (the coder marks every topic mentioned, the
  annotator the main one), and sentences whose tool is clear only from the section they are in.
"""
