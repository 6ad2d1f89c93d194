"""A household's own PV system behind its import meter: its likely size and its surplus.

The import meter of a household with its own PV sees only what the grid delivers: at noon on a
sunny day the panels cover the load and the import falls to zero, the rest goes to the grid.
Two things follow from the curve and the meter, without the household stating its kWp:

* :func:`own_pv_size`: the system's size [kWp] as a **range**. From the feed-in register (2.8.0,
  or a signed curve) over about a year: ``feed_in = kWp x yield x (1 - self-consumed share)``, with
  the yield ±15 % (orientation, shading) and the self-consumed share between the seeded low and
  high figures (``benchmarks.own_pv_self_consumption_share_low/high``). Stated by the household:
  that figure. From the import curve alone the size is not identified (a 3 and a 10 kWp system both
  cover the noon load), so no size is given and the advice asks for it.
* :func:`surplus_days`: the days with a surplus (import at or near zero over the midday hours) and
  what the household draws after them: what a battery or a shifted appliance could take from the
  surplus instead of the grid. Computed from the analysis' heatmap (mean power per local date and
  wall-clock slot), never from a standard profile.

Both are pure; the measures (:mod:`advisor.measures`) turn them into battery, self-consumption and
EV-on-surplus advice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.benchmark import OWN_PV_YIELD_UNCERTAINTY, OwnGeneration

#: Midday window in which a surplus day has (almost) no import [local h, h).
MIDDAY_HOURS = (10, 16)
#: Evening and night after a surplus day, until the panels take over again [local h]: d 16:00 .. d+1 08:00.
AFTER_SUN_HOURS = (16, 8)
#: A midday slot counts as covered when its import is below this share of the night base load.
COVERED_SHARE_OF_BASE = 0.25


@dataclass(frozen=True)
class OwnPVSize:
    """The likely size of an existing PV system.

    Attributes
    ----------
    kwp, kwp_low, kwp_high
        Central estimate and range [kWp] (all equal when the household stated it).
    method
        ``"stated"`` (the household's figure) or ``"feed_in"`` (from a year of feed-in).
    feed_in_kwh_per_year
        The measured feed-in behind the estimate [kWh/yr] (None when stated without a register).
    """

    kwp: float
    kwp_low: float
    kwp_high: float
    method: str
    feed_in_kwh_per_year: float | None = None

    def to_dict(self) -> dict[str, float | str | None]:
        r = lambda x: None if x is None else round(float(x), 2)  # noqa: E731
        return {
            "kwp": r(self.kwp),
            "kwp_low": r(self.kwp_low),
            "kwp_high": r(self.kwp_high),
            "method": self.method,
            "feed_in_kwh_per_year": r(self.feed_in_kwh_per_year),
        }


def own_pv_size(
    own: OwnGeneration | None, *, self_consumption_low: float, self_consumption_high: float
) -> OwnPVSize | None:
    """The PV size [kWp] from what the household said or what its meter fed in (None: unknown).

    Parameters
    ----------
    own
        What is known about the household's own generation (``LoadAnalysis.own_generation``).
    self_consumption_low, self_consumption_high
        Range of the share of generation used in the home without a battery [0..1] (seeds).
    """
    if own is None:
        return None
    if own.peak_kw:
        k = float(own.peak_kw)
        return OwnPVSize(k, k, k, "stated", own.feed_in_kwh_per_year)
    fed = own.feed_in_kwh_per_year
    if fed is None or fed <= 0 or not (0.0 <= self_consumption_low < self_consumption_high < 1.0):
        return None
    y = float(own.yield_kwh_per_kwp)
    u = OWN_PV_YIELD_UNCERTAINTY
    low = fed / (y * (1 + u) * (1 - self_consumption_low))
    high = fed / (y * (1 - u) * (1 - self_consumption_high))
    mid = fed / (y * (1 - 0.5 * (self_consumption_low + self_consumption_high)))
    return OwnPVSize(mid, low, high, "feed_in", fed)


@dataclass(frozen=True)
class SurplusDays:
    """Days with a PV surplus seen in the import curve and the energy drawn around them.

    Attributes
    ----------
    n_days, n_surplus_days
        Days with complete data, and of them the days whose midday import was covered [d].
    evening_flexible_kwh
        Over the surplus days: the flexible share of the evening load (17-22 h) above the base load
        [kWh], what could run at noon instead.
    after_sun_kwh
        Over the surplus days: import from 16:00 to 08:00 the next morning [kWh] (what a battery
        charged at noon could cover).
    battery_kwh
        Over the surplus days: ``min(usable capacity, after_sun - shifted flexible load)`` per day
        [kWh] for the capacity asked (0 without one).
    """

    n_days: int
    n_surplus_days: int
    evening_flexible_kwh: float
    after_sun_kwh: float
    battery_kwh: float

    @property
    def per_year(self) -> float:
        """Factor from the measured days to a year."""
        return 365.0 / self.n_days if self.n_days else 0.0


def _slot_hours(columns) -> np.ndarray:
    return np.array([int(c[:2]) + int(c[3:5]) / 60.0 for c in columns])


def surplus_days(
    heatmap: pd.DataFrame,
    base_load_w: float,
    *,
    flexible_share: float,
    evening_hours: tuple[float, float] = (17.0, 22.0),
    battery_capacity_kwh: float = 0.0,
) -> SurplusDays:
    """Surplus days in an import curve's heatmap (mean power [kW] per local date x wall-clock slot).

    A day is a surplus day when every midday slot (10-16 h) is below a quarter of the night base
    load: the panels covered the whole load, so they fed in. Days with a missing slot are left out.
    """
    empty = SurplusDays(0, 0, 0.0, 0.0, 0.0)
    if heatmap is None or heatmap.empty or not math.isfinite(base_load_w):
        return empty
    p = heatmap.to_numpy(dtype=float)
    hours = _slot_hours(heatmap.columns)
    slot_h = 24.0 / p.shape[1]
    base_kw = base_load_w / 1000.0
    # DST: the March day has NaN columns; judge completeness on the slots that exist every day
    mid = (hours >= MIDDAY_HOURS[0]) & (hours < MIDDAY_HOURS[1])
    complete = np.isfinite(p[:, mid]).all(axis=1) & (np.isfinite(p).sum(axis=1) >= p.shape[1] - 4)
    covered = complete & (np.nanmax(np.where(mid, p, -np.inf), axis=1) <= COVERED_SHARE_OF_BASE * max(base_kw, 0.0))
    ev = (hours >= evening_hours[0]) & (hours < evening_hours[1])
    flex = flexible_share * np.nansum(np.clip(p[:, ev] - base_kw, 0.0, None), axis=1) * slot_h
    late = np.nansum(p[:, hours >= AFTER_SUN_HOURS[0]], axis=1) * slot_h
    early = np.nansum(p[:, hours < AFTER_SUN_HOURS[1]], axis=1) * slot_h
    early_next = np.append(early[1:], np.nan)
    consecutive = np.append(np.diff(heatmap.index.to_numpy()).astype("timedelta64[h]").astype(float) == 24.0, False)
    after = late + np.where(consecutive & np.isfinite(early_next), early_next, early)
    need = np.clip(after - flex, 0.0, None)
    stored = np.minimum(battery_capacity_kwh, need) if battery_capacity_kwh > 0 else np.zeros_like(need)
    return SurplusDays(
        n_days=int(complete.sum()),
        n_surplus_days=int(covered.sum()),
        evening_flexible_kwh=float(flex[covered].sum()),
        after_sun_kwh=float(after[covered].sum()),
        battery_kwh=float(stored[covered].sum()),
    )
