"""Tariff comparison: hand-computed costs, price alignment, shifting, § 14a."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from advisor.annual import annual_energy
from advisor.household import Household
from advisor.ingest.prices import read_day_ahead_prices
from advisor.loadcurve import CurveMeta, make_load_curve
from advisor.seeds import load_seeds
from advisor.settings import resolve_settings
from advisor.tariffs import (
    Tariff,
    TariffError,
    align_prices,
    compare_tariffs,
    energy_cost,
    flexible_load,
    parse_day_ahead_prices,
    quarter_hour_prices,
    shift_to_cheap_hours,
)
from tests.conftest import shared_path

TZ = "Europe/Berlin"


@pytest.fixture(scope="module")
def seeds():
    return load_seeds()


def _fixed(seeds, household, curve=None):
    return Tariff.fixed(resolve_settings(seeds, household, curve=curve))


def _hs(seeds, household=None, curve=None):
    return resolve_settings(seeds, household, curve=curve)


def _curve(start: str, days: int, kw: float = 0.4, minutes: int = 15):
    idx = pd.date_range(pd.Timestamp(start).tz_localize(TZ), periods=days * 24 * 60 // minutes, freq=f"{minutes}min")
    return make_load_curve(pd.Series(kw * minutes / 60, index=idx), interval_minutes=minutes, meta=CurveMeta(tz=TZ))


def _prices(start_utc: str, hours: int, eur_mwh) -> pd.DataFrame:
    idx = pd.date_range(pd.Timestamp(start_utc, tz="UTC"), periods=hours, freq="h")
    values = eur_mwh(idx) if callable(eur_mwh) else np.full(hours, float(eur_mwh))
    return pd.DataFrame({"timestamp_utc": idx.strftime("%Y-%m-%dT%H:%M:%SZ"), "price_eur_mwh": values})


def test_fixed_cost_hand_computed(seeds):
    # 0.4 kW for 365 days = 3504 kWh; 0.30 EUR/kWh + 120 EUR base fee + iMSys 30 EUR (a measured curve)
    curve = _curve("2023-01-01", 365)
    cost = energy_cost(curve, _fixed(seeds, Household(price_eur_per_kwh=0.30, base_fee_eur_per_year=120.0), curve))
    assert cost.energy_kwh == pytest.approx(3504.0)
    assert cost.energy_eur == pytest.approx(3504.0 * 0.30)
    assert cost.meter == "iMSys" and cost.meter_fee_eur == pytest.approx(30.0)
    assert cost.total_eur == pytest.approx(3504 * 0.30 + 120 + 30)
    # without a curve (an estimate) the meter is a modern meter (mME, 25 EUR)
    assert _fixed(seeds, Household()).meter_fee_eur_per_year == pytest.approx(25.0)


def test_fixed_cost_is_annualised_from_a_short_curve_with_the_one_annual_figure(seeds):
    curve = _curve("2023-03-01", 73)  # a fifth of a year
    cost = energy_cost(curve, _fixed(seeds, Household(price_eur_per_kwh=0.30), curve))
    assert cost.energy_kwh == pytest.approx(annual_energy(curve).annual_kwh)
    assert cost.energy_eur == pytest.approx(annual_energy(curve).annual_kwh * 0.30)
    assert cost.covered_days == pytest.approx(73.0)


def test_a_winter_cut_is_priced_as_winter_not_as_a_twelfth_of_the_year(seeds):
    """Known truth: a household following the H25 shape; January-February alone, priced for a year,
    must give its true year (a linear x365/days scaling overstates it by about 10 %)."""
    from advisor.profiles import bdew_energy_kwh

    idx = pd.date_range(pd.Timestamp("2025-01-01").tz_localize(TZ), pd.Timestamp("2026-01-01").tz_localize(TZ), freq="15min", inclusive="left")
    e = bdew_energy_kwh(idx, 3500.0)
    truth = float(e.sum())
    cut = make_load_curve(e[e.index < pd.Timestamp("2025-03-01", tz=TZ)], interval_minutes=15, meta=CurveMeta(tz=TZ))
    cost = energy_cost(cut, _fixed(seeds, Household(price_eur_per_kwh=0.30), cut))
    linear = float(cut.energy_kwh.sum()) * 365 / 60
    assert abs(cost.energy_kwh / truth - 1) < 0.05
    assert abs(linear / truth - 1) > abs(cost.energy_kwh / truth - 1) + 0.03
    assert cost.energy_kwh == pytest.approx(annual_energy(cut).annual_kwh)


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
    c = compare_tariffs(_curve("2024-01-01", 30), _hs(seeds), Household())
    assert c.dynamic is None and c.unavailable
    assert c.dynamic_saving_eur is None


def test_para14a_only_with_heat_pump_or_ev(seeds):
    curve = _curve("2024-01-01", 30)
    assert compare_tariffs(curve, _hs(seeds), Household()).para14a is None
    c = compare_tariffs(curve, _hs(seeds), Household(ev=True))
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
    c = compare_tariffs(hh.curve, _hs(seeds), Household(ev=True, heating="heat_pump"))
    assert c.para14a.device == "heat_pump+ev"
    assert c.para14a.device_kwh == pytest.approx(truth, rel=0.25)
    # hand-computed Module 2: kWh x 9.3 ct x 60 % x 1.19 - 30 EUR meter
    assert c.para14a.module2_eur == pytest.approx(c.para14a.device_kwh * 0.093 * 0.6 * 1.19 - 30.0)
    given = compare_tariffs(hh.curve, _hs(seeds), Household(ev=True, heating="heat_pump"), device_kwh=1000.0)
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
    tariff = _fixed(seeds, Household(price_eur_per_kwh=0.30), curve)
    full, part = energy_cost(curve, tariff), energy_cost(gappy, tariff)
    assert part.covered_days == pytest.approx(335.0)
    # the gaps are left out and the rest stands for the year as the one annual figure says
    assert part.energy_kwh == pytest.approx(annual_energy(gappy).annual_kwh)
    assert part.energy_eur == pytest.approx(part.energy_kwh * 0.30)
    assert abs(part.energy_kwh / full.energy_kwh - 1) < 0.05


def test_price_reader_takes_bytes_like_a_path(tmp_path):
    """An upload's bytes read the same as the file (the app keeps uploads in memory)."""
    from advisor.ingest.prices import read_day_ahead_prices

    text = "timestamp_utc,price_eur_mwh\n" + "".join(
        f"2024-05-{d:02d}T{h:02d}:00:00Z,{50 + h}\n" for d in range(1, 9) for h in range(24)
    )
    p = tmp_path / "prices.csv"
    p.write_text(text)
    a = read_day_ahead_prices(p)
    b = read_day_ahead_prices(text.encode(), name="upload.csv")
    assert a.price_eur_per_kwh.equals(b.price_eur_per_kwh)
    assert "upload.csv" in b.source


# ----------------------------------------------------------------------------- price resolution
def _hourly_and_quarter_prices(start="2024-01-01", days=30):
    """Hourly prices and a 15-min series with the same hourly means: first quarter +30, the others -10 EUR/MWh."""
    hours = pd.date_range(pd.Timestamp(start, tz="UTC"), periods=24 * days, freq="h")
    rng = np.random.default_rng(7)
    hourly = pd.Series(
        60 + 40 * np.sin(np.arange(len(hours)) / 24 * 2 * np.pi) + rng.normal(0, 5, len(hours)), index=hours
    )
    quarters = pd.date_range(hours[0], periods=4 * len(hours), freq="15min")
    q = pd.Series(np.repeat(hourly.to_numpy(), 4) + np.tile([30.0, -10.0, -10.0, -10.0], len(hours)), index=quarters)
    return parse_day_ahead_prices(hourly), parse_day_ahead_prices(q)


def test_quarter_hour_prices_around_unchanged_hourly_means_give_an_hourly_curve_the_same_cost(seeds):
    hourly, quarter = _hourly_and_quarter_prices()
    assert hourly.resolution_minutes == (60,) and quarter.resolution_minutes == (15,)
    idx = pd.date_range(pd.Timestamp("2024-01-08", tz=TZ), periods=24 * 14, freq="h")
    rng = np.random.default_rng(3)
    load = pd.Series(rng.uniform(0.1, 1.5, len(idx)), index=idx)
    cost_h = energy_cost(load, Tariff.dynamic(seeds, hourly))
    cost_q = energy_cost(load, Tariff.dynamic(seeds, quarter))
    assert cost_q.energy_eur == pytest.approx(cost_h.energy_eur, rel=1e-9)
    assert cost_q.price_resolution_minutes == (15,) and cost_h.price_resolution_minutes == (60,)
    assert "15-min" in cost_q.price_resolution_note and "60-min curve" in cost_q.price_resolution_note
    # placebo: the former rule (each hour priced with its first quarter-hour) is 30 EUR/MWh too dear
    first_quarter = quarter.price_eur_per_kwh[quarter.price_eur_per_kwh.index.minute == 0]
    wrong = energy_cost(load, Tariff.dynamic(seeds, parse_day_ahead_prices(first_quarter.rename(None) * 1000)))
    assert wrong.energy_eur - cost_h.energy_eur == pytest.approx(
        float(load.sum()) * 0.030 * 1.19 * cost_h.energy_kwh / float(load.sum()), rel=1e-6
    )


def test_a_quarter_hour_curve_pays_the_quarter_hour_price(seeds):
    hourly, quarter = _hourly_and_quarter_prices()
    idx = pd.date_range(pd.Timestamp("2024-01-08", tz=TZ), periods=4 * 24 * 7, freq="15min")
    flat = pd.Series(0.25, index=idx)
    first = pd.Series(np.where(idx.minute == 0, 1.0, 0.0), index=idx)  # same energy, all in the first quarter
    # energy spread evenly within the hour: both files give the same cost
    assert energy_cost(flat, Tariff.dynamic(seeds, quarter)).energy_eur == pytest.approx(
        energy_cost(flat, Tariff.dynamic(seeds, hourly)).energy_eur, rel=1e-9
    )
    # all in the dear first quarter: 40 EUR/MWh above the hour's mean... on a quarter-hour file only
    al_q = align_prices(idx, quarter)
    al_h = align_prices(idx, hourly)
    diff = float((first * (al_q.price_eur_per_kwh - al_h.price_eur_per_kwh)).sum())
    assert diff == pytest.approx(float(first.sum()) * 0.030, rel=1e-9)
    assert al_q.price_resolution_minutes == (15,) and al_q.load_interval_minutes == 15


def test_quarter_hour_grid_of_mixed_hourly_and_quarter_prices():
    hours = pd.date_range(pd.Timestamp("2025-09-30 20:00", tz="UTC"), periods=2, freq="h")
    quarters = pd.date_range(hours[-1] + pd.Timedelta(hours=1), periods=4, freq="15min")
    s = pd.concat([pd.Series([50.0, 70.0], index=hours), pd.Series([10.0, 20.0, 30.0, 40.0], index=quarters)])
    prices = parse_day_ahead_prices(s)
    assert prices.resolution_minutes == (15, 60)
    q = quarter_hour_prices(prices)
    assert len(q) == 12 and q.iloc[:4].tolist() == pytest.approx([0.05] * 4)
    assert q.iloc[8:].tolist() == pytest.approx([0.01, 0.02, 0.03, 0.04])


def _smard_quarter_export(path, start="2025-10-25 00:00", days=3):
    local = pd.date_range(pd.Timestamp(start, tz=TZ), pd.Timestamp(start, tz=TZ) + pd.Timedelta(days=days), freq="15min",
                          inclusive="left")  # fmt: skip
    lines = [
        "Datum von;Datum bis;Deutschland/Luxemburg [€/MWh] Originalauflösungen;Belgien [€/MWh] Originalauflösungen"
    ]
    for i, t in enumerate(local):
        end = t + pd.Timedelta(minutes=15)
        value = f"{(i % 96) - 10:.2f}".replace(".", ",")
        lines.append(f"{t:%d.%m.%Y %H:%M};{end:%d.%m.%Y %H:%M};{value};-")
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return local


def test_smard_quarter_hour_export_with_the_october_clock_change(tmp_path):
    path = tmp_path / "Gro_handelspreise_202510250000_202510272359_Viertelstunde.csv"
    local = _smard_quarter_export(path)
    prices = read_day_ahead_prices(path)
    p = prices.price_eur_per_kwh
    assert prices.resolution_minutes == (15,)
    assert len(p) == len(local) == 4 * 72  # 72 h from 25 Oct 00:00 local; 26 October has 100 quarter-hours
    assert (p.index.tz_convert(TZ).strftime("%d %H:%M") == "26 02:15").sum() == 2  # the repeated hour
    assert p.index.is_unique and str(p.index.tz) == "UTC"
    assert p.iloc[0] == pytest.approx(-0.010) and p.iloc[11] == pytest.approx(0.001)


def test_plain_price_table_with_offsets_and_eur_per_kwh(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text(
        "timestamp;price_eur_per_kwh\n2025-10-01T00:00:00+02:00;0.1\n2025-10-01T00:15:00+02:00;0.2\n"
        "2025-10-01T00:30:00+02:00;-0.05\n2025-10-01T00:45:00+02:00;0.3\n"
    )
    prices = read_day_ahead_prices(path)
    assert prices.price_eur_per_kwh.index[0] == pd.Timestamp("2025-09-30 22:00", tz="UTC")
    assert prices.price_eur_per_kwh.tolist() == pytest.approx([0.1, 0.2, -0.05, 0.3])
    assert prices.resolution_minutes == (15,)
    bad = tmp_path / "bad.csv"
    bad.write_text("when,what\n1,2\n")
    with pytest.raises(TariffError, match="bad.csv: price table needs a time column"):
        read_day_ahead_prices(bad)
