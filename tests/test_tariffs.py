"""Tariff comparison: hand-computed costs, price alignment, shifting, § 14a."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from advisor.household import Household
from advisor.loadcurve import CurveMeta, make_load_curve
from advisor.seeds import load_seeds
from advisor.tariffs import (
    Tariff,
    TariffError,
    align_prices,
    compare_tariffs,
    energy_cost,
    flexible_load,
    parse_day_ahead_prices,
    read_day_ahead_prices,
    shift_to_cheap_hours,
)
from tests.conftest import shared_path

TZ = "Europe/Berlin"


@pytest.fixture(scope="module")
def seeds():
    return load_seeds()


def _curve(start: str, days: int, kw: float = 0.4, minutes: int = 15):
    idx = pd.date_range(pd.Timestamp(start).tz_localize(TZ), periods=days * 24 * 60 // minutes, freq=f"{minutes}min")
    return make_load_curve(pd.Series(kw * minutes / 60, index=idx), interval_minutes=minutes, meta=CurveMeta(tz=TZ))


def _prices(start_utc: str, hours: int, eur_mwh) -> pd.DataFrame:
    idx = pd.date_range(pd.Timestamp(start_utc, tz="UTC"), periods=hours, freq="h")
    values = eur_mwh(idx) if callable(eur_mwh) else np.full(hours, float(eur_mwh))
    return pd.DataFrame({"timestamp_utc": idx.strftime("%Y-%m-%dT%H:%M:%SZ"), "price_eur_mwh": values})


def test_fixed_cost_hand_computed(seeds):
    # 0.4 kW for 365 days = 3504 kWh; 0.30 EUR/kWh + 120 EUR base fee + mME 25 EUR
    curve = _curve("2023-01-01", 365)
    cost = energy_cost(curve, Tariff.fixed(seeds, Household(price_eur_per_kwh=0.30, base_fee_eur_per_year=120.0)))
    assert cost.energy_kwh == pytest.approx(3504.0)
    assert cost.energy_eur == pytest.approx(3504.0 * 0.30)
    assert cost.meter_fee_eur == pytest.approx(25.0)
    assert cost.total_eur == pytest.approx(3504 * 0.30 + 120 + 25)


def test_fixed_cost_is_annualised_from_a_short_curve(seeds):
    curve = _curve("2023-03-01", 73)  # a fifth of a year
    cost = energy_cost(curve, Tariff.fixed(seeds, Household(price_eur_per_kwh=0.30)))
    assert cost.energy_kwh == pytest.approx(3504.0)
    assert cost.covered_days == pytest.approx(73.0)


def test_dynamic_cost_hand_computed(seeds):
    # flat 100 EUR/MWh spot; price per kWh = (0.10 + adders) * 1.19
    curve = _curve("2024-02-05", 7)
    prices = parse_day_ahead_prices(_prices("2024-01-01", 24 * 60, 100.0))
    tariff = Tariff.dynamic(seeds, prices)
    adders = 0.02 + 0.093 + 0.0205 + 0.0167 + 0.0156 + 0.0082
    assert tariff.adders_eur_per_kwh == pytest.approx(adders)
    cost = energy_cost(curve, tariff)
    assert cost.average_price_eur_per_kwh == pytest.approx((0.10 + adders) * 1.19)
    assert cost.meter == "iMSys" and cost.meter_fee_eur == pytest.approx(30.0)
    assert cost.price_year == "2024" and cost.shift_days == 0


def test_prices_are_aligned_by_364_days_keeping_the_weekday():
    # prices only for 2024; a load in 2025 is moved back 364 days: same weekday, price year 2024
    prices = parse_day_ahead_prices(
        _prices("2023-12-31T23:00", 24 * 366, lambda idx: idx.day_of_week * 10.0 + idx.hour)
    )
    idx = pd.date_range(pd.Timestamp("2025-06-02").tz_localize(TZ), periods=96, freq="15min")  # a Monday
    al = align_prices(idx, prices)
    assert al.shift_days == 364
    assert al.price_year == "2024"
    assert al.n_fallback_intervals == 0
    # 2024-06-03 is a Monday too; local 10:00 = 08:00 UTC -> 0*10 + 8 EUR/MWh
    assert al.price_eur_per_kwh.iloc[40] == pytest.approx(8 / 1000)


def test_shifting_moves_evening_load_to_the_cheapest_hour_and_keeps_daily_energy(seeds):
    curve = _curve("2024-02-05", 2, kw=0.2)
    e = curve.energy_kwh
    hour = e.index.hour
    e[(hour >= 18) & (hour < 19)] = 2.0 * 0.25  # a 2 kW evening hour
    curve = make_load_curve(e, interval_minutes=15, meta=CurveMeta(tz=TZ))
    price = pd.Series(np.where(hour == 3, 0.01, 0.30), index=e.index)
    flex = flexible_load(curve, seeds)
    assert flex.sources == ("evening_share",)
    shifted = shift_to_cheap_hours(curve, flex, price, max_power_kw=11.0)
    day = e.index.normalize()
    assert shifted.groupby(day).sum().to_numpy() == pytest.approx(e.groupby(day).sum().to_numpy())
    moved = (e - shifted).clip(lower=0).sum()
    # a quarter of (2.0 - 0.2) kW for 1 h on 2 days = 0.9 kWh
    assert moved == pytest.approx(0.25 * 1.8 * 2, rel=1e-6)
    assert shifted[hour == 3].sum() > e[hour == 3].sum()


def test_compare_tariffs_without_prices_says_dynamic_is_unavailable(seeds):
    c = compare_tariffs(_curve("2024-01-01", 30), seeds, Household())
    assert c.dynamic is None and c.unavailable
    assert c.dynamic_saving_eur is None


def test_para14a_only_with_heat_pump_or_ev(seeds):
    curve = _curve("2024-01-01", 30)
    assert compare_tariffs(curve, seeds, Household()).para14a is None
    c = compare_tariffs(curve, seeds, Household(ev=True))
    assert c.para14a is not None and c.para14a.module1_eur == pytest.approx(165.0)


def test_bad_price_table_raises():
    with pytest.raises(TariffError, match="timestamp_utc"):
        parse_day_ahead_prices(pd.DataFrame({"t": [1], "p": [2]}))


def test_real_smard_prices_both_layouts_agree():
    canon = read_day_ahead_prices(shared_path("prices", "de_lu_day_ahead_hourly_2023_2024_smard.csv"))
    orig = read_day_ahead_prices(shared_path("prices", "SMARD_Grosshandelspreise_2023_2024_Stunde_original.csv"))
    assert len(canon.price_eur_per_kwh) == 17544
    assert canon.years == (2023, 2024)
    # README: mean 2024 78.51 EUR/MWh
    y24 = canon.price_eur_per_kwh[canon.price_eur_per_kwh.index.tz_convert(TZ).year == 2024]
    assert y24.mean() * 1000 == pytest.approx(78.51, abs=0.05)
    assert (canon.price_eur_per_kwh - orig.price_eur_per_kwh).abs().max() < 1e-9


def test_real_prices_dst_days_are_priced(seeds):
    prices = read_day_ahead_prices(shared_path("prices", "de_lu_day_ahead_hourly_2023_2024_smard.csv"))
    for day in ("2024-03-31", "2024-10-27"):
        idx = pd.date_range(
            pd.Timestamp(day).tz_localize(TZ),
            pd.Timestamp(day).tz_localize(TZ) + pd.Timedelta(hours=30),
            freq="15min",
            inclusive="left",
        )
        idx = idx[idx.tz_convert(TZ).normalize() == pd.Timestamp(day).tz_localize(TZ)]
        al = align_prices(idx, prices)
        assert al.n_fallback_intervals == 0
        assert al.price_eur_per_kwh.notna().all()


def test_para14a_module2_counts_ev_and_heat_pump_once(seeds):
    from advisor.synthetic import synthetic_household

    hh = synthetic_household(ev_kw=11.0, heat_pump_kwh=3500.0, seed=9)
    truth = float(hh.components_kwh[["ev", "heat_pump"]].sum().sum())
    c = compare_tariffs(hh.curve, seeds, Household(ev=True, heating="heat_pump"))
    assert c.para14a.device == "heat_pump+ev"
    assert c.para14a.device_kwh == pytest.approx(truth, rel=0.25)
    # hand-computed Module 2: kWh x 9.3 ct x 60 % x 1.19 - 30 EUR meter
    assert c.para14a.module2_eur == pytest.approx(c.para14a.device_kwh * 0.093 * 0.6 * 1.19 - 30.0)
    given = compare_tariffs(hh.curve, seeds, Household(ev=True, heating="heat_pump"), device_kwh=1000.0)
    assert given.para14a.device_kwh == 1000.0 and given.para14a.best_module == 1


def test_shifting_with_too_little_room_keeps_daily_energy(seeds):
    curve = _curve("2024-02-05", 1, kw=0.2)
    e = curve.energy_kwh
    hour = e.index.hour
    e[(hour >= 17) & (hour < 22)] = 3.0 * 0.25
    curve = make_load_curve(e, interval_minutes=15, meta=CurveMeta(tz=TZ))
    price = pd.Series(np.where(hour == 3, 0.01, 0.30), index=e.index)
    flex = flexible_load(curve, seeds)
    # room only in hour 3 is (0.3 - 0.2) kW x 1 h = 0.1 kWh; the rest stays where it was
    shifted = shift_to_cheap_hours(curve, flex, price, max_power_kw=0.3)
    assert shifted.sum() == pytest.approx(e.sum())
    assert (shifted - e)[hour == 3].sum() == pytest.approx(0.1)
    assert (shifted >= 0).all()


def test_gaps_are_left_out_and_the_rest_scaled_to_a_year(seeds):
    curve = _curve("2023-01-01", 365)
    e = curve.energy_kwh
    e.iloc[96 * 10 : 96 * 40] = np.nan  # a month missing
    gappy = make_load_curve(e, interval_minutes=15, meta=CurveMeta(tz=TZ))
    tariff = Tariff.fixed(seeds, Household(price_eur_per_kwh=0.30))
    full, part = energy_cost(curve, tariff), energy_cost(gappy, tariff)
    assert part.covered_days == pytest.approx(335.0)
    assert part.energy_kwh == pytest.approx(full.energy_kwh)
    assert part.total_eur == pytest.approx(full.total_eur)


def test_price_reader_takes_bytes_like_a_path(tmp_path):
    """An upload's bytes read the same as the file (the app keeps uploads in memory)."""
    from advisor.tariffs import read_day_ahead_prices

    text = "timestamp_utc,price_eur_mwh\n" + "".join(
        f"2024-05-{d:02d}T{h:02d}:00:00Z,{50 + h}\n" for d in range(1, 9) for h in range(24)
    )
    p = tmp_path / "prices.csv"
    p.write_text(text)
    a = read_day_ahead_prices(p)
    b = read_day_ahead_prices(text.encode(), name="upload.csv")
    assert a.price_eur_per_kwh.equals(b.price_eur_per_kwh)
    assert "upload.csv" in b.source
