"""The Explorer: one linked view (an Altair chart), the tables behind it, and the notes that say what it shows.

In a notebook it renders itself (an offline page in an iframe); ``save`` writes the same page to a file.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .page import iframe_html, page_html, write_page


@dataclass
class Explorer:
    """A linked, interactive view: ``chart`` (Altair), ``tables`` (the DataFrames it shows), ``notes``."""

    title: str
    chart: object
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    height: int = 900
    #: the named datasets the chart reads (``alt.Data(name=...)``), JSON-ready rows; added to the spec unvalidated
    #: because validating megabytes of rows against the Vega-Lite schema takes a minute and checks nothing useful
    datasets: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def spec(self) -> dict:
        """The Vega-Lite specification with its data inline."""
        spec = self.chart.to_dict()
        spec["datasets"] = {**spec.get("datasets", {}), **self.datasets}
        return spec

    def to_html(self, *, renderer: str = "svg") -> str:
        """The self-contained page (no network fetches)."""
        return page_html(self.spec, title=self.title, notes=self.notes, renderer=renderer)

    def save(self, path: str | Path, *, renderer: str = "svg") -> Path:
        """Write the self-contained page to ``path``; return it."""
        return write_page(self.to_html(renderer=renderer), path)

    def _repr_html_(self) -> str:
        return iframe_html(self.to_html(), height=self.height)


def records(df: pd.DataFrame, digits: int = 3) -> list[dict]:
    """JSON-safe rows for inline chart data: floats rounded, missing values as null, numpy scalars as Python."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s):
            out[col] = s.round(digits)
        elif pd.api.types.is_bool_dtype(s):
            out[col] = s.astype(bool)
    return json.loads(out.to_json(orient="records", force_ascii=False, double_precision=10))


def wrap(text: str, width: int = 44) -> str:
    """Break a sentence into lines of ``width`` characters (Chinese has no spaces to break at) for Vega's lineBreak."""
    text = " ".join(str(text).split())
    return "\n".join(text[i:i + width] for i in range(0, len(text), width)) if text else ""


def text_width(text: str, size: float) -> float:
    """Approximate pixel width of a label: CJK characters are square, Latin ones about half as wide."""
    return float(sum(size if ord(ch) >= 0x2E80 else 0.58 * size for ch in str(text)))


def jitter(keys: pd.Series, scale: float) -> np.ndarray:
    """A deterministic offset in [-scale, scale] per key (so equal points do not hide each other, run after run)."""
    import zlib

    h = np.array([zlib.crc32(str(k).encode("utf-8")) for k in keys], dtype=np.float64)
    return (h / 0xFFFFFFFF * 2.0 - 1.0) * scale


def sentence_table(units: pd.DataFrame, unit_ids) -> pd.DataFrame:
    """The sentences a view refers to, each once: u (small key), unit_id, doc_id, part, section_path, snippet
    (the first 60 characters, on one line) and sentence (the whole text, wrapped)."""
    wanted = pd.Index(pd.unique(pd.Series(list(unit_ids), dtype="object").dropna()))
    cols = [c for c in ("unit_id", "doc_id", "part", "section_path", "text") if c in units.columns]
    out = units.loc[units["unit_id"].isin(wanted), cols].drop_duplicates("unit_id").reset_index(drop=True)
    for c in ("part", "section_path"):
        out[c] = out[c].fillna("").astype(str) if c in out else ""
    flat = out["text"].astype(str).map(lambda t: " ".join(t.split()))
    out["snippet"] = flat.map(lambda t: t if len(t) <= 60 else t[:60] + "…")
    out["sentence"] = flat.map(wrap)
    out.insert(0, "u", range(len(out)))
    return out.drop(columns="text")


def place_column(df: pd.DataFrame) -> str:
    """``place`` when the table has it filled, else ``city`` (tables written before the place model)."""
    if "place" in df.columns and df["place"].notna().any():
        return "place"
    if "city" in df.columns:
        return "city"
    from ..errors import ParameterError

    raise ParameterError("table", "DataFrame", sorted(df.columns), reason="has neither a place nor a city column")
