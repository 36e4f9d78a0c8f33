"""Linked, interactive views: from any term, share or number to the sentences behind it.

Each explorer is an Altair (Vega-Lite) chart built from the build's tables and the same statistics as the static
figures: :func:`term_explorer` (two groups' terms by frequency, keyness side, search, KWIC on click),
:func:`indicator_explorer` (every indicator value clickable to its quote, document, section and kind) and
:func:`code_explorer` (theme and instrument heatmaps, every cell clickable to its coded sentences and cues). An
:class:`Explorer` renders itself in JupyterLab and saves the same page as a self-contained HTML file that fetches
nothing from the network; :func:`write_explorers` writes one per comparison notebook for the batch.
"""
import sys


def _import_jsonschema_without_iri_grammars() -> None:
    """Import jsonschema (altair's validator) without ``rfc3987_syntax``, which compiles 38 Earley grammars at import.

    That import costs 1–1.5 s of CPU in every kernel that shows an explorer, for the ``iri``/``iri-reference`` format
    checks, which the Vega-Lite schema never uses (jsonschema issue #1428); with the module hidden while jsonschema
    loads, jsonschema skips those two checks as it does when the package is not installed. Nothing else changes.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # makes ``import rfc3987_syntax`` fail
    try:
        import jsonschema  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]


_import_jsonschema_without_iri_grammars()

from .codes import code_cells, code_evidence, code_explorer
from .explorer import Explorer, sentence_table
from .indicators import indicator_explorer, indicator_points
from .page import CJK_FONTS, network_urls, page_html
from .term_table import term_contexts, term_points
from .term_view import term_explorer
from .write import NOTEBOOK_VIEWS, explorer_path, write_explorers

__all__ = ["Explorer", "term_explorer", "term_points", "term_contexts", "indicator_explorer", "indicator_points",
           "code_explorer", "code_cells", "code_evidence", "sentence_table", "write_explorers", "explorer_path",
           "NOTEBOOK_VIEWS", "network_urls", "page_html", "CJK_FONTS"]
