"""KWIC concordance: a term or regex in the document text, with character windows that cross sentences."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import ParameterError

KWIC_COLUMNS = ["doc_id", "unit_id", "part", "section_path", "left", "keyword", "right", "start", "end"]
_WS = re.compile(r"\s+")


def kwic(corpus, pattern: str, *, regex: bool = False, window: int = 20) -> pd.DataFrame:
    """Find ``pattern`` in every document and show it in context.

    Parameters
    ----------
    corpus
        A :class:`analysis.corpus.Corpus`, a docs DataFrame (doc_id, text) or a units DataFrame (doc_id,
        unit_id, start, end, text; the document text is rebuilt from the units, gaps as line breaks).
    pattern
        A literal term, or a regular expression with ``regex=True``.
    window
        Characters of context on each side (whitespace in the context is shown as one space).

    Returns
    -------
    DataFrame
        doc_id, unit_id (the sentence the match starts in), part, section_path, left, keyword, right, start,
        end (offsets of the keyword in the document text), in document and offset order.
    """
    if not isinstance(pattern, str) or not pattern:
        raise ParameterError("pattern", pattern, reason="give a non-empty term or regular expression")
    if not isinstance(window, (int, np.integer)) or window < 0:
        raise ParameterError("window", window, reason="must be a non-negative number of characters")
    try:
        rx = re.compile(pattern if regex else re.escape(pattern))
    except re.error as exc:
        raise ParameterError("pattern", pattern, reason=f"not a valid regular expression ({exc})") from exc
    texts, units = _texts_and_units(corpus)

    rows = []
    for doc_id, text in texts.items():
        doc_units = units.get(doc_id)
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if s == e:
                continue
            unit_id = part = section_path = None
            if doc_units is not None and len(doc_units):
                i = int(np.searchsorted(doc_units["start"].to_numpy(), s, side="right")) - 1
                if i >= 0 and s < doc_units["end"].iat[i]:
                    unit_id = doc_units["unit_id"].iat[i]
                    part = doc_units["part"].iat[i] if "part" in doc_units else None
                    section_path = doc_units["section_path"].iat[i] if "section_path" in doc_units else None
            rows.append((doc_id, unit_id, part, section_path, _flat(text[max(0, s - window):s]), m.group(),
                         _flat(text[e:e + window]), s, e))
    out = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    out = out.astype({"start": "int64", "end": "int64"})
    out.attrs = {"pattern": pattern, "regex": regex, "window": window}
    return out


def _flat(text: str) -> str:
    return _WS.sub(" ", text)


def _texts_and_units(corpus) -> tuple[dict[str, str], dict[str, pd.DataFrame]]:
    docs = units = None
    if hasattr(corpus, "docs") and hasattr(corpus, "units"):
        docs, units = corpus.docs, corpus.units
    elif isinstance(corpus, pd.DataFrame) and "unit_id" in corpus.columns:
        units = corpus
    elif isinstance(corpus, pd.DataFrame):
        docs = corpus
    else:
        raise ParameterError("corpus", type(corpus).__name__, reason="give a Corpus, a docs or a units DataFrame")
    by_doc: dict[str, pd.DataFrame] = {}
    if units is not None:
        missing = {"doc_id", "unit_id", "start", "end"} - set(units.columns)
        if missing:
            raise ParameterError("units", "DataFrame", reason=f"missing columns: {', '.join(sorted(missing))}")
        for doc_id, g in units.groupby("doc_id", sort=False):
            by_doc[str(doc_id)] = g.sort_values("start", kind="stable").reset_index(drop=True)
    if docs is not None:
        if not {"doc_id", "text"} <= set(docs.columns):
            raise ParameterError("docs", "DataFrame", reason="needs columns doc_id and text")
        texts = {str(d): (t if isinstance(t, str) else "") for d, t in zip(docs["doc_id"], docs["text"])}
    else:
        if "text" not in units.columns:
            raise ParameterError("units", "DataFrame", reason="needs a text column")
        texts = {}
        for doc_id, g in by_doc.items():
            chars = ["\n"] * int(g["end"].max())
            for s, t in zip(g["start"], g["text"]):
                chars[int(s):int(s) + len(t)] = list(t)
            texts[doc_id] = "".join(chars)
    return texts, by_doc
