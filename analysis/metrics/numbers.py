"""Every numeral in running text, classified: quantities (with unit and hedge), years, dates, ordinals, codes …

The quantity grammar of Chinese policy prose, which existing parsers stop short of (jionlp parses money only and
rejects ``7400多家``; cn2an converts pure numerals but raises on ``百亿`` and turns ``第十四个五年规划`` into
``第14个5年规划``). The numerals are read by :mod:`.numerals`, the quantities (hedges, units, ranges, approximate
counts, signs) by :mod:`.quantity`; this module decides what each numeral is from its context:

years (``2022年``, ``2022年度``, ``二○二一年度``, ``2023-2025年``, bare ``2021粤港澳…``), dates and periods (``5月23日``,
``1-10月``, ``一季度``), ordinals and ranks (``第二``, ``居全省第二``, ``前20名``, ``百强``, ``九次全会``), plan periods
(``十四五``), durations (``三年``), formulas and codes (``1+1+9``, ``5G``, ``(20220364)``, short slogans in quotes
such as ``“1310”``), enumerators (``一是``), vague words (``一批``), fractions (``1/3``, ``三分之一``: value, no unit)
and percentages in words (``百分之八`` -> 8 %).

Nothing here raises on any string: every rule is total (a property test feeds arbitrary text, without a catch-all).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .numerals import cn_number
from .quantity import (
    UNITS,
    Quantity,
    Tok,
    convert_unit,
    match_unit,
    normalise,
    quantity_at,
    tokens,
)

Category = Literal["quantity", "year", "year_range", "date", "period", "ordinal", "rank", "plan_period", "duration",
                   "formula", "code", "fraction", "vague", "enumerator"]

__all__ = ["Quantity", "NumberMention", "YearMention", "PeriodMention", "parse_quantity", "find_quantities",
           "scan_numbers", "find_years", "find_periods", "convert_unit", "UNITS"]


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


_ISO_DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?")
_PLAN_PERIOD_RE = re.compile(r"十[一二三四五六七八九]五")
_SHORT_QUOTE_RE = re.compile(r"“[^“”]{1,12}”|\"[^\"]{1,12}\"|'[^']{1,12}'")
_TITLE_RE = re.compile(r"《[^《》]*》")
_PAREN_CODE_RE = re.compile(r"\((\d+)\)")
_CN_WORD_PREV = set("统唯之同逐专单划归合万")  # 统一, 唯一, 之一: 一 glued to a character forms a word
_ORDINAL_AFTER_RE = re.compile(r"次(?:全会|党代会|会议)|届|号(?!线)|强(?!化|调|度|力|制)")
_VAGUE = {"一批", "一系列", "一些"}
_FRACTION_RE = re.compile(r"分之(?P<num>[零〇一二两三四五六七八九十百千点]+|\d+(?:\.\d+)?)")
_SLASH_RE = re.compile(r"/(\d+)(?![\d/.])")


class _Scan:
    """The state of one scan: the normalised text, the mentions found, which characters are taken."""

    def __init__(self, text: str, standalone: bool):
        self.text, self.t, self.standalone = text, normalise(text), standalone
        self.n = len(self.t)
        self.out: list[NumberMention] = []
        self.consumed = [False] * (self.n + 1)
        self.quotes = [] if standalone else _spans(_SHORT_QUOTE_RE, self.t)
        self.codes = [] if standalone else [(m.start(1), m.end(1)) for m in _PAREN_CODE_RE.finditer(self.t)
                                            if len(m.group(1)) >= 5]

    def emit(self, cat: Category, a: int, b: int, value: float | None = None, q: Quantity | None = None) -> None:
        self.out.append(NumberMention(cat, self.text[a:b], a, b, value, q))
        for i in range(a, min(b, self.n)):
            self.consumed[i] = True

    def pre_pass(self) -> None:
        for a, b in _spans(_ISO_DATE_RE, self.t):
            self.emit("date", a, b)
        for m in _PLAN_PERIOD_RE.finditer(self.t):
            if not self.consumed[m.start()] and not (m.end() < self.n and match_unit(self.t, m.end())[0]
                                                     and self.t[m.end()] != "年"):
                self.emit("plan_period", m.start(), m.end())

    def fraction(self, k: Tok, toks: list[Tok], i: int) -> int | None:
        """``百分之八`` (8 %), ``千分之三`` (3 ‰), ``三分之一`` and ``1/3`` (value 1/3, no unit); tokens used."""
        t, s, e = self.t, k.start, k.end
        f = _FRACTION_RE.match(t, e)
        if f is not None:
            num = f.group("num")
            top = float(num) if num[0].isdigit() else cn_number(num, positional=False)
            end = f.end()
            if k.raw_num in ("百", "千") and top is not None:
                unit = "%" if k.raw_num == "百" else "‰"
                q = Quantity(top, unit, "exact", top, top, self.text[s:end], s, end)
                self.emit("quantity", s, end, top, q)
            elif k.value and top is not None:
                v = top / k.value
                self.emit("fraction", s, end, v, Quantity(v, None, "exact", v, v, self.text[s:end], s, end))
            else:
                self.emit("fraction", s, end)
            return _skip_to(toks, i, end)
        sl = _SLASH_RE.match(t, e)
        if (sl is not None and not k.cn and k.value and not k.mult and (s == 0 or t[s - 1] not in "/.")
                and 0 < k.value < float(sl.group(1))):
            v = k.value / float(sl.group(1))
            self.emit("fraction", s, sl.end(), v, Quantity(v, None, "exact", v, v, self.text[s:sl.end()], s, sl.end()))
            return _skip_to(toks, i, sl.end())
        return None

    def not_a_count(self, k: Tok) -> bool:
        """Codes, formulas, enumerators, ordinals, ranks and vague words (emitted or skipped); True if taken."""
        t, s, e, sa = self.t, k.start, k.end, self.standalone
        prev, nxt = (t[s - 1] if s > 0 else ""), (t[e] if e < self.n else "")
        if k.cn and prev in _CN_WORD_PREV and k.raw_num[0] == "一" and not sa:
            return True
        if not k.cn and (re.match(r"[A-Za-z_/]", prev or " ") or re.match(r"[A-Za-z_]", nxt or " ")):
            self.emit("code", s, e)
        elif (prev == "+" and s >= 2 and t[s - 2].isalnum()) or nxt == "+" or (prev == "." and not k.cn):
            self.emit("formula", s, e)
        elif _inside(s, self.codes) or _inside(s, self.quotes):
            self.emit("code", s, e)  # (20220364), “1310”, “百人进千企”: slogans and codes, not counts
        elif not k.cn and len(k.raw_num) > 1 and k.raw_num[0] == "0" and not k.raw_num.startswith("0."):
            self.emit("code", s, e)
        elif k.cn and k.raw_num in ("零", "〇") and not sa:
            return True  # 零部件, 零的突破
        elif not k.cn and not k.mult and not sa and "." not in k.raw_num and (
                (nxt in (".", "、") and not t.startswith(".", e + 1) and not (e + 1 < self.n and t[e + 1].isdigit()))
                or (prev in ("(", "[") and nxt in (")", "]"))):
            self.emit("enumerator", s, e + 1)  # 1.编制发布 / 1、/ (1)
        elif k.cn and nxt == "是" and len(k.raw_num) == 1:
            self.emit("enumerator", s, e + 1)  # 一是
        elif k.cn and (k.raw_num + nxt in _VAGUE or (k.raw_num == "一" and t.startswith("系列", e))):
            self.emit("vague", s, e + 1)
        else:
            return self.rank_or_ordinal(k, prev, nxt)
        return True

    def rank_or_ordinal(self, k: Tok, prev: str, nxt: str) -> bool:
        t, s, e = self.t, k.start, k.end
        if prev == "第":
            unit, ue = match_unit(t, e)
            self.emit("ordinal", s - 1, ue if unit in ("个", "次", "位", "名", "批", "期", "届") else e, k.value)
        elif (mo := _ORDINAL_AFTER_RE.match(t, e)) is not None:
            self.emit("rank" if mo.group(0).startswith("强") else "ordinal", s, mo.end(), k.value)
        elif k.cn and k.raw_num.startswith("百") and t.startswith("强", e):
            self.emit("rank", s, e + 1, 100.0)
        elif k.cn and t.startswith("期", e) and not self.standalone:
            self.emit("ordinal", s, e + 1, k.value)  # 散裂中子源二期: a phase
        elif prev == "前" and nxt in ("名", "位"):
            self.emit("rank", s - 1, e + 1, k.value)
        elif nxt in ("名", "位") and re.search(r"(?:居|位列|排名|排在|列)[^,;。]{0,4}$", t[max(0, s - 8):s]):
            self.emit("rank", s, e + 1, k.value)  # 居全省四位 (the 第 lost)
        else:
            return False
        return True

    def year_or_date(self, k: Tok, toks: list[Tok], i: int) -> int | None:
        """Years, year ranges, dates, periods and durations; the number of extra tokens used, or None."""
        t, s, e = self.t, k.start, k.end
        nxt, prev = (t[e] if e < self.n else ""), (t[s - 1] if s > 0 else "")
        if self.is_year_digits(k):
            rng = re.compile(r"\s*(?:-|—{1,2}|–|~|至|到)\s*").match(t, e)
            if rng and i < len(toks) and toks[i].start == rng.end():
                k2 = toks[i]
                if (k2.value is not None and re.fullmatch(r"\d{4}", k2.raw_num) and k.value <= k2.value <= k.value + 50
                        and (t.startswith("年", k2.end) or (not self.standalone and not match_unit(t, k2.end)[0]))):
                    end = k2.end + (1 + t.startswith("度", k2.end + 1) if t.startswith("年", k2.end) else 0)
                    self.emit("year_range", s, end, k.value)
                    return 1
            sp = re.match(r"[ \u3000]?年(?!代)", t[e:e + 3])  # 2022 年: a space typed before 年
            if sp is not None:
                end = e + sp.end()
                self.emit("year", s, end + t.startswith("度", end), k.value)
                return 0
        if k.value is not None and nxt == "月" and 1 <= k.value <= 12 and k.bounds is None:
            md = re.match(r"(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]|[底初中末份]", t[e + 1:])
            self.emit("date", s, e + 1 + (md.end() if md else 0), k.value)
        elif k.value is not None and t.startswith("季度", e):
            self.emit("period", s - (1 if prev and prev in "第前" else 0), e + 2, k.value)
        elif k.value is not None and nxt and nxt in "日号" and not k.mult and 1 <= k.value <= 31 and prev == "月":
            self.emit("date", s, e + 1, k.value)
        elif nxt == "年" or t.startswith("个月", e):
            self.emit("duration", s, e + (2 if nxt == "个" else 1), k.value)
        else:
            return None
        return 0

    def is_year_digits(self, k: Tok) -> bool:
        v = k.value
        if v is None or k.mult or k.bounds is not None or not float(v).is_integer() or not 1000 <= v <= 2199:
            return False
        return bool(re.fullmatch(r"\d{4}", k.raw_num)) or (k.cn and not any(c in k.raw_num for c in "十百千万亿"))

    def quantity(self, k: Tok, toks: list[Tok], i: int) -> int:
        q = quantity_at(self.t, self.text, k, toks[i] if i < len(toks) else None, self.standalone,
                        self.is_year_digits(k))
        if q is None:
            return 0
        if q == "year":
            self.emit("year", k.start, k.end, k.value)  # 2021粤港澳院士峰会: a bare year naming an event
            return 0
        if isinstance(q, str):  # "period" / "duration" spanning a range with the next token
            self.emit(q, k.start, toks[i].end + 1)
            return 1
        quantity, used_next = q
        self.emit("quantity", quantity.start, quantity.end, quantity.value, quantity)
        return 1 if used_next else 0


def _spans(regex: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _skip_to(toks: list[Tok], i: int, end: int) -> int:
    j = i
    while j < len(toks) and toks[j].start < end:
        j += 1
    return j - i


def scan_numbers(text: str, *, standalone: bool = False) -> list[NumberMention]:
    """Find every numeral in ``text`` and classify it (quantity, year, date, ordinal, code …); never raises.

    Parameters
    ----------
    text : running text (any string; full-width digits and traditional numerals are read, offsets refer to ``text``).
    standalone : the text is one expression, not prose: bare Chinese numerals and bare four-digit numbers are
        quantities, not dropped or read as years.

    Returns
    -------
    list of NumberMention in text order; those with category ``quantity`` carry a :class:`Quantity`.
    """
    if not isinstance(text, str) or not text:
        return []
    sc = _Scan(text, standalone)
    sc.pre_pass()
    toks = [k for k in tokens(sc.t) if not sc.consumed[k.start]]
    i = 0
    while i < len(toks):
        k = toks[i]
        i += 1
        if sc.consumed[k.start]:
            continue
        used = sc.fraction(k, toks, i)
        if used is None and sc.not_a_count(k):
            continue
        if used is None:
            used = sc.year_or_date(k, toks, i)
        if used is None:
            used = sc.quantity(k, toks, i)
        i += used
    sc.out.sort(key=lambda m: (m.start, m.end))
    return sc.out


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in running text, in order (years, dates, ordinals, codes, vague words left out); never raises.

    >>> [(q.value, q.unit, q.qualifier) for q in find_quantities("国家高新技术企业大幅跃升至7400多家,居全省第二")]
    [(7400.0, '家', 'lower_bound')]
    """
    return [m.quantity for m in scan_numbers(text) if m.quantity is not None]


def parse_quantity(text: str) -> Quantity | None:
    """Parse a string that is one quantity expression (``超过1.2万家``, ``3.54%``, ``一百亿元``, ``2-4个``) or None.

    Surrounding whitespace is allowed; anything else around the quantity (or a year, date, ordinal) gives None.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    stripped = text.strip()
    offset = text.index(stripped)
    mentions = scan_numbers(stripped, standalone=True)
    if len(mentions) != 1 or mentions[0].quantity is None:
        return None
    q = mentions[0].quantity
    if q.start != 0 or q.end != len(stripped):
        return None
    return Quantity(q.value, q.unit, q.qualifier, q.low, q.high, q.raw, q.start + offset, q.end + offset)


def find_years(text: str) -> list[YearMention]:
    """Explicit calendar years in ``text`` (``2022年``, ``2022年度``, ``2023-2025年``, ``二〇二二年``), in order."""
    if not isinstance(text, str):
        return []
    titles = _spans(_TITLE_RE, normalise(text))
    out = []
    for m in scan_numbers(text):
        if m.category in ("year", "year_range") and m.value is not None and m.raw[-1:] in ("年", "度"):
            out.append(YearMention(int(m.value), m.raw, m.start, m.end, fiscal=m.raw.endswith("年度"),
                                   is_range=m.category == "year_range", in_title=_inside(m.start, titles)))
    return out


_PERIOD_WORD_RE = re.compile(r"[上下]半年|前[一二三]季度|[一二三四]季度|截至\d{1,2}月底|截至[一二三四五六七八九十]{1,2}月底")


def find_periods(text: str) -> list[PeriodMention]:
    """Parts of a year named in ``text``: ``1-10月``, ``一季度``, ``上半年``, ``截至8月底``."""
    if not isinstance(text, str):
        return []
    out = [PeriodMention(m.raw, m.start, m.end) for m in scan_numbers(text) if m.category == "period"]
    covered = [(p.start, p.end) for p in out]
    for m in _PERIOD_WORD_RE.finditer(normalise(text)):
        if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in covered):
            out.append(PeriodMention(text[m.start():m.end()], m.start(), m.end()))
    return sorted(out, key=lambda p: p.start)
