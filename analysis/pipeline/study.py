"""The notebooks' entry point: validate the parameters, open the built corpus, filter it, save figures.

A notebook's first cell after its parameters is ``study = open_study("02_policy_themes", ...)``; a bad parameter
(unknown city, empty corpus, a year with no documents) stops it there with one line naming the parameter and
the valid values.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..errors import ParameterError
from .build import Build, build

FIGURE_FORMATS = ("png", "svg", "pdf")
LANGS = ("zh", "en")


@dataclass
class Study:
    """The tables a notebook works on (already filtered to its cities and years) and where its figures go."""

    notebook: str
    parameters: dict
    built: Build
    cities: list[str]
    years: list[int]
    figures_dir: Path
    formats: tuple[str, ...]
    lang: str
    saved: list[Path] = field(default_factory=list)


    @property
    def doc_ids(self) -> set[str]:
        docs = self.built.docs
        keep = docs["city"].isin(self.cities)
        if self.years:
            keep &= docs["summary_year"].isin(self.years) | docs["plan_year"].isin(self.years)
        return set(docs.loc[keep, "doc_id"])

    def table(self, name: str) -> pd.DataFrame:
        """A built table (docs, units, sections, tokens, themes, instruments, metrics) restricted to the study.

        Only the study's documents are read from Parquet, so a city profile of a large corpus stays small.
        """
        ids = self.doc_ids
        if len(ids) == len(self.built.docs):
            return self.built.table(name)
        if not ids:
            return self.built.table(name).iloc[0:0]
        return self.built.table(name, filters=[("doc_id", "in", sorted(ids))]).reset_index(drop=True)

    def __getattr__(self, name: str):
        if name in ("docs", "units", "sections", "tokens", "themes", "instruments", "metrics"):
            return self.table(name)
        raise AttributeError(name)

    @property
    def corpus(self):
        """The study's documents as a :class:`analysis.corpus.Corpus`."""
        from ..corpus.model import Corpus

        return Corpus(self.docs, self.units, self.sections, self.built.rejected)

    def save(self, fig, name: str, *, caption: str) -> list[Path]:
        """Write a figure in the study's formats to its figures folder, indexed with this notebook and parameters."""
        from ..plots import save_figure

        params = {k: v for k, v in self.parameters.items() if k in ("city", "cities", "years", "lang") and v}
        paths = save_figure(fig, name, out_dir=self.figures_dir, formats=self.formats, caption=caption,
                            notebook=self.notebook, parameters=params)
        self.saved += paths
        return paths


def open_study(notebook: str, *, corpus: str | None = "", manifest: str | None = "",
               cities: Sequence[str] | None = None, years: Sequence[int] | None = None, city: str | None = None,
               figures_dir: str | None = "", formats: Sequence[str] = FIGURE_FORMATS, lang: str = "zh",
               style: str = "paper") -> Study:
    """Validate a notebook's parameters and open its corpus (built and cached).

    Parameters
    ----------
    notebook : the notebook's name (recorded in the figure index).
    corpus, manifest : corpus folder/file and manifest; empty means the bundled seeds (and their manifest).
    cities, years : restrict the study; empty means all. ``city`` (one city) is for the city profile.
    figures_dir, formats, lang, style : where and how figures are written; labels in Chinese or English.

    Raises
    ------
    ParameterError naming the parameter and the valid values.
    """
    if lang not in LANGS:
        raise ParameterError("lang", lang, LANGS)
    bad = [f for f in formats if f not in FIGURE_FORMATS]
    if bad or not formats:
        raise ParameterError("formats", list(formats), FIGURE_FORMATS)
    if corpus and not Path(corpus).exists():
        raise ParameterError("corpus", corpus, "an existing file or folder", reason="no such file or folder")
    if manifest and not Path(manifest).is_file():
        raise ParameterError("manifest", manifest, "an existing CSV file", reason="no such file")
    built = build(corpus or None, manifest=manifest or None)
    docs = built.docs
    if docs.empty:
        why = f"no documents could be loaded ({len(built.rejected)} files rejected)"
        raise ParameterError("corpus", corpus or str(config.SEEDS_DIR), "a folder with .txt/.html/.pdf/.docx documents",
                             reason=why)
    known = sorted(docs["city"].dropna().unique())
    chosen = list(cities or [])
    if city:
        chosen = [city]
    for c in chosen:
        if c not in known:
            raise ParameterError("city" if city else "cities", c, known, reason="no document of this city in the corpus")
    chosen = chosen or known
    in_cities = docs[docs["city"].isin(chosen)]
    have_years = sorted({int(y) for y in pd.concat([in_cities["summary_year"], in_cities["plan_year"]]).dropna()})
    for y in years or []:
        if int(y) not in have_years:
            raise ParameterError("years", y, have_years, reason="no document covers this year")
    from ..plots import set_theme

    set_theme(style, lang=lang)
    params = {"corpus": corpus, "manifest": manifest, "cities": list(cities or []), "years": list(years or []),
              "city": city, "lang": lang}
    return Study(notebook, params, built, chosen, [int(y) for y in years or []],
                 Path(figures_dir) if figures_dir else config.FIGURES_DIR, tuple(formats), lang)
