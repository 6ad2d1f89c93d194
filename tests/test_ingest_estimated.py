"""Estimated curves (BDEW H25 shape) from an annual consumption or from dated meter readings."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from advisor.errors import LoadCurveError
from advisor.ingest.estimated import MeterReading, estimate_from_annual, estimate_from_readings
from advisor.loadcurve import Quality


@pytest.fixture(scope="module")
def year_2025():
    return estimate_from_annual(3500, 2025)


def test_annual_full_year_sums_and_flags(year_2025):
    c = year_2025
    assert c.n_intervals == 35040
    assert float(c.data["energy_kwh"].sum()) == pytest.approx(3500.0, rel=1e-12)
    assert c.count(Quality.ESTIMATED) == c.n_intervals
    assert c.meta.source_format == "estimated"
    s = c.summary()
    assert s["estimated_intervals"] == 35040 and s["energy_kwh"] == 0.0  # nothing measured
    per_day = c.local_index().normalize().value_counts()
    assert per_day[pd.Timestamp("2025-03-30", tz="Europe/Berlin")] == 92
    assert per_day[pd.Timestamp("2025-10-26", tz="Europe/Berlin")] == 100
    assert c.start == pd.Timestamp("2025-01-01", tz="Europe/Berlin")
    assert c.end == pd.Timestamp("2026-01-01", tz="Europe/Berlin")


def test_annual_shape_is_h25_like(year_2025):
    # H25: more in winter than in summer, evening peak above the night
    month = year_2025.data["energy_kwh"].resample("MS").sum()
    assert month.iloc[0] > month.iloc[6] * 1.2
    hourly = year_2025.data["energy_kwh"].groupby(year_2025.local_index().hour).mean()
    assert hourly.loc[19] > 2 * hourly.loc[3]


def test_annual_partial_periods_add_up_and_other_resolutions():
    a = estimate_from_annual(3500, start="2025-01-01", end="2025-07-01")
    b = estimate_from_annual(3500, start=dt.date(2025, 7, 1), end=dt.date(2026, 1, 1))
    assert float(a.energy_kwh.sum() + b.energy_kwh.sum()) == pytest.approx(3500.0, rel=1e-12)
    h = estimate_from_annual(2000, 2024, interval_minutes=60)
    assert h.n_intervals == 8784 and float(h.energy_kwh.sum()) == pytest.approx(2000.0)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"annual_kwh": -5, "year": 2025}, "positive"),
        ({"annual_kwh": float("nan"), "year": 2025}, "positive"),
        ({"annual_kwh": 5e6, "year": 2025}, "implausible"),
        ({"annual_kwh": "viel", "year": 2025}, "number"),
        ({"annual_kwh": 3500}, "either `year`"),
        ({"annual_kwh": 3500, "start": "2025-02-01", "end": "2025-01-01"}, "must be after"),
        ({"annual_kwh": 3500, "year": 2025, "interval_minutes": 5}, "interval_minutes"),
    ],
)
def test_annual_refusals(kwargs, pattern):
    with pytest.raises(LoadCurveError, match=pattern):
        estimate_from_annual(**kwargs)


def test_readings_reproduce_every_difference():
    readings = [(dt.date(2024, 1, 1), 10000.0), (dt.date(2024, 4, 1), 11000.0), (dt.date(2024, 12, 31), 13500.5)]
    c = estimate_from_readings(readings)
    e = c.data["energy_kwh"]
    assert e[:"2024-03-31"].sum() == pytest.approx(1000.0, rel=1e-12)
    assert e["2024-04-01":].sum() == pytest.approx(2500.5, rel=1e-12)
    assert c.count(Quality.ESTIMATED) == c.n_intervals == 365 * 96
    assert c.start == pd.Timestamp("2024-01-01", tz="Europe/Berlin")
    assert c.end == pd.Timestamp("2024-12-31", tz="Europe/Berlin")
    # inside a period the H25 shape: a January evening above a January night
    assert e["2024-01-10 19:00":"2024-01-10 19:45"].sum() > e["2024-01-10 03:00":"2024-01-10 03:45"].sum()


def test_readings_unsorted_strings_and_meter_change():
    readings = [
        ("2024-07-01", 400.0),
        MeterReading("2024-01-01", 5000.0),
        ("2024-04-01", 5800.0),
        ("2024-04-01", 0.0, "new_meter"),  # old meter's final and new meter's first reading, same day
    ]
    c = estimate_from_readings(readings, interval_minutes=60)
    e = c.data["energy_kwh"]
    assert e[:"2024-03-31"].sum() == pytest.approx(800.0)
    assert e["2024-04-01":].sum() == pytest.approx(400.0)
    assert c.missing_intervals == 0
    # a meter change with a gap in time: that period is unknown
    c = estimate_from_readings(
        [("2024-01-01", 100), ("2024-02-01", 200), ("2024-03-01", 10, "new_meter"), ("2024-04-01", 60)]
    )
    feb = c.data.loc["2024-02-01":"2024-02-29"]
    assert (feb["quality"] == Quality.MISSING.value).all()
    assert float(c.data["energy_kwh"].sum()) == pytest.approx(150.0)
    assert any("meter change" in w for w in c.meta.warnings)


@pytest.mark.parametrize(
    ("readings", "pattern"),
    [
        ([("2024-01-01", 100)], "at least two"),
        ([], "at least two"),
        ([("2024-01-01", 100), ("2024-02-01", 90)], "goes backwards from 100 to 90"),
        ([("2024-01-01", 100), ("2024-01-01", 120)], "two different readings"),
        ([("2024-01-01", 100), ("2024-02-01", 1_000_000)], "plausible for a household"),
        ([("2024-01-01", -1), ("2024-02-01", 5)], ">= 0"),
        ([("2024-01-01", "x"), ("2024-02-01", 5)], "not a number"),
        ([("gestern", 1), ("2024-02-01", 5)], "not a date"),
        ([("2024-01-01 10:07", 1), ("2024-02-01", 5)], "grid"),
        ([("2024-01-01", 1, "oops"), ("2024-02-01", 5)], "new_meter"),
    ],
)
def test_readings_refusals(readings, pattern):
    with pytest.raises(LoadCurveError, match=pattern):
        estimate_from_readings(readings)


def test_cli_estimate(tmp_path, capsys):
    from advisor.cli import main
    from advisor.ingest import read_load_curve

    out = tmp_path / "x.parquet"
    code = main(["estimate", "--annual-kwh", "3500", "--year", "2025", "--out", str(out), "--json"])
    res = capsys.readouterr()
    assert code == 0, res.err
    obj = json.loads(res.out)
    assert obj["format"] == "estimated" and obj["estimated_intervals"] == 35040
    assert obj["estimated_energy_kwh"] == pytest.approx(3500.0)
    back = read_load_curve(out)
    assert back.count(Quality.ESTIMATED) == 35040
    assert float(back.energy_kwh.sum()) == pytest.approx(3500.0)
    code = main(["estimate", "--reading", "2024-01-01=100", "--reading", "2024-02-01=350,5", "--json"])
    res = capsys.readouterr()
    assert code == 0, res.err
    assert json.loads(res.out)["estimated_energy_kwh"] == pytest.approx(250.5)
    assert main(["estimate", "--annual-kwh", "3500"]) == 2
    assert main(["estimate", "--reading", "2024-01-01=100"]) == 2
    assert main(["estimate", "--reading", "2024-01-01=100", "--reading", "2024-02-01=50"]) == 2
    assert "backwards" in capsys.readouterr().err
    assert np.isfinite(obj["estimated_energy_kwh"])
