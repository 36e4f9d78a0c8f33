"""analysis.metrics: attribution rules on seed sentences, provenance on the seed corpus, conflicts, follow-through."""
from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import ParameterError, ResourceError
from analysis.evaluation.metrics import (
    gold_scores,
    match_gold,
    match_summary,
    read_gold,
    scores_markdown,
    summary_markdown,
)
from analysis.metrics import (
    METRIC_COLUMNS,
    extract_metrics,
    load_catalogue,
    metric_conflicts,
    metrics_table,
    target_follow_through,
)

GOLD = Path(__file__).resolve().parent / "gold" / "metrics_gold.csv"
ACCURACY_DOC = Path(__file__).resolve().parents[1] / "docs" / "metrics_accuracy.md"

DG_SUMMARY = "dongguan_2021_summary_2022_plan"
DG_REPLY = "dongguan_2022_proposal_reply_20220364"


def units_frame(*sentences: str, part: str = "summary", year: int = 2021, doc_id: str = "doc", city: str = "东莞",
                section_path: str = "") -> pd.DataFrame:
    """Hand-made units following the corpus contract: one sentence per unit, offsets as if joined by newlines."""
    rows, pos = [], 0
    for n, s in enumerate(sentences):
        rows.append({"doc_id": doc_id, "unit_id": f"{doc_id}#{n:04d}", "text": s, "start": pos, "end": pos + len(s),
                     "part": part, "year": year, "city": city, "section_path": section_path})
        pos += len(s) + 1
    df = pd.DataFrame(rows)
    df["year"] = df["year"].astype("Int64")
    return df


def values(df: pd.DataFrame, *cols: str) -> list[tuple]:
    return [tuple(r) for r in df[list(cols)].itertuples(index=False)]


# ------------------------------------------------------------------------------------------ attribution (hand-made)
def test_seed_sentence_with_intensity_stock_and_rankings():
    df = extract_metrics(units_frame(
        "全市R&D投入强度提升至3.54%,跃居全省第二;国家高新技术企业大幅跃升至7400多家,居全国地级市第二、全省地级市第一,"
        "东莞科技创新综合竞争力跃升至全国第20位。", part="preamble"))
    assert values(df, "indicator", "value", "unit", "qualifier", "year", "kind") == [
        ("rd_intensity", 3.54, "%", "exact", 2021, "actual"),
        ("high_tech_enterprises", 7400.0, "家", "lower_bound", 2021, "actual")]
    assert list(df.columns) == list(METRIC_COLUMNS)


def test_applications_listings_and_estimates_of_the_stock():
    df = extract_metrics(units_frame(
        "出台专项政策对获得认定的企业给予奖励,推动3789家企业申请认定高新技术企业,预计今年全市高企数量保持大幅增长,总量预计7387家。",
        "推动高新技术企业上市,全市境内上市高企达到38家,占84.4%。",
        "推动高新技术企业树标提质,9家企业入选“胡润独角兽指数榜”。"))
    assert values(df, "indicator", "value", "kind", "quote") == [
        ("high_tech_enterprises", 7387.0, "estimate", "预计今年全市高企数量保持大幅增长,总量预计7387家")]


def test_subtotal_after_qizhong_and_weak_alias_after_tech_contracts():
    df = extract_metrics(units_frame(
        "全年共认定登记技术合同21074项,成交额1273.36亿元,其中技术交易额975.07亿元,三项数据均居全省首位。", year=2019))
    assert values(df, "indicator", "value", "unit") == [
        ("tech_contract_count", 21074.0, "项"), ("tech_contract_value", 1273.36, "亿元")]


def test_explicit_fiscal_year_wins_across_the_semicolon():
    df = extract_metrics(units_frame(
        "2022年度全市R&D经费投入总量创历史新高,首次突破一百亿元大关,同比增长24%,增速排名珠三角第2;"
        "R&D经费投入强度(R&D经费占地区生产总值比重)跃升至2.77%,增幅排名全省第1。", year=2023, city="中山"))
    assert values(df, "indicator", "value", "qualifier", "year", "year_source") == [
        ("rd_expenditure", 100.0, "lower_bound", 2022, "explicit"),
        ("rd_intensity", 2.77, "exact", 2022, "explicit")]


def test_new_additions_are_a_flow_not_the_stock_and_total_continues():
    df = extract_metrics(units_frame("完善技术研发平台体系,新增省级新型研发机构18家,总量达到63家,总量及增量均为全省第一;"
                                     "全市共有国家重点实验室20家(占全省69%)、省重点实验室237家(占全省66%)。", year=2019))
    # the 18 added institutes are the flow indicator's value (catalogued since issue 13), the 63 the stock's
    assert values(df, "indicator", "value", "tier") == [
        ("new_rd_institutions_new", 18.0, "provincial"), ("new_rd_institutions", 63.0, "provincial"), ("key_labs", 20.0, "national"), ("key_labs", 237.0, "provincial")]


def test_plan_part_kinds_targets_flows_and_existing_stock():
    df = extract_metrics(units_frame(
        "多形式多渠道推动有潜力的企业申报高新技术企业,加快培育发展高新技术产业,年内力争全市新增30家高新技术企业。",
        "通过政策扶持、项目引导、一企一议等形式,推动现存的126家高新技术企业在研发投入、研发能力等方面再上新台阶。",
        "健全科技型中小企业服务体系,年内争取入库科技型中小企业达130家。",
        "推动阳江市拓必拓工业技术研究院有限公司等4家省级新型研发机构按照省的要求,加大投入。",
        "支持十八子、金辉等5家省级新型研发机构开展技术攻关。",
        part="plan", year=2022, city="阳江"))
    # a clause about one named institute (研究院) is not the city's figure; 等N家 refers to existing bodies
    assert values(df, "indicator", "value", "kind", "kind_cue", "tier") == [
        ("high_tech_enterprises_new", 30.0, "target", "力争", None),
        ("high_tech_enterprises", 126.0, "actual", "现存", None),
        ("tech_sme", 130.0, "target", "争取", None),
        ("new_rd_institutions", 5.0, "actual", "等", "provincial")]


def test_period_money_conversion_and_sub_city_scope():
    df = extract_metrics(units_frame(
        "1-10月全市技术合同交易额达63.57亿元,技术金额达58.46亿元,居全省四位。",
        "今年社区申报高企28家,数量较往年大幅提升。",
        "全市技术合同成交额8000万元。"))
    assert values(df, "indicator", "value", "unit", "period", "number") == [
        ("tech_contract_value", 63.57, "亿元", "1-10月", "63.57亿元"),
        ("tech_contract_value", 0.8, "亿元", None, "8000万元")]


def test_reply_next_steps_are_plan_like():
    s = "力争新增高企100家,全市高企数量达到9000家。"
    assert extract_metrics(units_frame(s, part="reply", section_path="二、下一步工作计划"))["kind"].tolist() == [
        "target", "target"]
    assert extract_metrics(units_frame("全市高企数量达到9000家。", part="reply",
                                       section_path="一、办理工作举措及成效"))["kind"].tolist() == ["actual"]


def test_indicator_filter_and_unknown_indicator():
    u = units_frame("全市R&D投入强度提升至3.54%,国家高新技术企业7400多家。")
    assert extract_metrics(u, indicators=["rd_intensity"])["indicator"].tolist() == ["rd_intensity"]
    with pytest.raises(ParameterError):
        extract_metrics(u, indicators=["no_such_indicator"])
    with pytest.raises(ParameterError):
        extract_metrics(u.drop(columns=["text"]))


# ------------------------------------------------------------------------------------------------------ catalogue
def test_bundled_catalogue_has_the_issue_indicators():
    cat = load_catalogue()
    for iid in ("rd_intensity", "rd_expenditure", "high_tech_enterprises", "high_tech_enterprises_new", "tech_sme",
                "tech_contract_value", "tech_contract_count", "new_rd_institutions", "incubators", "maker_spaces",
                "key_labs", "tech_credit"):
        assert iid in cat.ids
    assert cat["key_labs"].levels and cat["high_tech_enterprises"].measure == "stock"


def test_user_catalogue_adds_an_indicator(tmp_path):
    p = tmp_path / "mine.yaml"
    p.write_text(textwrap.dedent("""\
        indicators:
          - id: academicians
            label_zh: 两院院士
            label_en: Academicians working in the city
            unit: 人
            aliases: [院士]
            exclude: [邀请]
        """), encoding="utf-8")
    df = extract_metrics(units_frame("在穗工作的“两院”院士98人,国家级人才工程入选者598人。", "邀请超过50名院士来莞开会。"),
                         catalogue=p)
    assert values(df, "indicator", "value") == [("academicians", 98.0)]
    assert df.attrs["catalogue"] == str(p)


@pytest.mark.parametrize("body, reason", [
    ("indicators:\n  - id: x\n    unit: 家\n", "alias"),
    ("indicators:\n  - id: x\n    unit: 家\n    aliases: [a]\n  - id: x\n    unit: 家\n    aliases: [b]\n", "duplicate"),
    ("indicators:\n  - id: Bad Id\n    unit: 家\n    aliases: [a]\n", "snake_case"),
    ("indicators:\n  - id: x\n    unit: 家\n    aliases: [a]\n    colour: red\n", "unknown field"),
    ("indicators: [\n", "YAML"),
    ("- just a list\n", "mapping"),
])
def test_bad_catalogue_names_file_and_reason(tmp_path, body, reason):
    p = tmp_path / "bad.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(ResourceError) as exc:
        load_catalogue(p)
    assert str(p) in str(exc.value) and reason in str(exc.value)
    with pytest.raises(ResourceError):
        load_catalogue(tmp_path / "missing.yaml")


# ---------------------------------------------------------------------------------------------------- seed corpus
@pytest.fixture(scope="module")
def metrics(corpus):
    return extract_metrics(corpus)


def test_every_value_points_back_to_its_sentence(corpus, metrics):
    texts = corpus.docs.set_index("doc_id")["text"]
    units = corpus.units.set_index("unit_id")
    assert len(metrics) >= 25
    for r in metrics.itertuples(index=False):
        doc = texts[r.doc_id]
        assert doc[r.start:r.end] == r.quote
        assert doc[r.number_start:r.number_end] == r.number
        assert r.start <= r.number_start and r.number_end <= r.end
        u = units.loc[r.unit_id]
        assert u["start"] <= r.start and r.end <= u["end"] and r.sentence == u["text"]
        assert r.path.endswith(r.doc_id + ".txt")


def test_seed_values(metrics):
    got = set(values(metrics, "doc_id", "indicator", "value", "year", "kind"))
    for row in [(DG_SUMMARY, "rd_intensity", 3.54, 2021, "actual"),
                (DG_SUMMARY, "high_tech_enterprises", 7400.0, 2021, "actual"),
                (DG_SUMMARY, "high_tech_enterprises", 8200.0, 2022, "target"),
                (DG_REPLY, "high_tech_enterprises", 8200.0, 2022, "estimate"),
                (DG_REPLY, "rd_intensity", 4.0, 2021, "actual"),
                (DG_REPLY, "tech_credit", 159.2, 2022, "actual"),
                ("zhongshan_2023_summary_2024_plan", "rd_intensity", 2.77, 2022, "actual"),
                ("zhongshan_2023_summary_2024_plan", "tech_contract_count", 617.0, 2023, "actual"),
                ("guangzhou_2019_summary_2020_plan", "high_tech_enterprises", 12000.0, 2019, "actual"),
                ("guangzhou_2019_summary_2020_plan", "incubators", 368.0, 2019, "actual"),
                ("yangjiang_2022_plan", "tech_sme", 130.0, 2022, "target")]:
        assert row in got, row


def test_conflict_report_shows_dongguan_rd_intensity(metrics):
    c = metric_conflicts(metrics)
    row = c[(c["city"] == "东莞") & (c["indicator"] == "rd_intensity")]
    assert len(row) == 1
    r = row.iloc[0]
    assert (r["year"], r["doc_id_a"], r["value_a"], r["doc_id_b"], r["value_b"]) == (
        2021, DG_SUMMARY, 3.54, DG_REPLY, 4.0)
    assert r["quote_a"] == "全市R&D投入强度提升至3.54%" and r["quote_b"] == "2021年全社会研发投入强度提升至4%"


@pytest.mark.parametrize("with_docs", [False, True])
def test_follow_through_shows_dongguan_high_tech_target(corpus, metrics, with_docs):
    t = target_follow_through(metrics, docs=corpus.docs if with_docs else None)
    row = t[(t["city"] == "东莞") & (t["indicator"] == "high_tech_enterprises") & (t["year"] == 2022)]
    assert len(row) == 1
    r = row.iloc[0]
    assert (r["target_value"], r["outcome_value"], r["outcome_qualifier"], r["outcome_kind"], r["status"]) == (
        8200.0, 8200.0, "lower_bound", "estimate", "met")
    assert r["target_quote"] == "确保高企数量达到8200家" and r["outcome_quote"] == "预计全市国家高新技术企业数量超过8200家"
    assert set(t["status"]) <= {"met", "missed", "unknown"}


def test_follow_through_status_rules():
    base = {"city": "甲", "indicator": "high_tech_enterprises", "tier": None, "year": 2022, "unit": "家",
            "quote": "q", "start": 0, "end": 1, "path": None, "low": None, "high": None}
    rows = [dict(base, doc_id="plan", kind="target", value=100.0, qualifier="exact"),
            dict(base, doc_id="plan", kind="target", value=200.0, qualifier="exact", indicator="tech_sme"),
            dict(base, doc_id="later", kind="actual", value=90.0, qualifier="exact"),
            dict(base, doc_id="later2", kind="estimate", value=150.0, qualifier="lower_bound", indicator="tech_sme")]
    t = target_follow_through(pd.DataFrame(rows)).set_index("indicator")
    assert t.loc["high_tech_enterprises", "status"] == "missed"
    assert t.loc["tech_sme", "status"] == "unknown"  # 超过150 may or may not reach 200
    # with document dates, an outcome from a document older than the plan does not count
    docs = pd.DataFrame({"doc_id": ["plan", "later", "later2"], "published": ["2022-02-01", "2021-03-01", None],
                         "summary_year": [2021, 2020, 2022], "plan_year": [2022, 2021, None]})
    t = target_follow_through(pd.DataFrame(rows), docs=docs).set_index("indicator")
    assert t.loc["high_tech_enterprises", "status"] == "unknown" and t.loc["high_tech_enterprises", "n_outcomes"] == 0
    assert t.loc["tech_sme", "outcome_doc_id"] == "later2"


def test_metrics_table_has_sources(metrics):
    tab = metrics_table(metrics)
    r = tab[(tab["place"] == "中山") & (tab["indicator"] == "high_tech_enterprises")].iloc[0]
    assert (r["level"], r["city"]) == ("prefecture", "中山")
    assert (r["year"], r["kind"], r["value"], r["n_sources"]) == (2023, "estimate", 2850.0, 2)
    wide = metrics_table(metrics, wide=True)
    assert {"place", "level", "indicator", "kind", 2019, 2021, 2022}.issubset(set(wide.columns))


def test_cli_metrics_and_targets(capsys):
    from analysis.cli import main

    assert main(["metrics", "--indicator", "rd_intensity", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0].split(",")
    for col in ("path", "doc_id", "city", "indicator", "value", "unit", "year", "kind", "qualifier", "period", "quote",
                "start", "end"):
        assert col in header
    assert "3.54" in out and "2.77" in out
    assert main(["targets", "--format", "csv"]) == 0
    assert "确保高企数量达到8200家" in capsys.readouterr().out
    assert main(["metrics", "--indicator", "nope"]) == 1


# ------------------------------------------------------------------------- sentences that are not in the seeds
@pytest.mark.parametrize("sentence, part, expected", [
    ("全市高新技术企业达到1.1万家,同比增长15%。", "summary", [("high_tech_enterprises", 11000.0, 2023, "actual")]),
    ("技术合同成交额突破2000亿元,增长12.3%。", "summary", [("tech_contract_value", 2000.0, 2023, "actual")]),
    ("R&D经费支出占GDP比重达3.1%。", "summary", [("rd_intensity", 3.1, 2023, "actual")]),
    ("全社会研发经费投入增长15%,占GDP比重达2.9%。", "summary", [("rd_intensity", 2.9, 2023, "actual")]),
    ("新增国家高新技术企业500家,总数达到3000家。", "summary",
     [("high_tech_enterprises_new", 500.0, 2023, "actual"), ("high_tech_enterprises", 3000.0, 2023, "actual")]),
    ("全市科技企业孵化器总数达到50家,其中国家级孵化器10家。", "summary", [("incubators", 50.0, 2023, "actual")]),
    ("新增科技型中小企业300家。", "summary", [("tech_sme_new", 300.0, 2023, "actual")]),  # a flow, not the stock
    ("R&D投入强度较上年提高0.2个百分点。", "summary", []),
    ("预计全年技术合同成交额达到80亿元。", "summary", [("tech_contract_value", 80.0, 2023, "estimate")]),
    ("2023年全市高企数量达到3500家,2024年力争达到4000家。", "summary",
     [("high_tech_enterprises", 3500.0, 2023, "actual"), ("high_tech_enterprises", 4000.0, 2024, "target")]),
    ("到2025年,全市R&D经费投入强度达到3.5%,高新技术企业数量超过5000家。", "plan",
     [("rd_intensity", 3.5, 2025, "target"), ("high_tech_enterprises", 5000.0, 2025, "target")]),
    ("全市技术合同登记额约5000万元。", "summary", [("tech_contract_value", 0.5, 2023, "actual")]),
    ("上年全市技术合同成交额为120亿元。", "summary", [("tech_contract_value", 120.0, 2022, "actual")]),
    ("全市众创空间和孵化器分别达到30家和20家。", "summary",
     [("maker_spaces", 30.0, 2023, "actual"), ("incubators", 20.0, 2023, "actual")]),
    ("深圳高新技术企业超过2万家,我市高企数量达到800家。", "summary", [("high_tech_enterprises", 800.0, 2023, "actual")]),
    ("全市共有高新技术企业1500家,占全省的3.2%。", "summary", [("high_tech_enterprises", 1500.0, 2023, "actual")]),
    ("高新技术企业数量居全省第5位,总量达1200家。", "summary", [("high_tech_enterprises", 1200.0, 2023, "actual")]),
    ("中山大学2项成果入选,全市高企数量达到800家。", "summary", [("high_tech_enterprises", 800.0, 2023, "actual")]),
])
def test_variants_beyond_the_seeds(sentence, part, expected):
    df = extract_metrics(units_frame(sentence, part=part, year=2023))
    assert values(df, "indicator", "value", "year", "kind") == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="0123456789.,;:%-高新技术企业家数量达到超过约近万亿元其中新增R&D投入强度预计力争年度全市深圳科技型中小入库孵化器",
                        max_size=40), min_size=1, max_size=3),
       st.sampled_from(["summary", "plan", "reply", "preamble"]))
def test_extract_metrics_never_raises_and_quotes_point_back(sentences, part):
    units = units_frame(*sentences, part=part)
    doc = "\n".join(sentences)
    df = extract_metrics(units)
    for r in df.itertuples(index=False):
        assert doc[r.start:r.end] == r.quote
        assert doc[r.number_start:r.number_end] == r.number


# ------------------------------------------------------------------------------------------------ against the gold
def test_gold_matching_rule():
    gold = pd.DataFrame({"file": ["a.txt", "a.txt", "a.txt"], "indicator": ["x", "x", "y"], "value": [1.0, 1.0, 5.0],
                         "kind": ["actual", "estimate", "actual"], "quote": ["first 1", "second 1", "y 5"],
                         "year": [2020] * 3, "qualifier": ["exact"] * 3})
    ext = pd.DataFrame({"doc_id": ["a", "a", "a", "b"], "file": ["a.txt", "a.txt", "a.txt", "b.txt"],
                        "indicator": ["x", "x", "y", "x"], "value": [1.0 + 1e-9, 1.0, 5.1, 1.0],
                        "kind": ["estimate", "actual", "actual", "actual"],
                        "quote": ["the second 1", "the first 1", "y 5.1", "x"], "year": [2020] * 4,
                        "qualifier": ["exact"] * 4})
    m = match_gold(ext, gold)
    assert m["outcome"].tolist() == ["tp", "tp", "fn", "fp", "fp"]
    assert m.loc[0, "quote"] == "the first 1" and m.loc[1, "quote"] == "the second 1"  # paired by quote
    s = gold_scores(m)
    assert (s.loc["overall", "tp"], s.loc["overall", "fp"], s.loc["overall", "fn"]) == (2, 2, 1)
    assert s.loc["overall", "kind_accuracy"] == 1.0 and s.loc["x", "recall"] == 1.0 and s.loc["y", "recall"] == 0.0


@pytest.fixture(scope="module")
def gold_eval(metrics):
    gold = read_gold(GOLD)
    # the seeds' gold covers the indicators it lists; flows catalogued later (新增N家 key labs …) were out of its scope
    matches = match_gold(metrics[metrics["indicator"].isin(set(gold["indicator"]))], gold)
    return matches, gold_scores(matches)


def test_precision_recall_and_kind_against_the_gold(gold_eval):
    matches, scores = gold_eval
    overall = scores.loc["overall"]
    report = "\n" + scores_markdown(scores) + "\n" + matches[matches["outcome"] != "tp"].to_string()
    for measure in ("precision", "recall", "kind_accuracy", "year_accuracy"):
        assert overall[measure] >= 0.97, report


def test_accuracy_doc_reports_the_seed_figures(gold_eval):
    # the doc is written by eval/metrics_eval.py --write; only its seeds row can be recomputed here (the corpora
    # may be absent), and this test does not rewrite the doc
    matches, _ = gold_eval
    row = summary_markdown({"seeds": match_summary(matches)}).splitlines()[-1]
    doc = ACCURACY_DOC.read_text(encoding="utf-8")
    assert row in doc, f"docs/metrics_accuracy.md is stale (expected {row!r}): run python eval/metrics_eval.py --write"


def test_a_raising_attribution_is_one_warning_naming_doc_and_unit(monkeypatch):
    import analysis.metrics.extract as ex
    from analysis.errors import AnalysisWarning

    real = ex.attribute_sentence

    def flaky(text, *a, **k):
        if "坏" in text:
            raise RuntimeError("deliberately broken rule")
        return real(text, *a, **k)

    monkeypatch.setattr(ex, "attribute_sentence", flaky)
    units = pd.DataFrame({"doc_id": ["d1", "d1"], "unit_id": ["d1-u1", "d1-u2"], "start": [0, 20],
                          "text": ["全市高新技术企业达到500家。", "坏句子高新技术企业600家。"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = ex.extract_metrics(units)
    msgs = [str(w.message) for w in caught if issubclass(w.category, AnalysisWarning)]
    assert len(msgs) == 1 and "d1" in msgs[0] and "d1-u2" in msgs[0] and "deliberately broken" in msgs[0]
    assert out["value"].tolist() == [500.0]


# ------------------------------------------------------------------------- a short bureau page, as a user would add it
_BUREAU_PAGE = """泉溪市科学技术局2022年工作总结
一、主要成效
2022 年，全市 R&D 经费投入达到35.6亿元，研发投入强度达到2.41%。
全市高新技术企业总数达到460家，技术合同成交额12.3亿元。
二、2023年工作计划
力争研发投入强度达到2.6%。
"""
#: pinyin glosses as some pages print them after hanzi (written here, on our own traditional-script sentences)
_GLOSSES = {"經費": "經(jīng)費", "研發投入": "研發(fā)投入", "強度": "強(qiáng)度", "技術": "技(jì)術", "企業": "企(qǐ)業"}


def test_pinyin_glosses_after_hanzi_are_dropped_and_nothing_else():
    from analysis.corpus.decode import drop_pinyin_glosses, html_to_text, normalize

    assert drop_pinyin_glosses("R&D經(jīng)費和研發(fā)投入") == "R&D經費和研發投入"
    assert normalize("強（qiáng）度") == "強度"  # full-width parentheses arrive as ASCII after NFKC
    # not glosses: no tone mark, not after a hanzi, upper case, or an abbreviation
    for kept in ("项目(a)", "经费(R&D)", "比重(GDP)", "x(jīng)", "经费(Jīng)", "经费(2.5%)"):
        assert drop_pinyin_glosses(kept) == kept
    ruby = "<html><body><p>R&amp;D<ruby>經<rp>(</rp><rt>jīng</rt><rp>)</rp></ruby>費35億元</p><p>x</p><p>y</p></body></html>"
    assert html_to_text(ruby).splitlines()[0] == "R&D經費35億元"


@pytest.mark.parametrize("glossed", [False, True])
def test_traditional_bureau_page_with_glosses_gives_values_years_and_kinds(tmp_path, glossed):
    from analysis import load_corpus
    from analysis.corpus.decode import to_traditional

    page = to_traditional(_BUREAU_PAGE)
    for plain, gloss in _GLOSSES.items():
        assert plain in page
        page = page.replace(plain, gloss) if glossed else page
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = load_corpus(tmp_path, manifest=False)
    doc = corpus.docs.iloc[0]
    assert bool(doc["traditional"]) and "(" not in doc["text"] and len(doc["text"]) == len(doc["text_original"])
    df = extract_metrics(corpus)
    assert values(df, "indicator", "value", "year", "kind") == [
        ("rd_expenditure", 35.6, 2022, "actual"), ("rd_intensity", 2.41, 2022, "actual"),
        ("high_tech_enterprises", 460.0, 2022, "actual"), ("tech_contract_value", 12.3, 2022, "actual"),
        ("rd_intensity", 2.6, 2023, "target")]  # the plan section of a summary plans the year its heading names
    for r in df.itertuples(index=False):
        assert doc["text"][r.start:r.end] == r.quote


def test_conflicts_and_follow_through_group_by_place_not_city():
    # national and provincial documents have no city: they are compared by place and level
    base = {"indicator": "rd_intensity", "tier": None, "year": 2020, "unit": "%", "quote": "q", "start": 0, "end": 1,
            "path": None, "low": None, "high": None, "city": None, "qualifier": "exact"}
    rows = [dict(base, doc_id="n1", place="全国", level="national", kind="target", value=2.5),
            dict(base, doc_id="n2", place="全国", level="national", kind="actual", value=2.4),
            dict(base, doc_id="n3", place="全国", level="national", kind="actual", value=2.6),
            dict(base, doc_id="p1", place="吉林", level="province", kind="actual", value=1.2),
            dict(base, doc_id="u1", place=None, level=None, kind="actual", value=9.0),
            dict(base, doc_id="u2", place=None, level=None, kind="actual", value=8.0)]
    c = metric_conflicts(pd.DataFrame(rows))
    assert values(c, "place", "level", "doc_id_a", "doc_id_b") == [("全国", "national", "n2", "n3")]
    t = target_follow_through(pd.DataFrame(rows))
    assert values(t, "place", "level", "target_doc_id", "n_outcomes", "outcome_doc_id", "status") == [
        ("全国", "national", "n1", 2, "n3", "met")]  # without document dates, ties go to the last doc_id
    # a row without place falls back to its city
    rows += [dict(base, doc_id="c1", city="东莞", place=None, level=None, kind="actual", value=3.0),
             dict(base, doc_id="c2", city="东莞", place=None, level=None, kind="actual", value=3.5)]
    c = metric_conflicts(pd.DataFrame(rows))
    assert values(c, "place", "city", "doc_id_a", "doc_id_b")[0] == ("东莞", "东莞", "c1", "c2")
