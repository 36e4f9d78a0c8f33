"""analysis.numbers: exact parses of the forms in the seeds, what is not a quantity, cn2an's misfires, properties."""
from __future__ import annotations

import math

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.metrics.numbers import (
    Quantity,
    convert_unit,
    find_periods,
    find_quantities,
    find_years,
    parse_quantity,
    scan_numbers,
)

FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@pytest.mark.parametrize("text, value, unit, qualifier, low, high", [
    ("3.54%", 3.54, "%", "exact", 3.54, 3.54),
    ("7400多家", 7400, "家", "lower_bound", 7400, None),
    ("超过1.2万家", 12000, "家", "lower_bound", 12000, None),
    ("突破一百亿元", 100, "亿元", "lower_bound", 100, None),
    ("百亿元", 100, "亿元", "exact", 100, 100),
    ("8200家", 8200, "家", "exact", 8200, 8200),
    ("近20亿元", 20, "亿元", "approx", None, None),
    ("约4.3亿元", 4.3, "亿元", "approx", None, None),
    ("7000余万元", 7000, "万元", "lower_bound", 7000, None),
    ("20余项", 20, "项", "lower_bound", 20, None),
    ("逾300人", 300, "人", "lower_bound", 300, None),
    ("3个以上", 3, "个", "lower_bound", 3, None),
    ("不到2000人", 2000, "人", "upper_bound", None, 2000),
    ("30%以内", 30, "%", "upper_bound", None, 30),
    ("不超过5家", 5, "家", "upper_bound", None, 5),
    ("50人左右", 50, "人", "approx", None, None),
    ("2-4个", 2, "个", "range", 2, 4),
    ("2—3场", 2, "场", "range", 2, 3),
    ("2至3家", 2, "家", "range", 2, 3),
    ("30-70%", 30, "%", "range", 30, 70),
    ("1-2万人", 10000, "人", "range", 10000, 20000),
    ("三四个", 3, "个", "range", 3, 4),
    ("两万家", 20000, "家", "exact", 20000, 20000),
    ("三千五百人", 3500, "人", "exact", 3500, 3500),
    ("1,234,567.5元", 1234567.5, "元", "exact", 1234567.5, 1234567.5),
    ("１２３４５家", 12345, "家", "exact", 12345, 12345),
    ("1.2万亿元", 12000, "亿元", "exact", 12000, 12000),
    ("一点五万", 15000, None, "exact", 15000, 15000),
    ("超八成", 80, "%", "lower_bound", 80, None),
    ("0.3个百分点", 0.3, "个百分点", "exact", 0.3, 0.3),
    ("9.2平方公里", 9.2, "平方公里", "exact", 9.2, 9.2),
    ("4889台(套)", 4889, "台(套)", "exact", 4889, 4889),
    ("一万多家", 10000, "家", "lower_bound", 10000, None),
])
def test_parse_quantity_exact_values(text, value, unit, qualifier, low, high):
    q = parse_quantity(text)
    assert q is not None
    assert q.value == pytest.approx(value)
    assert (q.unit, q.qualifier) == (unit, qualifier)
    assert (q.low is None, q.high is None) == (low is None, high is None)
    if low is not None:
        assert q.low == pytest.approx(low)
    if high is not None:
        assert q.high == pytest.approx(high)
    assert q.raw == text


@pytest.mark.parametrize("text", ["2022年", "2022年度", "十四五", "第二", "5月23日", "1-10月", "abc", "", "  ", "一是",
                                  "百强", "第十四个五年规划", "3.54%和4%"])
def test_parse_quantity_refuses_what_is_not_one_quantity(text):
    assert parse_quantity(text) is None


def test_parse_quantity_keeps_offsets_of_surrounding_whitespace():
    q = parse_quantity("  3.54% ")
    assert (q.start, q.end, q.raw) == (2, 7, "3.54%")


@pytest.mark.parametrize("text, expected", [
    # (category, raw) of every numeral, in order
    ("国家高新技术企业大幅跃升至7400多家,居全国地级市第二、全省地级市第一",
     [("quantity", "7400多家"), ("ordinal", "第二"), ("ordinal", "第一")]),
    ("纳入“十四五”国家重大科技基础设施建设规划", [("plan_period", "十四五")]),
    ("第十四个五年规划", [("ordinal", "第十四个"), ("duration", "五年")]),
    ("2022年度全市R&D经费", [("year", "2022年度")]),
    ("于2022年5月23日在松山湖举办", [("year", "2022年"), ("date", "5月23日")]),
    ("深入落实省委“1+1+9”工作部署", [("formula", "1"), ("formula", "1"), ("formula", "9")]),
    ("按照市委“123+N”工作安排", [("formula", "123")]),
    ("认真落实省委“1310”具体部署", [("code", "1310")]),
    ("案由:(20220364)以科技创新为动力", [("code", "20220364")]),
    ("全市建成10626个5G基站", [("quantity", "10626个"), ("code", "5")]),
    ("1-10月全市技术合同交易额", [("period", "1-10月")]),
    ("一季度为赋能中心拨付了2000万元", [("period", "一季度"), ("quantity", "2000万元")]),
    ("《行动计划(2023-2025年)》", [("year_range", "2023-2025年")]),
    ("举办2021粤港澳院士峰会", [("year", "2021")]),
    ("在高企中遴选百强、瞪羚等创新型企业", [("rank", "百强")]),
    ("发布中山市制造业企业科技创新30强", [("rank", "30强")]),
    ("争取2025年在全国高新区排名提升至前20名", [("year", "2025年"), ("rank", "前20名")]),
    ("技术金额达58.46亿元,居全省四位", [("quantity", "58.46亿元"), ("rank", "四位")]),
    ("落实省委十二届九次全会", [("ordinal", "十二届"), ("ordinal", "九次全会")]),
    ("一是推动。二是加强", [("enumerator", "一是"), ("enumerator", "二是")]),
    ("突破了一批先进技术", [("vague", "一批")]),
    ("引进一流人才,统一部署,十大舰队,四梁八柱,百千万工程", []),
    ("实现零的突破,核心零部件", []),
    ("散裂中子源二期", [("ordinal", "二期")]),
    ("3年内征集入库300个", [("duration", "3年"), ("quantity", "300个")]),
    ("1.编制发布规划", [("enumerator", "1.")]),
    ("三分之一", [("fraction", "三分之一")]),
    ("时间:2022-02-28 11:36:15", [("date", "2022-02-28 11:36:15")]),
    ("“16个不得”负面清单", [("code", "16")]),
])
def test_scan_numbers_classifies_what_is_not_a_quantity(text, expected):
    assert [(m.category, m.raw) for m in scan_numbers(text)] == expected


def test_find_quantities_offsets_point_back_into_the_text():
    text = "全年新增科技贷款超10亿元,累计贷款总额约150亿元;成交额1273.36亿元,其中技术交易额975.07亿元。"
    qs = find_quantities(text)
    assert [(q.value, q.unit, q.qualifier) for q in qs] == [
        (10, "亿元", "lower_bound"), (150, "亿元", "approx"), (1273.36, "亿元", "exact"), (975.07, "亿元", "exact")]
    for q in qs:
        assert text[q.start:q.end] == q.raw


def test_find_years_marks_fiscal_years_ranges_and_titles():
    ys = find_years("2022年度全市R&D经费;制定《计划(2023-2025年)》,2021年3月,2019—2021年")
    assert [(y.year, y.fiscal, y.is_range, y.in_title) for y in ys] == [
        (2022, True, False, False), (2023, False, True, True), (2021, False, False, False), (2019, False, True, False)]


def test_find_periods():
    assert [p.period for p in find_periods("1-10月全市技术合同;1-8月,截至8月底;一季度;上半年")] == [
        "1-10月", "1-8月", "截至8月底", "一季度", "上半年"]


def test_convert_unit_between_money_units_only():
    assert convert_unit(5372, "万元", "亿元") == pytest.approx(0.5372)
    assert convert_unit(1.2, "亿元", "万元") == pytest.approx(12000)
    assert convert_unit(3, "%", "个百分点") is None
    assert convert_unit(3, "家", "家") == 3


# ---------------------------------------------------------------------------------------------- where cn2an misfires
def test_cn2an_misfires_that_the_grammar_handles():
    # cn2an turns plan names into numbers of nothing; the grammar classifies them instead
    assert cn2an.transform("第十四个五年规划", "cn2an") == "第14个5年规划"
    assert find_quantities("第十四个五年规划") == []
    # cn2an reads adjacent digits positionally: 三四 -> 34, while 三四个 in prose means "three or four"
    assert cn2an.cn2an("三四", "smart") == 34
    assert (parse_quantity("三四个").low, parse_quantity("三四个").high) == (3, 4)
    assert find_quantities("三四") == []
    # cn2an refuses a leading 百 (百亿元大关) and decimals before a multiplier (一点五万)
    for s in ("百亿", "一点五万", "十四五"):
        with pytest.raises(ValueError):
            cn2an.cn2an(s, "smart")
    assert parse_quantity("百亿元").value == 100
    assert parse_quantity("一点五万").value == 15000
    assert parse_quantity("十四五") is None


# ----------------------------------------------------------------------------------------------------- properties
@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text):
    for q in find_quantities(text):
        assert isinstance(q, Quantity)
        assert text[q.start:q.end] == q.raw
    parse_quantity(text)
    scan_numbers(text)
    find_years(text)
    find_periods(text)


_GRAMMAR_ALPHABET = "0123456789０１２３４５６７８９.,-—~至到年月日第期批个家项人%元万亿千百十零〇一二两三四五六七八九多余近约超过以上以下“”《》()+是"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_GRAMMAR_ALPHABET, max_size=30))
def test_never_raises_on_numeral_soup(text):
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.raw
        assert math.isfinite(q.value)
    parse_quantity(text)


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@given(st.integers(min_value=0, max_value=10**15))
def test_round_trip_arabic_integers(n):
    for text in (str(n), f"{n:,}", str(n).translate(FULLWIDTH), f"{n:,}".translate(FULLWIDTH)):
        q = parse_quantity(text)
        assert q is not None and _same(q.value, n), text


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_round_trip_arabic_decimals(d):
    text = f"{d:f}"
    for t in (text, f"{d:,f}", text.translate(FULLWIDTH)):
        q = parse_quantity(t)
        assert q is not None and _same(q.value, float(d)), t


@given(st.integers(min_value=0, max_value=10**15))
def test_round_trip_chinese_numerals_via_cn2an(n):
    text = cn2an.an2cn(n)
    q = parse_quantity(text)
    assert q is not None and _same(q.value, n), text
    q = parse_quantity(text + "家")
    assert q is not None and _same(q.value, n) and q.unit == "家", text


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_round_trip_chinese_decimals_via_cn2an(d):
    text = cn2an.an2cn(str(d))
    q = parse_quantity(text)
    assert q is not None and _same(q.value, float(d)), text


@given(st.decimals(min_value="0.01", max_value=9999, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([("万", 1e4), ("亿", 1e8), ("千", 1e3), ("万亿", 1e12)]),
       st.sampled_from(["", "家", "项", "人"]))
def test_round_trip_multipliers(d, mult, unit):
    word, factor = mult
    q = parse_quantity(f"{d:f}{word}{unit}")
    assert q is not None and _same(q.value, float(d) * factor) and q.unit == (unit or None)


@given(st.decimals(min_value="0.01", max_value=99999, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["亿元", "万元", "元"]))
def test_round_trip_money_keeps_its_unit(d, unit):
    q = parse_quantity(f"{d:f}{unit}")
    assert q is not None and _same(q.value, float(d)) and q.unit == unit


@given(st.integers(min_value=1, max_value=10**8),
       st.sampled_from([("超过", "", "lower_bound"), ("", "多", "lower_bound"), ("逾", "", "lower_bound"),
                        ("突破", "", "lower_bound"), ("约", "", "approx"), ("近", "", "approx"),
                        ("不到", "", "upper_bound")]))
def test_round_trip_hedges(n, hedge):
    pre, mid, qualifier = hedge
    q = parse_quantity(f"{pre}{n}{mid}家")
    assert q is not None and _same(q.value, n) and q.qualifier == qualifier


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6),
       st.sampled_from(["-", "—", "~", "至", "到"]), st.sampled_from(["个", "家", "场", "%"]))
def test_round_trip_ranges(a, d, sep, unit):
    q = parse_quantity(f"{a}{sep}{a + d}{unit}")
    assert q is not None and q.qualifier == "range" and q.unit == unit
    assert (q.value, q.low, q.high) == (a, a, a + d)
