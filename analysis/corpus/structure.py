"""Text -> structure: site chrome, the government-information header, headings, section tree, parts, sentences.

Cleaning is a pipeline of small line filters; the header block becomes metadata; the body becomes paragraphs
(one per line), headings (一、 / (一) / 1. / (1)), a section tree that tolerates scraping damage (a level-2
heading that lost its ``(五`` and starts with ``)``), and sentence units with character offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .parts import default_part, is_bare_heading, next_part, plan_paragraph

# --- cleaning ---------------------------------------------------------------------------------------------

#: A line matching one of these is site chrome, dropped wherever it appears.
CHROME_LINE = re.compile(
    r"^(您当前的?位置|您当前所在位置|当前位置|您的位置|首页\s*>|"
    r"【?\s*字体\s*[:：]|【打印】|【关闭】|【大\s*中\s*小】|打印本页|关闭窗口|"
    r"扫一扫在手机打开当前页|扫一扫|分享到|网友评价|"
    r"政府信息公开\s*规章库|无障碍|长者助手|我的收藏|收藏$|"
    r"支持\s*\d+\s*反对\s*\d+|上一篇|下一篇)"
    r"|访问量\s*[:：]|浏览次数\s*[:：]|来源\s*[:：]\s*本网"
)
#: A line that opens the tail of a page (related links and so on): it and everything after it is dropped.
TAIL_LINE = re.compile(r"^(相关信息|相关文件|相关新闻|相关链接|相关阅读|附件下载)\s*[:：]?\s*$")
#: Government-information disclosure header fields (索引号 … 发布日期); several may share one line.
HEADER_FIELDS = ("索引号", "分类", "发布机构", "成文日期", "名称", "文号", "发布日期", "主题词", "主题分类", "发文机关", "时间", "发布时间", "来源")
_HEADER_FIELD_RE = re.compile(r"(" + "|".join(HEADER_FIELDS) + r")\s*[:：]\s*")
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def parse_header_line(line: str) -> dict[str, str] | None:
    """Parse a header line such as ``发布机构: 中山市科学技术局 成文日期: 2024-01-31`` into a dict, else None."""
    matches = list(_HEADER_FIELD_RE.finditer(line))
    if not matches or matches[0].start() > 0:
        return None
    fields: dict[str, str] = {}
    for m, nxt in zip(matches, matches[1:] + [None]):
        fields[m.group(1)] = line[m.end(): nxt.start() if nxt else len(line)].strip()
    return fields


def normalize_date(value: str | None) -> str | None:
    """``2024-2-1`` / ``2024年2月1日`` / ``2024-02-01 11:36`` -> ``2024-02-01``; None when no date."""
    if not value:
        return None
    m = _DATE_RE.search(value)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1949 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


@dataclass
class Cleaned:
    """The body lines kept, the header metadata, and the page's title candidates."""

    lines: list[str]
    header: dict[str, str] = field(default_factory=dict)
    indices: list[int] = field(default_factory=list)  # where each kept line was in the input
    dropped: list[str] = field(default_factory=list)
    groups: list[list[int]] = field(default_factory=list)  # the input lines joined into each kept line


def clean(text: str) -> Cleaned:
    """Drop site chrome and parse the header block; return the kept (stripped, non-empty) lines and metadata."""
    raw_lines = [ln.strip() for ln in text.split("\n")]
    header: dict[str, str] = {}
    kept: list[str] = []
    indices: list[int] = []
    groups: list[list[int]] = []
    dropped: list[str] = []
    for i, ln in enumerate(raw_lines):
        if not ln:
            continue
        if TAIL_LINE.match(ln) and len(kept) > 3:
            dropped.append(ln)
            break
        fields = parse_header_line(ln)
        if fields is not None:
            for k, v in fields.items():
                if v and k not in header:
                    header[k] = v
            dropped.append(ln)
            continue
        if CHROME_LINE.search(ln) and len(ln) < 120:
            # a chrome line may still carry the publication date: 时间:2022-02-28 来源:本网 访问量:-
            for key in ("发布时间", "时间", "发布日期"):
                m = re.search(key + r"\s*[:：]\s*([0-9][0-9:\- /.年月日]+)", ln)
                if m and key not in header:
                    header[key] = m.group(1).strip()
            dropped.append(ln)
            continue
        if kept and _continues(kept[-1], ln):
            kept[-1] += ln  # a paragraph broken around a link: 《 / 书名 / 》，…
            groups[-1].append(i)
            continue
        kept.append(ln)
        indices.append(i)
        groups.append([i])
    return Cleaned(lines=kept, header=header, indices=indices, dropped=dropped, groups=groups)


def _continues(previous: str, line: str) -> bool:
    """True when a line only continues the previous one (scraped pages break paragraphs around links)."""
    return previous.endswith(("《", "“")) or line.startswith(("》", "、", "，", "。", "；", "”", "）"))


# --- headings ---------------------------------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十百零〇两"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^(?P<num>[{_CN_NUM}]{{1,3}})\s*[、.]")),
    (2, re.compile(rf"^[(（]\s*(?P<num>[{_CN_NUM}]{{1,3}})\s*[)）]")),
    (2, re.compile(r"^(?P<num>)[)）](?=[\u4e00-\u9fff])")),  # scraping damage: "(五" lost, ")实施…" remains
    (3, re.compile(r"^(?P<num>\d{1,2})\s*[.、．](?!\d)")),
    (4, re.compile(r"^[(（]\s*(?P<num>\d{1,2})\s*[)）]")),
)
_ENUM_RE = re.compile(rf"^(?P<num>[{_CN_NUM}]{{1,3}})是")
_SENT_END = re.compile(r"[。!?！？]+[”’\"」』)]*|\.{3,}|…+")


@lru_cache(maxsize=4096)
def cn_number(s: str) -> int | None:
    """Chinese or Arabic numeral of a heading marker -> int (``十二`` -> 12); None if empty."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    try:
        import cn2an  # imported here: 0.3 s that most CLI calls never need

        return int(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError):
        return None


def match_heading(line: str) -> tuple[int, int | None, str] | None:
    """Return (level, number, marker) when the line opens with a heading marker, else None."""
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(line)
        if m:
            return level, cn_number(m.group("num")), m.group(0)
    return None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in a paragraph: split after 。！？ (with closing quotes); ``；`` does not split."""
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    # trim surrounding spaces from each span
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    return out


def heading_span(paragraph: str) -> int:
    """Length of the heading in a paragraph that opens with a marker: the whole line, or its first sentence."""
    spans = split_sentences(paragraph)
    if len(spans) <= 1:
        return len(paragraph)
    return spans[0][1]  # an inline heading: "(一)标题。正文……" -> the first sentence


# --- parts --------------------------------------------------------------------------------------------------

SUMMARY_CUES = ("工作总结", "工作情况", "主要工作", "工作成效", "主要成效", "工作举措及成效", "完成情况", "工作回顾", "取得的成效", "进展情况", "办理工作")
PLAN_CUES = ("工作计划", "工作打算", "下一步", "工作思路", "工作安排", "重点工作", "工作要点", "计划", "打算", "思路")


def part_of_heading(title: str, *, summary_year: int | None = None, plan_year: int | None = None) -> str | None:
    """Classify a level-1 heading as 'summary' or 'plan' from its words and year; None when it says neither."""
    years = [int(y) for y in re.findall(r"(20\d\d|19\d\d)年", title)]
    if any(c in title for c in PLAN_CUES[:6]) or (plan_year and plan_year in years and summary_year != plan_year):
        return "plan"
    if any(c in title for c in SUMMARY_CUES) or (summary_year and summary_year in years):
        return "summary"
    if any(c in title for c in PLAN_CUES[6:]):
        return "plan"
    return None


@dataclass
class Section:
    """One heading and the span of text it governs."""

    section_id: str
    level: int
    depth: int
    number: int | None
    marker: str
    title: str
    start: int
    end: int
    parent_id: str | None
    repaired: bool = False
    part: str | None = None
    part_evidence: str | None = None


def build_units(lines: list[str], *, title_index: int | None, doc_type: str | None,
                summary_year: int | None, plan_year: int | None, reply_index: int | None = None
                ) -> tuple[str, list[dict], list[Section]]:
    """Lay out the kept lines as the document text and cut it into sentence units and sections.

    Parameters
    ----------
    lines : kept body lines (one paragraph each).
    title_index : index of the title line (units up to it are the preamble), or None.
    doc_type : summary_and_plan, summary, plan, proposal_reply, …
    reply_index : for a proposal reply, the index of the first line of the reply.

    Returns
    -------
    (text, units, sections): the document text (lines joined with newlines), one dict per sentence unit, and the
    section list in document order.
    """
    text = "\n".join(lines)
    offsets = []
    pos = 0
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1

    sections: list[Section] = []
    stack: list[Section] = []
    counters: dict[str | None, int] = {}
    last_number: dict[tuple[str | None, int], int] = {}
    units: list[dict] = []
    body_start = 0 if title_index is None else title_index + 1
    current_part = default_part(doc_type)
    part_evidence = f"before the first heading ({doc_type or 'unknown type'})"
    report = doc_type == "gov_work_report"
    seen: set[str] = set()

    for i, line in enumerate(lines):
        base = offsets[i]
        if i < body_start:
            part = "preamble"
        elif reply_index is not None:
            part = "proposal" if i < reply_index else "reply"
        else:
            part = None  # decided below from the section
        head = match_heading(line) if i >= body_start else None
        if head is None and i >= body_start and reply_index is None and is_bare_heading(line):
            head = (1, None, "")  # an unnumbered heading such as 2024年工作回顾
        elif (head is None and report and current_part == "summary" and plan_year
              and plan_paragraph(line, plan_year)):
            current_part, part_evidence = "plan", f"paragraph {i + 1} opens the plan: '{line[:20]}'"
            seen.add("plan")
        head_len = 0
        if head is not None:
            level, number, marker = head
            # close sections at the same or a deeper level
            while stack and stack[-1].level >= level:
                stack.pop().end = base - 1
            parent = stack[-1] if stack else None
            parent_id = parent.section_id if parent else None
            repaired = False
            if number is None and not marker:  # unnumbered heading: numbered after its siblings, not repaired
                number = last_number.get((parent_id, level), 0) + 1
            elif number is None:  # lost numeral: infer from the previous sibling
                number = last_number.get((parent_id, level), 0) + 1
                repaired = True
            last_number[(parent_id, level)] = number
            counters[parent_id] = counters.get(parent_id, 0) + 1
            sid = (parent_id + "." if parent_id else "S") + str(counters[parent_id])
            head_len = heading_span(line)
            title = line[:head_len].rstrip("。.;；:： ")
            sec = Section(sid, level, len(stack) + 1, number, marker, title, base, len(text), parent_id, repaired)
            if reply_index is None and not stack and report:
                current_part, part_evidence = next_part(title, current_part, doc_type=doc_type,
                                                        summary_year=summary_year, plan_year=plan_year, seen=seen)
                seen.add(current_part)
            elif reply_index is None and not stack and doc_type in ("summary_and_plan", None):
                guessed = part_of_heading(title, summary_year=summary_year, plan_year=plan_year)
                if guessed:
                    current_part, part_evidence = guessed, f"heading '{title}'"
            sec.part = part or current_part
            sec.part_evidence = "preamble" if part else part_evidence
            sections.append(sec)
            stack.append(sec)
        if part is None:
            part = current_part
        section = stack[-1] if stack else None
        path = " > ".join(s.title for s in stack)
        # sentences of the paragraph; the heading (if inline) is its own unit
        spans = []
        if head_len:
            spans.append((0, head_len, True))
            rest = line[head_len:]
            spans += [(head_len + s, head_len + e, False) for s, e in split_sentences(rest)]
        else:
            spans = [(s, e, False) for s, e in split_sentences(line)]
        enum_prev = None
        for n, (s, e, is_heading) in enumerate(spans):
            sent = line[s:e]
            enum, repaired_enum = _enumeration(sent, enum_prev)
            if enum is not None:
                enum_prev = enum
            units.append({
                "para_id": i, "sent_no": n, "start": base + s, "end": base + e, "text": sent,
                "is_heading": is_heading, "part": part,
                "part_evidence": part_evidence if part == current_part else part,
                "section_id": section.section_id if section else "",
                "section_path": path, "heading": section.title if section else "",
                "section_level": section.depth if section else 0,
                "enum": enum, "enum_repaired": repaired_enum,
            })
    for sec in stack:
        sec.end = len(text)
    return text, units, sections


def _enumeration(sentence: str, previous: int | None) -> tuple[int | None, bool]:
    """Inline enumeration ``一是…``/``二是…``; a bare ``是…`` after an enumeration lost its numeral (repaired)."""
    m = _ENUM_RE.match(sentence)
    if m:
        return cn_number(m.group("num")), False
    if previous is not None and sentence.startswith("是") and not sentence.startswith(("是否", "是指")):
        return previous + 1, True
    return None, False
