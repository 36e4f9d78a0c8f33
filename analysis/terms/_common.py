"""What the term statistics share: column checks, class selection, group matching, document lists."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..errors import ParameterError
from ..segment import TOKEN_CLASSES

#: The denominator of every rate: all tokens that are words (every class but punct).
WORD_CLASSES = ("content", "stop", "formulaic", "number")


def require(tokens: pd.DataFrame, columns: Iterable[str], name: str = "tokens") -> None:
    """Raise ParameterError when the token table lacks a column."""
    if not isinstance(tokens, pd.DataFrame):
        raise ParameterError(name, type(tokens).__name__, reason="expected a token DataFrame from segment.tokenize")
    missing = [c for c in columns if c not in tokens.columns]
    if missing:
        raise ParameterError(name, "DataFrame", sorted(tokens.columns),
                             reason=f"missing column(s) {', '.join(missing)}")


def as_list(by: str | Sequence[str] | None) -> list[str]:
    """A grouping argument as a list of column names."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def check_classes(classes: Iterable[str] | str) -> tuple[str, ...]:
    """Validate a token-class selection."""
    classes = (classes,) if isinstance(classes, str) else tuple(classes)
    bad = [c for c in classes if c not in TOKEN_CLASSES]
    if bad or not classes:
        raise ParameterError("classes", classes, TOKEN_CLASSES)
    return classes


def word_mask(tokens: pd.DataFrame) -> pd.Series:
    """True for tokens that count towards a rate's denominator (every class but punct)."""
    return tokens["class"].isin(WORD_CLASSES)


def match(column: pd.Series, value, name: str) -> pd.Series:
    """Rows whose ``column`` equals ``value`` (or is in it, for a list); tolerant of '2022' vs 2022."""
    values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    mask = column.isin(values)
    if not mask.any():
        as_text = {str(v) for v in values}
        mask = column.astype("string").isin(as_text).fillna(False).astype(bool)
    if not mask.any():
        valid = sorted({str(v) for v in column.dropna().unique()})
        raise ParameterError(name, value, valid[:40], reason=f"no token has {column.name} equal to it")
    return mask


def doc_list(doc_ids: Iterable) -> str:
    """Sorted, comma-separated document ids: the documents a row rests on."""
    return ", ".join(sorted({str(d) for d in doc_ids}))
