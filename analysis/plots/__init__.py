"""Figures: one style entry point (set_theme), the CJK font, save_figure, and one function per figure kind.

Plot functions look like seaborn's: ``plot_x(data, *, ax=None, ..., lang="zh") -> Axes``; they draw on the Axes
given (a new constrained-layout figure of journal size when None), return it, and never show or save.

Modules: fonts (locate/convert/register the CJK font), style (set_theme, palettes, sizes), labels (zh/en labels
from the gazetteer and taxonomies), save (save_figure, index.csv), charts (bar-type figures), trends (figures
over years), cloud (word clouds).
"""
from .charts import (
                    plot_bars,
                    plot_heatmap,
                    plot_keyness,
                    plot_shift,
                    plot_stacked_shares,
)
from .cloud import plot_wordcloud
from .fonts import bundled_font_path, cjk_font_path, register_font, to_truetype
from .labels import city_label, column_label, label, theme_label, unit_label, wrap_label
from .save import FORMATS, save_figure, update_index
from .style import (
                    COLUMN_WIDTH_CM,
                    FULL_WIDTH_CM,
                    HATCHES,
                    LINESTYLES,
                    MARKERS,
                    OKABE_ITO,
                    PALETTE,
                    SEQUENTIAL_CMAP,
                    category_styles,
                    current_style,
                    ensure_theme,
                    figure_size,
                    palette,
                    place_colors,
                    set_theme,
                    theme_rc,
)
from .trends import plot_metric_trend, plot_metric_trends, plot_timeline

__all__ = [
    "set_theme", "theme_rc", "ensure_theme", "current_style", "figure_size", "palette", "place_colors", "category_styles",
    "OKABE_ITO", "PALETTE", "HATCHES", "MARKERS", "LINESTYLES", "SEQUENTIAL_CMAP", "FULL_WIDTH_CM",
    "COLUMN_WIDTH_CM",
    "cjk_font_path", "bundled_font_path", "to_truetype", "register_font",
    "save_figure", "update_index", "FORMATS",
    "label", "city_label", "theme_label", "column_label", "wrap_label", "unit_label",
    "plot_keyness", "plot_heatmap", "plot_stacked_shares", "plot_bars", "plot_shift", "plot_metric_trend",
    "plot_timeline", "plot_wordcloud", "plot_metric_trends",
]
