"""Tariff products simulated on the household's own curve.

What a household would pay in a year for

* its **fixed tariff** (work price + base fee + meter fee of a modern meter, mME),
* a **dynamic tariff** (§ 41a EnWG) on real day-ahead prices: spot price + supplier markup +
  network work price + levies and electricity tax, then VAT; base fee and the iMSys meter fee,
* the same dynamic tariff after **shifting flexible loads** to the cheapest hours of each day,
* **§ 14a EnWG** network-fee reductions (Module 1 flat, Module 2 reduced network work price on a
  separately metered device) where a heat pump or a wallbox is present.

Prices are hourly; each interval of the load takes the price of its hour. A load year outside the
price data is aligned by a whole number of 364-day shifts (weekday kept) and the price year used
is named in the result. All figures come from ``seeds/tariff_components.toml`` and
``seeds/tariffs.toml`` (passed in as :class:`~advisor.seeds.Seeds`), never from code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from advisor.errors import AdvisorError
from advisor.loadcurve import LoadCurve
from advisor.units import interval_hours, kwh_to_kw

HOURS_PER_YEAR = 8760.0
SHIFT_DAYS = 364  # 52 weeks: keeps the weekday
PRICE_SOURCE_SMARD = "Bundesnetzagentur | SMARD.de, day-ahead DE-LU (CC BY 4.0)"


class TariffError(AdvisorError, ValueError):
    """A price file or tariff definition is unusable."""


# ---------------------------------------------------------------------------------- prices
@dataclass(frozen=True)
class DayAheadPrices:
    """Hourly day-ahead prices.

    Attributes
    ----------
    price_eur_per_kwh
        Price per hour [EUR/kWh], indexed by the hour's start (tz-aware, UTC).
    source
        Where the prices come from (shown in the report).
    """

    price_eur_per_kwh: pd.Series
    source: str = PRICE_SOURCE_SMARD

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.price_eur_per_kwh.index.tz_convert("Europe/Berlin").year)))


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
        raise TariffError("price table has no numeric prices.")
    per_kwh.index = per_kwh.index.tz_convert("UTC")
    per_kwh = per_kwh[~per_kwh.index.duplicated()].sort_index().rename("price_eur_per_kwh")
    return DayAheadPrices(per_kwh, source)


def read_day_ahead_prices(source: str | Path | bytes, *, name: str | None = None) -> DayAheadPrices:
    """Read hourly day-ahead prices from a CSV file or its bytes (e.g. an upload).

    Accepts the canonical layout (``timestamp_utc, timestamp_local, price_eur_mwh``) and the
    original SMARD export (``;``, decimal comma, ``Datum von``, ``Deutschland/Luxemburg [€/MWh]``,
    local time).

    Parameters
    ----------
    source
        Path of the CSV file, or its content as bytes.
    name
        File name for messages when ``source`` is bytes.

    Raises
    ------
    TariffError
        The file cannot be read or has neither layout.
    """
    if isinstance(source, (bytes, bytearray)):
        raw, label = bytes(source), name or "<upload>"
    else:
        path = Path(source)
        label = name or path.name
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise TariffError(f"{path}: cannot read price file: {exc}") from exc
    head = raw[:4096].decode("utf-8-sig", errors="replace")
    first = head.splitlines()[0] if head else ""
    if "Datum von" in first:
        try:
            df = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", na_values=["-"])
        except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file
            raise TariffError(f"{label}: not a readable SMARD export: {exc}") from exc
        col = next((c for c in df.columns if c.startswith("Deutschland/Luxemburg")), None)
        if col is None:
            raise TariffError(f"{label}: SMARD export without a `Deutschland/Luxemburg` column.")
        try:
            local = pd.to_datetime(df["Datum von"], format="%d.%m.%Y %H:%M")
            idx = pd.DatetimeIndex(local).tz_localize("Europe/Berlin", ambiguous="infer", nonexistent="NaT")
        except Exception as exc:  # noqa: BLE001
            raise TariffError(f"{label}: unreadable `Datum von` times: {exc}") from exc
        s = pd.Series(pd.to_numeric(df[col], errors="coerce").to_numpy(), index=idx)
        s = s[s.index.notna()]
        return parse_day_ahead_prices(s, source=f"{PRICE_SOURCE_SMARD}; file {label}")
    try:
        df = pd.read_csv(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file
        raise TariffError(f"{label}: not a readable price CSV: {exc}") from exc
    return parse_day_ahead_prices(df, source=f"{PRICE_SOURCE_SMARD}; file {label}")


@dataclass(frozen=True)
class PriceAlignment:
    """How prices were matched to the load.

    Attributes
    ----------
    price_eur_per_kwh
        Spot price per load interval [EUR/kWh], same index as the load.
    shift_days
        Days the load was moved back to find prices (a multiple of 364; 0 = same dates).
    price_year
        Calendar year(s) of the prices used, e.g. ``"2024"`` or ``"2023-2024"``.
    n_fallback_intervals
        Intervals priced with the hour-of-week mean because no price fell on them.
    """

    price_eur_per_kwh: pd.Series
    shift_days: int
    price_year: str
    n_fallback_intervals: int


def align_prices(index: pd.DatetimeIndex, prices: DayAheadPrices, tz: str = "Europe/Berlin") -> PriceAlignment:
    """Price every load interval by local wall-clock hour, shifting by 364-day steps if needed.

    The load's local hours are moved back by ``k * 364`` days (weekday kept), with ``k`` chosen to
    cover as many intervals as possible, the most recent price data first. The October hour that
    occurs twice takes the mean of both prices; hours still without a price take the mean price of
    the same hour of the week.
    """
    p = prices.price_eur_per_kwh
    p_local = p.copy()
    p_local.index = p.index.tz_convert(tz).tz_localize(None)
    p_local = p_local.groupby(level=0).mean()
    load_hours = index.tz_convert(tz).tz_localize(None).floor("h")
    lo, hi = p_local.index[0], p_local.index[-1]
    step = pd.Timedelta(days=SHIFT_DAYS)
    k_lo = int(np.floor((load_hours.min() - hi) / step)) - 1
    k_hi = int(np.ceil((load_hours.max() - lo) / step)) + 1
    order = sorted(range(k_lo, k_hi + 1), key=lambda k: abs(k) if k >= 0 else abs(k) + 0.5)
    covers = {}
    for k in order:
        shifted = load_hours - pd.Timedelta(days=SHIFT_DAYS * k)
        covers[k] = int(((shifted >= lo) & (shifted <= hi)).sum())
        if covers[k] == len(load_hours):
            break
    top = max(covers.values())
    # the most recent prices that cover (almost) as much as the best shift
    best_k = next(k for k in order if k in covers and covers[k] >= 0.98 * top)
    shifted = load_hours - pd.Timedelta(days=SHIFT_DAYS * best_k)
    spot = p_local.reindex(shifted).to_numpy(dtype=float, copy=True)
    missing = np.isnan(spot)
    if missing.any():
        how = p_local.groupby([p_local.index.day_of_week, p_local.index.hour]).mean()
        keys = list(zip(shifted.day_of_week[missing], shifted.hour[missing], strict=True))
        spot[missing] = how.reindex(pd.MultiIndex.from_tuples(keys)).to_numpy()
    covered_years = sorted(set(shifted[~missing].year)) or list(prices.years)
    year = str(covered_years[0]) if len(covered_years) == 1 else f"{covered_years[0]}-{covered_years[-1]}"
    return PriceAlignment(
        price_eur_per_kwh=pd.Series(spot, index=index, name="price_eur_per_kwh"),
        shift_days=SHIFT_DAYS * best_k,
        price_year=year,
        n_fallback_intervals=int(missing.sum()),
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
    def fixed(cls, seeds, household=None) -> Tariff:
        """The household's fixed tariff: its own price and base fee, else the seeds defaults, with an mME."""
        price = getattr(household, "price_eur_per_kwh", None)
        fee = getattr(household, "base_fee_eur_per_year", None)
        return cls(
            name="fixed",
            kind="fixed",
            work_price_eur_per_kwh=float(
                price if price is not None else seeds.value("tariffs.household_price_eur_per_kwh")
            ),
            base_fee_eur_per_year=float(fee if fee is not None else seeds.value("tariffs.base_fee_eur_per_year")),
            meter="mME",
            meter_fee_eur_per_year=float(seeds.value("tariff_components.meter_mme_eur_per_year")),
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
        Consumption per year [kWh/yr] (measured intervals scaled to 365 days).
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


def energy_cost(load: LoadCurve | pd.Series, tariff: Tariff, *, _alignment: PriceAlignment | None = None) -> TariffCost:
    """Annual cost of ``load`` under ``tariff``.

    Parameters
    ----------
    load
        A :class:`LoadCurve` or a Series of energy per interval [kWh] with a tz-aware index.
    tariff
        :class:`Tariff`.

    Returns
    -------
    TariffCost
        Energy, base fee and meter fee scaled to one year (365 days) from the measured intervals.
    """
    e, minutes, tz = _energy_series(load)
    ok = e.notna()
    covered_h = float(ok.sum()) * interval_hours(minutes)
    if covered_h <= 0:
        raise TariffError("the load curve has no measured intervals to price.")
    scale = HOURS_PER_YEAR / covered_h
    e_ok = e[ok]
    price_year, shift, fallback = None, 0, 0
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
    seeds,
    household=None,
    *,
    prices: DayAheadPrices | pd.DataFrame | pd.Series | None = None,
    has_ev: bool | None = None,
    has_heat_pump: bool | None = None,
    device_kwh: float | None = None,
) -> TariffComparison:
    """Simulate the household's year under each tariff product.

    Parameters
    ----------
    load
        The household's import curve.
    seeds
        :class:`~advisor.seeds.Seeds` with ``tariffs`` and ``tariff_components``.
    household
        :class:`~advisor.household.Household` (own price and base fee, EV, heating) or None.
    prices
        Day-ahead prices; None leaves the dynamic tariff out (``unavailable`` says so).
    has_ev, has_heat_pump
        Override what the household says (e.g. from detected signatures).
    device_kwh
        Annual energy of the heat pump and/or EV [kWh/yr] if known (§ 14a Module 2).
    """
    ev = bool(has_ev) if has_ev is not None else bool(getattr(household, "ev", None))
    hp = bool(has_heat_pump) if has_heat_pump is not None else getattr(household, "heating", None) == "heat_pump"
    fixed = energy_cost(load, Tariff.fixed(seeds, household))
    p14 = para14a_savings(load, seeds, heat_pump=hp, ev=ev, device_kwh=device_kwh)
    if prices is None:
        return TariffComparison(fixed, None, None, 0.0, (), p14, None, unavailable="no day-ahead prices given")
    dap = parse_day_ahead_prices(prices) if not isinstance(prices, DayAheadPrices) else prices
    dyn_tariff = Tariff.dynamic(seeds, dap)
    unit, al = _dynamic_unit_price(dyn_tariff, load.index, load.meta.tz)
    dynamic = energy_cost(load, dyn_tariff, _alignment=al)
    flex = flexible_load(load, seeds, has_ev=ev)
    shifted = shift_to_cheap_hours(
        load, flex, unit, max_power_kw=float(seeds.value("tariff_components.shift_max_power_kw"))
    )
    dyn_shift = energy_cost(shifted, dyn_tariff, _alignment=al)
    ok = load.data["energy_kwh"].notna()
    moved = float((load.data["energy_kwh"][ok] - shifted[ok]).clip(lower=0).sum())
    scale = HOURS_PER_YEAR / (float(ok.sum()) * load.interval_hours)
    return TariffComparison(
        fixed=fixed,
        dynamic=dynamic,
        dynamic_shifted=dyn_shift,
        shifted_kwh=moved * scale,
        flexible_sources=flex.sources,
        para14a=p14,
        price_source=dap.source,
    )
