"""Data quality in plain words: "how complete" (gaps, substituted values) apart from "how long"
(a complete but short period), each with its reason, and consistent with the counts shown next to
it (a curve with no missing value is 100 % complete, whatever its length)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from advisor.analysis import data_quality
from advisor.loadcurve import make_load_curve
from advisor.texts import localize
from tests.conftest import shared_path


def _curve(days: int, minutes: int = 15, start: str = "2025-01-01", gaps: int = 0, substituted: int = 0):
    idx = pd.date_range(start, periods=days * 24 * 60 // minutes, freq=f"{minutes}min", tz="Europe/Berlin")
    rng = np.random.default_rng(3)
    e = pd.Series(0.05 + rng.gamma(2.0, 0.03, len(idx)) * minutes / 15, index=idx)
    q = pd.Series("measured", index=idx)
    if gaps:
        e.iloc[100 : 100 + gaps] = np.nan
    if substituted:
        q.iloc[500 : 500 + substituted] = "substituted"
    return make_load_curve(e, interval_minutes=minutes, quality=q)


def test_complete_month_is_complete_but_short():
    dq = data_quality(_curve(31))
    assert dq.completeness == 1.0  # no gap, no substitute: complete
    assert dq.year_coverage == pytest.approx(31 / 365, rel=0.01)  # ... but a month, not a year
    assert dq.days_with_data == pytest.approx(31.0)
    de = localize(dq.completeness_reason, "de")
    assert "keine Lücken" in de and "keine Ersatzwerte" in de
    length_de = localize(dq.length_reason, "de")
    assert "31 Tage" in length_de and "hochgerechnet" in length_de
    assert dq.plausibility_reason == ""


def test_complete_year_is_complete_and_long():
    dq = data_quality(_curve(365))
    assert dq.completeness == 1.0 and dq.year_coverage == 1.0 and dq.score == pytest.approx(1.0)
    assert "hochgerechnet" not in localize(dq.length_reason, "de")
    assert "365" in localize(dq.length_reason, "de")


def test_gaps_lower_completeness_not_length_and_say_how_many():
    c = _curve(365, gaps=96)  # one day missing
    dq = data_quality(c)
    assert dq.completeness == pytest.approx(1 - 96 / c.n_intervals)
    assert dq.n_gaps == 1 and dq.longest_gap_hours == pytest.approx(24.0)
    de = localize(dq.completeness_reason, "de")
    assert "fehlen" in de and "24" in de, de
    assert "Lücken" not in localize(data_quality(_curve(365)).completeness_reason, "en")


def test_substituted_values_lower_completeness_with_their_reason():
    dq = data_quality(_curve(31, substituted=300))
    assert dq.completeness < 1.0
    assert "Ersatzwerte" in localize(dq.completeness_reason, "de")
    assert "substitute" in localize(dq.completeness_reason, "en")


def test_hourly_curve_counts_days_not_quarter_hours():
    dq = data_quality(_curve(10, minutes=60))
    assert dq.days_with_data == pytest.approx(10.0) and dq.completeness == 1.0


def test_zero_readings_are_a_separate_plausibility_reason():
    c = _curve(31)
    e = c.data["energy_kwh"].copy()
    e.iloc[: len(e) // 2] = 0.0
    dq = data_quality(make_load_curve(e, interval_minutes=15))
    assert dq.completeness == 1.0  # nothing is missing
    assert dq.plausibility < 1.0 and "null" in localize(dq.plausibility_reason, "de")


def test_every_shared_sample_completeness_agrees_with_its_missing_count():
    """Over every real file: completeness 1 exactly when nothing is missing or substituted."""
    import advisor

    folder = shared_path("formats")
    if folder is None or not folder.is_dir():
        pytest.skip("../shared/data/formats not present")
    seen = 0
    for f in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() not in (".md",)):
        try:
            curves = advisor.read_load_curves(f)
        except Exception:  # noqa: BLE001 - files the importer refuses are not this test's subject
            continue
        for c in curves:
            dq = data_quality(c)
            clean = c.missing_intervals == 0 and dq.substituted_share == 0 and dq.filled_share == 0
            clean = clean and dq.estimated_share == 0
            assert (dq.completeness == 1.0) == clean, (f.name, dq.completeness, c.missing_intervals)
            assert 0.0 <= dq.completeness <= 1.0 and 0.0 <= dq.year_coverage <= 1.0
            seen += 1
    assert seen >= 3
