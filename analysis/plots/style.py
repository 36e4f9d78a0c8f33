"""One style entry point for every figure: fonts, sizes, colour-blind-safe palettes that survive greyscale."""
from __future__ import annotations

import contextlib
import functools
from itertools import cycle, islice
from pathlib import Path
from typing import Literal

from ..errors import ParameterError
from .fonts import STYLES, Style, cjk_font_path, common_face, register_font, to_truetype

Lang = Literal["zh", "en"]
LANGS = ("zh", "en")

CM = 1 / 2.54
#: Journal widths in centimetres: a full text width and a single column.
FULL_WIDTH_CM = 16.0
COLUMN_WIDTH_CM = 8.0

#: Okabe & Ito (2008) colour-blind-safe colours.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
#: Categorical order: dark and light alternate so that neighbours stay apart in greyscale too.
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue",
                                  "reddish_purple", "yellow", "black")]
#: Redundant encodings for greyscale prints, in the same order as PALETTE.
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (8, 2)))
#: Sequential colour map (perceptually uniform, readable by colour-blind readers and in greyscale).
SEQUENTIAL_CMAP = "cividis"

# The theme currently applied by set_theme (None until the first call).
_state: dict[str, object] = {"style": None, "lang": None, "font_path": None}


def _check(name: str, value: object, valid: tuple) -> None:
    if value not in valid:
        raise ParameterError(name, value, valid)


def theme_rc(style: Style = "paper", *, lang: Lang = "zh", cjk_family: str | list[str] | None = None) -> dict:
    """Return the matplotlib rcParams that :func:`set_theme` applies (without applying them).

    ``cjk_family``: the CJK family, or several tried glyph by glyph in order (the common-character face, then the
    full font: see :func:`set_theme`)."""
    _check("style", style, STYLES)
    _check("lang", lang, LANGS)
    from cycler import cycler

    cjk = ([cjk_family] if isinstance(cjk_family, str) else list(cjk_family)) if cjk_family else \
        ["WenQuanYi Micro Hei" if style == "paper" else "Noto Serif SC"]
    if style == "paper":
        # zh: Latin letters and digits from the CJK face, so that mixed text has one design; en: the reverse.
        family = [*cjk, "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans", *cjk]
        mathtext = "dejavusans"
    else:
        # Chinese journals ask for Song (serif) Chinese with Times-like Latin: STIX first, glyph fallback to CJK.
        family = ["STIXGeneral", *cjk, "DejaVu Serif"]
        mathtext = "stix"
    return {
        "font.family": family,
        "font.sans-serif": [*cjk, "DejaVu Sans"] if style == "paper" else ["DejaVu Sans", *cjk],
        "font.serif": ["STIXGeneral", *cjk, "DejaVu Serif"],
        "mathtext.fontset": mathtext,
        "font.size": 9.0,
        "axes.titlesize": 9.5,
        "axes.labelsize": 9.0,
        "xtick.labelsize": 8.0,
        "ytick.labelsize": 8.0,
        "legend.fontsize": 8.0,
        "legend.title_fontsize": 8.5,
        "figure.titlesize": 10.0,
        "axes.unicode_minus": False,
        # Embedded TrueType (Type 42) subsets: searchable text, accepted by publishers' preflight (Type 3 is not).
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        # Glyphs as paths: the SVG renders the same everywhere without the font installed; ids from a fixed salt.
        "svg.fonttype": "path",
        "svg.hashsalt": "analysis",
        "figure.figsize": (FULL_WIDTH_CM * CM, 10 * CM),
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "savefig.bbox": "standard",
        "figure.constrained_layout.use": True,
        "image.cmap": SEQUENTIAL_CMAP,
        "axes.prop_cycle": cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlelocation": "left",
        "legend.frameon": False,
        "hatch.linewidth": 0.6,
        "lines.linewidth": 1.3,
        "lines.markersize": 5.0,
        "patch.linewidth": 0.5,
    }


def set_theme(style: Style = "paper", *, lang: Lang = "zh", font: str | Path | None = None) -> None:
    """Apply the collection's figure style (seaborn "ticks" + CJK font + print settings) to matplotlib.

    Parameters
    ----------
    style
        "paper": sans-serif (WenQuanYi Micro Hei with DejaVu Sans); "journal": serif (Noto Serif SC for Chinese,
        STIX, Times-like, for Latin), as Chinese journals ask.
    lang
        Main language of the figures' text: "zh" takes Latin letters from the CJK face too, "en" takes them from
        the Latin face and falls back to the CJK face for Chinese terms.
    font
        Another CJK font file to use instead (CFF outlines are converted to TrueType and cached).
    """
    _check("style", style, STYLES)
    _check("lang", lang, LANGS)
    import matplotlib as mpl
    import seaborn as sns

    path = str(to_truetype(font)) if font is not None else cjk_font_path(style)
    rc = theme_rc(style, lang=lang, cjk_family=cjk_families(path))
    sns.set_theme(context="paper", style="ticks", palette=PALETTE, rc=rc)
    # seaborn rescales some sizes and resets the font family: apply ours last.
    mpl.rcParams.update(rc)
    _state.update(style=style, lang=lang, font_path=path)


def cjk_families(path: str) -> list[str]:
    """Register a CJK font and its common-character face (:func:`~analysis.plots.fonts.common_face`) with
    matplotlib; return their families, common face first: figures take each glyph from the common face when it has
    it (fast to embed in a PDF) and from the full font otherwise (rare characters are never lost). Where the cut
    cannot be made (a read-only cache folder), the full font alone: the same figures, only slower PDFs."""
    try:
        common = common_face(path)
    except OSError:
        return [register_font(path)]
    return [register_font(common), register_font(path)]


@contextlib.contextmanager
def theme_context():
    """Draw inside the theme's rc context when no theme was applied; global rcParams are never changed here."""
    if _state["style"] is not None:
        yield
        return
    import matplotlib as mpl

    path = cjk_font_path("paper")
    rc = theme_rc("paper", lang="zh", cjk_family=cjk_families(path))
    with mpl.rc_context(rc):
        yield


def themed(func):
    """Decorator of the plot functions: they draw inside :func:`theme_context`, so plotting never sets state."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with theme_context():
            return func(*args, **kwargs)
    return wrapper


def ensure_theme() -> None:
    """Apply ``set_theme()`` with its defaults unless a theme has been applied already in this process."""
    if _state["style"] is None:
        set_theme()


def current_font_path() -> str:
    """Return the CJK font file of the applied theme (the default theme's when none is applied)."""
    return str(_state["font_path"] or cjk_font_path("paper"))


def current_style() -> str | None:
    """Return the style name last applied by :func:`set_theme` (None if none was)."""
    return _state["style"]  # type: ignore[return-value]


def figure_size(width: Literal["full", "column"] | float = "full", height: float | None = None) -> tuple[float, float]:
    """Return a figure size in inches from a journal width ("full" 16 cm, "column" 8 cm, or centimetres).

    Parameters
    ----------
    width
        "full", "column" or a width in centimetres.
    height
        Height in centimetres; default 10 cm for "full", 6 cm for "column", else 0.625 × width.
    """
    if width == "full":
        w = FULL_WIDTH_CM
        h = 10.0 if height is None else height
    elif width == "column":
        w = COLUMN_WIDTH_CM
        h = 6.0 if height is None else height
    elif isinstance(width, (int, float)) and width > 0:
        w = float(width)
        h = w * 0.625 if height is None else height
    else:
        raise ParameterError("width", width, '"full", "column" or a positive number of centimetres')
    return (w * CM, h * CM)


def palette(n: int) -> list[str]:
    """Return ``n`` categorical colours (Okabe–Ito, repeated when ``n`` > 8)."""
    return list(islice(cycle(PALETTE), n))


def category_styles(levels) -> dict[object, dict]:
    """Map each category level to a colour, hatch, marker and line style, so each stays legible in greyscale."""
    return {level: {"color": PALETTE[i % len(PALETTE)], "hatch": HATCHES[i % len(HATCHES)],
                    "marker": MARKERS[i % len(MARKERS)], "linestyle": LINESTYLES[i % len(LINESTYLES)]}
            for i, level in enumerate(levels)}


def text_color_on(color) -> str:
    """Return black or white, whichever reads better on a fill colour (by relative luminance)."""
    from matplotlib.colors import to_rgb

    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color))
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 else "white"


#: The colour of documents without a place (and of "unclassified" categories): a neutral grey.
UNKNOWN_COLOR = "#9E9E9E"


def place_colors(places) -> dict[str, str]:
    """One fixed colour per place: the same place gets the same colour in every figure of a corpus.

    Pass the corpus's full list of places (not a figure's subset): colours follow the sorted names, so a
    figure showing three of them still colours each as the others do. ``unknown`` is grey. Up to 8 places get
    the Okabe–Ito colours; more get matplotlib's tab20 (distinct, though not all colour-blind safe).
    """
    import matplotlib

    names = sorted({str(p) for p in places if str(p) != "unknown"})
    if len(names) <= len(PALETTE):
        colors = PALETTE
    else:
        tab = matplotlib.colormaps["tab20"].colors + matplotlib.colormaps["tab20b"].colors
        from matplotlib.colors import to_hex

        colors = [to_hex(c) for c in tab]
    out = {p: colors[i % len(colors)] for i, p in enumerate(names)}
    out["unknown"] = UNKNOWN_COLOR
    return out
