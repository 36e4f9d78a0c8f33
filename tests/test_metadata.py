"""Metadata, years and parts of documents written for these tests in the shapes of real ones (no real text)."""
from __future__ import annotations

import pytest

from analysis.corpus.load import parse_document

PROVINCIAL = """2025年吉林省政府工作报告
——2025年1月14日在吉林省第十四届人民代表大会第四次会议上
省长  某某
各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议。
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
现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。
一、过去一年工作回顾
过去一年，国内生产总值增长5%。香港、澳门保持繁荣稳定，北京冬奥会成功举办。
二、今年经济社会发展总体要求和政策取向
今年发展主要预期目标是：国内生产总值增长5%左右。
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
    return parse_document(path)


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
