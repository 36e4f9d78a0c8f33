"""Round 7 of issue 18: the rules that held on all four development sets (old gold, fresh-1, fresh-2 and the 1990s
reports of fresh-3), each checked on sentences written for these tests (no corpus text), next to the bureau genre
where the seed codebook keeps its own convention."""
from __future__ import annotations

import pandas as pd
import pytest
from theme_units import BUREAU, REPORT, themes_by_unit, units

from analysis.errors import ResourceError
from analysis.themes import classify_instruments, load_scheme

_units, _themes = units, themes_by_unit  # the shared helpers of tests/theme_units.py


def _inst(units) -> pd.DataFrame:
    return classify_instruments(units).set_index("unit_id").loc[units["unit_id"]]


def test_high_tech_zones_are_platforms_founded_and_run_not_industry():
    """Convention H7: the 1990s high-tech (industrial) development zones are platforms, not industry, and founding
    or running them (创办, 办好) is building a facility (supply/infrastructure), not a bare plan directive."""
    texts = ["本市要认真办好两个高新技术产业开发区。", "去年又创办了三个高新技术开发区。"]
    assert _themes(_units(texts)) == [{"innovation_platforms"}, {"innovation_platforms"}]
    inst = _inst(_units(texts))
    assert inst["instrument_type"].tolist() == ["supply", "supply"]
    assert all("infrastructure" in s for s in inst["subtypes"])
    # industry still counts where the sentence states it in its own words
    assert "industry" in _themes(_units(["依托高新技术产业开发区改造传统产业。"]))[0]


def test_the_1990s_wording_of_technology_transfer():
    """Conventions H3, H4, H11 (rule 10): results turned into productive forces or commodities (object first), S&T
    integrated with the economy (also a generic S&T strategy), imported technology digested, mass technical
    innovation; re-innovation as a capability is not transfer."""
    texts = ["推动各类科研成果尽快向现实生产力转化。", "科研成果的商品化进程明显加快。",
             "坚持科技同经济紧密结合的方向。", "做好对引进技术的消化和再创新。", "在职工中广泛开展技术革新活动。"]
    themes = _themes(_units(texts))
    assert all("tech_transfer" in t for t in themes)
    assert "institutional_reform" in themes[2]
    assert "tech_transfer" not in _themes(_units(["增强引进消化吸收后再创新的本领。"]))[0]


def test_industry_research_linkage_in_its_long_form_is_technology_transfer():
    """Rule 10 in the 1990s-2000s wording of 产学研: institutes or universities and enterprises joining, in either
    order; 企业成为技术开发的主体 is rule 7 (enterprise cultivation)."""
    texts = ["鼓励高校同企业开展技术合作。", "支持企业与科研院所之间广泛联合。", "让企业真正成为技术开发主体。"]
    themes = _themes(_units(texts))
    assert "tech_transfer" in themes[0] and "tech_transfer" in themes[1]
    assert "enterprise_cultivation" in themes[2]


def test_popular_science_is_talent_and_high_firms_are_not_higher_profits():
    """Convention H13: popular science as the sentence's own action is talent (the public's S&T literacy);
    提高企业效益 contains the letters of 高企 but names no high-tech firm. (科普 is no scope anchor: in a list of
    culture facilities it would anchor another field's words.)"""
    texts = ["组织科技工作者普遍开展科普活动。", "提升全民科学素质。", "通过加强管理提高企业效益。"]
    themes = _themes(_units(texts))
    assert "talent" in themes[0] and "talent" in themes[1]
    assert "enterprise_cultivation" not in themes[2]


def test_technology_extension_is_a_supplied_service_and_the_agricultural_strategy():
    """Convention H8: extending applicable or agricultural technologies and new varieties is a technical service the
    government supplies (supply/information_support), in a plan as in a review; 科教兴农 is the agricultural
    variant of the S&T strategy (H2)."""
    texts = ["在各地农村推广先进适用技术。", "积极推广良种和配套栽培技术。", "深入实施科教兴农。"]
    units = _units(texts)
    inst = _inst(units)
    assert inst["instrument_type"].iloc[:2].tolist() == ["supply", "supply"]
    assert all("information_support" in s for s in inst["subtypes"].iloc[:2])
    assert "agriculture_livelihood" in _themes(units)[2]


def test_vocational_education_alone_and_award_winning_academicians_are_no_talent_policy():
    """Vocational education named as a sector's development is an education sentence, not talent (it stays talent
    with talent wording); an academician winning an award is an achievement (rule 9), not talent."""
    texts = ["职业教育规模稳步扩大。", "王院士团队荣获国家技术发明奖。", "发展职业教育，培养高技能人才。"]
    themes = _themes(_units(texts, part="summary"))
    assert "talent" not in themes[0] and "talent" not in themes[1]
    assert "core_technology" in themes[1]
    assert "talent" in themes[2]


def test_bare_ai_and_quantum_are_fields_not_industry_or_core_technology():
    """Bare 人工智能 is a technology field or an application (industry only as an industry: 人工智能产业, or the
    人工智能+ campaign); bare 量子 named in a future-industry list is no core technology; 数字产业化 is the digital
    economy, not transfer; technical transformation as a category of investment or loans is no industry (H1)."""
    texts = ["推广人工智能辅助诊疗。", "做大人工智能产业集群。", "布局量子信息、商业航天等未来产业。",
             "推进数字产业化。", "全年基本建设和技术改造投资增长一成。", "做好技术改造贷款的发放。"]
    themes = _themes(_units(texts))
    assert "industry" not in themes[0]
    assert "industry" in themes[1]
    assert "core_technology" not in themes[2] and "industry" in themes[2]
    assert "tech_transfer" not in themes[3]
    assert "industry" not in themes[4] and "industry" not in themes[5]
    assert "industry" in _themes(_units(["加快企业技术改造。"]))[0]


def test_founding_national_science_bodies_and_counted_results():
    """Rule 6: founding an academy or an S&T leading group reorganises the S&T system; rule 9: S&T results
    obtained and counted in a review are achievements; 关键性技术, 课题攻关 and 重大科学工程 in their 1990s form."""
    texts = ["决定成立国家科学技术领导小组。", "全年取得省级科技成果三百余项。", "组织关键性技术的重大课题攻关。",
             "两项重大科学工程开工。"]
    themes = _themes(_units(texts, part="summary"))
    assert "institutional_reform" in themes[0]
    assert "core_technology" in themes[1] and "core_technology" in themes[2]
    assert "innovation_platforms" in themes[3]


def test_party_building_alone_has_no_instrument_in_reports_but_keeps_its_tools_for_bureaus():
    """Rule 4: a work-report sentence whose only theme is party building gets type none (reason toolless_theme),
    even when it names a regulation; the seed codebook (bureau documents) codes the tools of party work."""
    text = ["严肃政务纪律，落实各项规定。"]
    report = _inst(_units(text)).iloc[0]
    assert (report["instrument_type"], report["reason"]) == ("none", "toolless_theme")
    bureau = _inst(_units(text, genre=BUREAU)).iloc[0]
    assert bureau["instrument_type"] == "environment" and "regulation_standards" in bureau["subtypes"]
    # a sentence with an S&T theme next to party building keeps its tool
    mixed = _inst(_units(["严肃工作纪律，出台人才引进政策。"])).iloc[0]
    assert mixed["instrument_type"] != "none"


def test_toolless_themes_is_a_checked_setting():
    scheme = load_scheme()
    assert scheme.setting("toolless_themes", REPORT) == ("party_building",)
    assert scheme.setting("toolless_themes", BUREAU) == ()
    data = {"types": [{"id": "supply", "subtypes": [{"id": "funding", "cues": ["资金"]}]}], "toolless_themes": [3]}
    with pytest.raises(ResourceError, match="toolless_themes"):
        load_scheme(data)
