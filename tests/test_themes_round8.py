"""Round 8 of issue 18: the rules that held on all five development sets (old gold, fresh-1 to fresh-4), each checked
on sentences written for these tests (no corpus text), next to the bureau genre where the seed codebook keeps its own
convention."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from theme_units import BUREAU, themes_by_unit, units

from analysis.errors import ResourceError
from analysis.themes import classify_instruments, load_scheme
from analysis.themes.instrument_scheme import ResultRule
from analysis.themes.scheme import Cue

_units, _themes = units, themes_by_unit  # the shared helpers of tests/theme_units.py


def _types(units) -> list[str]:
    return classify_instruments(units).set_index("unit_id").loc[units["unit_id"], "instrument_type"].tolist()


def test_graduates_in_work_reports_are_employment_policy_not_talent():
    """Rules 1/23: in a work report, university graduates are a group whose jobs the government secures, not S&T
    talent (no theme, so no instrument); a bureau document keeps the seed codebook's talent cue; a sentence that
    also names talent in its own words keeps the theme."""
    texts = ["出台大学生创业扶持办法，帮助今年的高校毕业生尽快找到工作。", "本区高校毕业生就业创业服务不断完善。"]
    assert _themes(_units(texts)) == [set(), set()]
    assert _types(_units(texts)) == ["none", "none"]
    assert "talent" in _themes(_units(["组织高校毕业生参加科技企业实习。"], genre=BUREAU))[0]
    assert "talent" in _themes(_units(["引进高层次人才，留住高校毕业生。"]))[0]


def test_pensions_are_social_security_not_livelihood_technology():
    """Rule 3: raising pensions or reforming pension insurance is social security, even next to an S&T word; S&T
    serving elder care (智慧养老) is still agriculture_livelihood."""
    texts = ["调整科研单位退休职工的养老金水平。", "科研院所职工的养老保险改革继续推进。"]
    assert [t & {"agriculture_livelihood"} for t in _themes(_units(texts))] == [set(), set()]
    assert "agriculture_livelihood" in _themes(_units(["推广智能技术服务社区养老。"]))[0]


def test_the_national_importance_idiom_is_no_livelihood_theme():
    """国计民生 (a matter of national importance) says nothing about livelihood; 民生 itself still counts next to S&T
    wording."""
    assert _themes(_units(["集中力量突破一批关系国计民生的关键技术。"])) == [{"core_technology"}]
    assert "agriculture_livelihood" in _themes(_units(["用科技手段改善民生服务。"]))[0]


def test_raising_enterprises_holds_no_high_tech_firm_anchor():
    """高企 (high-tech firm) inside 提高企业 is no S&T anchor: raising enterprises' pensions or profits puts a sentence
    in no theme; a real 高企 still anchors the sentence."""
    texts = ["明年起统一提高企业退休职工养老待遇。", "今年继续提高企业经营效益和农村居民收入。"]
    assert _themes(_units(texts)) == [set(), set()]
    assert "enterprise_cultivation" in _themes(_units(["新认定高企三百家。"]))[0]


def _inst(units) -> pd.DataFrame:
    return classify_instruments(units).set_index("unit_id").loc[units["unit_id"]]


def test_a_counted_action_in_a_summary_is_a_result():
    """Rule 16: a summary clause whose government verb ends in a count (引进人才N人, 培育企业N家) reports how many,
    an outcome (none, reason result); a verb that still acts in another clause (大力引进…, 加大…力度) keeps the
    sentence a measure, and the plan part is never a result."""
    texts = ["去年共引进青年科技人才5600人。", "培育科技型中小企业320家、专精特新企业45家，技术合同成交额增长12%。",
             "大力引进青年科技人才，全年新增5600人。", "加大科技人才引进力度，新引进博士800多人。"]
    inst = _inst(_units(texts, part="summary"))
    assert inst["instrument_type"].tolist()[:2] == ["none", "none"]
    assert inst["reason"].tolist()[:2] == ["result", "result"]
    assert inst["instrument_type"].tolist()[2:] == ["supply", "supply"]
    assert _inst(_units(texts[:1], part="plan"))["instrument_type"].tolist() == ["supply"]


def test_result_rule_counted_is_optional_and_checked():
    marker = Cue("a number", re.compile(r"\d"))
    plain = ResultRule(("summary",), (marker,), ("引进",))
    counted = ResultRule(("summary",), (marker,), ("引进",), re.compile(r"\d+人$"))
    text = "今年引进工程师300人。"
    assert plain.marker(text, "summary") is None and counted.marker(text, "summary") == "3"
    assert counted.marker("引进工程师，全年300人。", "summary") is None  # the verb's own clause has no count
    data = yaml.safe_load((Path(__file__).parents[1] / "analysis" / "resources" / "instruments.yaml").read_text("utf-8"))
    assert load_scheme(data).result_rule.counted is not None
    with pytest.raises(ResourceError):
        load_scheme({**data, "result_rule": {"markers": ["增长"], "counted": "(unclosed"}})


def test_guiding_foreign_investment_into_sectors_is_investment_policy():
    """Rule 23: a sentence that steers foreign capital into a list of sectors (高新技术产业 among farming and
    infrastructure) is investment policy: no industry or agriculture theme, so no instrument; the sectors named
    without that action keep their themes."""
    texts = ["继续鼓励外商投资于现代农业和高新技术产业。", "积极引导外商投资先进制造业、智慧农业和物流业。"]
    assert _themes(_units(texts)) == [set(), set()]
    assert _types(_units(texts)) == ["none", "none"]
    assert "industry" in _themes(_units(["加快发展高新技术产业和先进制造业。"]))[0]
