"""The JSON-able figures of agreement results (the format of ``themes_first_version.json``).

Kept apart from ``themes_eval.py`` and free of package imports, so that ``themes_first_version.py`` can use it with
the first version's package on the path.
"""
from __future__ import annotations

import pandas as pd

RATES = ("macro_f1", "micro_f1", "kappa", "type_accuracy")
COUNTS = ("n_matched", "n_themes_scored")


def figures(results: dict[str, dict]) -> dict:
    """Summary, per-theme and per-type figures of a set of :func:`analysis.evaluation.themes.agreement` results."""
    out = {}
    for name, r in results.items():
        s = r["summary"].iloc[0]
        out[name] = {"summary": {k: (float(s[k]) if k in RATES else int(s[k])) for k in (*COUNTS, *RATES)},
                     "themes": {t.theme: {"support": int(t.support), "f1": _num(t.f1)}
                                for t in r["themes"].itertuples()},
                     "types": {t.instrument_type: {"support": int(t.support), "f1": _num(t.f1)}
                               for t in r["types"].itertuples()}}
    return out


def _num(v) -> float | None:
    return None if pd.isna(v) else round(float(v), 4)
