"""Metadata inference: title, issuer, city/province, document type, years, publication date — each with evidence.

Issuer, header and title decide first; mention counts only when they are silent, because a Dongguan document
names 广州, 深圳 and 香港 too. The gazetteer (``resources/admin_divisions.csv``) lists every province and
prefecture-level division; no city is named in code.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field

from .. import gazetteer as gz_tables
from .genres import delivery, recognise_report, report_years
from .places import issuing_place
from .structure import normalize_date

DOC_TYPES = ("summary_and_plan", "summary", "plan", "proposal_reply", "gov_work_report", "other")

_TITLE_WORDS = re.compile(r"工作总结|工作计划|工作要点|工作打算|工作报告|政府工作报告|提案|答复|工作情况|工作安排|工作思路")
_PROPOSAL_NO = re.compile(r"[(（]\s*((?:19|20)\d{2})\d{2,6}\s*[)）]|第\s*((?:19|20)\d{2})\d{2,6}\s*号")
_REPLY_START = re.compile(r"^(部门答复|答复内容|办理答复|答复意见|答复单位|尊敬的.{0,20}(委员|代表))")
_ISSUER_RE = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:市|省|区|县|州|盟))?([\u4e00-\u9fff]{0,8}(?:科学技术局|科技局|科学技术委员会|科技委员会|科技厅|人民政府|政府办公室))")
_PLAN_CUES = ("力争", "争取", "计划", "将", "推动", "加快", "着力", "确保", "进一步")
_SUMMARY_CUES = ("完成", "实现", "获批", "同比增长", "累计", "成功", "取得", "达到", "全年")


@dataclass
class Metadata:
    """Inferred document metadata with the evidence for each field."""

    title: str | None = None
    title_index: int | None = None
    header_name: str | None = None
    issuer: str | None = None
    place: str | None = None
    level: str | None = None
    city: str | None = None
    province: str | None = None
    doc_type: str | None = None
    summary_year: int | None = None
    plan_year: int | None = None
    plan_period: str | None = None
    published: str | None = None
    doc_number: str | None = None
    reply_index: int | None = None
    evidence: dict[str, str] = field(default_factory=dict)


def _places(path: str | None = None) -> tuple[dict[str, tuple[str, str, str]], re.Pattern[str]]:
    """Every full and short name of a city-level division -> (short, province, level), and a matcher."""
    return gz_tables.city_names(path), gz_tables.place_pattern(path)


def _provinces(path: str | None = None) -> dict[str, str]:
    return gz_tables.province_names(path)


def find_city(text: str, *, gazetteer_path: str | None = None) -> tuple[str, str] | None:
    """The first city-level division named in a short text (an issuer or a title) -> (city, province)."""
    names, pattern = _places(gazetteer_path)
    for m in pattern.finditer(text):
        short, province, _level = names[m.group(0)]
        full = m.group(0).endswith(("市", "州", "盟", "地区")) or text[m.end(): m.end() + 1] in ("市", "科", "政")
        if full:
            return short, province
    return None


def city_mentions(text: str, *, gazetteer_path: str | None = None) -> Counter:
    """How often each city-level division is named in the text (full or short name)."""
    names, pattern = _places(gazetteer_path)
    return Counter(names[m.group(0)][0] for m in pattern.finditer(text) if not _inside_word(text, m))


def _inside_word(text: str, m: re.Match) -> bool:
    """A short name whose first character ends a common two-character word with the character before it, or whose
    last character starts one with the character after it (衡水 in 合理均衡水平: 均衡, 水平), is not a place."""
    if m.group(0).endswith(("市", "州", "盟", "地区")):
        return False
    words = _common_pairs()
    before = text[m.start() - 1: m.start() + 1] if m.start() > 0 else ""
    after = text[m.end() - 1: m.end() + 1]
    return before in words or after in words


@lru_cache(maxsize=1)
def _common_pairs() -> frozenset[str]:
    """Two-character words of jieba's dictionary with frequency >= 1000 (read from its file; no tokenizer)."""
    import jieba

    out = set()
    with jieba.get_dict_file() as fh:
        for raw in fh:
            word, freq, *_ = raw.decode("utf-8").split(" ")
            if len(word) == 2 and int(freq) >= 1000:
                out.add(word)
    return frozenset(out)


def infer_metadata(lines: list[str], header: dict[str, str], *, gazetteer_path: str | None = None) -> Metadata:
    """Infer title, issuer, city, type, years and date from the cleaned lines and the parsed header block."""
    md = Metadata()
    _title(md, lines, header)
    body = "\n".join(lines)
    _type_and_years(md, lines, body)
    _issuer_and_city(md, lines, header, body, gazetteer_path)
    for key in ("发布日期", "发布时间", "时间", "成文日期"):
        date = normalize_date(header.get(key))
        if date:
            md.published, md.evidence["published"] = date, f"{key}: {header[key]}"
            break
    derive_place(md)
    if header.get("文号"):
        md.doc_number = header["文号"]
    elif md.doc_type == "proposal_reply":
        m = _PROPOSAL_NO.search("\n".join(lines[:5]))
        md.doc_number = m.group(0).strip("()（）") if m else None
    return md


def derive_place(md: Metadata) -> None:
    """Set the issuing place and its level from the city and province when no rule set them."""
    if md.place is None:
        md.place = md.city or md.province
        md.level = "prefecture" if md.city else ("province" if md.province else None)
        if md.place:
            md.evidence.setdefault("place", md.evidence.get("city") or "province named")


def _title(md: Metadata, lines: list[str], header: dict[str, str]) -> None:
    md.header_name = header.get("名称") or None
    candidates = []
    for i, ln in enumerate(lines[:25]):
        core = re.sub(r"^案\s*由\s*[:：]\s*", "", ln)
        if core != ln:  # 案由: the proposal's subject is its title
            candidates.append((0, i, _PROPOSAL_NO.sub("", core, count=1).strip()))
        elif ln.startswith(("提案者", "提案人", "办理单位")):
            continue
        elif len(core) <= 90 and _TITLE_WORDS.search(core) and not core.endswith(("。", ";", ",")):
            if core.startswith("关于印发"):
                candidates.append((2, i, core))  # the cover notice: the document's own title usually follows
            else:
                candidates.append((1, i, core))
    if candidates:
        _, i, core = min(candidates)
        md.title, md.title_index = core, i
        md.evidence["title"] = f"line {i + 1}: {core}"
    elif md.header_name:
        md.title = md.header_name
        md.evidence["title"] = f"名称: {md.header_name}"
    else:
        md.evidence["title"] = "no title line found"


def _issuer_and_city(md: Metadata, lines, header, body, gz) -> None:
    sources = []
    if header.get("发布机构"):
        sources.append(("发布机构", header["发布机构"]))
    if header.get("发文机关"):
        sources.append(("发文机关", header["发文机关"]))
    if md.title:
        sources.append(("title", md.title))
    if md.header_name:
        sources.append(("名称", md.header_name))
    for ln in lines[:40]:
        if len(ln) <= 30 and _ISSUER_RE.fullmatch(ln):
            sources.append(("signature", ln))
    issuers = [(lab, t) for lab, t in sources if lab != "title"]
    where = delivery(lines)[1] if md.doc_type == "gov_work_report" else None
    found = issuing_place(lines, md.title, where, issuers, gazetteer_path=gz)
    if found:
        md.place, md.level, md.province, md.city = found.place, found.level, found.province, found.city
        md.evidence["place"] = md.evidence["city"] = found.evidence
        md.issuer = md.issuer or next((m.group(0) for _l, t in sources if (m := _ISSUER_RE.search(t))), None)
        return
    for label, text in sources:
        m = _ISSUER_RE.search(text)
        if m and not md.issuer:
            md.issuer = m.group(0)
        hit = find_city(text, gazetteer_path=gz)
        if hit:
            md.city, md.province = hit
            md.evidence["city"] = f"{label}: {text}"
            break
    if md.city is None:
        counts = city_mentions(body, gazetteer_path=gz)
        ranked = counts.most_common(3)
        if ranked:
            top, n = ranked[0]
            second = ranked[1][1] if len(ranked) > 1 else 0
            if n >= 3 and n >= 2 * second:
                names, _ = _places(gz)
                md.city, md.province = top, names[top][1]
                md.evidence["city"] = "mentions: " + ", ".join(f"{c}×{k}" for c, k in ranked)
            else:
                md.evidence["city"] = "ambiguous mentions: " + ", ".join(f"{c}×{k}" for c, k in ranked)
        else:
            md.evidence["city"] = "no city named"
    if md.province is None:
        provinces = _provinces(gz)
        for label, text in sources:
            for name, prov in provinces.items():
                if name in text:
                    md.province = prov
                    break


def _type_and_years(md: Metadata, lines: list[str], body: str) -> None:
    title = md.title or ""
    years = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", title)]
    m = _PROPOSAL_NO.search(title) or _PROPOSAL_NO.search("\n".join(lines[:5]))
    reply_at = next((i for i, ln in enumerate(lines) if _REPLY_START.match(ln)), None)
    if m and (reply_at is not None or "提案" in title or "建议" in title or "案由" in (lines[0] if lines else "")):
        year = int(m.group(1) or m.group(2))
        md.doc_type, md.summary_year, md.plan_year = "proposal_reply", year, year
        md.reply_index = reply_at
        md.evidence["doc_type"] = f"proposal number {m.group(0)}" + (f"; reply from line {reply_at + 1}" if reply_at is not None else "")
        md.evidence["years"] = f"proposal number {m.group(0)}"
        return
    report = recognise_report(lines, md.title)
    if report:
        md.doc_type, md.evidence["doc_type"] = "gov_work_report", report
        md.summary_year, md.plan_year, md.evidence["years"] = report_years(lines, md.title)
        return
    has_summary = bool(re.search(r"总结|工作情况|回顾", title))
    has_plan = bool(re.search(r"计划|要点|打算|安排|思路", title))
    if title and (has_summary or has_plan):
        md.doc_type = "summary_and_plan" if has_summary and has_plan else ("summary" if has_summary else "plan")
        md.evidence["doc_type"] = f"title: {title}"
        sy = re.search(r"((?:19|20)\d{2})\s*年度?\s*(?:工作)?(?:总结|工作情况|回顾)", title)
        py = re.search(r"((?:19|20)\d{2})\s*年度?\s*(?:工作)?(?:计划|要点|打算|安排|思路)", title)
        if has_summary:
            md.summary_year = int(sy.group(1)) if sy else (min(years) if years else None)
        if has_plan:
            md.plan_year = int(py.group(1)) if py else (max(years) if years else None)
        if md.doc_type == "summary_and_plan" and md.summary_year and not md.plan_year:
            md.plan_year = md.summary_year + 1
        md.evidence["years"] = f"title: {title}"
        return
    # no usable title: read the first paragraph and the tone of the text
    intro = lines[0] if lines else ""
    n_plan = sum(body.count(c) for c in _PLAN_CUES)
    n_summary = sum(body.count(c) for c in _SUMMARY_CUES)
    y = re.search(r"((?:19|20)\d{2})\s*年", intro[:80])
    if n_plan >= 2 * max(n_summary, 1):
        md.doc_type = "plan"
        md.evidence["doc_type"] = f"no title; forward-looking cues {n_plan} vs review cues {n_summary}"
        if y:
            md.plan_year = int(y.group(1))
    elif n_summary >= 2 * max(n_plan, 1):
        md.doc_type = "summary"
        md.evidence["doc_type"] = f"no title; review cues {n_summary} vs forward-looking cues {n_plan}"
        if y:
            md.summary_year = int(y.group(1))
    else:
        md.doc_type = "other"
        md.evidence["doc_type"] = f"no title; cues undecided ({n_plan} forward, {n_summary} review)"
    md.evidence["years"] = f"first paragraph: {y.group(0)}" if y else "no year found"
