"""An electric car charged at home: how much, when it comes home, and how it charges.

* energy at home = km a year × consumption from the grid (incl. charging losses) / 100 × home
  share;
* sessions: on each day a session with probability ``sessions_per_week / 7``, arrival hour drawn
  from the seeded weekday/weekend weights, leaving at the seeded hour next morning (a fixed random
  seed: the same household gives the same figures every run);
* **uncontrolled** charging starts on arrival at the wallbox's power; **smart** charging fills the
  cheapest intervals of the window when a price signal is given, else the intervals where the
  household draws least (valley filling, which keeps the peak low).

A household with PV sees only its net import in the curve, so charging from PV surplus cannot be
simulated here; the assumptions say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.electrify.heat_demand import ElectrifyError, check_range
from advisor.electrify.parameters import ElectrifyParameters
from advisor.units import interval_hours

KM_RANGE = (500.0, 100_000.0)
KWH_PER_100KM_RANGE = (10.0, 40.0)
WALLBOX_KW_RANGE = (1.4, 22.0)
REPLACES = ("petrol", "diesel", "none")


@dataclass(frozen=True)
class EVSpec:
    """An electric car charged at home.

    Parameters
    ----------
    km_per_year
        Distance driven a year [km], 500..100,000.
    kwh_per_100km
        Consumption from the grid incl. charging losses [kWh/100 km], 10..40; None: seeds.
    home_charging_share
        Share of the energy charged at home, 0..1; None: seeds.
    wallbox_kw
        Charging power at home [kW], 1.4..22 (1.4 kW: a household socket with 6 A... 22 kW).
    smart
        Smart charging (cheapest hours / least household load) instead of charging on arrival.
    replaces
        ``"petrol"``, ``"diesel"`` or ``"none"``: the car it replaces (for CO₂ and running costs).
    """

    km_per_year: float
    kwh_per_100km: float | None = None
    home_charging_share: float | None = None
    wallbox_kw: float = 11.0
    smart: bool = False
    replaces: str = "none"

    def __post_init__(self) -> None:
        check_range("ev_km_per_year", self.km_per_year, KM_RANGE, "km/yr")
        check_range("ev_kwh_per_100km", self.kwh_per_100km, KWH_PER_100KM_RANGE, "kWh/100 km")
        check_range("home_charging_share", self.home_charging_share, (0.0, 1.0), "")
        check_range("wallbox_kw", self.wallbox_kw, WALLBOX_KW_RANGE, "kW")
        if self.replaces not in REPLACES:
            raise ElectrifyError(f"`ev_replaces` must be one of {', '.join(REPLACES)}; got {self.replaces!r}.")

    def consumption(self, params: ElectrifyParameters) -> float:
        return float(self.kwh_per_100km if self.kwh_per_100km is not None else params.ev_kwh_per_100km)

    def home_share(self, params: ElectrifyParameters) -> float:
        return float(
            self.home_charging_share if self.home_charging_share is not None else params.ev_home_charging_share
        )

    def total_kwh(self, params: ElectrifyParameters) -> float:
        """Energy the car takes from the grid a year, at home and elsewhere [kWh/yr]."""
        return self.km_per_year * self.consumption(params) / 100.0

    def home_kwh(self, params: ElectrifyParameters) -> float:
        """Energy charged at home a year [kWh/yr]."""
        return self.total_kwh(params) * self.home_share(params)


@dataclass(frozen=True)
class Sessions:
    """Charging sessions on a curve's index: interval positions and energy.

    Attributes
    ----------
    arrival, departure
        Position of the first interval and one past the last interval the car is plugged in.
    energy_kwh
        Energy to charge in each session [kWh].
    """

    arrival: np.ndarray
    departure: np.ndarray
    energy_kwh: np.ndarray

    @property
    def n(self) -> int:
        return len(self.arrival)


def draw_sessions(
    index: pd.DatetimeIndex,
    tz: str,
    annual_home_kwh: float,
    wallbox_kw: float,
    params: ElectrifyParameters,
    interval_minutes: int,
) -> Sessions:
    """Draw the year's charging sessions (reproducible) and share the annual energy among them.

    The energy of all sessions sums to ``annual_home_kwh`` scaled to the index's length in days
    (a full year: exactly the annual figure), as far as the wallbox can deliver it in the windows.
    """
    rng = np.random.default_rng(int(params.ev_random_seed))
    local = index.tz_convert(tz)
    days = local.normalize().unique()
    step_h = interval_hours(interval_minutes)
    start = local[0]
    w_day = np.asarray(params.ev_arrival_weights_weekday, dtype=float)
    w_end = np.asarray(params.ev_arrival_weights_weekend, dtype=float)
    if w_day.size != 24 or w_end.size != 24 or w_day.sum() <= 0 or w_end.sum() <= 0:
        raise ElectrifyError("the arrival weights in the seeds must be 24 non-negative numbers with a positive sum")
    p = min(1.0, float(params.ev_sessions_per_week) / 7.0)
    arrivals, departures = [], []
    n_idx = len(index)
    for day in days:
        weekend = day.weekday() >= 5
        draw = rng.random()
        hour = rng.choice(24, p=(w_end if weekend else w_day) / (w_end if weekend else w_day).sum())
        minute = rng.random() * 60.0
        if draw >= p:
            continue
        arrive = day + pd.Timedelta(hours=int(hour), minutes=float(minute))
        leave = (day + pd.Timedelta(days=1)).replace(hour=int(params.ev_departure_hour))
        a = int(np.ceil((arrive - start) / pd.Timedelta(minutes=interval_minutes)))
        b = int(np.floor((leave - start) / pd.Timedelta(minutes=interval_minutes)))
        a, b = max(a, 0), min(b, n_idx)
        if b - a >= 1:
            arrivals.append(a)
            departures.append(b)
    arrival = np.asarray(arrivals, dtype=int)
    departure = np.asarray(departures, dtype=int)
    if arrival.size == 0:
        return Sessions(arrival, departure, np.zeros(0))
    target = annual_home_kwh * (n_idx * step_h / 24.0) / 365.0
    room = (departure - arrival) * wallbox_kw * step_h
    energy = np.minimum(room, target / arrival.size)
    for _ in range(5):  # share what did not fit among the sessions with room left
        short = target - energy.sum()
        spare = room - energy
        if short <= 1e-9 or spare.sum() <= 1e-9:
            break
        energy = energy + np.minimum(spare, short * spare / spare.sum())
    return Sessions(arrival, departure, energy)


def _valley_fill(load: np.ndarray, energy: float, cap: float) -> np.ndarray:
    """Energy per interval that lifts the lowest intervals to a common level (each at most ``cap``)."""
    lo, hi = float(load.min()), float(load.max()) + energy / max(len(load), 1) + cap
    for _ in range(40):
        level = 0.5 * (lo + hi)
        if np.minimum(cap, np.clip(level - load, 0.0, None)).sum() < energy:
            lo = level
        else:
            hi = level
    add = np.minimum(cap, np.clip(hi - load, 0.0, None))
    total = add.sum()
    return add * (energy / total) if total > 0 else add


def _cheapest_fill(price: np.ndarray, energy: float, cap: float) -> np.ndarray:
    """Energy per interval filling the cheapest intervals first (each at most ``cap``)."""
    order = np.argsort(price, kind="stable")
    add = np.zeros(len(price))
    cum = np.cumsum(np.full(len(price), cap))
    full = cum <= energy
    add[order[full]] = cap
    rest = energy - cap * full.sum()
    if rest > 1e-12 and full.sum() < len(price):
        add[order[full.sum()]] = rest
    return add


def charge(
    sessions: Sessions,
    n_intervals: int,
    wallbox_kw: float,
    interval_minutes: int,
    *,
    smart: bool,
    price: np.ndarray | None = None,
    base_load_kwh: np.ndarray | None = None,
) -> np.ndarray:
    """Energy per interval the car draws [kWh] for the sessions.

    Parameters
    ----------
    smart
        False: charge at full power from arrival. True: cheapest intervals of the window by
        ``price`` (per interval, any unit), else lowest ``base_load_kwh``.
    """
    cap = wallbox_kw * interval_hours(interval_minutes)
    out = np.zeros(n_intervals)
    for a, b, e in zip(sessions.arrival, sessions.departure, sessions.energy_kwh, strict=True):
        if e <= 0:
            continue
        if not smart:
            n_full = int(e // cap)
            end = min(a + n_full, b)
            out[a:end] += cap
            rest = e - cap * (end - a)
            if rest > 1e-12 and end < b:
                out[end] += rest
        elif price is not None:
            out[a:b] += _cheapest_fill(price[a:b], e, cap)
        else:
            load = base_load_kwh[a:b] if base_load_kwh is not None else np.zeros(b - a)
            out[a:b] += _valley_fill(np.nan_to_num(load + out[a:b]), e, cap)
    return out
