"""Attribution of the quantities in one sentence to catalogued indicators, with year, kind, period and level.

The rules, in the order they are applied to each quantity of a sentence (unit):

1. **Clauses.** A sentence is cut into clauses at ``, ; :`` (the corpus text is NFKC, so ，；： arrive as ASCII);
   ``、`` does not cut (``国家重点实验室20家、省重点实验室237家`` is one clause with two values).
2. **Not a level.** Shares (``占全省52%``, ``占84.4%``) and changes (``同比增长24%``, ``增幅达50%``, ``提高29.77分``)
   are never values of an indicator; ranks and ordinals are not quantities at all (analysis.numbers).
3. **Nearest alias in the clause.** Aliases are matched longest-first (``R&D经费投入强度`` hides ``R&D经费投入``).
   The nearest alias before the number wins; an alias right after it (at most 8 characters away not counting a
   year, no punctuation: ``新增30家高新技术企业``, ``3044家企业入库科技型中小企业``, ``26个项目荣获2019年度国家科学技术奖``)
   competes by distance. An alias with another value of the
   same unit between it and the number belongs to that value. The unit decides between indicators sharing an
   alias (``技术合同21074项`` is a count, ``技术合同成交额…亿元`` a value); money is converted (万元 -> 亿元).
4. **Continuation.** A clause without an alias continues the previous clause's subject when nothing but
   anaphors, hedges and verbs stands before the number (``…R&D经费投入总量创历史新高,首次突破一百亿元大关``,
   ``新增省级新型研发机构18家,总量达到63家``, ``开展科技型中小企业评价,4686家通过入库``) and the number is not
   followed by another counted noun (``推动高新技术企业树标提质,9家企业入选…`` is not 9 high-tech firms).
5. **What does not count.** The first alias with a unit-compatible indicator decides; if the clause then fails
   that indicator's ``require_any`` / ``exclude`` / ``flow_cues`` (new additions are not the stock), or names a
   sub-area of the city or a single institute (``社区``, ``镇街``, ``研究院``; outside the alias itself), or opens with
   ``其中`` (a sub-total), the number is dropped — it does not fall through to a farther alias.
   A clause that names another place before the number (``深圳高新技术企业超过2万家``) is not about the city;
   ``X和Y分别达到A和B`` pairs aliases and values in order.
6. **Year.** The nearest explicit year before the number in the sentence (``2022年度全市R&D经费…;R&D经费投入强度…
   2.77%`` -> 2022; years in 《titles》 and ranges like 2023-2025年 are ignored); else ``上年/去年`` -> part year - 1;
   else the unit's year (summary part -> summary year, plan part -> plan year).
7. **Kind.** The nearest cue before the number in its clause (or from the alias's clause on): 预计/有望/预期 -> estimate;
   力争/争取/确保/目标 -> target; in plan parts (and a reply's 下一步工作计划) the default is target and
   现存/现有/已/目前/截至/累计, or ``等N家`` (a reference to existing bodies), make it actual; elsewhere the default
   is actual. The seeds show why a plan's default must be target: ``新增市级以上重点实验室6家`` carries no cue word.
8. **Period.** The nearest part-of-year before the number in the sentence (``1-10月``, ``一季度``, ``今年以来``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .catalogue import Catalogue, Indicator
from .numbers import Quantity, convert_unit, find_periods, find_quantities, find_years

_CLAUSE_DELIMS = ",;:，；：。！？!?"
_MAX_FOLLOW_GAP = 8
_SHARE_RE = re.compile(r"占[^,;:]{0,6}$")
_CHANGE_RE = re.compile(r"(?:同比|比上年|较上年|较去年)?(?:增长|增加|提高|提升|下降|减少|增幅|增速|增量|降幅|涨幅|上升)"
                        r"(?:了|达到|达|为|幅度为)?$")
# words that may stand before a number in a clause continuing the previous clause's subject
_CONTINUE_WORDS = ("首次", "再次", "总量", "总数", "数量", "总计", "共计", "合计", "累计", "共", "已经", "已", "预计", "有望",
                   "达到", "达", "增至", "增加至", "增长至", "提升至", "跃升至", "上升至", "至", "为", "全市", "全年", "年内",
                   "总额", "规模", "均", "分别", "并", "又", "继续", "保持", "实现", "力争", "争取", "确保", "目标",
                   "将")
_ANAPHORS = ("总量", "总数", "总计", "共计", "合计")
# a counted noun right after the number: the number counts that, not the carried subject
_COUNTED_NOUN_RE = re.compile(r"(?:企业|公司|项目|单位|机构|高校|院所|团队|平台|镇|园|基地|银行|人|名|个|所|城市)")
_ESTIMATE_CUES = ("预计", "有望", "预期", "估计", "预估")
_TARGET_CUES = ("力争", "争取", "确保", "目标", "努力实现", "计划到")
_ACTUAL_CUES_IN_PLAN = ("现存", "现有", "已有", "已经", "目前", "截至", "累计", "共有", "已")
_PLAN_SECTION_RE = re.compile(r"下一步|下步|工作计划|工作打算|工作思路|工作安排")
_RELATIVE_YEAR_RE = re.compile(r"上年|去年|上一年")
_LEVEL_RE = re.compile(r"(国家级|全国|国家|省级以上|省级|省|市级以上|市级|市|区级|县级)$")
_LEVELS = {"国家级": "national", "全国": "national", "国家": "national", "省级以上": "provincial_and_above",
           "省级": "provincial", "省": "provincial", "市级以上": "municipal_and_above", "市级": "municipal",
           "市": "municipal", "区级": "district", "县级": "county"}
_NOT_LEVEL_RE = re.compile(r"(全市|我市|本市|该市|全省|我省)$")
_YEAR_WORD_RE = re.compile(r"(?:到|至|截至)?(?:19|20)\d{2}年(?:度|底|末)?")
_YEAR_IN_GAP_RE = re.compile(r"(?:19|20)\d{2}年度?")
_YTD_RE = re.compile(r"今年以来|年初以来|本年度以来")


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    alias: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Attribution:
    """One indicator value found in a sentence; offsets are relative to the sentence text."""

    indicator: Indicator
    quantity: Quantity
    value: float
    unit: str
    low: float | None
    high: float | None
    alias: str
    alias_start: int
    year: int | None
    year_source: str
    kind: str
    kind_cue: str
    period: str | None
    level: str | None
    quote_start: int
    quote_end: int


def clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence, cut after , ; : (and sentence ends); 、 does not cut."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in _CLAUSE_DELIMS:
            spans.append((start, i))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, 0)]


def _alias_mentions(text: str, catalogue: Catalogue) -> list[_Mention]:
    low = text.lower()
    hits: dict[tuple[int, int], tuple[str, list[Indicator]]] = {}
    for ind in catalogue.indicators:
        found: list[tuple[int, int, str]] = []
        for alias in ind.aliases:
            a = alias.lower()
            if a not in low:  # most aliases are absent: one substring test instead of compiling a pattern
                continue
            for m in re.finditer(re.escape(a), low):
                found.append((m.start(), m.end(), alias))
        for weak in ind.weak_aliases:
            a = weak.alias.lower()
            if a not in low:
                continue
            for m in re.finditer(re.escape(a), low):
                if any(w.lower() in low[:m.start()] for w in weak.after):
                    found.append((m.start(), m.end(), weak.alias))
        for s, e, alias in found:
            entry = hits.setdefault((s, e), (alias, []))
            if ind not in entry[1]:
                entry[1].append(ind)
    spans = sorted(hits)
    # longest match wins: drop spans strictly inside a longer one
    kept = [sp for sp in spans if not any(o != sp and o[0] <= sp[0] and sp[1] <= o[1] for o in spans)]
    # partially overlapping spans (全社会研发投入|强度): keep the later-ending one, the head of a Chinese noun phrase
    out: list[_Mention] = []
    for s, e in kept:
        if out and s < out[-1].end:
            out[-1] = _Mention(s, e, hits[(s, e)][0], tuple(hits[(s, e)][1]))
            continue
        out.append(_Mention(s, e, hits[(s, e)][0], tuple(hits[(s, e)][1])))
    return out


def _clause_of(pos: int, spans: list[tuple[int, int]]) -> int:
    for i, (a, b) in enumerate(spans):
        if a <= pos <= b:
            return i
    return len(spans) - 1


def _unit_value(ind: Indicator, q: Quantity) -> tuple[float, float | None, float | None, str] | None:
    if q.unit in ind.accepted_units:
        return q.value, q.low, q.high, ind.unit  # 26个(项目) is reported in the indicator's unit, 项
    v = convert_unit(q.value, q.unit, ind.unit) if q.unit else None
    if v is None:
        return None

    def conv(x):
        return None if x is None else convert_unit(x, q.unit, ind.unit)
    return v, conv(q.low), conv(q.high), ind.unit


def _passes(ind: Indicator, window: str, require_text: str, scopes: tuple[str, ...], subtotal: bool,
            scope_window: str) -> bool:
    if subtotal:
        return False
    if ind.require_any and not any(w in require_text for w in ind.require_any):
        return False
    if any(w in window for w in ind.exclude):
        return False
    if ind.measure == "stock" and any(w in window for w in ind.flow_cues):
        return False
    if any(w in scope_window for w in scopes):
        return False
    return True


def _continues(prefix: str) -> bool:
    rest = prefix.strip()
    changed = True
    while rest and changed:
        changed = False
        ym = _YEAR_WORD_RE.match(rest)
        if ym:
            rest = rest[ym.end():].lstrip()
            changed = True
            continue
        for w in _CONTINUE_WORDS:
            if rest.startswith(w):
                rest = rest[len(w):].lstrip()
                changed = True
                break
    return rest == ""


def _kind(sentence: str, from_pos: int, qstart: int, plan_like: bool) -> tuple[str, str]:
    seg = sentence[from_pos:qstart]
    best: tuple[int, str, str] | None = None
    groups = [("estimate", _ESTIMATE_CUES), ("target", _TARGET_CUES)]
    if plan_like:
        groups.append(("actual", _ACTUAL_CUES_IN_PLAN))
    for kind, cues in groups:
        for cue in cues:
            pos = seg.rfind(cue)
            if pos >= 0 and (best is None or pos + len(cue) > best[0]):
                best = (pos + len(cue), kind, cue)
    if plan_like and seg.endswith("等"):
        return "actual", "等"
    if best is not None:
        return best[1], best[2]
    return ("target", "") if plan_like else ("actual", "")


def _year(sentence: str, qstart: int, base: int | None) -> tuple[int | None, str]:
    years = [y for y in find_years(sentence[:qstart]) if not y.in_title and not y.is_range]
    if years:
        return years[-1].year, "explicit"
    if base is not None and _RELATIVE_YEAR_RE.search(sentence[:qstart]):
        return base - 1, "relative"
    return base, "document"


def _period(sentence: str, qstart: int) -> str | None:
    periods = [p for p in find_periods(sentence[:qstart])]
    ytd = list(_YTD_RE.finditer(sentence[:qstart]))
    best = periods[-1] if periods else None
    if ytd and (best is None or ytd[-1].start() > best.start):
        return ytd[-1].group(0)
    return best.period if best else None


def _level(text: str, clause_start: int, m: _Mention) -> str | None:
    prefix = text[max(clause_start, m.start - 6):m.start]
    if _NOT_LEVEL_RE.search(prefix):
        return None
    lm = _LEVEL_RE.search(prefix)
    return _LEVELS[lm.group(1)] if lm else None


def _names_other_place(prefix: str, city: str | None, places: re.Pattern) -> bool:
    for m in places.finditer(prefix):
        name = m.group(0)
        if city and (name == city or name.startswith(city)):
            continue
        if re.match(r"大学|学院|理工|研究院|研究所|师范|医科", prefix[m.end():m.end() + 2]):
            continue  # 中山大学, 长春理工大学: institutions named after a place
        return True
    return False


def attribute_sentence(text: str, catalogue: Catalogue, *, year: int | None = None, plan_like: bool = False,
                       city: str | None = None, other_places: re.Pattern | None = None) -> list[Attribution]:
    """All indicator values in one sentence (offsets relative to ``text``); see the module docstring for the rules.

    Parameters
    ----------
    text : the sentence (a corpus unit's text).
    catalogue : the indicators to look for.
    year : the year a value without an explicit year refers to (the unit's year).
    plan_like : the sentence is in a plan part (kind defaults to target).
    city : the document's city; with ``other_places`` (a pattern of place names), a clause naming another place
        before the number is not about the city.
    """
    if not text or not any(ch.isdigit() or ch in "一二两三四五六七八九十百千万亿" for ch in text):
        return []
    mentions = _alias_mentions(text, catalogue)
    if not mentions:
        return []
    quantities = find_quantities(text)
    spans = clauses(text)
    out: list[Attribution] = []
    for q in quantities:
        if q.unit is None:
            continue
        ci = _clause_of(q.start, spans)
        cs, ce = spans[ci]
        # 2. shares and changes are not levels (measured from the nearest alias: R&D经费占GDP比重达3.1% is a level)
        lead = max([cs] + [m.end for m in mentions if cs <= m.start and m.end <= q.start])
        before = text[lead:q.start]
        if _SHARE_RE.search(before) or _CHANGE_RE.search(before):
            continue
        # other places: 深圳高新技术企业超过2万家 in a Dongguan document is not Dongguan's
        if other_places is not None and _names_other_place(text[cs:q.start], city, other_places):
            continue
        # 3. nearest alias in the clause
        cands: list[tuple[int, int, _Mention]] = []
        for m in mentions:
            if m.start < cs or m.end > ce:
                continue
            if m.end <= q.start:
                between = [o for o in quantities if m.end <= o.start and o.end <= q.start and o.unit == q.unit]
                if between:
                    continue
                cands.append((q.start - m.end, 0, m))
            elif m.start >= q.end:
                gap = _YEAR_IN_GAP_RE.sub("", text[q.end:m.start])  # 26个项目荣获2019年度国家科学技术奖
                if len(gap) <= _MAX_FOLLOW_GAP and not re.search(r"[、(),;:]", gap) and \
                        not any(q.end <= o.start < m.start for o in quantities):
                    cands.append((m.start - q.end, 1, m))
        cands.sort(key=lambda c: (c[0], c[1]))
        fenbie = text.find("分别", cs, q.start)
        if fenbie >= 0:
            # 众创空间和孵化器分别达到30家和20家: the i-th alias before 分别 goes with the i-th value after it
            names = [m for m in mentions if cs <= m.start and m.end <= fenbie]
            vals = [o for o in quantities if fenbie <= o.start and o.end <= ce and o.unit is not None]
            if len(names) < 2 or len(names) != len(vals):
                continue
            cands = [(0, 0, names[vals.index(q)])]
        require_extra = ""
        if not cands:
            # 4. continuation of the previous clause's subject
            prefix = text[cs:q.start]
            suffix = text[q.end:ce]
            anaphor = prefix.strip().startswith(_ANAPHORS)
            parallel = bool(_YEAR_WORD_RE.search(prefix)) or any(c in prefix for c in _TARGET_CUES + _ESTIMATE_CUES)
            if ci > 0 and _continues(prefix) and not _COUNTED_NOUN_RE.match(suffix):
                for back in (1, 2):
                    if ci - back < 0:
                        break
                    ps, pe = spans[ci - back]
                    prev_mentions = [m for m in mentions if ps <= m.start and m.end <= pe]
                    if prev_mentions:
                        m = prev_mentions[-1]
                        consumed = any(m.end <= o.start and o.end <= pe and o.unit == q.unit for o in quantities)
                        if not consumed or anaphor or parallel:  # …3500家,2024年力争达到4000家
                            cands = [(0, 0, m)]
                            require_extra = text[ps:pe]
                        break
                    if any(ps <= o.start < pe for o in quantities):
                        break  # an intervening clause with its own number: the subject does not carry
        if not cands:
            continue
        clause_text = text[cs:ce]
        opens_with_qizhong = clause_text.lstrip().startswith("其中") or (
            ci > 0 and text[spans[ci - 1][0]:spans[ci - 1][1]].strip() == "其中")
        for _, _, m in cands:
            compatible = [(ind, uv) for ind in m.indicators if (uv := _unit_value(ind, q)) is not None]
            if not compatible:
                continue
            chosen = None
            # scope words inside the alias itself (实验室 in 重点实验室) do not make the figure an institute's
            scope_window = clause_text
            for o in mentions:
                if cs <= o.start and o.end <= ce:
                    scope_window = scope_window[:o.start - cs] + " " * (o.end - o.start) + scope_window[o.end - cs:]
            for ind, uv in compatible:
                if _passes(ind, clause_text, clause_text + require_extra, catalogue.sub_city_scopes,
                           opens_with_qizhong, scope_window):
                    chosen = (ind, uv)
                    break
            if chosen is not None:
                ind, (value, low, high, unit) = chosen
                y, ysrc = _year(text, q.start, year)
                m_clause = _clause_of(m.start, spans)
                qs = min(spans[m_clause][0], cs)
                kind, cue = _kind(text, qs, q.start, plan_like)
                qe = ce
                while qs < qe and text[qs].isspace():
                    qs += 1
                while qe > qs and text[qe - 1].isspace():
                    qe -= 1
                level = _level(text, spans[m_clause][0], m) if ind.levels else None
                out.append(Attribution(ind, q, value, unit, low, high, m.alias, m.start, y, ysrc, kind, cue,
                                       _period(text, q.start), level, qs, qe))
            break  # 5. the nearest compatible alias decides, whether or not its indicator accepts the number
    return out


def is_plan_like(part: str | None, section_path: str | None) -> bool:
    """True for plan parts and for the forward-looking sections of replies and other parts (下一步工作计划)."""
    if part == "plan":
        return True
    if part not in ("reply", "proposal", "other"):
        return False
    return isinstance(section_path, str) and bool(_PLAN_SECTION_RE.search(section_path))
