"""PDF and Word readers for :data:`analysis.corpus.decode.READERS`: bytes -> (raw text, encoding, format).

Each reader returns one paragraph per line, like the text and HTML readers, so that ``structure`` sees the same
lines whatever the source format.

- PDF (pdfplumber text layer): running headers/footers and page numbers are dropped (a line in the top or bottom
  two lines of a page that recurs, digits masked, on at least 60 % of the pages, or that is a page number such as
  ``- 3 -``, ``第3页``, ``3/12``); a line wrapped by the page layout is joined to the next one without a space
  when it runs to the right margin, does not end a sentence, and the next line neither opens a heading
  (``一、`` ``(一)`` ``1.``) nor is indented. A PDF without a text layer (a scan) is rejected, not read as empty.
- DOCX (python-docx): body paragraphs and tables in document order; a table row becomes one line with its cells
  joined by tabs. Page headers and footers of the Word file are left out, like the PDF ones.
- DOC/WPS (the binary Word formats) are rejected with a message saying how to convert them.

Third-party parsers raise assorted exceptions on damaged files; each reader turns them into one
:class:`~analysis.errors.InputError` that names the file and the reason.
"""
from __future__ import annotations

import io
import logging
import re
import statistics
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from .structure import match_heading

PDF_EXTENSIONS = {".pdf"}
DOCX_EXTENSIONS = {".docx", ".docm"}
LEGACY_WORD_EXTENSIONS = {".doc", ".wps"}

#: Share of pages on which a top/bottom line must recur to count as a running header or footer.
RUNNING_LINE_SHARE = 0.6
#: How many lines at the top and at the bottom of a page may be running headers/footers.
RUNNING_ZONE = 2
#: Fewer non-space characters per page than this (on average) means the PDF has no usable text layer.
MIN_CHARS_PER_PAGE = 20
#: Refuse a .docx whose parts unpack to more than this (a zip bomb, or not a document).
MAX_DOCX_UNPACKED = 512 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—_·•]*\s*\d{1,4}\s*[-–—_·•]*"            # - 3 -   3   —3—
    r"|第\s*[\d一二三四五六七八九十百零〇]+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?"  # 第3页  第3页 共12页
    r"|\d{1,4}\s*/\s*\d{1,4}"                              # 3/12
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"   # Page 3 of 12
    r"|共\s*\d+\s*页\s*第\s*\d+\s*页)\s*$",
    re.I,
)
_SENTENCE_FINAL = re.compile(r"[。！？!?…][”’\"」』)）]*$")
_EXTRA_HEADING = re.compile(r"^\s*(第[\d一二三四五六七八九十百零〇]+[章节条部分篇]|附件\s*\d*\s*[:：]?$|[①-⑳])")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


# --- PDF ----------------------------------------------------------------------------------------------------

def read_pdf(data: bytes, path: Path) -> tuple[str, str, str]:
    """Read the text layer of a PDF into paragraphs, one per line (headers, footers and page numbers dropped)."""
    start = data.find(b"%PDF-", 0, 1024)
    if start < 0:
        if data.startswith(_OLE_MAGIC) or data.startswith(b"PK"):
            raise InputError(path, "not a PDF file (it is an Office document with a .pdf name)")
        raise InputError(path, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-4096:]:
        raise InputError(path, "truncated PDF (no %%EOF marker at the end; download it again)")
    pages = _pdf_lines(data, path)
    n_chars = sum(len(ln["text"].replace(" ", "")) for page in pages for ln in page)
    if n_chars < MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise InputError(path, "no text layer (scanned PDF?); OCR it first (e.g. ocrmypdf -l chi_sim in.pdf out.pdf)")
    body = drop_running_lines([[ln["text"] for ln in page] for page in pages])
    kept = [ln for page, keep in zip(pages, body) for ln, k in zip(page, keep) if k]
    return "\n".join(join_wrapped_lines(kept)), "pdf-text-layer", "pdf"


def _pdf_lines(data: bytes, path: Path) -> list[list[dict]]:
    """Text lines of every page (text, x0, x1, top, size), top to bottom."""
    import pdfplumber

    pages: list[list[dict]] = []
    try:
        with _quiet_parsers(), pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                lines = []
                if _has_overprint(page.chars):  # simulated bold: each glyph printed twice, slightly shifted
                    page = page.dedupe_chars()
                for ln in page.extract_text_lines(return_chars=True, strip=True):
                    text = ln["text"]
                    if not text.strip():
                        continue
                    sizes = [c.get("size") or 0 for c in ln.get("chars", ())]
                    lines.append({"text": text, "x0": ln["x0"], "x1": ln["x1"], "top": ln["top"],
                                  "size": statistics.median(sizes) if sizes else 10.0})
                pages.append(lines)
                page.close()  # free pdfplumber's per-page caches on long documents
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many exception types on damaged files; report them as one line
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise InputError(path, "encrypted PDF (a password is needed to read it)") from None
        detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else name
        raise InputError(path, f"damaged PDF, cannot be read ({name}: {detail})") from None
    if not pages:
        raise InputError(path, "PDF has no pages")
    return pages


@contextmanager
def _quiet_parsers() -> Iterator[None]:
    """Silence pdfminer's log lines ("MediaBox missing …") while parsing: they would reach the user's stderr
    without a file name; what matters about a damaged file is reported as one InputError instead."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _has_overprint(chars: list[dict]) -> bool:
    """True when some glyph is printed again on top of itself (pdfplumber's dedupe is slow: only run it then)."""
    return any(a["text"] == b["text"] and abs(a["x0"] - b["x0"]) < 1 and abs(a["top"] - b["top"]) < 1
               for a, b in zip(chars, chars[1:]))


def _mask_digits(line: str) -> str:
    return re.sub(r"\d+|[一二三四五六七八九十百零〇]+(?=\s*页)", "#", re.sub(r"\s+", "", line))


def drop_running_lines(pages: list[list[str]], *, share: float = RUNNING_LINE_SHARE,
                       zone: int = RUNNING_ZONE) -> list[list[bool]]:
    """Which lines of each page to keep: running headers/footers and page numbers are marked False.

    Parameters
    ----------
    pages : the lines of each page, top to bottom.
    share : a top/bottom line recurring (digits masked) on at least this share of pages is a running line.
    zone : how many lines at the top and at the bottom of a page are looked at.

    Returns
    -------
    One list of booleans per page, parallel to ``pages``.
    """
    def zone_indices(n: int) -> list[int]:
        return sorted(set(range(min(zone, n))) | set(range(max(n - zone, 0), n)))

    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_mask_digits(lines[i]) for i in zone_indices(len(lines))})
    need = max(2, share * len(pages))
    keep = []
    for lines in pages:
        flags = [True] * len(lines)
        for i in zone_indices(len(lines)):
            key = _mask_digits(lines[i])
            if _PAGE_NUMBER.match(lines[i]) or (len(pages) >= 2 and counts[key] >= need):
                flags[i] = False
        keep.append(flags)
    return keep


def _opens_block(text: str) -> bool:
    stripped = text.strip()
    return match_heading(stripped) is not None or bool(_EXTRA_HEADING.match(stripped))


def join_wrapped_lines(lines: list[dict]) -> list[str]:
    """Join lines that the page layout wrapped inside a paragraph; return one paragraph per line.

    A line is continued by the next one when it reaches the right margin (within two character widths of the
    rightmost line end), does not end with sentence-final punctuation, and the next line neither opens a heading
    nor starts indented. Chinese and numbers need no space at the join; a space is put only between two Latin letters.
    """
    if not lines:
        return []
    char_w = statistics.median(ln["size"] for ln in lines) or 10.0
    right = _quantile([ln["x1"] for ln in lines], 0.95)
    left = _quantile([ln["x0"] for ln in lines], 0.10)
    out: list[str] = []
    current = lines[0]["text"].strip()
    for prev, nxt in zip(lines, lines[1:]):
        text = nxt["text"].strip()
        wrapped = (prev["x1"] >= right - 2 * char_w and not _SENTENCE_FINAL.search(current)
                   and not _opens_block(text) and nxt["x0"] <= left + 0.8 * char_w)
        if wrapped:
            sep = " " if _LATIN_LETTER.match(current[-1:]) and _LATIN_LETTER.match(text[:1]) else ""
            current = current + sep + text
        else:
            out.append(current)
            current = text
    out.append(current)
    return out


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- Word ---------------------------------------------------------------------------------------------------

def read_docx(data: bytes, path: Path) -> tuple[str, str, str]:
    """Read a .docx: body paragraphs and table rows (cells joined by tabs) in document order."""
    if data.startswith(_OLE_MAGIC):
        raise InputError(path, "not a .docx (an old binary Word file or an encrypted document); "
                               "convert it: libreoffice --headless --convert-to docx FILE")
    if not data.startswith(b"PK"):
        raise InputError(path, "not a .docx file (not a zip package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise InputError(path, "not a Word document (the zip has no word/document.xml)")
            if sum(i.file_size for i in zf.infolist()) > MAX_DOCX_UNPACKED:
                raise InputError(path, f"refused: unpacks to more than {MAX_DOCX_UNPACKED >> 20} MB")
            bad = zf.testzip()
            if bad:
                raise InputError(path, f"damaged .docx (corrupt part {bad})")
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"damaged or truncated .docx (bad zip: {exc})") from None
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_blocks(document))
    except Exception as exc:  # python-docx/lxml raise assorted errors on damaged XML; report them as one line
        detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
        raise InputError(path, f"damaged .docx, cannot be read ({type(exc).__name__}: {detail})") from None
    return "\n".join(lines), "docx-xml", "docx"


def _docx_blocks(document):
    """Yield the text lines of a python-docx Document: paragraphs and table rows, in body order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(parent_elm, parent):
        for child in parent_elm.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                yield from Paragraph(child, parent).text.split("\n")
            elif tag == "tbl":
                yield from _table_rows(Table(child, parent))
            elif tag == "sdt":  # content controls (forms, templates) wrap ordinary paragraphs
                content = child.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sdtContent")
                if content is not None:
                    yield from walk(content, parent)

    yield from walk(document.element.body, document)


def _table_rows(table):
    for row in table.rows:
        cells, seen = [], []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):  # a merged cell is returned once per grid column it spans
                continue
            seen.append(cell._tc)
            cells.append(re.sub(r"\s*\n\s*", " ", cell.text).strip())
        if any(cells):
            yield "\t".join(cells)


def read_legacy_word(data: bytes, path: Path) -> tuple[str, str, str]:
    """Refuse the binary Word formats, saying how to convert them."""
    suffix = path.suffix.lower()
    raise InputError(path, f"{suffix} (binary Word) is not supported; convert it to .docx first, "
                           f"e.g. libreoffice --headless --convert-to docx '{path.name}'")


#: suffix -> reader; decode merges these into its READERS registry.
FORMAT_READERS = {**{s: read_pdf for s in PDF_EXTENSIONS}, **{s: read_docx for s in DOCX_EXTENSIONS},
                  **{s: read_legacy_word for s in LEGACY_WORD_EXTENSIONS}}
