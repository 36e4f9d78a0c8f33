"""Round 6 of issue 18: the work-report rules that held on all three development sets (old gold, fresh-1, fresh-2),
each checked on sentences written for these tests (no corpus text), next to the bureau genre where the seed
codebook keeps its own convention."""
from __future__ import annotations

import pytest
from theme_units import BUREAU, REPORT, units

from analysis.errors import ResourceError
from analysis.themes import classify_instruments, code_themes, load_taxonomy


def _units(texts, *, genre=REPORT, part="summary"):
    return units(texts, genre=genre, part=part)


def _themes(units) -> dict[str, set[str]]:
    return code_themes(units).groupby("unit_id")["theme"].agg(set).to_dict()


def _types(units) -> dict[str, str]:
    return classify_instruments(units).set_index("unit_id")["instrument_type"].to_dict()


def test_national_awards_are_landmark_achievements_in_reports_and_basic_research_for_bureaus():
    """Rule 9: a national S&T award in a work report is a landmark achievement (core_technology), not basic
    research; the seed codebook (bureau documents) keeps awards under basic research."""
    text = ["本省8项成果获国家科学技术奖。"]
    report, bureau = _themes(_units(text))["a#0000"], _themes(_units(text, genre=BUREAU))["a#0000"]
    assert "core_technology" in report and "basic_research" not in report
    assert "basic_research" in bureau


def test_outcome_counts_are_no_tool_in_reports():
    """A report's 技术合同成交额 and its counts of certified firms are outcomes: no demand or strategic tool (the
    result rule makes them none); society-wide R&D spending (R&D经费, 科研经费) is no government funding."""
    texts = ["技术合同成交额达到300亿元，增长12%。",
             "高新技术企业达到900家、科技型中小企业1500家。",
             "全社会R&D经费投入增长9%，高校科研经费增长5%。"]
    types = _types(_units(texts))
    assert types == {"a#0000": "none", "a#0001": "none", "a#0002": "none"}
    inst = classify_instruments(_units(texts, genre=BUREAU)).set_index("unit_id")
    assert "trade_market" in inst.loc["a#0000", "subtypes"]          # a bureau's technology-market service
    assert "strategic_measures" in inst.loc["a#0001", "subtypes"]    # a bureau's certification work
    # the government's own funding is still funding
    assert _types(_units(["安排科研经费2亿元支持重点实验室。"]))["a#0000"] == "supply"


def test_high_tech_industrialisation_is_industry_and_programmes_of_the_2000s():
    """Rule 2: 高新技术产业 and its 产业化 (the 2000s national wording) develop high-tech industry, they are not
    technology transfer; 863计划 (also with full-width digits) is a major S&T programme, 973计划 basic research."""
    texts = ["推动高新技术产业化，培育一批高新技术产业。", "新的“８６３计划”开始实施。", "“863”计划和973计划顺利实施。"]
    themes = _themes(_units(texts, part="plan"))
    assert "industry" in themes["a#0000"] and "tech_transfer" not in themes["a#0000"]
    assert themes["a#0001"] == {"core_technology"}
    assert themes["a#0002"] == {"core_technology", "basic_research"}
    # 产业化 of research results is still technology transfer
    assert "tech_transfer" in _themes(_units(["促进科技成果产业化。"]))["a#0000"]


def test_bare_reform_is_st_reform_only_in_a_clause_with_st_wording():
    """Rule 6: 改革 / 体制改革 count for institutional_reform only in a clause that carries an S&T anchor; other
    fields' reforms (education, investment and financing) are not S&T reform. The other cues of the theme are not
    anchored (科技体制改革, 知识产权 …), and bureau documents (no scope rule) keep every reform."""
    texts = ["深化教育体制改革，推进投融资体制改革。",    # other fields' reforms: no theme
             "深化科技体制改革，完善人才评价机制。",      # S&T reform
             "深化科研项目管理改革。"]                    # 改革 next to S&T wording (科研)
    themes = _themes(_units(texts, part="plan"))
    assert "a#0000" not in themes
    assert "institutional_reform" in themes["a#0001"] and "institutional_reform" in themes["a#0002"]
    assert "institutional_reform" in _themes(_units(texts[:1], genre=BUREAU, part="plan")).get("a#0000", set())


def test_clause_anchored_takes_a_list_of_cues():
    """``clause_anchored`` as data: True anchors every cue of the theme, a list only the listed cues; anything
    else that is not a list of strings is refused."""
    tax = {"scope": {"anchors": ["科技"]},
           "themes": [{"id": "reform", "clause_anchored": ["改革"], "cues": ["改革", "营商环境"]}]}
    texts = ["深化价格改革，科技赋能。", "深化科技改革。", "优化营商环境，科技赋能。"]
    got = code_themes(_units(texts), taxonomy=tax)
    assert got["unit_id"].tolist() == ["a#0001", "a#0002"]
    assert load_taxonomy(tax).themes[0].clause_anchored == ("改革",)
    with pytest.raises(ResourceError, match="clause_anchored"):
        load_taxonomy({**tax, "themes": [{**tax["themes"][0], "clause_anchored": [1]}]})


def test_st_spending_and_issued_opinions_are_the_governments_tools():
    """Rule 12/20: 安排科技支出 is the government's funding (supply), also in a plan sentence that the fallback
    would otherwise make goal planning; rule 19: issuing an 意见 is a strategic measure like a 政策 or 办法."""
    texts = ["中央财政今年拟安排科技支出500亿元，较去年多30亿元。", "制定出台支持新型研发机构加快发展的实施意见。"]
    inst = classify_instruments(_units(texts, part="plan")).set_index("unit_id")
    assert inst.loc["a#0000", "instrument_type"] == "supply" and "funding" in inst.loc["a#0000", "subtypes"]
    assert inst.loc["a#0001", "instrument_type"] == "environment"
    assert "strategic_measures" in inst.loc["a#0001", "subtypes"] and inst.loc["a#0001", "reason"] != "fallback"


def test_finance_needs_st_wording_other_than_financial_innovation():
    """Rule 12: a finance word is S&T finance only next to S&T wording; 创新 next to it is financial innovation,
    and students' (高校) or technical-renovation (技术改造) loans are other fields' credit (``not_anchors``)."""
    texts = ["创新特色金融产品，降低融资成本。",          # financial innovation: no theme
             "提高高校学生助学贷款额度。",                # students' loans: no theme
             "扩大科技型企业知识产权质押贷款规模。"]       # S&T finance
    themes = _themes(_units(texts, part="plan"))
    assert "sci_tech_finance" not in themes.get("a#0000", set()) | themes.get("a#0001", set())
    assert "sci_tech_finance" in themes["a#0002"]
    tax = {"scope": {"anchors": ["科技", "创新"]},
           "themes": [{"id": "fin", "clause_anchored": True, "not_anchors": ["创新"], "cues": ["金融"]}]}
    got = code_themes(_units(["创新金融产品。", "发展科技金融。"]), taxonomy=tax)
    assert got["unit_id"].tolist() == ["a#0001"] and load_taxonomy(tax).themes[0].not_anchors == ("创新",)


def test_field_words_next_to_governance_or_students_are_not_st_for_livelihood():
    """Rule 3: 农村/城乡 are S&T serving that field only next to S&T wording; 创新 of governance and 高校 students
    are not such wording, while agricultural S&T is."""
    texts = ["创新城乡社区治理。", "农村学生考入高校人数增长8%。", "加强农村科技服务，推广农业新技术。"]
    themes = _themes(_units(texts, part="plan"))
    assert "agriculture_livelihood" not in themes.get("a#0000", set()) | themes.get("a#0001", set())
    assert "agriculture_livelihood" in themes["a#0002"]


def test_generic_innovation_strategy_wording_of_the_2020s_is_institutional_reform():
    """Rule 6: researchers' autonomy over funds and technical routes, 科技自立自强 and education-S&T-talent advanced
    as one system are statements of the innovation system and its policy environment."""
    texts = ["赋予科研团队更大的经费支配权和技术路线决定权。", "坚持科技自立自强，加快建设科技强省。",
             "统筹推动教育科技人才协同发展。"]
    themes = _themes(_units(texts, part="plan"))
    assert all("institutional_reform" in themes[f"a#000{i}"] for i in range(3))
    assert "talent" in themes["a#0002"]


def test_enterprises_as_the_main_body_of_innovation_in_the_2000s_wording():
    """Rule 7 in the national wording of the 1990s-2000s: enterprises as the main body of 技术进步和创新 and large enterprise groups
    with their own IPR are enterprise cultivation; 自主知识产权 of a product stays no theme of its own."""
    texts = ["促使企业成为推动技术进步和创新的主体。", "培育若干拥有自主知识产权与知名品牌的大企业集团。",
             "开发一批具有自主知识产权的新产品。"]
    themes = _themes(_units(texts, part="plan"))
    assert themes["a#0000"] == {"enterprise_cultivation"} and themes["a#0001"] == {"enterprise_cultivation"}
    assert "enterprise_cultivation" not in themes.get("a#0002", set())
    assert "institutional_reform" not in themes.get("a#0002", set())


def test_generic_infrastructure_is_no_st_facility_in_reports():
    """A work report's 基础设施 (transport, urban works) is no S&T facility: the bare noun names no tool there, S&T
    infrastructure (科技基础设施) and building facilities (an action) still do; bureau documents keep the noun."""
    texts = ["加快发展数字经济，加强交通、水利等基础设施。", "加强重大科技基础设施建设。"]
    inst = classify_instruments(_units(texts, part="plan")).set_index("unit_id")
    assert "infrastructure" not in inst.loc["a#0000", "subtypes"]
    assert inst.loc["a#0001", "instrument_type"] == "supply"
    bureau = classify_instruments(_units(texts, genre=BUREAU, part="plan")).set_index("unit_id")
    assert "infrastructure" in bureau.loc["a#0000", "subtypes"]


def test_building_universities_and_disciplines_trains_talent_in_reports():
    """Rule 11: building universities and disciplines (verb first or object first) is talent training (supply),
    also in a plan sentence that the fallback would otherwise make goal planning; 设置 is a government action."""
    texts = ["依托优质高职院校设置一批本科层次职业技术大学。", "支持“双一流”建设，优化高校学科设置。",
             "深入实施高校一流学科建设工程。"]
    inst = classify_instruments(_units(texts, part="plan")).set_index("unit_id")
    assert inst["instrument_type"].tolist() == ["supply"] * 3
    assert all("talent_training" in s for s in inst["subtypes"])


def test_national_programmes_launched_are_funding():
    """Codebook: major S&T programmes and projects are supply/funding; the 2000s reports name them object first
    (“863”计划顺利实施, 重大项目正式启动); a plan or campaign that is only 深入实施 is not matched by that wording."""
    texts = ["“863”计划顺利实施。", "五个科技成果产业化重大项目正式启动。", "重点科技攻关计划开始组织实施。",
             "高职“双高计划”深入实施，高职院校招生增长5%。"]
    inst = classify_instruments(_units(texts)).set_index("unit_id")
    assert inst.loc[["a#0000", "a#0001", "a#0002"], "instrument_type"].tolist() == ["supply"] * 3
    assert "funding" not in inst.loc["a#0003", "subtypes"]


def test_monetary_policy_sentences_are_another_field():
    """Rules 1/23: a sentence whose subject is banks or credit (monetary policy) is about that field unless half
    its clauses are about S&T; a credit sentence led by S&T wording keeps its theme."""
    texts = ["银行要调整信贷结构，支持企业技术改造，满足企业流动资金需求，发展消费信贷。",
             "支持科技型中小企业发展，扩大知识产权质押贷款。"]
    themes = _themes(_units(texts, part="plan"))
    assert "a#0000" not in themes and "sci_tech_finance" in themes["a#0001"]


def test_high_tech_and_basic_science_research_in_the_national_wording():
    """Rules 9 and 13 in the national wording: 高技术研究 / 前沿技术研究 are core technology, 基础科学(研究) basic
    research; a product's own IPR (自主知识产权) is no IPR regulation."""
    texts = ["基础科学和高技术研究得到加强，形成一批具有自主知识产权的产品。", "加强战略高技术研究和前沿技术研究。"]
    units = _units(texts)
    themes = _themes(units)
    assert themes["a#0000"] == {"basic_research", "core_technology"} and themes["a#0001"] == {"core_technology"}
    inst = classify_instruments(units).set_index("unit_id")
    assert "regulation_standards" not in inst.loc["a#0000", "subtypes"]
    assert "regulation_standards" in classify_instruments(_units(["完善专利制度，严格知识产权保护执法。"]))["subtypes"][0]


def test_st_results_are_achievements_unless_transferred():
    """A work report's 科技成果 are achievements (awards, records: rule 9), not technology transfer, unless they
    are transferred (转化科研成果, 成果转化) or their ownership is reformed for it (职务科技成果); a bureau's are
    results to transfer (seed codebook)."""
    texts = ["多项科技成果达到国际领先水平。", "实验室转化科研成果120项。", "推开职务科技成果赋权改革。"]
    themes = _themes(_units(texts))
    assert "tech_transfer" not in themes.get("a#0000", set())
    assert "tech_transfer" in themes["a#0001"] and "tech_transfer" in themes["a#0002"]
    assert "tech_transfer" in _themes(_units(texts[:1], genre=BUREAU))["a#0000"]


def test_a_regulation_is_st_reform_only_next_to_st_wording():
    """Rule 6: 条例 is institutional reform only in a clause with S&T wording (a regulation of S&T), not a
    regulation of another field in a sentence that names S&T elsewhere."""
    texts = ["出台对外承包工程管理条例，统筹对外经济技术合作资金。", "修订科学技术进步条例。"]
    themes = _themes(_units(texts, part="plan"))
    assert "institutional_reform" not in themes.get("a#0000", set())
    assert "institutional_reform" in themes["a#0001"]


def test_scientists_spirit_is_no_talent_training():
    """Promoting the scientists' spirit (弘扬科学家精神) shapes the environment; it trains no scientist."""
    texts = ["大力弘扬科学家精神和创新文化。", "培养一批青年科学家。"]
    inst = classify_instruments(_units(texts, part="plan")).set_index("unit_id")
    assert "talent_training" not in inst.loc["a#0000", "subtypes"]
    assert "talent_training" in inst.loc["a#0001", "subtypes"]


def test_cooperation_with_a_named_region_includes_co_building():
    """Rule 5: stated cooperation with a named region (京津, not only 京津冀) includes co-building (共建); a region
    named without cooperation is no cooperation."""
    texts = ["与京津共建3条产业链。", "京津地区生产总值增长5%。"]
    themes = _themes(_units(texts))
    assert "regional_cooperation" in themes["a#0000"]
    assert "regional_cooperation" not in themes.get("a#0001", set())


def test_innovation_of_a_mechanism_does_not_make_a_reform_st_reform():
    """Rule 6: 机制创新 next to another field's reform (文化体制改革) does not anchor it; S&T wording does."""
    texts = ["推动文化领域体制改革与机制创新。", "深化科技评价制度改革。"]
    themes = _themes(_units(texts, part="plan"))
    assert "institutional_reform" not in themes.get("a#0000", set())
    assert "institutional_reform" in themes["a#0001"]


def test_st_infrastructure_and_intermediaries_in_the_national_wording():
    """Rules 8 and 10: 科技基础设施 is an innovation platform, 科技中介 a technology service."""
    themes = _themes(_units(["加强科技基础设施建设。", "发展面向企业的科技中介服务机构。"], part="plan"))
    assert "innovation_platforms" in themes["a#0000"] and "tech_transfer" in themes["a#0001"]
