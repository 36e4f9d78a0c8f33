"""Indicators: the number grammar, the catalogue, attribution of values to indicators, years and kinds;
extraction, conflicts between documents and target follow-through.

``extract_metrics`` gives one row per stated value with its indicator, value, unit, hedge, year, kind and the
quote with its offsets; ``metric_conflicts``, ``target_follow_through`` and ``metrics_table`` compare them.
"""
from .catalogue import Catalogue, Indicator, catalogue_table, load_catalogue
from .compare import metric_conflicts, metrics_table, target_follow_through
from .extract import METRIC_COLUMNS, extract_metrics
from .numbers import find_quantities, parse_quantity

__all__ = ["extract_metrics", "metric_conflicts", "target_follow_through", "metrics_table", "load_catalogue",
           "catalogue_table", "Catalogue", "Indicator", "METRIC_COLUMNS", "find_quantities", "parse_quantity"]
