"""The term-comparison explorer (scattertext's idea for this corpus).

Every term of two groups is a point placed by its rate in the reference (x) and in the target (y), coloured by
the side it is key for, shaped by its kind (content word, formulaic phrase, place name); a search box highlights
terms; hovering shows counts, rates, G² and log ratio; a click lists its KWIC lines with document, part and
section, and a click on a line shows the whole sentence.
"""
from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from .explorer import Explorer, records, sentence_table, text_width
from .panels import GREY, config, evidence_list, hint, sentence_panel
from .term_table import KINDS, term_contexts, term_points

SIDE_COLOURS = {"target": "#d95f02", "reference": "#1b9e77", "neither": "#b3b3b3"}
KIND_SHAPES = {"content": "circle", "formulaic": "diamond", "place": "triangle-up"}
KIND_LABELS = {"content": "内容词 content", "formulaic": "套话 formulaic", "place": "地名 place"}
KWIC_WIDTH = 640
_MATCH = "search != '' && indexof(datum.term, search) >= 0"


def group_name(value) -> str:
    """A group value (or list of values) as a label."""
    if value is None:
        return "其余 rest"
    if isinstance(value, (list, tuple, set)):
        return "+".join(str(v) for v in value)
    return str(value)


def term_explorer(tokens: pd.DataFrame, docs: pd.DataFrame, units: pd.DataFrame, *, by: str, target,
                  reference=None, classes: Iterable[str] = ("content", "formulaic"), min_freq: int = 3,
                  max_terms: int = 4000, per_term: int = 6, window: int = 16, size: int = 560) -> Explorer:
    """Build the term-comparison explorer of ``target`` against ``reference`` in column ``by``.

    Parameters
    ----------
    tokens, docs, units
        The build's tables (``Build.table``), or a study's.
    by, target, reference
        Any grouping column of the token table (place, year, level, part, doc_type …) and its two groups;
        reference None means every other row with a value.
    classes, min_freq, max_terms
        As for :func:`analysis.explore.term_points` (formulaic phrases shown and marked by default).
    per_term, window
        KWIC lines kept per term and characters of context on each side.
    size
        Width and height of the scatter plot in pixels.

    Returns
    -------
    Explorer
        ``tables``: points, contexts, sentences; ``notes`` say what was sampled.
    """
    points = term_points(tokens, by=by, target=target, reference=reference, classes=classes, min_freq=min_freq,
                         max_terms=max_terms)
    contexts = term_contexts(tokens, docs, points, window=window, per_term=per_term)
    n_occ = contexts.attrs["n_occurrences"]
    points["occurrences"] = points["term"].map(n_occ).fillna(0).astype("int64")
    sentences = sentence_table(units, contexts["unit_id"])
    t_name, r_name = group_name(target), group_name(reference)
    contexts["group"] = contexts["group"].map({"target": t_name, "reference": r_name})
    contexts["kw_width"] = contexts["keyword"].map(lambda k: text_width(k, 13))
    chart, datasets = _chart(points, contexts, sentences, by=by, t_name=t_name, r_name=r_name, size=size)
    return Explorer(f"词语比较 Term comparison · {by}: {t_name} vs {r_name}", chart,
                    {"points": points, "contexts": contexts, "sentences": sentences},
                    _notes(points, per_term, window), height=size + 260, datasets=datasets)


def _notes(points: pd.DataFrame, per_term: int, window: int) -> list[str]:
    a = points.attrs
    shown = (f"All {a['n_shown']:,} terms counted at least {a['min_freq']} times in the two groups are plotted."
             if a["n_shown"] == a["n_terms"] else
             f"Sampled: {a['n_shown']:,} of {a['n_terms']:,} terms counted at least {a['min_freq']} times are plotted "
             f"— the significant key terms (strongest G² first, up to half) and then the most frequent; search and "
             "click reach the plotted terms only.")
    return [
        f"Target {group_name(a['target'])}: {a['n_target']:,} words; reference {group_name(a['reference'])}: "
        f"{a['n_reference']:,} words (column {a['by']}). Position: rate per 10,000 words in each group, log scales; "
        "a zero count is placed at half a count, and points are jittered slightly so equal counts do not hide "
        "each other.",
        shown,
        f"Colour: key for the target or the reference (G², Benjamini–Hochberg adjusted p < {a['alpha']}); shape: "
        "content word, formulaic phrase (token class) or place name (gazetteer) — click the legend to dim a kind.",
        f"Click a term for up to {per_term} KWIC lines (one per document first; ±{window} characters); click a line "
        "for its whole sentence. Double-click the plot to clear.",
    ]


def _chart(points, contexts, sentences, *, by, t_name, r_name, size):
    search = alt.param(name="search", value="", bind=alt.binding(input="search", placeholder="输入词语 type a term",
                                                                  name="搜索 Search "))
    pick = alt.selection_point(name="pick", fields=["term"], on="click", empty=False, clear="dblclick")
    kinds = alt.selection_point(name="kinds", fields=["kind"], bind="legend")
    line = alt.selection_point(name="line", fields=["line_id"], on="click", empty=False, clear=False)
    pts, sents, kwic = alt.Data(name="points"), alt.Data(name="sentences"), alt.Data(name="contexts")
    # the page carries each sentence once; a KWIC line refers to it by a small integer key
    key = dict(zip(sentences["unit_id"], sentences["u"]))
    datasets = {"points": records(points.drop(columns=["direction"]), 4),
                "sentences": records(sentences.drop(columns=["unit_id", "snippet"])),
                "contexts": records(contexts.assign(u=contexts["unit_id"].map(key), line_id=range(len(contexts)))
                                    [["term", "line_id", "u", "group", "left", "keyword", "right", "order",
                                      "kw_width"]], 1)}
    bounds = (float(points[["x", "y"]].min().min()), float(points[["x", "y"]].max().max())) if len(points) else (0.1, 1)
    scatter = _scatter(pts, search, pick, kinds, by=by, t_name=t_name, r_name=r_name, size=size, bounds=bounds)
    lookup = ("u", alt.LookupData(data=sents, key="u",
                                        fields=["doc_id", "part", "section_path", "sentence"]))
    group = "" if by == "part" else " + ' · ' + datum.group"  # the part is shown anyway
    header = f"datum.doc_id{group} + ' · ' + datum.part + ' · ' + datum.section_path"
    title = (alt.Chart(pts).transform_filter(pick)
             .transform_calculate(t="datum.term + ' — ' + datum.occurrences + ' occurrences, ' + datum.target_count"
                                    f" + ' in {t_name}, ' + datum.reference_count + ' in {r_name}'")
             .mark_text(align="left", baseline="top", fontSize=15, fontWeight="bold")
             .encode(x=alt.value(0), y=alt.value(2), text="t:N").properties(width=KWIC_WIDTH, height=22))
    lines = evidence_list(kwic, filters=[pick], lookup=lookup, header=header, body="datum.left", sort="order",
                          rows=10 ** 6, width=KWIC_WIDTH, pick=line,
                          tooltip=[alt.Tooltip("doc_id:N", title="document"),
                                   alt.Tooltip("section_path:N", title="section"), alt.Tooltip("part:N")],
                          body_x=_kwic_columns)
    panel = sentence_panel(kwic, filters=[pick, line], lookup=lookup, header=header, text_field="sentence",
                           width=KWIC_WIDTH)
    right = alt.vconcat(hint("点击一个词查看语境 Click a term to see its contexts", "pick", width=KWIC_WIDTH), title,
                        lines, hint("点击一行查看整句 Click a line for its sentence", "line", width=KWIC_WIDTH), panel,
                        spacing=6)
    return config(alt.hconcat(scatter, right, spacing=30).add_params(search)), datasets


def _kwic_columns(base, y):
    """Left context right-aligned to the middle, the keyword in bold, then the right context after it."""
    mid = KWIC_WIDTH * 0.42
    left = base.mark_text(align="right", baseline="middle", dy=8, fontSize=13, limit=mid - 4).encode(
        y=y, x=alt.value(mid - 4), text="left:N")
    kw = base.mark_text(align="left", baseline="middle", dy=8, fontSize=13, fontWeight="bold",
                        color="#c0392b").encode(y=y, x=alt.value(mid), text="keyword:N")
    right = (base.transform_calculate(xr=f"{mid} + datum.kw_width + 4")
             .mark_text(align="left", baseline="middle", dy=8, fontSize=13, limit=KWIC_WIDTH - mid)
             .encode(y=y, x=alt.X("xr:Q", scale=None), text="right:N"))
    return [left, kw, right]


def _scatter(pts, search, pick, kinds, *, by, t_name, r_name, size, bounds):
    x = alt.X("x:Q", scale=alt.Scale(type="log", nice=False), title=f"{r_name} · 每万词 per 10k words")
    y = alt.Y("y:Q", scale=alt.Scale(type="log", nice=False), title=f"{t_name} · 每万词 per 10k words")
    sides = [("target", f"{t_name} 多用 key"), ("reference", f"{r_name} 多用 key"), ("neither", "无显著差异 neither")]
    colour = alt.Color("side_label:N", title="关键性 keyness",
                       scale=alt.Scale(domain=[s[1] for s in sides], range=[SIDE_COLOURS[s[0]] for s in sides]),
                       legend=alt.Legend(orient="bottom", direction="vertical"))
    shape = alt.Shape("kind_label:N", title="类别 kind (click)",
                      scale=alt.Scale(domain=[KIND_LABELS[k] for k in KINDS], range=[KIND_SHAPES[k] for k in KINDS]),
                      legend=alt.Legend(orient="bottom", direction="vertical"))
    labels = {s: lab for s, lab in sides}
    base = (alt.Chart(pts)
            .transform_calculate(side_label=f"{labels}[datum.side]".replace("'", '"'),
                                 kind_label=f"{KIND_LABELS}[datum.kind]".replace("'", '"'),
                                 op=f"search == '' ? 0.7 : ({_MATCH} ? 1 : 0.08)"))
    tooltip = [alt.Tooltip("term:N", title="term"), alt.Tooltip("kind:N"), alt.Tooltip("side_label:N", title="keyness"),
               alt.Tooltip("target_count:Q", title=f"count · {t_name}"),
               alt.Tooltip("reference_count:Q", title=f"count · {r_name}"),
               alt.Tooltip("target_per10k:Q", title=f"per 10k · {t_name}", format=".2f"),
               alt.Tooltip("reference_per10k:Q", title=f"per 10k · {r_name}", format=".2f"),
               alt.Tooltip("target_docs:Q", title=f"documents · {t_name}"),
               alt.Tooltip("reference_docs:Q", title=f"documents · {r_name}"),
               alt.Tooltip("g2:Q", title="G²", format=".2f"), alt.Tooltip("log_ratio:Q", title="log ratio", format=".2f"),
               alt.Tooltip("p_adjusted:Q", title="p (adjusted)", format=".3g")]
    points = base.mark_point(filled=True).encode(
        x=x, y=y, color=colour, shape=shape, tooltip=tooltip, description=alt.Description("term:N"),
        opacity=alt.condition(kinds, alt.Opacity("op:Q", scale=None, legend=None), alt.value(0.04)),
        size=alt.condition(pick, alt.value(220), alt.value(30)),
        stroke=alt.condition(pick, alt.value("#000000"), alt.value(None)),
    ).add_params(pick, kinds).properties(name="terms")
    text = (base.transform_filter(f"({_MATCH}) || (search == '' && datum.label)")
            .transform_window(rank="row_number()", sort=[alt.SortField("g2", order="descending")])
            .transform_filter("datum.rank <= 40")
            .mark_text(align="left", dx=6, fontSize=12, color="#333333")
            .encode(x=x, y=y, text="term:N"))
    lo, hi = bounds
    diag = alt.Chart(alt.Data(values=[{"x": lo, "y": lo}, {"x": hi, "y": hi}])).mark_line(
        color=GREY, strokeDash=[4, 4], strokeWidth=1).encode(x=x, y=y)
    return alt.layer(diag, points, text).properties(width=size, height=size, title=f"{by}: {t_name} vs {r_name}")
