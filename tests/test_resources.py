"""The bundled data resources: gazetteer counts, lexicon well-formedness, and jieba keeping policy terms whole."""
from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import resource_path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# Prefecture-level divisions per province, end of 2023 (民政部 行政区划统计): 293 地级市 + 7 地区 + 30 自治州 + 3 盟.
OFFICIAL_PREFECTURES = {
    "河北": 11, "山西": 11, "内蒙古": 12, "辽宁": 14, "吉林": 9, "黑龙江": 13, "江苏": 13, "浙江": 11, "安徽": 16,
    "福建": 9, "江西": 11, "山东": 16, "河南": 17, "湖北": 13, "湖南": 14, "广东": 21, "广西": 14, "海南": 4,
    "四川": 21, "贵州": 9, "云南": 16, "西藏": 7, "陕西": 10, "甘肃": 14, "青海": 8, "宁夏": 5, "新疆": 14,
}
GUANGDONG = set("广州 深圳 珠海 汕头 佛山 韶关 湛江 肇庆 江门 茂名 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮".split())
POS_TAGS = {"n", "nz", "nt", "ns", "l"}


def _text_lines(name: str) -> list[str]:
    return [ln.strip() for ln in resource_path(name).read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]


@pytest.fixture(scope="module")
def divisions() -> pd.DataFrame:
    return pd.read_csv(resource_path("admin_divisions.csv"), dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def gazetteer(divisions) -> pd.DataFrame:
    """The provincial and prefecture levels (counties: :func:`test_gazetteer_counties`)."""
    return divisions[divisions.level != "county"].reset_index(drop=True)


@pytest.fixture(scope="module")
def lexicon() -> list[tuple[str, int, str]]:
    out = []
    for line in _text_lines("policy_lexicon.txt"):
        word, freq, pos = line.split(" ")
        out.append((word, int(freq), pos))
    return out


@pytest.fixture(scope="module")
def aliases() -> pd.DataFrame:
    return pd.read_csv(resource_path("aliases.csv"), dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def tokenizer(lexicon):
    """A private jieba tokenizer with the lexicon (never the global jieba.dt)."""
    jieba = pytest.importorskip("jieba")
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for word, freq, pos in lexicon:
        tok.add_word(word, freq, pos)
    return tok


@pytest.fixture(scope="module")
def seed_sentences() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return [s.strip() for s in re.split(r"(?<=[。！？])|\n", text) if s and s.strip()]


# ------------------------------------------------------------------------------------------------ gazetteer
def test_gazetteer_columns(gazetteer):
    assert list(gazetteer.columns) == ["name", "short", "level", "province", "name_en", "aliases", "kind", "code",
                                       "parent"]
    assert set(gazetteer.level) == {"province", "municipality", "sar", "prefecture"}
    assert (gazetteer[["name", "short", "level", "province", "name_en", "kind"]] != "").all().all()


def test_gazetteer_provincial_level(gazetteer):
    top = gazetteer[gazetteer.level != "prefecture"]
    assert len(top) == 34
    assert top.level.value_counts().to_dict() == {"province": 28, "municipality": 4, "sar": 2}
    assert top.kind.value_counts().to_dict() == {"省": 23, "自治区": 5, "直辖市": 4, "特别行政区": 2}
    assert set(top[top.level == "municipality"].short) == {"北京", "天津", "上海", "重庆"}
    assert set(top[top.level == "sar"].name_en) == {"Hong Kong", "Macao"}
    assert (top.province == top.short).all()
    assert top.short.is_unique


def test_gazetteer_prefecture_counts_match_official(gazetteer):
    pref = gazetteer[gazetteer.level == "prefecture"]
    assert pref.groupby("province").size().to_dict() == OFFICIAL_PREFECTURES
    assert len(pref) == 333
    assert pref.kind.value_counts().to_dict() == {"地级市": 293, "自治州": 30, "地区": 7, "盟": 3}
    provinces = set(gazetteer[gazetteer.level == "province"].short)
    assert set(pref.province) <= provinces


def test_gazetteer_guangdong(gazetteer):
    gd = gazetteer[(gazetteer.level == "prefecture") & (gazetteer.province == "广东")]
    assert set(gd.short) == GUANGDONG
    row = gazetteer.set_index("name").loc["东莞市"]
    assert (row.short, row.level, row.province, row.name_en, row.aliases) == ("东莞", "prefecture", "广东", "Dongguan", "莞")
    assert gazetteer.set_index("name").loc["广州市"].aliases == "穗"


def test_gazetteer_names_unique_and_consistent(gazetteer):
    assert gazetteer.name.is_unique
    assert gazetteer[gazetteer.level == "prefecture"].short.is_unique
    assert all(name.startswith(short) for name, short in zip(gazetteer.name, gazetteer.short))
    yanbian = gazetteer.set_index("name").loc["延边朝鲜族自治州"]
    assert (yanbian.short, yanbian.province, yanbian.aliases) == ("延边", "吉林", "延边州")


def test_gazetteer_counties(divisions):
    """County-level rows from the official codes: parents exist, codes unique, shared names kept apart by code."""
    county = divisions[divisions.level == "county"]
    assert len(county) > 2800 and divisions.code.is_unique and (divisions.code.str.len() == 12).all()
    assert set(county.parent) <= set(divisions.code)
    by = divisions.set_index("code")
    assert (by.loc["330212000000", "name"], by.loc["330212000000", "short"]) == ("鄞州区", "鄞州")
    assert by.loc[by.loc["330212000000", "parent"], "name"] == "宁波市"
    chaoyang = county[county.name == "朝阳区"]
    assert set(chaoyang.province) == {"北京", "吉林"}
    assert by.loc["420528000000", "short"] == "长阳"  # 长阳土家族自治县


def test_gazetteer_shared_strings_are_only_the_documented_ones(gazetteer):
    """A name, short name or alias that points at two divisions must be one the README warns about."""
    owners: dict[str, set[str]] = {}
    for row in gazetteer.itertuples():
        for s in [row.name, row.short, *filter(None, row.aliases.split(";"))]:
            owners.setdefault(s, set()).add(row.name)
    shared = {s: v for s, v in owners.items() if len(v) > 1}
    assert shared == {"吉林": {"吉林省", "吉林市"}, "海南": {"海南省", "海南藏族自治州"}}


def test_gazetteer_ambiguous_abbreviations_left_out(gazetteer):
    aliases = {a for cell in gazetteer.aliases for a in cell.split(";") if a}
    assert {"粤", "穗", "莞", "沪"} <= aliases
    assert not aliases & {"京", "鄂", "豫", "苏", "港", "澳", "深", "晋", "新", "青", "宁"}


# ------------------------------------------------------------------------------------------------ lexicon
def test_lexicon_well_formed(lexicon):
    raw = resource_path("policy_lexicon.txt").read_text(encoding="utf-8").splitlines()
    body_start = next(i for i, ln in enumerate(raw) if not ln.startswith("#"))
    assert raw[:body_start], "the format is explained in comment lines at the top"
    assert not any(ln.startswith("#") for ln in raw[body_start:]), "comments only at the top"
    for line in raw[body_start:]:
        fields = line.split(" ")
        assert len(fields) == 3, line
        assert fields[1].isdigit() and int(fields[1]) > 0, line
        assert fields[2] in POS_TAGS, line
    words = [w for w, _, _ in lexicon]
    assert len(words) >= 450
    assert [w for w, n in Counter(words).items() if n > 1] == []
    assert all(len(w) >= 2 for w in words)


def test_lexicon_frequency_scheme(lexicon):
    freq = {w: f for w, f, _ in lexicon}
    assert freq["高新技术企业"] == freq["揭榜挂帅"] == freq["松山湖科学城"] == 20000
    assert freq["高企"] == freq["港澳"] == 3000
    assert freq["中医药"] == 2000
    assert Counter(f for f in freq.values()).most_common(1)[0][0] == 20000


def test_lexicon_covers_brief_terms(lexicon):
    words = {w for w, _, _ in lexicon}
    required = """高新技术企业 科技型中小企业 新型研发机构 揭榜挂帅 卡脖子 专精特新 瞪羚企业 粤港澳大湾区 科技特派员
    研发费用加计扣除 大科学装置 省实验室 技术合同 科技信贷 松山湖科学城 南沙科学城 海上风电 合金材料 五金刀剪 光明科学城
    散裂中子源 重大科技基础设施 关键核心技术 成果转化 科技成果转化 孵化器 众创空间 风险补偿 国家自然科学基金 重点实验室
    工程技术研究中心 创新型城市 战略性新兴产业 先进制造业 生物医药 新一代信息技术 集成电路 人工智能 深中通道
    广深港澳科技创新走廊 港澳 扬帆计划 百千万工程 松山湖材料实验室 鹏城实验室 广州实验室""".split()
    assert [t for t in required if t not in words] == []


def test_lexicon_contains_formulae_and_alias_forms(lexicon, aliases):
    words = {w for w, _, _ in lexicon}
    pos = {w: p for w, _, p in lexicon}
    formulae = _text_lines("formulaic.txt")
    assert [f for f in formulae if f not in words] == []
    assert {pos[f] for f in formulae} == {"l"}
    missing = [v for v in aliases.variant if v not in words and v not in {"独角兽", "瞪羚"}]  # both in jieba's dict
    assert missing == []
    assert [c for c in set(aliases.canonical) if c not in words] == []


SEED_TERMS = ["高新技术企业", "科技型中小企业", "揭榜挂帅", "松山湖科学城"]


@pytest.mark.parametrize("term", SEED_TERMS)
def test_jieba_keeps_term_whole_in_seed_sentences(tokenizer, lexicon, seed_sentences, term):
    """Every seed sentence with the term yields it as a token, or inside a longer lexicon term (国家高新技术企业)."""
    words = {w for w, _, _ in lexicon}
    sentences = [s for s in seed_sentences if term in s]
    assert len(sentences) >= 3
    for sentence in sentences:
        tokens = tokenizer.lcut(sentence)
        hits = sum(tok.count(term) for tok in tokens if tok == term or tok in words)
        assert hits == sentence.count(term), (term, tokens)


def test_jieba_cuts_real_sentences_as_expected(tokenizer):
    """Gold cuts of seed sentences (hand-checked)."""
    cases = {
        "推动3789家企业申请认定高新技术企业": ["推动", "3789", "家", "企业", "申请", "认定", "高新技术企业"],
        "4686家通过入库": ["4686", "家", "通过", "入库"],
        "开展科技型中小企业评价": ["开展", "科技型中小企业", "评价"],
        "进一步推行科研攻关“揭榜挂帅”": ["进一步", "推行", "科研", "攻关", "“", "揭榜挂帅", "”"],
        "松山湖科学城“四梁八柱”初步形成": ["松山湖科学城", "“", "四梁八柱", "”", "初步", "形成"],
        "围绕五金刀剪、合金材料、海上风电等主导产业": ["围绕", "五金刀剪", "、", "合金材料", "、", "海上风电", "等", "主导产业"],
        "全市R&D投入强度提升至3.54%": ["全市", "R&D投入强度", "提升", "至", "3.54%"],
        "今年社区申报高企28家": ["今年", "社区", "申报", "高企", "28", "家"],
    }
    for text, gold in cases.items():
        assert tokenizer.lcut(text) == gold


def test_lexicon_does_not_swallow_neighbours(tokenizer):
    """Raised frequencies must not pull characters out of ordinary words next to a term."""
    cases = {
        "提高企业自主创新能力": ["提高", "企业", "自主创新能力"],
        "香港澳门两地": ["香港", "澳门", "两地"],
        "其中医药企业12家": ["其中", "医药企业", "12", "家"],
        "加大专项资金投入": ["加大", "专项资金", "投入"],
        "调研发现问题": ["调研", "发现", "问题"],
        "缓解融资难题": ["缓解", "融资", "难题"],
    }
    for text, gold in cases.items():
        assert tokenizer.lcut(text) == gold


# ------------------------------------------------------------------------------------------------ aliases
def test_aliases_well_formed(aliases):
    assert list(aliases.columns) == ["variant", "canonical", "note"]
    assert len(aliases) >= 40
    assert aliases.variant.is_unique
    assert (aliases.variant != aliases.canonical).all()
    assert (aliases[["variant", "canonical"]] != "").all().all()
    assert not set(aliases.variant) & set(aliases.canonical), "no chains: a canonical is never a variant"


def test_aliases_decisions(aliases):
    fold = dict(zip(aliases.variant, aliases.canonical))
    assert fold["高企"] == fold["国家高新技术企业"] == fold["国高企"] == "高新技术企业"
    assert fold["科技型中小企"] == "科技型中小企业"
    assert fold["大湾区"] == "粤港澳大湾区"
    assert fold["R&D经费投入强度"] == fold["R&D占比"] == "研发投入强度"
    assert "孵化载体" not in fold  # an umbrella term, not the same as 孵化器
    assert "科技型中小微企业" not in fold


def test_aliases_parse_with_csv_module():
    """Quoted notes with commas stay one field."""
    with resource_path("aliases.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert {len(r) for r in rows} == {3}


# ------------------------------------------------------------------------------------------------ word lists
def test_stopwords(lexicon):
    stops = _text_lines("stopwords.txt")
    assert len(stops) >= 300
    assert len(stops) == len(set(stops))
    assert {"的", "了", "和", "与", "及", "等", "在", "对", "将", "为", "以", "一是"} <= set(stops)
    assert not set(stops) & {w for w, _, _ in lexicon}, "a lexicon term is content, never a stopword"
    assert all(" " not in s for s in stops)


def test_formulaic():
    formulae = _text_lines("formulaic.txt")
    assert len(formulae) >= 80
    assert len(formulae) == len(set(formulae))
    brief = """坚强领导 深入贯彻 习近平新时代中国特色社会主义思想 高质量发展 全面贯彻 重要讲话 重要指示 批示精神 党的二十大精神
    党的十九大 以习近平新时代中国特色社会主义思想为指导 市委市政府 深入学习贯彻 认真落实 紧紧围绕 真抓实干 奋力 新征程
    新时代 两个确立 两个维护 四个意识 不忘初心 牢记使命""".split()
    assert [f for f in brief if f not in formulae] == []
    assert not set(formulae) & {"科技创新", "新动能", "扎实推进"}


def test_formulae_kept_whole_in_seed_text(tokenizer):
    text = "2021年,在市委市政府的坚强领导下,市科技局坚持以习近平新时代中国特色社会主义思想为指导,深入贯彻习近平总书记对广东重要讲话和重要指示批示精神"
    tokens = tokenizer.lcut(text)
    for phrase in ["市委市政府", "坚强领导", "以习近平新时代中国特色社会主义思想为指导", "深入贯彻", "重要讲话", "重要指示批示精神"]:
        assert phrase in tokens, (phrase, tokens)
