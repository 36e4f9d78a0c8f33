"""Linked, interactive views: from any term, share or number to the sentences behind it.

Each explorer is an Altair (Vega-Lite) chart built from the build's tables and the same statistics as the static
figures: :func:`term_explorer` (two groups' terms by frequency, keyness side, search, KWIC on click),
:func:`indicator_explorer` (every indicator value clickable to its quote, document, section and kind) and
:func:`code_explorer` (theme and instrument heatmaps, every cell clickable to its coded sentences and cues). An
:class:`Explorer` renders itself in JupyterLab and saves the same page as a self-contained HTML file that fetches
nothing from the network; :func:`write_explorers` writes one per comparison notebook for the batch.
"""
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
