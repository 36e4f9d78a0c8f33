"""Units written for the themes tests: one document of sentences of one genre and part (shared by the round tests)."""
from __future__ import annotations

import pandas as pd

from analysis.themes import code_themes

BUREAU = "summary_and_plan"
REPORT = "gov_work_report"


def units(texts, *, genre=REPORT, part="plan") -> pd.DataFrame:
    """A units table of ``texts`` in document ``a`` (unit ids ``a#0000`` …), all of ``genre`` and ``part``."""
    n = len(texts)
    return pd.DataFrame({
        "doc_id": ["a"] * n, "unit_id": [f"a#{i:04d}" for i in range(n)], "text": texts, "city": ["某市"] * n,
        "part": [part] * n, "is_heading": [False] * n, "start": [0] * n, "end": [len(t) for t in texts],
        "doc_type": [genre] * n})


def themes_by_unit(units_table) -> list[set[str]]:
    """The theme ids ``code_themes`` gives each unit, in unit order (an empty set for a unit without a theme)."""
    got = code_themes(units_table).groupby("unit_id")["theme"].agg(set).to_dict()
    return [got.get(u, set()) for u in units_table["unit_id"]]
