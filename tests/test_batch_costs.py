"""Work a batch household must not repeat (issue 19, batch speed): each test counts the calls of
one costly step and fails when the step is done again for what was already computed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from babel import numbers as babel_numbers
from hypothesis import example, given, settings
from hypothesis import strategies as st

import advisor.economics as economics
import advisor.forecast as forecast
import advisor.pv as pv
from advisor.formatting import formatter
from advisor.seeds import load_seeds


def _counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_feed_in_rate_is_looked_up_once_for_every_household_copy_of_the_seed_table(monkeypatch):
    seeds = load_seeds()
    economics._RATES.clear()
    calls = _counting(monkeypatch, economics, "eeg_feed_in_rate")
    rates = set()
    for _ in range(5):  # five households, each with its own copy of the same table
        s = economics.EconomicsSettings.from_seeds(seeds, commissioning=pd.Timestamp("2026-11-24").date())
        for kwp in (4.0, 8.0, 12.0):
            rates.add((kwp, economics._cached_rate(s, kwp).rate_eur_per_kwh))
    assert len(calls) == 3
    assert len(rates) == 3


def test_a_changed_seed_table_is_not_served_from_the_cache():
    seeds = load_seeds()
    s = economics.EconomicsSettings.from_seeds(seeds, commissioning=pd.Timestamp("2026-11-24").date())
    rate = economics._cached_rate(s, 8.0).rate_eur_per_kwh
    table = s.eeg_table.copy()
    table["partial_ct_per_kwh"] = table["partial_ct_per_kwh"].astype(float) / 2
    from dataclasses import replace

    halved = economics._cached_rate(replace(s, eeg_table=table), 8.0).rate_eur_per_kwh
    assert halved == pytest.approx(rate / 2, rel=0.02)


def test_numbers_are_formatted_without_parsing_the_pattern_again(monkeypatch):
    f = formatter("de")
    warm = (f.number(1234.5, 1), f.eur(12.5, 2), f.pct(12.3, 1), f.number(3))
    calls = _counting(monkeypatch, babel_numbers.NumberPattern, "__init__")  # a parsed pattern
    again = (f.number(1234.5, 1), f.eur(12.5, 2), f.pct(12.3, 1), f.number(3))
    for x in range(100):
        f.number(x * 1.5, 1)
    assert again == warm == ("1.234,5", warm[1], warm[2], "3")
    assert calls == []


def test_the_weather_of_a_sizing_sweep_is_hashed_once(monkeypatch):
    idx = pd.date_range("2025-01-01", periods=96 * 14, freq="15min", tz="Europe/Berlin")
    hours = idx.hour.to_numpy() + idx.minute.to_numpy() / 60
    sun = np.clip(np.sin((hours - 6) / 12 * np.pi), 0, None)
    weather = pd.DataFrame(
        {"ghi": 500 * sun, "dni": 300 * sun, "dhi": 200 * sun, "temp_air": 5.0, "wind_speed": 2.0}, index=idx
    )
    weather.attrs.update(latitude=51.5, longitude=7.2)
    calls = _counting(monkeypatch, pv, "_weather_fingerprint")
    first = pv.weather_fingerprint(weather)
    for _ in range(10):
        assert pv.weather_fingerprint(weather) == first
    assert len(calls) == 1
    other = weather.copy()
    other["ghi"] = other["ghi"] * 0.9
    assert pv.weather_fingerprint(other) != first  # another frame is hashed on its own
    assert len(calls) == 2


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 12), min_size=1, max_size=400),
    st.integers(0, 2**31 - 1),
)
def test_month_sums_equal_the_groupby_sums(months, seed):
    rng = np.random.default_rng(seed)
    a = rng.gamma(2.0, 3.0, len(months))
    p = rng.gamma(2.0, 3.0, len(months))
    frame = pd.DataFrame({"a": a, "p": p, "m": months})
    expected = frame.groupby("m").agg(a=("a", "sum"), p=("p", "sum"), n=("a", "size"))
    got = forecast._month_sums(np.array(months), a=a, p=p)
    assert list(got.index) == list(expected.index)
    np.testing.assert_allclose(got["a"], expected["a"], rtol=1e-12)
    np.testing.assert_allclose(got["p"], expected["p"], rtol=1e-12)
    assert list(got["n"]) == list(expected["n"])


def test_daily_h25_weights_of_a_period_are_built_once(monkeypatch):
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D", tz="Europe/Berlin")
    forecast._daily_h25_span.cache_clear()
    calls = _counting(monkeypatch, forecast, "_h25_hourly")
    first = forecast._daily_h25(days, "Europe/Berlin", "DE-NW")
    first.iloc[0] = -1.0  # a caller changing its result does not change the cache
    for _ in range(4):
        again = forecast._daily_h25(days, "Europe/Berlin", "DE-NW")
    assert len(calls) == 1
    assert again.iloc[0] > 0 and again.sum() == pytest.approx(365.0, rel=0.01)


def test_the_try_region_of_a_site_is_looked_up_once(monkeypatch):
    import advisor.weather as weather

    weather._region_of.cache_clear()
    calls = _counting(monkeypatch, weather, "_inside")
    first = weather.try_region(51.54, 7.22)
    n_first = len(calls)
    for _ in range(5):
        assert weather.try_region(51.54, 7.22) == first == 5
    assert len(calls) == n_first > 0
    with pytest.raises(weather.WeatherError):
        weather.try_region(48.85, 2.35)  # Paris: no TRY region, still refused


def _sunny_weather(days: int = 14, scale: float = 1.0) -> pd.DataFrame:
    idx = pd.date_range("2025-06-01", periods=96 * days, freq="15min", tz="Europe/Berlin")
    hours = idx.hour.to_numpy() + idx.minute.to_numpy() / 60
    sun = np.clip(np.sin((hours - 6) / 12 * np.pi), 0, None) * scale
    weather = pd.DataFrame(
        {"ghi": 700 * sun, "dni": 500 * sun, "dhi": 200 * sun, "temp_air": 18.0, "wind_speed": 2.0}, index=idx
    )
    weather.attrs.update(latitude=51.5, longitude=7.2)
    return weather


def test_a_system_on_the_same_weather_is_simulated_once_for_every_household(monkeypatch):
    pv._SYSTEMS.clear()
    calls = _counting(monkeypatch, pv, "_finish")
    base = pv.PVSystemSpec.single(1.0)
    first = [pv.pv_profile(base, _sunny_weather()).system(base.scaled(k)) for k in (3.0, 6.0)]
    for _ in range(4):  # four more households: their own (equal) weather frames, the same systems
        again = [pv.pv_profile(base, _sunny_weather()).system(base.scaled(k)) for k in (3.0, 6.0)]
    assert len(calls) == 2
    assert [r.annual_yield_kwh for r in again] == [r.annual_yield_kwh for r in first]
    with pytest.raises(ValueError):  # shared results cannot be changed in place
        again[0].energy_kwh.iloc[40] = 1.0
    # another weather, another spec (losses, inverter) or another orientation: simulated on its own
    cloudy = pv.pv_profile(base, _sunny_weather(scale=0.5)).system(base.scaled(3.0))
    lossy = pv.pv_profile(base, _sunny_weather()).system(pv.PVSystemSpec.single(3.0, losses_pct=20.0))
    small_inverter = pv.pv_profile(base, _sunny_weather()).system(pv.PVSystemSpec.single(3.0, inverter_kw=1.5))
    east = pv.PVSystemSpec.single(1.0, azimuth_deg=90.0)
    facing_east = pv.pv_profile(east, _sunny_weather()).system(east.scaled(3.0))
    assert len(calls) == 6
    assert cloudy.annual_yield_kwh < first[0].annual_yield_kwh
    assert lossy.annual_yield_kwh < first[0].annual_yield_kwh
    assert small_inverter.clipped_kwh > 0 == first[0].clipped_kwh
    assert facing_east.annual_yield_kwh != first[0].annual_yield_kwh
    uncached = pv.PVProfile(first[0].energy_kwh.to_numpy() * 0 + 0.5, first[0].energy_kwh.index, 15).system(base.scaled(3.0))
    assert len(calls) == 7 and uncached.annual_yield_kwh > 0  # a profile made by hand is not cached


def test_battery_sizes_of_one_system_share_the_dispatch_runs(monkeypatch):
    import advisor.battery as battery

    idx = pd.date_range("2025-06-01", periods=96 * 7, freq="15min", tz="Europe/Berlin")
    rng = np.random.default_rng(3)
    load = pd.Series(rng.gamma(2.0, 0.05, len(idx)), index=idx)
    gen = pd.Series(np.clip(np.sin((idx.hour.to_numpy() - 6) / 12 * np.pi), 0, None) * 0.6, index=idx)
    prepared = pv.prepare_load(load)
    calls = _counting(monkeypatch, pv, "dispatch_runs")
    values = prepared.pv_values(gen)
    results = [prepared.flows(values, battery.BatterySpec(capacity_kwh=k)) for k in (2.0, 5.0, 10.0)]
    assert len(calls) == 1
    for k, r in zip((2.0, 5.0, 10.0), results, strict=True):
        alone = pv.self_consumption(load, gen, battery.BatterySpec(capacity_kwh=k))
        assert alone.battery_discharge_kwh == r.battery_discharge_kwh > 0
        np.testing.assert_array_equal(alone.flows.to_numpy(), r.flows.to_numpy())
        # the runs from the step's own sign (dispatch without shared runs) give the same flows
        direct = np.minimum(load.to_numpy(), values)
        own = battery.dispatch_battery(values - direct, load.to_numpy() - direct, battery.BatterySpec(capacity_kwh=k),
                                       interval_minutes=15)  # fmt: skip
        np.testing.assert_array_equal(own.discharge_kwh, r.values("battery_discharge_kwh"))
        np.testing.assert_array_equal(own.soc_kwh, r.values("soc_kwh"))
    assert len({r.battery_discharge_kwh for r in results}) == 3


@settings(max_examples=30, deadline=None)
@given(
    st.integers(0, 3 * 365 * 24),
    st.integers(1, 800),
    st.sampled_from(["Europe/Berlin", "Europe/London", "UTC", None]),
    st.sampled_from(["DE-NW", "DE-BY", "GB-ENG"]),
    st.sampled_from(["15min", "h", "D"]),
)
@example(577, 61, "Europe/London", "DE-NW", "D")  # starts on the March DST change
def test_holidays_of_local_dates_equal_the_date_by_date_lookup(start_h, n, tz, region, freq):
    from advisor.holidays_de import holiday_dates, is_holiday

    utc = pd.date_range(pd.Timestamp("2023-01-01") + pd.Timedelta(hours=start_h), periods=n, freq=freq, tz="UTC")
    dates = utc.tz_localize(None) if tz is None else utc.tz_convert(tz)  # no nonexistent local times
    known = set(holiday_dates(region, set(dates.year)))
    expected = np.array([x.date() in known for x in dates], dtype=bool)  # the former loop
    np.testing.assert_array_equal(is_holiday(dates, region), expected)


def test_the_annual_energy_of_a_curve_is_computed_once(monkeypatch):
    import advisor.annual as annual
    from advisor.synthetic import SyntheticSpec, synthetic_household

    curve = synthetic_household(SyntheticSpec(year=2024, interval_minutes=15, seed=5)).curve
    calls = _counting(monkeypatch, annual, "_annual_energy")
    first = annual.annual_energy(curve)
    same = curve.with_meta(meter_id="another name, same data")
    assert annual.annual_energy(same) is first and annual.annual_energy(curve) is first
    assert len(calls) == 1
    other_region = annual.annual_energy(curve.with_meta(holiday_region="DE-BY"))  # another H25 calendar
    halved = curve.with_meta()
    object.__setattr__(halved, "data", curve.data.assign(energy_kwh=curve.data["energy_kwh"] / 2))
    assert annual.annual_energy(halved).annual_kwh == pytest.approx(first.annual_kwh / 2)
    assert len(calls) == 3 and other_region.annual_kwh == pytest.approx(first.annual_kwh, rel=0.01)


def _clear_worker_caches() -> None:
    """Every per-process cache of the assessment path, as in a fresh batch worker."""
    import advisor.annual as annual
    import advisor.profiles as profiles

    pv._SYSTEMS.clear()
    pv.DEFAULT_CACHE.clear()
    economics._NOTES.clear()
    economics._LAST_CELLS.clear()
    economics._CELLS.clear()
    economics._RATES.clear()
    annual._LAST.clear()
    profiles._year_weights.cache_clear()


def test_letters_and_rows_do_not_depend_on_what_the_worker_did_before(tmp_path):
    """The same household's letter (HTML bytes, PDF bytes without dates) and summary row, once after
    other households in one worker and once alone in a fresh one: the caches change nothing.
    Real London households (with gaps, 30 min) and bench-like synthetic ones (15 min)."""
    import re

    import pyarrow.parquet as pq
    from shared_data import shared_path

    from advisor.batch import BatchOptions, EngineSpec, run_batch
    from advisor.synthetic import SyntheticSpec, synthetic_household

    frames = []
    for k, ev in ((0, 0.0), (1, 11.0)):
        hh = synthetic_household(SyntheticSpec(year=2024, interval_minutes=15, ev_kw=ev, seed=1000 + k))
        e = hh.curve.energy_kwh
        frames.append(pd.DataFrame({"household_id": f"S{k}", "timestamp": e.index.tz_convert("UTC"), "kwh": e.to_numpy()}))
    lcl = pq.read_table(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")).to_pandas()
    for lclid in sorted(lcl["lclid"].unique())[:3]:  # MAC000004 gets no letter (77 % zeros): its row only
        g = lcl[lcl["lclid"] == lclid]
        frames.append(pd.DataFrame({"household_id": lclid, "timestamp": g["timestamp_utc"], "kwh": g["kwh"]}))
    table = pd.concat(frames, ignore_index=True)
    table["timestamp"] = pd.to_datetime(table["timestamp"], utc=True)

    def run(ids, out):
        path = tmp_path / f"{out}.parquet"
        table[table["household_id"].isin(ids)].to_parquet(path, index=False)
        run_batch(BatchOptions(input_path=path, out_dir=tmp_path / out, engine=EngineSpec(kind="local", workers=1),
                               formats=("html", "pdf"), letter_date="2026-11-24", progress=False))  # fmt: skip
        rows = pd.read_csv(tmp_path / out / "summary.csv").set_index("household")
        return tmp_path / out / "letters", rows

    ids = sorted(table["household_id"].unique())
    _clear_worker_caches()
    together, rows = run(ids, "together")
    strip = re.compile(rb"/(CreationDate|ModDate) \([^)]*\)")
    compared = 0
    for hid in reversed(ids):
        _clear_worker_caches()
        alone, row = run([hid], f"alone_{hid}")
        cols = [c for c in row.columns if not c.startswith("peer_")]  # peer groups need 20 households
        pd.testing.assert_series_equal(row.loc[hid, cols], rows.loc[hid, cols], check_names=False)
        if not (together / f"{hid}.html").exists():
            assert not (alone / f"{hid}.html").exists()
            continue
        assert (alone / f"{hid}.html").read_bytes() == (together / f"{hid}.html").read_bytes(), hid
        pdf_alone, pdf_together = ((d / f"{hid}.pdf").read_bytes() for d in (alone, together))
        assert strip.sub(b"", pdf_alone) == strip.sub(b"", pdf_together), hid
        compared += 1
    assert compared >= 4


def test_the_temperature_climatology_of_a_period_is_computed_once(monkeypatch):
    import advisor.weather as weather

    weather._CLIMATOLOGIES.clear()
    calls = _counting(monkeypatch, weather, "_climatology")
    idx = pd.date_range("2024-01-01", "2025-01-01", freq="15min", inclusive="left", tz="Europe/Berlin")
    first = weather.temperature_climatology(idx, 51.54, 7.22)
    first.attrs["mine"] = 1  # a caller's change of its result stays its own
    again = weather.temperature_climatology(pd.DatetimeIndex(list(idx[:10])).append(idx[10:]), 51.54, 7.22)
    assert len(calls) == 1 and "mine" not in again.attrs and again.attrs["climatology"]
    np.testing.assert_array_equal(first.to_numpy(), again.to_numpy())
    shifted = weather.temperature_climatology(idx + pd.Timedelta(days=182), 51.54, 7.22)
    munich = weather.temperature_climatology(idx, 48.14, 11.58)
    assert len(calls) == 3
    assert abs(shifted.iloc[:96 * 30].mean() - first.iloc[:96 * 30].mean()) > 5  # July vs January
    assert munich.mean() != first.mean()
