"""Energie-Advisor: household energy-efficiency advice on real smart-meter load curves.

The small public API; everything else is reached through its module. The heavier entry points
(analysis, PV, recommendations) are imported on first use; forecasting is
``advisor.forecast.forecast`` (the module shares the name), so ``import advisor``
stays fast for the CLI and the app.
"""

from __future__ import annotations

import importlib

from advisor.errors import AdvisorError, DataQualityWarning, LoadCurveError, NotFittedError
from advisor.ingest import ReadOptions, read_load_curve, read_load_curves
from advisor.loadcurve import LoadCurve, Quality, make_load_curve
from advisor.seeds import load_seeds

__version__ = "0.1.0"

_LAZY = {
    "Household": "advisor.household",
    "analyse": "advisor.analysis",
    "simulate_pv": "advisor.pv",
    "self_consumption": "advisor.pv",
    "recommend": "advisor.measures",
    "assess_household": "advisor.assessment",
    "render_report": "advisor.report",
}

__all__ = [
    "AdvisorError",
    "DataQualityWarning",
    "LoadCurve",
    "LoadCurveError",
    "NotFittedError",
    "Quality",
    "ReadOptions",
    "load_seeds",
    "make_load_curve",
    "read_load_curve",
    "read_load_curves",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'advisor' has no attribute {name!r}")
