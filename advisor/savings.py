"""Savings verification (CalTRACK-like): baseline before a change, counterfactual after it.

The baseline is a per-household daily regression fitted on complete days before the change:

``daily_kwh = a + b * h25_day (+ c * HDD)``

where ``h25_day`` is the BDEW H25 weight of that day x 365 (it carries weekday, holiday and
seasonal shape) and ``HDD`` are heating degree days (base 15 °C) when a measured daily
temperature is given. The fitted baseline predicts what the household would have used after the
change; saved energy = counterfactual - actual over the complete days after it.

The uncertainty band follows ASHRAE Guideline 14 in spirit: the residual standard deviation of
the baseline fit, inflated for lag-1 autocorrelation of the residuals and for the parameter
uncertainty of a fit on ``n`` days, gives the standard error of the summed savings over ``m``
reporting days; P10/P90 are +-1.2816 standard errors.

Data sufficiency (CalTRACK uses a year of baseline; we accept less and say so): at least
:data:`MIN_BASELINE_DAYS` complete days before and :data:`MIN_REPORTING_DAYS` after the change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from advisor.loadcurve import LoadCurve, validate_load_curve

MIN_BASELINE_DAYS = 90
MIN_REPORTING_DAYS = 30
HDD_BASE_C = 15.0
Z_P90 = 1.2815515655446004


@dataclass(frozen=True)
class SavingsResult:
    """Verified savings after a change date.

    Attributes
    ----------
    sufficient
        False when the data cannot support a verdict; then the numbers are NaN and ``reason`` says why.
    reason
        Why the data is insufficient, or ``""``.
    change_date
        First local day of the reporting period (ISO date).
    baseline_days, reporting_days
        Complete days used before and after the change.
    saved_kwh, saved_kwh_p10, saved_kwh_p90
        Energy saved over the reporting days [kWh] (negative: more was used) with its 80 % band.
    saved_kwh_per_day
        Mean daily saving [kWh/day].
    saved_pct
        Saved energy relative to the counterfactual [%].
    saved_eur, saved_eur_p10, saved_eur_p90
        The same in euros at ``price_eur_per_kwh`` [EUR]; NaN when no price was given.
    annualised_saved_kwh
        Mean daily saving x 365 [kWh/yr].
    baseline_cv_rmse
        CV(RMSE) of the baseline fit on daily energy [-].
    method
        Baseline model description.
    daily
        Per reporting day: ``actual_kwh``, ``counterfactual_kwh``.
    reason_de, method_de
        ``reason`` and ``method`` in German (convention of :mod:`advisor.texts`).
    """

    sufficient: bool
    reason: str
    change_date: str
    baseline_days: int
    reporting_days: int
    saved_kwh: float = math.nan
    saved_kwh_p10: float = math.nan
    saved_kwh_p90: float = math.nan
    saved_kwh_per_day: float = math.nan
    saved_pct: float = math.nan
    saved_eur: float = math.nan
    saved_eur_p10: float = math.nan
    saved_eur_p90: float = math.nan
    annualised_saved_kwh: float = math.nan
    baseline_cv_rmse: float = math.nan
    method: str = ""
    daily: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    reason_de: str = ""
    method_de: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "daily"}


def _daily(curve: LoadCurve) -> pd.Series:
    e = curve.data["energy_kwh"]
    grouped = e.resample("D")
    total = grouped.sum(min_count=1)
    complete = grouped.count() == grouped.size()
    return total.where(complete)


def _h25_day(days: pd.DatetimeIndex, holiday_region: str) -> np.ndarray:
    from advisor.forecast import _daily_h25

    return _daily_h25(days, str(days.tz), holiday_region).to_numpy()


def verify_savings(
    curve: LoadCurve,
    change_date: str | pd.Timestamp,
    *,
    price_eur_per_kwh: float | None = None,
    temperature_c: pd.Series | None = None,
) -> SavingsResult:
    """Saved energy after ``change_date`` against a baseline fitted before it.

    Parameters
    ----------
    curve
        The household's load curve spanning the change.
    change_date
        First local day after the change (a new fridge, a heat pump, a behaviour change).
    price_eur_per_kwh
        Work price [EUR/kWh] for the euro figures (the edge passes it from seeds or the household).
    temperature_c
        Optional measured outdoor temperature [°C] (any resolution); adds heating degree days.
    """
    validate_load_curve(curve)
    tz = curve.meta.tz
    change = pd.Timestamp(change_date)
    change = change.tz_localize(tz) if change.tz is None else change.tz_convert(tz)
    change = change.normalize()
    daily = _daily(curve)
    daily.index = daily.index.tz_convert(tz)
    before = daily[daily.index < change].dropna()
    after = daily[daily.index >= change].dropna()
    n, m = len(before), len(after)
    base = {"change_date": change.date().isoformat(), "baseline_days": n, "reporting_days": m}
    if n < MIN_BASELINE_DAYS or m < MIN_REPORTING_DAYS:
        return SavingsResult(
            sufficient=False,
            reason=(
                f"insufficient data: {n} complete days before the change (need {MIN_BASELINE_DAYS}) and "
                f"{m} after it (need {MIN_REPORTING_DAYS})"
            ),
            reason_de=(
                f"zu wenige Daten: {n} vollständige Tage vor der Änderung (nötig sind {MIN_BASELINE_DAYS}) und "
                f"{m} danach (nötig sind {MIN_REPORTING_DAYS})"
            ),
            **base,
        )
    region = curve.meta.holiday_region
    x_before = [np.ones(n), _h25_day(before.index, region)]
    x_after = [np.ones(m), _h25_day(after.index, region)]
    method = "daily OLS on BDEW H25 day weight"
    method_de = "tägliche Regression (kleinste Quadrate) auf das Tagesgewicht des BDEW-Profils H25"
    if temperature_c is not None:
        t = temperature_c.copy()
        t.index = t.index.tz_convert(tz)
        t_daily = t.resample("D").mean()
        hdd = (HDD_BASE_C - t_daily).clip(lower=0)
        hb, ha = hdd.reindex(before.index).to_numpy(), hdd.reindex(after.index).to_numpy()
        if not (np.isnan(hb).any() or np.isnan(ha).any()):
            x_before.append(hb)
            x_after.append(ha)
            method += " + heating degree days (15 °C)"
            method_de += " + Heizgradtage (15 °C)"
    xb = np.column_stack(x_before)
    xa = np.column_stack(x_after)
    y = before.to_numpy()
    coef, *_ = np.linalg.lstsq(xb, y, rcond=None)
    resid = y - xb @ coef
    p = xb.shape[1]
    sigma = float(np.sqrt((resid**2).sum() / max(n - p, 1)))
    rho = float(np.corrcoef(resid[:-1], resid[1:])[0, 1]) if n > 3 and resid.std() > 0 else 0.0
    rho = min(max(rho, 0.0), 0.95)
    counterfactual = xa @ coef
    actual = after.to_numpy()
    saved = float((counterfactual - actual).sum())
    # Variance of the summed savings: autocorrelated noise over m days + parameter uncertainty.
    var_noise = m * sigma**2 * (1 + rho) / (1 - rho)
    var_param = (m**2) * sigma**2 * (1 + rho) / (1 - rho) / n
    se = math.sqrt(var_noise + var_param)
    cf_total = float(counterfactual.sum())
    result_daily = pd.DataFrame({"actual_kwh": actual, "counterfactual_kwh": counterfactual}, index=after.index)

    def eur(v: float) -> float:
        return v * price_eur_per_kwh if price_eur_per_kwh is not None else math.nan

    lo, hi = saved - Z_P90 * se, saved + Z_P90 * se
    return SavingsResult(
        sufficient=True,
        reason="",
        saved_kwh=saved,
        saved_kwh_p10=lo,
        saved_kwh_p90=hi,
        saved_kwh_per_day=saved / m,
        saved_pct=100.0 * saved / cf_total if cf_total > 0 else math.nan,
        saved_eur=eur(saved),
        saved_eur_p10=eur(lo),
        saved_eur_p90=eur(hi),
        annualised_saved_kwh=saved / m * 365.0,
        baseline_cv_rmse=sigma / float(y.mean()) if y.mean() > 0 else math.nan,
        method=method,
        method_de=method_de,
        daily=result_daily,
        **base,
    )
