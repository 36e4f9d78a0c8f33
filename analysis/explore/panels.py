"""Chart pieces the explorers share: the colours, the hint shown before a click, the evidence list, the sentence panel.

An evidence list is one row per sentence (a header line: document · part · section; a text line), filtered by a
click selection in another view; clicking a row shows its whole sentence, wrapped, in the sentence panel.
"""
from __future__ import annotations

import altair as alt

from .page import CJK_FONTS

GREY = "#8a8a8a"
FONT = CJK_FONTS.replace('"', "'")
ROW = 38


def config(chart):
    """The explorers' common look: CJK fonts in every text, no view border."""
    return (chart.configure(font=FONT)
            .configure_view(strokeWidth=0)
            .configure_axis(labelFont=FONT, titleFont=FONT)
            .configure_legend(labelFont=FONT, titleFont=FONT))


def hint(text: str, selection: str, *, width: int):
    """A line of grey text shown while ``selection`` (a point-selection name) is empty."""
    return (alt.Chart(alt.Data(values=[{"hint": text}]))
            .transform_filter(f"!length(data('{selection}_store'))")
            .mark_text(align="left", baseline="top", color=GREY, fontSize=13)
            .encode(x=alt.value(0), y=alt.value(4), text="hint:N")
            .properties(width=width, height=20))


def evidence_list(data, *, filters: list, lookup=None, header: str, body: str, sort: str, rows: int, width: int,
                  pick, tooltip: list, body_x=None, extra_layers=()):
    """A list of sentences filtered by ``filters``: header (grey) and body text per row; ``pick`` selects a row.

    ``header`` and ``body`` are Vega expressions over the row; ``sort`` the field giving the row order;
    ``lookup`` an optional ``transform_lookup`` (lookup field, LookupData) adding sentence columns.
    """
    base = alt.Chart(data)
    for f in filters:
        base = base.transform_filter(f)
    if lookup is not None:
        base = base.transform_lookup(lookup=lookup[0], from_=lookup[1])
    base = (base.transform_window(row="row_number()", sort=[alt.SortField(sort)])
            .transform_filter(f"datum.row <= {int(rows)}")
            .transform_calculate(head=header, body=body))
    y = alt.Y("row:O", axis=None)
    hit = base.mark_rect(color="#f1f6fb", opacity=0.01).encode(
        y=y, x=alt.value(0), x2=alt.value(width),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.01)), tooltip=tooltip).add_params(pick)
    head = base.mark_text(align="left", baseline="middle", dy=-9, fontSize=11, color=GREY, limit=width).encode(
        y=y, x=alt.value(2), text="head:N", tooltip=tooltip)
    layers = [hit, head, *extra_layers]
    if body_x is None:
        layers.append(base.mark_text(align="left", baseline="middle", dy=8, fontSize=13, limit=width).encode(
            y=y, x=alt.value(2), text="body:N", tooltip=tooltip))
    else:
        layers += body_x(base, y)
    return alt.layer(*layers).properties(width=width, height=alt.Step(ROW))


def sentence_panel(data, *, filters: list, lookup=None, header: str, text_field: str, width: int, height: int = 150):
    """The whole sentence of the clicked row (pre-wrapped with newlines), under a header line."""
    base = alt.Chart(data)
    for f in filters:
        base = base.transform_filter(f)
    if lookup is not None:
        base = base.transform_lookup(lookup=lookup[0], from_=lookup[1])
    base = base.transform_calculate(head=header)
    head = base.mark_text(align="left", baseline="top", fontSize=11, color=GREY, limit=width).encode(
        x=alt.value(0), y=alt.value(0), text="head:N")
    body = base.mark_text(align="left", baseline="top", fontSize=14, lineBreak="\n", lineHeight=21).encode(
        x=alt.value(0), y=alt.value(18), text=f"{text_field}:N")
    return alt.layer(head, body).properties(width=width, height=height)
