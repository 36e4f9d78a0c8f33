"""Chinese numerals -> numbers: a small, total parser (it returns None on what is not a numeral, never raises).

Why not hand every numeral to cn2an: cn2an raises on forms common in prose (``百亿``, ``三亿五``, ``十四五``; one of
them with a ``KeyError``), so every call needed a catch-all; and it reads adjacent digits positionally
(``三四`` -> 34, which in prose means "three or four"). This parser agrees with cn2an's ``normal`` mode wherever
cn2an gives a value (a property test on generated numerals checks it) and covers what cn2an refuses:

* standard numerals with sections (``二十四万五千``, ``一千零一``, ``一千万亿``), a leading ``十`` (``十五``);
* colloquial abbreviations: a digit after a unit names the next lower place (``两千六`` 2600, ``一万二`` 12000,
  ``三亿五`` 350 000 000);
* digit strings read positionally (``二〇二一`` 2021) — only when the caller asks (``positional=True``);
* decimals (``一点五``, ``三点零五``);
* traditional and financial forms (``兩``, ``萬``, ``億``, ``點``, ``壹贰叁…佰仟``) after :func:`simplify`.
"""
from __future__ import annotations

import re

__all__ = ["cn_int", "cn_number", "simplify", "pair_range", "DIGITS", "NUMERAL_CHARS"]

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "十百千万亿"

# one character to one character, so offsets survive: traditional forms and the zero look-alike ○ (U+25CB)
_TRADITIONAL = str.maketrans({"兩": "两", "萬": "万", "億": "亿", "點": "点", "○": "〇"})
# financial capitals are also ordinary words (陆 in 大陆, 拾 in 收拾): rewritten only inside a run of numerals
_CAPITALS = {"壹": "一", "贰": "二", "貳": "二", "叁": "三", "參": "三", "肆": "四", "伍": "五", "陆": "六", "陸": "六",
             "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百", "仟": "千"}
_CAPITAL_RUN_RE = re.compile(f"[{''.join(_CAPITALS)}{NUMERAL_CHARS}]{{2,}}")
_UNAMBIGUOUS_CAPITALS = set("壹贰貳叁參肆柒捌玖佰仟")


def simplify(text: str) -> str:
    """The text with traditional and financial numerals written as the simplified ones (same length)."""
    t = text.translate(_TRADITIONAL)
    if not any(c in _CAPITALS for c in t):
        return t

    def sub(m: re.Match) -> str:
        run = m.group(0)
        if not any(c in _UNAMBIGUOUS_CAPITALS for c in run):
            return run
        return "".join(_CAPITALS.get(c, c) for c in run)
    return _CAPITAL_RUN_RE.sub(sub, t)


def _positional(s: str) -> int | None:
    if s and all(c in DIGITS for c in s):
        return int("".join(str(DIGITS[c]) for c in s))
    return None


def cn_int(s: str, *, positional: bool = False) -> int | None:
    """The integer a Chinese numeral names, or None (not a numeral). ``positional``: read ``二〇二一`` as 2021."""
    if not s or any(c not in NUMERAL_CHARS for c in s):
        return None
    if not any(c in _SMALL or c in _BIG for c in s):
        if len(s) == 1:
            return DIGITS[s]
        return _positional(s) if positional else None
    total_yi = 0       # parts already multiplied by 亿
    wan = 0            # the 万 part of the current 亿 segment
    sec = 0            # the part below 万
    num: int | None = None
    last_small = 10_000  # place of the last small unit in this section (must fall)
    prev = ""
    for i, c in enumerate(s):
        if c in DIGITS:
            if num is not None and prev != "零" and DIGITS[c] != 0:
                return None  # two digits in a row (三四) are not one numeral here
            num = DIGITS[c] if DIGITS[c] or num is None else num
        elif c in _SMALL:
            u = _SMALL[c]
            if num is None:
                if c != "十" or prev not in ("", "零", "万", "亿"):
                    return None  # 百 / 千 with no digit, 十十
                num = 1
            if u >= last_small:
                return None
            sec += num * u
            num, last_small = None, u
        else:  # 万 / 亿
            seg = sec + (num or 0)
            if c == "万":
                if wan or seg == 0:
                    return None
                wan, sec, num = seg * 10_000, 0, None
            else:
                seg += wan
                if seg == 0:
                    return None
                total_yi, wan, sec, num = total_yi + seg * 100_000_000, 0, 0, None
            last_small = 10_000
        prev = c
    tail = num or 0
    if num is not None and len(s) >= 2 and s[-2] in "百千万亿" and s[-1] not in "零〇":
        tail = num * {"百": 10, "千": 100, "万": 1000, "亿": 10_000_000}[s[-2]]  # 两千六 = 2600
    return total_yi + wan + sec + tail


def cn_number(s: str, *, positional: bool = False) -> float | None:
    """A Chinese numeral with an optional decimal part (``一点五``, ``三点零五万``) as a float, or None."""
    if "点" not in s:
        v = cn_int(s, positional=positional)
        return None if v is None else float(v)
    head, _, tail = s.partition("点")
    mult = 1
    while tail and tail[-1] in _BIG:
        mult *= _BIG[tail[-1]]
        tail = tail[:-1]
    whole = cn_int(head, positional=True)
    if whole is None or not tail or any(c not in DIGITS for c in tail):
        return None
    return float(f"{whole}.{''.join(str(DIGITS[c]) for c in tail)}") * mult


def pair_range(s: str) -> tuple[float, float] | None:
    """``三四`` / ``三五`` -> (3, 4) / (3, 5): two adjacent digits mean "three or four"."""
    digits = "一二三四五六七八九"
    if len(s) == 2 and s[0] in digits and s[1] in digits:
        a, b = digits.index(s[0]) + 1, digits.index(s[1]) + 1
        if b == a + 1 or (a, b) == (3, 5):
            return float(a), float(b)
    return None
