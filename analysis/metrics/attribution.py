"""Attribution of the quantities in one sentence to catalogued indicators, with year, kind, period and level.

The rules, in the order they are applied to each quantity of a sentence (unit):

1. **Clauses.** A sentence is cut into clauses at ``, ; :`` (the corpus text is NFKC, so ，；： arrive as ASCII);
   ``、`` does not cut (``国家重点实验室20家、省重点实验室237家`` is one clause with two values).
2. **Not a level.** Shares (``占全省52%``, ``占84.4%``) and changes (``同比增长24%``, ``增幅达50%``, ``提高29.77分``)
   are never values of an indicator; ranks and ordinals are not quantities at all (analysis.metrics.numbers).
3. **Nearest alias in the clause.** Aliases are matched longest-first (``R&D经费投入强度`` hides ``R&D经费投入``; see
   :mod:`.aliases` for what matching looks through).
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
6. **Year, kind, period, stock vs flow**: see :mod:`.cues` (the part's year unless the sentence names another;
   from-to pairs give both values; ``预计`` estimate, ``力争`` or a future ``到20XX年`` target; ``十四五期间`` a period).
7. **Lists.** ``A、B均超过N`` gives N to every listed alias; ``从X提高到Y`` gives both X and Y to the alias; a verb
   before a list governs its bare ``noun N家`` clauses; ``其中`` counts a part whole where the catalogue says so
   (``subset_of``) or the whole is a class it does not track. ``exclude_unless`` lifts an exclusion (``重组后达到N家``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import cues
from .aliases import Mention, alias_mentions
from .catalogue import Catalogue, Indicator
from .cues import Context
from .numbers import Quantity, convert_unit, find_quantities

_CLAUSE_DELIMS = ",;:，；：。！？!?"
_MAX_FOLLOW_GAP = 8
_SHARE_RE = re.compile(r"占[^,;:]{0,6}$")
_CHANGE_RE = re.compile(r"(?:同比|比上年|较上年|较去年)?(?:增长|增加|提高|提升|下降|减少|增幅|增速|增量|降幅|涨幅|上升)"
                        r"(?:了|达到|达|为|幅度为)?$")
# words that may stand before a number in a clause continuing the previous clause's subject
_CONTINUE_WORDS = ("首次", "再次", "总量", "总数", "数量", "总计", "共计", "合计", "累计", "共", "已经", "已", "预计", "有望",
                   "达到", "达", "增至", "增加至", "增长至", "提升至", "跃升至", "上升至", "至", "为", "全市", "全年", "年内",
                   "总额", "规模", "均", "分别", "并", "又", "继续", "保持", "实现", "力争", "争取", "确保", "目标",
                   "将", "从", "由", "全省", "全区", "全国", "我省", "我市", "我区", "本省", "本市",
                   # a flow verb alone (…实现新突破,新获批3家): the additions of the subject carried over
                   "新增", "新获批", "获批", "新认定", "认定", "新建", "新培育", "培育", "净增", "新入列", "入列")
_ANAPHORS = ("总量", "总数", "总计", "共计", "合计")
_LUMPED_RE = re.compile(r"[”\"]?\s*(?:和|与|及|以及|、|等)(?![^,;:，；：]*(?:分别|均|都))[^,;:，；：\d]{1,14}$")
_ANAPHOR_AFTER_RE = re.compile(r"(?:以上|左右|大关)?[、和,]\s*(?:总量|总数|总计|共计|合计|累计"
                               r"|(?:达到|达|增至|增加到|突破|超过)(?=\s*[\d一二两三四五六七八九十]))")
# a counted noun right after the number: the number counts that, not the carried subject
_COUNTED_NOUN_RE = re.compile(r"(?:企业|公司|项目|单位|机构|高校|院所|团队|平台|镇|园|基地|银行|人|名|个|所|城市)")
_OTHER_KIND_RE = re.compile(r"[^\d,;:。]{0,5}?(?:平台|载体|机构|中心|基地|企业|单位|项目)")
_PLAN_SECTION_RE = re.compile(r"下一步|下步|工作计划|工作打算|工作思路|工作安排")
_LEVEL_RE = re.compile(r"(国家级|全国|国家|省级以上|省级|省|市级以上|市级|市|区级|县级)$")
_LEVELS = {"国家级": "national", "全国": "national", "国家": "national", "省级以上": "provincial_and_above",
           "省级": "provincial", "省": "provincial", "市级以上": "municipal_and_above", "市级": "municipal",
           "市": "municipal", "区级": "district", "县级": "county"}
_LEVEL_ONLY_RE = re.compile(r"\s*(?:全省|全市)?(?:国家级|国家|全国|省级|省|市级|市|区级|县级)\s*(?:、|和|与|及)?\s*")
_NOT_LEVEL_RE = re.compile(r"(全市|我市|本市|该市|全省|我省)$")
_YEAR_WORD_RE = re.compile(r"(?:到|至|截至)?(?:19|20)\d{2}年(?:度|底|末)?")
_YEAR_IN_GAP_RE = re.compile(r"(?:19|20)\d{2}年度?")


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
    tier: str | None
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


def _clause_of(pos: int, spans: list[tuple[int, int]]) -> int:
    for i, (a, b) in enumerate(spans):
        if a <= pos <= b:
            return i
    return len(spans) - 1


def _unit_value(ind: Indicator, q: Quantity) -> tuple[float, float | None, float | None, str] | None:
    if q.unit is None and ind.unit.endswith("元") and re.search(r"[万亿](?:多|余|以上|左右)?$", q.raw):
        q = replace(q, unit="元")  # 突破百亿 next to a money indicator: the 元 left out
    if q.unit in ind.accepted_units:
        return q.value, q.low, q.high, ind.unit  # 26个(项目) is reported in the indicator's unit, 项
    v = convert_unit(q.value, q.unit, ind.unit) if q.unit else None
    if v is None:
        return None

    def conv(x):
        return None if x is None else convert_unit(x, q.unit, ind.unit)
    return v, conv(q.low), conv(q.high), ind.unit


def _passes(ind: Indicator, window: str, prefix: str, require_text: str, scopes: tuple[str, ...], subtotal: bool,
            scope_window: str) -> bool:
    if subtotal:
        return False
    if ind.require_any and not any(w in require_text for w in ind.require_any):
        return False
    if any(re.search(w, window) for w in ind.exclude) and not any(re.search(w, window) for w in ind.exclude_unless):
        return False  # 重组省重点实验室249家 counts an act; 重组后达到N家 / 完成重组N家 the stock reached
    if ind.additions and not cues.is_flow(prefix, ind.flow_cues or cues.FLOW_CUES):
        return False  # 新增/新认定/培育 … before the number: the additions, not the stock
    if ind.measure == "stock" and ind.flow_cues and cues.is_flow(prefix, ind.flow_cues):
        return False
    return not any(w in scope_window for w in scopes)


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


def _tier(text: str, clause_start: int, m: Mention) -> str | None:
    prefix = text[max(clause_start, m.start - 6):m.start]
    if _NOT_LEVEL_RE.search(prefix):
        return None
    lm = _LEVEL_RE.search(prefix)
    return _LEVELS[lm.group(1)] if lm else None


def _names_other_place(prefix: str, own: tuple[str, ...], places: re.Pattern) -> bool:
    for m in places.finditer(prefix):
        name = m.group(0)
        if any(o and (name == o or name.startswith(o) or o.startswith(name)) for o in own):
            continue
        if re.match(r"大学|学院|理工|研究院|研究所|师范|医科", prefix[m.end():m.end() + 2]):
            continue  # 中山大学, 长春理工大学: institutions named after a place
        return True
    return False


@dataclass
class _Sentence:
    """One sentence with its aliases, quantities and clauses, read once."""

    text: str
    mentions: list[Mention]
    quantities: list[Quantity]
    spans: list[tuple[int, int]]

    def in_clause(self, cs: int, ce: int) -> list[Mention]:
        return [m for m in self.mentions if cs <= m.start and m.end <= ce]


def _before_candidates(s: _Sentence, q: Quantity, cs: int, ce: int) -> list[tuple[int, int, Mention]]:
    """Aliases before the number in its clause (nearest first), skipping those that another value took."""
    out = []
    for m in s.in_clause(cs, ce):
        if m.end > q.start:
            continue
        between = [o for o in s.quantities if m.end <= o.start and o.end <= q.start and o.unit == q.unit]
        # 从X提高到Y: Y belongs to the alias as much as X does; 新增X3家、总数达12家: so does an anaphor's value
        if between and not (cues.from_to(s.text, between[-1].end, q.start)
                            or _ANAPHOR_AFTER_RE.match(s.text, between[-1].end)):
            continue
        if len(between) > 1 and not _ANAPHOR_AFTER_RE.match(s.text, between[-1].end):
            continue
        if not between and (_LUMPED_RE.match(s.text[m.end:q.start]) or (
                s.text[m.end:q.start].strip() == "等" and _OTHER_KIND_RE.match(s.text, q.end))):
            continue  # 孵化器和众创空间共40家, 全国重点实验室等15家平台: counts lumped with another kind
        out.append((q.start - m.end, 0, m))
    return out


def _after_candidates(s: _Sentence, q: Quantity, cs: int, ce: int) -> list[tuple[int, int, Mention]]:
    out = []
    for m in s.in_clause(cs, ce):
        if m.start < q.end:
            continue
        gap = _YEAR_IN_GAP_RE.sub("", s.text[q.end:m.start])  # 26个项目荣获2019年度国家科学技术奖
        if len(gap) <= _MAX_FOLLOW_GAP and not re.search(r"[、(),;:]", gap) and \
                not any(q.end <= o.start < m.start for o in s.quantities):
            out.append((m.start - q.end, 1, m))
    return out


def _listed(s: _Sentence, q: Quantity, cs: int, ce: int) -> list[Mention] | None:
    """``A、B均超过N`` / ``A和B都达到N``: every listed alias gets the value; None when not that form."""
    names = [m for m in s.in_clause(cs, ce) if m.end <= q.start]
    if len(names) < 2 or any(names[0].end <= o.start < q.start for o in s.quantities if o is not q):
        return None
    gap = s.text[names[-1].end:q.start]
    if not re.search(r"均|都|皆", gap):
        return None
    joins = [s.text[a.end:b.start] for a, b in zip(names, names[1:])]
    return names if all(re.fullmatch(r"\s*(?:、|和|与|及|以及)\s*", j) for j in joins) else None


def _respectively(s: _Sentence, q: Quantity, cs: int, ce: int, fenbie: int) -> tuple[list, str]:
    """``A和B分别达到x和y``: the i-th listed item before 分别 goes with the i-th value after it; items are the
    aliases, or the 、/和-separated parts of the subject when some parts name no catalogued indicator."""
    vals = [o for o in s.quantities if fenbie <= o.start and o.end <= ce and o.unit is not None]
    names = [m for m in s.mentions if cs <= m.start and m.end <= fenbie]
    if len(names) >= 2 and len(names) == len(vals):
        return [(0, 0, names[vals.index(q)])], ""
    subject = s.text[cs:fenbie]
    cuts = [cs] + [cs + m.end() for m in re.finditer(r"、|和|与|及", subject)]
    if len(cuts) != len(vals) or not names:
        return [], ""
    i = vals.index(q)
    lo, hi = cuts[i], cuts[i + 1] if i + 1 < len(cuts) else fenbie
    own = [m for m in names if lo <= m.start < hi and _weak_cue_in(m, s.text[lo:hi], own_part=True)]
    if not own:  # 高技术制造业、装备制造业增加值占规上工业比重分别…: a shared share named by its part's subject
        own = [m for m in names if m.start >= hi and _weak_cue_in(m, s.text[lo:hi], own_part=False)][:1]
        own = [Mention(hi, hi, m.alias, m.indicators) for m in own]
    if not own and _LEVEL_ONLY_RE.fullmatch(s.text[lo:hi]) and (later := [m for m in names if m.start >= hi]):
        # 国家和省级重点实验室: the level shares the next part's noun (placed after the level, for its tier)
        at = lo + len(s.text[lo:hi].rstrip().rstrip("、和与及").rstrip())
        own = [Mention(at, at, later[0].alias, later[0].indicators)]
    return ([(0, 0, own[-1])], "") if own else ([], "")


def _weak_cue_in(m: Mention, part: str, *, own_part: bool) -> bool:
    """Whether a part of a listed subject names ``m``: a weak alias needs its cue word (``高技术制造业`` for
    ``占规上工业比重``) in the part; a catalogued alias in its own part always names it."""
    weak = [w for ind in m.indicators for w in ind.weak_aliases if w.alias == m.alias]
    if not weak:
        return own_part
    flat = "".join(part.split()).lower()
    return any("".join(a.split()).lower() in flat for w in weak for a in w.after)


def _candidates(s: _Sentence, q: Quantity, ci: int) -> tuple[list, str]:
    """The aliases a quantity may belong to (nearest first) and extra text for ``require_any``."""
    cs, ce = s.spans[ci]
    listed = _listed(s, q, cs, ce)
    if listed is not None:
        return [(0, 0, m) for m in listed], ""
    cands = sorted(_before_candidates(s, q, cs, ce) + _after_candidates(s, q, cs, ce), key=lambda c: (c[0], c[1]))
    fenbie = s.text.find("分别", cs, q.start)
    if fenbie >= 0 and any(m.end <= fenbie for m in s.in_clause(cs, ce)):
        return _respectively(s, q, cs, ce, fenbie)
    if cands:
        return cands, ""
    return _continuation(s, q, ci)


def _continuation(s: _Sentence, q: Quantity, ci: int) -> tuple[list, str]:
    """4. A clause without an alias continues the previous clause's subject (see the module docstring)."""
    cs, ce = s.spans[ci]
    end = q.start
    if _from_to_role(s, q) == "result":  # 从2002年X增加到2007年的Y: Y continues as X does
        end = max(o.start for o in s.quantities if o.end <= q.start and o.unit == q.unit)
    prefix, suffix = s.text[cs:end], s.text[q.end:ce]
    fb = prefix.find("分别")  # A和B分别达到x和y,分别新增u和v: the i-th value goes to the i-th item before
    if ci > 0 and fb >= 0 and _continues(prefix[:fb]):
        names = s.in_clause(*s.spans[ci - 1])
        vals = [o for o in s.quantities if cs + fb <= o.start and o.end <= ce and o.unit == q.unit]
        return ([(0, 0, names[vals.index(q)])], "") if len(names) == len(vals) > 1 else ([], "")
    anaphor = prefix.strip().startswith(_ANAPHORS)
    parallel = bool(_YEAR_WORD_RE.search(prefix)) or any(c in prefix for c in ("力争", "争取", "确保", "目标",
                                                                                 "预计", "有望", "预期"))
    if ci == 0 or not _continues(prefix) or _COUNTED_NOUN_RE.match(suffix):
        return [], ""
    for back in (1, 2):
        if ci - back < 0:
            break
        ps, pe = s.spans[ci - back]
        prev_mentions = s.in_clause(ps, pe)
        if prev_mentions:
            m = prev_mentions[-1]
            consumed = any(m.end <= o.start and o.end <= pe and o.unit == q.unit for o in s.quantities)
            if not consumed or anaphor or parallel:  # …3500家,2024年力争达到4000家
                return [(0, 0, m)], s.text[ps:pe]
            break
        if any(ps <= o.start < pe for o in s.quantities):
            break  # an intervening clause with its own number: the subject does not carry
    return [], ""


def _bare(s: _Sentence, ci: int) -> bool:
    """A clause that is only a level, an alias and a number (``省级重点实验室35家``): an item of a list."""
    cs, ce = s.spans[ci]
    rest = s.text[cs:ce]
    spans = [(o.start, o.end) for o in s.in_clause(cs, ce)]
    spans += [(o.start, o.end) for o in s.quantities if cs <= o.start and o.end <= ce]
    for a, b in sorted(spans, reverse=True):
        rest = rest[:a - cs] + rest[b - cs:]
    rest = re.sub(r"国家级|国家|全国|省级|市级|县级|区级|[“”\"\s、。]", "", rest)
    return rest == "" and bool(s.in_clause(cs, ce))


def _list_head(s: _Sentence, ci: int) -> int:
    """Where the list a bare clause belongs to begins: back over bare clauses to the clause with the verb."""
    if not _bare(s, ci):
        return s.spans[ci][0]
    k = ci
    while k > 0 and _bare(s, k - 1):
        k -= 1
    return s.spans[k - 1][0] if k > 0 else s.spans[k][0]


def _whole_part(s: _Sentence, q: Quantity, m: Mention, ci: int) -> bool:
    """A ``其中`` clause that gives an indicator's whole count: the indicator is a part of the previous clause's by
    definition (``专精特新中小企业3500家,其中“小巨人”企业186家``), or the previous clause counts a wider class the
    catalogue does not track (``新增国家级创新平台15家,其中全国重点实验室3家``). A part of another catalogued
    indicator (``高新技术企业3000家,其中科技型中小企业500家``) stays a sub-total."""
    cs = s.spans[ci][0]
    before = {i.id for o in s.mentions if o.end <= cs for i in o.indicators}
    if any(before & set(ind.subset_of) for ind in m.indicators):
        return True
    ps, pe = s.spans[ci - 1]
    return not s.in_clause(ps, pe) and any(ps <= o.start and o.end <= pe and o.unit == q.unit for o in s.quantities)


def _not_a_level(s: _Sentence, q: Quantity, cs: int) -> bool:
    """Shares and changes (measured from the nearest alias: R&D经费占GDP比重达3.1% is a level)."""
    lead = max([cs] + [m.end for m in s.mentions if cs <= m.start and m.end <= q.start])
    before = s.text[lead:q.start]
    return bool(_SHARE_RE.search(before) or _CHANGE_RE.search(before))


def _from_to_role(s: _Sentence, q: Quantity) -> str | None:
    """``baseline`` / ``result`` when the value is one end of ``从X提高到Y``, else None."""
    same = [o for o in s.quantities if o.unit == q.unit and o is not q]
    if any(o.end <= q.start and cues.from_to(s.text, o.end, q.start) for o in same):
        return "result"
    if any(q.end <= o.start and cues.from_to(s.text, q.end, o.start) for o in same):
        return "baseline"
    return None


def _when(s: _Sentence, q: Quantity, ind: Indicator, qs: int, ctx: Context) -> tuple:
    """(year, year_source, kind, kind_cue, period) of a value (see :mod:`.cues`)."""
    text = s.text
    kind, cue = cues.kind(text, qs, q.start, ctx.plan_like)
    if not cue and (est := cues.sentence_estimate(text, q.start)):
        kind, cue = "estimate", est
    if (est := cues.estimate_after(text, q.end)) is not None:
        kind, cue = "estimate", est
    role = _from_to_role(s, q)
    y, ysrc = cues.year(text, q.start, ctx)
    if role == "baseline":
        k = max(text.rfind("从", 0, q.start), text.rfind("由", 0, q.start))
        own = cues.explicit_year(text[k:], q.start - k) if k >= 0 else None
        base = (ctx.year - (1 if ctx.plan_like else ctx.review_years)) if ctx.year is not None else None
        return (own, "explicit", "actual", "从", None) if own else (base, "baseline", "actual", "从", None)
    if role == "result" and ysrc == "explicit":
        prev_end = max(o.end for o in s.quantities if o.end <= q.start and o.unit == q.unit)
        if cues.explicit_year(text[prev_end:q.start], q.start - prev_end) is None:
            y, ysrc = ctx.year, "document"  # the year named belongs to the baseline
    ty = cues.target_year(text, ctx)
    if ty is not None and kind != "estimate" and (ysrc != "explicit" or y == ty):
        return ty, "target", "target", cue or "到", None
    multi = cues.multi_year_period(text, q.start)
    if multi and ind.measure == "flow":
        return None, "period", kind, cue, multi
    if ctx.plan_like and kind == "target" and ysrc == "document" and ctx.plan_end is not None:
        y, ysrc = ctx.plan_end, "plan_period"
    if cues.existing_in_plan(kind, cue, ysrc, ctx):
        y, ysrc = ctx.summary_year, "existing"  # 支持现有5家…: what exists when the plan is written
    return y, ysrc, kind, cue, cues.period(text, q.start)


def attribute_sentence(text: str, catalogue: Catalogue, *, year: int | None = None, plan_like: bool = False,
                       city: str | None = None, other_places: re.Pattern | None = None,
                       context: Context | None = None, place: str | None = None) -> list[Attribution]:
    """All indicator values in one sentence (offsets relative to ``text``); see the module docstring for the rules.

    Parameters
    ----------
    text : the sentence (a corpus unit's text).
    catalogue : the indicators to look for.
    year, plan_like : the part's year and whether the part plans (kind defaults to target); or ``context``.
    city, place : the document's city and place; with ``other_places`` (a pattern of place names), a clause naming
        another place before the number is not about the document's place.
    """
    ctx = context or Context(year=year, plan_like=plan_like)
    if not text or not any(ch.isdigit() or ch in "一二两三四五六七八九十百千万亿○〇" for ch in text):
        return []
    mentions = alias_mentions(text, catalogue)
    if not mentions:
        return []
    s = _Sentence(text, mentions, find_quantities(text), clauses(text))
    own = tuple(x for x in (city, place) if x)
    out: list[Attribution] = []
    for q in s.quantities:
        if q.unit is None and not re.search(r"[万亿](?:多|余|以上|左右)?$", q.raw):
            continue
        ci = _clause_of(q.start, s.spans)
        cs, ce = s.spans[ci]
        if _not_a_level(s, q, cs):
            continue
        if other_places is not None and _names_other_place(text[cs:q.start], own, other_places):
            continue  # 深圳高新技术企业超过2万家 in a Dongguan document is not Dongguan's
        cands, require_extra = _candidates(s, q, ci)
        listed = len(cands) > 1 and all(c[0] == 0 for c in cands)
        for _, _, m in cands:
            a = _attribute_to(s, q, m, ci, require_extra, catalogue, ctx)
            if a is not None:
                out.append(a)
            if not listed:
                break  # 5. the nearest compatible alias decides, whether or not its indicator accepts the number
    return out


def _attribute_to(s: _Sentence, q: Quantity, m: Mention, ci: int, require_extra: str, catalogue: Catalogue,
                  ctx: Context) -> Attribution | None:
    text, (cs, ce) = s.text, s.spans[ci]
    compatible = [(ind, uv) for ind in m.indicators if (uv := _unit_value(ind, q)) is not None]
    if not compatible:
        return None
    clause_text = text[cs:ce]
    subtotal = clause_text.lstrip().startswith("其中") or (
        ci > 0 and text[s.spans[ci - 1][0]:s.spans[ci - 1][1]].strip() == "其中")
    whole = subtotal and ci > 0 and _whole_part(s, q, m, ci)
    subtotal = subtotal and not whole
    # scope words inside the alias itself (实验室 in 重点实验室) do not make the figure an institute's
    scope_window = clause_text
    for o in s.in_clause(cs, ce):
        scope_window = scope_window[:o.start - cs] + " " * (o.end - o.start) + scope_window[o.end - cs:]
    m_clause = _clause_of(m.start, s.spans)
    prefix = text[min(s.spans[m_clause][0], cs):q.start]
    if whole:  # 新增国家级创新平台15家,其中全国重点实验室3家: the additions' verb governs the part
        prefix = text[s.spans[ci - 1][0]:q.start]
    elif m_clause == ci:  # 新增国家级平台28个,省级重点实验室35家: a bare noun-and-number clause takes the list's verb
        prefix = text[_list_head(s, ci):q.start]
    for ind, (value, low, high, unit) in compatible:
        if not _passes(ind, clause_text, prefix, clause_text + require_extra, catalogue.sub_city_scopes, subtotal,
                       scope_window):
            continue
        qs = min(s.spans[m_clause][0], cs)
        y, ysrc, kind, cue, per = _when(s, q, ind, qs, ctx)
        qe = ce
        while qs < qe and text[qs].isspace():
            qs += 1
        while qe > qs and text[qe - 1].isspace():
            qe -= 1
        tier = _tier(text, s.spans[m_clause][0], m) if ind.levels else None
        return Attribution(ind, q, value, unit, low, high, m.alias, m.start, y, ysrc, kind, cue, per, tier, qs, qe)
    return None


def is_plan_like(part: str | None, section_path: str | None) -> bool:
    """True for plan parts and for the forward-looking sections of summaries, replies and other parts
    (a bureau's ``二、2025年工作计划``, a reply's ``下一步工作计划``)."""
    if part == "plan":
        return True
    if part not in ("summary", "reply", "proposal", "other"):
        return False
    return isinstance(section_path, str) and bool(_PLAN_SECTION_RE.search(section_path))
