"""Numerals in running text -> quantities: tokens, multipliers, units, hedges, ranges and approximate counts.

Each form is a small rule with its own test in ``tests/test_numbers.py``::

    [hedge] NUMBER [multiplier] [多|余] [unit] [(含)|及][以上|以下|以内|左右]   超过1.2万家, 7400多家, 50万元（含）以上
    NUMBER [unit] (-|—|~|至|到) NUMBER [multiplier] [unit]                   2-4个, 一百二十到一百五十亿元, 两到三万家
    数十家, 几百亿元 (10–99, 100–999 亿元: approx with bounds); 上千家 (lower bound 1000); 十几个 (11–19)
    -2.3%, 负2.3% (signs);  两个亿 (个 between a number and its multiplier);  约3成, 八成 (30 %, 80 %)

Value conventions: multipliers are applied (``1.2万家`` -> 12000 家) except in front of 元, where they form the
currency unit (``63.57亿元`` -> 63.57 亿元; ``1.2万亿元`` -> 12000 亿元). Ranges and approximate counts carry
``low``/``high`` and ``value`` = ``low``. Qualifiers: exact | lower_bound | upper_bound | approx | range.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from .numerals import NUMERAL_CHARS, cn_number, pair_range, simplify

Qualifier = Literal["exact", "lower_bound", "upper_bound", "approx", "range"]

__all__ = ["Quantity", "Qualifier", "UNITS", "convert_unit", "normalise", "tokens", "Tok", "quantity_at",
           "match_unit", "MULT"]


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


#: Units, longest first when matched. Money units keep their multiplier (亿元 is a unit, not 1e8 元).
UNITS: tuple[str, ...] = (
    "个百分点", "百分点", "平方公里", "万平方米", "平方米", "公顷", "亿美元", "万美元", "美元", "亿元", "万元", "千元", "元",
    "%", "‰", "家", "项", "个", "人次", "人", "名", "位", "场次", "场", "次", "件", "台(套)", "台套", "台", "套", "支",
    "所", "座", "批", "期", "条", "张", "篇", "亩", "吨", "宗", "款", "倍", "分", "天", "户", "种", "类", "份", "部",
    "栋", "辆", "艘", "颗", "枚", "株", "周年", "轮", "门", "英寸", "万千瓦", "千瓦", "兆瓦", "公里", "米", "处", "组",
)
_UNIT_RE = re.compile("|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)))
_MONEY = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}
MULT = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}

# hedges immediately before a number / after it; longest first so 不超过 wins over 超过
_PRE_HEDGES: tuple[tuple[str, Qualifier], ...] = tuple(sorted((
    ("不少于", "lower_bound"), ("不低于", "lower_bound"), ("至少", "lower_bound"), ("超过了", "lower_bound"),
    ("超过", "lower_bound"), ("高于", "lower_bound"), ("多于", "lower_bound"), ("大于", "lower_bound"),
    ("突破了", "lower_bound"), ("突破", "lower_bound"), ("逾", "lower_bound"), ("超出", "lower_bound"),
    ("超", "lower_bound"), ("最低", "lower_bound"), ("最少", "lower_bound"),
    ("大约", "approx"), ("约为", "approx"), ("约", "approx"), ("接近", "approx"), ("将近", "approx"),
    ("近", "approx"), ("大概", "approx"),
    ("不超过", "upper_bound"), ("未超过", "upper_bound"), ("不到", "upper_bound"), ("不足", "upper_bound"),
    ("少于", "upper_bound"), ("低于", "upper_bound"), ("最多", "upper_bound"), ("最高", "upper_bound"),
    ("小于", "upper_bound"), ("不高于", "upper_bound"), ("不大于", "upper_bound"), ("不多于", "upper_bound"),
    ("至多", "upper_bound"),
), key=lambda h: len(h[0]), reverse=True))
_POST_HEDGE_RE = re.compile(r"(?:\(含\)|及)?(以上|以下|以内)|(左右|上下)|(多)")
_POST_QUAL: dict[int, Qualifier] = {1: "lower_bound", 2: "approx", 3: "lower_bound"}

_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "，": ",", "％": "%",
                            "－": "-", "～": "~", "＋": "+", "（": "(", "）": ")", "：": ":", "／": "/", "−": "-"})
_CN = NUMERAL_CHARS
_CORE_RE = re.compile(
    r"(?P<approx>[数几](?:十|百|千|万)(?:万|亿)?|(?<!以)上(?:百|千|万|亿)(?:万|亿)?|十[几数])"
    r"|(?P<ar>(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?)(?P<mult>万亿|千亿|百亿|千万|百万|亿|万|千)?"
    rf"|(?P<cn>[{_CN}]+(?:点[{''.join(c for c in _CN if c not in '十百千万亿')}]+[万亿]*)?)"
)
_RANGE_SEP_RE = re.compile(r"\s*(?:-|—{1,2}|–|~|至|到)\s*")
# words starting with 成 after a digit: 八成 (80 %) is common, but 三成立 / 五成果 are not numbers
_CHENG_WORD_NEXT = set("为果功立本效员熟绩长型交都就品")


def normalise(text: str) -> str:
    """Full-width digits and punctuation as ASCII, traditional numerals as simplified (same length)."""
    return simplify(text.translate(_FULLWIDTH))


def convert_unit(value: float, from_unit: str | None, to_unit: str | None) -> float | None:
    """Convert between money units (元, 千元, 万元, 亿元); same unit -> value; otherwise None."""
    if from_unit == to_unit:
        return value
    if from_unit in _MONEY and to_unit in _MONEY:
        return value * _MONEY[from_unit] / _MONEY[to_unit]
    return None


def _mult_value(m: str) -> float:
    out = 1.0
    for ch in m:
        out *= MULT[ch]
    return out


@dataclass
class Tok:
    """A numeral token: ``value`` with its multiplier applied; ``mult`` the trailing multiplier as written."""

    start: int
    end: int
    value: float | None
    cn: bool
    mult: str
    raw_num: str
    pair: tuple[float, float] | None = None
    bounds: tuple[float, float | None] | None = None   # approximate counts (数十: 10, 99; 上千: 1000, None)


def _approx_tok(m: re.Match) -> Tok:
    s = m.group("approx")
    if s.startswith("十"):
        return Tok(m.start(), m.end(), 11.0, True, "", s, bounds=(11.0, 19.0))
    base, m2 = MULT[s[1]], _mult_value(s[2:]) if len(s) > 2 else 1.0
    if s[0] == "上":
        return Tok(m.start(), m.end(), base * m2, True, s[2:], s, bounds=(base * m2, None))
    return Tok(m.start(), m.end(), base * m2, True, s[2:], s, bounds=(base * m2, (base * 10 - 1) * m2))


def _cn_tok(m: re.Match) -> Tok:
    s = m.group("cn")
    positional = len(s) >= 3 or "〇" in s or "零" in s
    core, mult = s, ""
    while core and core[-1] in "万亿" and len(core) > 1:
        core, mult = core[:-1], core[-1] + mult
    core_v = None
    if mult and not any(c in "万亿" for c in core):
        if core[0] in "百千":
            core = "一" + core
        core_v = cn_number(core, positional=positional)
    if core_v is not None:
        return Tok(m.start(), m.end(), core_v * _mult_value(mult), True, mult, s, pair_range(s))
    whole = ("一" + s) if s[0] in "百千" and not s.startswith(("百分之", "千分之")) else s
    return Tok(m.start(), m.end(), cn_number(whole, positional=positional), True, "", s, pair_range(s))


def tokens(t: str) -> list[Tok]:
    """The numeral tokens of a normalised text, with signs (``-2.3``, ``负2.3``) and ``两个亿`` merged."""
    toks: list[Tok] = []
    for m in _CORE_RE.finditer(t):
        if m.group("approx") is not None:
            toks.append(_approx_tok(m))
        elif m.group("ar") is not None:
            mult = m.group("mult") or ""
            v = float(m.group("ar").replace(",", "")) * _mult_value(mult)
            s = m.start()
            before = t[s - 2] if s >= 2 else ""
            signed = s >= 1 and (t[s - 1] == "负" or (t[s - 1] == "-" and not (
                before.isascii() and before.isalnum() or (before != "" and before in ")%"))))
            if signed:  # -2.3%, 负2.3%; not the second end of a range (2-4, 1-10月)
                toks.append(Tok(s - 1, m.end(), -v, False, mult, t[s - 1:m.end()]))
            else:
                toks.append(Tok(s, m.end(), v, False, mult, m.group(0)))
        else:
            tok = _cn_tok(m)
            if (toks and tok.raw_num in ("万", "亿", "万亿") and tok.start == toks[-1].end + 1
                    and t[toks[-1].end] == "个" and toks[-1].value is not None and not toks[-1].mult):
                prev = toks.pop()  # 两个亿: the 个 between a number and its multiplier
                tok = Tok(prev.start, tok.end, prev.value * _mult_value(tok.raw_num), prev.cn, tok.raw_num,
                          t[prev.start:tok.end])
            toks.append(tok)
    return toks


def match_unit(t: str, pos: int) -> tuple[str | None, int]:
    m = _UNIT_RE.match(t, pos)
    return (m.group(0), m.end()) if m else (None, pos)


def _pre_hedge(t: str, pos: int) -> tuple[Qualifier | None, int]:
    for word, q in _PRE_HEDGES:
        if pos - len(word) >= 0 and t.startswith(word, pos - len(word)):
            return q, pos - len(word)
    return None, pos


def _money_unit(unit: str | None, mult: str, value: float) -> tuple[str | None, float]:
    """A trailing 万/亿 in front of 元 belongs to the unit: (一百亿, 元) -> (亿元, 100)."""
    if unit in ("元", "美元") and mult and mult[-1] in "万亿":
        return mult[-1] + unit, value / MULT[mult[-1]]
    return unit, value


def _bounds(value: float, qual: Qualifier) -> tuple[float | None, float | None]:
    return {"lower_bound": (value, None), "upper_bound": (None, value), "exact": (value, value)}.get(qual, (None, None))


def _range(t: str, text: str, k: Tok, k2: Tok, pos: int, q_start: int):
    """``NUMBER [unit] SEP NUMBER [multiplier] [unit]`` with the multiplier and unit shared; or None."""
    unit, upos = match_unit(t, pos)
    rng = _RANGE_SEP_RE.match(t, upos if unit else pos)
    if not (rng and k2.start == rng.end() and k2.value is not None and k.value is not None and k2.cn == k.cn
            and k.bounds is None and k2.bounds is None):
        return None
    unit2, upos2 = match_unit(t, k2.end)
    lo = k.value * _mult_value(k2.mult) if (k2.mult and not k.mult) else k.value  # 两到三万 = 20000-30000
    hi = k2.value
    if not ((unit is None or unit2 is None or unit2 == unit) and hi > lo):
        return None
    nxt2 = t[k2.end] if k2.end < len(t) else ""
    if nxt2 == "月" and hi <= 12 and not unit:
        return "period"
    if nxt2 == "年" and not unit:
        return "duration"
    u = unit2 or unit
    end = upos2 if unit2 else k2.end
    u_lo, lo = _money_unit(u, k2.mult, lo)
    _, hi = _money_unit(u, k2.mult, hi)
    return Quantity(lo, u_lo, "range", lo, hi, text[q_start:end], q_start, end), True


def _post_hedge(t: str, end: int, has_unit: bool, qual: Qualifier | None) -> tuple[Qualifier | None, int]:
    m = _POST_HEDGE_RE.match(t, end)
    if m is None or (m.lastindex == 3 and not has_unit):
        return qual, end
    word = m.group(1) or ""
    q = "upper_bound" if word in ("以下", "以内") else _POST_QUAL[m.lastindex]
    return qual or q, m.end()


def quantity_at(t: str, text: str, k: Tok, k2: Tok | None, standalone: bool, is_year_digits: bool):
    """The quantity starting with token ``k`` (a range uses ``k2``): (Quantity, used_k2) | "year" | str | None."""
    n = len(t)
    qual, q_start = (None, k.start) if (standalone and k.start == 0) else _pre_hedge(t, k.start)
    value, pos, mid = k.value, k.end, ""
    if pos < n and t[pos] in "多余几" and not t.startswith("余额", pos):
        mid, pos = t[pos], pos + 1
    unit, upos = match_unit(t, pos)
    if (unit is None and not mid and value is not None and t.startswith("成", pos) and (k.cn and len(k.raw_num) == 1
                                                                                         or not k.cn)
            and (pos + 1 >= n or t[pos + 1] not in _CHENG_WORD_NEXT)):
        unit, upos, value = "%", pos + 1, value * 10  # 八成, 3成 -> 80 %, 30 %
    if k2 is not None and not mid and unit != "%":
        r = _range(t, text, k, k2, pos, q_start)
        if r is not None:
            return r
    if k.pair is not None and unit:
        lo, hi = k.pair
        return Quantity(lo, unit, "range", lo, hi, text[k.start:upos], k.start, upos), False
    if value is None or not math.isfinite(value):
        return None
    if k.cn and unit is None and not standalone and k.bounds is None and not k.mult:
        return None  # a Chinese numeral without a unit in prose: 十大舰队, 一流, 四梁八柱, 百千万工程
    if (not k.cn and unit is None and not standalone and is_year_digits and qual is None and not mid
            and 1949 <= value <= 2100):
        return "year"
    unit, value = _money_unit(unit, k.mult, value)
    end = upos if unit else (pos if mid else k.end)
    if mid:
        qual = qual or "lower_bound"
    qual, end = _post_hedge(t, end, unit is not None, qual)
    if k.bounds is not None:
        lo, hi = k.bounds
        if unit in ("亿元", "万元", "亿美元", "万美元") and k.mult:  # 数百亿元: bounds in the money unit, too
            lo, hi = lo / MULT[k.mult[-1]], None if hi is None else hi / MULT[k.mult[-1]]
        q = "lower_bound" if hi is None else "approx"
        return Quantity(lo, unit, q, lo, hi, text[q_start:end], q_start, end), False
    qual = qual or "exact"
    low, high = _bounds(value, qual)
    return Quantity(value, unit, qual, low, high, text[q_start:end], q_start, end), False
