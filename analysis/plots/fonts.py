"""CJK fonts from the Python dependencies: locate, convert CFF outlines to TrueType once, register with matplotlib.

Two faces, both installed from PyPI (no system font is assumed):

- sans ("paper" style): WenQuanYi Micro Hei (文泉驿微米黑) from the ``paperang-p2-fonts-cjk`` wheel. It has TrueType
  (``glyf``) outlines already, so matplotlib embeds it in PDFs as a subset CIDFontType2 (Type 42) font as is.
  Licence (from the font's name table): Apache-2.0 (upstream: Apache-2.0 or GPLv3 with font exception).
- serif ("journal" style): Noto Serif SC (思源宋体) from the ``pylopdf-fonts-zh-cn`` wheel (SIL OFL 1.1). It ships
  with CFF outlines only; a CFF font embedded with ``pdf.fonttype = 42`` renders blank in MuPDF, so it is converted
  once to quadratic TrueType outlines with fontTools' cu2qu (about a minute) and cached under
  ``config.cache_dir() / "fonts"`` (never committed; rebuilt on a fresh machine on first use).

Latin text in the journal style comes from STIX (Times-like, ships with matplotlib); matplotlib's per-glyph font
fallback then takes the Chinese glyphs from the CJK face.

Each face is used through its common-character cut (:func:`common_face`: GB 2312 and punctuation, cached like the
conversion, the full face behind it for any other character), because matplotlib re-reads the whole font for every
PDF it writes.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from .. import config
from ..errors import ParameterError, ResourceError

Style = Literal["paper", "journal"]
STYLES = ("paper", "journal")

#: Where each style's CJK face comes from: (distribution, import package, file inside the package, family name).
FONT_SOURCES: dict[str, tuple[str, str, str, str]] = {
    "paper": ("paperang-p2-fonts-cjk", "paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc", "WenQuanYi Micro Hei"),
    "journal": ("pylopdf-fonts-zh-cn", "pylopdf_fonts_zh_cn", "NotoSerifSC-Regular.otf", "Noto Serif SC"),
}

#: Bumped when the conversion changes, so that stale cached fonts are not reused.
_CONVERSION_VERSION = "1"


def _check_style(style: str) -> None:
    if style not in STYLES:
        raise ParameterError("style", style, STYLES)


def bundled_font_path(style: Style = "paper") -> Path:
    """Return the font file as shipped by its PyPI package (may have CFF outlines; see :func:`cjk_font_path`)."""
    _check_style(style)
    dist, package, relpath, _ = FONT_SOURCES[style]
    try:
        path = Path(str(resources.files(package).joinpath(relpath)))
    except ModuleNotFoundError:
        raise ResourceError(package, f"font package not installed: pip install {dist}") from None
    if not path.is_file():
        raise ResourceError(path, f"font file missing from the {dist} package")
    return path


def has_truetype_outlines(path: str | Path, font_number: int = 0) -> bool:
    """Return True if the font (face ``font_number`` of a collection) has TrueType ``glyf`` outlines."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=font_number, lazy=True) as font:
        return "glyf" in font


def to_truetype(path: str | Path, *, cache: str | Path | None = None) -> Path:
    """Return a TrueType-outline version of a font: ``path`` itself if it has ``glyf`` outlines, else a cached conversion.

    Parameters
    ----------
    path
        A .ttf/.otf/.ttc font file.
    cache
        Folder for converted fonts; default ``config.cache_dir() / "fonts"``.

    Returns
    -------
    Path
        A font file whose outlines matplotlib can embed as Type 42 that every PDF renderer draws.
    """
    path = Path(path)
    if not path.is_file():
        raise ResourceError(path, "font file not found")
    try:
        if has_truetype_outlines(path):
            return path
    except Exception as exc:  # fontTools raises assorted errors on a non-font file
        raise ResourceError(path, f"not a readable font: {exc}") from exc
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    out_dir = Path(cache) if cache is not None else config.cache_dir() / "fonts"
    out = out_dir / f"{path.stem}-glyf-{digest}-v{_CONVERSION_VERSION}.ttf"
    if out.is_file():
        return out
    out_dir.mkdir(parents=True, exist_ok=True)
    # Write to a temporary file and rename, so that parallel notebook runs never read a half-written font.
    fd, tmp = tempfile.mkstemp(prefix=out.stem, suffix=".tmp", dir=out_dir)
    os.close(fd)
    try:
        _convert_cff_to_glyf(path, Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def _convert_cff_to_glyf(src: Path, dst: Path, max_err: float = 1.0) -> None:
    """Replace a font's cubic CFF outlines by quadratic ``glyf`` outlines (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    # recalcTimestamp=False keeps head.modified from the source, so that the converted file, and every PDF
    # subset of it, is the same on every machine.
    font = TTFont(str(src), recalcTimestamp=False)
    if "CFF " not in font:
        raise ResourceError(src, "font has neither glyf nor CFF outlines (CFF2 variable fonts are not supported)")
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # reverse_direction: CFF contours run counter-clockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = font["glyf"] = newTable("glyf")
    font["loca"] = newTable("loca")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:  # vertical origins belong to CFF fonts only
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    # CID-keyed CFF glyph names (cid12345) carry no information; format 3 stores none.
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(str(dst))


@lru_cache(maxsize=None)
def _cjk_font_path_cached(style: str) -> str:
    return str(to_truetype(bundled_font_path(style)))


def cjk_font_path(style: Style = "paper") -> str:
    """Return the path of the CJK font file with TrueType outlines for a style (for matplotlib and wordcloud).

    Parameters
    ----------
    style
        "paper" (sans, WenQuanYi Micro Hei) or "journal" (serif, Noto Serif SC, converted and cached on first use).

    Returns
    -------
    str
        Path of a .ttf/.ttc file (a collection's first face is the one meant).
    """
    _check_style(style)
    return _cjk_font_path_cached(style)


@lru_cache(maxsize=16)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    """The first 16 hex digits of a file's SHA-256, computed once per file version and process."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


#: Bumped when the common-character face changes (its characters or how it is cut).
_COMMON_VERSION = "1"


@lru_cache(maxsize=1)
def common_codepoints() -> frozenset[int]:
    """The characters of the common face: ASCII and Latin-1, general punctuation, CJK symbols and punctuation,
    full-width forms and every character of GB 2312 (its 6,763 hanzi and symbols)."""
    cps = (set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2000, 0x2070))
           | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0)))
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                cps.add(ord(bytes((b1, b2)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return frozenset(cps)


def common_face(path: str | Path, *, cache: str | Path | None = None) -> Path:
    """A cached cut of a CJK font with the common characters only (:func:`common_codepoints`), under its own family
    name ("<family> Common"), for matplotlib's figures; every other character falls back to the full font.

    Why: for every PDF, matplotlib reads the whole font with fontTools to embed the subset a figure uses; for the
    49,531-glyph WenQuanYi face that costs ≈ 0.3 s per PDF, for this cut ≈ 0.04 s. The glyphs, metrics and hinting
    are the font's own, so the figures look the same (PNG pixel-identical).
    """
    path = Path(path).resolve()
    st = path.stat()
    digest = _file_digest(str(path), st.st_size, st.st_mtime_ns)
    out_dir = Path(cache) if cache is not None else config.cache_dir() / "fonts"
    out = out_dir / f"{path.stem}-common-{digest}-v{_COMMON_VERSION}.ttf"
    if out.is_file():
        return out
    # imported only when the face is made: the import alone costs ~0.1 s per kernel
    from fontTools import subset
    from fontTools.ttLib import TTFont

    family = font_family(path)
    options = subset.Options()
    options.font_number = 0
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables = [*options.drop_tables, "FFTM"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        font = subset.load_font(str(path), options, dontLoadGlyphNames=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(common_codepoints()))
        subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = f"{family} Common"
        elif record.nameID == 6:
            record.string = f"{family.replace(' ', '')}Common"
    out_dir.mkdir(parents=True, exist_ok=True)
    # Write to a temporary file and rename, so that parallel notebook runs never read a half-written font.
    fd, tmp = tempfile.mkstemp(prefix=out.stem, suffix=".tmp", dir=out_dir)
    os.close(fd)
    try:
        subset.save_font(font, tmp, options)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    with TTFont(str(out), lazy=True) as check:  # a face matplotlib cannot name would silently fall back
        if "glyf" not in check:
            raise ResourceError(out, "the common-character face has no glyf outlines")
    return out


def font_family(path: str | Path) -> str:
    """Return the family name matplotlib knows the font file by."""
    from matplotlib import font_manager

    return font_manager.FontProperties(fname=str(path)).get_name()


def register_font(path: str | Path) -> str:
    """Add a font file to matplotlib's font manager (once) and return its family name."""
    from matplotlib import font_manager

    path = str(Path(path).resolve())
    known = {str(Path(f.fname).resolve()) for f in font_manager.fontManager.ttflist}
    if path not in known:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            font_manager.fontManager.addfont(path)
    return font_family(path)
