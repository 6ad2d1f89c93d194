"""German PV economics: EEG feed-in by commissioning date, Solarspitzengesetz, NPV, payback, LCOE.

Rules modelled (values from ``seeds/pv.toml`` and ``seeds/eeg_feed_in.csv``, each with source):

* EEG feed-in tariff by commissioning half-year, partial (surplus) or full feed-in, proportional
  size bands (up to 10 / 40 / 100 kWp); beyond the table -1 % every six months (§ 49 EEG).
* Systems commissioned from 25 Feb 2025 earn nothing while the day-ahead price is negative;
  measured prices are used where given, else the seeded table of negative-price hours by month
  and local hour of the latest full SMARD year (``seeds/negative_price_hours.csv``, 2024: 457 h)
  weights each hour's feed-in with its cell's share of negative hours (expected value; matches
  the real 2024 prices within 0.3 points on the real LCL load shapes). The extension of
  the 20-year period that compensates it is not credited (conservative).
* Without smart meter and control box the feed-in is capped at 60 % of kWp (curtailment).
* 0 % VAT on PV and batteries (prices in the seeds are net of VAT); balcony PV earns no feed-in.
* Electricity price escalation capped at the seeded value (HTW: at most 2 %/yr), O&M as a share
  of the investment, module degradation per year.

Texts: ``PVEconomics.assumptions``, ``FeedInTariff.basis`` and ``NegativePriceHours.description`` are
:class:`advisor.texts.Message` codes with their figures (``economics.po``); as ``str`` they read in
English, ``.text("de")`` renders them in German (JSON outputs add ``*_de``/``*_en`` through
:func:`advisor.texts.text_fields`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from advisor.battery import BatterySpec
from advisor.errors import AdvisorError
from advisor.pv import (
    DEFAULT_CACHE,
    PVProfileCache,
    PVResult,
    PVSystemSpec,
    SelfConsumptionResult,
    prepare_load,
    pv_profile,
    self_consumption,
    simulate_pv,
)
from advisor.tariffs import align_prices
from advisor.texts import Message, join


class EconomicsError(AdvisorError, ValueError):
    """Economic inputs are unusable (commissioning date before the tariff table, …)."""


# ----------------------------------------------------------------------------- EEG tariff


@dataclass(frozen=True)
class FeedInTariff:
    """The EEG feed-in rate of a system.

    Attributes
    ----------
    rate_eur_per_kwh
        Blended rate over the size bands [EUR/kWh].
    full_feed_in
        True for Volleinspeisung, False for surplus feed-in (Teileinspeisung).
    commissioning
        Commissioning date.
    projected_half_years
        Half-years projected beyond the table with the degression (0: a table row).
    basis
        Which rows (or projection) the rate comes from (a :class:`~advisor.texts.Message`).
    """

    rate_eur_per_kwh: float
    full_feed_in: bool
    commissioning: dt.date
    projected_half_years: int
    basis: str


def _half_year_start(d: dt.date) -> dt.date:
    """Start of the EEG half-year (1 Feb or 1 Aug) containing ``d``."""
    if d.month >= 8:
        return dt.date(d.year, 8, 1)
    if d.month >= 2:
        return dt.date(d.year, 2, 1)
    return dt.date(d.year - 1, 8, 1)


def _band_rate(
    table: pd.DataFrame, band: float, day: dt.date, column: str, degression_pct: float
) -> tuple[float, int, Message]:
    rows = table[table["band_max_kwp"].astype(float) == band]
    if rows.empty:
        raise EconomicsError(f"EEG table has no rows for the band up to {band:g} kWp")
    frm = pd.Series([dt.date.fromisoformat(str(x)) for x in rows["valid_from"]], index=rows.index)
    to = pd.Series([dt.date.fromisoformat(str(x)) for x in rows["valid_to"]], index=rows.index)
    hit = rows[(frm <= day) & (to >= day)]
    if not hit.empty:
        r = hit.iloc[0]
        return float(r[column]) / 100.0, 0, Message("economics.basis.row", start=_day(r["valid_from"]),
                                                   end=_day(r["valid_to"]), band=band)  # fmt: skip
    last_i = int(np.argmax(to.to_numpy()))
    last = rows.iloc[last_i]
    last_to = to.iloc[last_i]
    if day < frm.min():
        raise EconomicsError(
            f"no EEG tariff for commissioning {day} in the band up to {band:g} kWp: the table starts {frm.min()}"
        )
    if day <= last_to:
        raise EconomicsError(f"EEG table has a gap at {day} for the band up to {band:g} kWp")
    steps = 0
    start = _half_year_start(last_to + dt.timedelta(days=1))
    target = _half_year_start(day)
    while start <= target:
        steps += 1
        start = dt.date(start.year + (1 if start.month == 8 else 0), 2 if start.month == 8 else 8, 1)
    rate_ct = float(last[column])
    for _ in range(steps):
        rate_ct = round(rate_ct * (1 - degression_pct / 100.0), 2)
    return (
        rate_ct / 100.0,
        steps,
        Message("economics.basis.projected", start=_day(last["valid_from"]), end=_day(last["valid_to"]),
                pct=degression_pct, n=steps),  # fmt: skip
    )


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


_RATES: dict[tuple, FeedInTariff] = {}
_RATES_MAX = 512
_TABLE_KEYS: dict[int, tuple[pd.DataFrame, tuple]] = {}  # id -> (table kept alive, its content)


def _table_content(table: pd.DataFrame) -> tuple:
    """The rows of a (small) seed table as a hashable tuple, memoised per table object."""
    entry = _TABLE_KEYS.get(id(table))
    if entry is not None and entry[0] is table:
        return entry[1]
    content = (tuple(table.columns), tuple(table.itertuples(index=False, name=None)))
    if len(_TABLE_KEYS) > 64:
        _TABLE_KEYS.clear()
    _TABLE_KEYS[id(table)] = (table, content)
    return content


def _cached_rate(settings: EconomicsSettings, peak_kw: float) -> FeedInTariff:
    """:func:`eeg_feed_in_rate` for the settings, memoised by the table's content (a sizing sweep
    asks many times, and every household of a batch brings its own copy of the same seed table)."""
    key = (_table_content(settings.eeg_table), settings.commissioning, round(peak_kw, 6), settings.full_feed_in,
           settings.degression_pct_per_half_year)  # fmt: skip
    hit = _RATES.get(key)
    if hit is None:
        hit = eeg_feed_in_rate(
            settings.commissioning,
            peak_kw,
            settings.eeg_table,
            full_feed_in=settings.full_feed_in,
            degression_pct_per_half_year=settings.degression_pct_per_half_year,
        )
        if len(_RATES) > _RATES_MAX:
            _RATES.clear()
        _RATES[key] = hit
    return hit


_NOTES: dict[tuple, Message] = {}
_NOTES_MAX = 2048
_PLAIN = (bool, int, float, str, dt.date, type(None))


def _param_key(value):
    """A key that tells apart what renders differently (1 vs 1.0, a Message by its code), or None."""
    if isinstance(value, Message):
        inner = tuple((k, _param_key(v)) for k, v in value.params.items())
        return None if any(v is None for _, v in inner) else ("M", value.code, inner)
    if isinstance(value, (list, tuple)):
        inner = tuple(_param_key(v) for v in value)
        return None if any(k is None for k in inner) else (type(value).__name__, inner)
    if type(value) in _PLAIN or isinstance(value, (np.floating, np.integer)):
        return (type(value).__name__, repr(value))  # repr: -0.0 and 0.0 apart, NaN equal to NaN
    return None


def _note(code: str, /, **params) -> Message:
    """``Message(code, **params)``, the same object again for the same code and figures: a sizing
    sweep values a few dozen configurations per household with mostly the same assumption texts,
    and rendering a text costs more than the figures (a Message is immutable)."""
    items = tuple((k, _param_key(v)) for k, v in params.items())
    if any(k is None for _, k in items):
        return Message(code, **params)
    key = (code, items)
    hit = _NOTES.get(key)
    if hit is None:
        hit = Message(code, **params)
        if len(_NOTES) > _NOTES_MAX:
            _NOTES.clear()
        _NOTES[key] = hit
    return hit


def eeg_feed_in_rate(
    commissioning: dt.date,
    peak_kw: float,
    table: pd.DataFrame,
    *,
    full_feed_in: bool = False,
    degression_pct_per_half_year: float = 1.0,
) -> FeedInTariff:
    """EEG feed-in rate for a rooftop system commissioned on a date.

    Parameters
    ----------
    commissioning
        Commissioning date.
    peak_kw
        System size [kWp]; the rate is blended over the bands (<= 10, 10-40, 40-100 kWp).
    table
        The seed table ``eeg_feed_in`` (``valid_from, valid_to, band_max_kwp,
        partial_ct_per_kwh, full_ct_per_kwh``).
    full_feed_in
        Volleinspeisung instead of surplus feed-in.
    degression_pct_per_half_year
        Projection beyond the table [%/half-year].

    Raises
    ------
    EconomicsError
        The date lies before the table, or the size beyond 100 kWp.
    """
    if not 0 < peak_kw <= 100:
        raise EconomicsError(f"`peak_kw` must be 0..100 kWp for the fixed EEG tariff; got {peak_kw}")
    column = "full_ct_per_kwh" if full_feed_in else "partial_ct_per_kwh"
    bands = sorted(set(table["band_max_kwp"].astype(float)))
    lower = 0.0
    total = 0.0
    steps_max = 0
    basis = []
    for band in bands:
        share = max(0.0, min(peak_kw, band) - lower)
        if share > 0:
            rate, steps, b = _band_rate(table, band, commissioning, column, degression_pct_per_half_year)
            total += share * rate
            steps_max = max(steps_max, steps)
            basis.append(b)
        lower = band
    return FeedInTariff(
        rate_eur_per_kwh=total / peak_kw,
        full_feed_in=full_feed_in,
        commissioning=commissioning,
        projected_half_years=steps_max,
        basis=join(basis, "; "),
    )


# ----------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class EconomicsSettings:
    """Economic assumptions (from the seeds, overridable per household).

    Attributes
    ----------
    price_eur_per_kwh
        Electricity work price of the household [EUR/kWh].
    price_escalation_pct_per_year
        Yearly price increase used [%/yr] (already capped at the seeded maximum).
    investment_eur_per_kwp, battery_eur_per_kwh, balcony_set_eur
        Investment at 0 % VAT [EUR/kWp], [EUR/kWh], [EUR] (a balcony set of up to
        ``balcony_set_reference_wp`` [Wp]; larger sets scale with their module power).
    investment_fixed_eur
        Fixed part of a rooftop system's investment [EUR]: a roof of P kWp costs
        ``investment_fixed_eur + P * investment_eur_per_kwp``.
    om_pct_of_investment_per_year
        Operation and maintenance [% of investment per year].
    degradation_pct_per_year
        PV output loss per year [%/yr].
    lifetime_years
        Years of the calculation [yr].
    discount_rate_pct
        Discount rate for NPV and LCOE [%/yr].
    commissioning
        Commissioning date (sets the EEG rate and the negative-price rule).
    full_feed_in
        Volleinspeisung (all PV exported at the full-feed-in rate).
    smart_meter_control
        Smart meter with control box: no 60 % feed-in cap.
    negative_price_hours_per_year
        Hours with negative prices in the year of ``negative_price_table`` [h/yr] (for the text).
    negative_price_rule_from
        Systems commissioned on or after this date earn nothing at negative prices.
    feed_in_cap_share_of_kwp
        Feed-in cap without smart meter and control box [share of kWp].
    degression_pct_per_half_year
        EEG degression used beyond the table [%/half-year].
    eeg_table
        The EEG tariff table.
    sources
        Citation per assumption.
    negative_price_table
        Seed table ``negative_price_hours`` (``month, hour, share, year``): the share of hours
        of each (month, local hour) cell with negative day-ahead prices; used without prices.
    """

    price_eur_per_kwh: float
    price_escalation_pct_per_year: float
    investment_eur_per_kwp: float
    battery_eur_per_kwh: float
    balcony_set_eur: float
    om_pct_of_investment_per_year: float
    degradation_pct_per_year: float
    lifetime_years: int
    discount_rate_pct: float
    commissioning: dt.date
    full_feed_in: bool = False
    smart_meter_control: bool = False
    negative_price_hours_per_year: float = 0.0
    negative_price_rule_from: dt.date = dt.date(2025, 2, 25)
    feed_in_cap_share_of_kwp: float = 0.6
    degression_pct_per_half_year: float = 1.0
    balcony_set_reference_wp: float = 1000.0
    investment_fixed_eur: float = 0.0
    eeg_table: pd.DataFrame = field(default=None, repr=False, compare=False, hash=False)
    sources: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)
    negative_price_table: pd.DataFrame | None = field(default=None, repr=False, compare=False, hash=False)

    @classmethod
    def from_seeds(
        cls,
        seeds,
        *,
        commissioning: dt.date | None = None,
        household=None,
        battery_bundled: bool = True,
        price_escalation_pct_per_year: float | None = None,
        price_eur_per_kwh: float | None = None,
        **overrides,
    ) -> EconomicsSettings:
        """Assumptions from the seeds; escalation is capped. The work price is
        ``price_eur_per_kwh`` (the edges pass :attr:`advisor.settings.HouseholdSettings.work_price_eur_per_kwh`),
        else the household's own, else the seeded work price."""
        v = seeds.value
        cap = float(v("tariffs.price_escalation_pct_per_year"))
        esc = cap if price_escalation_pct_per_year is None else min(float(price_escalation_pct_per_year), cap)
        if price_eur_per_kwh is not None:
            price = float(price_eur_per_kwh)
        elif household is not None and getattr(household, "price_eur_per_kwh", None):
            price = float(household.price_eur_per_kwh)
        else:
            price = float(v("tariffs.work_price_eur_per_kwh"))
        keys = [
            "tariffs.work_price_eur_per_kwh",
            "tariffs.price_escalation_pct_per_year",
            "pv.investment_eur_per_kwp",
            "pv.investment_fixed_eur",
            "pv.battery_bundled_eur_per_kwh" if battery_bundled else "pv.battery_eur_per_kwh",
            "pv.balcony_set_eur",
            "pv.balcony_set_reference_wp",
            "pv.om_pct_of_investment_per_year",
            "pv.degradation_pct_per_year",
            "pv.lifetime_years",
            "pv.discount_rate_pct",
            "pv.feed_in_cap_share_of_kwp",
            "pv.negative_price_rule_from",
            "pv.eeg_degression_pct_per_half_year",
        ]
        sources = tuple((k, seeds.entry(k).cite()) for k in keys)
        neg_table = seeds.table("negative_price_hours")
        sources += (("negative_price_hours", str(neg_table["source"].iloc[0])),)
        settings = cls(
            price_eur_per_kwh=price,
            price_escalation_pct_per_year=esc,
            investment_eur_per_kwp=float(v("pv.investment_eur_per_kwp")),
            battery_eur_per_kwh=float(
                v("pv.battery_bundled_eur_per_kwh" if battery_bundled else "pv.battery_eur_per_kwh")
            ),
            balcony_set_eur=float(v("pv.balcony_set_eur")),
            om_pct_of_investment_per_year=float(v("pv.om_pct_of_investment_per_year")),
            degradation_pct_per_year=float(v("pv.degradation_pct_per_year")),
            lifetime_years=int(v("pv.lifetime_years")),
            discount_rate_pct=float(v("pv.discount_rate_pct")),
            commissioning=commissioning or dt.date.today(),
            negative_price_hours_per_year=float(neg_table["negative_hours"].sum()),
            negative_price_rule_from=dt.date.fromisoformat(str(v("pv.negative_price_rule_from"))),
            feed_in_cap_share_of_kwp=float(v("pv.feed_in_cap_share_of_kwp")),
            degression_pct_per_half_year=float(v("pv.eeg_degression_pct_per_half_year")),
            balcony_set_reference_wp=float(v("pv.balcony_set_reference_wp")),
            investment_fixed_eur=float(v("pv.investment_fixed_eur")),
            eeg_table=seeds.table("eeg_feed_in"),
            sources=sources,
            negative_price_table=neg_table,
        )
        return replace(settings, **overrides) if overrides else settings


def feed_in_limit_kw(spec: PVSystemSpec, settings: EconomicsSettings) -> float | None:
    """Grid feed-in cap [kW] of a new rooftop system, or None (balcony, smart meter + control box,
    or commissioned before the Solarspitzengesetz)."""
    if spec.kind == "balcony" or settings.smart_meter_control:
        return None
    if settings.commissioning < settings.negative_price_rule_from:
        return None
    return settings.feed_in_cap_share_of_kwp * spec.peak_kw


def _full(spec: PVSystemSpec, settings: EconomicsSettings) -> bool:
    """Volleinspeisung applies to rooftop systems only."""
    return bool(settings.full_feed_in) and spec.kind != "balcony"


# ----------------------------------------------------------------------------- cash flows


@dataclass(frozen=True)
class PVEconomics:
    """Economic result of a PV (and battery) investment.

    Attributes
    ----------
    investment_eur
        PV + battery (or balcony set) at 0 % VAT [EUR].
    annual_savings_eur
        First-year saving: avoided purchase + feed-in revenue - O&M [EUR/yr].
    avoided_purchase_eur, feed_in_revenue_eur, om_eur
        First-year components [EUR/yr].
    feed_in_rate_eur_per_kwh
        EEG rate [EUR/kWh] (0 for balcony PV).
    unremunerated_feed_in_kwh
        Feed-in during negative-price hours, not paid [kWh/yr].
    simple_payback_years
        Investment / first-year saving [yr] (inf if the saving is <= 0).
    payback_years
        Years until the cumulative (escalated, degraded, undiscounted) savings repay the
        investment [yr]; inf if never within the lifetime.
    npv_eur
        Net present value over the lifetime at the discount rate [EUR].
    irr_pct
        Internal rate of return [%/yr]; NaN if undefined.
    lcoe_eur_per_kwh
        Levelised cost of the PV electricity [EUR/kWh] (battery cost included when present).
    cash_flows_eur
        Year 0 (investment, negative) to the last year [EUR].
    assumptions
        Assumptions and rules applied (:class:`~advisor.texts.Message` codes with their figures).
    battery_life_years
        Years the battery contributes: the earlier of its calendar life and cycle life [yr]
        (None without battery).
    battery_cycles_per_year
        Equivalent full cycles in the first year [-] (None without battery).
    battery_wear_cost_eur_per_kwh
        Battery investment per kWh it delivers over its life (with capacity fade), undiscounted
        [EUR/kWh]: the wear cost of a stored kWh, to compare with the spread between the work
        price and the feed-in rate (None without battery). Already in the NPV through the
        investment and the life limit, not added again.
    """

    investment_eur: float
    annual_savings_eur: float
    avoided_purchase_eur: float
    feed_in_revenue_eur: float
    om_eur: float
    feed_in_rate_eur_per_kwh: float
    unremunerated_feed_in_kwh: float
    simple_payback_years: float
    payback_years: float
    npv_eur: float
    irr_pct: float
    lcoe_eur_per_kwh: float
    cash_flows_eur: tuple[float, ...]
    assumptions: tuple[str, ...] = field(default=())
    battery_life_years: float | None = None
    battery_cycles_per_year: float | None = None
    battery_wear_cost_eur_per_kwh: float | None = None


def npv(rate_pct: float, cash_flows) -> float:
    """Net present value of yearly cash flows, the first at year 0 [EUR]."""
    r = rate_pct / 100.0
    return float(sum(cf / (1 + r) ** t for t, cf in enumerate(cash_flows)))


def irr(cash_flows) -> float:
    """Internal rate of return [%/yr] by bisection on -99..100 %; NaN without a sign change."""
    cfs = list(cash_flows)
    lo, hi = -99.0, 100.0
    f_lo, f_hi = npv(lo, cfs), npv(hi, cfs)
    if math.isnan(f_lo) or f_lo * f_hi > 0:
        return float("nan")
    for _ in range(200):
        mid = (lo + hi) / 2
        f_mid = npv(mid, cfs)
        if f_lo * f_mid <= 0:
            hi, f_hi = mid, f_mid
        else:
            lo, f_lo = mid, f_mid
        if hi - lo < 1e-7:
            break
    return (lo + hi) / 2


def _payback(investment: float, yearly) -> float:
    cum = 0.0
    for year, s in enumerate(yearly, start=1):
        if s > 0 and cum + s >= investment:
            return year - 1 + (investment - cum) / s
        cum += s
    return float("inf")


@dataclass(frozen=True)
class NegativePriceHours:
    """Which intervals of a household index had negative day-ahead prices.

    Attributes
    ----------
    mask
        True where the price was negative, one per interval of ``index``.
    index
        The household's interval starts.
    description
        Which price year(s) were used (a :class:`~advisor.texts.Message`).
    """

    mask: np.ndarray
    index: pd.DatetimeIndex
    description: str


def negative_price_hours(index: pd.DatetimeIndex, prices) -> NegativePriceHours:
    """Mark negative-price intervals by aligning day-ahead prices (``advisor.tariffs``) by local
    hour; 364-day shifts keep the weekday. Compute once per household, reuse across sizes."""
    al = align_prices(index, prices)
    mask = al.price_eur_per_kwh.to_numpy() < 0
    hours = mask.sum() * (index[1] - index[0]) / pd.Timedelta(hours=1)
    return NegativePriceHours(
        mask,
        index,
        Message("economics.negative.prices", year=al.price_year, hours=round(float(hours))),
    )


def unremunerated_feed_in_kwh(feed_in_kwh: pd.Series, settings: EconomicsSettings, prices=None) -> tuple[float, str]:
    """Feed-in during negative-price hours [kWh] and how it was found.

    ``prices``: ``advisor.tariffs.DayAheadPrices`` or a :class:`NegativePriceHours` for this
    index; without, the seeded number of negative hours is placed on the hours of highest feed-in.
    """
    return _unremunerated(feed_in_kwh.to_numpy(dtype=float), feed_in_kwh.index, settings, prices)


def _unremunerated(feed: np.ndarray, index: pd.DatetimeIndex, settings: EconomicsSettings, prices) -> tuple[float, str]:
    """:func:`unremunerated_feed_in_kwh` on the feed-in as an array on ``index``."""
    if settings.commissioning < settings.negative_price_rule_from or feed.sum() <= 0:
        return 0.0, _note("economics.negative.before_rule")
    if prices is not None:
        neg = prices if isinstance(prices, NegativePriceHours) else negative_price_hours(index, prices)
        if len(neg.mask) != len(feed) or not (neg.index is index or neg.index.equals(index)):
            neg = negative_price_hours(index, prices) if not isinstance(prices, NegativePriceHours) else None
            if neg is None:
                raise EconomicsError("`prices` (NegativePriceHours) was computed for another index")
        return float(feed[neg.mask].sum()), neg.description
    if settings.negative_price_table is None:
        raise EconomicsError(
            "no price series and no seed table `negative_price_hours`: cannot value negative-price hours"
        )
    lost = _seeded_loss(feed, index, settings.negative_price_table)
    year = _table_year(settings.negative_price_table)
    hours = settings.negative_price_hours_per_year
    return lost, _note("economics.negative.seeded", year=year, hours=round(float(hours)))


def seeded_negative_price_loss_kwh(feed_in_kwh: pd.Series, table: pd.DataFrame, tz: str = "Europe/Berlin") -> float:
    """Feed-in expected in negative-price hours from the seeded month x hour table [kWh].

    The feed-in is summed to clock hours and each hour's feed-in is weighted with the share of
    hours of its (month, local hour) cell that had negative prices in the seed year (an expected
    value). On the 60 real LCL load shapes with 5 kWp in Herne this gives a median of 18.4 % of
    the feed-in unpaid, against 18.4 % with the real 2024 prices (mean absolute error 0.3 points);
    putting each cell's negative hours on its days of highest feed-in instead gave 29 %.
    """
    return _seeded_loss(feed_in_kwh.to_numpy(dtype=float), feed_in_kwh.index, table, tz)


_YEARS: dict[int, tuple[pd.DataFrame, int]] = {}


def _table_year(table: pd.DataFrame) -> int:
    """The seed year of a negative-price table, memoised per table object."""
    entry = _YEARS.get(id(table))
    if entry is None or entry[0] is not table:
        if len(_YEARS) > 32:
            _YEARS.clear()
        entry = (table, int(table["year"].iloc[0]))
        _YEARS[id(table)] = entry
    return entry[1]


def _seeded_loss(feed: np.ndarray, index: pd.DatetimeIndex, table: pd.DataFrame, tz: str = "Europe/Berlin") -> float:
    if len(feed) == 0 or float(feed.sum()) <= 0:
        return 0.0
    cells = _negative_cells(index, table, tz)
    hourly = np.bincount(cells.hour_of, weights=feed, minlength=cells.n_hours)
    return float((hourly * cells.share[cells.cell]).sum())


@dataclass(frozen=True)
class _Cells:
    hour_of: np.ndarray  # interval -> position of its clock hour
    n_hours: int
    cell: np.ndarray  # clock hour -> (month, local hour) cell 0..287
    share: np.ndarray  # cell -> share of its hours with negative prices in the seed year


_CELLS: dict[tuple, tuple[pd.DataFrame, _Cells]] = {}  # the table is kept: its id stays unique


_LAST_CELLS: list = []  # [(index, table, tz, cells)]: the sweep's own index, without building a key


def _negative_cells(index: pd.DatetimeIndex, table: pd.DataFrame, tz: str) -> _Cells:
    """Clock-hour and (month, hour) cell structure of an index, cached (a sweep reuses it)."""
    if _LAST_CELLS:
        last_index, last_table, last_tz, cells = _LAST_CELLS[0]
        if last_index is index and last_table is table and last_tz == tz:
            return cells
    cells = _negative_cells_of(index, table, tz)
    _LAST_CELLS[:] = [(index, table, tz, cells)]
    return cells


def _negative_cells_of(index: pd.DatetimeIndex, table: pd.DataFrame, tz: str) -> _Cells:
    i8 = index.asi8
    ends = (int(i8[0]), int(i8[-1])) if len(i8) else (0, 0)
    key = (*ends, str(index.dtype), len(index), str(index.tz), tz, id(table))
    entry = _CELLS.get(key)
    if entry is not None and entry[0] is table:
        return entry[1]
    secs = index.as_unit("s").asi8 // 3600
    hours, hour_of = np.unique(secs, return_inverse=True)
    local = pd.DatetimeIndex(hours * 3600 * 10**9).tz_localize("UTC").tz_convert(tz)
    cell = (local.month.to_numpy() - 1) * 24 + local.hour.to_numpy()
    share = np.zeros(288)
    share[(table["month"].to_numpy() - 1) * 24 + table["hour"].to_numpy()] = table["share"].to_numpy(dtype=float)
    out = _Cells(hour_of=hour_of, n_hours=len(hours), cell=cell, share=share)
    if len(_CELLS) > 32:
        _CELLS.clear()
    _CELLS[key] = (table, out)
    return out


def pv_economics(
    sc: SelfConsumptionResult,
    spec: PVSystemSpec,
    settings: EconomicsSettings,
    *,
    battery: BatterySpec | None = None,
    prices=None,
) -> PVEconomics:
    """Savings, payback, NPV, IRR and LCOE of a PV system on the household's flows.

    ``sc`` covers one year (see :func:`advisor.pv.complete_year`). Year t (1..lifetime) scales
    the PV flows by ``(1 - degradation)^(t-1)`` and the price by ``(1 + escalation)^(t-1)``;
    the feed-in rate is fixed for the EEG period. Balcony PV earns no feed-in.
    """
    notes: list[Message] = []
    balcony = spec.kind == "balcony"
    if balcony:
        investment = settings.balcony_set_eur * max(1.0, spec.peak_kw * 1000.0 / settings.balcony_set_reference_wp)
        rate = 0.0
        notes.append(
            _note("economics.note.balcony", eur=settings.balcony_set_eur, wp=settings.balcony_set_reference_wp)
        )
    else:
        investment = settings.investment_fixed_eur + settings.investment_eur_per_kwp * spec.peak_kw
        notes.append(
            _note(
                "economics.note.roof_investment",
                fixed=settings.investment_fixed_eur,
                kwp=float(spec.peak_kw),
                per_kwp=settings.investment_eur_per_kwp,
                eur=investment,
            )
        )
        tariff = _cached_rate(settings, spec.peak_kw)
        rate = tariff.rate_eur_per_kwh
        notes.append(
            _note(
                "economics.note.eeg_full" if settings.full_feed_in else "economics.note.eeg_surplus",
                rate=rate,
                day=settings.commissioning,
                basis=tariff.basis,
            )
        )
    has_battery = battery is not None and battery.capacity_kwh > 0 and not (settings.full_feed_in and not balcony)
    battery_invest = settings.battery_eur_per_kwh * battery.capacity_kwh if has_battery else 0.0
    investment += battery_invest
    if settings.full_feed_in and not balcony:
        self_kwh = 0.0
        feed = sc.values("pv_kwh") - sc.values("curtailed_kwh")
        notes.append(_note("economics.note.full_feed_in"))
    else:
        self_kwh = sc.self_consumed_kwh
        feed = sc.values("feed_in_kwh")
    if balcony:
        lost = 0.0
    else:
        lost, how = _unremunerated(feed, sc.index, settings, prices)
        notes.append(how)
    paid_feed = float(feed.sum()) - lost
    if sc.curtailed_kwh > 0:
        notes.append(_note("economics.note.cap", share=settings.feed_in_cap_share_of_kwp, kwh=round(sc.curtailed_kwh)))
    om = settings.om_pct_of_investment_per_year / 100.0 * investment
    years = int(settings.lifetime_years)
    esc = settings.price_escalation_pct_per_year / 100.0
    deg = settings.degradation_pct_per_year / 100.0
    # battery ageing: capacity fades each year; its contribution ends with its life
    b_share = [0.0] * years
    life = cycles = wear = None
    if has_battery:
        cycles = sc.battery_discharge_kwh / battery.usable_kwh if battery.usable_kwh > 0 else 0.0
        limits = [years * 1.0]
        if battery.calendar_life_years is not None:
            limits.append(float(battery.calendar_life_years))
        if battery.cycle_life is not None and cycles > 0:
            limits.append(float(battery.cycle_life) / cycles)
        life = min(limits)
        fade = battery.capacity_fade_pct_per_year / 100.0
        b_share = [max(0.0, min(1.0, life - (t - 1))) * (1 - fade) ** (t - 1) for t in range(1, years + 1)]
        delivered = sc.battery_discharge_kwh * sum(b_share)
        wear = battery_invest / delivered if delivered > 0 else float("inf")
        notes.append(
            Message(
                "economics.note.battery",
                kwh=battery.capacity_kwh,
                efficiency=battery.round_trip_efficiency,
                fade=battery.capacity_fade_pct_per_year,
                years=life,
                cycles=round(cycles),
                wear=wear,
            )
        )
    dis = sc.battery_discharge_kwh if has_battery else 0.0
    ch = sc.battery_charge_kwh if has_battery else 0.0
    feed_total = float(feed.sum())
    paid_share = paid_feed / feed_total if feed_total > 0 else 1.0
    yearly = []
    energy = []
    for t in range(1, years + 1):
        d = (1 - deg) ** (t - 1)
        p = settings.price_eur_per_kwh * (1 + esc) ** (t - 1)
        b = b_share[t - 1]
        # an aged (or retired) battery stores less: that PV is fed in instead of used later
        self_t = (self_kwh - dis * (1.0 - b)) * d
        feed_t = (feed_total + ch * (1.0 - b)) * paid_share * d
        yearly.append(self_t * p + feed_t * rate - om)
        energy.append(sc.pv_kwh * d)
    avoided = self_kwh * settings.price_eur_per_kwh
    revenue = paid_feed * rate
    first = avoided + revenue - om
    flows_eur = (-investment, *yearly)
    r = settings.discount_rate_pct / 100.0
    disc_energy = sum(e / (1 + r) ** t for t, e in enumerate(energy, start=1))
    disc_cost = investment + sum(om / (1 + r) ** t for t in range(1, years + 1))
    notes.append(
        _note(
            "economics.note.finance",
            price=settings.price_eur_per_kwh,
            escalation=settings.price_escalation_pct_per_year,
            om=settings.om_pct_of_investment_per_year,
            degradation=settings.degradation_pct_per_year,
            n=years,
            discount=settings.discount_rate_pct,
        )
    )
    return PVEconomics(
        investment_eur=float(investment),
        annual_savings_eur=float(first),
        avoided_purchase_eur=float(avoided),
        feed_in_revenue_eur=float(revenue),
        om_eur=float(om),
        feed_in_rate_eur_per_kwh=float(rate),
        unremunerated_feed_in_kwh=float(lost),
        simple_payback_years=float(investment / first) if first > 0 and investment / first <= years else float("inf"),
        payback_years=_payback(investment, yearly),
        npv_eur=npv(settings.discount_rate_pct, flows_eur),
        irr_pct=irr(flows_eur),
        lcoe_eur_per_kwh=float(disc_cost / disc_energy) if disc_energy > 0 else float("inf"),
        cash_flows_eur=tuple(float(x) for x in flows_eur),
        assumptions=tuple(notes),
        battery_life_years=life,
        battery_cycles_per_year=cycles,
        battery_wear_cost_eur_per_kwh=wear,
    )


# ----------------------------------------------------------------------------- one system, sizing


@dataclass(frozen=True)
class PVOption:
    """One evaluated PV (and battery) configuration.

    Attributes
    ----------
    spec, battery
        The configuration.
    pv
        Simulated generation.
    flows
        Self-consumption result.
    economics
        Economic result.
    resolution_bias
        :class:`advisor.pv_options.ResolutionBias` of the curve's resolution, set by the PV
        orchestration (None: not assessed); ``to_row`` then adds the ranges of the shares.
    """

    spec: PVSystemSpec
    battery: BatterySpec | None
    pv: PVResult
    flows: SelfConsumptionResult
    economics: PVEconomics
    resolution_bias: object | None = None

    @property
    def peak_kw(self) -> float:
        return self.spec.peak_kw

    @property
    def battery_kwh(self) -> float:
        return 0.0 if self.battery is None else float(self.battery.capacity_kwh)

    def to_row(self) -> dict[str, float | str | None]:
        """Flat figures for tables, JSON and batch output."""
        e = self.economics
        return {
            "kind": self.spec.kind,
            "peak_kw": round(self.peak_kw, 3),
            "battery_kwh": self.battery_kwh,
            "annual_yield_kwh": self.pv.annual_yield_kwh,
            "specific_yield_kwh_per_kwp": self.pv.specific_yield_kwh_per_kwp,
            "self_consumption_share": self.flows.self_consumption_share,
            "autarky_share": self.flows.autarky_share,
            "feed_in_kwh": self.flows.feed_in_kwh,
            "curtailed_kwh": self.flows.curtailed_kwh,
            "grid_import_kwh": self.flows.grid_import_kwh,
            "investment_eur": e.investment_eur,
            "annual_savings_eur": e.annual_savings_eur,
            "payback_years": e.payback_years,
            "simple_payback_years": e.simple_payback_years,
            "npv_eur": e.npv_eur,
            "irr_pct": e.irr_pct,
            "lcoe_eur_per_kwh": e.lcoe_eur_per_kwh,
            "feed_in_rate_eur_per_kwh": e.feed_in_rate_eur_per_kwh,
            "battery_wear_cost_eur_per_kwh": e.battery_wear_cost_eur_per_kwh,
            "battery_life_years": e.battery_life_years,
            **self._bias_row(),
        }

    def _bias_row(self) -> dict:
        b = self.resolution_bias
        if b is None:
            return {}
        return {
            "interval_minutes": b.interval_minutes,
            "self_consumption_share_range": list(b.self_consumption_range(self.flows.self_consumption_share)),
            "autarky_share_range": list(b.autarky_range(self.flows.autarky_share)),
            "resolution_bias_source": b.source,
        }


def evaluate_pv(
    load,
    weather: pd.DataFrame,
    spec: PVSystemSpec,
    settings: EconomicsSettings,
    *,
    battery: BatterySpec | None = None,
    prices=None,
    cache: PVProfileCache | None = None,
) -> PVOption:
    """Simulate, dispatch and value one configuration on a completed household year.

    ``load`` is a :class:`advisor.pv.CompletedYear` (or a gap-free Series, or a
    :class:`advisor.pv.PreparedLoad` of one) and ``weather`` is on the same index.
    """
    pv = simulate_pv(spec, weather, cache=cache)
    sc = self_consumption(
        load, pv, battery, feed_in_limit_kw=feed_in_limit_kw(spec, settings), full_feed_in=_full(spec, settings)
    )
    econ = pv_economics(sc, spec, settings, battery=battery, prices=prices)
    return PVOption(spec=spec, battery=battery, pv=pv, flows=sc, economics=econ)


def size_pv(
    load,
    weather: pd.DataFrame,
    settings: EconomicsSettings,
    *,
    base_spec: PVSystemSpec | None = None,
    kwp_grid=(2, 3, 4, 5, 6, 7, 8, 10, 12, 15),
    battery_grid=(0.0, 5.0),
    rank_by: str = "npv_eur",
    top: int = 3,
    prices=None,
    battery_template: BatterySpec | None = None,
    max_kwp: float | None = None,
    cache: PVProfileCache | None = None,
    order: str = "rank",
) -> list[PVOption]:
    """Sweep PV size (and battery size) and return the best few configurations.

    ``order="grid"`` keeps the sweep's own order (sizes x batteries) instead of ranking.

    The per-kWp profile of each orientation is computed once (cache) and scaled; inverter
    clipping is applied after scaling. The load is checked once (:func:`advisor.pv.prepare_load`)
    and each size's PV aligned to it once; every option is what :func:`evaluate_pv` gives for
    its configuration, to the bit (tested). ``rank_by`` is a key of :meth:`PVOption.to_row`
    (``"npv_eur"`` or ``"annual_savings_eur"``). ``max_kwp`` bounds the sizes (roof area).
    """
    base_spec = base_spec or PVSystemSpec.single(1.0)
    cache = cache or DEFAULT_CACHE
    template = battery_template or BatterySpec(capacity_kwh=1.0)
    profile = pv_profile(base_spec, weather, cache=cache)
    prepared = prepare_load(load)
    if prices is not None and not isinstance(prices, NegativePriceHours):
        prices = negative_price_hours(weather.index, prices)
    options = []
    for kwp in kwp_grid:
        if max_kwp is not None and kwp > max_kwp:
            continue
        spec = base_spec.scaled(float(kwp))
        pv = profile.system(spec)
        pv_values = prepared.pv_values(pv)
        limit = feed_in_limit_kw(spec, settings)
        full = _full(spec, settings)
        for kwh in battery_grid:
            bat = (
                None
                if kwh <= 0
                else replace(template, capacity_kwh=float(kwh), charge_power_kw=None, discharge_power_kw=None)
            )
            sc = prepared.flows(pv_values, bat, feed_in_limit_kw=limit, full_feed_in=full)
            econ = pv_economics(sc, spec, settings, battery=bat, prices=prices)
            options.append(PVOption(spec=spec, battery=bat, pv=pv, flows=sc, economics=econ))
    if not options:
        raise EconomicsError("no configuration to size: `kwp_grid` is empty or all above `max_kwp`")
    if order == "grid":
        return options[:top]
    options.sort(key=lambda o: -(o.to_row()[rank_by] if np.isfinite(o.to_row()[rank_by]) else -np.inf))
    return options[:top]
