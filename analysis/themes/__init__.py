"""Themes and policy instruments: the taxonomy and scheme (data), dictionary coding with evidence, and the
aggregates (shares, the instrument x theme cross-tab, summary -> plan shifts); NMF/LDA topics as a complement.
"""
from .coding import classify_instruments, code_instruments, code_themes
from .instrument_scheme import InstrumentScheme, load_scheme
from .scheme import (
           INSTRUMENT_TYPES,
           Category,
           Cue,
           Taxonomy,
           load_taxonomy,
)
from .stats import (
           instrument_shares,
           instrument_theme_crosstab,
           theme_shares,
           theme_shift,
           with_groups,
)

__all__ = ["code_themes", "code_instruments", "classify_instruments", "load_taxonomy", "load_scheme", "Taxonomy",
           "InstrumentScheme", "Category", "Cue", "INSTRUMENT_TYPES", "theme_shares", "instrument_shares",
           "instrument_theme_crosstab", "theme_shift", "with_groups"]
