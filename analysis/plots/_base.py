"""Shared helpers of the plot functions: column checks, a new Axes when none is given, category order."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib import ticker

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


class YearLocator(ticker.MaxNLocator):
    """Integer year ticks sized to the axis at draw time: as many as fit without their labels touching.

    A :class:`~matplotlib.ticker.MaxNLocator` (integer steps 1, 2, 5, 10) whose number of bins is recomputed
    from the axis length each time the figure is drawn, so a panel made narrower by a figure legend, or a
    single-column figure, gets every other (or every fifth) year instead of colliding labels.
    """

    #: Room one x tick needs, in multiples of the tick label font size ("2019" ≈ 2.5 em plus a gap).
    X_EM = 3.6
    #: Room one y tick needs (label height plus a gap).
    Y_EM = 2.0

    def __init__(self, span: int):
        super().__init__(nbins=max(span, 1), integer=True, steps=[1, 2, 5, 10], min_n_ticks=min(span + 1, 2))

    def __call__(self):
        self.set_params(nbins=self.fitting_bins())
        return super().__call__()

    def fitting_bins(self) -> int:
        """How many tick intervals fit on the axis now (at least 1; integer steps keep it to one per year)."""
        axis = self.axis
        if axis is None:
            return self._nbins
        ticks = axis.get_major_ticks(1)
        size = ticks[0].label1.get_fontsize() if ticks else 9.0
        box = axis.axes.get_position(original=False)
        fig_w, fig_h = axis.axes.figure.get_size_inches()
        is_x = axis.axis_name == "x"
        length_pt = 72.0 * (box.width * fig_w if is_x else box.height * fig_h)
        per_tick = size * (self.X_EM if is_x else self.Y_EM)
        return int(max(1, length_pt // per_tick))


def year_ticks(axis, years) -> None:
    """Integer year ticks on an x or y axis, as many as fit the axis when drawn, labelled without separators."""
    values = [int(round(v)) for v in years]
    if not values:
        return
    axis.set_major_locator(YearLocator(max(values) - min(values)))
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{int(round(v))}"))


def legend_right(ax, **kwargs):
    """A legend outside the Axes on the right (constrained layout makes room; never under a title)."""
    kwargs.setdefault("loc", "upper left")
    kwargs.setdefault("bbox_to_anchor", (1.01, 1.0))
    kwargs.setdefault("borderaxespad", 0.0)
    return ax.legend(**kwargs)
