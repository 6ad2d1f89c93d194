"""Load-curve analysis: annual energy, base load, peaks, profiles, heatmap, data quality.

:func:`analyse` turns a :class:`~advisor.loadcurve.LoadCurve` (and optionally what the household
told us, a temperature series and day-ahead prices) into one frozen :class:`LoadAnalysis`. All
figures are computed on **local wall-clock time** of the curve's own time zone (``meta.tz``) and
with its holiday region (``meta.holiday_region``): a Berlin day has 92, 96 or 100 quarter-hours,
so nothing here reshapes by 96.

Methods (also in ``docs/analysis.md``):

* **Annual energy.** A complete last year is summed. A year with small gaps (coverage of the
  last 365 days >= 98 %) or a shorter curve is annualised with the BDEW H25 shape: annual =
  known energy / share of the H25 year that the known intervals cover. The method and a relative
  uncertainty (a stated heuristic, see :func:`annual_energy`) come with the figure.
* **Base load** [W]: the 10th percentile of the night-time (00:00-05:00 local) hourly mean power
  over all hours with complete data. **Always-on** [W]: the median over days of each day's lowest
  interval power (what never switches off: standby, routers, the fridge's idle draw).
* **Heatmap**: one row per local date, a fixed grid of ``1440 / interval`` wall-clock slots
  (96 at 15 min). The March DST day has NaN in the missing hour (02:00-02:45); in October the
  repeated hour's two intervals are **averaged** (power [kW] is shown, so averaging keeps the
  scale; the day's energy is in ``month_kwh`` and daily sums, not in the heatmap).
* **Data quality** score 0..1 = coverage x year coverage x measured share x zero-readings
  plausibility (parts in :class:`DataQuality`).

Texts for people (``warnings``, ``DataQuality.notes``, ``base_load_method``) are
:class:`advisor.texts.Message` codes with their figures (``quality.po``): as ``str`` English,
``.text(lang)`` in German or Turkish; JSON outputs add ``*_de``/``*_en``/``*_code`` keys
(:func:`advisor.texts.text_fields`). :func:`annual_method_text` names an ``annual_method`` code.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from advisor.annual import (
    AnnualEnergy,
    annual_energy,
    quality_codes,
)
from advisor.curve_arrays import CurveArrays, curve_arrays, daily_minimum_kw, grouped_mean, slot_labels
from advisor.errors import AdvisorError
from advisor.holidays_de import is_holiday
from advisor.loadcurve import Direction, LoadCurve, Quality, validate_load_curve
from advisor.signatures import (
    Signature,
    detect_signatures,
    modelled,
    with_answers,
    with_feed_in,
)
from advisor.texts import Message, join, render, text_fields
from advisor.units import interval_hours

if TYPE_CHECKING:  # pragma: no cover
    from advisor.benchmark import OwnGeneration, StromspiegelResult
    from advisor.household import Household
    from advisor.seeds import Seeds

NS_PER_MIN = 60_000_000_000
NS_PER_DAY = 86_400_000_000_000
HOURS_PER_YEAR = 8760.0
NIGHT_HOURS = (0, 5)  # [start, end) local hours used for the base load
EVENING_HOURS = (17, 20)  # [start, end) local hours of the evening peak window
BASE_LOAD_PERCENTILE = 10.0
DAY_TYPES = ("weekday", "saturday", "sunday_holiday")
SEASONS = ("winter", "transition", "summer")  # BDEW season definitions, see _season_of
ZERO_SHARE_AS_MISSING = 0.01  # above this share, exact-zero readings count as faults for base load
DAYTIME_ONLY_ZEROS = 0.002  # night zero share at or below this: the zeros are daytime ones (own PV)
MIDDAY_ZERO_RATIO = 5.0  # zeros this many times more frequent at noon than at night: own PV, not a meter fault

#: How the annual figure was obtained, per ``annual_method`` code, in German and English.
#: ``annual_method`` codes with a plain-language name (``analysis.annual_method.<code>`` in quality.po).
ANNUAL_METHODS = ("measured_full_year", "full_year_gaps_filled_h25", "annualised_h25", "none_no_data")


def annual_method_text(method: str, lang: str = "de") -> str:
    """Plain-language name of an ``annual_method`` code (``estimated_curve_*`` included)."""
    if method.startswith("estimated_curve_"):
        # the curve is modelled: how a measured year would have been treated does not apply
        return render("analysis.annual_method.estimated_curve", lang)
    return render(f"analysis.annual_method.{method}", lang) if method in ANNUAL_METHODS else method


# ---------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class DataQuality:
    """How far the figures can be trusted, 0..1, with its parts.

    Attributes
    ----------
    score
        Product of the four parts below, 0..1 (1 = a complete, measured, plausible year): how far
        *annual* figures can be trusted. Households are shown its parts in plain words instead
        (:attr:`completeness`, :attr:`year_coverage`, :attr:`plausibility` with their reasons),
        never this product alone: a complete month has score 0.08 but nothing is missing.
    coverage
        Share of the curve's intervals that have a value, 0..1.
    year_coverage
        Known intervals as a share of one year, capped at 1 (a 3-month curve gives 0.25); 1 when the
        annual figure rests on a whole measured year (its last year >= 98 % known, gaps filled).
    measured_share
        Known intervals that are measured (not substituted, filled or estimated), 0..1; the part
        counts substituted as 0.75, filled as 0.5 and estimated as 0 of a measured interval.
    zero_plausibility
        1 - 4 x share of known intervals at exactly zero, floored at 0: a household always draws
        something (fridge, standby), so many zero readings mean a meter or data problem.
    substituted_share, filled_share, estimated_share, zero_share
        Shares of known intervals, 0..1.
    n_gaps
        Number of runs of missing intervals.
    longest_gap_hours
        Longest run of missing intervals [h].
    notes
        Plain-language notes on what lowers the score (Messages).
    completeness
        "How complete": share of the curve's own period that has a measured value, 0..1
        (``coverage x measured_share``): gaps and substituted/filled/estimated values lower it,
        a short period does not. 1.0 exactly when nothing is missing, substituted, filled or estimated.
    plausibility
        ``zero_plausibility`` under a plain name: 1.0 unless many readings are exactly zero.
    days_with_data
        "How long": days covered by known intervals (e.g. 31.0 for a complete January).
    completeness_reason, length_reason, plausibility_reason
        One sentence each (:class:`advisor.texts.Message`, codes ``quality.*``) saying why the part
        has its value; ``plausibility_reason`` is empty when the readings look plausible.
    """

    score: float
    coverage: float
    year_coverage: float
    measured_share: float
    zero_plausibility: float
    substituted_share: float
    filled_share: float
    estimated_share: float
    zero_share: float
    n_gaps: int
    longest_gap_hours: float
    notes: tuple[str, ...] = ()
    completeness: float = 1.0
    plausibility: float = 1.0
    days_with_data: float = 0.0
    completeness_reason: str = ""
    length_reason: str = ""
    plausibility_reason: str = ""

    @property
    def label(self) -> str:
        """``good`` (>= 0.9), ``fair`` (>= 0.6) or ``poor``."""
        return "good" if self.score >= 0.9 else "fair" if self.score >= 0.6 else "poor"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["label"] = self.label
        for name in ("notes", "completeness_reason", "length_reason", "plausibility_reason"):
            d.update(text_fields(name, getattr(self, name)))
        return d


@dataclass(frozen=True)
class LoadAnalysis:
    """Result of :func:`analyse` (units in the names; local times in the curve's time zone).

    Attributes
    ----------
    annual_kwh
        Annual consumption [kWh/yr] (measured or annualised, see ``annual_method``).
    annual_method
        ``"measured_full_year"``, ``"full_year_gaps_filled_h25"`` or ``"annualised_h25"``.
    annual_uncertainty_pct
        Relative uncertainty of ``annual_kwh`` [%] (heuristic, see :func:`annual_energy`; on cut
        London years it covered the true total in 80-85 % of cases: read it as an ~80 % interval).
    measured_kwh
        Energy of the known intervals of the whole curve [kWh].
    days_covered
        Known intervals expressed in days [d].
    base_load_w
        Base load [W]: 10th percentile of night-time (00-05 local) hourly mean power.
    base_load_method
        Text naming the method.
    base_load_kwh_per_year
        ``base_load_w`` over a year [kWh/yr].
    base_load_share
        ``base_load_kwh_per_year / annual_kwh``, 0..1.
    always_on_w
        Always-on / standby estimate [W]: median over days of the lowest interval power of the day.
    always_on_kwh_per_year
        ``always_on_w`` over a year [kWh/yr].
    peak_kw
        Highest interval mean power [kW] (15-min peak for 15-min data).
    peak_time
        Local start of that interval.
    mean_power_kw
        Mean power over the known intervals [kW].
    load_factor
        ``mean_power_kw / peak_kw``, 0..1.
    evening_peak_share
        Share of the energy consumed 17:00-20:00 local, 0..1.
    daily_profiles
        Mean power [kW] per wall-clock slot (rows ``"HH:MM"``) for each (season, day type)
        (MultiIndex columns; seasons winter/transition/summer per BDEW, day types weekday,
        saturday, sunday_holiday with the curve's holiday region).
    daily_profile_days
        Number of days behind each column of ``daily_profiles``.
    month_kwh
        Per local month: ``energy_kwh`` (known intervals) and ``coverage`` (0..1).
    heatmap
        Mean power [kW]: rows local dates, columns the fixed wall-clock slots.
    data_quality
        :class:`DataQuality`.
    stromspiegel
        :class:`~advisor.benchmark.StromspiegelResult` (class, percentile or the reason for none).
    signatures
        Detected (and not detectable) device signatures, :class:`~advisor.signatures.Signature`.
    interval_minutes, tz, holiday_region, start, end
        Of the analysed curve.
    warnings
        Plain-language caveats (Messages).
    own_generation
        :class:`~advisor.benchmark.OwnGeneration`: what the meter (feed-in), the household (kWp) or
        the curve (``own_pv``) says about own PV behind the meter; None without any sign of it.
    """

    annual_kwh: float
    annual_method: str
    annual_uncertainty_pct: float
    measured_kwh: float
    days_covered: float
    base_load_w: float
    base_load_method: str
    base_load_kwh_per_year: float
    base_load_share: float
    always_on_w: float
    always_on_kwh_per_year: float
    peak_kw: float
    peak_time: pd.Timestamp | None
    mean_power_kw: float
    load_factor: float
    evening_peak_share: float
    daily_profiles: pd.DataFrame = field(repr=False)
    daily_profile_days: pd.Series = field(repr=False)
    month_kwh: pd.DataFrame = field(repr=False)
    heatmap: pd.DataFrame = field(repr=False)
    data_quality: DataQuality = field(repr=False, default=None)  # type: ignore[assignment]
    stromspiegel: StromspiegelResult | None = None
    signatures: tuple[Signature, ...] = ()
    interval_minutes: int = 15
    tz: str = "Europe/Berlin"
    holiday_region: str = "DE-NW"
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    warnings: tuple[str, ...] = ()
    own_generation: OwnGeneration | None = None

    def annual_method_text(self, lang: str = "de") -> str:
        """How ``annual_kwh`` was obtained, in ``lang``."""
        return annual_method_text(self.annual_method, lang)

    @property
    def stromspiegel_class(self) -> str | None:
        return None if self.stromspiegel is None else self.stromspiegel.efficiency_class

    def signature(self, name: str) -> Signature | None:
        """The signature called ``name``, or None."""
        for s in self.signatures:
            if s.name == name:
                return s
        return None

    def summary(self) -> dict[str, Any]:
        """JSON-ready key figures (what ``advisor analyse --json`` prints)."""
        q = self.data_quality
        return {
            "annual_kwh": _r(self.annual_kwh, 1),
            "annual_method": self.annual_method,
            "annual_uncertainty_pct": _r(self.annual_uncertainty_pct, 1),
            "measured_kwh": _r(self.measured_kwh, 3),
            "days_covered": _r(self.days_covered, 2),
            "base_load_w": _r(self.base_load_w, 1),
            **text_fields("base_load_method", self.base_load_method),
            "base_load_kwh_per_year": _r(self.base_load_kwh_per_year, 1),
            "base_load_share": _r(self.base_load_share, 3),
            "always_on_w": _r(self.always_on_w, 1),
            "always_on_kwh_per_year": _r(self.always_on_kwh_per_year, 1),
            "peak_kw": _r(self.peak_kw, 3),
            "peak_time": self.peak_time.isoformat() if self.peak_time is not None else None,
            "mean_power_kw": _r(self.mean_power_kw, 4),
            "load_factor": _r(self.load_factor, 3),
            "evening_peak_share": _r(self.evening_peak_share, 3),
            "stromspiegel_class": self.stromspiegel_class,
            "stromspiegel": None if self.stromspiegel is None else self.stromspiegel.to_dict(),
            "signatures": [s.to_dict() for s in self.signatures],
            "data_quality": None if q is None else q.to_dict(),
            "month_kwh": {str(k): _r(v, 3) for k, v in self.month_kwh["energy_kwh"].items()},
            "interval_minutes": self.interval_minutes,
            "tz": self.tz,
            "holiday_region": self.holiday_region,
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            **text_fields("warnings", list(self.warnings)),
            "annual_method_text_de": self.annual_method_text("de"),
            "annual_method_text_en": self.annual_method_text("en"),
        }


def _r(x: float | None, nd: int) -> float | None:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None
    return round(float(x), nd)


# ------------------------------------------------------------------------------ calendar
def _season_of(days: pd.DatetimeIndex) -> np.ndarray:
    """BDEW seasons: winter 1 Nov - 20 Mar, summer 15 May - 14 Sep, transition otherwise.

    Returns codes 0 winter, 1 transition, 2 summer.
    """
    md = days.month.to_numpy() * 100 + days.day.to_numpy()
    season = np.ones(len(days), dtype=np.int64)
    season[(md >= 1101) | (md <= 320)] = 0
    season[(md >= 515) & (md <= 914)] = 2
    return season


def day_types(days: pd.DatetimeIndex, holiday_region: str) -> np.ndarray:
    """Day type codes of local dates: 0 weekday, 1 Saturday, 2 Sunday or public holiday."""
    wd = days.day_of_week.to_numpy()
    out = np.zeros(len(days), dtype=np.int64)
    out[wd == 5] = 1
    out[wd == 6] = 2
    try:
        hol = is_holiday(days, holiday_region)
    except (NotImplementedError, KeyError, ValueError) as exc:  # unknown region: weekdays only
        raise AdvisorError(f"`holiday_region` {holiday_region!r} is not known to `holidays`: {exc}") from exc
    out[hol] = 2
    return out


# ---------------------------------------------------------------------------- data quality
def _completeness_reason(
    coverage: float, n_gaps: int, longest_h: float, subst: float, filled: float, est: float
) -> Message:
    """Why the curve is (not) complete: missing values first, then values that are not measured."""
    parts = []
    if coverage < 1.0:
        parts.append(Message("quality.missing", share=1.0 - coverage, n=n_gaps, hours=longest_h))
    if subst > 0:
        parts.append(Message("quality.substituted", share=subst))
    if filled > 0:
        parts.append(Message("quality.filled", share=filled))
    if est > 0:
        parts.append(Message("quality.estimated", share=est))
    return join(parts) if parts else Message("quality.complete")


def _length_reason(days: float, year_cov: float) -> Message:
    """How long the curve is, and whether annual figures are extrapolated from it."""
    whole = int(round(days))
    if year_cov >= 1.0:
        return Message("quality.length_year", n=whole)
    return Message("quality.length_short", n=whole, share=year_cov)


def _implausible_zero_share(curve: LoadCurve, e: np.ndarray, known: np.ndarray) -> float:
    """Share of known readings that are exactly zero, as a sign of a meter or data fault.

    Behind its own PV a household's grid import is exactly zero while the panels cover the load:
    normal, not a fault. So when the meter also counts feed-in, or when the zeros fall in the
    daytime only (night readings, 00-05 h, almost never zero), only the night share counts.
    """
    zeros = known & (e == 0.0)
    share = float(zeros.sum() / known.sum())
    if share <= ZERO_SHARE_AS_MISSING:
        return share
    hour = curve.local_index().hour.to_numpy()
    night = known & (hour >= NIGHT_HOURS[0]) & (hour < NIGHT_HOURS[1])
    if night.sum() < 48:
        return share
    night_share = float(zeros[night].sum() / night.sum())
    feeds_in = (curve.meta.feed_in_kwh or 0.0) >= 1.0
    return night_share if feeds_in or night_share <= DAYTIME_ONLY_ZEROS else share


def _zeros_at_midday(a: CurveArrays) -> bool:
    """True when exact-zero readings are at least :data:`MIDDAY_ZERO_RATIO` times as frequent at
    midday (10-16 h) as at night (00-05 h): zeros of own PV, not of a faulty meter (which has them
    at any hour)."""
    zero = a.known & (a.energy_kwh == 0.0)
    mid = a.known & (a.hour >= 10) & (a.hour < 16)
    night = a.known & (a.hour >= NIGHT_HOURS[0]) & (a.hour < NIGHT_HOURS[1])
    if mid.sum() == 0 or night.sum() == 0:
        return False
    mid_share = zero[mid].sum() / mid.sum()
    night_share = zero[night].sum() / night.sum()
    return bool(mid_share > ZERO_SHARE_AS_MISSING and mid_share >= MIDDAY_ZERO_RATIO * night_share)


def data_quality(curve: LoadCurve, annual: AnnualEnergy | None = None) -> DataQuality:
    """Data-quality score 0..1 and its parts (see :class:`DataQuality`).

    ``annual`` is the curve's :func:`~advisor.annual.annual_energy` (computed when not given): the
    "how long" part follows its method, so a year whose few gaps are filled is a measured year here
    too, never "extrapolated" next to an annual figure that says "measured year".
    """
    e = curve.data["energy_kwh"].to_numpy(dtype=float)
    q = quality_codes(curve)
    n = len(e)
    known = ~np.isnan(e)
    n_known = int(known.sum())
    coverage = n_known / n if n else 0.0
    per_year = HOURS_PER_YEAR / interval_hours(curve.interval_minutes)
    if annual is None:
        annual = annual_energy(curve)
    # one rule with the annual figure: a year with >= 98 % of its intervals known counts as a year
    year_cov = 1.0 if annual.is_full_year else min(1.0, n_known / per_year)
    if n_known:
        subst = float((q == Quality.SUBSTITUTED.value).sum() / n_known)
        filled = float((q == Quality.FILLED.value).sum() / n_known)
        est = float((q == Quality.ESTIMATED.value).sum() / n_known)
        zero = _implausible_zero_share(curve, e, known)
    else:
        subst = filled = est = zero = 0.0
    measured = max(0.0, 1.0 - 0.25 * subst - 0.5 * filled - 1.0 * est)
    zero_part = max(0.0, 1.0 - 4.0 * zero)
    # gaps
    miss = ~known
    if miss.any():
        d = np.diff(np.concatenate(([0], miss.astype(np.int8), [0])))
        starts = np.flatnonzero(d == 1)
        ends = np.flatnonzero(d == -1)
        lengths = ends - starts
        n_gaps = int(len(lengths))
        longest = float(lengths.max() * interval_hours(curve.interval_minutes))
    else:
        n_gaps, longest = 0, 0.0
    score = coverage * year_cov * measured * zero_part
    said: list[Message] = []  # what lowers the score (quality.po: quality.note.*)
    if coverage < 0.99:
        said.append(Message("quality.note.missing", pct=100 * (1 - coverage), n=n_gaps, hours=longest))
    if year_cov < 1.0:
        said.append(Message("quality.note.short", days=n_known * interval_hours(curve.interval_minutes) / 24))
    if subst > 0:
        said.append(Message("quality.note.substituted", pct=100 * subst))
    if filled > 0:
        said.append(Message("quality.note.filled", pct=100 * filled))
    if est > 0:
        said.append(Message("quality.note.estimated", pct=100 * est))
    if zero > 0.01:
        said.append(Message("quality.note.zeros", pct=100 * zero))
    notes = tuple(said)
    completeness = coverage * measured if n_known else 0.0
    days_known = n_known * interval_hours(curve.interval_minutes) / 24
    return DataQuality(
        score=float(score),
        completeness=float(completeness),
        plausibility=float(zero_part),
        days_with_data=float(days_known),
        completeness_reason=_completeness_reason(coverage, n_gaps, longest, subst, filled, est),
        length_reason=(
            Message("quality.length_estimated", n=int(round(days_known)))
            if est >= 0.5
            else _length_reason(days_known, year_cov)
        ),
        plausibility_reason=Message("quality.zeros", share=zero) if zero > 0.01 else "",
        coverage=float(coverage),
        year_coverage=float(year_cov),
        measured_share=float(measured),
        zero_plausibility=float(zero_part),
        substituted_share=subst,
        filled_share=filled,
        estimated_share=est,
        zero_share=zero,
        n_gaps=n_gaps,
        longest_gap_hours=longest,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------- profiles, heatmap
def heatmap_matrix(arrays: CurveArrays) -> pd.DataFrame:
    """Mean power [kW] per local date (rows) and wall-clock slot (columns).

    DST: the missing spring hour stays NaN; the two intervals of the repeated autumn hour are
    averaged.
    """
    n = arrays.n_days * arrays.n_slots
    key = arrays.day0 * arrays.n_slots + arrays.slot
    mean, _ = grouped_mean(key, arrays.power_kw, arrays.known, n)
    mat = mean.reshape(arrays.n_days, arrays.n_slots)
    out = pd.DataFrame(mat, index=arrays.days, columns=slot_labels(arrays.interval_minutes))
    out.index.name = "date"
    out.columns.name = "time"
    return out


def daily_profiles(arrays: CurveArrays, day_type: np.ndarray, season: np.ndarray) -> tuple[pd.DataFrame, pd.Series]:
    """Mean power [kW] per wall-clock slot for every (season, day type), and the day counts."""
    group_of_day = season * 3 + day_type  # 9 groups
    g = group_of_day[arrays.day0]
    key = g * arrays.n_slots + arrays.slot
    mean, _ = grouped_mean(key, arrays.power_kw, arrays.known, 9 * arrays.n_slots)
    mat = mean.reshape(9, arrays.n_slots).T
    cols = pd.MultiIndex.from_product([SEASONS, DAY_TYPES], names=["season", "day_type"])
    prof = pd.DataFrame(mat, index=slot_labels(arrays.interval_minutes), columns=cols)
    prof.index.name = "time"
    has_data = np.bincount(arrays.day0[arrays.known], minlength=arrays.n_days) > 0
    counts = np.bincount(group_of_day[has_data], minlength=9)
    return prof, pd.Series(counts, index=cols, name="n_days")


def month_energy(arrays: CurveArrays) -> pd.DataFrame:
    """Energy [kWh] of the known intervals and coverage per local month."""
    ym = arrays.local_index.year.to_numpy() * 12 + arrays.month - 1
    base = int(ym.min())
    k = ym - base
    n = int(k.max()) + 1
    total = np.bincount(k[arrays.known], weights=arrays.energy_kwh[arrays.known], minlength=n)
    known = np.bincount(k[arrays.known], minlength=n)
    size = np.bincount(k, minlength=n)
    # intervals a complete month would have (the curve may start or end within a month)
    periods = pd.period_range(pd.Period(year=base // 12, month=base % 12 + 1, freq="M"), periods=n, freq="M")
    out = pd.DataFrame(
        {
            "energy_kwh": total,
            "coverage": np.where(size > 0, known / np.maximum(size, 1), 0.0) * _month_span_share(arrays, periods, size),
        },
        index=periods.astype(str),
    )
    out.index.name = "month"
    return out


def _month_span_share(arrays: CurveArrays, periods: pd.PeriodIndex, size: np.ndarray) -> np.ndarray:
    full = periods.days_in_month.to_numpy() * 1440 / arrays.interval_minutes
    return np.minimum(size / full, 1.0)


# ------------------------------------------------------------------------------ base load
def base_load(arrays: CurveArrays) -> tuple[float, int]:
    """10th percentile [W] of the night-time hourly means and how many night hours it rests on."""
    per_hour = 60 // arrays.interval_minutes
    key = arrays.day0 * 24 + arrays.hour
    n = arrays.n_days * 24
    mean, count = grouped_mean(key, arrays.power_kw, arrays.known, n)
    size = np.bincount(key, minlength=n)
    hours = np.arange(n) % 24
    night = (hours >= NIGHT_HOURS[0]) & (hours < NIGHT_HOURS[1]) & (count >= np.maximum(size, per_hour)) & (count > 0)
    vals = mean[night]
    if vals.size == 0:
        return float("nan"), 0
    return float(np.percentile(vals, BASE_LOAD_PERCENTILE) * 1000.0), int(vals.size)


# ------------------------------------------------------------------------------- devices
#: Devices whose annual energy is part of the household's total; together at most this share of it.
DEVICE_SIGNATURES = (
    "ev_charging",
    "heat_pump",
    "night_storage_heating",
    "circulation_pump",
    "instantaneous_water_heater",
)
MAX_DEVICE_SHARE = 0.9


def cap_device_energy(signatures, annual_kwh: float) -> list:
    """Device energies never exceed the household's total: together at most 90 % of ``annual_kwh``
    (something else always runs), scaled down in proportion and said so in the evidence."""
    sigs = list(signatures)
    if annual_kwh is None or not math.isfinite(annual_kwh) or annual_kwh <= 0:
        return sigs
    idx = [
        i
        for i, s in enumerate(sigs)
        if s.name in DEVICE_SIGNATURES and s.annual_kwh is not None and math.isfinite(s.annual_kwh) and s.annual_kwh > 0
    ]
    total = sum(sigs[i].annual_kwh for i in idx)
    limit = MAX_DEVICE_SHARE * annual_kwh
    if total <= limit:
        return sigs
    f = limit / total
    for i in idx:
        s = sigs[i]
        sigs[i] = s.with_note(
            Message("signature.note.capped", kwh=round(s.annual_kwh * f), total_kwh=round(annual_kwh)),
            annual_kwh=s.annual_kwh * f,
        )
    return sigs


def _class_quality(quality: DataQuality, curve: LoadCurve) -> float:
    """The data quality that decides whether a Stromspiegel class can be given.

    A curve modelled from an annual figure or from meter readings (no smart meter) has no measured
    intervals, but its annual energy is the billed one: what counts is how much of a year the
    figure covers, not that the intervals are modelled.
    """
    if curve.is_estimated:
        return float(quality.coverage * quality.year_coverage * quality.zero_plausibility)
    return float(quality.score)


# ------------------------------------------------------------------------------- analyse
def analyse(
    curve: LoadCurve,
    household: Household | None = None,
    *,
    temperature: pd.Series | None = None,
    seeds: Seeds | None = None,
    prices: pd.Series | None = None,
    site: tuple[float, float] | None = None,
    state: str | None = None,
) -> LoadAnalysis:
    """Analyse a household load curve.

    Parameters
    ----------
    curve
        An import (consumption) :class:`LoadCurve`, 15, 30 or 60 min.
    household
        What the household told us (:class:`~advisor.household.Household`); unknown by default.
    temperature
        Measured outdoor temperature [°C], tz-aware Series at any resolution (used by the
        heat-pump signature; without it seasonal evidence only, with lower confidence).
    seeds
        Reference data (:func:`advisor.seeds.load_seeds`); needed for the Stromspiegel class and
        the NRW comparison, otherwise those say why they are missing.
    prices
        Day-ahead prices, tz-aware Series (any unit, e.g. EUR/MWh), for the dynamic-tariff
        signature.
    site
        ``(latitude, longitude)`` of the household (:class:`advisor.settings.Site`), for the
        typical-year temperature of the heat-pump signature; None: the household's own
        coordinates if it gave them, else no climatology.
    state
        The household's Land (``"DE-BY"``) for the regional per-capita comparison (NRW only in
        ``DE-NW``); None: unknown (the Stadtwerk's region).

    Returns
    -------
    LoadAnalysis

    Raises
    ------
    LoadCurveError
        Not a valid load curve.
    AdvisorError
        An export curve (analyse the consumption), no data at all, or an unknown holiday region.
    """
    from advisor.benchmark import own_generation_of, stromspiegel_for
    from advisor.household import Household

    validate_load_curve(curve)
    if curve.direction != Direction.IMPORT:
        raise AdvisorError(
            f"`curve` must be a consumption (import, 1.8.0) curve; got direction {curve.direction.value!r}. "
            "Analyse the import register; feed-in is handled by the PV module."
        )
    household = household or Household()
    arrays = curve_arrays(curve)
    if not arrays.known.any():
        raise AdvisorError("the load curve has no values at all: nothing to analyse")
    warnings_: list[Message] = []  # analysis.warning.* (quality.po)
    annual = annual_energy(curve)
    quality = data_quality(curve, annual)
    if annual.method == "annualised_h25":
        warnings_.append(
            Message(
                "analysis.warning.annualised",
                covered=100 * annual.h25_share_covered,
                uncertainty=float(annual.uncertainty_pct),
            )
        )
    if curve.is_estimated:
        warnings_.append(Message("analysis.warning.estimated"))

    shape_arrays = arrays
    if quality.zero_share > ZERO_SHARE_AS_MISSING:
        # exact zeros in an occupied household are a meter or data fault: they would pull the base
        # load and every floor-based signature to 0 W, so treat them as missing there
        nonzero = arrays.known & (arrays.energy_kwh > 0)
        shape_arrays = replace(arrays, known=nonzero, power_kw=np.where(nonzero, arrays.power_kw, np.nan))
        warnings_.append(Message("analysis.warning.zeros_missing", pct=100 * quality.zero_share))
    base_w, n_night = base_load(shape_arrays)
    dmin = daily_minimum_kw(shape_arrays)
    always_on_w = float(np.nanmedian(dmin) * 1000.0) if np.isfinite(dmin).any() else float("nan")
    if n_night < 24:
        warnings_.append(Message("analysis.warning.few_nights", n=int(n_night)))

    p = arrays.power_kw
    pk = arrays.known
    i_peak = int(np.nanargmax(p))
    peak_kw = float(p[i_peak])
    peak_time = arrays.local_index[i_peak]
    mean_kw = float(np.nanmean(p))
    e_known = arrays.energy_kwh[pk]
    total_known = float(e_known.sum())
    evening = pk & (arrays.hour >= EVENING_HOURS[0]) & (arrays.hour < EVENING_HOURS[1])
    evening_share = float(arrays.energy_kwh[evening].sum() / total_known) if total_known > 0 else float("nan")

    season = _season_of(arrays.days)
    dtype = day_types(arrays.days, curve.meta.holiday_region)
    profiles, profile_days = daily_profiles(arrays, dtype, season)
    months = month_energy(arrays)
    heat = heatmap_matrix(arrays)

    sigs = detect_signatures(
        curve,
        household,
        temperature=temperature,
        prices=prices,
        arrays=shape_arrays,
        always_on_w=always_on_w,
        base_load_w=base_w,
        annual_kwh=annual.annual_kwh,
        site=site,
        # zeros concentrated at noon are the panels covering the load, the very sign of own PV: judge
        # own PV on the readings as they are (treated as missing, no summer midday would be complete)
        pv_arrays=arrays if shape_arrays is not arrays and _zeros_at_midday(arrays) else None,
    )
    sigs = cap_device_energy(with_answers(sigs, household), annual.annual_kwh)
    sigs = with_feed_in(sigs, curve.meta.feed_in_kwh, curve.meta.feed_in_days, household.existing_pv_kwp)
    if curve.is_estimated:
        sigs = modelled(sigs)  # a standard profile shows no device of this household
    own_generation = own_generation_of(curve, household, sigs, seeds)
    bench = stromspiegel_for(
        annual.annual_kwh,
        household,
        signatures=sigs,
        seeds=seeds,
        data_quality_score=_class_quality(quality, curve),
        estimated=bool(curve.is_estimated),
        state=state,
        own_generation=own_generation,
    )

    annual_kwh = annual.annual_kwh
    base_kwh = base_w * HOURS_PER_YEAR / 1000.0 if math.isfinite(base_w) else float("nan")
    base_method = Message(
        "analysis.base_load_method",
        pct=int(BASE_LOAD_PERCENTILE),
        n=int(n_night),
        start=f"{NIGHT_HOURS[0]:02d}:00",
        end=f"{NIGHT_HOURS[1]:02d}:00",
    )
    return LoadAnalysis(
        annual_kwh=annual_kwh,
        annual_method=annual.method,
        annual_uncertainty_pct=annual.uncertainty_pct,
        measured_kwh=total_known,
        days_covered=float(pk.sum() * interval_hours(curve.interval_minutes) / 24.0),
        base_load_w=base_w,
        base_load_method=base_method,
        base_load_kwh_per_year=base_kwh,
        base_load_share=base_kwh / annual_kwh if annual_kwh and annual_kwh > 0 else float("nan"),
        always_on_w=always_on_w,
        always_on_kwh_per_year=always_on_w * HOURS_PER_YEAR / 1000.0,
        peak_kw=peak_kw,
        peak_time=peak_time,
        mean_power_kw=mean_kw,
        load_factor=mean_kw / peak_kw if peak_kw > 0 else float("nan"),
        evening_peak_share=evening_share,
        daily_profiles=profiles,
        daily_profile_days=profile_days,
        month_kwh=months,
        heatmap=heat,
        data_quality=quality,
        stromspiegel=bench,
        signatures=tuple(sigs),
        interval_minutes=curve.interval_minutes,
        tz=curve.meta.tz,
        holiday_region=curve.meta.holiday_region,
        start=curve.start.tz_convert(curve.meta.tz),
        end=curve.end.tz_convert(curve.meta.tz),
        warnings=tuple(warnings_) + tuple(quality.notes),
        own_generation=None if curve.is_estimated else own_generation,
    )
