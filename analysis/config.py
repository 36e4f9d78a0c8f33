"""Paths and settings from one place (cookiecutter-data-science): never '../data' relative to a notebook."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository checkout (the package is installed editable from it).
REPO_ROOT = PACKAGE_DIR.parent
SEEDS_DIR = REPO_ROOT / "seeds"
SEEDS_MANIFEST = SEEDS_DIR / "corpus.csv"
FIGURES_DIR = REPO_ROOT / "figures"
REPORTS_DIR = REPO_ROOT / "reports"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"


def cache_dir() -> Path:
    """Return the on-disk cache folder (``$ANALYSIS_CACHE`` or ``<repo>/.cache/analysis``)."""
    return Path(os.environ.get("ANALYSIS_CACHE") or REPO_ROOT / ".cache" / "analysis")


def resource_path(name: str) -> Path:
    """Return the path of a bundled resource file in ``analysis/resources``."""
    return Path(str(resources.files("analysis") / "resources" / name))
