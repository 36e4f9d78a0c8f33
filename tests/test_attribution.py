"""Attribution beyond the seeds (issue 13): the catalogue's example sentences, stock vs flow, from-to pairs, lists,
growth rates beside levels, national wordings, years and kinds from the part. All sentences are written here."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.metrics import extract_metrics, load_catalogue
from analysis.metrics.attribution import attribute_sentence
from analysis.metrics.cues import Context, plan_period_end, review_years

CAT = load_catalogue()
EXAMPLES = [(ind.id, alias, sentence) for ind in CAT.indicators for alias, sentence in ind.examples]


def test_every_alias_has_an_example():
    for ind in CAT.indicators:
        names = set(ind.aliases) | {w.alias for w in ind.weak_aliases}
        assert names == {a for a, _ in ind.examples}, ind.id


@pytest.mark.parametrize("indicator,alias,sentence", EXAMPLES, ids=[f"{i}:{a}" for i, a, _ in EXAMPLES])
def test_catalogue_example_extracts_its_indicator(indicator, alias, sentence):
    found = attribute_sentence(sentence, CAT, context=Context(year=2024))
    by_alias = [a.indicator.id for a in found if a.alias == alias]
    assert by_alias == [indicator], found


def at(sentence, *, year=2024, plan=False, review=1, summary_year=None, plan_end=None):
    ctx = Context(year=year, plan_like=plan, review_years=review,
                  summary_year=summary_year if summary_year is not None else (year - 1 if plan else year),
                  plan_end=plan_end)
    return [(a.indicator.id, a.value, a.year, a.kind, a.quantity.qualifier)
            for a in attribute_sentence(sentence, CAT, context=ctx)]


def test_stock_and_additions_are_separate_indicators():
    assert at("全年新增高新技术企业320家,总数达到2100家。") == [
        ("high_tech_enterprises_new", 320, 2024, "actual", "exact"),
        ("high_tech_enterprises", 2100, 2024, "actual", "exact")]
    assert at("新认定科技型中小企业900户。") == [("tech_sme_new", 900, 2024, "actual", "exact")]
    assert at("新增国家重点实验室2家、省重点实验室9家。") == [
        ("key_labs_new", 2, 2024, "actual", "exact"), ("key_labs_new", 9, 2024, "actual", "exact")]
    assert at("新培育专精特新中小企业60家、专精特新“小巨人”企业8家。") == [
        ("specialized_smes_new", 60, 2024, "actual", "exact"), ("little_giants_new", 8, 2024, "actual", "exact")]


def test_from_to_gives_baseline_and_result_with_years():
    assert at("研发投入强度由2.1%提高到2.4%。") == [
        ("rd_intensity", 2.1, 2023, "actual", "exact"), ("rd_intensity", 2.4, 2024, "actual", "exact")]
    # a five-year review: the baseline is the year before the five years
    assert at("研发经费支出从300亿元增加到520亿元。", year=2022, review=5) == [
        ("rd_expenditure", 300, 2017, "actual", "exact"), ("rd_expenditure", 520, 2022, "actual", "exact")]
    assert at("高新技术企业从2019年的800家增至2023年的1500家。") == [
        ("high_tech_enterprises", 800, 2019, "actual", "exact"), ("high_tech_enterprises", 1500, 2023, "actual", "exact")]


def test_list_of_counts_binds_each_number_to_its_noun():
    assert at("全市高新技术企业1500家、科技型中小企业3200家、省级新型研发机构12家。") == [
        ("high_tech_enterprises", 1500, 2024, "actual", "exact"), ("tech_sme", 3200, 2024, "actual", "exact"),
        ("new_rd_institutions", 12, 2024, "actual", "exact")]
    assert at("高新技术企业、科技型中小企业均超过5000家。") == [
        ("high_tech_enterprises", 5000, 2024, "actual", "lower_bound"),
        ("tech_sme", 5000, 2024, "actual", "lower_bound")]


def test_growth_rate_and_rank_do_not_drop_the_level():
    assert at("技术合同成交额达到95亿元、增长18.2%,居全省第三。") == [
        ("tech_contract_value", 95, 2024, "actual", "exact")]
    assert at("高新技术企业达到860家,同比增长12%。") == [("high_tech_enterprises", 860, 2024, "actual", "exact")]


def test_national_wordings_and_spaces():
    assert at("研究与试验发展经费支出占国内生产总值比重达到2.55%。") == [("rd_intensity", 2.55, 2024, "actual", "exact")]
    assert at("全区 R&D 经费占 GDP 比重达 3.02%。") == [("rd_intensity", 3.02, 2024, "actual", "exact")]
    assert at("2022 年全区 R&D 经费占 GDP 比重达 3.02%。") == [("rd_intensity", 3.02, 2022, "actual", "exact")]
    assert at("技术合同登记额突破600亿元。") == [("tech_contract_value", 600, 2024, "actual", "lower_bound")]


def test_kinds_estimates_and_targets_wherever_they_stand():
    # 预计 opening the sentence governs the list after it
    assert at("预计全市研发经费支出约60亿元,高新技术企业约900家。") == [
        ("rd_expenditure", 60, 2024, "estimate", "approx"), ("high_tech_enterprises", 900, 2024, "estimate", "approx")]
    assert at("初步统计,全区研发投入强度为2.2%。") == [("rd_intensity", 2.2, 2024, "estimate", "exact")]
    # a future year in a review part makes a target for that year
    assert at("到2027年,全市研发投入强度达到3%。", year=2024) == [("rd_intensity", 3, 2027, "target", "exact")]
    # a plan-part sentence without a target verb is still checked against the cues
    assert at("高新技术企业达到1000家。", year=2025, plan=True) == [("high_tech_enterprises", 1000, 2025, "target",
                                                                       "exact")]
    # an existing count in the plan part of a report that reviews 2024 is the stock at the end of 2024; in a
    # plan-only document (no reviewed year) it keeps the plan year
    assert at("现有高新技术企业800家。", year=2025, plan=True) == [("high_tech_enterprises", 800, 2024, "actual",
                                                                       "exact")]
    assert [(a.year, a.kind) for a in attribute_sentence("现有高新技术企业800家。", CAT,
                                                         context=Context(year=2025, plan_like=True))] == [
        (2025, "actual")]
    assert at("力争技术合同成交额达到120亿元。", year=2025, plan=True) == [
        ("tech_contract_value", 120, 2025, "target", "exact")]


def test_multi_year_periods_are_not_years():
    found = attribute_sentence("十四五期间累计新增高新技术企业1200家。", CAT, context=Context(year=2025, plan_like=True))
    assert [(a.indicator.id, a.value, a.year, a.period) for a in found] == [
        ("high_tech_enterprises_new", 1200, None, "十四五")]
    assert review_years("一、过去五年工作回顾") == review_years("二、过去一年及五年来的主要工作") == 5
    assert review_years("一、2024年工作回顾") == 1
    assert plan_period_end("“十二五”时期主要目标") == 2015 and plan_period_end("十三五") == 2020
    assert at("研发投入强度达到2.5%。", year=2016, plan=True, plan_end=2020) == [
        ("rd_intensity", 2.5, 2020, "target", "exact")]


def test_rows_carry_place_level_and_tier():
    units = pd.DataFrame({"doc_id": ["d"], "unit_id": ["d-1"], "start": [0], "place": ["甲省"], "level": ["province"],
                          "city": [None], "part": ["summary"], "year": [2024],
                          "text": ["全省国家重点实验室达到12家。"]})
    df = extract_metrics(units)
    assert df[["place", "level", "indicator", "tier", "value"]].values.tolist() == [
        ["甲省", "province", "key_labs", "national", 12.0]]


def test_ratio_wordings_look_through_de_brackets_and_bili():
    # 的比重 / 的比例 / 生产总值 without 地区, a bracketed abbreviation inside the name: all R&D intensity
    for s in ("研究与开发经费占国内生产总值的比例为1.3%。", "全省研发经费投入占地区生产总值的比重达到1.3%。",
              "全社会研发投入占GDP的比重达到1.3%。", "研发经费支出占全省生产总值比重为1.3%。",
              "研究与试验发展(R&D)经费投入强度为1.3%。", "R&D经费支出占国内生产总值(GDP)的比例为1.3%。"):
        assert at(s) == [("rd_intensity", 1.3, 2024, "actual", "exact")], s
    assert at("研究与试验发展(R&D)经费支出达到450亿元。") == [("rd_expenditure", 450, 2024, "actual", "exact")]
    # the intensity named by ellipsis after the expenditure
    assert at("全市研发经费投入总量和强度分别达到210亿元和2.9%。") == [
        ("rd_expenditure", 210, 2024, "actual", "exact"), ("rd_intensity", 2.9, 2024, "actual", "exact")]
    assert at("研发经费支出增长一成、强度达到1.8%。") == [("rd_intensity", 1.8, 2024, "actual", "exact")]


def test_a_share_of_another_subject_is_not_rd_intensity():
    assert at("研发投入增长10%,战略性新兴产业增加值占地区生产总值比重达到15%。") == []
    assert at("研发经费较快增长,服务业营业收入占生产总值比重为40%。") == []
    assert at("全年R&D经费支出150亿元,占GDP比重2.1%。") == [
        ("rd_expenditure", 150, 2024, "actual", "exact"), ("rd_intensity", 2.1, 2024, "actual", "exact")]


def test_reorganised_labs_and_loan_balances():
    # a count of an action on existing labs is neither the stock nor additions; newly formed labs are additions
    assert at("全市优化重组市级重点实验室12个。") == []
    assert at("完成12家重点实验室绩效评估。") == []
    assert at("新组建省重点实验室15家。") == [("key_labs_new", 15, 2024, "actual", "exact")]
    assert at("经优化重组,全省重点实验室达到120家。") == [("key_labs", 120, 2024, "actual", "exact")]
    # a balance is a stock of its own; loans granted in the year stay tech_credit
    assert at("全年发放科技贷款120亿元,科技贷款余额达到800亿元。") == [
        ("tech_credit", 120, 2024, "actual", "exact"), ("tech_credit_balance", 800, 2024, "actual", "exact")]
    assert at("年末全县科技型企业贷款余额超过90亿元。") == [("tech_credit_balance", 90, 2024, "actual", "lower_bound")]
