"""Near-duplicate detection for ingestion: character k-gram shingles, exact Jaccard, a bottom-k MinHash estimate."""
from __future__ import annotations

import numpy as np

SHINGLE = 5
SKETCH = 256


def shingles(text: str, k: int = SHINGLE) -> np.ndarray:
    """Sorted unique 64-bit hashes of the character k-grams of a text (whitespace should be removed first)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < k:
        return np.unique(codes * np.uint64(0x9E3779B97F4A7C15))
    h = np.zeros(len(codes) - k + 1, dtype=np.uint64)
    for j in range(k):  # polynomial rolling hash; uint64 arithmetic wraps, which is what we want
        h = h * np.uint64(1_000_003) + codes[j: len(codes) - k + 1 + j]
    return np.unique(_mix(h))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the hashes so that the smallest ones are a uniform sample."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique hash arrays."""
    if not len(a) and not len(b):
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def sketch_estimate(a: np.ndarray, b: np.ndarray, k: int = SKETCH) -> float:
    """Bottom-k MinHash estimate of the Jaccard similarity (the arrays are sorted, so a[:k] is the sketch)."""
    sa, sb = a[:k], b[:k]
    union = np.union1d(sa, sb)[:k]
    if not len(union):
        return 1.0
    both = np.intersect1d(sa, sb, assume_unique=True)
    return len(np.intersect1d(union, both, assume_unique=True)) / len(union)
