"""The theme and instrument explorer: heatmaps of shares by group, each cell clickable to its coded sentences.

Shares come from :func:`analysis.themes.theme_shares` and :func:`analysis.themes.instrument_shares` (the same
tables as the static heatmaps); the evidence is the build's ``themes`` / ``instruments`` rows with their cues.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..errors import ParameterError
from ..themes import instrument_shares, theme_shares
from .explorer import Explorer, place_column, records, sentence_table
from .panels import config, evidence_list, hint, sentence_panel

CELL_COLUMNS = ["scheme", "group", "category", "label", "share", "sentences", "group_sentences"]
EVIDENCE_COLUMNS = ["scheme", "group", "category", "cues", "n_hits", "doc_id", "unit_id", "u", "order"]
WIDTH = 820


def code_cells(themes: pd.DataFrame, instruments: pd.DataFrame, units: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Theme and instrument sub-type shares per group, stacked: one row per heatmap cell.

    Returns
    -------
    DataFrame
        scheme (theme|instrument), group, category (theme or sub-type id), label, share, sentences,
        group_sentences.
    """
    th = theme_shares(themes, units, by=by).rename(columns={"theme": "category"}).assign(scheme="theme")
    ins = (instrument_shares(instruments, units, by=by, level="subtype").rename(columns={"subtype": "category"})
           .assign(scheme="instrument"))
    out = pd.concat([th[CELL_COLUMNS], ins[CELL_COLUMNS]], ignore_index=True)
    out["group"] = out["group"].astype(str)
    return out


def code_evidence(themes: pd.DataFrame, instruments: pd.DataFrame, units: pd.DataFrame, *, by: str,
                  per_cell: int = 15) -> pd.DataFrame:
    """The coded sentences behind each cell, with the cues that matched: up to ``per_cell`` per cell.

    Sentences with the most cue hits come first, then in document order. ``attrs['sentences']`` is the
    :func:`sentence_table` the ``u`` keys refer to.
    """
    if by not in units.columns:
        raise ParameterError("by", by, sorted(units.columns), reason="not a column of the units table")
    groups = units.set_index("unit_id")[by].astype("string").fillna("NA")
    frames = []
    for scheme, coded, key in (("theme", themes, "theme"), ("instrument", instruments, "subtype")):
        df = coded[["doc_id", "unit_id", key, "cues", "n_hits", "start"]].rename(columns={key: "category"})
        frames.append(df.assign(scheme=scheme, group=df["unit_id"].map(groups).astype(str)))
    ev = pd.concat(frames, ignore_index=True).sort_values(["scheme", "group", "category", "n_hits", "doc_id", "start"],
                                                          ascending=[True, True, True, False, True, True],
                                                          kind="stable")
    ev["order"] = ev.groupby(["scheme", "group", "category"], sort=False).cumcount()
    ev = ev[ev["order"] < per_cell]
    sentences = sentence_table(units, ev["unit_id"])
    ev = ev.merge(sentences[["unit_id", "u"]], on="unit_id", how="left")
    out = ev[EVIDENCE_COLUMNS].reset_index(drop=True)
    out.attrs = {"sentences": sentences, "per_cell": per_cell}
    return out


def code_explorer(themes: pd.DataFrame, instruments: pd.DataFrame, units: pd.DataFrame, *, by: str | None = None,
                  per_cell: int = 15) -> Explorer:
    """Build the theme and instrument explorer grouped by ``by`` (default: place, or city for older builds).

    Parameters
    ----------
    themes, instruments, units
        The build's tables.
    by
        A units column (place, year, part, doc_type, doc_id …).
    per_cell
        Coded sentences kept per cell (the cell's tooltip gives the full count).
    """
    by = by or place_column(units)
    cells = code_cells(themes, instruments, units, by=by)
    evidence = code_evidence(themes, instruments, units, by=by, per_cell=per_cell)
    sentences = evidence.attrs["sentences"]
    datasets = {"cells": records(cells), "evidence": records(evidence.drop(columns=["unit_id", "doc_id"])),
                "sentences": records(sentences.drop(columns=["unit_id"]))}
    n_groups = cells["group"].nunique()
    parts = [_scheme_view(s, title, n_groups) for s, title in
             (("theme", "政策主题 Policy themes"), ("instrument", "政策工具子类型 Instrument sub-types"))]
    chart = config(alt.vconcat(*parts, spacing=30))
    notes = [f"Share of each {by}'s sentences coded with each theme / instrument sub-type (multi-label dictionary "
             "coding; the same shares as the static heatmaps).",
             f"Click a cell for its coded sentences with the cues that matched — up to {per_cell} per cell, most cue "
             "hits first (the tooltip gives the full count); click a sentence to read it whole. Double-click to clear."]
    return Explorer(f"主题与政策工具 Themes and instruments · {by}", chart,
                    {"cells": cells, "evidence": evidence, "sentences": sentences}, notes,
                    height=2 * (n_groups * 24 + 900), datasets=datasets)


def _scheme_view(scheme: str, title: str, n_groups: int):
    cell = alt.selection_point(name=f"{scheme}_cell", fields=["group", "category"], on="click", empty=False,
                               clear="dblclick")
    row = alt.selection_point(name=f"{scheme}_row", fields=["u"], on="click", empty=False, clear=False)
    only = f"datum.scheme == '{scheme}'"
    heat = (alt.Chart(alt.Data(name="cells")).transform_filter(only)
            .transform_calculate(desc="datum.group + ' · ' + datum.label")
            .mark_rect(stroke="#ffffff").encode(
                x=alt.X("label:N", title=None, sort=None, axis=alt.Axis(labelAngle=-40, labelLimit=160)),
                y=alt.Y("group:N", title=None),
                color=alt.Color("share:Q", title="share", scale=alt.Scale(scheme="blues")),
                stroke=alt.condition(cell, alt.value("#000000"), alt.value("#ffffff")),
                strokeWidth=alt.condition(cell, alt.value(2), alt.value(0.5)),
                tooltip=[alt.Tooltip("group:N"), alt.Tooltip("label:N"), alt.Tooltip("share:Q", format=".1%"),
                         alt.Tooltip("sentences:Q", title="coded sentences"),
                         alt.Tooltip("group_sentences:Q", title="all sentences")],
                description=alt.Description("desc:N"))
            .add_params(cell).properties(width=WIDTH, height=alt.Step(22), title=title, name=f"{scheme}_heatmap"))
    sents = alt.Data(name="sentences")
    lookup = ("u", alt.LookupData(data=sents, key="u",
                                  fields=["doc_id", "part", "section_path", "snippet", "sentence"]))
    header = "datum.doc_id + ' · ' + datum.part + ' · ' + datum.section_path"
    ev = alt.Data(name="evidence")
    listing = evidence_list(ev, filters=[only, cell], lookup=lookup, header=header,
                            body="'[' + datum.cues + '] ' + datum.snippet", sort="order", rows=10 ** 6, width=WIDTH,
                            pick=row, tooltip=[alt.Tooltip("cues:N"), alt.Tooltip("doc_id:N"),
                                               alt.Tooltip("section_path:N")])
    panel = sentence_panel(ev, filters=[only, cell, row], lookup=lookup,
                           header="'cues: ' + datum.cues + ' · ' + datum.doc_id + ' · ' + datum.section_path",
                           text_field="sentence", width=WIDTH, height=130)
    return alt.vconcat(heat, hint("点击一个格子查看编码句子 Click a cell for its coded sentences", f"{scheme}_cell",
                                  width=WIDTH), listing,
                       hint("点击一句查看全文 Click a sentence to read it whole", f"{scheme}_row", width=WIDTH), panel)
