"""What a sentence says about a value besides its indicator: year, kind, period, stock vs flow, from-to pairs.

* **Year.** The nearest explicit year before the number (``2022年度…``), a from-to pair's own years, ``上年/去年`` ->
  the part's year - 1, else the part's year (review part: the reviewed year; plan part: the planned year).
  ``到2027年`` / ``至2030年`` naming a year after the document's reviewed year makes the value a target for that year,
  wherever it stands in the sentence. A from-to baseline without a year refers to the year before the reviewed
  period (one year, or five after ``过去五年``).
* **Period.** ``十四五期间`` / ``五年累计`` / ``过去五年累计`` -> a multi-year period, not a year; ``1-10月``, ``一季度``,
  ``今年以来`` -> a part of the year.
* **Kind.** ``预计/初步统计/有望`` -> estimate; ``力争/争取/确保/目标/预期目标`` or a future ``到20XX年`` -> target;
  in plan parts the default is target, and ``现有/已/截至/累计`` (existing things) make it actual; in a report that
  also reviews a year, such an existing count is dated with the reviewed year (the stock when the plan is written).
* **Stock vs flow.** ``新增/新认定/新培育/培育/新建/净增`` before the number (not undone by a later ``总数/达到``)
  make it a flow: the indicator's ``*_new`` sibling.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import find_periods, find_years

_ESTIMATE_CUES = ("预计", "有望", "预期", "估计", "预估", "初步统计", "初步核算", "初步测算")
_TARGET_CUES = ("力争", "争取", "确保", "目标", "努力实现", "计划到", "预期目标", "目标任务")
_ACTUAL_CUES_IN_PLAN = ("现存", "现有", "已有", "已经", "目前", "截至", "累计", "共有", "已")
_RELATIVE_YEAR_RE = re.compile(r"上年|去年|上一年")
_TARGET_YEAR_RE = re.compile(r"(?:到|至|于|在)\s*((?:19|20)\d{2})\s*年(?:底|末)?")
_MULTI_YEAR_RE = re.compile(r"(十[一二三四五六七八九]五)(?:期间|时期|以来)|(?:过去)?五年(?:来)?(?:累计|共)|五年来")
_YTD_RE = re.compile(r"今年以来|年初以来|本年度以来")
_FROM_TO_RE = re.compile(r"(?:从|由)[^,;:，；：。]{0,24}?(?:提高|提升|增加|增长|增至|上升|扩大|跃升|突破|达到|降低|下降|减少)?"
                         r"(?:到|至|为)")
FLOW_CUES = ("新增", "新认定", "新培育", "新引进", "新建", "新组建", "新获批", "净增", "培育", "新布局", "新入库", "新备案")
# 新增42家、达到310家: after the additions' value, a bare 达到 states the total
_STOCK_AFTER_VALUE_RE = re.compile(r"[家户个项所][、,]\s*(?:达到|达|增至|增加到|突破|超过)$")
_STOCK_CUES = ("总数", "总量", "累计", "增至", "增加到", "增加至", "增长到", "提高到", "总计", "共有", "保有量")


@dataclass(frozen=True)
class Context:
    """Where a sentence stands: its part's year, whether the part plans, and how many years the review spans."""

    year: int | None = None
    plan_like: bool = False
    review_years: int = 1
    summary_year: int | None = None
    plan_end: int | None = None


_PLAN_PERIOD_RE = re.compile(r"十([一二三四五六七八九])五")
_FIVE_YEAR_REVIEW_RE = re.compile(r"过去[^,;:，；：。]{0,4}五年|五年来|本届政府|五年(?:工作)?回顾")


def plan_period_end(text: str) -> int | None:
    """The end year of the five-year plan a text names (``十二五`` -> 2015), or None."""
    m = _PLAN_PERIOD_RE.search(text or "")
    if m is None:
        return None
    n = 10 + "一二三四五六七八九".index(m.group(1)) + 1
    return 1971 + 5 * (n - 4) + 4  # from the 4th plan (1971-1975) on, plans follow each other every five years


def review_years(text: str) -> int:
    """5 for a review of the past five years (``过去五年``, ``五年来``), else 1."""
    return 5 if _FIVE_YEAR_REVIEW_RE.search(text or "") else 1


def kind(sentence: str, from_pos: int, qstart: int, plan_like: bool) -> tuple[str, str]:
    """The value's kind and the cue that decided it (nearest cue before the number from ``from_pos``)."""
    seg = sentence[from_pos:qstart]
    best: tuple[int, str, str] | None = None
    groups = [("estimate", _ESTIMATE_CUES), ("target", _TARGET_CUES)]
    if plan_like:
        groups.append(("actual", _ACTUAL_CUES_IN_PLAN))
    for k, cues in groups:
        for cue in cues:
            pos = seg.rfind(cue)
            if pos >= 0 and (best is None or pos + len(cue) > best[0]
                             or (pos + len(cue) == best[0] and len(cue) > len(best[2]))):
                best = (pos + len(cue), k, cue)
    if plan_like and seg.endswith("等"):
        return "actual", "等"
    if best is not None:
        return best[1], best[2]
    return ("target", "") if plan_like else ("actual", "")


def existing_in_plan(kind: str, cue: str, year_source: str, ctx: Context) -> bool:
    """True for a count of existing things in the plan part of a report that also reviews (``支持现有5家…``,
    ``已获批的22个…``, ``…等15家``): it is the stock at the end of the reviewed year, not a value for the plan year.
    A plan-only document has no reviewed year, and its existing counts keep the plan year."""
    return (ctx.plan_like and kind == "actual" and cue in (*_ACTUAL_CUES_IN_PLAN, "等") and year_source == "document"
            and ctx.summary_year is not None and ctx.year is not None and ctx.summary_year < ctx.year)


_ESTIMATE_AFTER_RE = re.compile(r"\s*(?:左右|以上|多)?\s*[(（]\s*(预计数?|初步统计数?|初步核算数?|快报数?|预估数?)\s*[)）]")


def estimate_after(sentence: str, qend: int) -> str | None:
    """An estimate marked in brackets right after the number (``2.1%左右(预计数)``), or None."""
    m = _ESTIMATE_AFTER_RE.match(sentence, qend)
    return m.group(1) if m else None


def sentence_estimate(sentence: str, qstart: int) -> str | None:
    """An estimate cue opening the sentence governs the list after it (``预计全省…A约x、B约y``)."""
    head = sentence[:qstart].lstrip()
    for cue in _ESTIMATE_CUES:
        if head.startswith(cue) or re.match(rf"^(?:(?:19|20)\d{{2}}年(?:度)?[,，]?)?{cue}", head):
            return cue
    return None


def target_year(sentence: str, ctx: Context) -> int | None:
    """A future year the sentence aims at (``到2027年``), or None; future = after the reviewed year."""
    ref = ctx.summary_year if ctx.summary_year is not None else (ctx.year - 1 if ctx.plan_like and ctx.year else
                                                                   ctx.year)
    years = [int(m.group(1)) for m in _TARGET_YEAR_RE.finditer(sentence)]
    future = [y for y in years if ref is None or y > ref]
    return future[-1] if future else None


def explicit_year(sentence: str, qstart: int) -> int | None:
    years = [y for y in find_years(sentence[:qstart]) if not y.in_title and not y.is_range]
    return years[-1].year if years else None


def year(sentence: str, qstart: int, ctx: Context) -> tuple[int | None, str]:
    """The year a value refers to and where it came from (explicit | relative | document)."""
    y = explicit_year(sentence, qstart)
    if y is not None:
        return y, "explicit"
    if ctx.year is not None and _RELATIVE_YEAR_RE.search(sentence[:qstart]):
        return ctx.year - 1, "relative"
    return ctx.year, "document"


def multi_year_period(sentence: str, qstart: int) -> str | None:
    """``十四五期间`` -> ``十四五``; ``五年累计`` -> ``五年``: the value covers several years."""
    m = None
    for m in _MULTI_YEAR_RE.finditer(sentence[:qstart]):
        pass
    if m is None:
        return None
    return m.group(1) or "五年"


def period(sentence: str, qstart: int) -> str | None:
    """The part of a year named before the number (``1-10月``, ``一季度``, ``今年以来``), or None."""
    periods = find_periods(sentence[:qstart])
    ytd = list(_YTD_RE.finditer(sentence[:qstart]))
    best = periods[-1] if periods else None
    if ytd and (best is None or ytd[-1].start() > best.start):
        return ytd[-1].group(0)
    return best.period if best else None


def is_flow(prefix: str, flow_cues: tuple[str, ...] = FLOW_CUES) -> bool:
    """A flow cue before the number that no later stock cue undoes (``新增…800家``; not ``新增…,总数达…``)."""
    hits = [(prefix.rfind(c), c) for c in flow_cues if c in prefix]
    if not hits:
        return False
    fs, cue = max(hits, key=lambda h: (h[0] + len(h[1]), len(h[1])))
    f = fs + len(cue)
    if re.search(r"(?:累计|共|总计|历年)$", prefix[:fs]) and not _MULTI_YEAR_RE.search(prefix):
        return False  # 累计认定 N: the cumulative count, a stock (十四五期间累计新增 N stays additions in a period)
    if re.search(r"已(?:经)?$", prefix[:fs]) and re.match(r"[^,;:，；：\d]{0,4}的", prefix[f:]):
        return False  # 已获批的22个省重点实验室: things that exist (a relative clause), not additions
    s = max((prefix.rfind(c) for c in _STOCK_CUES if c in prefix), default=-1)
    later = [m.start() for m in _STOCK_AFTER_VALUE_RE.finditer(prefix, f)]
    return max([s] + later) < f


def from_to(text: str, a_end: int, b_start: int) -> bool:
    """True when the text between two values of one indicator reads ``从X提高到Y`` / ``由X增至Y``."""
    gap = text[a_end:b_start]
    if re.search(r"[,;:，；：。]", gap) or len(gap) > 16:
        return False
    if not re.search(r"(?:到|至)", gap) and not gap.rstrip().endswith("为"):
        return False
    head = text[max(0, a_end - 40):a_end]
    return bool(re.search(r"(?:从|由)[^,;:，；：。]*$", head))
