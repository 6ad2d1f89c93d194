"""Home battery dispatch on the household's own curve (self-consumption strategy).

The battery charges only from PV surplus and discharges only to cover the household's load (no
grid charging, no export from the battery): the strategy of ordinary home storage. It runs at
the curve's own resolution. The power limits do not depend on the state of charge, so the state
of charge is a cumulative sum clipped to its window, evaluated run by run (a run = steps of
one sign), vectorised within runs (a few ms for a year at 15 min).

Ageing is a property of the spec (capacity fade per year, cycle life, calendar life, all from
``seeds/pv.toml`` via :meth:`BatterySpec.from_seeds`); the economics apply it year by year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.errors import AdvisorError
from advisor.units import interval_hours


class BatterySpecError(AdvisorError, ValueError):
    """A battery specification is impossible."""


@dataclass(frozen=True)
class BatterySpec:
    """A home battery.

    Parameters
    ----------
    capacity_kwh
        Usable nominal capacity [kWh].
    charge_power_kw, discharge_power_kw
        Power limits on the AC side [kW]; None: half the capacity per hour (0.5 C).
    round_trip_efficiency
        AC-to-AC round-trip efficiency [-], split evenly between charging and discharging.
    soc_min_share, soc_max_share
        State-of-charge window [0..1] of ``capacity_kwh``.
    initial_soc_share
        State of charge at the start [0..1]; defaults to the minimum.
    capacity_fade_pct_per_year
        Loss of usable capacity per year of operation [%/yr] (ageing).
    cycle_life
        Full equivalent cycles until the end of life [-]; None: not limiting.
    calendar_life_years
        Years until the end of life regardless of use [yr]; None: not limiting.
    """

    capacity_kwh: float
    charge_power_kw: float | None = None
    discharge_power_kw: float | None = None
    round_trip_efficiency: float = 0.90
    soc_min_share: float = 0.05
    soc_max_share: float = 1.0
    initial_soc_share: float | None = None
    capacity_fade_pct_per_year: float = 0.0
    cycle_life: float | None = None
    calendar_life_years: float | None = None

    @classmethod
    def from_seeds(cls, capacity_kwh: float, seeds, **overrides) -> BatterySpec:
        """A battery of ``capacity_kwh`` with efficiency and ageing from ``seeds/pv.toml``."""
        v = seeds.value
        values = {
            "round_trip_efficiency": float(v("pv.battery_round_trip_efficiency")),
            "capacity_fade_pct_per_year": float(v("pv.battery_capacity_fade_pct_per_year")),
            "cycle_life": float(v("pv.battery_cycle_life")),
            "calendar_life_years": float(v("pv.battery_calendar_life_years")),
        }
        values.update(overrides)
        return cls(capacity_kwh=float(capacity_kwh), **values)

    @property
    def usable_kwh(self) -> float:
        """Capacity within the state-of-charge window [kWh]."""
        return float(self.capacity_kwh * (self.soc_max_share - self.soc_min_share))

    def __post_init__(self) -> None:
        if not (self.capacity_kwh >= 0 and np.isfinite(self.capacity_kwh)):
            raise BatterySpecError(f"`capacity_kwh` must be >= 0 kWh; got {self.capacity_kwh}")
        for name in ("charge_power_kw", "discharge_power_kw"):
            v = getattr(self, name)
            if v is not None and not v > 0:
                raise BatterySpecError(f"`{name}` must be > 0 kW or None; got {v}")
        if not 0.3 <= self.round_trip_efficiency <= 1:
            raise BatterySpecError(f"`round_trip_efficiency` must be 0.3..1; got {self.round_trip_efficiency}")
        if not 0 <= self.soc_min_share < self.soc_max_share <= 1:
            raise BatterySpecError(
                f"need 0 <= `soc_min_share` < `soc_max_share` <= 1; got {self.soc_min_share}, {self.soc_max_share}"
            )
        if not 0 <= self.capacity_fade_pct_per_year < 50:
            raise BatterySpecError(
                f"`capacity_fade_pct_per_year` must be 0..50 %/yr; got {self.capacity_fade_pct_per_year}"
            )
        for name in ("cycle_life", "calendar_life_years"):
            v = getattr(self, name)
            if v is not None and not v > 0:
                raise BatterySpecError(f"`{name}` must be > 0 or None; got {v}")
        if (
            self.initial_soc_share is not None
            and not self.soc_min_share <= self.initial_soc_share <= self.soc_max_share
        ):
            raise BatterySpecError("`initial_soc_share` must lie within the SoC window")

    @property
    def charge_kw(self) -> float:
        return float(self.charge_power_kw if self.charge_power_kw is not None else 0.5 * self.capacity_kwh)

    @property
    def discharge_kw(self) -> float:
        return float(self.discharge_power_kw if self.discharge_power_kw is not None else 0.5 * self.capacity_kwh)


@dataclass(frozen=True)
class BatteryDispatch:
    """Battery flows per interval.

    Attributes
    ----------
    charge_kwh
        AC energy taken from PV surplus per interval [kWh].
    discharge_kwh
        AC energy delivered to the load per interval [kWh].
    soc_kwh
        Stored energy at the end of each interval [kWh].
    initial_soc_kwh
        Stored energy before the first interval [kWh].
    """

    charge_kwh: np.ndarray
    discharge_kwh: np.ndarray
    soc_kwh: np.ndarray
    initial_soc_kwh: float
    usable_kwh: float = 0.0

    @property
    def losses_kwh(self) -> float:
        """Conversion losses [kWh]: charge - discharge - change of stored energy."""
        return float(self.charge_kwh.sum() - self.discharge_kwh.sum() - (self.soc_kwh[-1] - self.initial_soc_kwh))

    @property
    def full_cycles(self) -> float:
        """Equivalent full cycles: discharged energy / usable window [-]."""
        return float(self.discharge_kwh.sum() / self.usable_kwh) if self.usable_kwh > 0 else 0.0


@dataclass(frozen=True, eq=False)
class DispatchRuns:
    """Where the battery charges and where it discharges: the runs of one sign of the step.

    They depend only on where there is PV surplus and where there is a deficit, not on the
    battery (its power limits are > 0), so several battery sizes on the same flows share them
    (:func:`dispatch_runs`, a sizing sweep).
    """

    charging: np.ndarray  # per interval: belongs to a charging run
    starts: np.ndarray  # first interval of each run
    run_of: np.ndarray  # per interval: its run
    n: int


def dispatch_runs(surplus_kwh, deficit_kwh) -> DispatchRuns:
    """The run structure of :func:`dispatch_battery` for these flows (any battery)."""
    surplus = np.asarray(surplus_kwh, dtype=float)
    deficit = np.asarray(deficit_kwh, dtype=float)
    # the sign of the step: + where PV surplus is stored, - where a deficit is covered, 0 else
    return _runs(np.where(surplus > 0.0, 1.0, np.where(deficit > 0.0, -1.0, 0.0)))


def _runs(sign: np.ndarray) -> DispatchRuns:
    n = len(sign)
    charging = np.ones(n, dtype=bool)
    if np.any(sign):  # a zero step belongs to the run before it (it changes nothing)
        fill = np.maximum.accumulate(np.where(sign != 0, np.arange(n), -1))
        charging = np.where(fill >= 0, sign[np.maximum(fill, 0)] > 0, True)
    starts = np.flatnonzero(np.concatenate([[True], charging[1:] != charging[:-1]])) if n else np.zeros(0, dtype=int)
    run_of = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, n)))
    return DispatchRuns(charging, starts, run_of, n)


def dispatch_battery(
    surplus_kwh, deficit_kwh, battery: BatterySpec, *, interval_minutes: int, runs: DispatchRuns | None = None
) -> BatteryDispatch:
    """Self-consumption dispatch: store PV surplus, cover the deficit, within all limits.

    Parameters
    ----------
    surplus_kwh
        PV left after direct use per interval [kWh] (>= 0).
    deficit_kwh
        Load left after direct PV per interval [kWh] (>= 0).
    battery
        The battery.
    interval_minutes
        Interval length [min] (power limits become energy limits per interval).
    runs
        :func:`dispatch_runs` of the same flows (computed here when None).

    Returns
    -------
    BatteryDispatch
    """
    surplus = np.asarray(surplus_kwh, dtype=float)
    deficit = np.asarray(deficit_kwh, dtype=float)
    n = len(surplus)
    if len(deficit) != n:
        raise BatterySpecError("`surplus_kwh` and `deficit_kwh` must have the same length")
    h = interval_hours(interval_minutes)
    eta = float(np.sqrt(battery.round_trip_efficiency))
    cap = battery.capacity_kwh
    soc_min = battery.soc_min_share * cap
    soc_max = battery.soc_max_share * cap
    soc0 = battery.initial_soc_share * cap if battery.initial_soc_share is not None else soc_min
    if n == 0:
        empty = np.zeros(0)
        return BatteryDispatch(empty, empty, empty, float(soc0), battery.usable_kwh)
    # Power limits do not depend on the state of charge: clip them first. The state of charge is
    # then a cumulative sum clipped to [soc_min, soc_max]. Within a run of steps of one sign it is
    # monotone, so it is min(soc_max, start + partial sum) in a charging run and
    # max(soc_min, start + partial sum) in a discharging run: only the run starts need a loop.
    c = np.minimum(np.clip(surplus, 0.0, None), battery.charge_kw * h)
    x = np.minimum(np.clip(deficit, 0.0, None), battery.discharge_kw * h)
    step = np.where(surplus > 0.0, c * eta, -x / eta)
    if runs is None:
        runs = _runs(np.sign(step))
    elif runs.n != n:
        raise BatterySpecError("`runs` were made for flows of another length")
    charging, starts, run_of = runs.charging, runs.starts, runs.run_of
    run_sum = np.add.reduceat(step, starts)
    levels = []
    level = float(soc0)
    for total, up in zip(run_sum.tolist(), charging[starts].tolist(), strict=True):
        levels.append(level)
        level = min(soc_max, level + total) if up else max(soc_min, level + total)
    start_level = np.array(levels)
    cum = np.cumsum(step)
    before = np.concatenate([[0.0], cum])[starts]
    raw = start_level[run_of] + (cum - before[run_of])
    soc_end = np.where(charging, np.minimum(soc_max, raw), np.maximum(soc_min, raw))
    soc = np.concatenate([[float(soc0)], soc_end])
    delta = np.diff(soc)
    return BatteryDispatch(
        charge_kwh=np.where(delta > 0.0, delta / eta, 0.0),
        discharge_kwh=np.where(delta < 0.0, -delta * eta, 0.0),
        soc_kwh=soc[1:],
        initial_soc_kwh=float(soc0),
        usable_kwh=battery.usable_kwh,
    )
