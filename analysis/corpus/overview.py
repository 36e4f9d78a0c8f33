"""Corpus overview tables: documents, their lengths by part, structure, and the summary/plan balance."""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

PARTS = ("preamble", "summary", "plan", "proposal", "reply", "other")


def document_table(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per document with the metadata a reader checks first (city, type, years, date, size, sections)."""
    cols = ["doc_id", "city", "doc_type", "summary_year", "plan_year", "published", "title", "n_chars",
            "n_top_sections", "n_sections_l2", "summary_chars", "plan_chars"]
    return docs[[c for c in cols if c in docs]].sort_values(["city", "doc_id"]).reset_index(drop=True)


def part_lengths(units: pd.DataFrame, *, by: str | Sequence[str] = "doc_id") -> pd.DataFrame:
    """Characters and sentences per part, per group (long format: group columns, part, chars, sentences, share)."""
    by = [by] if isinstance(by, str) else list(by)
    u = units.assign(chars=units["end"] - units["start"])
    out = u.groupby(by + ["part"], observed=True).agg(chars=("chars", "sum"), sentences=("unit_id", "count")).reset_index()
    out["share"] = out["chars"] / out.groupby(by)["chars"].transform("sum")
    out["part"] = pd.Categorical(out["part"], [p for p in PARTS if p in set(out["part"])], ordered=True)
    return out.sort_values(by + ["part"]).reset_index(drop=True)


def sections_per_part(sections: pd.DataFrame, *, by: str | Sequence[str] = "doc_id") -> pd.DataFrame:
    """Number of headings per heading level and part, per group (group columns, part, level, sections)."""
    by = [by] if isinstance(by, str) else list(by)
    if sections.empty:
        return pd.DataFrame(columns=by + ["part", "level", "sections"])
    out = sections.groupby(by + ["part", "level"], observed=True).size().rename("sections").reset_index()
    return out.sort_values(by + ["level", "part"]).reset_index(drop=True)


def part_balance(units: pd.DataFrame, docs: pd.DataFrame, *, by: str = "place",
                 parts: tuple[str, str] = ("summary", "plan")) -> pd.DataFrame:
    """How each group's text divides between looking back (summary) and looking ahead (plan).

    Counts characters of summary_and_plan documents only, where the two parts stand side by side; ``docs`` says
    how many documents each row rests on.
    """
    both = docs.loc[docs["doc_type"] == "summary_and_plan", "doc_id"]
    u = units[units["doc_id"].isin(both) & units["part"].isin(parts)]
    if u.empty:
        return pd.DataFrame(columns=[by, "part", "chars", "share", "docs"])
    out = part_lengths(u, by=by)
    out = out[out["part"].isin(parts)].drop(columns="sentences")
    out["part"] = out["part"].astype(str)
    ndocs = u.groupby(by)["doc_id"].nunique().rename("docs")
    return out.merge(ndocs, left_on=by, right_index=True).reset_index(drop=True)
