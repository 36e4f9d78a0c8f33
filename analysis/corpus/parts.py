"""Parts: which part of a document (summary, plan, other …) a section belongs to, decided from its heading.

A government work report reviews the past year (``一、2024年工作回顾``, ``过去五年工作回顾``) and then sets
targets and tasks (``2025年经济社会发展总体要求和政策取向``, ``2025年政府工作任务``, ``对今年政府工作的建议``);
its closing sections on government self-construction, reunification and foreign affairs are neither. Each
top-level heading is classified by the earliest cue in it (a review word or the reviewed year -> summary; a task,
target or proposal word or the planned year -> plan); a heading without a cue keeps the order of the genre (in a
report the sections after the review are its tasks). Every decision keeps the heading that made it.
"""
from __future__ import annotations

import re

#: Words of a heading that opens the review of the past period.
SUMMARY_HEAD = re.compile(r"回顾|工作总结|总结|工作情况|主要工作|工作成效|主要成效|成效|成就|成绩|完成情况|进展情况|"
                          r"办理工作|过去一年|过去五年|去年工作|首先报告")
#: Words of a heading that opens targets, tasks or proposals.
PLAN_HEAD = re.compile(r"任务|安排|部署|总体要求|政策取向|预期目标|目标|建议|重点工作|工作要点|打算|计划|思路|下一步|"
                       r"今年|基本方针|指导方针|展望|举措")
#: Sections of a government work report that are neither review nor plan (government conduct, foreign affairs …).
OTHER_HEAD = re.compile(r"政府自身建设|自身建设|自身改革|政府治理|人民满意|服务型政府|政风|作风建设|外交|国际形势|"
                        r"祖国(?:和平)?统一|统一大业|结束语|名词解释|名词注释|附件|附录")
#: A short line without sentence punctuation that says only which part follows (an unnumbered heading).
BARE_HEADING = re.compile(r"^(?:首先报告.{0,10}工作|(?:(?:19|20)\d{2}年|过去一年|过去五年|今年|去年|明年).{0,12}"
                          r"(?:工作回顾|回顾|工作安排|主要任务|重点任务|目标任务|重点工作|总体要求|工作建议|工作打算)|"
                          r"(?:名词解释|名词注释|附件\s*\d*|附录\s*\d*|结束语))$")
_YEAR = re.compile(r"((?:1\s?9|2\s?0)\s?\d\s?\d)\s*年")
#: A paragraph inside a report's review that opens the plan (``今年政府工作的总体要求是``, ``做好今年工作``).
PLAN_PARAGRAPH = r"^(?:{year}|今年|明年)[^。]{{0,24}}?(?:总体要求|基本方针|指导方针|主要任务|总体部署|主要预期目标|工作的基本思路)|^做好今年"


def heading_years(title: str) -> list[tuple[int, int]]:
    """(position, year) of each ``YYYY年`` in a heading (digits may be spaced: ``1 9 9 8 年``)."""
    return [(m.start(), int(re.sub(r"\s", "", m.group(1)))) for m in _YEAR.finditer(title)]


def classify_heading(title: str, *, doc_type: str | None, summary_year: int | None = None,
                     plan_year: int | None = None) -> tuple[str | None, str]:
    """The part a top-level heading opens -> (part or None, the cue that decided it).

    The earliest cue wins, so ``1993年国内工作的回顾和1994年工作的基本方针`` opens a summary and
    ``2025年工作总体要求和重点任务`` a plan. ``other`` (government conduct, foreign affairs, glossary) only in a
    government work report.
    """
    if doc_type == "gov_work_report":
        m = OTHER_HEAD.search(title)
        if m and not re.search(r"回顾|任务|目标|建议", title[: m.start()]):
            return "other", m.group(0)
    cues: list[tuple[int, str, str]] = []
    for regex, part in ((SUMMARY_HEAD, "summary"), (PLAN_HEAD, "plan")):
        m = regex.search(title)
        if m:
            cues.append((m.start(), part, m.group(0)))
    for pos, year in heading_years(title):
        if summary_year and year == summary_year and year != plan_year:
            cues.append((pos, "summary", f"{year}年"))
        elif plan_year and year == plan_year and year != summary_year:
            cues.append((pos, "plan", f"{year}年"))
    if not cues:
        return None, ""
    _pos, part, cue = min(cues)
    return part, cue


def is_bare_heading(line: str) -> bool:
    """A short unnumbered line such as ``2024年工作回顾`` or ``名词解释`` that heads a part."""
    return len(line) <= 30 and not re.search(r"[。；;，,：:！!？?]", line) and bool(BARE_HEADING.match(line))


def plan_paragraph(line: str, plan_year: int | None) -> bool:
    """A paragraph of a report's review that opens the plan (``今年政府工作的总体要求是：…``)."""
    year = f"{plan_year}年" if plan_year else "(?!)"
    return bool(re.match(PLAN_PARAGRAPH.format(year=year), line))


def default_part(doc_type: str | None) -> str:
    """The part of the text before the first deciding heading."""
    if doc_type == "plan":
        return "plan"
    if doc_type == "summary":
        return "summary"
    if doc_type == "summary_and_plan":
        return "summary"  # the introduction before the first heading reviews the past year
    if doc_type == "gov_work_report":
        return "preamble"  # 各位代表：现在，我代表…向大会报告工作
    return "other"


def next_part(title: str, current: str, *, doc_type: str | None, summary_year: int | None,
              plan_year: int | None, seen: set[str]) -> tuple[str, str]:
    """The part of a new top-level section -> (part, evidence naming the heading and the cue)."""
    part, cue = classify_heading(title, doc_type=doc_type, summary_year=summary_year, plan_year=plan_year)
    if part:
        return part, f"heading '{title}' ({cue})"
    if doc_type == "gov_work_report":
        if not seen & {"summary", "plan"}:
            return "summary", f"heading '{title}' (first section of a report: the review comes first)"
        if current in ("summary", "plan"):
            return "plan", f"heading '{title}' (a section after the review: the report's tasks)"
    return current, f"heading '{title}' (no cue: as the section before)"
