"""Annual consumption, in one place: the figure the app, the report, tariffs, bills and the batch use.

:func:`annual_energy` sums a complete last year, or annualises a year with small gaps or a shorter
curve with the BDEW H25 shape (``annual = known energy / H25 share of the known intervals``), with
its method and a stated uncertainty. :func:`h25_weights` is the one cached H25 shape of any
interval index. :func:`annual_scale` turns any quantity measured over the same known intervals
(energy cost, a device's kWh) into its yearly figure with the same H25 weighting, so a
January-February cut prices the winter-heavy months as winter, not as a twelfth of the year each.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from advisor.loadcurve import LoadCurve, Quality
from advisor.profiles import bdew_shape

FULL_YEAR_MIN_COVERAGE = 0.98


def quality_codes(curve: LoadCurve) -> np.ndarray:
    """Quality flags as a numpy array of strings (fast path for categoricals)."""
    col = curve.data["quality"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = np.asarray(col.cat.categories.astype(str), dtype=object)
        codes = col.cat.codes.to_numpy()
        return np.where(codes >= 0, cats[np.maximum(codes, 0)], "")
    return col.to_numpy().astype(object)



@lru_cache(maxsize=32)
def _h25_year(year: int, tz: str, region: str, minutes: int) -> pd.Series:
    start = pd.Timestamp(f"{year}-01-01").tz_localize(tz)
    end = pd.Timestamp(f"{year + 1}-01-01").tz_localize(tz)
    idx = pd.date_range(start, end, freq=f"{minutes}min", inclusive="left")
    return bdew_shape(idx, profile="H25", holiday_region=region)


def h25_weights(index: pd.DatetimeIndex, tz: str, region: str, minutes: int) -> np.ndarray:
    """BDEW H25 weight of each interval of ``index`` (each calendar year sums to 1)."""
    local = index.tz_convert(tz)
    years = np.unique(local.year)
    parts = [_h25_year(int(y), tz, region, minutes) for y in years]
    full = pd.concat(parts) if len(parts) > 1 else parts[0]
    return full.reindex(local).fillna(0.0).to_numpy()


@dataclass(frozen=True)
class AnnualEnergy:
    """Annual consumption with its method and uncertainty.

    Attributes
    ----------
    annual_kwh
        [kWh/yr].
    method
        ``measured_full_year`` | ``full_year_gaps_filled_h25`` | ``annualised_h25``.
    uncertainty_pct
        Relative uncertainty [%] (heuristic).
    h25_share_covered
        Share of the H25 year covered by the known intervals used, 0..1.
    window_start, window_end
        The (local) window the figure is computed on.
    """

    annual_kwh: float
    method: str
    uncertainty_pct: float
    h25_share_covered: float
    window_start: pd.Timestamp
    window_end: pd.Timestamp

    @property
    def is_full_year(self) -> bool:
        """True when the figure rests on a whole measured year (complete, or >= 98 % known with
        the gaps filled), also for an estimated curve's prefixed method."""
        return self.method.endswith(("measured_full_year", "full_year_gaps_filled_h25"))


_LAST: list = []  # [(curve data frame, (tz, holiday region, minutes), AnnualEnergy)]


def annual_energy(curve: LoadCurve) -> AnnualEnergy:
    """Annual energy of a curve [kWh/yr], measured or annualised with the BDEW H25 shape.

    If the curve covers at least one year, the last 365 days (366 over a 29 Feb) ending at the
    curve's end are used: summed when complete (uncertainty 1 %, meter and timing), else
    annualised when at least 98 % is known (uncertainty 1 % + the missing share). Shorter
    curves: ``annual = known energy / (H25 weight of the known intervals)`` (per calendar
    year the H25 weights sum to 1). Its uncertainty is a stated heuristic, not a fitted error:
    ``3 % + 30 % x (1 - covered H25 share)`` — about 33 % for one month, 18 % for half a year —
    because a single household deviates from the average H25 seasonality (heating season,
    holidays, vacations). Estimated intervals do not count as known; a curve that is only
    estimated (from a billed annual value) gets its own figure with the method prefixed
    ``estimated_curve_``.

    The last result is kept for the same curve data (a curve is immutable): a batch household's
    peer figure, its analysis and its key figures ask for it three times.
    """
    key = (curve.meta.tz, curve.meta.holiday_region, int(curve.interval_minutes))
    last = _LAST[0] if _LAST else None  # one read: another thread (the app) may replace it
    if last is not None and last[0] is curve.data and last[1] == key:
        return last[2]
    result = _annual_energy(curve)
    _LAST[:] = [(curve.data, key, result)]
    return result


def _annual_energy(curve: LoadCurve) -> AnnualEnergy:
    e = curve.data["energy_kwh"].to_numpy(dtype=float)
    q = quality_codes(curve)
    known = ~np.isnan(e) & (q != Quality.ESTIMATED.value)
    if not known.any() and (~np.isnan(e)).any():
        # a modelled curve only (e.g. from a billed annual value): report its figure, labelled so
        result = annual_energy_of_known(curve, ~np.isnan(e))
        return replace(result, method=f"estimated_curve_{result.method}")
    return annual_energy_of_known(curve, known)


def annual_energy_of_known(curve: LoadCurve, known: np.ndarray) -> AnnualEnergy:
    """:func:`annual_energy` with an explicit mask of the intervals that count as known."""
    tz = curve.meta.tz
    idx = curve.data.index
    e = curve.data["energy_kwh"].to_numpy(dtype=float)
    end = curve.end.tz_convert(tz)
    one_year_before = end - pd.DateOffset(years=1)
    minutes = curve.interval_minutes
    if curve.start.tz_convert(tz) <= one_year_before:
        in_win = np.asarray(idx >= one_year_before)
        kw = known & in_win
        n_win = int(in_win.sum())
        cov = kw.sum() / max(n_win, 1)
        if cov == 1.0:
            total = float(e[kw].sum())
            return AnnualEnergy(total, "measured_full_year", 1.0, 1.0, one_year_before, end)
        if cov >= FULL_YEAR_MIN_COVERAGE:
            w = h25_weights(idx[in_win], tz, curve.meta.holiday_region, minutes)
            wk = w[kw[in_win]].sum()
            share = wk / w.sum()
            total = float(e[kw].sum()) / share
            return AnnualEnergy(
                total, "full_year_gaps_filled_h25", 1.0 + 100 * (1 - share), float(share), one_year_before, end
            )
        win_start = one_year_before
    else:
        win_start = curve.start.tz_convert(tz)
        kw = known
    if not kw.any():
        return AnnualEnergy(float("nan"), "none_no_data", float("nan"), 0.0, win_start, end)
    w = h25_weights(idx, tz, curve.meta.holiday_region, minutes)
    # full calendar years of the window each sum to 1; express the covered weight in "years"
    share = float(w[kw].sum())
    share_of_a_year = min(share, 1.0)
    if share <= 0:
        return AnnualEnergy(float("nan"), "none_no_data", float("nan"), 0.0, win_start, end)
    total = float(e[kw].sum()) / share
    unc = 3.0 + 30.0 * (1.0 - share_of_a_year)
    return AnnualEnergy(total, "annualised_h25", unc, share_of_a_year, win_start, end)


