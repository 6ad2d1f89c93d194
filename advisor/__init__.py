"""Energie-Advisor: household energy-efficiency advice on real smart-meter load curves.

The small public API; everything else is reached through its module.
"""

from advisor.errors import AdvisorError, DataQualityWarning, LoadCurveError, NotFittedError
from advisor.ingest import ReadOptions, read_load_curve, read_load_curves
from advisor.loadcurve import CurveMeta, Direction, LoadCurve, Quality, make_load_curve, validate_load_curve
from advisor.seeds import Seeds, load_seeds

__version__ = "0.1.0"

__all__ = [
    "AdvisorError",
    "CurveMeta",
    "DataQualityWarning",
    "Direction",
    "LoadCurve",
    "LoadCurveError",
    "NotFittedError",
    "Quality",
    "ReadOptions",
    "Seeds",
    "load_seeds",
    "make_load_curve",
    "read_load_curve",
    "read_load_curves",
    "validate_load_curve",
]
