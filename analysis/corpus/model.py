"""The corpus model: a :class:`Corpus` holds tidy ``docs`` / ``units`` / ``sections`` tables and the rejected files.

Every later stage accepts either a Corpus or its units table; :func:`units_of` and :func:`docs_of` are the one
place that unwraps them.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..errors import ParameterError

DOC_COLUMNS = ("doc_id", "path", "file", "title", "place", "level", "city", "province", "doc_type", "summary_year",
               "plan_year", "plan_period", "published", "issuer", "doc_number", "header_name", "encoding", "source_format", "traditional",
               "n_chars", "n_units", "n_top_sections", "n_sections_l2", "summary_chars", "plan_chars", "sha256",
               "place_evidence", "city_evidence", "doc_type_evidence", "years_evidence", "published_evidence", "title_evidence",
               "metadata_source", "text", "text_original")
UNIT_COLUMNS = ("doc_id", "unit_id", "para_id", "sent_no", "section_id", "section_path", "heading", "section_level",
                "is_heading", "enum", "enum_repaired", "part", "part_evidence", "start", "end", "text", "place", "level", "city", "province",
                "doc_type", "year")
YEAR_COLUMNS = ("summary_year", "plan_year", "year")


@dataclass
class Corpus:
    """Documents and their sentence units as tidy DataFrames, plus the sections and the files rejected."""

    docs: pd.DataFrame
    units: pd.DataFrame
    sections: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["path", "reason"]))

    def __len__(self) -> int:
        return len(self.docs)

    def __repr__(self) -> str:
        return f"Corpus({len(self.docs)} documents, {len(self.units)} units, {len(self.rejected)} rejected)"

    def subset(self, *, cities: Sequence[str] | None = None, doc_ids: Sequence[str] | None = None) -> "Corpus":
        """The corpus restricted to some cities and/or documents."""
        keep = self.docs
        if cities:
            keep = keep[keep["city"].isin(cities)]
        if doc_ids:
            keep = keep[keep["doc_id"].isin(doc_ids)]
        ids = set(keep["doc_id"])
        return Corpus(keep.reset_index(drop=True), self.units[self.units["doc_id"].isin(ids)].reset_index(drop=True),
                      self.sections[self.sections["doc_id"].isin(ids)].reset_index(drop=True), self.rejected)


def frame(rows: list[dict], columns: Sequence[str]) -> pd.DataFrame:
    """Rows as a DataFrame with fixed columns; year columns as nullable integers."""
    df = pd.DataFrame(rows, columns=list(columns))
    for col in YEAR_COLUMNS:
        if col in df:
            df[col] = pd.array(df[col], dtype="Int64")
    return df


def _is_corpus(obj) -> bool:
    return hasattr(obj, "units") and hasattr(obj, "docs") and not isinstance(obj, pd.DataFrame)


def units_of(obj, *, required: Iterable[str] = ("doc_id", "unit_id", "text"), name: str = "units") -> pd.DataFrame:
    """The units table of a Corpus (or a units DataFrame itself), checked for the ``required`` columns."""
    df = obj.units if _is_corpus(obj) else obj
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(name, type(df).__name__, reason="expected a Corpus or a units DataFrame")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ParameterError(name, "DataFrame", reason=f"missing columns: {', '.join(missing)}")
    return df


def docs_of(obj) -> pd.DataFrame | None:
    """The docs table of a Corpus (None for a bare units table)."""
    return obj.docs if _is_corpus(obj) else None
