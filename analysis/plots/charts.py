"""Bar-type figures: keyness, heatmap, 100% stacked shares, grouped bars, before/after dumbbells.

Each function takes a tidy DataFrame, draws on ``ax`` (a new constrained-layout figure when None), returns the
Axes, and neither shows nor saves (``save_figure`` writes).
"""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from matplotlib import ticker

from ..errors import ParameterError
from ._base import legend_right, levels, max_label_width, new_axes, require_columns
from .labels import column_label, label, wrap_label
from .style import OKABE_ITO, PALETTE, category_styles, text_color_on, themed

#: Keyness colours: target (over-used) dark blue, reference (under-used) orange — distinct in greyscale too.
OVER_COLOR = OKABE_ITO["blue"]
UNDER_COLOR = OKABE_ITO["orange"]


def _names(value, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, np.ndarray, pd.Index, pd.Series)):
        return ("、" if lang == "zh" else ", ").join(label(v, "auto", lang) for v in value)
    return label(value, "auto", lang)


def _fit_width(n_slots: int, ax, share: float = 0.8) -> int:
    """Label width (display columns, a Chinese character = 2) that fits one of ``n_slots`` along the x axis."""
    fig_w_cm = ax.figure.get_figwidth() * 2.54 * ax.get_position().width
    col_cm = 0.15  # one display column (half a Chinese character) of an 8 pt label, with a little air
    return max(4, int(fig_w_cm * share / max(n_slots, 1) / col_cm))


def _set_hatch(patch, hatch: str, fill) -> None:
    if not hatch:
        return
    patch.set_hatch(hatch)
    if hasattr(patch, "set_hatchcolor"):  # matplotlib >= 3.10: hatch contrasting with the fill, edges stay white
        patch.set_hatchcolor(text_color_on(fill))


@themed
def plot_keyness(data: pd.DataFrame, *, ax=None, top: int = 20, value: str | None = None, lang: str = "zh"):
    """Diverging horizontal bars of the most over- and under-used terms (quanteda's ``textplot_keyness``).

    Parameters
    ----------
    data
        One row per term: ``term`` and a signed keyness score, ``score`` (as ``terms.keyness`` returns) or else
        ``g2`` (positive = over-used in the target). With a ``direction`` column ("over"/"under") the sign comes
        from it, so an unsigned ``g2`` works too. ``data.attrs``: ``measure`` (axis label, default "g2"),
        ``target`` and ``reference`` (legend; None = all other documents).
    top
        Terms shown on each side.
    value
        Column to plot instead of ``score`` / ``g2``.
    lang
        "zh" or "en" for axis and legend text (terms are shown as they are).

    Returns
    -------
    Axes
    """
    col = value or ("score" if "score" in data.columns else "g2")
    require_columns(data, ["term", col], "plot_keyness")
    if top < 1:
        raise ParameterError("top", top, reason="must be at least 1")
    scores = pd.to_numeric(data[col], errors="coerce").astype(float)
    if "direction" in data.columns:
        scores = scores.abs() * np.where(data["direction"].astype(str) == "under", -1.0, 1.0)
    table = pd.DataFrame({"term": data["term"].astype(str).to_numpy(), "v": scores.to_numpy(),
                          "a": data["target_count"].to_numpy() if "target_count" in data.columns else np.nan,
                          "b": data["reference_count"].to_numpy() if "reference_count" in data.columns else np.nan,
                          }).dropna(subset=["v"])
    over = table[table["v"] > 0].sort_values(["v", "term"], ascending=[False, True], kind="stable").head(top)
    under = table[table["v"] < 0].sort_values(["v", "term"], ascending=[True, True], kind="stable").head(top)
    shown = pd.concat([over, under.iloc[::-1]], ignore_index=True)
    n = len(shown)
    ax = new_axes(ax, width="column" if n <= 12 else "full", height=max(6.0, 0.42 * n + 2.5))
    y = np.arange(n)
    colors = [OVER_COLOR if v > 0 else UNDER_COLOR for v in shown["v"]]
    ax.barh(y, shown["v"], color=colors, height=0.72, edgecolor="none")
    ax.axvline(0, color="0.2", linewidth=0.6)
    if shown["a"].notna().all() and n:  # the counts behind each bar (target / reference), as quanteda shows them
        for yi, row in zip(y, shown.itertuples(index=False)):
            ax.annotate(f"{int(row.a)}/{int(row.b)}", (row.v, yi), xytext=(3 if row.v > 0 else -3, 0),
                        textcoords="offset points", ha="left" if row.v > 0 else "right", va="center", fontsize=6.5,
                        color="0.3")
        lo, hi = ax.get_xlim()
        pad = 0.18 * (hi - lo)
        ax.set_xlim(lo - (pad if len(under) else 0), hi + pad)
    ax.set_yticks(y, shown["term"])
    ax.set_ylim(n - 0.4, -0.6)  # most over-used at the top, most under-used at the bottom
    ax.tick_params(axis="y", length=0)
    measure = data.attrs.get("measure", col if col != "score" else "g2")
    ax.set_xlabel(column_label(measure, lang))
    target_value = data.attrs.get("target")
    if target_value is None:  # a per-group table filtered to one group: its group is the target
        for key in ("place", "city", "group", data.attrs.get("by") or "group"):
            if key in data.columns and data[key].nunique(dropna=True) == 1:
                target_value = data[key].dropna().iloc[0]
                break
    target = _names(target_value, lang)
    reference = _names(data.attrs.get("reference"), lang)
    if lang == "zh":
        over_label = f"{target}多用" if target else "目标组多用"
        under_label = f"{reference}多用" if reference else ("其余文档多用" if target else "参照组多用")
    else:
        over_label = f"More in {target}" if target else "Over-used in target"
        under_label = f"More in {reference}" if reference else ("More in the rest" if target else "Over-used in reference")
    from matplotlib.patches import Patch

    handles = ([Patch(color=OVER_COLOR, label=over_label)] if len(over) else []) + \
        ([Patch(color=UNDER_COLOR, label=under_label)] if len(under) else [])
    # Lower right is always free: the bottom rows hold the under-used terms (bars to the left) or the shortest bars.
    ax.legend(handles=handles, loc="lower right")
    ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=6))
    return ax


@themed
def plot_heatmap(data: pd.DataFrame, *, x: str, y: str, value: str, ax=None, fmt: str = ".0%", lang: str = "zh",
                 cbar: bool = True, highlight=None):
    """Annotated heatmap of a value over two categories (e.g. theme share per city), sequential cividis.

    Parameters
    ----------
    data
        One row per (x, y) cell with the columns named by ``x``, ``y`` and ``value``. Category order: a
        Categorical's order, else first appearance. Missing cells stay blank.
    x, y, value
        Column names; city names and theme/instrument codes are labelled via the gazetteer and taxonomies.
    fmt
        Format of the cell annotations and colour-bar ticks (".0%" for shares, ".1f", "d", …).
    lang
        "zh" or "en".
    cbar
        Draw a colour bar.
    highlight
        A ``y`` (row) or ``x`` (column) value to outline, e.g. the city of a city profile.

    Returns
    -------
    Axes
    """
    import seaborn as sns

    require_columns(data, [x, y, value], "plot_heatmap")
    if data.duplicated([x, y]).any():
        raise ParameterError("data", f"{x} × {y}", reason="has more than one row for some cells; aggregate first")
    xs, ys = levels(data[x]), levels(data[y])
    table = (data.pivot(index=y, columns=x, values=value).reindex(index=ys, columns=xs)
             .apply(pd.to_numeric, errors="coerce").astype(float))
    own_figure = ax is None
    ax = new_axes(ax, height=max(6.0, 0.8 * len(ys) + 3.5))
    try:
        format(0.5, fmt)
    except ValueError:
        raise ParameterError("fmt", fmt, reason="not a format spec for numbers") from None
    xw = _fit_width(len(xs), ax, share=0.75)
    xlabels = [wrap_label(label(v, "auto", lang), xw) for v in xs]
    ylabels = [wrap_label(label(v, "auto", lang), 24) for v in ys]
    cbar_kws = {"format": ticker.FuncFormatter(lambda v, _: format(v, fmt)), "label": column_label(value, lang),
                "shrink": 0.9}
    sns.heatmap(table, ax=ax, cmap="cividis", annot=_annotations(table, fmt), fmt="", linewidths=0.6,
                linecolor="white", cbar=cbar,
                cbar_kws=cbar_kws if cbar else None, xticklabels=xlabels, yticklabels=ylabels,
                annot_kws={"fontsize": 7})
    if max(len(t.split("\n")) for t in xlabels) > 4:  # too long to stack: slant, one line each (wrapped
        # slanted labels interleave with their neighbours' second lines), steep enough that lines do not touch
        ax.set_xticks(ax.get_xticks(), [label(v, "auto", lang) for v in xs], rotation=45,
                      ha="right", rotation_mode="anchor")
        if own_figure:  # the slanted labels get their own height; the rows keep theirs
            size = ax.xaxis.get_major_ticks()[0].label1.get_fontsize()
            drop_in = 0.55 * size * max_label_width(t.get_text() for t in ax.get_xticklabels()) * 0.71 / 72
            ax.figure.set_figheight(ax.figure.get_figheight() + max(0.0, drop_in - 1.0))
    else:
        ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="x", length=0)
    ax.tick_params(axis="y", rotation=0, length=0)
    ax.set_xlabel(column_label(x, lang))
    ax.set_ylabel(wrap_label(column_label(y, lang), 4 * len(ys) + 8))  # no longer than the rows it names
    if highlight is not None:
        from matplotlib.patches import Rectangle

        if highlight in ys:
            box = Rectangle((0, ys.index(highlight)), len(xs), 1)
        elif highlight in xs:
            box = Rectangle((xs.index(highlight), 0), 1, len(ys))
        else:
            raise ParameterError("highlight", highlight, [*ys, *xs], reason=f"not a value of {y} or {x}")
        box.set(fill=False, edgecolor=OKABE_ITO["vermillion"], linewidth=2.0, clip_on=False, zorder=5)
        ax.add_patch(box)
        for tick, text in zip(ax.get_yticklabels() if highlight in ys else ax.get_xticklabels(),
                              ys if highlight in ys else xs):
            if text == highlight:
                tick.set_color(OKABE_ITO["vermillion"])
    return ax


def _annotations(table: pd.DataFrame, fmt: str) -> np.ndarray:
    """Cell texts with one convention: a true zero is "0", a value that rounds to zero "<" the smallest step."""
    step = {".0%": 0.005, ".1%": 0.0005, ".0f": 0.5, "d": 0.5, ".1f": 0.05, ".2f": 0.005}.get(fmt)
    smallest = {".0%": "<1%", ".1%": "<0.1%", ".0f": "<1", "d": "<1", ".1f": "<0.1", ".2f": "<0.01"}.get(fmt)

    def one(v: float) -> str:
        if not np.isfinite(v):
            return ""
        if v == 0:
            return "0"
        if step is not None and abs(v) < step:
            return smallest
        return format(v, fmt)
    return np.vectorize(one, otypes=[object])(table.to_numpy(dtype=float))


@themed
def plot_stacked_shares(data: pd.DataFrame, *, group: str, category: str, value: str, ax=None, lang: str = "zh",
                        normalize: bool = True, min_label: float = 0.06):
    """Horizontal 100% stacked bars: the share of each category within each group (e.g. instrument types per city).

    Parameters
    ----------
    data
        Rows with the columns named by ``group``, ``category`` and ``value`` (counts or shares; summed per group and
        category, then normalised to 1 per group). Order: a Categorical's order, else first appearance.
    group, category, value
        Column names.
    lang
        "zh" or "en".
    normalize
        False: stack the summed values themselves (e.g. characters per part of each document), not shares.
    min_label
        Segments at least this share of the axis wide get a label (percentage, or the value when not normalised).

    Returns
    -------
    Axes
    """
    require_columns(data, [group, category, value], "plot_stacked_shares")
    gl, cl = levels(data[group]), levels(data[category])
    sums = (data.assign(_v=pd.to_numeric(data[value], errors="coerce")).groupby([group, category], sort=False,
                                                                                 observed=True)["_v"].sum())
    table = sums.unstack(category).reindex(index=gl, columns=cl).fillna(0.0)
    totals = table.sum(axis=1)
    shares = table.div(totals.where(totals > 0), axis=0).fillna(0.0) if normalize else table
    scale = 1.0 if normalize else float(totals.max() or 1.0)
    integral = not normalize and bool(np.allclose(table.to_numpy(), np.round(table.to_numpy())))
    value_fmt = ".0%" if normalize else (",.0f" if integral else ",.3g")
    ax = new_axes(ax, height=max(5.0, 0.9 * len(gl) + 3.0))
    styles = category_styles(cl)
    for cat in cl:  # unclassified sentences in grey, never a colour of their own
        if str(cat) in ("none", "unknown", "other"):
            styles[cat].update(color="#BDBDBD", hatch="")
    ypos = np.arange(len(gl))
    left = np.zeros(len(gl))
    for cat in cl:
        widths = shares[cat].to_numpy()
        st = styles[cat]
        bars = ax.barh(ypos, widths, left=left, height=0.68, color=st["color"], edgecolor="white", linewidth=0.6,
                       label=label(cat, "auto", lang))
        for patch in bars:
            _set_hatch(patch, st["hatch"], st["color"])
        for yi, (l0, w) in enumerate(zip(left, widths)):
            if w >= min_label * scale:
                ax.text(l0 + w / 2, yi, format(w, value_fmt), ha="center", va="center", fontsize=7,
                        color=text_color_on(st["color"]),
                        bbox={"boxstyle": "square,pad=0.25", "facecolor": st["color"], "edgecolor": "none"})
        left = left + widths
    ax.set_yticks(ypos, [wrap_label(label(g, "auto", lang), 20) for g in gl])
    ax.set_ylim(len(gl) - 0.5, -0.5)
    if normalize:
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(column_label("share", lang))
    else:
        ax.set_xlim(0, scale * 1.02)
        if integral:
            ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
        ax.set_xlabel(column_label(value, lang))
    ax.set_ylabel("")
    ax.tick_params(axis="y", length=0)
    legend_right(ax, title=column_label(category, lang), handlelength=1.6, handleheight=1.1)
    return ax


@themed
def plot_bars(data: pd.DataFrame, *, x: str, y: str, hue: str | None = None, ax=None, lang: str = "zh",
              orient: Literal["auto", "v", "h"] = "auto"):
    """Grouped bars of a value per category (and per ``hue`` level), e.g. document lengths or sections per part.

    Parameters
    ----------
    data
        Rows with the columns named by ``x`` (categories), ``y`` (numbers; summed when a category repeats) and
        optionally ``hue``. Order: a Categorical's order, else first appearance.
    x, y, hue
        Column names.
    lang
        "zh" or "en".
    orient
        "v" vertical bars, "h" horizontal, "auto": horizontal when category labels are long or many.

    Returns
    -------
    Axes
    """
    require_columns(data, [x, y] + ([hue] if hue else []), "plot_bars")
    if orient not in ("auto", "v", "h"):
        raise ParameterError("orient", orient, ("auto", "v", "h"))
    xl = levels(data[x])
    hl = levels(data[hue]) if hue else [None]
    keys = [x, hue] if hue else [x]
    sums = data.assign(_v=pd.to_numeric(data[y], errors="coerce")).groupby(keys, sort=False, observed=True)["_v"].sum()
    names = [label(v, "auto", lang) for v in xl]
    if orient == "auto":
        orient = "h" if (max_label_width(names) > 12 or len(xl) * len(hl) > 24) else "v"
    if orient == "h":
        ax = new_axes(ax, height=max(5.0, 0.5 * len(xl) * max(1, len(hl)) ** 0.5 + 3.0))
    else:
        ax = new_axes(ax)
    styles = category_styles(hl)
    pos = np.arange(len(xl))
    width = 0.8 / len(hl)
    for i, level in enumerate(hl):
        if hue:
            vals = np.array([sums.get((v, level), np.nan) for v in xl], dtype=float)
        else:
            vals = np.array([sums.get(v, np.nan) for v in xl], dtype=float)
        offs = pos - 0.4 + width * (i + 0.5)
        st = styles[level] if hue else {"color": PALETTE[0], "hatch": ""}
        kw = {"color": st["color"], "edgecolor": "white", "linewidth": 0.5,
              "label": label(level, "auto", lang) if hue else None}
        bars = ax.barh(offs, vals, height=width, **kw) if orient == "h" else ax.bar(offs, vals, width=width, **kw)
        for patch in bars:
            _set_hatch(patch, st["hatch"], st["color"])
    if orient == "h":
        ax.set_yticks(pos, [wrap_label(n, 28) for n in names])
        ax.set_ylim(len(xl) - 0.5, -0.5)
        ax.set_xlabel(column_label(y, lang))
        ax.set_ylabel(column_label(x, lang))
        ax.tick_params(axis="y", length=0)
        ax.xaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}") if _integral(sums) else
                                     ticker.ScalarFormatter())
    else:
        ax.set_xticks(pos, [wrap_label(n, _fit_width(len(xl), ax)) for n in names])
        ax.set_xlabel(column_label(x, lang))
        ax.set_ylabel(column_label(y, lang))
        ax.tick_params(axis="x", length=0)
        if _integral(sums):
            ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    if hue:
        legend_right(ax, title=column_label(hue, lang), handlelength=1.6, handleheight=1.1)
    return ax


def _integral(values: pd.Series) -> bool:
    v = values.dropna().to_numpy(dtype=float)
    return bool(len(v)) and bool(np.all(np.abs(v) >= 1) and np.allclose(v, np.round(v)))


def _shift_xlabel(normalize, lang: str) -> str:
    if normalize == "labels":
        return "占该部分全部主题标签的比例" if lang == "zh" else "Share of the part's theme labels"
    if normalize == "sentences":
        return "占该部分句子的比例" if lang == "zh" else "Share of the part's sentences"
    return column_label("share", lang)


@themed
def plot_shift(data: pd.DataFrame, *, ax=None, lang: str = "zh", group: str | None = None, colors=None,
               sort: Literal["change", "after", "none"] = "change"):
    """Dumbbell chart of a share before and after: draws the table :func:`analysis.themes.theme_shift` returns.

    Parameters
    ----------
    data
        One row per item (and group): ``label`` (a theme label, code or any text), ``before_share``,
        ``after_share``. ``data.attrs``: ``parts`` (the before/after part names, shown in the legend) and
        ``normalize`` (stated on the axis).
    group
        A column (e.g. ``place``) with one dumbbell per value and item, offset and coloured per value.
    colors
        Mapping group value -> colour (e.g. :func:`place_colors`); default the palette in order.
    lang
        "zh" or "en".
    sort
        "change": largest increase (of the first group) at the top; "after": largest after-value; "none".

    Returns
    -------
    Axes
    """
    require_columns(data, ["label", "before_share", "after_share"] + ([group] if group else []), "plot_shift")
    if sort not in ("change", "after", "none"):
        raise ParameterError("sort", sort, ("change", "after", "none"))
    df = pd.DataFrame({"label": data["label"].to_numpy(), "g": data[group].to_numpy() if group else "all",
                       "before": pd.to_numeric(data["before_share"], errors="coerce").to_numpy(dtype=float),
                       "after": pd.to_numeric(data["after_share"], errors="coerce").to_numpy(dtype=float)})
    groups = levels(df["g"])
    mean = df.groupby("label", sort=False)[["before", "after"]].mean()
    if sort == "change":
        items = (mean["after"] - mean["before"]).sort_values(ascending=False, kind="stable").index.tolist()
    elif sort == "after":
        items = mean["after"].sort_values(ascending=False, kind="stable").index.tolist()
    else:
        items = list(mean.index)
    n, k = len(items), len(groups)
    ax = new_axes(ax, height=max(5.0, (0.45 + 0.22 * (k - 1)) * n + 2.5))
    from .style import place_colors

    cmap = dict(colors) if colors is not None else place_colors(groups)
    step = 0.7 / k if k > 1 else 0.0
    for gi, g in enumerate(groups):
        d = df[df["g"] == g].set_index("label").reindex(items)
        ypos = np.arange(n) + (gi - (k - 1) / 2) * step
        color = cmap.get(g, "0.3") if group else "0.25"
        for yi, b, a in zip(ypos, d["before"], d["after"]):
            if np.isfinite(a) and np.isfinite(b):
                ax.plot([b, a], [yi, yi], color=color, linewidth=1.2, zorder=2)
        ax.scatter(d["before"], ypos, s=22, facecolor="white", edgecolor=color, linewidth=1.0, zorder=3)
        ax.scatter(d["after"], ypos, s=22, facecolor=color, edgecolor=color, linewidth=1.0, zorder=3,
                   label=label(g, "auto", lang) if group else None)
    parts = data.attrs.get("parts") or ("summary", "plan")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="none", marker="o", markerfacecolor="white", markeredgecolor="0.25",
                      label=column_label(parts[0], lang)),
               Line2D([], [], linestyle="none", marker="o", markerfacecolor="0.25", markeredgecolor="0.25",
                      label=column_label(parts[1], lang))]
    if group:
        handles += [Line2D([], [], color=cmap.get(g, "0.3"), linewidth=1.5, label=label(g, "auto", lang))
                    for g in groups]
    ax.set_yticks(np.arange(n), [wrap_label(label(v, "auto", lang), 24) for v in items])
    ax.set_ylim(n - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", color="0.92", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(_shift_xlabel(data.attrs.get("normalize"), lang))
    values = df[["before", "after"]].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if len(values):
        span = (values.max() - values.min()) or 0.1
        ax.set_xlim(max(0.0, values.min() - 0.08 * span), values.max() + 0.08 * span)
    legend_right(ax, handles=handles)
    return ax
