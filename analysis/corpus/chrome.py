"""Site chrome: which lines of a page are furniture, not document, and which rule says so.

Two sources of rules. The site patterns are data (``resources/site_chrome.txt``: a rule name and a regex per line,
replaceable by the user's own file); the general rules need no list: a row of short menu words, font-size
controls, share and counter lines, breadcrumbs, photo captions, the header fields of legal databases, and the
licence footer of a wiki (which, like a block of related links, ends the document). Each rule is a small
``str -> bool`` test, so :func:`line_rule` says *which* rule dropped a line and the build can record it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .. import config
from ..errors import ResourceError

CHROME_FILE = "site_chrome.txt"
#: Lines longer than this are prose, never chrome.
MAX_CHROME_LEN = 120

_MENU_SPLIT = re.compile(r"[\s|｜/]+")
_MENU_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,6}")
_FONT_SIZE = re.compile(r"(字号|字体)\s*[:：]?\s*[【\[(（]?\s*大|[【\[(（]\s*大\s*[】\])）]?\s*[【\[(（]?\s*中\s*[】\])）]?"
                        r"\s*[【\[(（]?\s*小")
_SHARE = re.compile(r"分享到|分享至|转发到|(?:阅读|浏览|访问|点击)(?:数|量|次数|人次)\s*[:：]?\s*[\d-]")
_CRUMB_SEP = re.compile(r"\s*[>»›＞]\s*")
_CAPTION = re.compile(r"(?:记者|通讯员|摄影|摄)\s*[\u4e00-\u9fff·]{2,8}(?:\s+[\u4e00-\u9fff·]{2,4})*\s*摄\s*[)）]?$|"
                      r"^[(（]?\s*图为|^[(（]?\s*(?:图|图片)\s*\d*\s*[:：]|^图片来源\s*[:：]|^▲")
#: Header and footer fields of legal databases (北大法宝 and the like): ``【发文字号】粤府〔2023〕1号``.
LEGAL_FIELDS = {"发布部门": "发布机构", "发文字号": "文号", "发布日期": "发布日期", "实施日期": "实施日期",
                "时效性": "时效性", "效力级别": "效力级别", "法规类别": "法规类别", "标题": "名称"}
_LEGAL = re.compile(r"^【\s*(法宝引证码|" + "|".join(LEGAL_FIELDS) + r")\s*】\s*(.*)$|^原文链接\s*[:：]|^北大法宝")
#: A licence footer opens the tail of a wiki page: ``本作品…`` followed within a few lines by a licence word.
_LICENCE_START = re.compile(r"^(?:本作品|此作品|该作品|本页面?(?:内容|文字)?(?:采用|以|在|依据|根据))")
_LICENCE_WORDS = re.compile(r"公有领域|著作权|许可协议|知识共享|Creative Commons|CC[- ]?BY|GNU|版权|Public domain", re.I)
_LICENCE_LINE = re.compile(r"^(?:Public domain|false|true)$", re.I)
#: A line that opens the tail of a page (related links and so on): it and everything after it is dropped.
_RELATED = re.compile(r"^(相关信息|相关文件|相关新闻|相关链接|相关阅读|附件下载|相关附件|延伸阅读)\s*[:：]?\s*$")
#: A publication time on a line of its own: ``2026年02月10日 07时41分`` / ``2026-02-10 07:41``.
DATETIME_LINE = re.compile(r"^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}\s*[时:]\s*\d{1,2}\s*分?"
                           r"(?:\s*[:]\s*\d{1,2})?)(?:\s.{0,40})?$")


def load_chrome(path: str | Path | None = None) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The site patterns of a chrome file (the bundled one when ``path`` is None) -> ((rule, regex), …).

    Raises ResourceError naming the file and line for a line without a regex or with an invalid one.
    """
    return _load(str(path or config.resource_path(CHROME_FILE)))


@lru_cache(maxsize=8)
def _load(path: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(path, f"cannot read chrome file: {exc.strerror or exc}") from None
    rules = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _sep, pattern = line.partition(" ")
        if "\t" in name:
            name, _sep, rest = name.partition("\t")
            pattern = rest + " " + pattern
        pattern = pattern.strip()
        if not pattern:
            raise ResourceError(path, f"line {n}: a rule name and a regular expression expected")
        try:
            rules.append((name, re.compile(pattern)))
        except re.error as exc:
            raise ResourceError(path, f"line {n}: invalid regular expression ({exc})") from None
    return tuple(rules)


def is_menu_row(line: str) -> bool:
    """A row of three or more short button or menu words and nothing else (``首页 新闻 政务公开 互动交流``)."""
    words = [w for w in _MENU_SPLIT.split(line) if w.strip("·•")]  # a name keeps its ·: 艾尔肯·吐尼亚孜
    return len(words) >= 3 and all(_MENU_WORD.fullmatch(w) for w in words)


def is_breadcrumb(line: str) -> bool:
    """``首页 > 政务公开 > 规划计划``: two or more short steps joined by ``>``."""
    steps = _CRUMB_SEP.split(line)
    return len(steps) >= 3 and all(0 < len(s) <= 16 and not re.search(r"[。，；！？]", s) for s in steps)


#: the general rules, in the order they are tried: (rule name, test)
GENERAL_RULES = (
    ("font_size", lambda ln: bool(_FONT_SIZE.search(ln))),
    ("share_counter", lambda ln: len(ln) <= 60 and bool(_SHARE.search(ln))),
    ("breadcrumb", is_breadcrumb),
    ("photo_caption", lambda ln: len(ln) <= 100 and bool(_CAPTION.search(ln))),
    ("legal_database", lambda ln: bool(_LEGAL.search(ln))),
    ("licence_footer", lambda ln: bool(_LICENCE_LINE.match(ln))),
    ("menu_row", is_menu_row),  # the most general: last, so a specific rule names the line when one applies
)


def line_rule(line: str, patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()) -> str | None:
    """The name of the first rule (site patterns first, then the general rules) that makes a line chrome, else None."""
    if len(line) >= MAX_CHROME_LEN:
        return None
    for name, regex in patterns:
        if regex.search(line):
            return name
    for name, test in GENERAL_RULES:
        if test(line):
            return name
    return None


def legal_field(line: str) -> tuple[str, str] | None:
    """A legal database's header field as a header (key, value): ``【发文字号】X`` -> (``文号``, ``X``)."""
    m = _LEGAL.match(line)
    if m and m.group(1) in LEGAL_FIELDS and m.group(2).strip():
        return LEGAL_FIELDS[m.group(1)], m.group(2).strip()
    return None


def tail_rule(lines: list[str], i: int) -> str | None:
    """The rule by which line ``i`` opens the tail of a page (it and every later line are not document), else None.

    ``lines`` are the stripped input lines; a licence footer is recognised by a licence word within the next dozen
    non-empty lines (wiki exports break it around links), and only in the second half of the page.
    """
    line = lines[i]
    if _RELATED.match(line):
        return "related_links"
    if _LICENCE_START.match(line) and len(line) < MAX_CHROME_LEN and i > len(lines) // 2:
        window = "".join(ln for ln in lines[i: i + 40] if ln)[:300]
        if _LICENCE_WORDS.search(window):
            return "licence_footer"
    return None
