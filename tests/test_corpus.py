"""The corpus foundation: metadata, structure and parts of every seed, pinned; variants; bad input."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import warnings

import pandas as pd
import pytest

from analysis import InputError, load_corpus
from analysis.corpus.decode import to_traditional

# What a careful reader of each seed knows (the manifest says the same); inference must reproduce it.
EXPECTED = {
    "dongguan_2021_summary_2022_plan": dict(city="东莞", province="广东", doc_type="summary_and_plan", summary_year=2021,
                                            plan_year=2022, published="2022-02-28", l1=2, l2=12),
    "dongguan_2022_proposal_reply_20220364": dict(city="东莞", province="广东", doc_type="proposal_reply", summary_year=2022,
                                                  plan_year=2022, published=None, l1=7, l2=13),
    "zhongshan_2023_summary_2024_plan": dict(city="中山", province="广东", doc_type="summary_and_plan", summary_year=2023,
                                             plan_year=2024, published="2024-02-01", l1=2, l2=14),
    "guangzhou_2019_summary_2020_plan": dict(city="广州", province="广东", doc_type="summary_and_plan", summary_year=2019,
                                             plan_year=2020, published="2020-05-15", l1=2, l2=12),
    "yangjiang_2022_plan": dict(city="阳江", province="广东", doc_type="plan", summary_year=None, plan_year=2022,
                                published=None, l1=9, l2=0),
}
META = ("city", "province", "doc_type", "summary_year", "plan_year", "published")


def _value(v):
    return None if v is None or pd.isna(v) else v


@pytest.mark.parametrize("which", ["inferred_corpus", "corpus"])
def test_seed_metadata_and_structure(which, request):
    docs = request.getfixturevalue(which).docs.set_index("doc_id")
    assert sorted(docs.index) == sorted(EXPECTED)
    for doc_id, exp in EXPECTED.items():
        row = docs.loc[doc_id]
        for col in META:
            assert _value(row[col]) == exp[col], (doc_id, col, row[col])
        assert row["n_top_sections"] == exp["l1"], doc_id
        assert row["n_sections_l2"] == exp["l2"], doc_id


def test_titles_inferred(inferred_corpus):
    titles = inferred_corpus.docs.set_index("doc_id")["title"]
    assert titles["guangzhou_2019_summary_2020_plan"] == "广州市科学技术局2019年工作总结和2020年工作计划"
    assert titles["zhongshan_2023_summary_2024_plan"] == "中山市科学技术局2023年工作总结及2024年工作计划"
    assert titles["dongguan_2022_proposal_reply_20220364"].startswith("以科技创新为动力、先进制造业为载体")
    assert pd.isna(titles["yangjiang_2022_plan"])  # the scraped page prints no title


def test_city_evidence_prefers_issuer_over_mentions(inferred_corpus):
    docs = inferred_corpus.docs.set_index("doc_id")
    # Zhongshan names 深圳 ten times (深中), but its header names the issuer
    assert docs.loc["zhongshan_2023_summary_2024_plan", "city_evidence"] == "发布机构: 中山市科学技术局"
    assert docs.loc["guangzhou_2019_summary_2020_plan", "city_evidence"].startswith("title: 广州市科学技术局")
    # the Dongguan summary's title says only 市科技局: mention counts decide, and say so
    assert docs.loc["dongguan_2021_summary_2022_plan", "city_evidence"].startswith("mentions: 东莞×31")


def test_manifest_overrides_and_is_recorded(corpus):
    docs = corpus.docs.set_index("doc_id")
    assert docs.loc["yangjiang_2022_plan", "title"] == "阳江市2022年科技工作计划"
    assert "title=manifest" in docs.loc["yangjiang_2022_plan", "metadata_source"]
    assert docs.loc["dongguan_2021_summary_2022_plan", "title"] == "东莞市科学技术局2021年工作总结及2022年工作计划"


def test_parts_cover_every_unit(inferred_corpus):
    units = inferred_corpus.units
    assert units["part"].notna().all()
    sp = units[units["doc_type"] == "summary_and_plan"]
    assert set(sp["part"]) <= {"preamble", "summary", "plan"}
    # the first plan heading opens the plan part
    dg = units[units["doc_id"] == "dongguan_2021_summary_2022_plan"]
    first_plan = dg[dg["part"] == "plan"].iloc[0]
    assert first_plan["text"] == "二、2022年工作计划" and first_plan["is_heading"]
    assert (dg[dg["part"] == "plan"]["year"] == 2022).all() and (dg[dg["part"] == "summary"]["year"] == 2021).all()
    reply = units[units["doc_id"] == "dongguan_2022_proposal_reply_20220364"]
    assert reply[reply["text"].str.startswith("尊敬的")]["part"].item() == "reply"
    assert reply[reply["text"].str.startswith("(一)关键核心技术受制于人")]["part"].item() == "proposal"
    assert set(units[units["doc_id"] == "yangjiang_2022_plan"]["part"]) == {"plan"}


def test_broken_headings_repaired(inferred_corpus):
    s = inferred_corpus.sections
    dg = s[(s["doc_id"] == "dongguan_2021_summary_2022_plan") & (s["level"] == 2) & (s["part"] == "plan")]
    assert list(dg["number"]) == [1, 2, 3, 4, 5, 6]
    assert list(dg["repaired"]) == [False] * 4 + [True] * 2
    assert dg.iloc[4]["title"] == ")实施科技人才集聚工程"
    u = inferred_corpus.units
    lost = u[u["text"].str.startswith("是突破了一批先进技术")].iloc[0]
    assert lost["enum"] == 3 and lost["enum_repaired"]


def test_units_offsets_point_into_text(inferred_corpus):
    texts = inferred_corpus.docs.set_index("doc_id")["text"]
    for u in inferred_corpus.units.itertuples():
        assert texts[u.doc_id][u.start:u.end] == u.text
    assert inferred_corpus.units["unit_id"].is_unique


def test_chrome_removed(inferred_corpus):
    alltext = "\n".join(inferred_corpus.docs["text"])
    for chrome in ("您当前的位置", "您当前所在位置", "【字体", "【打印】", "访问量", "浏览次数", "扫一扫在手机打开当前页",
                   "相关信息", "相关文件", "相关新闻", "无障碍", "长者助手", "索引号", "网友评价"):
        assert chrome not in alltext, chrome


# --- variants: encodings, HTML, full-width, traditional ---------------------------------------------------

def _fullwidth(text: str) -> str:
    return text.translate({c: c + 0xFEE0 for c in range(ord("0"), ord("9") + 1)} | {ord("%"): "％"})


def _html(text: str) -> str:
    paras = "".join(f"<p>{ln}</p>\n" for ln in text.splitlines() if ln.strip())
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>x</title><script>var a='2099年工作计划';</script>"
            "<style>p{margin:0}</style></head><body><nav>首页 | 信息公开 | 无障碍</nav>"
            f"<div class='content'>{paras}</div><footer>版权所有 主办单位</footer></body></html>")


def _legacy(text: str) -> str:
    """What a GBK/Big5 page would hold: no NBSP and no private-use icon glyphs (they have no code there)."""
    return "".join(" " if c == "\xa0" else c for c in text if not "\ue000" <= c <= "\uf8ff")


VARIANTS = {
    "gbk": lambda t: (_legacy(t).encode("gbk"), ".txt"),
    "utf16": lambda t: (t.encode("utf-16"), ".txt"),
    "utf8_bom": lambda t: (t.encode("utf-8-sig"), ".txt"),
    "big5_traditional": lambda t: (to_traditional(_legacy(t)).encode("big5hkscs", errors="strict"), ".txt"),
    "html": lambda t: (_html(t).encode("utf-8"), ".html"),
    "html_as_txt_gb18030": lambda t: (_html(_legacy(t)).encode("gb18030"), ".txt"),
    "fullwidth": lambda t: (_fullwidth(t).encode("utf-8"), ".txt"),
}


@pytest.fixture(scope="module")
def variant_corpora(tmp_path_factory, seeds_dir, inferred_corpus):
    out = {}
    for name, make in VARIANTS.items():
        folder = tmp_path_factory.mktemp(name)
        for src in sorted(seeds_dir.glob("*.txt")):
            data, ext = make(src.read_text(encoding="utf-8"))
            (folder / (src.stem + ext)).write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[name] = load_corpus(folder, manifest=False)
    return out


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variants_give_same_metadata_and_units(name, variant_corpora, inferred_corpus):
    got = variant_corpora[name]
    assert got.rejected.empty, got.rejected
    base = inferred_corpus.docs.set_index("doc_id")
    docs = got.docs.set_index("doc_id")
    for doc_id in base.index:
        for col in META + ("title", "n_top_sections", "n_sections_l2", "n_units"):
            assert _value(docs.loc[doc_id, col]) == _value(base.loc[doc_id, col]), (name, doc_id, col)
    if name == "big5_traditional":
        assert docs["traditional"].all() and docs["encoding"].str.startswith("big5").all()
        # analysed in simplified form; the original script is kept at the same offsets for quotes
        dg = docs.loc["dongguan_2021_summary_2022_plan"]
        assert "高新技术企业" in dg["text"] and "高新技術企業" in dg["text_original"]
        assert len(dg["text"]) == len(dg["text_original"])
    if name == "gbk":
        assert (docs["encoding"] == "gb18030").all()
    if name == "fullwidth":
        assert "3.54%" in docs.loc["dongguan_2021_summary_2022_plan", "text"]


def test_source_files_never_modified(seeds_dir):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in seeds_dir.iterdir()}
    load_corpus(seeds_dir)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in seeds_dir.iterdir()}
    assert before == after


# --- bad input ---------------------------------------------------------------------------------------------

@pytest.fixture()
def bad_folder(tmp_path, seeds_dir):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "garbage.txt").write_bytes(bytes([0x81, 0x30, 0xFF, 0xFE, 0xFD]) * 200 + b"\x80\x80")
    (tmp_path / "notes.xyz").write_text("hello", encoding="utf-8")
    (tmp_path / "ok.txt").write_bytes((seeds_dir / "yangjiang_2022_plan.txt").read_bytes())
    return tmp_path


def test_bad_files_rejected_with_reason_others_kept(bad_folder):
    c = load_corpus(bad_folder)
    reasons = dict(zip(c.rejected["path"].map(lambda p: p.rsplit("/", 1)[-1]), c.rejected["reason"]))
    assert reasons["empty.txt"] == "empty file (no text)"
    assert reasons["binary.txt"].startswith("binary file")
    assert "undecodable" in reasons["garbage.txt"] or "binary" in reasons["garbage.txt"]
    assert reasons["notes.xyz"].startswith("unsupported file type '.xyz'")
    assert list(c.docs["doc_id"]) == ["ok"]


def test_read_document_raises_input_error_naming_file(tmp_path):
    from analysis.corpus.decode import read_document

    p = tmp_path / "empty.txt"
    p.write_bytes(b"   \n")
    with pytest.raises(InputError) as info:
        read_document(p)
    assert str(info.value) == f"{p}: empty file (no text)"


def test_missing_place_warns_with_manifest_column(tmp_path):
    p = tmp_path / "anon.txt"
    p.write_text("一、2022年工作计划\n力争推动科技创新,加快建设创新平台,确保完成任务,进一步推动发展。\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"anon.txt: place could not be inferred .*fill the manifest column 'place'"):
        c = load_corpus(p)
    assert len(c.docs) == 1 and pd.isna(c.docs.loc[0, "place"]) and pd.isna(c.docs.loc[0, "city"])


def test_manifest_outside_corpus_refused(tmp_path, seeds_dir):
    (tmp_path / "a.txt").write_bytes((seeds_dir / "yangjiang_2022_plan.txt").read_bytes())
    (tmp_path / "corpus.csv").write_text("doc_id,file,city\nevil,../../etc/passwd,北京\na,a.txt,阳江\n", encoding="utf-8")
    c = load_corpus(tmp_path)
    assert c.rejected["reason"].str.contains("outside the corpus folder").any()
    assert list(c.docs["doc_id"]) == ["a"]


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True)


def test_cli_corpus_json_contract():
    r = _cli("corpus", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 5
    need = {"path", "doc_id", "title", "city", "province", "doc_type", "summary_year", "plan_year", "published",
            "n_chars", "n_top_sections", "summary_chars", "plan_chars"}
    assert need <= set(rows[0])
    yj = next(r for r in rows if r["doc_id"] == "yangjiang_2022_plan")
    assert yj["city"] == "阳江" and yj["n_top_sections"] == 9 and yj["plan_year"] == 2022


def test_cli_bad_input_one_line_and_exit_1(bad_folder):
    r = _cli("corpus", str(bad_folder), "--format", "csv")
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 4 and all(ln.startswith("error: ") for ln in lines), r.stderr
    assert f"error: {bad_folder / 'empty.txt'}: empty file (no text)" in lines
    assert "Traceback" not in r.stderr
    assert "ok" in r.stdout  # the good file is still listed
