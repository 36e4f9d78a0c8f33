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
_OPENING = re.compile(r"向大会.{0,6}(?:报告|作).{0,14}工作|作政府工作报告|政府工作报告|代表[^，。]{1,12}[，,]?向大会.{0,4}(?:报告|作)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
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
    years = Counter(_year(y) for ln in lines[start:end] for y in _SPACED_YEAR.findall(ln))
    if not years:
        return None, None, "government work report; no year in title, delivery line, headings or review"
    latest = max(years)
    return latest, latest + 1, f"reviewed {latest}: latest year named in the review (lines {start + 1}-{end})"
