"""Comparative analysis of Chinese municipal science-and-technology policy documents.

The public API is re-exported here; see the README for the data flow
(files -> corpus -> tokens -> terms / themes / metrics -> plots -> notebooks).
"""
from .config import FIGURES_DIR, REPORTS_DIR, SEEDS_DIR
from .corpus import Corpus, load_corpus
from .errors import AnalysisError, InputError, ManifestError, ParameterError, ResourceError

__version__ = "0.1.0"

_LAZY = {
    # module: names (imported on first use, so `import analysis` stays light for the CLI)
    "segment": ("tokenize", "segmenter_agreement"),
    "terms": ("keyness", "kwic", "term_frequencies", "tfidf", "similarity", "collocations", "cooccurrence",
              "part_shift", "year_trends", "emergence", "term_trends", "city_vs_rest"),
    "themes": ("code_themes", "code_instruments", "classify_instruments", "load_taxonomy", "load_scheme"),
    "theme_stats": ("theme_shares", "instrument_shares", "instrument_theme_crosstab", "theme_shift", "with_groups"),
    "theme_agreement": ("agreement", "agreement_report"),
    "numbers": ("parse_quantity", "find_quantities"),
    "metrics": ("extract_metrics", "metric_conflicts", "target_follow_through", "metrics_table", "load_catalogue"),
    "build": ("load_build",),  # not `build`: that name is the submodule
    "batch": ("run_collection",),
    "study": ("open_study",),
    "plots": ("save_figure", "set_theme"),
}
_WHERE = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


__all__ = ["Corpus", "load_corpus", "AnalysisError", "InputError", "ManifestError", "ParameterError",
           "ResourceError", "SEEDS_DIR", "FIGURES_DIR", "REPORTS_DIR", "__version__", *_WHERE]
