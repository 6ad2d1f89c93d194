"""Battery dispatch: hand-computed steps, limits, SoC window, losses."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.battery import BatterySpec, BatterySpecError, dispatch_battery


def test_hand_computed_steps():
    # 1 kWh usable 0..1 (soc_min 0), 81 % round trip -> 90 % each way, 2 kW limit at 15 min = 0.5 kWh/interval
    bat = BatterySpec(1.0, charge_power_kw=2.0, discharge_power_kw=2.0, round_trip_efficiency=0.81, soc_min_share=0.0)
    surplus = np.array([0.4, 0.8, 0.0, 0.0, 0.0])
    deficit = np.array([0.0, 0.0, 0.3, 0.9, 0.5])
    d = dispatch_battery(surplus, deficit, bat, interval_minutes=15)
    # step 1: charge 0.4 -> soc 0.36; step 2: room (1-0.36)/0.9 = 0.7111, power limit 0.5 -> charge 0.5, soc 0.81
    np.testing.assert_allclose(d.charge_kwh, [0.4, 0.5, 0, 0, 0])
    # step 3: deliver 0.3 -> soc 0.81 - 0.3/0.9 = 0.47667; step 4: limit 0.5 but only 0.47667*0.9 = 0.429 available
    np.testing.assert_allclose(d.discharge_kwh, [0, 0, 0.3, 0.429, 0.0], atol=1e-12)
    np.testing.assert_allclose(d.soc_kwh, [0.36, 0.81, 0.81 - 0.3 / 0.9, 0.0, 0.0], atol=1e-12)
    # losses = charge - discharge - delta soc = 0.9 - 0.729 - 0 = 0.171 (= 19 % of 0.9)
    assert d.losses_kwh == pytest.approx(0.171)


def test_soc_window_and_initial_state():
    bat = BatterySpec(10.0, soc_min_share=0.1, soc_max_share=0.9, initial_soc_share=0.5, round_trip_efficiency=1.0)
    d = dispatch_battery(np.full(40, 2.0), np.zeros(40), bat, interval_minutes=60)
    assert d.soc_kwh.max() == pytest.approx(9.0)
    d = dispatch_battery(np.zeros(40), np.full(40, 2.0), bat, interval_minutes=60)
    assert d.soc_kwh.min() == pytest.approx(1.0)
    assert d.discharge_kwh.sum() == pytest.approx(4.0)
    # default power 0.5 C: 5 kW -> 1.25 kWh per 15 min
    d = dispatch_battery(np.full(4, 3.0), np.zeros(4), BatterySpec(10.0), interval_minutes=15)
    assert d.charge_kwh.max() == pytest.approx(1.25)


@pytest.mark.parametrize(
    "kwargs",
    [{"capacity_kwh": -1}, {"capacity_kwh": 5, "round_trip_efficiency": 1.2}, {"capacity_kwh": 5, "soc_min_share": 0.9, "soc_max_share": 0.5},
     {"capacity_kwh": 5, "charge_power_kw": 0}],
)  # fmt: skip
def test_invalid_specs(kwargs):
    with pytest.raises(BatterySpecError):
        BatterySpec(**kwargs)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 2), st.floats(0, 2)), min_size=1, max_size=60),
    st.floats(0.5, 20),
    st.floats(0.5, 1.0),
)
def test_dispatch_respects_limits_and_conserves_energy(pairs, capacity, rte):
    surplus = np.array([max(a - b, 0) for a, b in pairs])
    deficit = np.array([max(b - a, 0) for a, b in pairs])
    bat = BatterySpec(capacity, round_trip_efficiency=rte)
    d = dispatch_battery(surplus, deficit, bat, interval_minutes=15)
    assert (d.charge_kwh <= surplus + 1e-12).all() and (d.discharge_kwh <= deficit + 1e-12).all()
    assert (d.charge_kwh <= bat.charge_kw * 0.25 + 1e-12).all()
    assert d.soc_kwh.min() >= bat.soc_min_share * capacity - 1e-9
    assert d.soc_kwh.max() <= capacity + 1e-9
    assert d.losses_kwh >= -1e-9
    assert d.losses_kwh == pytest.approx(
        (1 - np.sqrt(rte)) * d.charge_kwh.sum() + (1 / np.sqrt(rte) - 1) * d.discharge_kwh.sum(), abs=1e-9
    )


def _reference_dispatch(surplus, deficit, battery, hours):
    """Plain step-by-step loop (the textbook rule) to check the vectorised dispatch against."""
    eta = float(np.sqrt(battery.round_trip_efficiency))
    lo, hi = battery.soc_min_share * battery.capacity_kwh, battery.soc_max_share * battery.capacity_kwh
    soc, out = lo, []
    for s, d in zip(surplus, deficit, strict=True):
        c = x = 0.0
        if s > 0:
            c = max(0.0, min(s, battery.charge_kw * hours, (hi - soc) / eta))
            soc += c * eta
        elif d > 0:
            x = max(0.0, min(d, battery.discharge_kw * hours, (soc - lo) * eta))
            soc -= x / eta
        out.append((c, x, soc))
    return np.array(out).T


@pytest.mark.parametrize("capacity", [1.0, 5.0, 15.0])
def test_vectorised_dispatch_equals_the_step_by_step_rule(capacity):
    rng = np.random.default_rng(int(capacity))
    n = 96 * 60
    gen = np.clip(np.sin(np.arange(n) / 96 * 2 * np.pi) * 2.0, 0, None) * rng.uniform(0, 1, n)
    load = rng.uniform(0.0, 0.5, n) * (rng.uniform(0, 1, n) > 0.2)
    direct = np.minimum(gen, load)
    bat = BatterySpec(capacity)
    got = dispatch_battery(gen - direct, load - direct, bat, interval_minutes=15)
    c, x, soc = _reference_dispatch(gen - direct, load - direct, bat, 0.25)
    assert np.abs(got.charge_kwh - c).max() < 1e-9
    assert np.abs(got.discharge_kwh - x).max() < 1e-9
    assert np.abs(got.soc_kwh - soc).max() < 1e-9
