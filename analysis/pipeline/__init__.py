"""The one route through the data: the cached build (stages, store, executors), the notebooks' study, the batch.

:func:`build` runs the per-document stages once into a content-keyed store and assembles Parquet tables;
:func:`load_corpus`, the CLI, the notebooks (:func:`open_study`) and the batch (:func:`run_collection`) read them.
"""
from .build import Build, build, clear_cache, load_build, load_corpus

__all__ = ["Build", "build", "load_build", "load_corpus", "clear_cache"]
