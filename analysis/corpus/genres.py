"""Genres that are not a bureau's summary or plan: government work reports, with their years.

A government work report is recognised from its title (``…政府工作报告``), its salutation (``各位代表：``) with the
speaker's opening (``我代表国务院，向大会报告政府工作``) or its delivery line (``——2025年1月14日在X省第十四届人民代表
大会第三次会议上``). Delivered in year N, it reviews N-1 and plans N; the year comes from the title, the delivery line,
the headings (``一、2024年工作回顾``, ``二、2025年政府工作任务``) or, failing those, the latest year the review names.
"""
from __future__ import annotations

import re
from collections import Counter

from .parts import SUMMARY_HEAD, classify_heading, heading_years, is_bare_heading
from .structure import match_heading

_CN = "一二三四五六七八九十"
DELIVERY = re.compile(rf"在(?P<where>[\u4e00-\u9fff]{{0,16}}?)第[{_CN}]+届人民代表大会(?:常务委员会)?第[{_CN}]+次(?:全体)?会议上")
_SALUTATION = re.compile(r"^各位代表")
_OPENING = re.compile(r"向大会.{0,6}(?:报告|作).{0,14}工作|作政府工作报告|政府工作报告|代表[^，。]{1,12}[，,]?向大会.{0,4}(?:报告|作)"
                      # the congress named in full: 向第X届全国人民代表大会第X次会议报告…工作
                      r"|向[^，。]{0,24}人民代表大会[^，。]{0,16}(?:报告|作)[^，。]{0,14}工作")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
#: A year that names an event (2010年上海世博会, 2008年北京奥运会), not the period a review covers.
_EVENT = re.compile(r"[^，。；、]{0,6}(?:世博会|世界博览会|奥运会|奥林匹克|亚运会|冬奥会|残奥会|运动会|博览会|峰会|大运会)")
_SPACED_YEAR = re.compile(r"(?<![\d到至])(?<!截至)((?:1\s?9|2\s?0)\s?\d\s?\d)\s*年(?!代|以前|前|远景|目标)")


def recognise_report(lines: list[str], title: str | None) -> str | None:
    """Evidence that the text is a government work report, else None."""
    if title and "政府工作报告" in title:
        return f"title: {title}"
    head = lines[:12]
    joined = "".join(ln for ln in lines[:4] if len(ln) <= 12)  # a title broken over lines: 政府工作报 / 告
    if "政府工作报告" in joined:
        return f"title over lines 1-4: {joined[:30]}"
    for i, ln in enumerate(head):
        m = DELIVERY.search(ln)
        if m and len(ln) <= 120:
            return f"delivery line {i + 1}: {ln[:60]}"
    sal = next((i for i, ln in enumerate(head) if _SALUTATION.match(ln)), None)
    if sal is not None:
        for ln in lines[sal: sal + 4]:
            m = _OPENING.search(ln)
            if m:
                return f"line {sal + 1}: 各位代表 and '{m.group(0)}'"
    return None


def delivery(lines: list[str]) -> tuple[int | None, str | None, str]:
    """(delivered year, the place the delivery line names, the line) from the first lines."""
    for ln in lines[:8]:
        m = DELIVERY.search(ln)
        if m and len(ln) <= 120:
            d = _DATE.search(ln)
            return (int(d.group(1)) if d else None), m.group("where") or None, ln
    for ln in lines[:6]:  # a date line of its own under the title: 2025年1月14日
        d = _DATE.fullmatch(ln.strip(" —-（）()")) if len(ln) <= 16 else None
        if d:
            return int(d.group(1)), None, ln
    return None, None, ""


def _year(s: str) -> int:
    return int(re.sub(r"\s", "", s))


def report_years(lines: list[str], title: str | None) -> tuple[int | None, int | None, str]:
    """(summary_year, plan_year, evidence) of a government work report delivered in year N: N-1 and N."""
    if title and "政府工作报告" in title:
        ys = [_year(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", title)]
        if ys:
            return ys[0] - 1, ys[0], f"delivered {ys[0]} (title: {title})"
    year, _where, line = delivery(lines)
    if year:
        return year - 1, year, f"delivered {year} (delivery line: {line[:40]})"
    heads = [ln for ln in lines if (match_heading(ln) or (0,))[0] == 1 or is_bare_heading(ln)]
    for h in heads[:4]:
        part, _cue = classify_heading(h, doc_type="gov_work_report")
        ys = [y for _p, y in heading_years(h)]
        if ys and part == "summary":
            return ys[0], ys[0] + 1, f"reviewed {ys[0]} (heading: {h[:30]})"
        if ys and part == "plan":
            return ys[0] - 1, ys[0], f"planned {ys[0]} (heading: {h[:30]})"
    return _review_years(lines, heads)


def _review_years(lines: list[str], heads: list[str]) -> tuple[int | None, int | None, str]:
    """The latest year the review section names (``五年来…2002年``) as the reviewed year."""
    start = next((i for i, ln in enumerate(lines) if ln in heads and SUMMARY_HEAD.search(ln)), None)
    if start is None:
        start = next((i for i, ln in enumerate(lines) if ln in heads), 0)
    end = next((i for i, ln in enumerate(lines) if i > start and ln in heads), len(lines))
    years = Counter(_year(m.group(1)) for ln in lines[start:end] for m in _SPACED_YEAR.finditer(ln)
                    if not _EVENT.match(ln, m.end()))
    if not years:
        return None, None, "government work report; no year in title, delivery line, headings or review"
    latest = max(years)
    return latest, latest + 1, f"reviewed {latest}: latest year named in the review (lines {start + 1}-{end})"


# --- policy documents -------------------------------------------------------------------------------------

#: The end of a policy title: notices, opinions, measures, regulations, programmes, action and development plans,
#: with an optional period or status in brackets: ``…行动计划（2021—2023年）``, ``…办法（试行）``.
POLICY_TITLE = re.compile(r"(?:印发.{2,80}的通知|通知|实施意见|指导意见|意见|若干措施|措施|管理办法|暂行办法|办法|实施细则|"
                          r"细则|规定|条例|实施方案|工作方案|行动方案|方案|行动计划|规划|纲要|决定)"
                          r"(?:\s*[(（][^()（）]{1,16}[)）])?$")
#: What a cover notice encloses when it is a bureau's own summary or plan, not a policy.
_WORK_PLAN = re.compile(r"工作总结|工作计划|工作要点|工作打算|工作安排|工作情况|工作报告")
#: A document number: ``粤府〔2023〕12号``, ``国办发[2021]5号``.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[【(（]\s*((?:19|20)\d{2})\s*[〕\]】)）]\s*\d{1,4}\s*号")
_COVER = re.compile(r"印发给你们|印发给您们|现印发给|请认真(?:贯彻|组织|抓好)|请结合实际")
_SIGN_OR_DATE = re.compile(r"^(?:[\u4e00-\u9fff]{2,30}(?:人民政府|办公厅|办公室|委员会|局|厅|部|委|院)|"
                           r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[(（].{1,30}[)）])$")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*[—–\-~～至到]+\s*((?:19|20)\d{2})\s*年")
_FIVE_YEAR = re.compile(r"[“\"'‘「]?(十[一二三四五六七八九])五[”\"'’」]?(?=规划|时期|期间|计划|[”\"'’」]|发展)")
_CN_DIGITS = "一二三四五六七八九"


def is_policy_title(title: str | None) -> bool:
    """True for a policy's title (``关于印发…行动计划的通知``, ``…实施意见``, ``…若干措施``), not a bureau's work plan."""
    if not title or not POLICY_TITLE.search(title):
        return False
    enclosed = re.search(r"印发(.{2,80})的通知", title)
    return not _WORK_PLAN.search(enclosed.group(1) if enclosed else title)


def recognise_policy(lines: list[str], title: str | None, header: dict[str, str]) -> str | None:
    """Evidence that the text is a policy document, else None; ``guess:`` opens evidence from weak cues only."""
    if is_policy_title(title):
        return f"title: {title}"
    if title and _WORK_PLAN.search(title):
        return None
    number = header.get("文号") or next((m.group(0) for ln in lines[:8] if (m := DOC_NUMBER.search(ln))), None)
    cover = next((ln for ln in lines[:12] if _COVER.search(ln)), None)
    if number and cover:
        return f"guess: 文号 {number} and a cover notice ('{_COVER.search(cover).group(0)}'), no policy title"
    if number:
        return f"guess: 文号 {number}, no policy title"
    if cover:
        return f"guess: a cover notice ('{_COVER.search(cover).group(0)}'), no policy title or 文号"
    return None


def plan_period(title: str | None, lines: list[str]) -> tuple[str | None, str]:
    """The period of a multi-year plan or policy (``2023–2027``; ``十四五`` -> ``2021–2025``) and its evidence,
    from the title first, then the first lines of the text."""
    for where, text in (("title", title or ""), *((f"line {i + 1}", ln) for i, ln in enumerate(lines[:12]))):
        m = _PERIOD.search(text)
        if m and int(m.group(1)) < int(m.group(2)) <= int(m.group(1)) + 15:
            return f"{m.group(1)}–{m.group(2)}", f"{where}: {m.group(0)}"
        m = _FIVE_YEAR.search(text)
        if m:
            n = 10 + _CN_DIGITS.index(m.group(1)[1]) + 1  # 十四 -> 14
            start = 1971 + 5 * (n - 4)  # the 4th five-year plan was 1971-1975; they follow each other since
            return f"{start}–{start + 4}", f"{where}: {m.group(0)}"
    return None, "no period in the title or the first lines"


def cover_end(lines: list[str], title_index: int | None) -> int | None:
    """The last line of a cover notice (``现将《…》印发给你们，请认真贯彻执行。`` and its signature and date) after
    the title line, else None."""
    start = 0 if title_index is None else title_index + 1
    at = next((i for i in range(start, min(start + 8, len(lines))) if _COVER.search(lines[i])), None)
    if at is None:
        return None
    while at + 1 < len(lines) and len(lines[at + 1]) <= 30 and _SIGN_OR_DATE.match(lines[at + 1]):
        at += 1
    return at


def delivery_date(lines: list[str]) -> tuple[str | None, str]:
    """The full date of a report's delivery line (``2025年1月14日``) and the line, else (None, "")."""
    _year, _where, line = delivery(lines)
    d = _DATE.search(line) if line else None
    if not d:
        return None, ""
    nums = [int(x) for x in re.findall(r"\d+", d.group(0))]
    return f"{nums[0]:04d}-{nums[1]:02d}-{nums[2]:02d}", line
