"""The indicator trend explorer: every extracted value a point, clickable to its quote, document, section, kind.

Reads the build's ``metrics`` table (doc_id, unit_id, quote, kind, year, value, indicator …) and takes each
value's section from the units table; the place is ``place`` where the table has it, else ``city``.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import ParameterError
from .explorer import Explorer, place_column, records, sentence_table
from .panels import GREY, config, evidence_list, hint, sentence_panel

POINT_COLUMNS = ["point_id", "indicator", "label", "place", "year", "value", "unit", "kind", "qualifier", "quote",
                 "doc_id", "unit_id", "part", "section_path", "u"]
KIND_SHAPES = {"actual": "circle", "estimate": "square", "target": "triangle-up"}
PANEL_WIDTH = 600


def indicator_points(metrics: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """One row per extracted value with its place, section path and sentence key (``u``).

    Returns
    -------
    DataFrame
        point_id, indicator, label, place, year, value, unit, kind, qualifier, quote, doc_id, unit_id, part,
        section_path, u; ``attrs['sentences']`` is the :func:`sentence_table` the ``u`` keys refer to.
    """
    need = {"doc_id", "unit_id", "quote", "kind", "year", "value", "indicator"}
    missing = need - set(metrics.columns)
    if missing:
        raise ParameterError("metrics", "DataFrame", sorted(metrics.columns),
                             reason=f"missing column(s) {', '.join(sorted(missing))}")
    df = metrics.copy()
    df["place"] = df[place_column(df)].fillna("unknown").astype(str) if len(df) else pd.Series(dtype=str)
    for col, default in (("label", None), ("unit", ""), ("qualifier", "")):
        if col not in df:
            df[col] = df["indicator"] if default is None else default
    sentences = sentence_table(units, df["unit_id"])
    df = df.drop(columns=[c for c in ("part", "section_path") if c in df]).merge(
        sentences[["unit_id", "u", "part", "section_path"]], on="unit_id", how="left")
    df["point_id"] = range(len(df))
    df["year"] = pd.array(df["year"], dtype="Int64")
    out = df[POINT_COLUMNS].copy()
    out.attrs = {"sentences": sentences}
    return out


def indicator_explorer(metrics: pd.DataFrame, units: pd.DataFrame, *, indicators=None, width: int = 520,
                       height: int = 380) -> Explorer:
    """Build the indicator explorer: choose an indicator, click a point for its provenance.

    Parameters
    ----------
    metrics, units
        The build's metrics and units tables.
    indicators
        Indicator ids to offer (default: every indicator with a value, most values first).
    """
    points = indicator_points(metrics, units)
    if indicators is not None:
        points = points[points["indicator"].isin(list(indicators))]
    if points.empty:
        raise ParameterError("metrics", "DataFrame", reason="no indicator values to show")
    order = points["indicator"].value_counts(sort=True)
    ids = [i for i in (indicators or order.index) if i in order.index]
    labels = points.drop_duplicates("indicator").set_index("indicator")["label"]
    sentences = points.attrs["sentences"]
    datasets = {"values": records(points.drop(columns=["unit_id", "part", "section_path"])),
                "sentences": records(sentences.drop(columns=["unit_id"]))}
    chart = _chart(ids, [f"{labels[i]} ({i})" for i in ids], width, height)
    notes = [f"{len(points):,} values of {len(ids)} indicators from {points['doc_id'].nunique()} documents; every "
             "value is shown (nothing sampled). Shape: actual, estimate or target; hedged values (多, 超过, 近) keep "
             "their qualifier in the tooltip.",
             "Choose an indicator above; click a point for its quote, document, section and kind; the list below the "
             "chart gives every value of the indicator with its quote (click a row for its whole sentence)."]
    return Explorer("指标趋势 Indicator trends", chart, {"points": points, "sentences": sentences}, notes,
                    height=height + 620, datasets=datasets)


def _chart(ids, names, width, height):
    choice = alt.param(name="indicator", value=ids[0],
                       bind=alt.binding_select(options=ids, labels=names, name="指标 Indicator "))
    pick = alt.selection_point(name="point", fields=["point_id"], on="click", empty=False, clear="dblclick")
    row = alt.selection_point(name="row", fields=["point_id"], on="click", empty=False, clear=False)
    values, sents = alt.Data(name="values"), alt.Data(name="sentences")
    lookup = ("u", alt.LookupData(data=sents, key="u", fields=["doc_id", "part", "section_path", "sentence"]))
    base = alt.Chart(values).transform_filter("datum.indicator == indicator")
    x = alt.X("year:O", title="年份 year")
    y = alt.Y("value:Q", title="值 value", scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("place:N"), alt.Tooltip("year:O"), alt.Tooltip("value:Q"), alt.Tooltip("unit:N"),
               alt.Tooltip("kind:N"), alt.Tooltip("qualifier:N"), alt.Tooltip("quote:N"), alt.Tooltip("doc_id:N")]
    lines = base.transform_filter("datum.kind == 'actual'").mark_line(strokeWidth=1, opacity=0.5).encode(
        x=x, y=y, color=alt.Color("place:N", legend=None), detail="place:N")
    pts = base.mark_point(filled=True, opacity=0.85).encode(
        x=x, y=y, xOffset=alt.XOffset("kind:N", scale=alt.Scale(domain=list(KIND_SHAPES))),
        color=alt.Color("place:N", title="地区 place", legend=alt.Legend(orient="right")),
        shape=alt.Shape("kind:N", title="类型 kind", scale=alt.Scale(domain=list(KIND_SHAPES),
                                                                     range=list(KIND_SHAPES.values()))),
        size=alt.condition(pick, alt.value(260), alt.value(70)),
        stroke=alt.condition(pick, alt.value("#000000"), alt.value(None)),
        tooltip=tooltip,
        description=alt.Description("desc:N"),
    ).transform_calculate(desc="datum.place + ' ' + datum.year + ' ' + datum.value + datum.unit + ' ' + datum.kind"
                          ).add_params(pick).properties(name="trend")
    trend = alt.layer(lines, pts).properties(width=width, height=height)
    header = "datum.doc_id + ' · ' + datum.part + ' · ' + datum.section_path"
    detail = (alt.Chart(values).transform_filter(pick).transform_lookup(lookup=lookup[0], from_=lookup[1])
              .transform_calculate(head=header,
                                   what="datum.place + ' · ' + datum.year + ' · ' + datum.kind + ' · ' + datum.value"
                                        " + ' ' + datum.unit + (datum.qualifier && datum.qualifier != 'exact' ? "
                                        "' (' + datum.qualifier + ')' : '')", q="'“' + datum.quote + '”'"))
    prov = alt.layer(
        detail.mark_text(align="left", baseline="top", fontSize=15, fontWeight="bold").encode(
            x=alt.value(0), y=alt.value(0), text="what:N"),
        detail.mark_text(align="left", baseline="top", fontSize=14, color="#c0392b", limit=PANEL_WIDTH).encode(
            x=alt.value(0), y=alt.value(24), text="q:N"),
        detail.mark_text(align="left", baseline="top", fontSize=11, color=GREY, limit=PANEL_WIDTH).encode(
            x=alt.value(0), y=alt.value(46), text="head:N"),
        detail.mark_text(align="left", baseline="top", fontSize=13, lineBreak="\n", lineHeight=20).encode(
            x=alt.value(0), y=alt.value(66), text="sentence:N"),
    ).properties(width=PANEL_WIDTH, height=height - 40)
    side = alt.vconcat(hint("点击一个点查看出处 Click a point for its quote", "point", width=PANEL_WIDTH), prov)
    listing = evidence_list(values, filters=["datum.indicator == indicator"], lookup=lookup, header=header,
                            body="datum.place + ' ' + datum.year + ' ' + datum.kind + ' ' + datum.value + datum.unit"
                                 " + ':“' + datum.quote + '”'",
                            sort="point_id", rows=10 ** 6, width=width + PANEL_WIDTH, pick=row,
                            tooltip=[alt.Tooltip("quote:N"), alt.Tooltip("doc_id:N"), alt.Tooltip("section_path:N")])
    panel = sentence_panel(values, filters=["datum.indicator == indicator", row], lookup=lookup, header=header,
                           text_field="sentence", width=width + PANEL_WIDTH, height=130)
    return config(alt.vconcat(alt.hconcat(trend, side, spacing=40), listing, panel, spacing=16)
                  .add_params(choice))
