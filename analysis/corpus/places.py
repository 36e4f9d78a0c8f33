"""The issuing place of a document from who speaks or issues it, before any mention count.

Order of evidence: the speaker or issuer (``我代表国务院``, ``国务院总理`` -> 全国), the delivery line
(``在X省第十四届人民代表大会第三次会议上``), the title (``2025年X省政府工作报告``, ``X区科技局2024年工作总结``). A name
is read only where the division's own suffix or an issuing word follows it (省, 市, 区, 县, 自治区, 政府, 人民代表大会 …),
so 衡水 is never found inside 合理均衡水平 and 海南 (province) is not 海南藏族自治州 unless the text says 州.
Names shared by several divisions are resolved by the suffix, then by the higher level.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import gazetteer as gz

NATIONAL = re.compile(r"我代表国务院|国务院总理|中华人民共和国国务院|^国务院(?:关于|办公厅)")
#: what may follow a place name in an issuer, a title or a delivery line
_AFTER = r"(?:人民政府|人民代表大会|政府|科学技术|科技|发展和改革|第[一二三四五六七八九十]+届|\d{4}年|[0-9一二三四五六七八九十]+)"


@dataclass
class Place:
    """An issuing place with its parents and the evidence."""

    place: str
    level: str
    province: str | None
    city: str | None
    evidence: str


def national(lines: list[str], title: str | None) -> Place | None:
    """全国 when the State Council speaks or issues (speaker line, title or first lines)."""
    for label, text in ([("title", title)] if title else []) + [(f"line {i + 1}", ln) for i, ln in enumerate(lines[:12])]:
        m = NATIONAL.search(text[:200])
        if m:
            return Place("全国", "national", None, None, f"{label}: {m.group(0)}")
    return None


def place_in(text: str, *, gazetteer_path: str | None = None) -> tuple[str, str, str | None, str | None, str] | None:
    """The first division named with its suffix or an issuing word in a short text -> (place, level, province,
    city, the matched name)."""
    names = gz.name_index(gazetteer_path)
    pattern = gz.name_pattern(gazetteer_path)
    for m in pattern.finditer(text):
        name = m.group(0)
        rows = names[name]
        suffixed = [r for r in rows if r.name == name]
        after = text[m.end(): m.end() + 12]
        if not suffixed and not re.match(_AFTER, after):
            continue  # a bare short name must be followed by an issuing word
        if m.start() > 0 and "\u4e00" <= text[m.start() - 1] <= "\u9fff" and not re.search(
                r"(?:年|在|于|省|市|州|盟|和|及|——|—)$", text[: m.start()]):
            continue  # inside another word
        pick = min(suffixed or rows, key=lambda r: gz.LEVEL_RANK[r.level])
        nxt = pattern.match(text, m.end())  # 宁波市鄞州区: the most specific division of a chain issues
        while nxt and any(r.name == nxt.group(0) and gz.LEVEL_RANK[r.level] > gz.LEVEL_RANK[pick.level]
                          for r in names[nxt.group(0)]):
            pick = next(r for r in names[nxt.group(0)] if r.name == nxt.group(0))
            name = nxt.group(0)
            nxt = pattern.match(text, nxt.end())
        return pick.short, pick.level, pick.province or None, pick.city or None, name
    return None


def issuing_place(lines: list[str], title: str | None, delivery_where: str | None, issuer_lines: list[tuple[str, str]],
                  *, gazetteer_path: str | None = None) -> Place | None:
    """The issuing place from the speaker, the delivery line, the title and issuer lines, in that order."""
    nat = national(lines, title)
    if nat:
        return nat
    header = [(lab, t) for lab, t in issuer_lines if lab != "signature"]
    sources = ([("delivery line", delivery_where)] if delivery_where else []) + header + \
        ([("title", title)] if title else []) + [(lab, t) for lab, t in issuer_lines if lab == "signature"]
    for label, text in sources:
        hit = place_in(text, gazetteer_path=gazetteer_path)
        if hit:
            place, level, province, city, name = hit
            return Place(place, level, province, city, f"{label}: {text}")
    return None
