"""Rolling-origin backtests of the forecaster against the baselines Stadtwerke use today.

Protocol: origins at local midnight; for each origin every method sees only data strictly before
it and forecasts the next local day (or seven) hourly. Methods:

* ``model``: the LightGBM quantile model (P10/P50/P90);
* ``naive_daily``: same wall-clock hour on the last known day;
* ``naive_weekly``: same weekday and hour one week earlier (the MASE reference);
* ``mean_4_weekdays``: mean of the last four same weekdays at that hour;
* ``bdew_h25``: the BDEW H25 profile scaled to the household's energy in the up to 365 days
  before the origin.

All methods are scored on the same points: hours where the actual and the weekly naive value
are known. A baseline without a value at such a point (a gap in its lag) falls back to the
household's 7-day mean at that hour, then to its scale. Pooled MASE = sum |errors| / sum
|weekly-naive errors| over the same households, origins and steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from advisor.features import make_features, wall_clock_matrix
from advisor.forecast import _h25_hourly, apply_band_factors, household_band_factors

METHODS = ("model", "naive_daily", "naive_weekly", "mean_4_weekdays", "bdew_h25")
HORIZON_DAYS = {"24h": 1, "7d": 7}


@dataclass(frozen=True)
class BacktestResult:
    """Scores of a rolling-origin backtest.

    Attributes
    ----------
    pooled
        One row per method: ``mae_kwh, rmse_kwh, mase, pinball_kwh, coverage_p10_p90, n_points``.
    per_household
        One row per (household, method) with the same columns plus ``in_training`` and
        ``group`` (e.g. ``dynamic_tariff``).
    groups
        Pooled scores per household group (``group`` -> DataFrame like ``pooled``).
    points
        Every scored point: household, origin, target, actual and each method's P50 (and model
        P10/P90) [kWh per hour].
    settings
        Horizon, origins, time zone.
    """

    pooled: pd.DataFrame
    per_household: pd.DataFrame
    groups: dict[str, pd.DataFrame]
    points: pd.DataFrame = field(repr=False)
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "pooled": self.pooled.reset_index().to_dict(orient="records"),
            "groups": {g: df.reset_index().to_dict(orient="records") for g, df in self.groups.items()},
            "per_household": self.per_household.reset_index().to_dict(orient="records"),
        }


def midnight_origins(
    start: str | pd.Timestamp, end: str | pd.Timestamp, tz: str, *, n: int | None = None, horizon: str = "24h"
) -> pd.DatetimeIndex:
    """Local midnights from ``start`` such that the horizon ends by ``end``; ``n`` evenly spaced."""
    s = pd.Timestamp(start)
    e = pd.Timestamp(end)
    s = s.tz_localize(None) if s.tz is not None else s
    e = e.tz_localize(None) if e.tz is not None else e
    days = pd.date_range(s.normalize(), e.normalize() - pd.Timedelta(days=HORIZON_DAYS[horizon]), freq="D")
    if n is not None and 0 < n < len(days):
        pick = np.unique(np.round(np.linspace(0, len(days) - 1, n)).astype(int))
        days = days[pick]
    return days.tz_localize(tz)


def pinball_loss(actual: np.ndarray, quantile_pred: np.ndarray, alpha: float) -> np.ndarray:
    """Pinball (quantile) loss per point [same unit as the values]."""
    d = actual - quantile_pred
    return np.maximum(alpha * d, (alpha - 1) * d)


def _scores(actual: np.ndarray, pred: dict[str, np.ndarray], weekly: np.ndarray) -> dict[str, float]:
    err = pred["p50"] - actual
    ref = np.abs(weekly - actual).sum()
    pin = np.mean([pinball_loss(actual, pred[q], a).mean() for q, a in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))])
    inside = (actual >= pred["p10"]) & (actual <= pred["p90"])
    is_interval = bool(np.any(pred["p90"] > pred["p10"]))
    return {
        "mae_kwh": float(np.abs(err).mean()) if len(err) else np.nan,
        "rmse_kwh": float(np.sqrt((err**2).mean())) if len(err) else np.nan,
        "mase": float(np.abs(err).sum() / ref) if ref > 0 else np.nan,
        "pinball_kwh": float(pin) if len(err) else np.nan,
        "coverage_p10_p90": float(inside.mean()) if is_interval and len(err) else np.nan,
        "n_points": int(len(err)),
    }


def _score_table(points: pd.DataFrame) -> pd.DataFrame:
    actual = points["actual_kwh"].to_numpy()
    weekly = points["naive_weekly"].to_numpy()
    rows = {}
    for m in METHODS:
        if m == "model":
            if "model_p50" not in points:
                continue
            pred = {q: points[f"model_{q}"].to_numpy() for q in ("p10", "p50", "p90")}
        else:
            v = points[m].to_numpy()
            pred = {"p10": v, "p50": v, "p90": v}
        rows[m] = _scores(actual, pred, weekly)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "method"
    return out


def backtest(
    series: Mapping[str, pd.Series],
    origins: pd.DatetimeIndex,
    *,
    model: Any = None,
    tz: str,
    holiday_region: str,
    horizon: str = "24h",
    training_households: Iterable[str] = (),
    groups: Mapping[str, str] | None = None,
    adaptive: bool = True,
) -> BacktestResult:
    """Rolling-origin evaluation of ``model`` and the baselines on hourly data.

    Parameters
    ----------
    series
        Hourly energy [kWh] per household id (tz-aware).
    origins
        Local midnights (tz-aware) to forecast from; data strictly before each is used.
    model
        Fitted :class:`~advisor.forecast.LoadForecaster`, or None for baselines only.
    tz, holiday_region
        Local time zone and holiday region of the households.
    horizon
        ``"24h"`` (one local day) or ``"7d"``.
    training_households
        Ids in the model's training data; flagged in the per-household table.
    groups
        Optional group label per household (e.g. ``"dynamic_tariff"``); others are ``"standard"``.
    adaptive
        Scale the model's bands by the household's own recent misses, as :func:`forecast` does
        (:func:`~advisor.forecast.household_band_factors`, from data before each origin only).
        The globally calibrated bands are kept as ``model_global_p10/p90`` in ``points``.
    """
    if horizon not in HORIZON_DAYS:
        raise ValueError(f"`horizon` must be one of {list(HORIZON_DAYS)}; got {horizon!r}")
    trained = set(training_households)
    groups = dict(groups or {})
    frames = []
    for hh, s in series.items():
        s = s.sort_index()
        o_list, t_list = [], []
        for o in origins:
            stop = (o.tz_localize(None) + pd.DateOffset(days=HORIZON_DAYS[horizon])).tz_localize(tz)
            tgt = pd.date_range(o.tz_convert("UTC"), stop.tz_convert("UTC"), freq="h", inclusive="left")
            o_list.append(np.full(len(tgt), o.tz_convert("UTC").as_unit("ns").value))
            t_list.append(tgt.as_unit("ns").asi8)
        origin_utc = pd.DatetimeIndex(np.concatenate(o_list)).tz_localize("UTC")
        target_utc = pd.DatetimeIndex(np.concatenate(t_list)).tz_localize("UTC")
        actual = s.reindex(target_utc).to_numpy()
        has = ~np.isnan(actual)
        if not has.any():
            continue
        # Features per origin from data strictly before it (the matrix holds all data; the
        # feature code reads only cells before each row's origin).
        matrix = wall_clock_matrix(s, tz)
        feats, scale = make_features(matrix, origin_utc, target_utc, holiday_region=holiday_region)
        base = {
            "naive_daily": feats["lag_day"].to_numpy() * scale,
            "naive_weekly": feats["lag_week"].to_numpy() * scale,
            "mean_4_weekdays": feats["mean_4w_same_weekday"].to_numpy() * scale,
        }
        fallback = (
            np.where(np.isnan(feats["mean_7d_same_hour"].to_numpy()), 1.0, feats["mean_7d_same_hour"].to_numpy())
            * scale
        )
        base["bdew_h25"] = _h25_baseline(s, origin_utc, target_utc, tz, holiday_region)
        keep = has & ~np.isnan(base["naive_weekly"])
        row = {
            "household": hh,
            "origin_utc": origin_utc[keep],
            "target_utc": target_utc[keep],
            "step_h": feats["step_h"].to_numpy()[keep],
            "actual_kwh": actual[keep],
        }
        for k, v in base.items():
            row[k] = np.where(np.isnan(v), fallback, v)[keep]
        if model is not None:
            pred = model.predict_frame(feats.loc[keep].reset_index(drop=True), scale[keep])
            row["model_global_p10"] = pred["p10"].to_numpy()
            row["model_global_p90"] = pred["p90"].to_numpy()
            if adaptive:
                k_lo, k_hi, _ = household_band_factors(
                    model, s, origins.tz_convert("UTC"), tz=tz, holiday_region=holiday_region, matrix=matrix
                )
                pos = pd.DatetimeIndex(origins.tz_convert("UTC")).get_indexer(origin_utc[keep])
                pred = apply_band_factors(pred, k_lo[pos], k_hi[pos], scale[keep])
            for q in ("p10", "p50", "p90"):
                row[f"model_{q}"] = pred[q].to_numpy()
        frames.append(pd.DataFrame(row))
    if not frames:
        raise ValueError("no household has data at the backtest origins")
    points = pd.concat(frames, ignore_index=True)
    pooled = _score_table(points)
    per = []
    for hh, part in points.groupby("household", sort=True):
        t = _score_table(part).reset_index()
        t.insert(0, "household", hh)
        t["in_training"] = hh in trained
        t["group"] = groups.get(hh, "standard")
        per.append(t)
    per_household = pd.concat(per, ignore_index=True).set_index(["household", "method"])
    group_tables = {}
    points_group = points["household"].map(lambda h: groups.get(h, "standard"))
    for g in sorted(set(points_group)):
        group_tables[g] = _score_table(points[points_group == g])
    if trained:
        in_tr = points["household"].isin(trained)
        if in_tr.any():
            group_tables["in_training"] = _score_table(points[in_tr])
        if (~in_tr).any():
            group_tables["held_out"] = _score_table(points[~in_tr])
    settings = {
        "horizon": horizon,
        "n_origins": int(len(origins)),
        "first_origin": origins[0].isoformat() if len(origins) else None,
        "last_origin": origins[-1].isoformat() if len(origins) else None,
        "tz": tz,
        "holiday_region": holiday_region,
        "n_households": int(points["household"].nunique()),
    }
    return BacktestResult(
        pooled=pooled, per_household=per_household, groups=group_tables, points=points, settings=settings
    )


def _h25_baseline(
    s: pd.Series, origin_utc: pd.DatetimeIndex, target_utc: pd.DatetimeIndex, tz: str, holiday_region: str
) -> np.ndarray:
    """H25 scaled per origin to the household's known energy in the 365 days before it."""
    lo = min(s.index[0], target_utc[0])
    hi = max(s.index[-1], target_utc[-1])
    grid = pd.date_range(lo.tz_convert("UTC"), hi.tz_convert("UTC"), freq="h")
    w = _h25_hourly(grid, tz, holiday_region).to_numpy()
    v = s.reindex(grid).to_numpy()
    known = ~np.isnan(v)
    cs_v = np.concatenate([[0.0], np.cumsum(np.where(known, v, 0.0))])
    cs_w = np.concatenate([[0.0], np.cumsum(np.where(known, w, 0.0))])
    pos_o = grid.get_indexer(origin_utc)
    pos_s = np.clip(pos_o - 365 * 24, 0, None)
    e = cs_v[pos_o] - cs_v[pos_s]
    ww = cs_w[pos_o] - cs_w[pos_s]
    k = np.where(ww > 0, e / np.where(ww > 0, ww, 1.0), np.nan)
    return k * w[grid.get_indexer(target_utc)]


def monthly_backtest(
    series: Mapping[str, pd.Series], *, tz: str, holiday_region: str, split: str | pd.Timestamp
) -> pd.DataFrame:
    """Long horizon: monthly totals after ``split`` from the data before it.

    Compares the forecaster's monthly method (H25 fitted as ``a + b * H25``) with the H25 profile
    scaled to the first part. Returns one row per (household, month): actual, both predictions
    [kWh] and absolute percentage errors.
    """
    from advisor.forecast import _daily_h25, fit_monthly

    split_ts = pd.Timestamp(split)
    split_ts = split_ts.tz_localize(tz) if split_ts.tz is None else split_ts
    rows = []
    for hh, s in series.items():
        local = s.copy()
        local.index = local.index.tz_convert(tz)
        grouped = local.resample("D")
        daily = grouped.sum(min_count=1).where(grouped.count() >= 23)
        first, rest = daily[daily.index < split_ts], daily[daily.index >= split_ts]
        if first.notna().sum() < 90 or rest.notna().sum() < 60:
            continue
        fit = fit_monthly(first, tz, holiday_region)
        h_first = _daily_h25(first.index, tz, holiday_region)
        ok_first = first.notna()
        k = first[ok_first].sum() / h_first[ok_first].sum()
        h_rest = _daily_h25(rest.index, tz, holiday_region)
        pred_model = fit.base_kwh_per_day + fit.profile_kwh_per_day * h_rest
        pred_h25 = k * h_rest
        ok = rest.notna()
        month = rest.index.tz_localize(None).to_period("M")
        for m in sorted(set(month)):
            sel = (month == m) & ok.to_numpy()
            n_days = int(sel.sum())
            if n_days < 0.9 * (month == m).sum():
                continue
            act = float(rest[sel].sum())
            pm = float(pred_model[sel].sum())
            ph = float(pred_h25[sel].sum())
            rows.append(
                {
                    "household": hh,
                    "month": str(m),
                    "actual_kwh": act,
                    "model_kwh": pm,
                    "bdew_h25_kwh": ph,
                    "model_ape": abs(pm - act) / act if act > 0 else np.nan,
                    "bdew_h25_ape": abs(ph - act) / act if act > 0 else np.nan,
                    "fit_method": fit.method,
                }
            )
    return pd.DataFrame(rows)
