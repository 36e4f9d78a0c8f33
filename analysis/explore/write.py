"""The batch's entry: one self-contained explorer page per comparison notebook, written beside the figures."""
from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path

from ..errors import AnalysisWarning, ParameterError
from .codes import code_explorer
from .explorer import place_column
from .indicators import indicator_explorer
from .term_view import term_explorer

#: comparison notebook -> what its explorer shows
NOTEBOOK_VIEWS = {"02_policy_themes": "codes", "03_keyword_shifts": "terms", "04_metric_trends": "indicators"}


def explorer_path(out_dir: str | Path, notebook: str) -> Path:
    """Where the explorer page of a notebook is written: ``<out_dir>/<notebook>_explorer.html``."""
    return Path(out_dir) / f"{notebook}_explorer.html"


def write_explorers(built, out_dir: str | Path, *, by: str = "part", target="plan", reference="summary",
                    group_by: str | None = None, notebooks: Iterable[str] | None = None, max_terms: int = 4000,
                    per_term: int = 6) -> list[Path]:
    """Write one offline explorer page per comparison notebook; return the paths written.

    Parameters
    ----------
    built
        A :class:`analysis.pipeline.build.Build` (or a study: anything with ``table(name)``).
    out_dir
        The folder of the figures.
    by, target, reference
        The term explorer's comparison (03): any token column and two of its groups (reference None = the rest).
    group_by
        The rows of the theme/instrument heatmaps (02); default ``place`` (``city`` for older builds).
    notebooks
        Which notebooks' explorers to write (default all of :data:`NOTEBOOK_VIEWS`); others are ignored.
    max_terms, per_term
        The term explorer's caps (see :func:`analysis.explore.term_explorer`).

    An explorer whose data is missing (no indicator values; a comparison group absent from the corpus) is skipped
    with an :class:`~analysis.errors.AnalysisWarning` naming the reason; the others are still written.
    """
    wanted = [n for n in (notebooks if notebooks is not None else NOTEBOOK_VIEWS) if n in NOTEBOOK_VIEWS]
    written = []
    for name in wanted:
        try:
            explorer = _make(NOTEBOOK_VIEWS[name], built, by=by, target=target, reference=reference,
                             group_by=group_by, max_terms=max_terms, per_term=per_term)
        except ParameterError as exc:
            warnings.warn(f"{name}: explorer not written: {exc}", AnalysisWarning, stacklevel=2)
            continue
        written.append(explorer.save(explorer_path(out_dir, name)))
    return written


def _make(view: str, built, *, by, target, reference, group_by, max_terms, per_term):
    if view == "codes":
        units = built.table("units")
        return code_explorer(built.table("themes"), built.table("instruments"), units,
                             by=group_by or place_column(units))
    if view == "terms":
        tokens = built.table("tokens")
        target, reference = _comparison(tokens, by, target, reference)
        return term_explorer(tokens, built.table("docs"), built.table("units"), by=by, target=target,
                             reference=reference, max_terms=max_terms, per_term=per_term)
    return indicator_explorer(built.table("metrics"), built.table("units"))


def _comparison(tokens, by: str, target, reference):
    """The requested groups, or — when one is absent from this corpus — its largest group against the rest."""
    if by not in tokens.columns:
        raise ParameterError("by", by, sorted(tokens.columns), reason="not a column of the token table")
    present = set(tokens[by].dropna().astype(str))
    wanted = [v for v in (target, reference) if v is not None]
    flat = [str(x) for v in wanted for x in (v if isinstance(v, (list, tuple, set)) else [v])]
    if all(v in present for v in flat):
        return target, reference
    sizes = tokens[by].dropna().astype(str).value_counts()
    if len(sizes) < 2:
        raise ParameterError("by", by, reason=f"needs two groups; this corpus has {sorted(present)}")
    biggest = sizes.index[0]
    warnings.warn(f"term explorer: {by}={', '.join(v for v in flat if v not in present)} is not in this corpus; "
                  f"comparing {by}={biggest} with the rest instead", AnalysisWarning, stacklevel=3)
    return biggest, None
