"""PDF and Word readers: documents generated from the seeds (nothing binary is committed) read back to the seed text.

The generators here are also used by tests/test_ingest.py.
"""
from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import re
import tempfile
from pathlib import Path

import pytest

from analysis import InputError
from analysis.corpus.decode import READERS, normalize, read_document
from analysis.corpus.formats import (
    drop_running_lines,
    join_wrapped_lines,
    read_docx,
    read_legacy_word,
    read_pdf,
)

RUNNING_HEADER = "东莞市科学技术局 政府信息公开"


# --- generators ---------------------------------------------------------------------------------------------

def make_pdf(text: str, path: Path, *, header: str | None = RUNNING_HEADER, page_numbers: bool = True) -> Path:
    """Write the text as an A4 PDF (one paragraph per non-empty line, wrapped by fpdf2), with a running header
    and ``- n -`` page numbers on every page, in a CJK TrueType font."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (the [test] extra) generates the test PDFs")
    from analysis.plots import cjk_font_path

    logging.getLogger("fpdf").setLevel(logging.ERROR)  # icon-font glyphs of the scraped chrome have no CJK glyph

    class Doc(fpdf.FPDF):
        def header(self):
            if header:
                self.set_font("cjk", size=9)
                self.cell(0, 8, header, align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

        def footer(self):
            if page_numbers:
                self.set_y(-15)
                self.set_font("cjk", size=9)
                self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Doc(format="A4")
    needed = set(text) | set(header or "") | set("- 0123456789")
    small = _seed_font()
    if needed <= small[1]:
        pdf.add_font("cjk", fname=small[0])
    else:
        pdf.add_font("cjk", fname=cjk_font_path("paper"), collection_font_number=0)
    pdf.add_page()
    for line in text.splitlines():
        if line.strip():
            pdf.set_font("cjk", size=11)
            pdf.multi_cell(0, 6, line.strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@functools.lru_cache(maxsize=1)
def _seed_font() -> tuple[str, frozenset[str]]:
    """The CJK font cut down to the characters of the seeds (fpdf2 parses and subsets a 5 MB font in ~1 s per
    PDF; the cut-down font in ~0.1 s). Cached in the temp folder under a name that hashes its character set."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from analysis.plots import cjk_font_path

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    chars = set(RUNNING_HEADER) | {chr(c) for c in range(0x20, 0x7F)}
    for p in sorted(seeds.glob("*.txt")):
        chars |= set(p.read_text(encoding="utf-8"))
    source = cjk_font_path("paper")
    key = hashlib.sha256(("".join(sorted(chars)) + source).encode()).hexdigest()[:16]
    out = Path(tempfile.gettempdir()) / f"analysis-test-font-{key}.ttf"
    if not out.is_file():
        font = TTFont(source, fontNumber=0)
        subsetter = subset.Subsetter(subset.Options(notdef_outline=True, name_IDs=["*"], drop_tables=["FFTM"]))
        subsetter.populate(unicodes=[ord(c) for c in chars])
        subsetter.subset(font)
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        os.replace(tmp, out)
    covered = {chr(c) for c in TTFont(str(out), lazy=True).getBestCmap()}
    # unprintable characters (line ends, icon-font glyphs) have no glyph in the full font either
    return str(out), frozenset(covered | {c for c in chars if not c.isprintable()})


def make_scanned_pdf(path: Path) -> Path:
    """A PDF whose pages hold only an image (what a scanner produces): no text layer."""
    fpdf = pytest.importorskip("fpdf")
    from PIL import Image

    pdf = fpdf.FPDF()
    for shade in (200, 220):
        pdf.add_page()
        pdf.image(Image.new("L", (200, 280), shade), x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def make_docx(text: str, path: Path, *, table: list[list[str]] | None = None) -> Path:
    """Write the text as a .docx, one paragraph per line, optionally followed by a table."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, cells in enumerate(table):
            for c, value in enumerate(cells):
                t.cell(r, c).text = value
    document.save(str(path))
    return path


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines() if ln.strip()]


@pytest.fixture(scope="module")
def zhongshan(seeds_dir) -> str:
    return (seeds_dir / "zhongshan_2023_summary_2024_plan.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def zhongshan_pdf(tmp_path_factory, zhongshan) -> Path:
    return make_pdf(zhongshan, tmp_path_factory.mktemp("pdf") / "zhongshan.pdf")


# --- PDF ------------------------------------------------------------------------------------------------------

def test_readers_registered():
    assert {".pdf", ".docx", ".doc"} <= set(READERS)


def test_pdf_reads_back_the_seed_text(zhongshan_pdf, zhongshan):
    text, encoding, fmt = read_pdf(zhongshan_pdf.read_bytes(), zhongshan_pdf)
    assert (encoding, fmt) == ("pdf-text-layer", "pdf")
    # the running header and the page numbers are gone; everything else is there, character for character
    # (the seed text names 中山市科学技术局政府信息公开 itself, without the space: kept)
    assert RUNNING_HEADER not in text
    assert not [ln for ln in text.splitlines() if re.fullmatch(r"-\s*\d+\s*-", ln.strip())]
    assert _flat(text) == _flat(zhongshan).replace("\ue7e3", "").replace("\ue806", "").replace("\ue705", "")
    # wrapped paragraphs are joined again: every seed paragraph is one line, except where fpdf2 wrapped right
    # after a full stop at the margin (then the paragraph is two lines, both in the seed paragraph)
    seed_lines = _lines(zhongshan)
    pdf_lines = _lines(text)
    assert sum(ln in pdf_lines for ln in seed_lines) >= len(seed_lines) - 3
    assert len(pdf_lines) <= len(seed_lines) + 3
    # headings stay on their own lines
    from analysis.corpus.structure import match_heading

    headings = [ln for ln in _lines(normalize(zhongshan)) if match_heading(ln) and len(ln) < 40]
    assert len(headings) >= 15
    assert [h for h in headings if h not in _lines(normalize(text))] == []


def test_pdf_through_read_document_same_structure_as_text(zhongshan_pdf, seeds_dir):
    from analysis.corpus import parse_document

    pdf_doc, pdf_units, *_ = parse_document(zhongshan_pdf)
    txt_doc, txt_units, *_ = parse_document(seeds_dir / "zhongshan_2023_summary_2024_plan.txt")
    for col in ("title", "city", "province", "doc_type", "summary_year", "plan_year", "published", "n_top_sections",
                "n_sections_l2", "n_units"):
        assert pdf_doc[col] == txt_doc[col], col
    assert pdf_doc["source_format"] == "pdf"
    assert [_flat(u["text"]) for u in pdf_units] == [_flat(u["text"]) for u in txt_units]  # a wrap may eat a space


def test_running_lines_and_page_numbers_dropped():
    pages = [
        ["广州市人民政府公报", "第一章 总则", "正文一", "正文二", "- 1 -"],
        ["广州市人民政府公报", "正文三", "正文四", "第2页 共4页"],
        ["广州市人民政府公报", "正文五", "3/4"],
        ["附件", "正文六", "正文七", "Page 4 of 4"],
    ]
    keep = drop_running_lines(pages)
    kept = [ln for page, flags in zip(pages, keep) for ln, k in zip(page, flags) if k]
    # the header recurs on 3 of 4 pages (75 % >= 60 %): dropped; 附件 once: kept; page numbers in every style dropped
    assert kept == ["第一章 总则", "正文一", "正文二", "正文三", "正文四", "正文五", "附件", "正文六", "正文七"]


def test_running_line_below_share_kept():
    pages = [["报头", "a1", "1"], ["b1", "b2", "2"], ["报头", "c1", "3"], ["d1", "d2", "4"], ["e1", "e2", "5"]]
    keep = drop_running_lines(pages)
    assert keep[0] == [True, True, False] and keep[2] == [True, True, False]  # 报头 on 2 of 5 pages (40 %)


def _line(text, x1, x0=50.0):
    return {"text": text, "x0": x0, "x1": x1, "top": 0.0, "size": 10.0}


def test_join_wrapped_lines():
    lines = [
        _line("全市高新技术企业数量达到", 500),        # full, no stop -> joined
        _line("7400多家,同比增长10%。", 300),         # ends the paragraph
        _line("(二)强化企业创新主体地位", 200),       # heading
        _line("推进科技型中小企业评价入库工作,力争", 500),  # full -> joined
        _line("2022年入库企业超过3000家。全面落实研发费用加计扣除政", 500),
        _line("策", 80),
        _line("一、2022年工作计划", 500),            # full but the next line is a heading
        _line("1.实施高新技术企业倍增计划", 200),     # a heading after a full line: not joined
        _line("English words wrapped at the", 500),
        _line("margin are joined with a space。", 320),
        _line("缩进的段落", 500),
        _line("另起一段(首行缩进)。", 300, x0=70),      # indented: a new paragraph
    ]
    assert join_wrapped_lines(lines) == [
        "全市高新技术企业数量达到7400多家,同比增长10%。",
        "(二)强化企业创新主体地位",
        "推进科技型中小企业评价入库工作,力争2022年入库企业超过3000家。全面落实研发费用加计扣除政策",
        "一、2022年工作计划",
        "1.实施高新技术企业倍增计划",
        "English words wrapped at the margin are joined with a space。",
        "缩进的段落",
        "另起一段(首行缩进)。",
    ]


def test_scanned_pdf_rejected(tmp_path):
    p = make_scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(InputError, match=r"no text layer \(scanned PDF\?\); OCR it first"):
        read_document(p)


def test_truncated_and_fake_pdf_rejected(tmp_path, zhongshan_pdf):
    data = zhongshan_pdf.read_bytes()
    half = tmp_path / "half.pdf"
    half.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated PDF"):
        read_document(half)
    fake = tmp_path / "fake.pdf"
    fake.write_text("这不是PDF", encoding="utf-8")
    with pytest.raises(InputError, match="not a PDF file"):
        read_document(fake)
    broken = tmp_path / "broken.pdf"  # header and trailer present, body garbage: the parser's error, one line
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    with pytest.raises(InputError) as info:
        read_document(broken)
    assert "\n" not in str(info.value)


def test_pdf_parser_log_lines_do_not_reach_stderr(tmp_path, capfd):
    # a page without /MediaBox: pdfminer logs "MediaBox missing …" on stderr unless silenced
    p = tmp_path / "nomediabox.pdf"
    p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                  b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
                  b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    with pytest.raises(InputError, match="damaged PDF"):  # a page without /Contents trips pdfplumber up
        read_document(p)
    assert capfd.readouterr().err == ""


# --- Word -------------------------------------------------------------------------------------------------------

def test_docx_paragraphs_and_tables_in_order(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("一、2022年主要指标")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["指标", "2021年", "2022年"], ["高新技术企业(家)", "7387", "8600"], ["备注", "", ""]]):
        for c, v in enumerate(row):
            table.cell(r, c).text = v
    table.cell(2, 1).merge(table.cell(2, 2)).text = "预计值"
    document.add_paragraph("二、下一步工作")
    p = tmp_path / "指标 表.docx"
    document.save(str(p))
    text, encoding, fmt = read_docx(p.read_bytes(), p)
    assert (encoding, fmt) == ("docx-xml", "docx")
    assert text.split("\n") == ["一、2022年主要指标", "指标\t2021年\t2022年", "高新技术企业(家)\t7387\t8600",
                                "备注\t预计值", "二、下一步工作"]


def test_docx_from_seed_same_as_text(tmp_path, seeds_dir):
    from analysis.corpus import parse_document

    src = seeds_dir / "dongguan_2022_proposal_reply_20220364.txt"
    p = make_docx(src.read_text(encoding="utf-8"), tmp_path / "reply.docx")
    d_doc, d_units, *_ = parse_document(p)
    t_doc, t_units, *_ = parse_document(src)
    for col in ("title", "city", "doc_type", "summary_year", "n_units", "n_top_sections", "text"):
        assert d_doc[col] == t_doc[col], col


def test_broken_word_files_rejected_with_reason(tmp_path, seeds_dir):
    good = make_docx("一、总则\n正文。", tmp_path / "good.docx").read_bytes()
    cases = {
        "half.docx": (good[: len(good) // 2], "damaged or truncated .docx"),
        "renamed.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "convert it: libreoffice --headless --convert-to docx"),
        "text.docx": ("纯文本".encode("utf-8"), "not a .docx file"),
    }
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    cases["other.docx"] = (buf.getvalue(), "no word/document.xml")
    for name, (data, reason) in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(InputError, match=re.escape(reason)):
            read_document(p)


def test_legacy_doc_rejected_with_conversion_hint(tmp_path):
    p = tmp_path / "报告.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputError) as info:
        read_document(p)
    assert info.value.reason == ".doc (binary Word) is not supported; convert it to .docx first, " \
                                "e.g. libreoffice --headless --convert-to docx '报告.doc'"
    with pytest.raises(InputError, match="convert it to .docx"):
        read_legacy_word(b"", Path("x.wps"))
