"""The canonical text of a development-corpus file, independent of the package's own reading and cleaning.

Gold annotations on ``../shared/corpora`` store character offsets (and a short hash of the span), never text. The
offsets index this text:

* ``.txt``: the file decoded as UTF-8 (a BOM removed), line ends as ``\\n``, nothing else changed;
* ``.docx``: the body paragraphs' text (python-docx ``Document.paragraphs``), joined with ``\\n``.

``span_hash(text, start, end)`` is the first 12 hex digits of the SHA-1 of the span: an evaluation script checks it
before trusting an offset, so a changed source file is detected instead of silently mis-scored.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: Where the development corpora are expected (``$ANALYSIS_CORPORA`` overrides).
CORPORA = Path(os.environ.get("ANALYSIS_CORPORA") or Path(__file__).resolve().parents[1].parent / "shared" / "corpora")


def source_text(path: str | Path) -> str:
    """The canonical text of a ``.txt`` or ``.docx`` file (see the module docstring)."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    text = path.read_bytes().decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def span_hash(text: str, start: int, end: int) -> str:
    """First 12 hex digits of the SHA-1 of ``text[start:end]`` (UTF-8)."""
    return hashlib.sha1(text[start:end].encode("utf-8")).hexdigest()[:12]


def corpora_available() -> bool:
    """True when ``../shared/corpora`` (or ``$ANALYSIS_CORPORA``) is present."""
    return (CORPORA / "sources.csv").is_file()
