"""Figures over years: indicator values with their kind and hedge, and the emergence of terms."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.lines import Line2D

from ..errors import ParameterError
from ._base import legend_right, levels, new_axes, require_columns, year_ticks
from .labels import column_label, label, wrap_label
from .style import OKABE_ITO, category_styles, ensure_theme

KINDS = ("actual", "estimate", "target")
QUALIFIERS = ("exact", "lower_bound", "approx", "upper_bound")
#: The hedge drawn next to a point: 超过/7400多 -> ≥, 近/约 -> ≈, 不超过 -> ≤.
HEDGE_SYMBOLS = {"lower_bound": "≥", "approx": "≈", "upper_bound": "≤"}
#: City line styles: none of them dotted, which is reserved for the connector to targets.
_CITY_LINESTYLES = ("-", "--", "-.", (0, (6, 2)), (0, (3, 1, 1, 1, 1, 1)), (0, (8, 2, 2, 2)), (0, (4, 1)),
                    (0, (2, 1, 6, 1)))
_TARGET_LINESTYLE = (0, (1, 1.6))
_KIND_MARKERS = {"actual": ("o", True, 5.0), "estimate": ("o", False, 5.0), "target": ("*", True, 9.0)}


def plot_metric_trend(data: pd.DataFrame, *, ax=None, lang: str = "zh"):
    """Lines of one indicator per city over years; the marker says actual/estimate/target, a symbol the hedge.

    Parameters
    ----------
    data
        One row per value: ``city``, ``year`` (int), ``value`` (float), ``kind`` (actual | estimate | target),
        optional ``qualifier`` (exact | lower_bound | approx | upper_bound; default exact), optional ``indicator``
        (one per Axes: an id or label of indicators.yaml is translated, other text shown as is) and ``unit``
        (shown in the axis label).
        Actual and estimated values are joined by a line per city (its dash pattern varies by city too, for
        greyscale; through the mean where one year has several values), targets by a dotted line from the last
        observed value. Markers: filled circle = actual, open
        circle = estimate, star = target. Hedged values carry ≥ (lower bound), ≈ (approximate) or ≤ (upper bound).
    lang
        "zh" or "en".

    Returns
    -------
    Axes
    """
    ensure_theme()
    require_columns(data, ["city", "year", "value", "kind"], "plot_metric_trend")
    bad = sorted(set(data["kind"].astype(str)) - set(KINDS))
    if bad:
        raise ParameterError("kind", bad[0], KINDS)
    qualifier = data["qualifier"].fillna("exact").astype(str) if "qualifier" in data.columns else \
        pd.Series("exact", index=data.index)
    bad = sorted(set(qualifier) - set(QUALIFIERS))
    if bad:
        raise ParameterError("qualifier", bad[0], QUALIFIERS)
    if "indicator" in data.columns and data["indicator"].nunique(dropna=True) > 1:
        raise ParameterError("data", sorted(data["indicator"].dropna().astype(str).unique()),
                             reason="plot_metric_trend draws one indicator per Axes; filter the data first")
    df = pd.DataFrame({"city": data["city"].to_numpy(), "year": pd.to_numeric(data["year"]).to_numpy(dtype=float),
                       "value": pd.to_numeric(data["value"], errors="coerce").to_numpy(dtype=float),
                       "kind": data["kind"].astype(str).to_numpy(), "qualifier": qualifier.to_numpy()}).dropna(
        subset=["year", "value"])
    ax = new_axes(ax)
    cities = levels(df["city"])
    styles = category_styles(cities)
    for i, city in enumerate(cities):
        styles[city]["linestyle"] = _CITY_LINESTYLES[i % len(_CITY_LINESTYLES)]
    for city in cities:
        st = styles[city]
        d = df[df["city"] == city].sort_values(["year", "kind"], kind="stable")
        seen = d[d["kind"] != "target"]
        goals = d[d["kind"] == "target"]
        # Two documents may state different values for one year: the line runs through their mean, the
        # markers show every value.
        seen_path = seen.groupby("year", as_index=False)["value"].mean()
        goal_path = goals.groupby("year", as_index=False)["value"].mean()
        if len(seen_path):
            ax.plot(seen_path["year"], seen_path["value"], color=st["color"], linestyle=st["linestyle"],
                    linewidth=1.3, zorder=2)
        if len(goal_path):
            start = seen_path.iloc[[-1]] if len(seen_path) else goal_path.iloc[[0]]
            path = pd.concat([start, goal_path])
            ax.plot(path["year"], path["value"], color=st["color"], linestyle=_TARGET_LINESTYLE, linewidth=1.3,
                    zorder=2)
        for kind, (marker, filled, size) in _KIND_MARKERS.items():
            k = d[d["kind"] == kind]
            if len(k):
                ax.plot(k["year"], k["value"], linestyle="none", marker=marker, markersize=size,
                        markerfacecolor=st["color"] if filled else "white", markeredgecolor=st["color"],
                        markeredgewidth=1.1, zorder=3)
        for row in d.itertuples(index=False):
            symbol = HEDGE_SYMBOLS.get(row.qualifier)
            if symbol:
                ax.annotate(symbol, (row.year, row.value), xytext=(0, 6), textcoords="offset points", ha="center",
                            va="bottom", fontsize=9, color=st["color"], zorder=4)
    years = df["year"]
    if len(years):
        ax.set_xlim(years.min() - 0.5, years.max() + 0.5)
        year_ticks(ax.xaxis, years)
    ax.margins(y=0.12)
    if len(df) and df["value"].min() >= 0:
        ax.set_ylim(bottom=0)
    if len(df) and df["value"].abs().max() >= 1000:
        ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set_xlabel(column_label("year", lang))
    ylabel = column_label("value", lang)
    if "indicator" in data.columns and data["indicator"].notna().any():
        ylabel = label(data["indicator"].dropna().iloc[0], "theme", lang)
    if "unit" in data.columns and data["unit"].notna().any():
        unit = str(data["unit"].dropna().iloc[0])
        ylabel += f"（{unit}）" if lang == "zh" else f" ({unit})"
    ax.set_ylabel(wrap_label(ylabel, 30))
    city_handles = [Line2D([], [], color=styles[c]["color"], linestyle=styles[c]["linestyle"], linewidth=1.3,
                           label=label(c, "city", lang)) for c in cities]
    kinds_present = [k for k in KINDS if (df["kind"] == k).any()]
    kind_handles = [Line2D([], [], linestyle="none", marker=_KIND_MARKERS[k][0], markersize=_KIND_MARKERS[k][2],
                           markerfacecolor="0.2" if _KIND_MARKERS[k][1] else "white", markeredgecolor="0.2",
                           label=column_label(k, lang)) for k in kinds_present]
    hedge_handles = [Line2D([], [], linestyle="none", marker=f"${HEDGE_SYMBOLS[q]}$", markersize=5, color="0.2",
                            label=column_label(q, lang)) for q in QUALIFIERS if q in HEDGE_SYMBOLS
                     and (df["qualifier"] == q).any()]
    first = ax.legend(handles=city_handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                      title=column_label("city", lang), borderaxespad=0.0)
    if kind_handles or hedge_handles:
        ax.add_artist(first)
        ax.legend(handles=kind_handles + hedge_handles, loc="lower left", bbox_to_anchor=(1.01, 0.0),
                  title=column_label("kind", lang), borderaxespad=0.0)
    return ax


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
    ensure_theme()
    if "year" not in data.columns and "first_year" in data.columns:  # an emergence table: one row per term
        data = data.rename(columns={"first_year": "year"})
    require_columns(data, ["term", "year"], "plot_timeline")
    df = pd.DataFrame({"term": data["term"].astype(str).to_numpy(),
                       "year": pd.to_numeric(data["year"], errors="coerce").to_numpy(dtype=float)})
    has_value = "value" in data.columns
    df["value"] = pd.to_numeric(data["value"], errors="coerce").to_numpy(dtype=float) if has_value else 1.0
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
