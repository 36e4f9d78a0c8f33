"""Figure labels in Chinese or English: cities from the gazetteer, themes/instruments from their taxonomies.

English names come from data, never from code: ``admin_divisions.csv`` (columns name, short, level, province,
name_en, aliases) for places, ``themes.yaml`` / ``instruments.yaml`` (entries with id, label_zh, label_en) for codes.
A value that no table knows is returned unchanged.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

from .. import config
from ..errors import ParameterError
from ..gazetteer import english_names
from .style import LANGS

LabelKind = Literal["auto", "city", "theme", "column", "text"]
LABEL_KINDS = ("auto", "city", "theme", "column", "text")

#: Axis and legend titles for the generic column names used across the package: name -> (zh, en).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "city": ("城市", "City"), "province": ("省份", "Province"), "year": ("年份", "Year"),
    "doc_id": ("文档", "Document"), "doc_type": ("文档类型", "Document type"), "part": ("部分", "Part"),
    "theme": ("主题", "Theme"), "instrument": ("政策工具", "Policy instrument"),
    "instrument_type": ("政策工具类型", "Policy instrument type"), "term": ("词语", "Term"),
    "count": ("频数", "Count"), "n": ("数量", "Number"), "n_chars": ("字数", "Characters"),
    "n_sentences": ("句数", "Sentences"), "n_units": ("句数", "Sentences"), "n_sections": ("节数", "Sections"),
    "share": ("占比", "Share"), "value": ("数值", "Value"), "per10k": ("每万词频次", "Per 10,000 words"),
    "chars": ("字数", "Characters"), "sections": ("标题数", "Headings"), "level": ("层级", "Level"),
    "subtype": ("政策工具子类型", "Instrument sub-type"), "group": ("组别", "Group"),
    "tfidf": ("TF-IDF", "TF-IDF"), "indicator": ("指标", "Indicator"), "kind": ("类型", "Kind"),
    "before": ("总结", "Summary"), "after": ("计划", "Plan"), "summary": ("总结", "Summary"),
    "plan": ("计划", "Plan"), "preamble": ("前言", "Preamble"), "proposal": ("提案", "Proposal"),
    "reply": ("答复", "Reply"), "none": ("未归类", "Unclassified"), "other": ("其他", "Other"),
    # values of metric kind / qualifier columns
    "actual": ("实际值", "Actual"), "estimate": ("预计值", "Estimate"), "target": ("目标值", "Target"),
    "exact": ("确数", "Exact"), "lower_bound": ("下限", "Lower bound"), "upper_bound": ("上限", "Upper bound"),
    "approx": ("约数", "Approximate"), "unknown": ("未知", "Unknown"), "place": ("地区", "Place"),
    "share_of_coded": ("占科技句子的比例", "Share of S&T sentences"),
    "doc_year": ("年份", "Year"), "plan_period": ("五年规划期", "Five-year-plan period"),
    "partial": ("部分期间（如1-10月）", "Part of the year (e.g. Jan–Oct)"), "conflict": ("文件间数值冲突", "Conflicting values"),
    # keyness measures
    "g2": ("G²（对数似然比）", "G² (log-likelihood)"), "chi2": ("χ²", "χ²"),
    "log_ratio": ("对数比（log₂）", "Log ratio (log₂)"), "score": ("关键性", "Keyness"),
}

#: Units of indicator values: Chinese as written, English as a reader of an English paper expects.
UNIT_LABELS: dict[str, str] = {
    "家": "firms", "亿元": "100 million yuan", "万元": "10,000 yuan", "元": "yuan", "项": "items",
    "个": "units", "件": "items", "人": "persons", "万人": "10,000 persons", "%": "%", "个百分点": "percentage points",
    "平方米": "m²", "万平方米": "10,000 m²", "次": "times", "篇": "papers", "所": "institutions", "亿美元": "100 million USD",
}


def unit_label(unit: str, lang: str = "zh") -> str:
    """The unit of an indicator value in ``lang`` ("家" -> "firms"); unknown units unchanged."""
    _check_lang(lang)
    unit = str(unit)
    return unit if lang == "zh" else UNIT_LABELS.get(unit, unit)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ParameterError("lang", lang, LANGS)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


def city_label(name: str, lang: str = "zh", *, gazetteer: str | Path | None = None) -> str:
    """Return a place name for a figure: the Chinese short name ("zh") or the English name ("en").

    Parameters
    ----------
    name
        A full name (东莞市), short name (东莞), alias (莞) or English name.
    lang
        "zh" or "en".
    gazetteer
        A CSV with columns name, short, name_en (and optionally aliases); default the bundled
        ``admin_divisions.csv``. Without one, or for an unknown name, ``name`` is returned unchanged.
    """
    _check_lang(lang)
    entry = english_names(gazetteer).get(str(name).strip())
    if entry is None:
        return str(name)
    return entry[0] if lang == "zh" else entry[1]


def _collect_codes(node, out: dict[str, tuple[str, str]]) -> None:
    if isinstance(node, dict):
        if "id" in node and ("label_zh" in node or "label_en" in node):
            zh = str(node.get("label_zh") or node["id"])
            en = str(node.get("label_en") or zh)
            for key in (str(node["id"]), zh, en):
                out.setdefault(key, (zh, en))
        for value in node.values():
            _collect_codes(value, out)
    elif isinstance(node, list):
        for value in node:
            _collect_codes(value, out)


@lru_cache(maxsize=8)
def _taxonomy(path: str, mtime: float) -> dict[str, tuple[str, str]]:
    """id/label_zh/label_en -> (label_zh, label_en) from a YAML taxonomy; empty when missing or unreadable."""
    if mtime < 0:
        return {}
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    out: dict[str, tuple[str, str]] = {}
    _collect_codes(data, out)
    return out


def theme_label(code: str, lang: str = "zh", *, taxonomies: list[str | Path] | None = None) -> str:
    """Return the label of a theme, policy-instrument or indicator code (id, Chinese or English label) in ``lang``.

    Parameters
    ----------
    code
        A code id ("talent"), or its label_zh / label_en.
    lang
        "zh" or "en".
    taxonomies
        YAML files with entries {id, label_zh, label_en}; default the bundled themes.yaml, instruments.yaml and
        indicators.yaml (those present).
    """
    _check_lang(lang)
    paths = ([Path(p) for p in taxonomies] if taxonomies is not None
             else [config.resource_path(n) for n in ("themes.yaml", "instruments.yaml", "indicators.yaml")])
    for path in paths:
        entry = _taxonomy(str(path), _mtime(path)).get(str(code).strip())
        if entry is not None:
            return entry[0] if lang == "zh" else entry[1]
    return str(code)


def column_label(name: str, lang: str = "zh") -> str:
    """Return an axis/legend title for a column name (or fixed value such as "actual"); unknown names unchanged."""
    _check_lang(lang)
    entry = COLUMN_LABELS.get(str(name))
    if entry is None:
        return str(name)
    return entry[0] if lang == "zh" else entry[1]


def label(value: object, kind: LabelKind = "auto", lang: str = "zh") -> str:
    """Return the display label of a value: a city, a theme/instrument code, a column name, or text as is.

    Parameters
    ----------
    value
        The value to show.
    kind
        "city", "theme" (themes and instruments), "column", "text" (unchanged), or "auto": the first of city,
        theme, column that knows the value (Chinese city names stay Chinese with ``lang="zh"``).
    lang
        "zh" or "en".
    """
    if kind not in LABEL_KINDS:
        raise ParameterError("kind", kind, LABEL_KINDS)
    _check_lang(lang)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a year read from a nullable column is a float: 1992, not 1992.0
    text = "" if value is None else str(value)
    if kind == "text":
        return text
    if kind == "city":
        return city_label(text, lang)
    if kind == "theme":
        return theme_label(text, lang)
    if kind == "column":
        return column_label(text, lang)
    for func in (city_label, theme_label, column_label):
        out = func(text, lang)
        if out != text:
            return out
    return text


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _pack(tokens: list[str], limit: int) -> list[str]:
    lines, line, used = [], "", 0
    for token in tokens:
        w = sum(_width(c) for c in token)
        no_break_before = len(token) == 1 and token in _NO_BREAK_BEFORE
        if used + w > limit and line.strip() and not no_break_before:
            lines.append(line.rstrip())
            line, used = ("", 0) if token.isspace() else (token, w)
        else:
            line += token
            used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


_NO_BREAK_BEFORE = "，。、；：？！）》」』”’,.;:?!)]】"
_NO_BREAK_AFTER = "（《「『“‘([【"
_TOKEN = re.compile(r"[A-Za-z0-9.%+]+[_\-/]?|\s+|.")


def wrap_label(text: str, width: int = 12) -> str:
    """Wrap a label into balanced lines of at most ``width`` columns (a Chinese character counts 2, Latin 1).

    Chinese breaks between any two characters (never before closing punctuation, never after an opening
    bracket); Latin words and identifiers break at spaces, underscores, hyphens and slashes, and inside a word
    only when it is longer than a line.
    Text that already contains a line break is returned as is.
    """
    text = str(text)
    total = sum(_width(c) for c in text)
    if width <= 0 or total <= width or "\n" in text:
        return text
    tokens: list[str] = []
    opening = ""  # an opening bracket stays with what follows it: "(stock)", never "(" at a line end
    for token in _TOKEN.findall(text):
        if token in _NO_BREAK_AFTER:
            opening += token
            continue
        if len(token) > 1.5 * width:  # a word much longer than a line: cut it (a little overflow reads better)
            pieces = [token[i:i + width] for i in range(0, len(token), width)]
        else:
            pieces = [token]
        pieces[0] = opening + pieces[0]
        opening = ""
        tokens += pieces
    if opening:
        tokens.append(opening)
    n_lines = math.ceil(total / width)
    balanced = _pack(tokens, min(width, math.ceil(total / n_lines) + 1))
    lines = balanced if len(balanced) <= n_lines else _pack(tokens, width)
    return "\n".join(lines)
