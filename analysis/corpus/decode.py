"""Bytes -> text: encodings, HTML to text, Unicode normalisation, traditional -> simplified.

The offset model: every later stage counts characters in the *analysed* text, which is the decoded text after
NFKC normalisation (full-width ``２０２３`` -> ``2023``) and conversion to simplified Chinese. ``original`` keeps
the same text before the traditional -> simplified step, with the same length, so a quote in the original script
is ``original[start:end]`` for the same offsets.
"""
from __future__ import annotations

import codecs
import operator
import os
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import AnalysisWarning, InputError

#: Extensions read as plain text or HTML; other readers (PDF, Word) register in READERS.
TEXT_EXTENSIONS = {".txt", ".text", ".md"}
HTML_EXTENSIONS = {".html", ".htm", ".shtml", ".xhtml"}

#: The one input limit of every command (corpus, build, run, ingest …): text and HTML files larger than this many
#: MB are refused unless it is raised (``--max-mb``, ``$ANALYSIS_MAX_MB``). Reading is linear in the text: ~0.7 s
#: and ~30 MB of memory per MB of Chinese text; one work report is 20-100 KB.
MAX_MB = 10.0
#: PDF and Word files may be this many times larger (their size is mostly images and fonts), and a zip package
#: (.docx) may unpack to at most this many times the limit.
CONTAINER_FACTOR = 10
_CONTAINERS = {".pdf", ".docx", ".docm", ".doc", ".wps"}

_HTML_SNIFF = re.compile(r"<\s*(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|div[\s>]|p[\s>]|meta\s)", re.IGNORECASE)
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "td")
# rt/rp: ruby annotations (pinyin over hanzi) are glosses, not text
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button", "select",
              "rt", "rp")


@dataclass(frozen=True)
class Decoded:
    """A decoded document: analysed text, the same-offset original-script text, and how it was read."""

    text: str
    original: str
    encoding: str
    source_format: str
    traditional: bool


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode bytes of a text file; return (text, encoding name).

    BOMs decide first (UTF-8, UTF-16); then strict UTF-8; then charset-normalizer among the encodings Chinese
    government sites use (GB18030 ⊃ GBK ⊃ GB2312, Big5, UTF-16 without BOM). Raises InputError for empty,
    binary or undecodable input.
    """
    if not data.strip():
        raise InputError(path, "empty file (no text)")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise InputError(path, f"undecodable bytes at offset {exc.start} for {enc} (BOM present)") from None
    utf16 = _sniff_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    nul = data.count(b"\x00")
    if nul:
        stripped = data.replace(b"\x00", b"")
        try:  # stray NULs in otherwise good UTF-8 text are damage to repair; anything else is a binary file
            stripped.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(path, "binary file (contains NUL bytes), not a text document") from None
        data = stripped
        warnings.warn(f"{path}: {nul} stray NUL byte(s) removed from the text", AnalysisWarning, stacklevel=2)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _guess_cjk(data, path)


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: ASCII and CJK code units leave a NUL in every other byte of most pairs."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nul > 0.2 and even_nul < 0.02:
        return "utf-16-le"
    if even_nul > 0.2 and odd_nul < 0.02:
        return "utf-16-be"
    if len(data) % 2:
        return None
    has_nul = b"\x00" in sample
    if not has_nul:
        try:
            sample.decode("utf-8")
            return None  # valid UTF-8 is UTF-8
        except UnicodeDecodeError:
            pass
    # Chinese without ASCII has no NUL bytes in UTF-16, with a few digits only some: decide by which reading is
    # readable Chinese (NUL bytes cannot occur in GB18030 or Big5 text)
    scores = {enc: _chinese_score(sample.decode(enc, errors="replace")) for enc in ("utf-16-le", "utf-16-be")}
    if not has_nul:
        for enc in ("gb18030", "big5hkscs"):
            try:
                scores[enc] = _chinese_score(sample.decode(enc))
            except UnicodeDecodeError:
                scores[enc] = 0.0
    best = max(scores, key=scores.get)
    return best if best in ("utf-16-le", "utf-16-be") and scores[best] >= 0.9 else None


def _guess_cjk(data: bytes, path: str | Path) -> tuple[str, str]:
    """Choose between GB18030 and Big5 (and what charset-normalizer suggests) by how Chinese the result reads."""
    from charset_normalizer import from_bytes

    candidates: list[str] = ["gb18030", "big5hkscs"]  # HKSCS ⊃ Big5: also 苷, 啰 …
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "cp950", "big5hkscs", "gbk", "utf_16", "hz"]).best()
    if best is not None and best.encoding not in candidates:
        candidates.append(best.encoding)
    scored = []
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_chinese_score(text), enc, text))
    if not scored:
        raise InputError(path, "undecodable bytes: not UTF-8, UTF-16, GB18030/GBK or Big5 text")
    score, enc, text = max(scored)
    if score < 0.3:
        raise InputError(path, "binary or undecodable file: decoded text is not readable Chinese")
    return text, enc


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """Characters of GB2312 level 1 (the 3755 most common simplified hanzi) and their traditional forms."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars |= {c for c in to_traditional("".join(sorted(chars)))}
    return frozenset(chars)


def _chinese_score(text: str) -> float:
    """Share of non-space characters that are common hanzi, ASCII or CJK punctuation."""
    common = _common_hanzi()
    sample = [c for c in text[:20000] if not c.isspace()]
    if not sample:
        return 0.0
    good = sum(1 for c in sample if c in common or c.isascii() or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
               or c in "“”‘’—…·")
    return good / len(sample)


def html_to_text(html: str) -> str:
    """Reduce an HTML page to its text, one block element per line (scripts, navigation and forms dropped)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.body or soup
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = root.get_text()
    lines = [ln.strip() for ln in text.splitlines()]
    return "\n".join(ln for ln in lines if ln)


def looks_like_html(text: str) -> bool:
    """True if the text is an HTML page rather than plain text."""
    head = text[:2000]
    return bool(_HTML_SNIFF.search(head)) and head.count("<") >= 3


def normalize(text: str) -> str:
    """NFKC-normalise (full-width digits/letters/punctuation to ASCII), unify line ends, drop pinyin glosses after
    hanzi (:func:`drop_pinyin_glosses`), drop control and private-use characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", "  ").replace("\xa0", " ")
    text = unicodedata.normalize("NFKC", text)
    text = drop_pinyin_glosses(text)
    # Co: icon-font glyphs on gov sites. Only runs outside ranges known to hold no Cc/Cf/Co character are
    # inspected, so a 20 MB file is not turned into a list of millions of one-character strings.
    return _MAYBE_CONTROL.sub(_drop_controls, text)


#: A parenthesised pinyin gloss right after a hanzi (``經(jīng)費``, ``研發(fā)``): lower-case pinyin letters only,
#: at least one with a tone mark, so ``(a)``, ``(R&D)`` or ``(GDP)`` are never taken for one.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])\((?=[^()]*[{_TONED}])[a-zü{_TONED} ]{{1,30}}\)")


def drop_pinyin_glosses(text: str) -> str:
    """The text without pinyin glosses after hanzi: a glossed page reads like an unglossed one (``經費``)."""
    return _PINYIN_GLOSS.sub("", text) if "(" in text else text


#: Runs of characters that may be control (Cc), format (Cf) or private-use (Co); everything else is kept as is.
_MAYBE_CONTROL = re.compile("[^\t\n\x20-\x7e\xa0-\xac\xae-\u05ff\u2e80-\u9fff\uac00-\ud7a3\uf900-\ufefe\uff00-\ufff8]+")


def _drop_controls(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if unicodedata.category(c) not in ("Cc", "Cf", "Co"))


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Convert traditional Chinese to simplified with OpenCC, keeping the length (character by character if needed)."""
    conv = _converter("t2s")
    out = conv.convert(text)
    if len(out) != len(text):  # a phrase conversion changed the length: keep offsets stable
        out = "".join(conv.convert(c) if len(conv.convert(c)) == 1 else c for c in text)
    return out


def to_traditional(text: str) -> str:
    """Convert simplified Chinese to traditional in Taiwan standard forms (OpenCC s2tw: 為, not 爲, as Big5 has)."""
    return _converter("s2tw").convert(text)


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the hanzi change under traditional -> simplified conversion."""
    sample = text[:20000]
    hanzi = len(_HANZI.findall(sample))
    if hanzi < 20:
        return False
    changed = sum(map(operator.ne, sample, to_simplified(sample)))  # characters the conversion changed
    return changed / hanzi > 0.03


_HANZI = re.compile("[\u4e00-\u9fff]")


def size_limit(max_mb: float | None = None) -> float:
    """The input limit in MB: ``max_mb``, else ``$ANALYSIS_MAX_MB``, else :data:`MAX_MB`."""
    if max_mb is None:
        try:
            max_mb = float(os.environ.get("ANALYSIS_MAX_MB") or MAX_MB)
        except ValueError:
            max_mb = MAX_MB
    return max_mb


def check_input(path: str | Path, max_mb: float | None = None) -> str | None:
    """Why a file is refused before it is read (unsupported type, too large, unpacks too large), or None.

    The same check in every command; a zip package (.docx) is judged by the sizes its directory declares, so a
    small file that unpacks to gigabytes is refused without unpacking it.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        return f"unsupported file type '{suffix or '(none)'}' (supported: {', '.join(sorted(READERS))})"
    limit = size_limit(max_mb)
    factor = CONTAINER_FACTOR if suffix in _CONTAINERS else 1
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if size > limit * factor * 1024 * 1024:
        return (f"file too large ({size / 1024 / 1024:.1f} MB > {limit * factor:g} MB); raise the limit with "
                f"--max-mb (now {limit:g}) to read it")
    if suffix in (".docx", ".docm"):
        try:
            with zipfile.ZipFile(path) as zf:
                unpacked = sum(i.file_size for i in zf.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None  # the reader says what is wrong with it
        if unpacked > limit * CONTAINER_FACTOR * 1024 * 1024:
            return (f"refused: unpacks to {unpacked / 1024 / 1024:.0f} MB (> {limit * CONTAINER_FACTOR:g} MB); "
                    f"raise the limit with --max-mb (now {limit:g}) to read it")
    return None


def read_document(path: str | Path) -> Decoded:
    """Read one source file (never modified) into analysed text; raise InputError naming the file and reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise InputError(path, f"unsupported file type '{suffix or '(none)'}' (supported: {supported})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from None
    try:
        raw, encoding, fmt = reader(data, path)
    except InputError as exc:
        if fmt_encrypted(data, suffix) and "encrypted" not in exc.reason:
            raise InputError(path, "encrypted PDF (a password is needed to read it); save an unprotected copy "
                                   "(e.g. qpdf --decrypt in.pdf out.pdf)") from None
        raise
    text = normalize(raw)
    if not text.strip():
        raise InputError(path, "no text after decoding (empty document)")
    traditional = is_traditional(text)
    simplified = to_simplified(text) if traditional else text
    return Decoded(text=simplified, original=text, encoding=encoding, source_format=fmt, traditional=traditional)


def fmt_encrypted(data: bytes, suffix: str) -> bool:
    """True for a PDF whose trailer names an encryption dictionary."""
    return suffix == ".pdf" and b"/Encrypt" in data[-65536:] or (suffix == ".pdf" and b"/Encrypt" in data[:65536])


def _read_text(data: bytes, path: Path) -> tuple[str, str, str]:
    text, enc = decode_bytes(data, path)
    if looks_like_html(text):
        return html_to_text(text), enc, "html"
    return text, enc, "text"


def _read_html(data: bytes, path: Path) -> tuple[str, str, str]:
    text, enc = decode_bytes(data, path)
    return html_to_text(text), enc, "html"


#: suffix -> reader(bytes, path) -> (raw text, encoding, format); other modules may add readers.
READERS = {**{s: _read_text for s in TEXT_EXTENSIONS}, **{s: _read_html for s in HTML_EXTENSIONS}}

# PDF and Word readers live in their own module; registered here so every reader of READERS sees them.
from .formats import FORMAT_READERS

READERS.update(FORMAT_READERS)
