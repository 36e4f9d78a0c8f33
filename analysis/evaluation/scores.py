"""The agreement statistics every evaluation reports, written once: precision/recall/F1 and Cohen's kappa."""
from __future__ import annotations

from collections.abc import Sequence


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (NaN where undefined; F1 is 0 when nothing matched but something was
    expected or predicted)."""
    nan = float("nan")
    p = tp / (tp + fp) if tp + fp else nan
    r = tp / (tp + fn) if tp + fn else nan
    f = 2 * p * r / (p + r) if tp else (0.0 if (tp + fp + fn) else nan)
    return p, r, f


def kappa(gold: Sequence, predicted: Sequence) -> float:
    """Cohen's kappa of two labelings of the same items (scikit-learn's); NaN for no items."""
    if not len(gold):
        return float("nan")
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(list(gold), list(predicted)))
