"""Comparative analysis of Chinese municipal science-and-technology policy documents.

The public API is re-exported here; see the README for the data flow.
"""
from .config import FIGURES_DIR, REPORTS_DIR, SEEDS_DIR
from .corpus import Corpus, load_corpus
from .errors import AnalysisError, InputError, ManifestError, ParameterError, ResourceError

__version__ = "0.1.0"

__all__ = ["Corpus", "load_corpus", "AnalysisError", "InputError", "ManifestError", "ParameterError",
           "ResourceError", "SEEDS_DIR", "FIGURES_DIR", "REPORTS_DIR", "__version__"]
