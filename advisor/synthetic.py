"""Seeded synthetic households with a known truth, for the demo, tests and benchmarks.

A synthetic household is **not measured data**: the app says so wherever it shows one. The
recipe: the BDEW H25 shape scaled to the household's appliance energy, a constant standby floor,
a fridge duty cycle, random appliance events (cooking, washing, dishwasher, kettle), an optional
heating circulation pump running the whole heating season, an optional EV charging at home and an
optional heat pump following a climatological outdoor temperature. Every component is kept in
the truth so that tests can check what the analysis finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from advisor.loadcurve import CurveMeta, LoadCurve, make_load_curve
from advisor.profiles import bdew_shape
from advisor.texts import Message
from advisor.units import DEFAULT_HOLIDAY_REGION, DEFAULT_TZ, freq_of


@dataclass(frozen=True)
class SyntheticSpec:
    """Recipe of a synthetic household (all powers in W, energies in kWh/yr).

    Attributes
    ----------
    year
        Calendar year (local time) the curve covers.
    interval_minutes
        15, 30 or 60.
    appliance_kwh
        Annual energy of everyday appliances, spread with the BDEW H25 shape [kWh/yr].
    standby_w
        Constant always-on floor [W].
    fridge_w, fridge_duty
        Compressor power [W] and share of time it runs.
    circulation_pump_w
        Uncontrolled heating circulation pump during the heating season [W]; 0 for none.
    ev_kw, ev_sessions_per_week
        Home charging power [kW] and mean number of evening sessions a week; 0 for no EV.
    heat_pump_kwh
        Annual heat-pump electricity [kWh/yr], temperature driven; 0 for none.
    instantaneous_water_heater_kw
        Electric instantaneous water heater power [kW] for short daily draws; 0 for none.
    seed
        Random seed: same seed, same curve.
    """

    year: int = 2024
    interval_minutes: int = 15
    appliance_kwh: float = 2200.0
    standby_w: float = 80.0
    fridge_w: float = 90.0
    fridge_duty: float = 0.35
    circulation_pump_w: float = 0.0
    ev_kw: float = 0.0
    ev_sessions_per_week: float = 3.0
    heat_pump_kwh: float = 0.0
    instantaneous_water_heater_kw: float = 0.0
    seed: int = 42
    tz: str = DEFAULT_TZ
    holiday_region: str = DEFAULT_HOLIDAY_REGION


@dataclass(frozen=True)
class SyntheticHousehold:
    """A synthetic curve and the truth it was made from.

    Attributes
    ----------
    curve
        The load curve (quality ``measured``, source format ``synthetic``).
    components_kwh
        Energy per interval of each component [kWh], same index as the curve.
    spec
        The recipe.
    ev_session_starts
        Local start times of the EV charging sessions.
    """

    curve: LoadCurve
    components_kwh: pd.DataFrame
    spec: SyntheticSpec
    ev_session_starts: tuple[pd.Timestamp, ...] = field(default=())

    @property
    def annual_kwh(self) -> float:
        return float(self.components_kwh.sum().sum())


def _climatological_temp(local_index: pd.DatetimeIndex) -> np.ndarray:
    """A smooth outdoor-temperature climatology for the Ruhr area [°C] (annual and daily cycle)."""
    doy = local_index.day_of_year.to_numpy()
    hour = local_index.hour.to_numpy() + local_index.minute.to_numpy() / 60
    annual = 10.5 - 8.0 * np.cos(2 * np.pi * (doy - 20) / 365.25)
    daily = 3.0 * np.cos(2 * np.pi * (hour - 15) / 24)
    return annual + daily


def synthetic_household(spec: SyntheticSpec | None = None, **overrides) -> SyntheticHousehold:
    """Make a synthetic household year from a :class:`SyntheticSpec` (or keyword overrides)."""
    spec = spec or SyntheticSpec()
    if overrides:
        spec = SyntheticSpec(**{**spec.__dict__, **overrides})
    rng = np.random.default_rng(spec.seed)
    tz = spec.tz
    start = pd.Timestamp(f"{spec.year}-01-01").tz_localize(tz)
    end = pd.Timestamp(f"{spec.year + 1}-01-01").tz_localize(tz)
    q_index = pd.date_range(start, end, freq="15min", inclusive="left")
    n = len(q_index)
    h = 0.25
    month = q_index.month.to_numpy()
    comp: dict[str, np.ndarray] = {}

    comp["standby"] = np.full(n, spec.standby_w / 1000 * h)

    # fridge: compressor cycles of ~30-45 min; share of time running = duty
    period = 8  # quarter-hours per cycle
    on_len = max(1, round(spec.fridge_duty * period))
    phase = rng.integers(0, period)
    on = ((np.arange(n) + phase) % period) < on_len
    summer_boost = 1 + 0.15 * np.cos(2 * np.pi * (q_index.day_of_year.to_numpy() - 200) / 365.25)
    comp["fridge"] = on * spec.fridge_w / 1000 * h * summer_boost

    # everyday appliances with the BDEW H25 shape plus noise, then random high-power events
    shape = bdew_shape(q_index, profile="H25", holiday_region=spec.holiday_region).to_numpy()
    base_share = 0.6
    noise = rng.lognormal(mean=0.0, sigma=0.35, size=n)
    comp["appliances"] = shape * noise / (shape * noise).sum() * spec.appliance_kwh * base_share
    events = np.zeros(n)
    event_kwh = spec.appliance_kwh * (1 - base_share)
    # cooking (evening, ~2 kW for 30-45 min), washing machine / dishwasher (~2 kW, 1-2 h), kettle
    days = pd.date_range(start, end, freq="D", inclusive="left")
    day_pos = np.searchsorted(q_index.as_unit("ns").asi8, days.as_unit("ns").asi8)
    for pos in day_pos:
        if rng.random() < 0.85:  # cooking
            t = pos + 4 * int(rng.normal(18, 0.8)) + rng.integers(0, 4)
            events[t : t + rng.integers(2, 4)] += 2.0 * h
        if rng.random() < 0.45:  # laundry or dishwasher
            t = pos + 4 * int(rng.uniform(9, 21))
            events[t : t + rng.integers(4, 8)] += 1.8 * h
        for _ in range(rng.poisson(2)):  # kettle, hair dryer: one quarter-hour at partial power
            t = pos + 4 * int(rng.uniform(6, 23))
            events[t] += rng.uniform(0.3, 0.6) * h * 2
    events = events[:n]
    comp["events"] = events / max(events.sum(), 1e-9) * event_kwh

    temp = _climatological_temp(q_index)
    if spec.circulation_pump_w > 0:
        heating = (month >= 10) | (month <= 4)
        comp["circulation_pump"] = heating * spec.circulation_pump_w / 1000 * h

    ev_starts: list[pd.Timestamp] = []
    if spec.ev_kw > 0:
        ev = np.zeros(n)
        p_day = spec.ev_sessions_per_week / 7
        for pos in day_pos:
            if rng.random() < p_day:
                t = pos + 4 * int(rng.uniform(17, 21)) + rng.integers(0, 4)
                dur = int(rng.uniform(8, 20))  # 2-5 h
                ev[t : t + dur] = spec.ev_kw * h
                if t < n:
                    ev_starts.append(q_index[t])
        comp["ev"] = ev[:n]

    if spec.heat_pump_kwh > 0:
        demand = np.clip(15.0 - temp, 0, None) + 0.8  # heating degree hours + hot water
        comp["heat_pump"] = demand / demand.sum() * spec.heat_pump_kwh

    if spec.instantaneous_water_heater_kw > 0:
        wh = np.zeros(n)
        for pos in day_pos:
            for hr in (7, 20):
                if rng.random() < 0.8:
                    t = pos + 4 * hr + rng.integers(0, 4)
                    # a 5-8 min shower at full power lands in one quarter-hour
                    wh[t] += spec.instantaneous_water_heater_kw * rng.uniform(5, 8) / 60
        comp["instantaneous_water_heater"] = wh[:n]

    components = pd.DataFrame(comp, index=q_index)
    if spec.interval_minutes != 15:
        components = components.resample(freq_of(spec.interval_minutes)).sum()
    total = components.sum(axis=1).rename("energy_kwh")
    meta = CurveMeta(
        source_format="synthetic",
        meter_id=f"SYNTH-{spec.seed}",
        tz=tz,
        holiday_region=spec.holiday_region,
        source_name="synthetic demo household",
        conversions=(Message("ingest.conv.synthetic"),),
    )
    curve = make_load_curve(total, interval_minutes=spec.interval_minutes, meta=meta)
    return SyntheticHousehold(curve=curve, components_kwh=components, spec=spec, ev_session_starts=tuple(ev_starts))


def demo_household() -> SyntheticHousehold:
    """The app's demo household: a 3-person house in Herne with a circulation pump (synthetic)."""
    return synthetic_household(
        SyntheticSpec(year=2024, appliance_kwh=2600.0, standby_w=120.0, circulation_pump_w=60.0, seed=2024)
    )


def synthetic_long_table(n_households: int, *, year: int = 2024, interval_minutes: int = 15, seed: int = 0) -> pd.DataFrame:
    """A long table ``household_id, timestamp, kwh`` of ``n_households`` synthetic years (UTC)."""
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(n_households):
        hh = synthetic_household(
            SyntheticSpec(
                year=year,
                interval_minutes=interval_minutes,
                appliance_kwh=float(rng.uniform(1200, 4500)),
                standby_w=float(rng.uniform(30, 250)),
                circulation_pump_w=float(rng.choice([0.0, 0.0, 45.0, 80.0])),
                ev_kw=float(rng.choice([0.0, 0.0, 0.0, 11.0])),
                seed=int(seed * 100_003 + i),
            )
        )
        e = hh.curve.energy_kwh
        frames.append(
            pd.DataFrame({"household_id": f"HH{i:05d}", "timestamp": e.index.tz_convert("UTC"), "kwh": e.to_numpy()})
        )
    return pd.concat(frames, ignore_index=True)
