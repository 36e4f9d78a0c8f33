"""Comparative analysis of Chinese government science-and-technology policy documents.

The public API is re-exported here; the data flow is
files -> ``corpus`` -> ``segment`` -> ``terms`` / ``themes`` / ``metrics`` -> ``plots`` / ``explore`` -> notebooks,
run once per document by the cached build in ``pipeline``, which every reader (API, CLI, notebooks) goes through.
"""
from .config import FIGURES_DIR, REPORTS_DIR, SEEDS_DIR
from .errors import (
    AnalysisError,
    AnalysisWarning,
    InputError,
    ManifestError,
    ParameterError,
    ResourceError,
)

__version__ = "0.2.0"

_LAZY = {
    # module: names (imported on first use, so `import analysis` stays light for the CLI)
    "corpus": ("Corpus",),
    "pipeline.build": ("build", "load_build", "load_corpus", "Build"),
    "segment": ("tokenize", "segmenter_agreement"),
    "terms": ("keyness", "kwic", "term_frequencies", "tfidf", "similarity", "collocations", "cooccurrence",
              "part_shift", "year_trends", "emergence", "term_trends", "city_vs_rest"),
    "themes": ("code_themes", "code_instruments", "classify_instruments", "load_taxonomy", "load_scheme",
               "theme_shares", "instrument_shares", "instrument_theme_crosstab", "theme_shift", "with_groups"),
    "themes.topics": ("topics",),
    "evaluation.themes": ("agreement", "agreement_report"),
    "metrics": ("extract_metrics", "metric_conflicts", "target_follow_through", "metrics_table", "load_catalogue",
                "parse_quantity", "find_quantities"),
    "pipeline.batch": ("run_collection",),
    "pipeline.study": ("open_study",),
    "plots": ("save_figure", "set_theme"),
}
_WHERE = {name: module for module, names in _LAZY.items() for name in names}
#: module names of the first layout, kept working for notebooks and scripts written against them
_MOVED = {"theme_stats": "themes.stats", "topics": "themes.topics", "theme_agreement": "evaluation.themes",
          "metrics_evaluation": "evaluation.metrics", "numbers": "metrics.numbers", "study": "pipeline.study",
          "batch": "pipeline.batch", "overview": "corpus.overview", "ingest": "corpus.ingest"}


def __getattr__(name: str):
    import importlib

    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    elif name in _MOVED:
        value = importlib.import_module(f".{_MOVED[name]}", __name__)
    else:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = ["AnalysisError", "AnalysisWarning", "InputError", "ManifestError", "ParameterError", "ResourceError",
           "SEEDS_DIR", "FIGURES_DIR", "REPORTS_DIR", "__version__", *_WHERE]
