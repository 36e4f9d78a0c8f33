"""Figures over years: indicator values with their kind and hedge, and the emergence of terms."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.lines import Line2D

from ..errors import ParameterError
from ._base import legend_right, levels, new_axes, require_columns, year_ticks
from .labels import column_label, label, wrap_label
from .style import OKABE_ITO, themed

KINDS = ("actual", "estimate", "target")
QUALIFIERS = ("exact", "lower_bound", "approx", "upper_bound")
#: The hedge drawn next to a point: 超过/7400多 -> ≥, 近/约 -> ≈, 不超过 -> ≤.
HEDGE_SYMBOLS = {"lower_bound": "≥", "approx": "≈", "upper_bound": "≤"}
_TARGET_LINESTYLE = (0, (1, 1.6))
_KIND_MARKERS = {"actual": ("o", True, 5.0), "estimate": ("o", False, 5.0), "target": ("*", True, 9.0)}


#: Within one year, the places' markers are spread over this width (years), so that none hides another.
DODGE = 0.5
#: Within one place and year, each kind is shifted a little more: an actual is never under an estimate.
_KIND_OFFSET = {"actual": -0.06, "estimate": 0.0, "target": 0.06}


def metric_points(data: pd.DataFrame, *, places=None) -> pd.DataFrame:
    """The points a trend chart draws: one row per value with its dodged x, partial and conflict flags.

    Parameters
    ----------
    data
        Metric rows: ``place`` (or ``city``), ``year``, ``value``, ``kind``; optional ``qualifier``, ``period``
        (a part of the year such as ``1-10月`` marks a partial value) and ``doc_id``.
    places
        The order of places for dodging (default: sorted).

    Returns
    -------
    DataFrame
        place, year, x (dodged), value, kind, qualifier, partial (bool), conflict (bool: another document gives
        another actual/estimate value for the same place and year).
    """
    group = "place" if "place" in data.columns else "city"
    require_columns(data, [group, "year", "value", "kind"], "metric_points")
    df = pd.DataFrame({"place": data[group].astype("object").where(data[group].notna(), "unknown").astype(str),
                       "year": pd.to_numeric(data["year"], errors="coerce"),
                       "value": pd.to_numeric(data["value"], errors="coerce"),
                       "kind": data["kind"].astype(str),
                       "qualifier": (data["qualifier"].fillna("exact").astype(str) if "qualifier" in data.columns
                                     else "exact"),
                       "partial": (data["period"].notna() & (data["period"].astype(str).str.strip() != "")
                                   if "period" in data.columns else False)}).dropna(subset=["year", "value"])
    order = list(places) if places is not None else sorted(df["place"].unique())
    order = [p for p in order if p in set(df["place"])] + sorted(set(df["place"]) - set(order))
    k = len(order)
    slot = {p: (i - (k - 1) / 2) * (DODGE / max(k, 1)) for i, p in enumerate(order)}
    df["x"] = df["year"] + df["place"].map(slot) + df["kind"].map(_KIND_OFFSET).fillna(0.0)
    seen = df[df["kind"] != "target"]
    spread = seen.groupby(["place", "year"])["value"].agg(lambda v: v.round(6).nunique())
    df["conflict"] = [(df_kind != "target") and spread.get((p, y), 1) > 1
                      for p, y, df_kind in zip(df["place"], df["year"], df["kind"])]
    return df.reset_index(drop=True)


@themed
def plot_metric_trend(data: pd.DataFrame, *, ax=None, lang: str = "zh", colors=None, legend: bool = True):
    """One indicator per place over years; marker = kind, symbol = hedge; dodged, partial and conflicts marked.

    Parameters
    ----------
    data
        Metric rows of one indicator (see :func:`metric_points`), optional ``indicator`` and ``unit`` (the
        axis label says the unit, translated for ``lang="en"``). Markers: filled circle = actual, open circle =
        estimate, star = target (distinct in greyscale); a grey ring = part of a year only (``period``); a
        red "!" = documents disagree. Values of one year are spread sideways per place and kind.
    colors
        Mapping place -> colour (:func:`place_colors` of the whole corpus, so a place keeps its colour).
    lang
        "zh" or "en".

    Returns
    -------
    Axes
    """
    _check_kinds(data)
    if "indicator" in data.columns and data["indicator"].nunique(dropna=True) > 1:
        raise ParameterError("data", sorted(data["indicator"].dropna().astype(str).unique()),
                             reason="plot_metric_trend draws one indicator per Axes; filter the data first")
    from .style import place_colors

    pts = metric_points(data)
    places = levels(pts["place"].sort_values())
    cmap = dict(colors) if colors is not None else place_colors(places)
    ax = new_axes(ax)
    for place in places:
        _draw_place(ax, pts[pts["place"] == place], cmap.get(place, "0.3"))
    _axes_labels(ax, data, pts, lang)
    if legend:
        _legend(ax, pts, places, cmap, lang)
    return ax


def _check_kinds(data: pd.DataFrame) -> None:
    require_columns(data, ["year", "value", "kind"], "plot_metric_trend")
    bad = sorted(set(data["kind"].astype(str)) - set(KINDS))
    if bad:
        raise ParameterError("kind", bad[0], KINDS)
    if "qualifier" in data.columns:
        bad = sorted(set(data["qualifier"].fillna("exact").astype(str)) - set(QUALIFIERS))
        if bad:
            raise ParameterError("qualifier", bad[0], QUALIFIERS)


def _draw_place(ax, d: pd.DataFrame, color) -> None:
    seen = d[d["kind"] != "target"].groupby("year", as_index=False).agg(x=("x", "mean"), value=("value", "mean"))
    goals = d[d["kind"] == "target"].groupby("year", as_index=False).agg(x=("x", "mean"), value=("value", "mean"))
    if len(seen) > 1:
        ax.plot(seen["x"], seen["value"], color=color, linewidth=1.2, zorder=2)
    for goal in goals.itertuples(index=False):  # each target from the last value seen before its year, forward
        before = seen[seen["year"] < goal.year]
        if len(before):
            ax.plot([before["x"].iloc[-1], goal.x], [before["value"].iloc[-1], goal.value], color=color,
                    linestyle=_TARGET_LINESTYLE, linewidth=1.2, zorder=2)
    for kind, (marker, filled, size) in _KIND_MARKERS.items():
        k = d[d["kind"] == kind]
        if len(k):
            ax.plot(k["x"], k["value"], linestyle="none", marker=marker, markersize=size,
                    markerfacecolor=color if filled else "white", markeredgecolor=color, markeredgewidth=1.1,
                    zorder=3)
    part = d[d["partial"]]
    if len(part):
        ax.plot(part["x"], part["value"], linestyle="none", marker="o", markersize=10, markerfacecolor="none",
                markeredgecolor="0.45", markeredgewidth=0.8, zorder=4)
    for row in d.itertuples(index=False):
        symbol = HEDGE_SYMBOLS.get(row.qualifier)
        if symbol:
            ax.annotate(symbol, (row.x, row.value), xytext=(0, 5), textcoords="offset points", ha="center",
                        va="bottom", fontsize=8, color=color, zorder=4)
        if row.conflict:
            ax.annotate("!", (row.x, row.value), xytext=(5, -2), textcoords="offset points", ha="left",
                        va="center", fontsize=9, color=OKABE_ITO["vermillion"], zorder=5)


def _axes_labels(ax, data: pd.DataFrame, pts: pd.DataFrame, lang: str) -> None:
    from .labels import unit_label

    years = pts["year"]
    if len(years):
        ax.set_xlim(years.min() - 0.6, years.max() + 0.6)
        year_ticks(ax.xaxis, years)
    ax.margins(y=0.15)
    if len(pts) and pts["value"].min() >= 0:
        ax.set_ylim(bottom=0)
    if len(pts) and pts["value"].abs().max() >= 1000:
        ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel(column_label("year", lang))
    ylabel = column_label("value", lang)
    if "indicator" in data.columns and data["indicator"].notna().any():
        ylabel = label(data["indicator"].dropna().iloc[0], "theme", lang)
    if "unit" in data.columns and data["unit"].notna().any():
        unit = unit_label(str(data["unit"].dropna().iloc[0]), lang)
        ylabel += f"（{unit}）" if lang == "zh" else f" ({unit})"
    ax.set_ylabel(wrap_label(ylabel, 28 if lang == "zh" else 24))


def _legend(ax, pts: pd.DataFrame, places, cmap, lang: str) -> None:
    legend_right(ax, handles=_legend_handles(pts, places, cmap, lang))


def _legend_handles(pts: pd.DataFrame, places, cmap, lang: str) -> list:
    handles = [Line2D([], [], color=cmap.get(p, "0.3"), linewidth=1.3, label=label(p, "city", lang))
               for p in places]
    handles += [Line2D([], [], linestyle="none", marker=_KIND_MARKERS[k][0], markersize=_KIND_MARKERS[k][2],
                       markerfacecolor="0.2" if _KIND_MARKERS[k][1] else "white", markeredgecolor="0.2",
                       label=column_label(k, lang)) for k in KINDS if (pts["kind"] == k).any()]
    handles += [Line2D([], [], linestyle="none", marker=f"${HEDGE_SYMBOLS[q]}$", markersize=5, color="0.2",
                       label=column_label(q, lang)) for q in QUALIFIERS if q in HEDGE_SYMBOLS
                and (pts["qualifier"] == q).any()]
    if pts["partial"].any():
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=9, markerfacecolor="none",
                              markeredgecolor="0.45", label=column_label("partial", lang)))
    if pts["conflict"].any():
        handles.append(Line2D([], [], linestyle="none", marker="$!$", markersize=6,
                              color=OKABE_ITO["vermillion"], label=column_label("conflict", lang)))
    return handles


@themed
def plot_metric_trends(data: pd.DataFrame, *, indicators=None, colors=None, lang: str = "zh", ncols: int = 2):
    """Small multiples: one panel per indicator (its own unit and scale), places coloured alike in every panel.

    Parameters
    ----------
    data
        Metric rows (see :func:`plot_metric_trend`) with ``indicator``.
    indicators
        The indicators to draw, in order (default: every indicator present).
    colors
        Mapping place -> colour (default :func:`place_colors` of the places present).

    Returns
    -------
    Figure
    """
    import matplotlib.pyplot as plt

    from .style import figure_size, place_colors

    require_columns(data, ["indicator"], "plot_metric_trends")
    inds = [i for i in (indicators or levels(data["indicator"])) if (data["indicator"] == i).any()]
    if not inds:
        raise ParameterError("indicators", list(indicators or []), sorted(data["indicator"].dropna().unique()),
                             reason="none of them has a value in the data")
    group = "place" if "place" in data.columns else "city"
    cmap = dict(colors) if colors is not None else place_colors(data[group].dropna().unique())
    ncols = min(ncols, len(inds))
    nrows = -(-len(inds) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=figure_size("full", 6.5 * nrows + 1.5), layout="constrained",
                             squeeze=False)
    for ax, ind in zip(axes.flat, inds):
        plot_metric_trend(data[data["indicator"] == ind], ax=ax, lang=lang, colors=cmap, legend=False)
    for ax in list(axes.flat)[len(inds):]:
        ax.set_visible(False)
    pts = metric_points(data)
    places = levels(pts["place"].sort_values())
    # one figure-level legend on the right: attached to a panel, a long list of places would stretch its row
    handles = _legend_handles(pts, places, cmap, lang)
    fig.legend(handles=handles, loc="outside right upper", ncols=1 if len(handles) <= 24 else 2, frameon=False,
               columnspacing=0.8, handlelength=1.6)
    return fig


@themed
def plot_timeline(data: pd.DataFrame, *, ax=None, lang: str = "zh", top: int | None = None):
    """Term emergence: per term, a dot in the year it first appears and a line on to its last year.

    Parameters
    ----------
    data
        Rows of ``term`` and ``year`` (one per term and year it occurs in; only the first and later years
        matter), optional ``value`` (e.g. count or per10k in that year: sets the dot area). A table with
        ``first_year`` instead of ``year`` (one row per term, as ``terms.emergence`` returns) draws first years only.
        Terms are ordered by first year, then by total value (or number of years), then alphabetically.
    lang
        "zh" or "en".
    top
        Show at most this many terms (the earliest first).

    Returns
    -------
    Axes
    """
    if "year" not in data.columns and "first_year" in data.columns:  # an emergence table: one row per term
        data = data.rename(columns={"first_year": "year"})
    require_columns(data, ["term", "year"], "plot_timeline")
    df = pd.DataFrame({"term": data["term"].astype(str).to_numpy(),
                       "year": pd.to_numeric(data["year"], errors="coerce").to_numpy(dtype=float)})
    # year_trends returns per10k: drawn as it is, no renaming needed
    vcol = "value" if "value" in data.columns else ("per10k" if "per10k" in data.columns else None)
    has_value = vcol is not None
    df["value"] = pd.to_numeric(data[vcol], errors="coerce").to_numpy(dtype=float) if has_value else 1.0
    if "count" in data.columns:  # a zero-filled year_trends grid: only the years a term occurs in
        df = df[pd.to_numeric(data["count"], errors="coerce").to_numpy() > 0]
    df = df.dropna(subset=["year"])
    df = df.groupby(["term", "year"], as_index=False, sort=True)["value"].sum()
    summary = df.groupby("term").agg(first=("year", "min"), last=("year", "max"), total=("value", "sum"))
    summary = summary.reset_index().sort_values(["first", "total", "term"], ascending=[True, False, True],
                                                kind="stable")
    if top is not None:
        summary = summary.head(top)
    terms = summary["term"].tolist()
    ypos = {t: i for i, t in enumerate(terms)}
    ax = new_axes(ax, width="column" if len(terms) <= 12 else "full", height=max(5.0, 0.42 * len(terms) + 2.5))
    ax.hlines([ypos[t] for t in terms], summary["first"], summary["last"], color="0.55", linewidth=1.0, zorder=1)
    df = df[df["term"].isin(ypos)]
    vmax = df["value"].max() if has_value and len(df) else 1.0
    sizes = (18 + 100 * np.sqrt(df["value"].clip(lower=0) / vmax)) if has_value and vmax > 0 else \
        np.full(len(df), 30.0)
    first_year = df["term"].map(summary.set_index("term")["first"])
    is_first = (df["year"] == first_year).to_numpy()
    y = df["term"].map(ypos).to_numpy()
    color = OKABE_ITO["blue"]
    ax.scatter(df["year"][is_first], y[is_first], s=np.asarray(sizes)[is_first], color=color, zorder=3)
    ax.scatter(df["year"][~is_first], y[~is_first], s=np.asarray(sizes)[~is_first], facecolor="white",
               edgecolor=color, linewidth=1.0, zorder=3)
    ax.set_yticks(range(len(terms)), terms)
    ax.set_ylim(len(terms) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="0.92", linewidth=0.6)
    ax.set_axisbelow(True)
    if len(df):
        ax.set_xlim(df["year"].min() - 0.6, df["year"].max() + 0.6)
        year_ticks(ax.xaxis, df["year"])
    ax.set_xlabel(column_label("year", lang))
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=6, color=color,
                      label="首次出现" if lang == "zh" else "First appearance")]
    if (~is_first).any():
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=6, markerfacecolor="white",
                              markeredgecolor=color, label="再次出现" if lang == "zh" else "Later years"))
    legend_right(ax, handles=handles)
    return ax
