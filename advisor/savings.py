"""Savings verification (CalTRACK-like): baseline before a change, counterfactual after it.

The baseline is a per-household daily regression fitted on complete days before the change:

``daily_kwh = a + b * h25_day (+ c * HDD)``

where ``h25_day`` is the BDEW H25 weight of that day x 365 (it carries weekday, holiday and
seasonal shape) and ``HDD`` are heating degree days (base 15 °C) when a measured daily
temperature is given. The fitted baseline predicts what the household would have used after the
change; saved energy = counterfactual - actual over the complete days after it.

Uncertainty. The standard error of the summed savings has three parts: the residual noise of
the fit over the ``m`` reporting days (inflated for lag-1 autocorrelation, ASHRAE Guideline 14's
fractional savings uncertainty in spirit), the parameter uncertainty of an ``n``-day fit, and a
**level drift** between the baseline and the reporting period (households change without any
measure: a new flatmate, a new TV, a mild winter): a relative standard deviation
``drift_rel_sd`` of the counterfactual total, calibrated on placebo runs on real households
(change dates where nothing changed) so that about 80 % of placebo bands hold zero
(``benchmarks/bench_savings.py``; the value lives in ``seeds/savings.toml``). P10/P90 are
+-1.2816 standard errors.

Data sufficiency (CalTRACK 2.0 daily methods): a verdict is ``sufficient`` with at least
``baseline_days_sufficient`` (365) days of baseline before the change of which at least
``min_complete_share`` (90 %) are complete. With less (but at least :data:`MIN_BASELINE_DAYS`
complete days before and :data:`MIN_REPORTING_DAYS` after) the numbers are computed and marked
``indicative`` with the reason; with less than that there are no numbers.

Fit metrics: CV(RMSE) and NMBE of the baseline fit on daily and on monthly totals, next to the
ASHRAE Guideline 14 calibration criteria for monthly data (from the seeds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from advisor.loadcurve import LoadCurve, validate_load_curve
from advisor.texts import Message, join, text_fields

MIN_BASELINE_DAYS = 90
MIN_REPORTING_DAYS = 30
HDD_BASE_C = 15.0
Z_P90 = 1.2815515655446004


@dataclass(frozen=True)
class SavingsSettings:
    """Numbers of the savings check, from ``seeds/savings.toml`` (sources and dates there).

    Attributes
    ----------
    drift_rel_sd
        Relative standard deviation of the level drift between baseline and reporting period [-].
    baseline_days_sufficient
        Baseline length for a ``sufficient`` verdict [days] (CalTRACK: 365).
    min_complete_share
        Share of complete days in that baseline (CalTRACK: 0.9).
    g14_cv_rmse_max_monthly, g14_nmbe_max_monthly
        ASHRAE Guideline 14 calibration criteria for monthly data [-].
    """

    drift_rel_sd: float
    baseline_days_sufficient: int = 365
    min_complete_share: float = 0.9
    g14_cv_rmse_max_monthly: float = 0.15
    g14_nmbe_max_monthly: float = 0.05

    @classmethod
    def from_seeds(cls, seeds: Any = None) -> SavingsSettings:
        """Read the ``savings.*`` seeds (the shipped ones when ``seeds`` is None)."""
        if seeds is None:
            from advisor.seeds import load_seeds

            seeds = load_seeds()
        return cls(
            drift_rel_sd=float(seeds.value("savings.drift_rel_sd")),
            baseline_days_sufficient=int(seeds.value("savings.baseline_days_sufficient")),
            min_complete_share=float(seeds.value("savings.baseline_min_complete_share")),
            g14_cv_rmse_max_monthly=float(seeds.value("savings.g14_cv_rmse_max_monthly")),
            g14_nmbe_max_monthly=float(seeds.value("savings.g14_nmbe_max_monthly")),
        )


@dataclass(frozen=True)
class SavingsResult:
    """Verified savings after a change date.

    Attributes
    ----------
    sufficient
        True only with a CalTRACK-sufficient baseline (365 days, 90 % of them complete).
    indicative
        True when numbers were computed on a shorter or gappier baseline; ``reason`` says why.
    reason
        Why the verdict is not sufficient (or why there are no numbers), or ``""``.
    change_date
        First local day of the reporting period (ISO date).
    baseline_days, reporting_days
        Complete days used before and after the change.
    baseline_window_days, baseline_complete_share
        Calendar days of the baseline window (up to 365 before the change) and the share of them complete.
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
    reporting_kwh, counterfactual_kwh
        Measured and counterfactual energy over the reporting days [kWh].
    baseline_cv_rmse, baseline_nmbe
        CV(RMSE) and NMBE of the baseline fit on daily energy [-].
    baseline_cv_rmse_monthly, baseline_nmbe_monthly
        The same on calendar-month totals of the baseline (months with >= 90 % complete days) [-].
    g14_cv_rmse_max_monthly, g14_nmbe_max_monthly
        ASHRAE Guideline 14 criteria for monthly data [-].
    g14_pass
        Whether the monthly fit meets both criteria (None with fewer than 3 baseline months).
    drift_rel_sd
        Relative level drift included in the band [-].
    temperature_used
        Whether heating degree days entered the baseline.
    method
        Baseline model description.
    daily
        Per reporting day: ``actual_kwh``, ``counterfactual_kwh``.

    ``reason`` and ``method`` are :class:`advisor.texts.Message` codes (``savings.po``; ``reason`` is
    ``""`` when there is nothing to say); ``to_dict`` adds their ``*_de``/``*_en``/``*_code`` keys.
    """

    sufficient: bool
    reason: str
    change_date: str
    baseline_days: int
    reporting_days: int
    indicative: bool = False
    baseline_window_days: int = 0
    baseline_complete_share: float = math.nan
    saved_kwh: float = math.nan
    saved_kwh_p10: float = math.nan
    saved_kwh_p90: float = math.nan
    saved_kwh_per_day: float = math.nan
    saved_pct: float = math.nan
    saved_eur: float = math.nan
    saved_eur_p10: float = math.nan
    saved_eur_p90: float = math.nan
    annualised_saved_kwh: float = math.nan
    reporting_kwh: float = math.nan
    counterfactual_kwh: float = math.nan
    baseline_cv_rmse: float = math.nan
    baseline_nmbe: float = math.nan
    baseline_cv_rmse_monthly: float = math.nan
    baseline_nmbe_monthly: float = math.nan
    g14_cv_rmse_max_monthly: float = math.nan
    g14_nmbe_max_monthly: float = math.nan
    g14_pass: bool | None = None
    drift_rel_sd: float = math.nan
    temperature_used: bool = False
    method: str = ""
    daily: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k not in ("daily", "reason", "method")}
        d.update(text_fields("reason", self.reason))
        d.update(text_fields("method", self.method))
        return d


def _daily(curve: LoadCurve) -> pd.Series:
    e = curve.data["energy_kwh"].copy()
    e.index = e.index.tz_convert(curve.meta.tz)
    grouped = e.resample("D")
    total = grouped.sum(min_count=1)
    # a complete local day has all its intervals (23/24/25 h on change days)
    expected = pd.Series(total.index, index=total.index).map(
        lambda d: (d + pd.DateOffset(days=1) - d) / pd.Timedelta(minutes=curve.interval_minutes)
    )
    complete = grouped.count() >= expected.astype(float)
    return total.where(complete)


def _h25_day(days: pd.DatetimeIndex, holiday_region: str) -> np.ndarray:
    from advisor.forecast import _daily_h25

    return _daily_h25(days, str(days.tz), holiday_region).to_numpy()


def _cv_nmbe(y: np.ndarray, fit: np.ndarray, p: int) -> tuple[float, float]:
    n = len(y)
    if n <= p or y.mean() <= 0:
        return math.nan, math.nan
    r = y - fit
    return float(math.sqrt((r**2).sum() / (n - p)) / y.mean()), float(r.sum() / ((n - p) * y.mean()))


def verify_savings(
    curve: LoadCurve,
    change_date: str | pd.Timestamp,
    *,
    price_eur_per_kwh: float | None = None,
    temperature_c: pd.Series | None = None,
    settings: SavingsSettings | None = None,
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
        Optional measured outdoor temperature [°C] (any resolution, tz-aware); adds heating
        degree days when it covers every baseline and reporting day.
    settings
        Drift and thresholds (:class:`SavingsSettings`); default: the shipped seeds.
    """
    validate_load_curve(curve)
    settings = settings or SavingsSettings.from_seeds()
    tz = curve.meta.tz
    change = pd.Timestamp(change_date)
    change = change.tz_localize(tz) if change.tz is None else change.tz_convert(tz)
    change = change.normalize()
    daily = _daily(curve)
    window_start = (change.tz_localize(None) - pd.Timedelta(days=settings.baseline_days_sufficient)).tz_localize(tz)
    before_all = daily[daily.index < change].dropna()
    # CalTRACK: the baseline is the (up to) 365 days right before the change
    before = before_all[before_all.index >= window_start]
    after = daily[daily.index >= change].dropna()
    n, m = len(before), len(after)
    first_known = daily.dropna().index.min() if daily.notna().any() else change
    window_from = max(window_start, first_known) if first_known < change else change
    window_days = max(0, int(round((change - window_from) / pd.Timedelta(days=1))))
    complete_share = n / window_days if window_days else 0.0
    base = {
        "change_date": change.date().isoformat(),
        "baseline_days": n,
        "reporting_days": m,
        "baseline_window_days": window_days,
        "baseline_complete_share": complete_share,
        "drift_rel_sd": settings.drift_rel_sd,
        "g14_cv_rmse_max_monthly": settings.g14_cv_rmse_max_monthly,
        "g14_nmbe_max_monthly": settings.g14_nmbe_max_monthly,
    }
    if n < MIN_BASELINE_DAYS or m < MIN_REPORTING_DAYS:
        return SavingsResult(
            sufficient=False,
            reason=Message(
                "savings.insufficient", before=n, need_before=MIN_BASELINE_DAYS, after=m, need_after=MIN_REPORTING_DAYS
            ),
            **base,
        )
    need = settings.baseline_days_sufficient
    short = window_days < need
    gappy = complete_share < settings.min_complete_share
    reasons: list[Message] = []
    if short:
        reasons.append(Message("savings.short_baseline", days=window_days, need=need))
    if gappy:
        reasons.append(
            Message("savings.gappy_baseline", share=complete_share, need=settings.min_complete_share)
        )
    indicative = bool(reasons)
    reason = Message("savings.indicative", reasons=join(reasons, "; ")) if indicative else ""

    region = curve.meta.holiday_region
    x_before = [np.ones(n), _h25_day(before.index, region)]
    x_after = [np.ones(m), _h25_day(after.index, region)]
    method = Message("savings.method.h25")
    temperature_used = False
    if temperature_c is not None:
        t = temperature_c.copy()
        t.index = t.index.tz_convert(tz)
        t_daily = t.resample("D").mean()
        hdd = (HDD_BASE_C - t_daily).clip(lower=0)
        hb, ha = hdd.reindex(before.index).to_numpy(), hdd.reindex(after.index).to_numpy()
        if not (np.isnan(hb).any() or np.isnan(ha).any()) and np.ptp(hb) > 0:
            x_before.append(hb)
            x_after.append(ha)
            temperature_used = True
            method = Message("savings.method.h25_hdd")
        else:
            method = Message("savings.method.h25_temperature_unused")
    xb = np.column_stack(x_before)
    xa = np.column_stack(x_after)
    y = before.to_numpy()
    coef, *_ = np.linalg.lstsq(xb, y, rcond=None)
    fitted = xb @ coef
    resid = y - fitted
    p = xb.shape[1]
    sigma = float(np.sqrt((resid**2).sum() / max(n - p, 1)))
    rho = float(np.corrcoef(resid[:-1], resid[1:])[0, 1]) if n > 3 and resid.std() > 0 else 0.0
    rho = min(max(rho, 0.0), 0.95)
    counterfactual = xa @ coef
    actual = after.to_numpy()
    saved = float((counterfactual - actual).sum())
    cf_total = float(counterfactual.sum())
    # Variance of the summed savings: autocorrelated noise over m days + parameter uncertainty
    # + a level drift between the periods (calibrated on placebo runs).
    var_noise = m * sigma**2 * (1 + rho) / (1 - rho)
    var_param = (m**2) * sigma**2 * (1 + rho) / (1 - rho) / n
    var_drift = (settings.drift_rel_sd * max(cf_total, 0.0)) ** 2
    se = math.sqrt(var_noise + var_param + var_drift)
    cv_d, nmbe_d = _cv_nmbe(y, fitted, p)
    month = before.index.tz_localize(None).to_period("M")
    days_in = pd.Series(month).map(lambda q: q.days_in_month).to_numpy()
    frame = pd.DataFrame({"y": y, "f": fitted, "m": month, "dim": days_in})
    g = frame.groupby("m").agg(y=("y", "sum"), f=("f", "sum"), n=("y", "size"), dim=("dim", "first"))
    g = g[g["n"] >= 0.9 * g["dim"]]
    cv_m, nmbe_m, g14 = math.nan, math.nan, None
    if len(g) >= 3:
        cv_m, nmbe_m = _cv_nmbe(g["y"].to_numpy(), g["f"].to_numpy(), p)
        if not math.isnan(cv_m):
            g14 = bool(cv_m <= settings.g14_cv_rmse_max_monthly and abs(nmbe_m) <= settings.g14_nmbe_max_monthly)
    result_daily = pd.DataFrame({"actual_kwh": actual, "counterfactual_kwh": counterfactual}, index=after.index)

    def eur(v: float) -> float:
        return v * price_eur_per_kwh if price_eur_per_kwh is not None else math.nan

    lo, hi = saved - Z_P90 * se, saved + Z_P90 * se
    return SavingsResult(
        sufficient=not indicative,
        indicative=indicative,
        reason=reason,
        saved_kwh=saved,
        saved_kwh_p10=lo,
        saved_kwh_p90=hi,
        saved_kwh_per_day=saved / m,
        saved_pct=100.0 * saved / cf_total if cf_total > 0 else math.nan,
        saved_eur=eur(saved),
        saved_eur_p10=eur(lo),
        saved_eur_p90=eur(hi),
        annualised_saved_kwh=saved / m * 365.0,
        reporting_kwh=float(actual.sum()),
        counterfactual_kwh=cf_total,
        baseline_cv_rmse=cv_d,
        baseline_nmbe=nmbe_d,
        baseline_cv_rmse_monthly=cv_m,
        baseline_nmbe_monthly=nmbe_m,
        g14_pass=g14,
        temperature_used=temperature_used,
        method=method,
        daily=result_daily,
        **base,
    )
