"""Chinese and Arabic numerals, multipliers, units and hedges -> values.

The quantity grammar of Chinese policy prose, which existing parsers stop short of (jionlp parses money only and
rejects ``7400多家``; cn2an converts pure numerals but turns ``第十四个五年规划`` into ``第14个5年规划``)::

    [hedge] NUMBER [multiplier] [多|余] [unit] [以上|以下|以内|左右]      超过1.2万家, 7400多家, 近20亿元, 3个以上
    NUMBER [unit] (-|—|~|至|到) NUMBER [unit]                            2-4个, 2—3场, 2至3家, 30-70%

NUMBER is Arabic (decimals, thousands separators, full-width digits) or a Chinese numeral (一百亿, 两万, 三千五百,
一点五), which is handed to cn2an after this module has split off what cn2an gets wrong (see ``_cn_value``).

Value conventions
  * multipliers are applied (``1.2万家`` -> 12000 家) except in front of 元, where they form the currency unit
    (``63.57亿元`` -> 63.57 亿元; ``一百亿元`` -> 100 亿元; ``1.2万亿元`` -> 12000 亿元); ``八成`` -> 80 %.
  * hedges: 多/余/逾/超/超过/突破/以上/不少于 -> lower_bound; 约/近/左右/大约/接近 -> approx;
    不到/不足/以内/以下/不超过 -> upper_bound; ranges -> qualifier ``range`` with value = low.

Numbers that are not quantities of anything are recognised and classified instead (``scan_numbers``): years
(``2022年``, ``2022年度``, ``2023-2025年``, bare ``2021粤港澳…``), dates and periods (``5月23日``, ``1-10月``, ``一季度``),
ordinals and ranks (``第二``, ``居全省第二``, ``前20名``, ``百强``, ``50强``, ``九次全会``), plan periods (``十四五``),
durations (``三年``, ``五年规划``), formulas and codes (``1+1+9``, ``123+N``, ``5G``, ``(20220364)``, short slogans in
quotes such as ``“1310”``), enumerators (``一是``) and vague words (``一批``, ``一流``, ``统一``: no unit, no quantity).
"""
from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from typing import Literal

Qualifier = Literal["exact", "lower_bound", "upper_bound", "approx", "range"]
Category = Literal["quantity", "year", "year_range", "date", "period", "ordinal", "rank", "plan_period", "duration",
                   "formula", "code", "fraction", "vague", "enumerator"]

__all__ = ["Quantity", "NumberMention", "YearMention", "PeriodMention", "parse_quantity", "find_quantities",
           "scan_numbers", "find_years", "find_periods", "convert_unit", "UNITS"]


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and hedge; ``start``/``end`` index the text it was found in (hedge to unit)."""

    value: float
    unit: str | None
    qualifier: Qualifier = "exact"
    low: float | None = None
    high: float | None = None
    raw: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class NumberMention:
    """Any numeral found in running text, with what it is (``category``) and, for quantities, its Quantity."""

    category: Category
    raw: str
    start: int
    end: int
    value: float | None = None
    quantity: Quantity | None = field(default=None, repr=False)


@dataclass(frozen=True)
class YearMention:
    """An explicit calendar year (``2022年``, ``2022年度``, ``二〇二二年``); ``in_title`` inside 《》."""

    year: int
    raw: str
    start: int
    end: int
    fiscal: bool = False
    is_range: bool = False
    in_title: bool = False


@dataclass(frozen=True)
class PeriodMention:
    """A part of a year (``1-10月``, ``一季度``, ``上半年``, ``截至8月底``)."""

    period: str
    start: int
    end: int


# ---------------------------------------------------------------------------------------------------------- tables
#: Units, longest first when matched. Money units keep their multiplier (亿元 is a unit, not 1e8 元).
UNITS: tuple[str, ...] = (
    "个百分点", "百分点", "平方公里", "万平方米", "平方米", "公顷", "亿美元", "万美元", "美元", "亿元", "万元", "千元", "元",
    "%", "‰", "家", "项", "个", "人次", "人", "名", "位", "场次", "场", "次", "件", "台(套)", "台套", "台", "套", "支",
    "所", "座", "批", "期", "条", "张", "篇", "亩", "吨", "宗", "款", "倍", "分", "天", "户", "种", "类", "份", "部",
    "栋", "辆", "艘", "颗", "枚", "株", "周年", "轮", "门", "英寸", "万千瓦", "千瓦", "兆瓦", "公里", "米", "处", "组",
)
_UNIT_RE = re.compile("|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)))
_MONEY = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}

# hedges immediately before a number / after it; longest first so 不超过 wins over 超过
_PRE_HEDGES: tuple[tuple[str, Qualifier], ...] = tuple(sorted((
    ("不少于", "lower_bound"), ("不低于", "lower_bound"), ("至少", "lower_bound"), ("超过了", "lower_bound"),
    ("超过", "lower_bound"), ("高于", "lower_bound"), ("多于", "lower_bound"), ("大于", "lower_bound"),
    ("突破了", "lower_bound"), ("突破", "lower_bound"), ("逾", "lower_bound"), ("超出", "lower_bound"),
    ("超", "lower_bound"),
    ("大约", "approx"), ("约为", "approx"), ("约", "approx"), ("接近", "approx"), ("将近", "approx"),
    ("近", "approx"), ("大概", "approx"),
    ("不超过", "upper_bound"), ("未超过", "upper_bound"), ("不到", "upper_bound"), ("不足", "upper_bound"),
    ("少于", "upper_bound"), ("低于", "upper_bound"), ("最多", "upper_bound"),
), key=lambda h: len(h[0]), reverse=True))
_POST_HEDGES: tuple[tuple[str, Qualifier], ...] = (
    ("以上", "lower_bound"), ("多", "lower_bound"), ("以下", "upper_bound"), ("以内", "upper_bound"),
    ("左右", "approx"), ("上下", "approx"),
)

_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "，": ",", "％": "%",
                            "－": "-", "～": "~", "＋": "+", "（": "(", "）": ")", "：": ":", "／": "/"})

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_ALL = _CN_DIGITS + "十百千万亿"
_CORE_RE = re.compile(
    r"(?P<ar>(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?)(?P<mult>万亿|千亿|百亿|千万|百万|亿|万|千)?"
    r"|(?P<cn>[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+[万亿]*)?)"
)
_RANGE_SEP_RE = re.compile(r"\s*(?:-|—{1,2}|–|~|至|到)\s*")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?")
_PLAN_PERIOD_RE = re.compile(r"十[一二三四五六七八九]五")
_SHORT_QUOTE_RE = re.compile(r"“[^“”]{1,12}”|\"[^\"]{1,12}\"|'[^']{1,12}'")
_TITLE_RE = re.compile(r"《[^《》]*》")
_PAREN_CODE_RE = re.compile(r"\((\d+)\)")
# Chinese-numeral "一" glued to a preceding character forms a word, not a number (统一, 唯一, 之一 …)
_CN_WORD_PREV = set("统唯之同逐专单划归合万")
# words starting with 成 after a Chinese digit: 一成不变 is rare, 八成 (80 %) common, but 三成立 / 五成果 are not numbers
_CHENG_WORD_NEXT = set("为果功立本效员熟绩长型交都就品")
# ordinal markers after a number
_ORDINAL_AFTER_RE = re.compile(r"次(?:全会|党代会|会议)|届|号(?!线)|强(?!化|调|度|力|制)")
_VAGUE = {"一批", "一系列", "一些"}


# --------------------------------------------------------------------------------------------------- numeral values
def _ar_value(s: str) -> float:
    return float(s.replace(",", ""))


_MULT = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}


def _mult_value(m: str) -> float:
    out = 1.0
    for ch in m:
        out *= _MULT[ch]
    return out


def _cn_value(s: str, *, standalone: bool = False) -> float | None:
    """Value of a Chinese numeral, or None; never raises.

    What cn2an gets wrong and is handled here: a leading 百/千 (``百亿``) raises; digit strings without unit
    characters are read positionally (``三四`` -> 34, which in prose means "three or four"); decimals followed by a
    multiplier (``一点五万``) raise; ``十四五`` (a plan period) raises.
    """
    import cn2an

    if not s or s[0] in "万亿":
        return None
    if "点" in s:
        head, _, tail = s.partition("点")
        mult = ""
        while tail and tail[-1] in "万亿":
            mult = tail[-1] + mult
            tail = tail[:-1]
        if not tail or not head:
            return None
        whole = _cn_value(head, standalone=True)
        if whole is None or any(c not in _CN_DIGITS for c in tail):
            return None
        frac = float("0." + "".join(str("零一二三四五六七八九".index(c)) if c not in "〇两" else ("0" if c == "〇" else "2")
                                         for c in tail))
        return (whole + frac) * (_mult_value(mult) if mult else 1.0)
    if not any(c in "十百千万亿" for c in s):
        if len(s) == 1:
            return float("零一二三四五六七八九".index(s)) if s not in "〇两" else (0.0 if s == "〇" else 2.0)
        if standalone or "〇" in s or "零" in s:
            try:
                return float(cn2an.cn2an(s, "normal"))
            except Exception:  # cn2an raises ValueError and, on some inputs, others
                return None
        return None  # 三四 / 一二: not a positional number in prose
    if s[0] in "百千":
        s = "一" + s
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(cn2an.cn2an(s, "smart"))
    except Exception:
        return None


def _cn_pair_range(s: str) -> tuple[float, float] | None:
    """``三四`` / ``三五`` -> (3, 4) / (3, 5): two adjacent digits mean "three or four"."""
    digits = "一二三四五六七八九"
    if len(s) == 2 and s[0] in digits and s[1] in digits:
        a, b = digits.index(s[0]) + 1, digits.index(s[1]) + 1
        if b == a + 1 or (a, b) == (3, 5):
            return float(a), float(b)
    return None


def convert_unit(value: float, from_unit: str | None, to_unit: str | None) -> float | None:
    """Convert between money units (元, 千元, 万元, 亿元); same unit -> value; otherwise None."""
    if from_unit == to_unit:
        return value
    if from_unit in _MONEY and to_unit in _MONEY:
        return value * _MONEY[from_unit] / _MONEY[to_unit]
    return None


# ------------------------------------------------------------------------------------------------------- scanning
@dataclass
class _Tok:
    start: int           # start of the numeral
    end: int             # end of numeral (+ multiplier)
    value: float | None
    cn: bool
    mult: str
    raw_num: str
    pair: tuple[float, float] | None = None


def _spans(regex: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _tokens(t: str, standalone: bool) -> list[_Tok]:
    toks = []
    for m in _CORE_RE.finditer(t):
        if m.group("ar") is not None:
            mult = m.group("mult") or ""
            try:
                v = _ar_value(m.group("ar")) * (_mult_value(mult) if mult else 1.0)
            except ValueError:
                v = None
            toks.append(_Tok(m.start(), m.end(), v, False, mult, m.group(0)))
        else:
            s = m.group("cn")
            toks.append(_Tok(m.start(), m.end(), _cn_value(s, standalone=standalone), True, "", s, _cn_pair_range(s)))
    return toks


def _match_unit(t: str, pos: int) -> tuple[str | None, int]:
    m = _UNIT_RE.match(t, pos)
    if m:
        return m.group(0), m.end()
    return None, pos


def _pre_hedge(t: str, pos: int) -> tuple[Qualifier | None, int]:
    for word, q in _PRE_HEDGES:
        if t.startswith(word, max(0, pos - len(word))) and pos - len(word) >= 0:
            return q, pos - len(word)
    return None, pos


def _money_unit(unit: str | None, raw_num: str, mult: str, value: float) -> tuple[str | None, float]:
    """A trailing 万/亿 in front of 元 belongs to the unit: (一百亿, 元) -> (亿元, 100)."""
    if unit in ("元", "美元"):
        tail = mult or (re.search(r"[万亿]+$", raw_num) or [""])[0]
        if tail and tail[-1] in "万亿":
            return tail[-1] + unit, value / _MULT[tail[-1]]
    return unit, value


def _bounds(value: float, qual: Qualifier) -> tuple[float | None, float | None]:
    if qual == "lower_bound":
        return value, None
    if qual == "upper_bound":
        return None, value
    if qual == "exact":
        return value, value
    return None, None


def _quantity_at(t: str, text: str, k: _Tok, k2: _Tok | None, standalone: bool, is_year_digits: bool):
    """The quantity starting with token ``k`` (and, for a range, ``k2``): (Quantity, used_k2) | "year" | None."""
    n = len(t)
    s, e = k.start, k.end
    qual, q_start = (None, s)
    if not (standalone and s == 0):
        qual, q_start = _pre_hedge(t, s)
    value = k.value
    pos = e
    mid = ""
    if pos < n and t[pos] in "多余几" and not t.startswith("余额", pos):
        mid, pos = t[pos], pos + 1
    unit, upos = _match_unit(t, pos)
    if unit is None and k.cn and not mid and value is not None and len(k.raw_num) == 1 and t.startswith("成", pos) \
            and (pos + 1 >= n or t[pos + 1] not in _CHENG_WORD_NEXT):
        unit, upos, value = "%", pos + 1, value * 10  # 八成 -> 80 %
    # range: NUMBER [unit] SEP NUMBER [unit]
    rng = _RANGE_SEP_RE.match(t, upos if unit else pos)
    if (rng and k2 is not None and k2.start == rng.end() and k2.value is not None and value is not None
            and k2.cn == k.cn and not mid):
        unit2, upos2 = _match_unit(t, k2.end)
        hi = k2.value
        lo = value * _mult_value(k2.mult) if (k2.mult and not k.mult) else value  # 1-2万 = 10000-20000
        if (unit is None or unit2 is None or unit2 == unit) and hi > lo:
            nxt2 = t[k2.end] if k2.end < n else ""
            if nxt2 == "月" and hi <= 12 and not unit:
                return "period"
            if nxt2 == "年" and not unit:
                return "duration"
            u = unit2 or unit
            end = upos2 if unit2 else k2.end
            u_lo, lo = _money_unit(u, k2.raw_num, k2.mult, lo)
            _, hi = _money_unit(u, k2.raw_num, k2.mult, hi)
            return Quantity(lo, u_lo, "range", lo, hi, text[q_start:end], q_start, end), True
    if k.pair is not None and unit:
        lo, hi = k.pair
        return Quantity(lo, unit, "range", lo, hi, text[s:upos], s, upos), False
    if value is None or not math.isfinite(value):
        return None
    if k.cn and unit is None and not standalone:
        return None  # a Chinese numeral without a unit in prose: 十大舰队, 一流, 四梁八柱, 百千万工程
    if (not k.cn and unit is None and not standalone and is_year_digits and qual is None and not mid
            and 1949 <= value <= 2100):
        return "year"
    unit, value = _money_unit(unit, k.raw_num, k.mult, value)
    end = upos if unit else (pos if mid else e)
    if mid:
        qual = qual or "lower_bound"
    for word, q2 in _POST_HEDGES:
        if t.startswith(word, end) and (unit is not None or word != "多"):
            qual = qual or q2
            end += len(word)
            break
    qual = qual or "exact"
    low, high = _bounds(value, qual)
    return Quantity(value, unit, qual, low, high, text[q_start:end], q_start, end), False


def scan_numbers(text: str, *, standalone: bool = False) -> list[NumberMention]:
    """Find every numeral in ``text`` and classify it (quantity, year, date, ordinal, code …); never raises.

    Parameters
    ----------
    text : running text (any string; full-width digits are read as digits, offsets refer to ``text``).
    standalone : the text is one expression, not prose: bare Chinese numerals and bare four-digit numbers are
        quantities, not dropped or read as years.

    Returns
    -------
    list of NumberMention in text order; those with category ``quantity`` carry a :class:`Quantity`.
    """
    if not isinstance(text, str) or not text:
        return []
    t = text.translate(_FULLWIDTH)
    n = len(t)
    out: list[NumberMention] = []
    consumed = [False] * (n + 1)

    def emit(cat: Category, a: int, b: int, value: float | None = None, q: Quantity | None = None) -> None:
        out.append(NumberMention(cat, text[a:b], a, b, value, q))
        for i in range(a, b):
            consumed[i] = True

    for a, b in _spans(_ISO_DATE_RE, t):
        emit("date", a, b)
    for m in _PLAN_PERIOD_RE.finditer(t):
        if not consumed[m.start()] and not (m.end() < n and _UNIT_RE.match(t, m.end()) and t[m.end()] != "年"):
            emit("plan_period", m.start(), m.end())
    quotes = [] if standalone else _spans(_SHORT_QUOTE_RE, t)
    paren_codes = [] if standalone else [(m.start(1), m.end(1)) for m in _PAREN_CODE_RE.finditer(t)
                                         if len(m.group(1)) >= 5]

    toks = [k for k in _tokens(t, standalone) if not consumed[k.start]]
    i = 0
    while i < len(toks):
        k = toks[i]
        i += 1
        s, e = k.start, k.end
        if consumed[s]:
            continue
        prev = t[s - 1] if s > 0 else ""
        nxt = t[e] if e < n else ""
        # --- things that are not quantities, decided from the immediate context
        if k.cn and prev in _CN_WORD_PREV and k.raw_num[0] == "一" and not standalone:
            continue
        if not k.cn and (re.match(r"[A-Za-z_/]", prev or " ") or re.match(r"[A-Za-z_]", nxt or " ")):
            emit("code", s, e)
            continue
        if prev == "+" or nxt == "+" or (prev == "." and not k.cn):
            emit("formula", s, e)
            continue
        if _inside(s, paren_codes):
            emit("code", s, e)
            continue
        if _inside(s, quotes):
            emit("code", s, e)  # “1310”, “16个不得”, “百人进千企”: slogans and codes, not counts
            continue
        if not k.cn and len(k.raw_num) > 1 and k.raw_num[0] == "0" and not k.raw_num.startswith("0."):
            emit("code", s, e)
            continue
        if k.cn and k.raw_num in ("零", "〇") and not standalone:
            continue  # 零部件, 零的突破
        if not k.cn and not k.mult and not standalone and "." not in k.raw_num and (
                (nxt in (".", "、") and not t.startswith(".", e + 1) and not (e + 1 < n and t[e + 1].isdigit()))
                or (prev in ("(", "[") and nxt in (")", "]"))):
            emit("enumerator", s, e + 1)  # 1.编制发布 / 1、/ (1)
            continue
        if prev == "第":
            unit, ue = _match_unit(t, e)
            emit("ordinal", s - 1, ue if unit in ("个", "次", "位", "名", "批", "期", "届") else e, k.value)
            continue
        if t.startswith("分之", e):
            # 三分之一: consume the whole fraction
            f = re.match(r"分之[零〇一二两三四五六七八九十百\d.]+", t[e:])
            emit("fraction", s, e + (f.end() if f else 2))
            j = i
            while j < len(toks) and toks[j].start < e + (f.end() if f else 2):
                j += 1
            i = j
            continue
        if _ORDINAL_AFTER_RE.match(t, e):
            mo = _ORDINAL_AFTER_RE.match(t, e)
            emit("rank" if mo.group(0).startswith("强") else "ordinal", s, mo.end(), k.value)
            continue
        if k.cn and k.raw_num.startswith("百") and t.startswith("强", e):
            emit("rank", s, e + 1, 100.0)
            continue
        if k.cn and t.startswith("期", e) and not standalone:
            emit("ordinal", s, e + 1, k.value)  # 散裂中子源二期: a phase
            continue
        if prev == "前" and re.match(r"名|位", nxt):
            emit("rank", s - 1, e + 1, k.value)
            continue
        if re.match(r"名|位", nxt) and re.search(r"(?:居|位列|排名|排在|列)[^,;。]{0,4}$", t[max(0, s - 8):s]):
            emit("rank", s, e + 1, k.value)  # 居全省四位 (the 第 lost)
            continue
        if k.cn and k.raw_num + nxt in _VAGUE or (k.cn and k.raw_num == "一" and t.startswith("系列", e)):
            emit("vague", s, e + 1)
            continue
        if k.cn and nxt == "是" and len(k.raw_num) == 1:
            emit("enumerator", s, e + 1)
            continue

        # --- years
        year_val = k.value if (k.value is not None and float(k.value).is_integer() and not k.mult) else None
        is_year_digits = (year_val is not None and 1000 <= year_val <= 2199
                          and (re.fullmatch(r"\d{4}", k.raw_num) or (k.cn and not any(c in k.raw_num for c in "十百千万亿"))))
        rng = _RANGE_SEP_RE.match(t, e)
        if is_year_digits and rng and i < len(toks) and toks[i].start == rng.end():
            k2 = toks[i]
            if (k2.value is not None and re.fullmatch(r"\d{4}", k2.raw_num) and year_val <= k2.value <= year_val + 50
                    and (t.startswith("年", k2.end) or (not standalone and not _UNIT_RE.match(t, k2.end)))):
                end = k2.end if not t.startswith("年", k2.end) else k2.end + 1 + (1 if t.startswith("度", k2.end + 1) else 0)
                emit("year_range", s, end, year_val)
                i += 1
                continue
        if is_year_digits and nxt == "年" and not t.startswith("年代", e):
            emit("year", s, e + 1 + (1 if t.startswith("度", e + 1) else 0), year_val)
            continue

        # --- dates and periods (months, days, quarters)
        if k.value is not None and nxt == "月" and 1 <= k.value <= 12:
            end = e + 1
            md = re.match(r"(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]|[底初中末份]", t[end:])
            if md:
                end += md.end()
            emit("date", s, end, k.value)
            continue
        if k.value is not None and (t.startswith("季度", e)):
            emit("period", s - (1 if prev and prev in "第前" else 0), e + 2, k.value)
            continue
        if k.value is not None and nxt and nxt in "日号" and not k.mult and 1 <= k.value <= 31 and prev == "月":
            emit("date", s, e + 1, k.value)
            continue

        # --- durations (年 after a number that is not a year)
        if nxt == "年" or t.startswith("个月", e):
            emit("duration", s, e + (2 if nxt == "个" else 1), k.value)
            continue

        # --- quantities
        q = _quantity_at(t, text, k, toks[i] if i < len(toks) else None, standalone, is_year_digits)
        if q is None:
            continue
        if q == "year":
            emit("year", s, e, k.value)  # 2021粤港澳院士峰会, 2019德勤…: a bare year naming an event
            continue
        if isinstance(q, str):  # "period" / "duration" spanning a range with the next token
            emit(q, s, toks[i].end + 1)
            i += 1
            continue
        quantity, used_next = q
        if used_next:
            i += 1
        out.append(NumberMention("quantity", quantity.raw, quantity.start, quantity.end, quantity.value, quantity))
        for j in range(quantity.start, quantity.end):
            consumed[j] = True  # 个百分点 holds 百: not a second number
    out.sort(key=lambda m: (m.start, m.end))
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in running text, in order (years, dates, ordinals, codes, vague words left out); never raises.

    >>> [(q.value, q.unit, q.qualifier) for q in find_quantities("国家高新技术企业大幅跃升至7400多家,居全省第二")]
    [(7400.0, '家', 'lower_bound')]
    """
    try:
        return [m.quantity for m in scan_numbers(text) if m.quantity is not None]
    except Exception as exc:  # the grammar is heuristic; a bug must not take down a corpus run
        warnings.warn(f"find_quantities failed on {text[:40]!r}: {exc!r}", RuntimeWarning, stacklevel=2)
        return []


def parse_quantity(text: str) -> Quantity | None:
    """Parse a string that is one quantity expression (``超过1.2万家``, ``3.54%``, ``一百亿元``, ``2-4个``) or None.

    Surrounding whitespace is allowed; anything else around the quantity (or a year, date, ordinal) gives None.
    """
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    if not stripped:
        return None
    offset = text.index(stripped)
    try:
        mentions = scan_numbers(stripped, standalone=True)
    except Exception:
        return None
    if len(mentions) != 1 or mentions[0].quantity is None:
        return None
    q = mentions[0].quantity
    if q.start != 0 or q.end != len(stripped):
        return None
    return Quantity(q.value, q.unit, q.qualifier, q.low, q.high, q.raw, q.start + offset, q.end + offset)


def find_years(text: str) -> list[YearMention]:
    """Explicit calendar years in ``text`` (``2022年``, ``2022年度``, ``2023-2025年``, ``二〇二二年``), in order."""
    titles = _spans(_TITLE_RE, text.translate(_FULLWIDTH)) if isinstance(text, str) else []
    out = []
    for m in scan_numbers(text):
        if m.category in ("year", "year_range") and m.value is not None and m.raw[-1:] in ("年", "度"):
            out.append(YearMention(int(m.value), m.raw, m.start, m.end, fiscal=m.raw.endswith("年度"),
                                   is_range=m.category == "year_range", in_title=_inside(m.start, titles)))
    return out


_PERIOD_WORD_RE = re.compile(r"[上下]半年|前[一二三]季度|[一二三四]季度|截至\d{1,2}月底|截至[一二三四五六七八九十]{1,2}月底")


def find_periods(text: str) -> list[PeriodMention]:
    """Parts of a year named in ``text``: ``1-10月``, ``1-8月``, ``一季度``, ``上半年``, ``截至8月底``."""
    if not isinstance(text, str):
        return []
    out = [PeriodMention(m.raw, m.start, m.end) for m in scan_numbers(text) if m.category == "period"]
    covered = [(p.start, p.end) for p in out]
    for m in _PERIOD_WORD_RE.finditer(text.translate(_FULLWIDTH)):
        if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in covered):
            out.append(PeriodMention(text[m.start():m.end()], m.start(), m.end()))
    return sorted(out, key=lambda p: p.start)
