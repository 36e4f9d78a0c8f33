"""The notebooks' entry point: validate the parameters, open the built corpus, see its design, save figures.

A notebook's first cell after its parameters is ``study = open_study("02_policy_themes", ...)``; a bad parameter
(unknown place, empty corpus, a year with no documents) stops it there with one line naming the parameter and
the valid values.

Groups are places (``place``, with ``level``); a document without a place is kept and shown as ``unknown``.
The study's **design** follows from its documents: a cross-section (many places, one year each), a longitudinal
series (one place, many years), a panel (places × years) or a single document.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import ParameterError
from . import display
from .build import Build, build

FIGURE_FORMATS = ("png", "svg", "pdf")
LANGS = ("zh", "en")
COMPARISONS = ("auto", "place", "year", "plan_period")
#: A document without a place is counted under this value, never dropped.
UNKNOWN = "unknown"
_TABLES = ("docs", "units", "sections", "tokens", "themes", "instruments", "metrics")
_JOINED = ("place", "level", "doc_year", "plan_period")


def doc_years(docs: pd.DataFrame) -> pd.Series:
    """The year a document speaks for: its plan year, else its summary year + 1, else its publication year."""
    plan = pd.to_numeric(docs.get("plan_year"), errors="coerce") if "plan_year" in docs else None
    summ = pd.to_numeric(docs.get("summary_year"), errors="coerce") if "summary_year" in docs else None
    pub = pd.to_datetime(docs["published"], errors="coerce").dt.year if "published" in docs else None
    out = pd.Series(float("nan"), index=docs.index)
    for s in (plan, None if summ is None else summ + 1, pub):
        if s is not None:
            out = out.fillna(s.astype(float))
    return out.astype("Int64")


def with_places(docs: pd.DataFrame) -> pd.DataFrame:
    """Docs with ``place`` (fallback ``city``) filled as ``unknown`` where missing, ``doc_year`` added."""
    out = docs.copy()
    if "place" not in out.columns:
        out["place"] = out["city"] if "city" in out.columns else pd.NA
    out["place"] = out["place"].astype("object").where(out["place"].notna(), UNKNOWN).astype(str)
    if "level" not in out.columns:
        out["level"] = pd.NA
    out["doc_year"] = doc_years(out)
    if "plan_period" not in out.columns:
        out["plan_period"] = pd.NA
    return out


def detect_design(docs: pd.DataFrame) -> str:
    """``cross-section``, ``longitudinal``, ``panel`` or ``single`` from the documents' places and years."""
    d = with_places(docs) if "doc_year" not in docs.columns else docs
    places = d["place"].nunique()
    years = d["doc_year"].dropna().nunique()
    if places <= 1:
        return "longitudinal" if years > 1 else "single"
    per_place = d.dropna(subset=["doc_year"]).groupby("place")["doc_year"].nunique()
    return "panel" if years > 1 and (per_place > 1).sum() >= 2 else "cross-section"


@dataclass
class Study:
    """The tables a notebook works on (already filtered to its places and years) and where its figures go."""

    notebook: str
    parameters: dict
    built: Build
    places: list[str]
    years: list[int]
    figures_dir: Path
    formats: tuple[str, ...]
    lang: str
    compare: str = "place"
    saved: list[Path] = field(default_factory=list)
    #: set by the batch for a comparison notebook: where the batch's explorer page goes (see :meth:`explorer`)
    explorer_page: str = ""

    @property
    def all_docs(self) -> pd.DataFrame:
        return with_places(self.built.docs)

    @property
    def doc_ids(self) -> set[str]:
        docs = self.all_docs
        keep = docs["place"].isin(self.places)
        if self.years:
            keep &= docs["doc_year"].isin(self.years) | docs["summary_year"].isin(self.years) | \
                docs["plan_year"].isin(self.years)
        return set(docs.loc[keep, "doc_id"])

    @property
    def cities(self) -> list[str]:
        """The study's places (the older name of the parameter)."""
        return self.places

    def table(self, name: str) -> pd.DataFrame:
        """A built table (docs, units, sections, tokens, themes, instruments, metrics) restricted to the study.

        Every table carries ``place`` (``unknown`` where the document has none), ``level``, ``doc_year`` and
        ``plan_period``, joined from the documents on demand. Only the study's documents are read from Parquet.
        """
        ids = self.doc_ids
        if len(ids) == len(self.built.docs):
            df = self.built.table(name)
        elif not ids:
            df = self.built.table(name).iloc[0:0]
        else:
            df = self.built.table(name, filters=[("doc_id", "in", sorted(ids))]).reset_index(drop=True)
        docs = self.all_docs.set_index("doc_id")
        attrs = dict(df.attrs)
        for col in _JOINED:
            if name == "docs" or "doc_id" not in df.columns:
                break
            if col == "level" and name == "metrics" and "level" in df.columns and "tier" not in df.columns:
                df = df.rename(columns={"level": "tier"})  # the metrics' own level column is the target tier
            if col in ("place", "doc_year") or col not in df.columns:
                df[col] = df["doc_id"].map(docs[col]).to_numpy()
        if name == "docs":
            df = with_places(df)
        df.attrs = attrs
        return df

    def __getattr__(self, name: str):
        if name in _TABLES:
            return self.table(name)
        raise AttributeError(name)

    @property
    def corpus(self):
        """The study's documents as a :class:`analysis.corpus.Corpus`."""
        from ..corpus.model import Corpus

        return Corpus(self.docs, self.units, self.sections, self.built.rejected)

    @property
    def design(self) -> str:
        """``cross-section``, ``longitudinal``, ``panel`` or ``single`` (see :func:`detect_design`)."""
        return detect_design(self.docs)

    @property
    def has_parts(self) -> bool:
        """True when some document has both a summary and a plan part (a summary-vs-plan comparison exists)."""
        u = self.built.table("units", columns=["doc_id", "part"])
        u = u[u["doc_id"].isin(self.doc_ids)]
        both = u.groupby("doc_id")["part"].agg(lambda p: {"summary", "plan"} <= set(p))
        return bool(both.any())

    @property
    def group(self) -> str:
        """The column comparisons group by: ``place``, ``doc_year`` or ``plan_period``."""
        return {"place": "place", "year": "doc_year", "plan_period": "plan_period"}[self.compare]

    @property
    def colors(self) -> dict[str, str]:
        """One fixed colour per place of the whole corpus (the same in every figure; unknown grey)."""
        from ..plots import place_colors

        return place_colors(self.all_docs["place"].unique())

    def groups(self, table: pd.DataFrame | None = None) -> list:
        """The values of the comparison column, largest group (most sentences) first.

        A document without a year (or plan period) is counted in :meth:`design_table` but forms no group: an
        unknown year cannot be compared with the others. (A document without a place is the group ``unknown``.)
        """
        t = self.design_table(table)
        t = t[t[t.columns[0]].notna()]
        return t.sort_values(["sentences", t.columns[0]], ascending=[False, True], kind="stable")[t.columns[0]].tolist()

    def file_label(self, value) -> str:
        """A group value as part of a file name: English place names, years as digits."""
        from ..plots import city_label

        return _slug(city_label(str(value), "en"))

    def design_sentence(self) -> str:
        """What the design is, what this notebook compares, and what the design cannot show (Markdown)."""
        s = self.summary().iloc[0]
        what = {"cross-section": "many places, one period each: places are compared with each other",
                "longitudinal": "one issuer over many years: years (and five-year-plan periods) are compared",
                "panel": "places × years: places are compared, and each place over its years",
                "single": "one document: nothing to compare it with"}[self.design]
        text = (f"**Design: {self.design}** — {what}. {s['documents']} documents, {s['places']} places, "
                f"years {s['years'] or 'unknown'}; comparisons group by `{self.group}`.")
        if s["without place"]:
            text += f" {s['without place']} documents have no place; they are shown as *unknown*, not dropped."
        if self.group != "place" and (missing := int(self.docs[self.group].isna().sum())):
            text += (f" {missing} document(s) have no {self.group.replace('doc_', '')}: counted in the design tables "
                     "(as <NA>) but in no group of the comparisons.")
        if not self.has_parts:
            text += (" No document has both a summary and a plan part, so the summary-vs-plan comparisons are "
                     "skipped.")
        return text

    def design_table(self, table: pd.DataFrame | None = None, by: str | None = None) -> pd.DataFrame:
        """Documents and sentences per group: the corpus design a comparative figure rests on."""
        by = by or self.group
        units = self.units if table is None else table
        docs = self.docs
        out = docs.groupby(by, dropna=False).agg(documents=("doc_id", "nunique")).join(
            units.groupby(by, dropna=False).agg(sentences=("unit_id", "nunique")), how="left")
        return out.fillna(0).astype("int64").reset_index()

    def design_note(self, by: str | None = None, *, sentences: pd.DataFrame | None = None) -> str:
        """A caption fragment: n documents and sentences per group, e.g. ``n: 东莞 2 docs / 480 sentences; …``."""
        t = self.design_table(sentences, by)
        col = t.columns[0]
        parts = [f"{g} {d} docs / {s} sentences" for g, d, s in zip(t[col], t["documents"], t["sentences"])]
        return "n: " + "; ".join(parts)

    def summary(self) -> pd.DataFrame:
        """One row: design, documents, places, years, figures folder (what the notebook prints first)."""
        docs = self.docs
        years = docs["doc_year"].dropna()
        unknown = int((docs["place"] == UNKNOWN).sum())
        return pd.DataFrame([{
            "notebook": self.notebook, "design": self.design, "compare": self.compare,
            "documents": len(docs), "places": docs["place"].nunique(),
            "without place": unknown,
            "years": f"{int(years.min())}–{int(years.max())}" if len(years) else "",
            "summary vs plan": "yes" if self.has_parts else "no",
            "figures": str(self.figures_dir)}])

    def _repr_html_(self) -> str:
        return display.html_table(self.summary())

    def __repr__(self) -> str:
        row = self.summary().iloc[0]
        return (f"Study({row['notebook']}: {row['design']}, {row['documents']} documents, {row['places']} places, "
                f"years {row['years']}, figures -> {row['figures']})")

    def show(self, table: pd.DataFrame, **kwargs):
        """Display a table readably (wrapped Chinese text, narrow ids, formatted numbers); see display.show."""
        return display.show(table, **kwargs)

    def save(self, fig, name: str, *, caption: str) -> list[Path]:
        """Write a figure in the study's formats (``_en`` suffix in English), index it, show it inline and close it."""
        from ..plots import save_figure

        if self.lang != "zh":
            name = f"{name}_{self.lang}"
        params = {k: v for k, v in self.parameters.items() if k in ("place", "places", "years", "lang", "compare")
                  and v}
        paths = save_figure(fig, name, out_dir=self.figures_dir, formats=self.formats, caption=caption,
                            notebook=self.notebook, parameters=params)
        self.saved += paths
        display.show_figure(fig, png=next((p for p in paths if p.suffix == ".png"), None))
        return paths

    def explorer(self, view: str, *, by: str | None = None, target=None, reference=None):
        """The notebook's linked view, built from the study's tables; it renders itself as a cell's value.

        ``view``: ``codes`` (theme and instrument heatmaps by ``by``, default the comparison column), ``terms``
        (``by``/``target``/``reference`` as in :func:`analysis.explore.term_explorer`) or ``indicators``. The page
        is made once. In a batch run (``explorer_page`` set) it is also written there when it is the page the batch
        writes (whole corpus; codes by place, terms plan vs summary, indicators), so the batch does not build it
        a second time.
        """
        from .. import explore
        from ..files import atomic_write

        if view == "codes":
            by = by or self.group
            made = explore.code_explorer(self.themes, self.instruments, self.units, by=by)
            batch_view = by == "place"
        elif view == "terms":
            made = explore.term_explorer(self.tokens, self.docs, self.units, by=by, target=target, reference=reference)
            batch_view = (by, target, reference) == ("part", "plan", "summary")
        elif view == "indicators":
            made, batch_view = explore.indicator_explorer(self.metrics, self.units), True
        else:
            raise ParameterError("view", view, ("codes", "terms", "indicators"))
        page = made.to_html()
        if self.explorer_page and batch_view and len(self.doc_ids) == len(self.built.docs):
            atomic_write(self.explorer_page, page)
        return display.ExplorerView(made, page)


def _slug(value) -> str:
    text = "-".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
    return re.sub(r"[^\w\-]+", "_", text).strip("_") or "x"


def explore_dir(corpus: str, places: Sequence[str], years: Sequence[int], compare: str) -> Path:
    """Where a run with non-default parameters writes: ``figures/explore/<parameters>`` (never the committed set)."""
    parts = []
    if corpus:
        parts.append(_slug(Path(corpus).name or corpus))
    if places:
        parts.append(_slug(list(places)))
    if years:
        parts.append(_slug([int(y) for y in years]))
    if compare != "auto":
        parts.append(f"by_{compare}")
    return config.FIGURES_DIR / "explore" / "_".join(parts) if parts else config.FIGURES_DIR


def _check_formats(lang: str, formats: Sequence[str], compare: str) -> None:
    if lang not in LANGS:
        raise ParameterError("lang", lang, LANGS)
    bad = [f for f in formats if f not in FIGURE_FORMATS]
    if bad or not formats:
        raise ParameterError("formats", list(formats), FIGURE_FORMATS)
    if compare not in COMPARISONS:
        raise ParameterError("compare", compare, COMPARISONS)


def _open_build(corpus: str | None, manifest: str | None) -> Build:
    if corpus and not Path(corpus).exists():
        raise ParameterError("corpus", corpus, "an existing file or folder",
                             reason=f"no such file or folder (relative paths are read from {Path.cwd()})")
    if manifest and not Path(manifest).is_file():
        raise ParameterError("manifest", manifest, "an existing CSV file", reason="no such file")
    built = build(str(Path(corpus).resolve()) if corpus else None,
                  manifest=str(Path(manifest).resolve()) if manifest else None)
    if built.docs.empty:
        why = f"no documents could be loaded ({len(built.rejected)} files rejected)"
        raise ParameterError("corpus", corpus or str(config.SEEDS_DIR), "a folder with .txt/.html/.pdf/.docx documents",
                             reason=why)
    return built


def open_study(notebook: str, *, corpus: str | None = "", manifest: str | None = "",
               places: Sequence[str] | None = None, years: Sequence[int] | None = None, place: str | None = None,
               compare: str = "auto", figures_dir: str | None = "", formats: Sequence[str] = FIGURE_FORMATS,
               lang: str = "zh", style: str = "paper", cities: Sequence[str] | None = None,
               city: str | None = None, explorer_page: str | None = "") -> Study:
    """Validate a notebook's parameters and open its corpus (built and cached).

    Parameters
    ----------
    notebook : the notebook's name (recorded in the figure index).
    corpus, manifest : corpus folder/file and manifest; empty means the bundled seeds (and their manifest).
    places, years : restrict the study; empty means all. ``place`` (one place) is for the place profile.
        ``unknown`` selects the documents without a place. ``cities``/``city`` are older names of the same.
    compare : what comparisons group by: ``auto`` (place, or year for one place's series), ``place``, ``year``,
        ``plan_period``.
    figures_dir, formats, lang, style : where and how figures are written; labels in Chinese or English. Empty
        ``figures_dir``: ``figures/`` for the default parameters, ``figures/explore/<parameters>`` otherwise.
    explorer_page : set by the batch: the file of the notebook's explorer page (see :meth:`Study.explorer`).

    Raises
    ------
    ParameterError naming the parameter and the valid values.
    """
    _check_formats(lang, formats, compare)
    display.install_error_handler()
    built = _open_build(corpus, manifest)
    docs = with_places(built.docs)
    known = sorted(docs["place"].unique())
    name = "place" if (place or city) else "places"
    chosen = [place or city] if (place or city) else list(places or cities or [])
    for p in chosen:
        if p not in known:
            raise ParameterError(name, p, known, reason="no document of this place in the corpus")
    chosen = chosen or known
    in_places = docs[docs["place"].isin(chosen)]
    have = sorted({int(y) for y in pd.concat([in_places["summary_year"], in_places["plan_year"],
                                              in_places["doc_year"]]).dropna()})
    for y in years or []:
        if int(y) not in have:
            raise ParameterError("years", y, have, reason="no document covers this year")
    from ..plots import set_theme

    set_theme(style, lang=lang)
    display.enable_inline()
    sel = list(places or cities or [])
    out = Path(figures_dir) if figures_dir else explore_dir(corpus or "", sel, list(years or []), compare)
    params = {"corpus": corpus, "manifest": manifest, "places": sel, "years": list(years or []),
              "place": place or city, "lang": lang, "compare": compare}
    study = Study(notebook, params, built, chosen, [int(y) for y in years or []], out, tuple(formats), lang,
                  explorer_page=explorer_page or "")
    if compare == "auto":
        compare = "year" if study.design in ("longitudinal", "single") else "place"
    study.compare = compare
    return study
