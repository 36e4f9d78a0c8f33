"""save_figure: PNG/SVG/PDF that are byte-identical from run to run, plus a figures index (index.csv)."""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .. import config
from ..errors import ParameterError
from .style import theme_context

FORMATS = ("png", "svg", "pdf")
INDEX_COLUMNS = ["file", "notebook", "parameters", "caption"]
PNG_DPI = 300

#: Fixed metadata: no dates, no version strings, so that saving twice gives the same bytes.
METADATA = {
    "pdf": {"Creator": "analysis", "Producer": "analysis", "CreationDate": None, "ModDate": None},
    "svg": {"Date": None, "Creator": "analysis"},
    "png": {"Software": "analysis"},
}


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; figures are meant to be shared
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextlib.contextmanager
def _locked(path: Path):
    """Hold an exclusive lock on ``path`` (parallel notebook runs write the same index)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, last writer wins
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _parameters_text(parameters: Mapping | str | None) -> str:
    if parameters is None:
        return ""
    if isinstance(parameters, str):
        return parameters
    return json.dumps(dict(parameters), ensure_ascii=False, sort_keys=True, default=str)


def update_index(out_dir: str | Path, rows: Iterable[Mapping[str, str]]) -> Path:
    """Insert or replace rows (by ``file``) in ``<out_dir>/index.csv``, sorted by file; return its path."""
    import pandas as pd

    from ..files import read_csv, write_csv

    out_dir = Path(out_dir)
    index = out_dir / "index.csv"
    new = pd.DataFrame([{c: str(r.get(c) or "") for c in INDEX_COLUMNS} for r in rows], columns=INDEX_COLUMNS)
    # The lock lives in the cache, not beside the figures, so that figures/ holds figures and index.csv only.
    lock_dir = config.cache_dir() / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    with _locked(lock_dir / f"figures-index-{key}.lock"):
        if index.is_file() and index.stat().st_size:
            old = read_csv(index)
            old = old.reindex(columns=INDEX_COLUMNS, fill_value="")
            old = old[~old["file"].isin(new["file"])]
            new = pd.concat([old, new], ignore_index=True)
        new = new.sort_values("file", kind="stable").reset_index(drop=True)
        write_csv(new, index)  # formula-escaped: captions and parameters are safe to open in a spreadsheet
    return index


def save_figure(fig, name: str, *, out_dir: str | Path | None = None, formats: Iterable[str] = FORMATS,
                caption: str | None = None, notebook: str | None = None,
                parameters: Mapping | str | None = None) -> list[Path]:
    """Write a figure as PNG (300 dpi), SVG and PDF with fixed metadata and record it in ``index.csv``.

    The PDF embeds its fonts as TrueType (Type 42, CIDFontType2) subsets; the SVG draws glyphs as paths. Saving the
    same figure twice, in the same process or another, gives byte-identical files.

    Parameters
    ----------
    fig
        A matplotlib Figure (or an Axes: its figure is saved).
    name
        File stem, e.g. "keyness_dongguan" (no folder, no extension).
    out_dir
        Folder to write to; default ``config.FIGURES_DIR``. Created if missing.
    formats
        Any of "png", "svg", "pdf".
    caption, notebook, parameters
        Recorded in ``<out_dir>/index.csv`` (columns file, notebook, parameters, caption; parameters as sorted
        JSON); re-saving a file replaces its row.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        fig = getattr(fig, "figure", None)
        if not isinstance(fig, Figure):
            raise ParameterError("fig", type(fig).__name__, reason="not a matplotlib Figure or Axes")
    name = str(name)
    if not name or Path(name).name != name or name in (".", "..") or Path(name).suffix.lower().lstrip(".") in FORMATS:
        raise ParameterError("name", name, reason="a file stem without folder or extension, e.g. 'keyness_dongguan'")
    formats = list(dict.fromkeys(formats if not isinstance(formats, str) else [formats]))
    for fmt in formats:
        if fmt not in FORMATS:
            raise ParameterError("formats", fmt, FORMATS)
    out_dir = Path(out_dir) if out_dir is not None else config.FIGURES_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        buffer = io.BytesIO()
        kwargs = {"dpi": PNG_DPI} if fmt == "png" else {}
        with theme_context():  # print settings (fonttype 42, fixed SVG salt) without touching global state
            fig.savefig(buffer, format=fmt, metadata=METADATA[fmt], **kwargs)
        path = out_dir / f"{name}.{fmt}"
        _atomic_write(path, buffer.getvalue())
        paths.append(path)
    row = {"notebook": notebook or "", "parameters": _parameters_text(parameters), "caption": caption or ""}
    update_index(out_dir, [{"file": p.name, **row} for p in paths])
    return paths
