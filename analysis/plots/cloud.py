"""Word clouds drawn with the theme's CJK font, reproducible from a seed."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._base import new_axes
from .style import PALETTE, current_font_path, themed

#: Weight columns tried, in order, when a DataFrame is given without ``weight=``.
WEIGHT_COLUMNS = ("weight", "count", "per10k", "tfidf", "score", "value")
# Dark palette colours only: light ones (yellow, sky blue) are hard to read as text on white.
_WORD_COLORS = [PALETTE[i] for i in (0, 3, 2, 5, 7)]


def _frequencies(frequencies, weight: str | None) -> dict[str, float]:
    if isinstance(frequencies, pd.DataFrame):
        if "term" not in frequencies.columns:
            raise ParameterError("frequencies", list(frequencies.columns), reason="needs a 'term' column")
        col = weight or next((c for c in WEIGHT_COLUMNS if c in frequencies.columns), None)
        if col is None or col not in frequencies.columns:
            raise ParameterError("weight", col, WEIGHT_COLUMNS)
        grouped = frequencies.groupby(frequencies["term"].astype(str), sort=True)[col].sum()
        items = grouped.items()
    elif isinstance(frequencies, Mapping):
        items = ((str(k), v) for k, v in sorted(frequencies.items(), key=lambda kv: str(kv[0])))
    else:
        raise ParameterError("frequencies", type(frequencies).__name__, reason="a mapping term -> weight or a DataFrame")
    out = {t: float(v) for t, v in items if pd.notna(v) and float(v) > 0 and str(t).strip()}
    if not out:
        raise ParameterError("frequencies", "(empty)", reason="no term with a positive weight")
    return out


def _layout(cloud, words: dict[str, float]) -> None:
    """Lay the words out, or reuse the layout cached for the same words and settings (layout ~5 s, drawing ~0.1 s).

    The key is everything the layout depends on: the frequency table, the size and layout options, the seed, the
    font file's bytes and the wordcloud version; the drawing from a cached layout is pixel-identical.
    """
    import hashlib
    import json
    from importlib.metadata import version
    from pathlib import Path

    from .. import config

    opts = {k: getattr(cloud, k) for k in ("width", "height", "max_words", "prefer_horizontal", "margin",
                                           "relative_scaling", "min_font_size", "max_font_size", "font_step",
                                           "scale", "random_state", "repeat")}
    rs = opts["random_state"]
    if hasattr(rs, "getstate"):  # a random.Random: its state, not its address, identifies the layout
        opts["random_state"] = hashlib.sha256(repr(rs.getstate()).encode()).hexdigest()
    key = hashlib.sha256(json.dumps([sorted(words.items()), opts, version("wordcloud"),
                                     hashlib.sha256(Path(cloud.font_path).read_bytes()).hexdigest()],
                                    ensure_ascii=False, default=str).encode()).hexdigest()
    path = config.cache_dir() / "wordcloud" / f"{key}.json"
    try:
        cloud.layout_ = [((w, f), size, tuple(pos), orient, color)
                         for (w, f), size, pos, orient, color in json.loads(path.read_text(encoding="utf-8"))]
        cloud.words_ = dict(words)
        return
    except (OSError, ValueError):
        pass
    cloud.generate_from_frequencies(words)
    layout = [[list(wf), int(size), [int(p) for p in pos], None if orient is None else int(orient), color]
              for wf, size, pos, orient, color in cloud.layout_]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:  # a read-only cache only costs the layout time
        pass


@themed
def plot_wordcloud(frequencies: Mapping[str, float] | pd.DataFrame, *, ax=None, width: int = 1600, height: int = 900,
                   max_words: int = 200, random_state: int = 0, weight: str | None = None,
                   prefer_horizontal: float = 1.0, font_path: str | None = None):
    """Word cloud of term weights in the theme's CJK font; the same input and seed give the same image.

    Parameters
    ----------
    frequencies
        A mapping term -> weight, or a DataFrame with ``term`` and a weight column (``weight=``, else the first of
        weight, count, per10k, tfidf, score, value). Terms repeated in a DataFrame are summed.
    width, height
        Raster size in pixels (the Axes shows it at its own size; 1600×900 suits a 16 cm wide figure at 254 dpi).
    max_words
        Largest number of words drawn.
    random_state
        Seed of the layout and colours.
    prefer_horizontal
        Share of horizontal words; 1.0 (default) keeps Chinese upright and readable.
    font_path
        Font file; default the CJK font of the applied theme (:func:`cjk_font_path`).

    Returns
    -------
    Axes
    """
    from wordcloud import WordCloud

    words = _frequencies(frequencies, weight)
    palette = _WORD_COLORS

    def color_func(word, font_size, position, orientation, random_state=None, **kwargs):
        return palette[random_state.randint(0, len(palette) - 1)]

    cloud = WordCloud(font_path=font_path or current_font_path(), width=width, height=height, max_words=max_words,
                      random_state=random_state, background_color="white", prefer_horizontal=prefer_horizontal,
                      color_func=color_func, margin=4, relative_scaling=0.5,
                      min_font_size=max(8, round(height / 45)))
    _layout(cloud, words)
    ax = new_axes(ax, height=16 * height / width)
    ax.imshow(np.asarray(cloud.to_array()), interpolation="bilinear")
    ax.set_axis_off()
    return ax
