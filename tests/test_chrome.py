"""Cleaning as data: site chrome rules, the build's ``dropped`` table, files that are not documents, and a keyness
run that shows no menu word — on pages written for these tests in the shapes of real ones (no real text)."""
from __future__ import annotations

import io
import subprocess
import sys
import warnings

import pandas as pd
import pytest

from analysis.corpus.chrome import line_rule, load_chrome
from analysis.corpus.structure import clean
from analysis.errors import AnalysisWarning, ResourceError

PAGE = """首页 新闻 政务公开 互动交流 办事服务
首页 > 政务公开 > 规划计划
图为东莞市科学技术局2024年工作总结会议现场
东莞市科学技术局2024年工作总结和2025年工作打算
【字号：大 中 小】
发布时间：2025-01-20 10:00 来源：东莞市科学技术局
分享到： 阅读数：2361
一、工作总结
全市高新技术企业达到9000家，新建新型研发机构5家。
（记者 张三 摄）
二、2025年工作打算
力争新增省级重点实验室3家。
"""


@pytest.mark.parametrize("line, rule", [
    ("首页 新闻 政务公开 互动交流 办事服务", "menu_row"),
    ("首页 | 政务公开 | 政策文件", "menu_row"),
    ("【字号：大 中 小】", "font_size"),
    ("字体：[大] [中] [小]", "font_size"),
    ("阅读数：1234", "counter"),
    ("分享至 微信 微博", "share_counter"),
    ("政务公开 > 政策文件 > 规范性文件", "breadcrumb"),
    ("当前位置：首页 > 新闻中心", "location"),
    ("记者 李四 王五 摄", "photo_caption"),
    ("图为科技园区一角", "photo_caption"),
    ("【法宝引证码】CLI.12.345678", "legal_database"),
    ("原文链接：http://example.org/a.html", "legal_database"),
    ("【发文字号】东府〔2023〕12号", "legal_database"),
    ("Public domain", "licence_footer"),
])
def test_chrome_rules(line, rule):
    assert line_rule(line, load_chrome()) == rule


@pytest.mark.parametrize("line", [
    "一、加强科技创新 推动产业升级",  # a heading with a space
    "自治区主席 艾尔肯·吐尼亚孜",  # a speaker line: a name keeps its ·
    "政 府 工 作 报 告",  # a spaced title
    "关闭了一批落后产能企业。",  # prose that starts like a button
    "名词解释",
    "全年新增高新技术企业500家，阅读推广活动覆盖10万人次。",
])
def test_prose_and_headings_are_not_chrome(line):
    assert line_rule(line, load_chrome()) is None


def test_licence_footer_and_legal_header_fields():
    body = "\n".join(f"第{i}段正文。" for i in range(10))
    text = f"【发文字号】东府〔2023〕12号\n{body}\n本作品是中华人民共和国的\n法律\n文件，属于\n公有领域\n。\nfalse\n"
    cleaned = clean(text)
    assert cleaned.header["文号"] == "东府〔2023〕12号"
    assert cleaned.lines == [f"第{i}段正文。" for i in range(10)]
    assert [(n, r) for n, r, _len in cleaned.dropped] == [(1, "legal_database")] + [
        (n, "licence_footer") for n in range(12, 18)]
    # the same words in the first half of a text are not a footer
    early = clean("本作品是中华人民共和国的\n法律\n公有领域\n" + body)
    assert len(early.lines) == 13 and early.dropped == []


def test_user_chrome_file_extends_the_rules(tmp_path):
    mine = tmp_path / "chrome.txt"
    mine.write_text("# my site\nmy_banner  ^欢迎访问某某网站$\n", encoding="utf-8")
    cleaned = clean("欢迎访问某某网站\n正文第一段。\n正文第二段。\n", chrome=str(mine))
    assert cleaned.lines == ["正文第一段。", "正文第二段。"] and cleaned.dropped == [(1, "my_banner", 8)]
    bad = tmp_path / "bad.txt"
    bad.write_text("broken  ([unclosed\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"bad.txt: line 1: invalid regular expression"):
        clean("正文。", chrome=str(bad))


def test_scraped_page_dropped_table_and_title(tmp_path):
    from analysis.pipeline.build import build

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "page.txt").write_text(PAGE, encoding="utf-8")
    built = build(folder, cache=tmp_path / "cache")
    doc = built.docs.iloc[0]
    assert doc["title"] == "东莞市科学技术局2024年工作总结和2025年工作打算" and doc["published"] == "2025-01-20"
    assert (doc["doc_type"], doc["summary_year"], doc["plan_year"]) == ("summary_and_plan", 2024, 2025)
    dropped = built.table("dropped")
    assert list(dropped.columns) == ["doc_id", "line", "rule", "length"]
    rules = {1: "menu_row", 2: "breadcrumb", 3: "photo_caption", 5: "font_size", 6: "header", 7: "share",
             10: "photo_caption"}
    lines = PAGE.split("\n")
    assert dropped[["line", "rule", "length"]].values.tolist() == [[n, r, len(lines[n - 1])] for n, r in rules.items()]
    text = doc["text"]
    for gone in ("政务公开", "图为", "字号", "阅读数", "记者"):
        assert gone not in text
    assert built.units["text"].str.contains("9000家").any()


def test_readme_and_sources_list_are_skipped_with_a_note(tmp_path):
    from analysis import load_corpus

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "page.txt").write_text(PAGE, encoding="utf-8")
    (folder / "README.md").write_text("# 说明\n这些是网页。\n", encoding="utf-8")
    (folder / "sources.csv").write_text("file,title\npage.txt,x\n", encoding="utf-8")
    (folder / "sources_2025.csv").write_text("file,title\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(folder, cache=tmp_path / "cache")
    notes = sorted(str(w.message) for w in caught if issubclass(w.category, AnalysisWarning))
    assert notes == [f"{folder / name}: not a document, skipped" for name in ("README.md", "sources.csv",
                                                                               "sources_2025.csv")]
    assert corpus.rejected.empty and list(corpus.docs["file"]) == ["page.txt"]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True)


MENU = "首页 政务公开 互动交流 办事服务 专题专栏"


def _provincial(province: str, n: int) -> str:
    return (f"{MENU}\n{province}省2025年政府工作报告\n——2025年1月{n}日在{province}省第十四届人民代表大会第三次会议上\n"
            "各位代表：\n现在我代表省人民政府向大会报告工作，请各位代表审议。\n一、2024年工作回顾\n"
            "过去一年，全省新增高新技术企业1000家，全省县域经济加快发展。全省制造业集群不断壮大。\n"
            "二、2025年重点工作\n全省要打造县域经济集群，全省推进制造业集群建设。\n"
            f"{MENU}\n分享到：\n")


NATIONAL = ("各位代表：\n现在我代表国务院向大会报告政府工作，请各位代表审议。\n一、过去一年工作回顾\n"
            "过去一年，国内生产总值增长5%，国家财政收入稳定增长。\n二、今年政府工作任务\n"
            "国家要加强宏观调控，国家财政政策更加积极。\n")


def test_cli_keyness_by_level_shows_no_menu_word(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "national.txt").write_text(NATIONAL, encoding="utf-8")
    (folder / "guangdong.txt").write_text(_provincial("广东", 14), encoding="utf-8")
    (folder / "zhejiang.txt").write_text(_provincial("浙江", 15), encoding="utf-8")
    r = _cli("keyness", str(folder), "--by", "level", "--target", "province", "--top", "100", "--format", "csv",
             "--cache", str(tmp_path / "cache"))
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(io.StringIO(r.stdout))
    assert table["term"].iloc[0] == "全省" and table.set_index("term").loc["全省", "target_count"] == 10
    for word in MENU.split() + ["分享"]:
        assert word not in set(table["term"]), word
    r = _cli("corpus", str(folder), "--dropped", "--format", "csv", "--cache", str(tmp_path / "cache"))
    assert r.returncode == 0, r.stderr
    dropped = pd.read_csv(io.StringIO(r.stdout))
    assert list(dropped.columns) == ["path", "doc_id", "line", "rule", "length"]
    assert dropped.groupby("doc_id")["rule"].apply(list).to_dict() == {
        "guangdong": ["menu_row", "menu_row", "share"], "zhejiang": ["menu_row", "menu_row", "share"]}
