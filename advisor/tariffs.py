"""Tariff products simulated on the household's own curve.

What a household would pay in a year for

* its **fixed tariff** (work price + base fee + meter fee of a modern meter, mME),
* a **dynamic tariff** (§ 41a EnWG) on real day-ahead prices: spot price + supplier markup +
  network work price + levies and electricity tax, then VAT; base fee and the iMSys meter fee,
* the same dynamic tariff after **shifting flexible loads** to the cheapest hours of each day,
* **§ 14a EnWG** network-fee reductions (Module 1 flat, Module 2 reduced network work price on a
  separately metered device) where a heat pump or a wallbox is present.

Prices may be hourly or quarter-hourly (German day-ahead prices are quarter-hourly since
1 October 2025), also mixed in one series. Every load interval takes the mean of the prices over
its own span: an hourly curve the hour's mean price (its energy is spread evenly over the hour,
so this is its exact cost), a 15-min curve the quarter-hour's price (or, with hourly prices, the
hour's price). The resolution used is named in :class:`PriceAlignment`. A load year outside the
price data is aligned by a whole number of 364-day shifts (weekday kept) and the price year used
is named in the result. Files are read in :mod:`advisor.ingest.prices`; the core takes frames. All figures come from ``seeds/tariff_components.toml`` and
``seeds/tariffs.toml`` (passed in as :class:`~advisor.seeds.Seeds`), never from code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from advisor.annual import annual_energy
from advisor.errors import AdvisorError
from advisor.loadcurve import LoadCurve
from advisor.texts import Message
from advisor.units import interval_hours, kwh_to_kw

HOURS_PER_YEAR = 8760.0
SHIFT_DAYS = 364  # 52 weeks: keeps the weekday
PRICE_SOURCE_SMARD = "Bundesnetzagentur | SMARD.de, day-ahead DE-LU (CC BY 4.0)"


class TariffError(AdvisorError, ValueError):
    """A price file or tariff definition is unusable."""


# ---------------------------------------------------------------------------------- prices
@dataclass(frozen=True)
class DayAheadPrices:
    """Day-ahead prices, hourly or quarter-hourly (or both, e.g. across 1 October 2025).

    Attributes
    ----------
    price_eur_per_kwh
        Price per interval [EUR/kWh], indexed by the interval's start (tz-aware, UTC); an
        interval lasts until the next stamp (at most an hour).
    source
        Where the prices come from (shown in the report).
    """

    price_eur_per_kwh: pd.Series
    source: str = PRICE_SOURCE_SMARD

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.price_eur_per_kwh.index.tz_convert("Europe/Berlin").year)))

    @property
    def resolution_minutes(self) -> tuple[int, ...]:
        """The interval lengths present [min], e.g. ``(60,)``, ``(15,)`` or ``(15, 60)``."""
        return tuple(sorted(set(_price_durations_min(self.price_eur_per_kwh.index).tolist())))


def _price_durations_min(index: pd.DatetimeIndex) -> np.ndarray:
    """Length of each price interval [min]: up to the next stamp, 15 or 60 (gaps: the step before)."""
    if len(index) < 2:
        return np.full(len(index), 60, dtype=int)
    step = np.diff(index.as_unit("s").asi8) / 60.0
    step = np.append(step, step[-1])
    # a gap (missing hours) is not a longer interval: take the nearer standard length
    return np.where(step <= 15, 15, 60).astype(int)


def quarter_hour_prices(prices: DayAheadPrices) -> pd.Series:
    """Prices on a 15-min UTC grid [EUR/kWh]: an hourly price holds for its four quarter-hours."""
    p = prices.price_eur_per_kwh
    dur = _price_durations_min(p.index)
    reps = dur // 15
    starts = p.index.repeat(reps) + pd.to_timedelta(
        np.concatenate([np.arange(r) * 15 for r in reps]) if len(reps) else [], unit="min"
    )
    q = pd.Series(np.repeat(p.to_numpy(dtype=float), reps), index=pd.DatetimeIndex(starts), name="price_eur_per_kwh")
    return q[~q.index.duplicated(keep="last")].sort_index()


def parse_day_ahead_prices(frame: pd.DataFrame | pd.Series, source: str = PRICE_SOURCE_SMARD) -> DayAheadPrices:
    """Day-ahead prices from an already loaded table.

    Parameters
    ----------
    frame
        Either a DataFrame with ``timestamp_utc`` and ``price_eur_mwh`` columns (the layout of
        ``shared/data/prices/de_lu_day_ahead_hourly_*.csv``), or a Series of [EUR/MWh] with a
        tz-aware index, or a Series named ``price_eur_per_kwh`` [EUR/kWh].
    source
        Description of the origin.

    Raises
    ------
    TariffError
        Columns missing, naive timestamps, or no numeric prices.
    """
    if isinstance(frame, DayAheadPrices):
        return frame
    if isinstance(frame, pd.Series):
        s = frame.astype(float)
        if not isinstance(s.index, pd.DatetimeIndex) or s.index.tz is None:
            raise TariffError("price series must have a tz-aware DatetimeIndex; got naive or non-time index.")
        per_kwh = s if s.name == "price_eur_per_kwh" else s / 1000.0
    else:
        cols = {c.lower(): c for c in frame.columns}
        if "timestamp_utc" not in cols or "price_eur_mwh" not in cols:
            raise TariffError(
                f"price table needs columns `timestamp_utc` and `price_eur_mwh`; got {list(frame.columns)}."
            )
        idx = pd.to_datetime(frame[cols["timestamp_utc"]], utc=True)
        per_kwh = pd.Series(pd.to_numeric(frame[cols["price_eur_mwh"]], errors="coerce").to_numpy() / 1000.0, index=idx)
    per_kwh = per_kwh.dropna()
    if per_kwh.empty:
        raise TariffError(Message("ingest.prices.no_numbers"))
    per_kwh.index = per_kwh.index.tz_convert("UTC")
    per_kwh = per_kwh[~per_kwh.index.duplicated()].sort_index().rename("price_eur_per_kwh")
    return DayAheadPrices(per_kwh, source)


def __getattr__(name: str):
    """``advisor.tariffs.read_day_ahead_prices`` moved to :mod:`advisor.ingest.prices` (I/O at the edges)."""
    if name == "read_day_ahead_prices":
        from advisor.ingest.prices import read_day_ahead_prices

        return read_day_ahead_prices
    raise AttributeError(f"module 'advisor.tariffs' has no attribute {name!r}")


@dataclass(frozen=True)
class PriceAlignment:
    """How prices were matched to the load.

    Attributes
    ----------
    price_eur_per_kwh
        Spot price per load interval [EUR/kWh], same index as the load: the mean of the prices
        over the interval's span.
    shift_days
        Days the load was moved back to find prices (a multiple of 364; 0 = same dates).
    price_year
        Calendar year(s) of the prices used, e.g. ``"2024"`` or ``"2023-2024"``.
    n_fallback_intervals
        Intervals priced with the mean of the same quarter-hour of the week because no price
        fell on them.
    price_resolution_minutes
        Interval length(s) of the price data used [min], e.g. ``(60,)`` or ``(15,)``.
    load_interval_minutes
        Interval length of the load curve [min].
    """

    price_eur_per_kwh: pd.Series
    shift_days: int
    price_year: str
    n_fallback_intervals: int
    price_resolution_minutes: tuple[int, ...] = (60,)
    load_interval_minutes: int = 15

    @property
    def resolution_note(self) -> str:
        """Which resolution was used, in words (English)."""
        res = "/".join(f"{m}-min" for m in self.price_resolution_minutes)
        if self.load_interval_minutes >= max(self.price_resolution_minutes):
            how = "each interval priced with the mean of its prices" if self.load_interval_minutes > min(
                self.price_resolution_minutes
            ) else "each interval priced with its own price"
        else:
            how = "each interval priced with the price of the hour it lies in"
        return f"{res} day-ahead prices on a {self.load_interval_minutes}-min curve: {how}"


def _load_minutes(index: pd.DatetimeIndex) -> int:
    if len(index) < 2:
        return 60
    step = int((index[1] - index[0]) / pd.Timedelta(minutes=1))
    if step % 15 or step <= 0 or step > 60:
        raise TariffError(f"load intervals must be 15, 30 or 60 min to be priced; got {step} min")
    return step


def align_prices(index: pd.DatetimeIndex, prices: DayAheadPrices, tz: str = "Europe/Berlin") -> PriceAlignment:
    """Price every load interval by local wall-clock time, shifting by 364-day steps if needed.

    The prices are brought to quarter-hours (an hourly price holds for its four quarters); each
    load interval takes the mean over its quarter-hours, so an hourly curve pays the hour's mean
    price and a 15-min curve the quarter-hour's price. The load's local times are moved back by
    ``k * 364`` days (weekday kept), with ``k`` chosen to cover as many intervals as possible, the
    most recent price data first. The October hour that occurs twice takes the mean of both
    prices; quarter-hours still without a price take the mean of the same quarter-hour of the week.
    """
    minutes = _load_minutes(index)
    n_q = minutes // 15
    q = quarter_hour_prices(prices)
    q_local = q.copy()
    q_local.index = q.index.tz_convert(tz).tz_localize(None)
    q_local = q_local.groupby(level=0).mean()
    starts = index.repeat(n_q) + pd.to_timedelta(np.tile(np.arange(n_q) * 15, len(index)), unit="min")
    load_q = pd.DatetimeIndex(starts).tz_convert(tz).tz_localize(None)
    lo, hi = q_local.index[0], q_local.index[-1]
    step = pd.Timedelta(days=SHIFT_DAYS)
    k_lo = int(np.floor((load_q.min() - hi) / step)) - 1
    k_hi = int(np.ceil((load_q.max() - lo) / step)) + 1
    order = sorted(range(k_lo, k_hi + 1), key=lambda k: abs(k) if k >= 0 else abs(k) + 0.5)
    covers = {}
    for k in order:
        shifted = load_q - pd.Timedelta(days=SHIFT_DAYS * k)
        covers[k] = int(((shifted >= lo) & (shifted <= hi)).sum())
        if covers[k] == len(load_q):
            break
    top = max(covers.values())
    # the most recent prices that cover (almost) as much as the best shift
    best_k = next(k for k in order if k in covers and covers[k] >= 0.98 * top)
    shifted = load_q - pd.Timedelta(days=SHIFT_DAYS * best_k)
    spot = q_local.reindex(shifted).to_numpy(dtype=float, copy=True)
    missing = np.isnan(spot)
    if missing.any():
        how = q_local.groupby([q_local.index.day_of_week, q_local.index.hour, q_local.index.minute]).mean()
        keys = list(zip(shifted.day_of_week[missing], shifted.hour[missing], shifted.minute[missing], strict=True))
        spot[missing] = how.reindex(pd.MultiIndex.from_tuples(keys)).to_numpy()
    per_interval = spot.reshape(len(index), n_q).mean(axis=1)
    n_fallback = int(missing.reshape(len(index), n_q).any(axis=1).sum())
    covered_years = sorted(set(shifted[~missing].year)) or list(prices.years)
    year = str(covered_years[0]) if len(covered_years) == 1 else f"{covered_years[0]}-{covered_years[-1]}"
    used = _price_durations_min(prices.price_eur_per_kwh.index)
    p_idx = prices.price_eur_per_kwh.index.tz_convert(tz).tz_localize(None)
    in_span = (p_idx >= shifted.min()) & (p_idx <= shifted.max())
    resolution = tuple(sorted(set((used[in_span] if in_span.any() else used).tolist())))
    return PriceAlignment(
        price_eur_per_kwh=pd.Series(per_interval, index=index, name="price_eur_per_kwh"),
        shift_days=SHIFT_DAYS * best_k,
        price_year=year,
        n_fallback_intervals=n_fallback,
        price_resolution_minutes=resolution,
        load_interval_minutes=minutes,
    )


# ---------------------------------------------------------------------------------- tariffs
@dataclass(frozen=True)
class Tariff:
    """A tariff product.

    Attributes
    ----------
    name
        Display name (``"fixed"``, ``"dynamic"`` …).
    kind
        ``"fixed"`` or ``"dynamic"``.
    work_price_eur_per_kwh
        Fixed tariffs: gross work price [EUR/kWh].
    base_fee_eur_per_year
        Base fee [EUR/yr] (gross).
    meter
        ``"mME"`` (modern meter) or ``"iMSys"`` (smart-meter gateway, needed for dynamic).
    meter_fee_eur_per_year
        Metering fee of that meter [EUR/yr] (gross).
    adders_eur_per_kwh
        Dynamic tariffs: net amount added to the spot price per kWh (supplier markup, network
        work price, levies, electricity tax) [EUR/kWh].
    vat_pct
        VAT applied to spot + adders [%].
    prices
        Dynamic tariffs: :class:`DayAheadPrices`.
    """

    name: str
    kind: str
    base_fee_eur_per_year: float
    meter: str
    meter_fee_eur_per_year: float
    work_price_eur_per_kwh: float | None = None
    adders_eur_per_kwh: float = 0.0
    vat_pct: float = 0.0
    prices: DayAheadPrices | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in ("fixed", "dynamic"):
            raise TariffError(f"`kind` must be 'fixed' or 'dynamic'; got {self.kind!r}.")
        if self.kind == "fixed" and self.work_price_eur_per_kwh is None:
            raise TariffError("a fixed tariff needs `work_price_eur_per_kwh`.")
        if self.kind == "dynamic" and self.prices is None:
            raise TariffError("a dynamic tariff needs `prices` (DayAheadPrices).")

    @classmethod
    def fixed(cls, settings) -> Tariff:
        """The household's fixed tariff from its :class:`~advisor.settings.HouseholdSettings`: work
        price, base fee and the fee of the meter its data come from (one resolution, no fallbacks here)."""
        return cls(
            name="fixed",
            kind="fixed",
            work_price_eur_per_kwh=float(settings.work_price_eur_per_kwh),
            base_fee_eur_per_year=float(settings.base_fee_eur_per_year),
            meter=str(settings.meter),
            meter_fee_eur_per_year=float(settings.meter_fee_eur_per_year),
        )

    @classmethod
    def dynamic(cls, seeds, prices: DayAheadPrices) -> Tariff:
        """A dynamic (§ 41a EnWG) tariff: spot + markup + network + levies + tax, then VAT; needs an iMSys."""
        tc = "tariff_components."
        adders = sum(
            float(seeds.value(tc + k))
            for k in (
                "dynamic_supplier_markup_eur_per_kwh",
                "network_work_price_eur_per_kwh",
                "electricity_tax_eur_per_kwh",
                "concession_fee_eur_per_kwh",
                "stromnev19_levy_eur_per_kwh",
                "offshore_levy_eur_per_kwh",
            )
        )
        return cls(
            name="dynamic",
            kind="dynamic",
            base_fee_eur_per_year=float(seeds.value(tc + "dynamic_base_fee_eur_per_year")),
            meter="iMSys",
            meter_fee_eur_per_year=float(seeds.value(tc + "meter_imsys_eur_per_year")),
            adders_eur_per_kwh=adders,
            vat_pct=float(seeds.value(tc + "vat_pct")),
            prices=prices,
        )


@dataclass(frozen=True)
class TariffCost:
    """What one tariff costs on the curve, scaled to one year.

    Attributes
    ----------
    tariff_name, kind, meter
        From the :class:`Tariff`.
    energy_kwh
        Consumption per year [kWh/yr] (:func:`advisor.annual.annual_energy` for a curve).
    energy_eur
        Work-price part per year [EUR/yr] (gross).
    base_fee_eur, meter_fee_eur
        Fixed parts per year [EUR/yr] (gross).
    total_eur
        Energy + base fee + meter fee [EUR/yr].
    average_price_eur_per_kwh
        Energy part divided by energy [EUR/kWh].
    covered_days
        Days of measured data the figures were scaled from [d].
    price_year
        Dynamic: year(s) of the day-ahead prices used; None for fixed.
    shift_days
        Dynamic: days the load was shifted to meet the prices (multiple of 364).
    n_fallback_intervals
        Dynamic: intervals priced with the hour-of-week mean.
    price_resolution_minutes
        Dynamic: interval length(s) of the prices used [min] (``(60,)`` hourly, ``(15,)``
        quarter-hourly); empty for fixed.
    price_resolution_note
        Dynamic: how the prices met the curve, in words (English); empty for fixed.
    """

    tariff_name: str
    kind: str
    meter: str
    energy_kwh: float
    energy_eur: float
    base_fee_eur: float
    meter_fee_eur: float
    total_eur: float
    average_price_eur_per_kwh: float
    covered_days: float
    price_year: str | None = None
    shift_days: int = 0
    n_fallback_intervals: int = 0
    price_resolution_minutes: tuple[int, ...] = ()
    price_resolution_note: str = ""


def _energy_series(load: LoadCurve | pd.Series) -> tuple[pd.Series, int, str]:
    if isinstance(load, LoadCurve):
        return load.data["energy_kwh"], load.interval_minutes, load.meta.tz
    if isinstance(load, pd.Series):
        if not isinstance(load.index, pd.DatetimeIndex) or load.index.tz is None or len(load) < 2:
            raise TariffError("`load` must be a LoadCurve or a Series with a tz-aware DatetimeIndex.")
        minutes = int((load.index[1] - load.index[0]) / pd.Timedelta(minutes=1))
        return load, minutes, str(load.index.tz)
    raise TariffError(f"`load` must be a LoadCurve or a Series; got {type(load).__name__}.")


def _dynamic_unit_price(tariff: Tariff, index: pd.DatetimeIndex, tz: str) -> tuple[pd.Series, PriceAlignment]:
    al = align_prices(index, tariff.prices, tz=tz)
    gross = (al.price_eur_per_kwh + tariff.adders_eur_per_kwh) * (1 + tariff.vat_pct / 100.0)
    return gross, al


def energy_cost(
    load: LoadCurve | pd.Series,
    tariff: Tariff,
    *,
    annual_kwh: float | None = None,
    _alignment: PriceAlignment | None = None,
) -> TariffCost:
    """Annual cost of ``load`` under ``tariff``.

    Parameters
    ----------
    load
        A :class:`LoadCurve` or a Series of energy per interval [kWh] with a tz-aware index.
    tariff
        :class:`Tariff`.
    annual_kwh
        The household's annual consumption [kWh/yr] the measured intervals stand for. Default for
        a LoadCurve: :func:`advisor.annual.annual_energy` (the one annualisation, H25-weighted);
        for a bare Series: its intervals scaled linearly to 365 days.

    Returns
    -------
    TariffCost
        Energy, base fee and meter fee for one year. The energy part is the measured intervals'
        cost scaled by ``annual_kwh / measured kWh``, so the fixed tariff's energy part is exactly
        ``annual_kwh x work price`` and a dynamic tariff keeps the average price of the measured
        intervals.
    """
    e, minutes, tz = _energy_series(load)
    ok = e.notna()
    covered_h = float(ok.sum()) * interval_hours(minutes)
    if covered_h <= 0:
        raise TariffError("the load curve has no measured intervals to price.")
    measured_kwh = float(e[ok].sum())
    if annual_kwh is None and isinstance(load, LoadCurve):
        annual_kwh = annual_energy(load).annual_kwh
    if annual_kwh is None:
        scale = HOURS_PER_YEAR / covered_h
    elif measured_kwh > 0 and math.isfinite(annual_kwh):
        scale = float(annual_kwh) / measured_kwh
    else:
        raise TariffError(f"cannot price a year from {measured_kwh:.1f} kWh measured and an annual figure of {annual_kwh}.")
    e_ok = e[ok]
    price_year, shift, fallback, resolution, note = None, 0, 0, (), ""
    if tariff.kind == "fixed":
        energy_eur = float(e_ok.sum()) * tariff.work_price_eur_per_kwh
    else:
        if _alignment is None:
            unit, al = _dynamic_unit_price(tariff, e.index, tz)
        else:
            al = _alignment
            unit = (al.price_eur_per_kwh + tariff.adders_eur_per_kwh) * (1 + tariff.vat_pct / 100.0)
        energy_eur = float((e_ok * unit[ok]).sum())
        price_year, shift, fallback = al.price_year, al.shift_days, al.n_fallback_intervals
        resolution, note = al.price_resolution_minutes, al.resolution_note
    energy_kwh = float(e_ok.sum()) * scale
    energy_eur *= scale
    total = energy_eur + tariff.base_fee_eur_per_year + tariff.meter_fee_eur_per_year
    return TariffCost(
        tariff_name=tariff.name,
        kind=tariff.kind,
        meter=tariff.meter,
        energy_kwh=energy_kwh,
        energy_eur=energy_eur,
        base_fee_eur=tariff.base_fee_eur_per_year,
        meter_fee_eur=tariff.meter_fee_eur_per_year,
        total_eur=total,
        average_price_eur_per_kwh=energy_eur / energy_kwh if energy_kwh > 0 else float("nan"),
        covered_days=covered_h / 24.0,
        price_year=price_year,
        shift_days=shift,
        n_fallback_intervals=fallback,
        price_resolution_minutes=tuple(resolution),
        price_resolution_note=note,
    )


# ---------------------------------------------------------------------------------- flexibility
@dataclass(frozen=True)
class FlexibleLoad:
    """Energy that may run at another hour of the same day.

    Attributes
    ----------
    energy_kwh
        Flexible energy per interval [kWh] (same index as the load).
    sources
        What was counted as flexible (``"evening_share"``, ``"ev_blocks"``).
    ev_kwh
        Part of it from EV charging blocks [kWh] (over the curve, not annualised).
    """

    energy_kwh: pd.Series
    sources: tuple[str, ...]
    ev_kwh: float = 0.0


def flexible_load(load: LoadCurve, seeds, *, has_ev: bool = False) -> FlexibleLoad:
    """Define the flexible part of the curve.

    * a seeded share (``flexible_share_of_evening_load``) of the load above the base load in the
      evening window (washing, dishwashing, drying);
    * if the household charges an EV: every interval above ``ev_block_power_kw``, the part above
      the base load (charging blocks move as a whole within the day).

    The base load is the 10th percentile of the interval energy.
    """
    tc = "tariff_components."
    e = load.data["energy_kwh"]
    base = float(np.nanpercentile(e.to_numpy(dtype=float), 10)) if e.notna().any() else 0.0
    above = (e - base).clip(lower=0).fillna(0.0)
    hour = e.index.tz_convert(load.meta.tz).hour
    lo, hi = int(seeds.value(tc + "evening_window_start_hour")), int(seeds.value(tc + "evening_window_end_hour"))
    evening = (hour >= lo) & (hour < hi)
    flex = pd.Series(0.0, index=e.index)
    sources: list[str] = []
    ev_kwh = 0.0
    ev_mask = np.zeros(len(e), dtype=bool)
    if has_ev:
        power = kwh_to_kw(e, load.interval_minutes).fillna(0.0)
        ev_mask = (power >= float(seeds.value(tc + "ev_block_power_kw"))).to_numpy()
        if ev_mask.any():
            flex[ev_mask] = above[ev_mask]
            ev_kwh = float(above[ev_mask].sum())
            sources.append("ev_blocks")
    share = float(seeds.value(tc + "flexible_share_of_evening_load"))
    em = evening & ~ev_mask
    if share > 0 and em.any():
        flex[em] = above[em] * share
        sources.append("evening_share")
    return FlexibleLoad(flex.rename("energy_kwh"), tuple(sources), ev_kwh)


def shift_to_cheap_hours(
    load: LoadCurve, flexible: FlexibleLoad, unit_price: pd.Series, *, max_power_kw: float
) -> pd.Series:
    """Move the flexible energy of each local day to that day's cheapest intervals.

    Each target interval is filled up to ``max_power_kw`` (energy per interval
    ``max_power_kw * interval_hours``), cheapest first. Daily energy is unchanged.

    Returns
    -------
    pandas.Series
        New energy per interval [kWh] (NaN where the load was missing).
    """
    e = load.data["energy_kwh"]
    ok = e.notna().to_numpy()
    energy = e.fillna(0.0).to_numpy(dtype=float)
    flex = np.minimum(flexible.energy_kwh.reindex(e.index).fillna(0.0).to_numpy(dtype=float), energy)
    price = unit_price.reindex(e.index).to_numpy(dtype=float)
    cap_kwh = max_power_kw * interval_hours(load.interval_minutes)
    out = energy - flex
    days = e.index.tz_convert(load.meta.tz).normalize()
    bounds = np.flatnonzero(np.r_[True, days[1:] != days[:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        todo = flex[a:b].sum()
        if todo <= 0:
            continue
        seg_ok = ok[a:b]
        order = np.argsort(np.where(seg_ok, price[a:b], np.inf), kind="stable")
        room = np.clip(cap_kwh - out[a:b][order], 0.0, None) * seg_ok[order]
        cum = np.cumsum(room)
        take = np.clip(np.minimum(room, todo - (cum - room)), 0.0, None)
        if cum[-1] < todo:  # not enough room: put the rest back where it was
            out[a:b] += flex[a:b] * (1 - cum[-1] / todo)
            take = room
        out[a + order] += take
    res = pd.Series(out, index=e.index, name="energy_kwh")
    res[~ok] = np.nan
    return res


# ---------------------------------------------------------------------------------- § 14a
@dataclass(frozen=True)
class Para14aResult:
    """§ 14a EnWG network-fee reductions for a controllable device.

    Attributes
    ----------
    device
        ``"heat_pump"``, ``"ev"`` or ``"heat_pump+ev"``.
    device_kwh
        Estimated annual energy of the device(s) [kWh/yr]; None if it could not be estimated.
    module1_eur
        Module 1 flat reduction [EUR/yr] (gross).
    module2_eur
        Module 2 saving: reduced network work price on the device's energy minus the second
        meter's fee [EUR/yr]; None without a device-energy estimate.
    best_module
        1 or 2.
    best_eur
        Saving of the better module [EUR/yr].
    """

    device: str
    device_kwh: float | None
    module1_eur: float
    module2_eur: float | None
    best_module: int
    best_eur: float


def device_energy_kwh(load: LoadCurve, seeds, *, heat_pump: bool, ev: bool) -> float | None:
    """Rough annual energy of a heat pump and/or EV from the curve [kWh/yr].

    EV: energy above the base load in intervals above ``ev_block_power_kw``. Heat pump: daily
    energy above the 25th percentile of summer (June-August) days, summed over the year. None if
    the heat pump has no summer days to compare with.
    """
    e = load.data["energy_kwh"]
    ok = e.notna()
    if not ok.any():
        return None
    scale = HOURS_PER_YEAR / (float(ok.sum()) * load.interval_hours)
    total = 0.0
    if ev:
        base = float(np.nanpercentile(e.to_numpy(dtype=float), 10))
        power = kwh_to_kw(e, load.interval_minutes)
        m = power >= float(seeds.value("tariff_components.ev_block_power_kw"))
        ev_kwh = (e[m] - base).clip(lower=0)
        total += float(ev_kwh.sum()) * scale
        e = e.copy()
        e[m] = e[m] - ev_kwh  # the heat-pump estimate below must not count the charging again
    if heat_pump:
        daily = e.groupby(e.index.tz_convert(load.meta.tz).normalize()).sum(min_count=1).dropna()
        summer = daily[daily.index.month.isin([6, 7, 8])]
        if len(summer) < 14:
            return None if not ev else total
        total += float((daily - summer.quantile(0.25)).clip(lower=0).sum()) * HOURS_PER_YEAR / (len(daily) * 24.0)
    return total


def para14a_savings(
    load: LoadCurve, seeds, *, heat_pump: bool, ev: bool, device_kwh: float | None = None
) -> Para14aResult | None:
    """Module 1 vs Module 2 for a household with a heat pump and/or an EV; None without either.

    ``device_kwh`` [kWh/yr]: the devices' annual energy if known (e.g. from the analysis'
    signatures); else :func:`device_energy_kwh` estimates it from the curve.
    """
    if not (heat_pump or ev):
        return None
    tc = "tariff_components."
    device = "+".join(n for n, on in (("heat_pump", heat_pump), ("ev", ev)) if on)
    m1 = float(seeds.value(tc + "para14a_module1_eur_per_year"))
    kwh = device_kwh if device_kwh is not None else device_energy_kwh(load, seeds, heat_pump=heat_pump, ev=ev)
    m2 = None
    if kwh is not None:
        cut = float(seeds.value(tc + "network_work_price_eur_per_kwh")) * (
            1 - float(seeds.value(tc + "para14a_module2_network_share"))
        )
        m2 = kwh * cut * (1 + float(seeds.value(tc + "vat_pct")) / 100) - float(
            seeds.value(tc + "para14a_module2_meter_eur_per_year")
        )
    best = 2 if (m2 is not None and m2 > m1) else 1
    return Para14aResult(device, kwh, m1, m2, best, max(m1, m2) if m2 is not None else m1)


# ---------------------------------------------------------------------------------- comparison
@dataclass(frozen=True)
class TariffComparison:
    """Fixed vs dynamic (with and without shifting) vs § 14a on one curve, per year.

    Attributes
    ----------
    fixed
        The household's fixed tariff.
    dynamic
        Dynamic tariff on the unchanged curve; None without prices.
    dynamic_shifted
        Dynamic tariff after moving the flexible load to cheap hours; None without prices.
    shifted_kwh
        Energy moved per year [kWh/yr].
    flexible_sources
        What was treated as flexible.
    para14a
        § 14a result, None without heat pump or EV.
    price_source
        Origin of the day-ahead prices.
    unavailable
        Why the dynamic part is missing, if it is.
    """

    fixed: TariffCost
    dynamic: TariffCost | None
    dynamic_shifted: TariffCost | None
    shifted_kwh: float
    flexible_sources: tuple[str, ...]
    para14a: Para14aResult | None
    price_source: str | None
    unavailable: str | None = None

    @property
    def dynamic_saving_eur(self) -> float | None:
        """Fixed minus dynamic without shifting [EUR/yr] (negative: dynamic costs more)."""
        return None if self.dynamic is None else self.fixed.total_eur - self.dynamic.total_eur

    @property
    def shifting_saving_eur(self) -> float | None:
        """Dynamic minus dynamic with shifting [EUR/yr]."""
        if self.dynamic is None or self.dynamic_shifted is None:
            return None
        return self.dynamic.total_eur - self.dynamic_shifted.total_eur

    @property
    def price_year(self) -> str | None:
        return None if self.dynamic is None else self.dynamic.price_year

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {
            "fixed": asdict(self.fixed),
            "dynamic": asdict(self.dynamic) if self.dynamic else None,
            "dynamic_shifted": asdict(self.dynamic_shifted) if self.dynamic_shifted else None,
            "shifted_kwh": self.shifted_kwh,
            "flexible_sources": list(self.flexible_sources),
            "para14a": asdict(self.para14a) if self.para14a else None,
            "dynamic_saving_eur": self.dynamic_saving_eur,
            "shifting_saving_eur": self.shifting_saving_eur,
            "price_source": self.price_source,
            "unavailable": self.unavailable,
        }


def compare_tariffs(
    load: LoadCurve,
    settings,
    household=None,
    *,
    prices: DayAheadPrices | pd.DataFrame | pd.Series | None = None,
    has_ev: bool | None = None,
    has_heat_pump: bool | None = None,
    device_kwh: float | None = None,
    annual_kwh: float | None = None,
) -> TariffComparison:
    """Simulate the household's year under each tariff product.

    Parameters
    ----------
    load
        The household's import curve.
    settings
        :class:`~advisor.settings.HouseholdSettings` (work price, fees, meter; its seeds hold
        ``tariff_components``).
    household
        :class:`~advisor.household.Household` (EV, heating) or None.
    prices
        Day-ahead prices; None leaves the dynamic tariff out (``unavailable`` says so).
    has_ev, has_heat_pump
        Override what the household says (e.g. from detected signatures).
    device_kwh
        Annual energy of the heat pump and/or EV [kWh/yr] if known (§ 14a Module 2).
    annual_kwh
        The household's annual consumption (default: :func:`advisor.annual.annual_energy` of ``load``);
        every tariff is scaled to this same year.
    """
    seeds = settings.seeds
    if annual_kwh is None:
        annual_kwh = annual_energy(load).annual_kwh
    ev = bool(has_ev) if has_ev is not None else bool(getattr(household, "ev", None))
    hp = bool(has_heat_pump) if has_heat_pump is not None else getattr(household, "heating", None) == "heat_pump"
    fixed = energy_cost(load, Tariff.fixed(settings), annual_kwh=annual_kwh)
    p14 = para14a_savings(load, seeds, heat_pump=hp, ev=ev, device_kwh=device_kwh)
    if prices is None:
        return TariffComparison(fixed, None, None, 0.0, (), p14, None, unavailable=Message("tariffs.no_prices"))
    dap = parse_day_ahead_prices(prices) if not isinstance(prices, DayAheadPrices) else prices
    dyn_tariff = Tariff.dynamic(seeds, dap)
    unit, al = _dynamic_unit_price(dyn_tariff, load.index, load.meta.tz)
    dynamic = energy_cost(load, dyn_tariff, annual_kwh=annual_kwh, _alignment=al)
    flex = flexible_load(load, seeds, has_ev=ev)
    shifted = shift_to_cheap_hours(
        load, flex, unit, max_power_kw=float(seeds.value("tariff_components.shift_max_power_kw"))
    )
    dyn_shift = energy_cost(shifted, dyn_tariff, annual_kwh=annual_kwh, _alignment=al)
    ok = load.data["energy_kwh"].notna()
    moved = float((load.data["energy_kwh"][ok] - shifted[ok]).clip(lower=0).sum())
    scale = annual_kwh / float(load.data["energy_kwh"][ok].sum())
    return TariffComparison(
        fixed=fixed,
        dynamic=dynamic,
        dynamic_shifted=dyn_shift,
        shifted_kwh=moved * scale,
        flexible_sources=flex.sources,
        para14a=p14,
        price_source=dap.source,
    )
