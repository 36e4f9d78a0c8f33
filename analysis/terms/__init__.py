"""Tokens -> term statistics: frequencies, TF-IDF, keyness, KWIC, collocations, similarity, keyword shifts.

Every function takes the token table of :func:`analysis.segment.tokenize` (``kwic`` takes the corpus) and returns
a tidy DataFrame with fixed column names; the measure and the inputs are in ``df.attrs``. Rates are per 10,000
words of the group, where words are every token but punctuation. Keyness sign convention: ``g2`` and ``chi2``
are non-negative statistics, ``direction`` says over/under, ``score`` is the chosen measure signed (negative =
under-used), and rows are sorted by ``score`` descending.
"""
from .collocations import collocations, cooccurrence
from .frequencies import similarity, term_frequencies, tfidf, tfidf_matrix
from .keyness import KEYNESS_COLUMNS, adjust_p, contingency_stats, keyness, place_names
from .kwic import KWIC_COLUMNS, kwic
from .shifts import (
           city_vs_rest,
           emergence,
           part_shift,
           pick_emerging,
           term_trends,
           year_trends,
)

__all__ = ["term_frequencies", "tfidf", "tfidf_matrix", "similarity", "keyness", "place_names", "contingency_stats", "adjust_p",
           "kwic", "collocations", "cooccurrence", "part_shift", "year_trends", "emergence", "pick_emerging", "term_trends",
           "city_vs_rest", "KEYNESS_COLUMNS", "KWIC_COLUMNS"]
