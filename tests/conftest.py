"""Shared fixtures: the seed corpus loaded once (with and without the manifest), figure hygiene, an isolated cache."""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"

# keep test runs from touching the user's cache; one cache per test session
os.environ.setdefault("ANALYSIS_CACHE", str(REPO / ".cache" / "test-analysis"))
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def corpus():
    """The bundled seeds with their manifest (what a careful reader knows)."""
    from analysis import load_corpus

    return load_corpus()


@pytest.fixture(scope="session")
def inferred_corpus():
    """The bundled seeds by inference alone (no manifest)."""
    from analysis import load_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_corpus(manifest=False)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
