"""Shared helpers of the plot functions: column checks, a new Axes when none is given, category order."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..errors import ParameterError
from .style import figure_size


def require_columns(data: pd.DataFrame, columns: Iterable[str], func: str) -> None:
    """Raise ParameterError naming the missing columns."""
    if not isinstance(data, pd.DataFrame):
        raise ParameterError("data", type(data).__name__, reason=f"{func} needs a pandas DataFrame")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ParameterError("data", f"columns {list(data.columns)}",
                             reason=f"{func} needs the column(s) {', '.join(missing)}")


def new_axes(ax=None, *, width="full", height: float | None = None):
    """Return ``ax``, or the Axes of a new constrained-layout figure of a journal size (cm)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figure_size(width, height), layout="constrained")
    return ax


def levels(values: pd.Series) -> list:
    """Category order: a Categorical's own order, else order of first appearance (the caller decides)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.dropna())
        return [c for c in values.cat.categories if c in present]
    return list(pd.unique(values.dropna()))


def max_label_width(labels: Iterable[str]) -> int:
    """Display width of the longest line among labels (a Chinese character counts 2)."""
    from .labels import _width

    return max((sum(_width(c) for c in line) for text in labels for line in str(text).split("\n")), default=0)


def year_ticks(axis, years) -> None:
    """Integer year ticks (at most about 8) on an x or y axis, labelled without thousands separators."""
    import math

    from matplotlib import ticker

    values = [int(round(v)) for v in years]
    if not values:
        return
    lo, hi = min(values), max(values)
    step = max(1, math.ceil((hi - lo + 1) / 8))
    axis.set_major_locator(ticker.FixedLocator(list(range(lo, hi + 1, step))))
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{int(round(v))}"))


def legend_right(ax, **kwargs):
    """A legend outside the Axes on the right (constrained layout makes room; never under a title)."""
    kwargs.setdefault("loc", "upper left")
    kwargs.setdefault("bbox_to_anchor", (1.01, 1.0))
    kwargs.setdefault("borderaxespad", 0.0)
    return ax.legend(**kwargs)
