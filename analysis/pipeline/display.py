"""What a notebook shows: figures inline (then closed), readable tables, errors as one line.

Outside an IPython kernel every function here does nothing (or returns plain HTML), so scripts and tests that
call :meth:`Study.save` stay silent.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

#: Columns holding sentences or quotes: shown in full, wrapping, in a wide column.
TEXT_COLUMNS = ("text", "quote", "sentence", "title", "left", "right", "context", "cues", "docs", "first_docs",
                "reference_docs", "section_path", "heading")
#: Identifier columns: narrow, small type (the reader rarely needs them, a provenance check does).
ID_COLUMNS = ("doc_id", "unit_id", "para_id", "section_id", "path", "file", "sha256")


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel, a dependency
        return None
    shell = get_ipython()
    return shell if shell is not None and hasattr(shell, "kernel") else None


def enable_inline() -> None:
    """Use the inline backend in a Jupyter kernel, whatever MPLBACKEND says (so figures show and are embedded)."""
    shell = _shell()
    if shell is None:
        return
    import matplotlib

    if "inline" not in matplotlib.get_backend():
        shell.run_line_magic("matplotlib", "inline")


def show_figure(fig, png: str | Path | None = None) -> None:
    """Display a figure once in a Jupyter kernel, then close it (a kernel must not grow with every run).

    With ``png`` (the file just saved from this figure), that file is shown at the figure's on-screen width instead
    of drawing the figure a fourth time: what the notebook shows is the published file, and the inline backend's
    extra render (a third of a PNG+SVG+PDF save) is saved.
    """
    import matplotlib.pyplot as plt

    if _shell() is not None:
        from IPython.display import Image, display

        if png is not None:
            width = int(round(fig.get_figwidth() * fig.dpi))
            display(Image(data=Path(png).read_bytes(), format="png", width=width))
        else:
            display(fig)
    plt.close(fig)


class ExplorerView:
    """An explorer with its page made once: shown in a notebook as that page; anything else goes to the explorer."""

    def __init__(self, explorer, page: str):
        self.explorer = explorer
        self.page = page

    def _repr_html_(self) -> str:
        from ..explore.page import iframe_html

        return iframe_html(self.page, height=self.explorer.height)

    def __getattr__(self, name: str):
        return getattr(self.__dict__["explorer"], name)


def _one_line_error(shell, etype, evalue, tb, tb_offset=None):
    """Show a package error as one line (its message names the parameter and the valid values)."""
    shell._showtraceback(etype, evalue, [f"{etype.__name__}: {evalue}"])


def install_error_handler() -> None:
    """In a Jupyter kernel, show the package's own errors as one line instead of a traceback."""
    shell = _shell()
    if shell is None:
        return
    from ..errors import AnalysisError

    shell.set_custom_exc((AnalysisError,), _one_line_error)


def _number_format(series: pd.Series):
    values = pd.to_numeric(series, errors="coerce").dropna()
    name = str(series.name)
    if name.startswith("p_") or name.endswith("p_value"):
        return "{:.2g}"
    if values.empty or (values.abs() < 1e-12).all():
        return "{:,.0f}"
    if name.endswith("share") or name.startswith("share"):
        return "{:.1%}"
    if (values == values.round()).all():
        return "{:,.0f}"
    return "{:,.2f}" if values.abs().max() >= 1 else "{:.3f}"


def styled(table: pd.DataFrame, *, max_rows: int = 200, hide=()):
    """A pandas Styler: numbers formatted, Chinese text wrapping in full, ids narrow, index hidden."""
    df = table.drop(columns=[c for c in hide if c in table.columns]).head(max_rows)
    df = df.reset_index(drop=not any(n is not None for n in df.index.names))
    style = df.style.hide(axis="index")
    fmt = {c: _number_format(df[c]) for c in df.columns
           if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])}
    style = style.format(fmt, na_rep="")
    texts = [c for c in df.columns if str(c) in TEXT_COLUMNS]
    ids = [c for c in df.columns if str(c) in ID_COLUMNS]
    style = style.set_table_styles([{"selector": "td", "props": "vertical-align: top; text-align: left;"},
                                    {"selector": "th", "props": "text-align: left;"}])
    if texts:
        style = style.set_properties(subset=texts, **{"white-space": "normal", "min-width": "18em",
                                                      "max-width": "40em", "word-break": "break-all"})
    if ids:
        style = style.set_properties(subset=ids, **{"font-size": "75%", "max-width": "10em",
                                                    "word-break": "break-all", "color": "#555"})
    return style


def html_table(table: pd.DataFrame, **kwargs) -> str:
    """The styled table as HTML (static: it survives the HTML export of an executed notebook)."""
    out = styled(table, **kwargs).to_html()
    return re.sub(r'id="T_[0-9a-f]+', 'id="T_table', out)  # stable ids: reports diff cleanly


def show(table: pd.DataFrame, *, max_rows: int = 200, hide=(), caption: str | None = None):
    """Display a table readably in a notebook: a static styled table (kept in reports), with its row count.

    Returns the styled table outside a kernel (so a script can write it), None inside.
    """
    style = styled(table, max_rows=max_rows, hide=hide)
    note = f"{len(table):,} rows" + (f", first {max_rows} shown" if len(table) > max_rows else "")
    cap = f"{html.escape(caption)} · {note}" if caption else note
    style = style.set_caption(cap)
    if _shell() is None:
        return style
    from IPython.display import display

    display(style)
    return None
