"""Metadata, years and parts of documents written for these tests in the shapes of real ones (no real text)."""
from __future__ import annotations

import pytest

from analysis.corpus.load import parse_document

PROVINCIAL = """2025年吉林省政府工作报告
——2025年1月14日在吉林省第十四届人民代表大会第四次会议上
省长  某某
各位代表：
现在我代表省人民政府向大会报告工作，请各位代表审议。
一、2024年工作回顾
过去一年，全省经济运行总体平稳。吉林市、长春市新增高新技术企业300家。
我们坚持合理均衡水平的财政支出，全年完成目标。
二、2025年工作总体要求和主要预期目标
今年全省经济社会发展的主要预期目标是：地区生产总值增长5%左右。
三、2025年重点工作
（一）加快科技创新。新建省级重点实验室10家。
四、全面加强政府自身建设
我们要坚持依法行政。
"""

NATIONAL = """各位代表：
现在我代表国务院向大会报告政府工作，请各位代表审议。
一、过去一年工作回顾
过去一年，国内生产总值增长5%。香港、澳门保持繁荣稳定，北京冬奥会成功举办。
二、今年经济社会发展总体要求和政策取向
今年的预期目标：经济增长百分之五左右。
三、今年政府工作任务
（一）大力推动科技自立自强。
四、关于外交工作
我们将继续奉行独立自主的和平外交政策。
"""

DISTRICT = """宁波市鄞州区科学技术局2024年工作总结和2025年工作计划
一、2024年工作总结
全区高新技术企业达到500家，与上海、杭州合作项目20个。
二、2025年工作计划
力争新增科技型中小企业100家。
"""


def _parse(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_document(path)[:3]


def test_provincial_report_with_delivery_line(tmp_path):
    doc, units, sections = _parse(tmp_path, "p.txt", PROVINCIAL)
    assert (doc["place"], doc["level"], doc["province"], doc["city"]) == ("吉林", "province", "吉林", None)
    assert (doc["doc_type"], doc["summary_year"], doc["plan_year"]) == ("gov_work_report", 2024, 2025)
    parts = {s["title"]: s["part"] for s in sections if s["level"] == 1}
    assert parts == {"一、2024年工作回顾": "summary", "二、2025年工作总体要求和主要预期目标": "plan",
                     "三、2025年重点工作": "plan", "四、全面加强政府自身建设": "other"}
    assert all(u["part"] == "preamble" for u in units if u["para_id"] < 5)
    lab = next(u for u in units if u["text"].startswith("(一)加快科技创新"))
    assert lab["part"] == "plan" and lab["year"] == 2025 and "三、2025年重点工作" in lab["part_evidence"]


def test_national_report_without_title(tmp_path):
    doc, units, sections = _parse(tmp_path, "n.txt", NATIONAL)
    assert (doc["place"], doc["level"], doc["city"], doc["province"]) == ("全国", "national", None, None)
    assert doc["doc_type"] == "gov_work_report" and "各位代表" in doc["doc_type_evidence"]
    parts = [s["part"] for s in sections if s["level"] == 1]
    assert parts == ["summary", "plan", "plan", "other"]
    assert {u["part"] for u in units} == {"preamble", "summary", "plan", "other"}


def test_report_years_from_headings_and_review(tmp_path):
    text = NATIONAL.replace("一、过去一年工作回顾", "一、2011年工作回顾")
    doc, _u, _s = _parse(tmp_path, "n2.txt", text)
    assert (doc["summary_year"], doc["plan_year"]) == (2011, 2012)
    text = NATIONAL.replace("过去一年，国内生产总值", "2018年，国内生产总值").replace("到", "")
    doc, _u, _s = _parse(tmp_path, "n3.txt", text)
    assert (doc["summary_year"], doc["plan_year"]) == (2018, 2019)


def test_district_bureau_summary(tmp_path):
    doc, _u, sections = _parse(tmp_path, "d.txt", DISTRICT)
    assert (doc["place"], doc["level"], doc["city"], doc["province"]) == ("鄞州", "county", "宁波", "浙江")
    assert (doc["doc_type"], doc["summary_year"], doc["plan_year"]) == ("summary_and_plan", 2024, 2025)
    assert [s["part"] for s in sections] == ["summary", "plan"]


@pytest.mark.parametrize("title, place, level", [
    ("2025年吉林省政府工作报告", "吉林", "province"),
    ("吉林市科学技术局2024年工作总结", "吉林", "prefecture"),
    ("海南省科学技术厅2024年工作总结", "海南", "province"),
    ("海南州科学技术局2024年工作总结", "海南", "prefecture"),
])
def test_name_shared_by_province_and_prefecture(tmp_path, title, place, level):
    doc, _u, _s = _parse(tmp_path, "s.txt", f"{title}\n一、工作总结\n全年完成目标。\n")
    assert (doc["place"], doc["level"]) == (place, level)


def test_place_name_never_inside_another_word(tmp_path):
    doc, _u, _s = _parse(tmp_path, "w.txt", "某单位2024年工作总结\n一、工作总结\n保持合理均衡水平。合理均衡水平。合理均衡水平。\n")
    assert doc["place"] is None and doc["city"] is None


NOTICE = """发布时间：2023年05月10日 09时30分
东莞市人民政府关于印发《东莞市科技创新行动计划（2023—2027年）》的通知
东府〔2023〕12号
各镇人民政府（街道办事处），市府直属各单位：
现将《东莞市科技创新行动计划（2023—2027年）》印发给你们，请认真贯彻执行。
东莞市人民政府
2023年5月8日
东莞市科技创新行动计划（2023—2027年）
为加快建设创新型城市，制定本行动计划。
一、总体要求
坚持创新驱动发展，坚持企业主体地位。
二、主要目标
到2027年，全市高新技术企业达到12000家。
三、重点任务
（一）建设重大创新平台。新建省级重点实验室20家。
四、保障措施
加强组织领导，强化资金保障。
"""


def test_policy_notice_with_document_number(tmp_path):
    doc, units, sections = _parse(tmp_path, "notice.txt", NOTICE)
    assert doc["doc_type"] == "policy" and doc["doc_type_evidence"] == "title: 东莞市科技创新行动计划(2023—2027年)"
    assert doc["title"] == "东莞市科技创新行动计划(2023—2027年)"
    assert (doc["plan_period"], doc["summary_year"], doc["plan_year"]) == ("2023–2027", None, None)
    assert doc["doc_number"] == "东府〔2023〕12号"
    assert doc["published"] == "2023-05-10" and doc["published_evidence"].startswith("发布时间")
    assert (doc["place"], doc["level"]) == ("东莞", "prefecture")
    # the cover notice (title, number, addressees, text, signature, date) and the plan's own title: preamble
    assert {u["para_id"] for u in units if u["part"] == "preamble"} == set(range(7))
    parts = {s["title"]: (s["part"], s["part_evidence"]) for s in sections if s["level"] == 1}
    assert parts == {"一、总体要求": ("other", "heading '一、总体要求' (no target, task or measure word)"),
                     "二、主要目标": ("plan", "heading '二、主要目标' (目标)"),
                     "三、重点任务": ("plan", "heading '三、重点任务' (重点)"),
                     "四、保障措施": ("plan", "heading '四、保障措施' (措施)")}
    target = next(u for u in units if "12000家" in u["text"])
    assert target["part"] == "plan" and target["part_evidence"] == "heading '二、主要目标' (目标)"
    assert doc["plan_chars"] > 0 and doc["summary_chars"] == 0


@pytest.mark.parametrize("title, period", [
    ("东莞市科技创新“十四五”规划", "2021–2025"),
    ("东莞市“十五五”科技创新规划", "2026–2030"),
    ("东莞市促进科技创新若干措施（2021—2023年）", "2021–2023"),
    ("东莞市科技金融实施方案（2024-2026年）", "2024–2026"),
])
def test_plan_period_of_multi_year_policies(tmp_path, title, period):
    doc, _u, _s = _parse(tmp_path, "plan.txt", f"{title}\n一、发展目标\n到期末，研发投入强度达到4%。\n")
    assert (doc["doc_type"], doc["plan_period"]) == ("policy", period)
    assert doc["years_evidence"].startswith("plan_period title:")


def test_policy_without_plan_part_is_a_fact_and_a_guess_says_so(tmp_path):
    text = "文号：东府办〔2024〕3号\n一、适用范围\n本办法适用于全市科技项目。\n二、职责分工\n市科技局负责组织实施。\n2024年3月1日\n"
    doc, units, _s = _parse(tmp_path, "guess.txt", text)
    assert doc["doc_type"] == "policy" and doc["doc_type_evidence"] == "guess: 文号 东府办〔2024〕3号, no policy title"
    assert doc["plan_chars"] == 0 and {u["part"] for u in units} == {"other"}
    assert (doc["published"], doc["published_evidence"]) == ("2024-03-01", "date line 5: 2024年3月1日")


@pytest.mark.parametrize("line, date", [
    ("发表时间：2026-02-10", "2026-02-10"),
    ("时间：2026年2月10日", "2026-02-10"),
    ("2026年02月10日 07时41分", "2026-02-10"),
])
def test_published_forms(tmp_path, line, date):
    doc, units, _s = _parse(tmp_path, "pub.txt", f"{line}\n东莞市科学技术局2025年工作总结\n一、工作总结\n全年完成目标。\n")
    assert doc["published"] == date and doc["title"] == "东莞市科学技术局2025年工作总结"
    assert not any(line in u["text"] for u in units)


def test_report_published_on_its_delivery_date(tmp_path):
    doc, _u, _s = _parse(tmp_path, "p.txt", PROVINCIAL)
    assert (doc["published"], doc["published_evidence"]) == ("2025-01-14", "delivery line: ——2025年1月14日在吉林省第十四届人民代表大会第四次会议上")


FIVE_YEAR_REVIEW = """各位代表：
本届政府任期即将结束。现在，我代表国务院，向第九届全国人民代表大会第五次会议报告五年来的工作，请予审议。
一、过去五年政府工作的回顾
五年来，国内生产总值从1997年的7万亿元增加到2002年的10万亿元。2002年粮食生产保持稳定。
我们成功申办2008年北京奥运会和2010年上海世博会。
二、今年政府工作的建议
今年要继续扩大内需，推动科技进步。
"""


def test_report_to_a_congress_named_in_full_and_event_years(tmp_path):
    """No salutation-plus-'向大会' line and no year in title or headings: the report is recognised from its delivery
    to a congress named in full, and the reviewed year is the latest one the review names as a period, not the year
    of an event it announces."""
    doc, units, sections = _parse(tmp_path, "r.txt", FIVE_YEAR_REVIEW)
    assert (doc["doc_type"], doc["place"], doc["level"]) == ("gov_work_report", "全国", "national")
    assert (doc["summary_year"], doc["plan_year"]) == (2002, 2003)
    parts = {s["title"]: s["part"] for s in sections if s["level"] == 1}
    assert parts == {"一、过去五年政府工作的回顾": "summary", "二、今年政府工作的建议": "plan"}
