"""Wording families of the catalogued indicators at national, provincial and municipal level (issue 13, third
round): key laboratories (restructured, existing, new), R&D expenditure and intensity, the high-tech manufacturing
share, little giants, new-type R&D institutions. Every sentence is written here for the test; none is taken from a
corpus. Each assertion names indicator, value, unit, year, kind, qualifier (and the lab tier where it is recorded).
"""
from __future__ import annotations

import pytest

from analysis.metrics import load_catalogue
from analysis.metrics.attribution import attribute_sentence
from analysis.metrics.cues import Context

CAT = load_catalogue()


def at(sentence, *, year=2024, plan=False, reviewed=True):
    """(indicator, value, unit, year, kind, qualifier) of every value in a sentence of a review part (year 2024) or,
    with ``plan``, of the plan part of a report reviewing the year before (``reviewed=False``: a plan-only doc)."""
    summary_year = (year - 1 if plan else year) if reviewed else None
    ctx = Context(year=year, plan_like=plan, summary_year=summary_year)
    return [(a.indicator.id, a.value, a.unit, a.year, a.kind, a.quantity.qualifier)
            for a in attribute_sentence(sentence, CAT, context=ctx)]


def tiers(sentence, **kw):
    ctx = Context(year=2024, summary_year=2024, **kw)
    return [(a.indicator.id, a.value, a.tier) for a in attribute_sentence(sentence, CAT, context=ctx)]


# --- key laboratories ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "优化重组省重点实验室86家。",          # the act counted: labs restructured
    "全市重组市级重点实验室12个。",
    "完成20家省重点实验室绩效评估。",
    "开展省重点实验室绩效评估,评估优秀12家。",
    "整合市级重点实验室15家。",
    "湖东实验室等10家省实验室高效运行。",    # provincial flagship labs are not key labs
    "布局建设重点实验室群8个。",
])
def test_an_act_on_existing_labs_is_not_a_value(sentence):
    assert at(sentence) == []


@pytest.mark.parametrize("sentence,value", [
    ("重组后全国重点实验室达到14家。", 14),
    ("省重点实验室优化重组至180家。", 180),
    ("优化重组省级重点实验室至150家。", 150),
    ("完成重组的全国重点实验室达到35家。", 35),
    ("全国重点实验室完成重组35家。", 35),
    ("全国重点实验室重组入列9家。", 9),
])
def test_the_result_of_a_restructuring_is_the_stock(sentence, value):
    assert at(sentence) == [("key_labs", value, "家", 2024, "actual", "exact")]


def test_key_lab_tiers_national_and_provincial_both_count():
    assert tiers("拥有国家重点实验室11家、省重点实验室240家。") == [
        ("key_labs", 11, "national"), ("key_labs", 240, "provincial")]
    assert tiers("全省国家重点实验室和省重点实验室分别达到12家和320家。") == [
        ("key_labs", 12, "national"), ("key_labs", 320, "provincial")]
    assert tiers("新建省级重点实验室20家。") == [("key_labs_new", 20, "provincial")]
    assert at("新获批全国重点实验室4个。") == [("key_labs_new", 4, "家", 2024, "actual", "exact")]
    assert at("获批建设全国重点实验室5家。") == [("key_labs_new", 5, "家", 2024, "actual", "exact")]
    assert at("建成全国重点实验室8个。") == [("key_labs", 8, "家", 2024, "actual", "exact")]


def test_existing_labs_in_a_plan_part_are_the_reviewed_years_stock():
    # 现有 / 已获批的 / 已建成的 in the plan part: realised values, dated with the reviewed year
    assert at("支持现有5家全国重点实验室提升能力,已获批的22个省重点实验室加快建设。", year=2025, plan=True) == [
        ("key_labs", 5, "家", 2024, "actual", "exact"), ("key_labs", 22, "家", 2024, "actual", "exact")]
    assert at("推动已建成的30家省重点实验室开展绩效评估。", year=2025, plan=True) == [
        ("key_labs", 30, "家", 2024, "actual", "exact")]
    # a plan-only document has no reviewed year: the existing count keeps the plan year
    assert at("支持现有5家全国重点实验室提升能力。", year=2025, plan=True, reviewed=False) == [
        ("key_labs", 5, "家", 2025, "actual", "exact")]
    # additions planned stay targets of the plan year
    assert at("力争新增全国重点实验室2家以上。", year=2025, plan=True) == [
        ("key_labs_new", 2, "家", 2025, "target", "lower_bound")]
    assert at("新建省级重点实验室10家。", year=2025, plan=True) == [("key_labs_new", 10, "家", 2025, "target", "exact")]
