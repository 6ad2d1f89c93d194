"""Load forecasts: a global LightGBM model (24 h, 7 days) and monthly totals for 12 months.

How it works
------------
* **One global model across households.** Each household's hourly energy is divided by its own
  scale (mean hourly energy of the 28 days before the origin); the model learns the relative
  shape from calendar features and wall-clock lags (:mod:`advisor.features`).
* **Direct multi-horizon.** Every (origin, target hour) pair is one row with the step and days
  ahead as features; nothing is fed back recursively.
* **Quantiles.** Three LightGBM models with the quantile objective (P10, P50, P90), then
  conformal offsets per horizon band fitted on the last weeks before the training cut-off, which
  the models did not see (split-conformal calibration, one side each).
* **Resolution.** The model works hourly. A 15- or 30-minute curve is aggregated to hours,
  forecast, and split back with the household's own intra-hour shape (the mean share of each
  sub-interval in its hour, by local hour of day, over the last 28 days).
* **12 months.** Monthly totals from the BDEW H25 profile fitted to the household's daily
  energy (``daily = a + b * H25``, recent days weighted more, so the seasonal amplitude and the
  level are the household's own); P10/P90 come
  from the distribution of monthly-total errors measured on the training households, never from
  summing interval quantiles.
* **Cold start** (less than 14 days of history): the H25 profile scaled to the energy known so
  far, with bands from the spread of hourly energy around that profile; the result says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from advisor.errors import AdvisorError, NotFittedError
from advisor.features import (
    TEMPERATURE_FEATURE,
    hourly_energy_kwh,
    make_features,
    target_hours,
    wall_clock_matrix,
)
from advisor.loadcurve import Direction, LoadCurve, validate_load_curve
from advisor.profiles import bdew_shape
from advisor.registry import DEFAULT_MODEL_NAME, default_model_dir, read_model  # noqa: F401 - re-exported
from advisor.texts import Message, join, text_fields
from advisor.units import freq_of
from advisor.weather import WeatherError, temperature_climatology, try_region

HORIZONS = ("24h", "7d", "12mo")
QUANTILES = {"p10": 0.1, "p50": 0.5, "p90": 0.9}
COLD_START_DAYS = 14
MIN_HISTORY_DAYS_TRAINING = 14
# Horizon bands (upper bound of the step [h]) with their own conformal offsets.
BAND_EDGES_H = (24, 72, 200)
# Recency weighting of the monthly fit (chosen on the London Jan-Jun -> Jul-Dec split; see docs).
MONTHLY_HALF_LIFE_DAYS = 30.0
# Year ahead from a measured year (>= YEAR_DAYS days): the household's own months, a damped
# year-over-year trend (with >= 2 years), blended with the H25 fit at weight YEAR_BLEND_GLOBAL.
# Not tuned on data (the shared data has one year per household); see docs/forecasting.md.
YEAR_DAYS = 365
# Heating degree days in the 12-month H25 fit (fewer than YEAR_DAYS days of data): base
# temperature as in advisor.savings (15 °C), kept only when positive and significant and when
# enough days of the history needed heating (CalTRACK's rule for its heating term).
HDD_BASE_C = 15.0
HDD_MIN_T_STAT = 2.0
HDD_MIN_KELVIN = 2.0
HDD_MIN_HEATING_DAYS = 30
YEAR_BLEND_GLOBAL = 0.2
# The H25 fit gets its full blend weight only where it explains the household's own months: the
# weight falls linearly from YEAR_BLEND_GLOBAL at a median |log(month / fit)| of YEAR_MISFIT_FULL
# to 0 at YEAR_MISFIT_ZERO (a household behind its own PV is far from H25 in summer).
YEAR_MISFIT_FULL = 0.10
YEAR_MISFIT_ZERO = 0.20
YEAR_TREND_DAMPING = 0.5
YEAR_TREND_RANGE = (0.8, 1.25)
# A month of the last year counts as measured with at least this many complete days.
YEAR_MIN_DAYS_PER_MONTH = 10
# Household-adaptive band calibration: the model's own day-ahead misses on the household's last
# ADAPT_DAYS days set a factor on the distance P50-P10 and P90-P50 (shrunk towards 1 with
# ADAPT_PRIOR_POINTS pseudo-points, clipped to ADAPT_FACTOR_RANGE; see docs/forecasting.md).
ADAPT_DAYS = 14
# Every ADAPT_HOUR_STEP-th hour of those days is scored (the phase rotates by day, so every hour
# of the day is represented); keeps the extra LightGBM rows of one forecast at ~170.
ADAPT_HOUR_STEP = 2
ADAPT_PRIOR_POINTS = 48.0
ADAPT_MIN_POINTS = 24
ADAPT_FACTOR_RANGE = (0.6, 4.0)
# Floor of a band half-width when scoring/applying factors [share of the household scale].
ADAPT_WIDTH_FLOOR = 0.02

DEFAULT_PARAMS: dict[str, Any] = {
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 800,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.7,
    "bagging_freq": 1,
    "lambda_l2": 10.0,
    "max_bin": 63,
    "num_threads": 1,
    "seed": 7,
    "deterministic": True,
    "verbose": -1,
}
# Leaves of >= 800 rows, L2 10 and 150 rounds: chosen on the validation split of
# benchmarks/bench_forecast_tune.py (July-September, households held out), not on the test period.
DEFAULT_ROUNDS = 150
# Target normalisation (issue 16): the quantile models learn the target hour relative to the
# household's own mean at that wall-clock hour over the last 28 days (a feature, already relative
# to the household scale), floored at TARGET_NORM_FLOOR x scale so a night hour near zero does not
# blow the ratio up. Rows are weighted by scale x normaliser, so the loss is still the pooled
# absolute (pinball) error in kWh. Chosen on the validation split (bench_forecast_tune.py).
TARGET_NORMALISER = "mean_28d_same_hour"
TARGET_NORM_FLOOR = 0.05


class ForecastError(AdvisorError, ValueError):
    """A forecast cannot be made from what was given (unknown horizon, no data)."""


@dataclass(frozen=True)
class TrainingFrame:
    """Feature rows for training or evaluation.

    Attributes
    ----------
    features
        One row per (household, origin, target hour); columns of :data:`FEATURE_NAMES`.
    target
        Energy of the target hour divided by the household scale [-].
    scale_kwh
        Household scale of each row [kWh per hour].
    household
        Household id of each row.
    origin_utc, target_utc
        Origin and target hour start of each row (UTC).
    """

    features: pd.DataFrame
    target: np.ndarray
    scale_kwh: np.ndarray
    household: np.ndarray
    origin_utc: pd.DatetimeIndex
    target_utc: pd.DatetimeIndex

    def subset(self, mask: np.ndarray) -> TrainingFrame:
        return TrainingFrame(
            self.features.loc[mask].reset_index(drop=True),
            self.target[mask],
            self.scale_kwh[mask],
            self.household[mask],
            self.origin_utc[mask],
            self.target_utc[mask],
        )

    def __len__(self) -> int:
        return len(self.target)


def long_table_hourly(
    table: pd.DataFrame,
    *,
    id_col: str = "lclid",
    time_col: str = "timestamp_utc",
    value_col: str = "kwh",
    households: list[str] | None = None,
) -> dict[str, pd.Series]:
    """Hourly energy [kWh] per household from a long table with tz-aware (UTC) timestamps.

    Missing rows become missing values; an hour with any missing sub-interval is missing.
    """
    out: dict[str, pd.Series] = {}
    ts = pd.to_datetime(table[time_col], utc=True)
    frame = pd.DataFrame({"id": table[id_col].astype(str).to_numpy(), "t": ts, "v": table[value_col].astype(float)})
    for hh, part in frame.groupby("id", sort=True):
        if households is not None and hh not in households:
            continue
        s = pd.Series(part["v"].to_numpy(), index=pd.DatetimeIndex(part["t"])).sort_index()
        s = s[~s.index.duplicated()]
        if len(s) < 2:
            continue
        step = int(np.median(np.diff(s.index.asi8)) // 60_000_000_000)
        step = step if step in (15, 30, 60) else 30
        grid = pd.date_range(
            s.index[0].floor("h"), s.index[-1].floor("h") + pd.Timedelta(minutes=60 - step), freq=freq_of(step)
        )
        s = s.reindex(grid)
        out[str(hh)] = hourly_energy_kwh(s, step)
    return out


def training_frame(
    series: Mapping[str, pd.Series],
    *,
    tz: str,
    holiday_region: str,
    before: pd.Timestamp | None = None,
    horizon_hours: int = 168,
    long_origin_every_days: int = 14,
    origins_from: pd.Timestamp | None = None,
    seed: int = 0,
    temperature: Mapping[str, pd.Series] | None = None,
) -> TrainingFrame:
    """Feature rows of many households: day-ahead rows from every local midnight, plus 7-day rows.

    Parameters
    ----------
    series
        Hourly energy [kWh] per household id (tz-aware index).
    tz, holiday_region
        Local time zone and holiday region of the households.
    before
        Only targets before this instant are used (the training cut-off).
    horizon_hours
        Longest step [h]; rows beyond 24 h come from origins every ``long_origin_every_days`` at
        a varying local hour, so the model also serves origins that are not at midnight.
    origins_from
        Only origins at or after this instant (for calibration sets).
    temperature
        Optional hourly temperature [°C] per household (or under key ``"*"`` for all).
    """
    rng = np.random.default_rng(seed)
    parts = []
    for hh, s in series.items():
        if s.notna().sum() < MIN_HISTORY_DAYS_TRAINING * 24:
            continue
        matrix = wall_clock_matrix(s, tz)
        local = s.index.tz_convert(tz)
        first_day = local[0].normalize() + pd.Timedelta(days=MIN_HISTORY_DAYS_TRAINING)
        last = local[-1]
        days = pd.date_range(first_day.tz_localize(None), last.tz_localize(None).normalize(), freq="D").tz_localize(
            tz, nonexistent="shift_forward", ambiguous=False
        )
        if origins_from is not None:
            days = days[days >= origins_from]
        if before is not None:
            days = days[days < before]
        if len(days) == 0:
            continue
        o_list = [days]
        n_list = [24]
        long_days = days[:: max(1, long_origin_every_days)]
        if horizon_hours > 24 and len(long_days):
            hours = rng.integers(0, 24, size=len(long_days))
            long_origins = (long_days + pd.to_timedelta(hours, unit="h")).tz_convert("UTC")
            o_list.append(long_origins)
            n_list.append(horizon_hours)
        for origins, n in zip(o_list, n_list, strict=True):
            o_utc = origins.tz_convert("UTC")
            steps = np.arange(n)
            origin_rep = o_utc.repeat(n)
            target = origin_rep + pd.to_timedelta(np.tile(steps, len(o_utc)), unit="h")
            y = s.reindex(target).to_numpy()
            keep = ~np.isnan(y)
            if before is not None:
                keep &= target < before
            if n > 24:
                keep &= np.tile(steps, len(o_utc)) >= 0
            if not keep.any():
                continue
            origin_rep, target, y = origin_rep[keep], target[keep], y[keep]
            temp = None
            if temperature is not None:
                ts = temperature.get(hh, temperature.get("*"))
                if ts is not None:
                    temp = ts.reindex(target).to_numpy()
            feats, scale = make_features(matrix, origin_rep, target, holiday_region=holiday_region, temperature_c=temp)
            parts.append((feats, y / scale, scale, np.full(len(y), hh, dtype=object), origin_rep, target))
    if not parts:
        raise ForecastError("no training rows: every household has fewer than 14 days of data before the cut-off")
    feats = pd.concat([p[0] for p in parts], ignore_index=True)
    return TrainingFrame(
        features=feats,
        target=np.concatenate([p[1] for p in parts]),
        scale_kwh=np.concatenate([p[2] for p in parts]),
        household=np.concatenate([p[3] for p in parts]),
        origin_utc=pd.DatetimeIndex(np.concatenate([p[4].as_unit("ns").asi8 for p in parts])).tz_localize("UTC"),
        target_utc=pd.DatetimeIndex(np.concatenate([p[5].as_unit("ns").asi8 for p in parts])).tz_localize("UTC"),
    )


def _normalised(rows: TrainingFrame, model: LoadForecaster) -> TrainingFrame:
    """``rows`` with the target divided by the model's normaliser and the weight multiplied by it."""
    m = model._normaliser(rows.features)
    if not model.target_normaliser:
        return rows
    return replace(rows, target=rows.target / m, scale_kwh=rows.scale_kwh * m)


def _band_of(step_h: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.asarray(BAND_EDGES_H), step_h, side="left").clip(0, len(BAND_EDGES_H) - 1)


class LoadForecaster:
    """Global LightGBM load forecaster with P10/P50/P90 (hourly inside).

    Parameters
    ----------
    n_rounds
        Boosting rounds per quantile model.
    **params
        LightGBM parameters overriding :data:`DEFAULT_PARAMS`.

    Attributes
    ----------
    boosters_
        ``{"p10", "p50", "p90"}`` -> ``lightgbm.Booster`` once fitted or loaded.
    feature_names_
        Feature columns, in order.
    calibration_
        Conformal offsets per horizon band in scaled units: ``{"band_edges_h", "p10", "p90"}``.
    cold_start_ratio_
        Quantiles of hourly energy relative to the scaled H25 profile (``p10``, ``p90``).
    monthly_log_error_
        Quantiles of log(actual / predicted) monthly totals (``p10``, ``p90``).
    info_
        Free-form metadata (training range, fingerprint, metrics) written to ``meta.json``.
    """

    def __init__(
        self, n_rounds: int = DEFAULT_ROUNDS, target_normaliser: str | None = TARGET_NORMALISER, **params: Any
    ) -> None:
        self.n_rounds = int(n_rounds)
        self.target_normaliser = target_normaliser
        self.params = {**DEFAULT_PARAMS, **params}

    def _normaliser(self, features: pd.DataFrame) -> np.ndarray:
        """Per-row divisor of the (scale-relative) target: 1, or the floored normalising feature."""
        if not self.target_normaliser:
            return np.ones(len(features))
        m = features[self.target_normaliser].to_numpy(dtype=float)
        return np.maximum(np.nan_to_num(m, nan=1.0), TARGET_NORM_FLOOR)

    def _raw_predictions(self, features: pd.DataFrame) -> dict[str, np.ndarray]:
        """Uncalibrated quantile predictions relative to the household scale [-]."""
        x = features[self.feature_names_].to_numpy(dtype=np.float64)
        m = self._normaliser(features)
        return {name: b.predict(x, num_threads=1) * m for name, b in self.boosters_.items()}

    # ---- state ---------------------------------------------------------------------------
    @property
    def is_fitted(self) -> bool:
        return hasattr(self, "boosters_")

    def _check_fitted(self) -> None:
        if not self.is_fitted:
            raise NotFittedError(
                "this LoadForecaster is not fitted yet; call `fit(...)` or load one with `load_forecaster(path)`"
            )

    @property
    def uses_temperature(self) -> bool:
        self._check_fitted()
        return TEMPERATURE_FEATURE in self.feature_names_

    # ---- fitting ---------------------------------------------------------------------------
    def fit(
        self,
        series: Mapping[str, pd.Series],
        *,
        tz: str,
        holiday_region: str,
        before: pd.Timestamp | None = None,
        calibration_days: int = 28,
        horizon_hours: int = 168,
        temperature: Mapping[str, pd.Series] | None = None,
        engine: str = "local",
        client: Any = None,
    ) -> LoadForecaster:
        """Fit the quantile models on hourly energy of many households; calibrate the bands.

        Parameters
        ----------
        series
            Hourly energy [kWh] per household id (tz-aware index). Not modified.
        tz, holiday_region
            Local time zone and holiday region of these households.
        before
            Training cut-off: no target at or after it is used. Default: end of the data.
        calibration_days
            The last days before the cut-off are kept out of the model fit and used to calibrate
            the P10/P90 bands (split conformal).
        temperature
            Optional measured hourly temperature [°C] per household (key ``"*"`` for all).
        engine
            ``"local"`` (lightgbm.train) or ``"dask"`` (lightgbm.DaskLGBMRegressor on ``client``).
        client
            A ``distributed.Client`` for ``engine="dask"``.
        """
        import lightgbm as lgb

        if before is None:
            before = max(s.index[-1] for s in series.values()) + pd.Timedelta(hours=1)
        before = pd.Timestamp(before)
        if before.tz is None:
            before = before.tz_localize(tz)
        cal_start = (before.tz_convert(tz).normalize() - pd.Timedelta(days=calibration_days)).tz_convert("UTC")
        frame = training_frame(
            series,
            tz=tz,
            holiday_region=holiday_region,
            before=before,
            horizon_hours=horizon_hours,
            temperature=temperature,
        )
        if self.target_normaliser and self.target_normaliser not in frame.features.columns:
            raise ForecastError(
                f"`target_normaliser` must be one of the features {list(frame.features.columns)}; "
                f"got {self.target_normaliser!r}"
            )
        train_mask = np.asarray(frame.target_utc < cal_start)
        cal_mask = np.asarray(frame.origin_utc >= cal_start)
        if train_mask.sum() < 1000 or cal_mask.sum() < 100:
            train_mask = np.ones(len(frame), dtype=bool)
            cal_mask = train_mask
        train = frame.subset(train_mask)
        cal = frame.subset(cal_mask)
        self.feature_names_ = list(train.features.columns)
        boosters = {}
        # P10/P90 are fitted without the calibration days (their offsets are measured there);
        # P50 is fitted on every row: the most recent weeks are the closest to what comes next.
        fit_sets = {"p10": _normalised(train, self), "p50": _normalised(frame, self), "p90": None}
        fit_sets["p90"] = fit_sets["p10"]
        datasets: dict[int, Any] = {}
        for name, alpha in QUANTILES.items():
            params = {**self.params, "objective": "quantile", "alpha": alpha}
            rows = fit_sets[name]
            if engine == "dask":
                boosters[name] = _fit_dask(rows, params, self.n_rounds, client)
            else:
                if id(rows) not in datasets:
                    datasets[id(rows)] = lgb.Dataset(
                        rows.features, label=rows.target, weight=rows.scale_kwh, free_raw_data=False
                    )
                boosters[name] = lgb.train(params, datasets[id(rows)], num_boost_round=self.n_rounds)
        self.boosters_ = boosters
        self.calibration_ = {
            "band_edges_h": list(BAND_EDGES_H),
            "p10": [0.0] * len(BAND_EDGES_H),
            "p90": [0.0] * len(BAND_EDGES_H),
        }
        self.calibration_ = _conformal_offsets(self, cal)
        self.cold_start_ratio_ = _cold_start_ratios(series, tz=tz, holiday_region=holiday_region, before=before)
        self.monthly_log_error_ = _monthly_log_errors(series, tz=tz, holiday_region=holiday_region, before=before)
        self.info_ = {
            "tz": tz,
            "holiday_region": holiday_region,
            "before": before.isoformat(),
            "calibration_from": cal_start.isoformat(),
            "n_training_rows": int(len(train)),
            "n_training_rows_p50": int(len(frame)),
            "n_calibration_rows": int(len(cal)),
            "n_rounds": self.n_rounds,
            "households": sorted(series.keys()),
            "engine": engine,
        }
        return self

    # ---- prediction -------------------------------------------------------------------------
    def predict_frame(self, features: pd.DataFrame, scale_kwh: np.ndarray) -> pd.DataFrame:
        """P10/P50/P90 [kWh per hour] for feature rows (calibrated, ordered, non-negative)."""
        self._check_fitted()
        missing = [c for c in self.feature_names_ if c not in features.columns]
        if missing:
            raise ForecastError(f"feature rows lack {missing}; this model needs {self.feature_names_}")
        # numpy, not pandas, into LightGBM: the columns are already in the model's order and the
        # pandas conversion costs ~5 ms a call (the 24-h forecast stays well under 50 ms)
        raw = self._raw_predictions(features)
        band = _band_of(features["step_h"].to_numpy())
        cal = self.calibration_
        p10 = raw["p10"] - np.asarray(cal["p10"])[band]
        p90 = raw["p90"] + np.asarray(cal["p90"])[band]
        p50 = raw["p50"]
        stacked = np.sort(np.vstack([p10, p50, p90]), axis=0).clip(min=0.0)
        return pd.DataFrame(stacked.T * np.asarray(scale_kwh)[:, None], columns=["p10", "p50", "p90"])

    def predict_hourly(
        self,
        hourly_kwh: pd.Series,
        origin_utc: pd.Timestamp,
        n_hours: int,
        *,
        tz: str,
        holiday_region: str,
        temperature_c: pd.Series | None = None,
        adapt: bool = True,
    ) -> pd.DataFrame:
        """Forecast ``n_hours`` hours from ``origin_utc`` using only hours before it.

        With ``adapt`` (default) the P10/P90 distances from P50 are scaled by the household's
        own factors (:func:`household_band_factors`), from its last :data:`ADAPT_DAYS` days.

        Returns a DataFrame ``p10, p50, p90`` [kWh per hour] indexed by hour start in ``tz``;
        ``attrs["band_factors"]`` holds the factors used (``lo``, ``hi``, ``n_points``).
        """
        self._check_fitted()
        origin_utc = pd.Timestamp(origin_utc).tz_convert("UTC")
        known = hourly_kwh[hourly_kwh.index < origin_utc]
        if known.notna().sum() == 0:
            raise ForecastError("no data before the forecast origin")
        matrix = wall_clock_matrix(known, tz)
        target = target_hours(origin_utc, n_hours)
        origin = pd.DatetimeIndex([origin_utc] * n_hours)
        cal = _calibration_rows(known, pd.DatetimeIndex([origin_utc]), tz) if adapt else None
        n_cal = 0
        if cal is not None:
            n_cal = len(cal[2])
            origin = cal[0].append(origin)
            all_target = cal[1].append(target)
        else:
            all_target = target
        temp = None
        if self.uses_temperature:
            temp = (
                np.full(len(all_target), np.nan)
                if temperature_c is None
                else temperature_c.reindex(all_target).to_numpy(dtype=float)
            )
        feats, scale = make_features(matrix, origin, all_target, holiday_region=holiday_region, temperature_c=temp)
        pred = self.predict_frame(feats, scale)
        out = pred.iloc[n_cal:].reset_index(drop=True)
        factors = {"lo": 1.0, "hi": 1.0, "n_points": 0}
        if adapt:
            k_lo, k_hi, n_pts = _factors_from(pred.iloc[:n_cal], cal, scale[:n_cal], pd.DatetimeIndex([origin_utc]))
            out = apply_band_factors(out, k_lo, k_hi, scale[n_cal:])
            factors = {"lo": float(k_lo[0]), "hi": float(k_hi[0]), "n_points": int(n_pts[0])}
        out.index = target.tz_convert(tz)
        out.index.name = "interval_start"
        out.attrs["band_factors"] = factors
        return out


def apply_band_factors(pred: pd.DataFrame, k_lo: np.ndarray, k_hi: np.ndarray, scale_kwh: np.ndarray) -> pd.DataFrame:
    """Scale the distances P50-P10 and P90-P50 of ``pred`` [kWh] by per-row factors; clip at 0."""
    p10, p50, p90 = (pred[c].to_numpy() for c in ("p10", "p50", "p90"))
    floor = ADAPT_WIDTH_FLOOR * np.asarray(scale_kwh, dtype=float)
    lo = p50 - np.asarray(k_lo) * np.maximum(p50 - p10, floor)
    hi = p50 + np.asarray(k_hi) * np.maximum(p90 - p50, floor)
    out = pd.DataFrame({"p10": np.clip(lo, 0.0, None), "p50": p50, "p90": hi}, index=pred.index)
    out.attrs = dict(pred.attrs)
    return out


def _shrunk_factor(r: np.ndarray) -> float:
    """Conformal factor from band-relative misses ``r`` (>1: outside), shrunk towards 1."""
    n = len(r)
    if n < ADAPT_MIN_POINTS:
        return 1.0
    level = min(1.0, math.ceil((n + 1) * 0.9) / n)
    q = float(np.quantile(r, level))
    lo, hi = ADAPT_FACTOR_RANGE
    q = min(max(q, lo), hi)
    w = n / (n + ADAPT_PRIOR_POINTS)
    return float(math.exp(w * math.log(q)))


def household_band_factors(
    model: LoadForecaster,
    hourly_kwh: pd.Series,
    origins_utc: pd.DatetimeIndex,
    *,
    tz: str,
    holiday_region: str,
    temperature_c: pd.Series | None = None,
    matrix: Any = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-origin factors on the band half-widths, from the household's own recent misses.

    For every local midnight in the :data:`ADAPT_DAYS` days before an origin the (globally
    calibrated) model forecasts that day from the data before it; each known hour gives
    ``r_lo = (P50 - y) / (P50 - P10)`` and ``r_hi = (y - P50) / (P90 - P50)`` (half-widths
    floored at :data:`ADAPT_WIDTH_FLOOR` x scale). The factor is the split-conformal 90 %
    quantile of those ratios (so 10 % of the household's recent hours fall beyond each side),
    shrunk towards 1 by ``n / (n + ADAPT_PRIOR_POINTS)`` in log space. Only hours before the
    origin are used. Returns ``(k_lo, k_hi, n_points)`` arrays, one entry per origin.
    """
    origins_utc = pd.DatetimeIndex(origins_utc).tz_convert("UTC")
    cal = _calibration_rows(hourly_kwh, origins_utc, tz)
    if cal is None:
        return np.ones(len(origins_utc)), np.ones(len(origins_utc)), np.zeros(len(origins_utc), dtype=int)
    origin_rep, target, _ = cal
    if matrix is None:
        matrix = wall_clock_matrix(hourly_kwh[hourly_kwh.index < origins_utc.max()], tz)
    temp = None
    if model.uses_temperature:
        temp = (
            np.full(len(target), np.nan)
            if temperature_c is None
            else temperature_c.reindex(target).to_numpy(dtype=float)
        )
    feats, scale = make_features(matrix, origin_rep, target, holiday_region=holiday_region, temperature_c=temp)
    return _factors_from(model.predict_frame(feats, scale), cal, scale, origins_utc)


def _calibration_rows(
    hourly_kwh: pd.Series, origins_utc: pd.DatetimeIndex, tz: str
) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex, np.ndarray] | None:
    """Day-ahead rows (origin, target, actual) from the local midnights of the last ADAPT_DAYS days."""
    if len(origins_utc) == 0:
        return None
    known = hourly_kwh.dropna()
    if known.empty:
        return None
    first = (origins_utc.min().tz_convert(tz).normalize() - pd.Timedelta(days=ADAPT_DAYS)).tz_localize(None)
    first = max(first, known.index[0].tz_convert(tz).tz_localize(None).normalize() + pd.Timedelta(days=7))
    last = origins_utc.max().tz_convert(tz).tz_localize(None).normalize()
    if first > last:
        return None
    days = pd.date_range(first, last, freq="D").tz_localize(tz, nonexistent="shift_forward", ambiguous=False)
    d_utc = days.tz_convert("UTC")
    origin_rep = d_utc.repeat(24)
    steps = np.tile(np.arange(24), len(d_utc))
    day_no = np.repeat(np.arange(len(d_utc)), 24)
    target = origin_rep + pd.to_timedelta(steps, unit="h")
    y = hourly_kwh.reindex(target).to_numpy(dtype=float)
    keep = ~np.isnan(y) & (target < origins_utc.max()) & ((steps + day_no) % ADAPT_HOUR_STEP == 0)
    if not keep.any():
        return None
    return origin_rep[keep], target[keep], y[keep]


def _factors_from(
    pred: pd.DataFrame, cal: Any, scale: np.ndarray, origins_utc: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k_lo = np.ones(len(origins_utc))
    k_hi = np.ones(len(origins_utc))
    n_pts = np.zeros(len(origins_utc), dtype=int)
    if cal is None or len(pred) == 0:
        return k_lo, k_hi, n_pts
    origin_rep, target, y = cal
    p10, p50, p90 = (pred[c].to_numpy() for c in ("p10", "p50", "p90"))
    floor = ADAPT_WIDTH_FLOOR * np.asarray(scale)
    r_lo = (p50 - y) / np.maximum(p50 - p10, floor)
    r_hi = (y - p50) / np.maximum(p90 - p50, floor)
    o_ns = origin_rep.as_unit("ns").asi8
    t_ns = target.as_unit("ns").asi8
    window = ADAPT_DAYS * 86_400 * 10**9
    for i, o in enumerate(origins_utc.as_unit("ns").asi8):
        m = (t_ns < o) & (o_ns >= o - window)
        n = int(m.sum())
        n_pts[i] = n
        if n >= ADAPT_MIN_POINTS:
            k_lo[i] = _shrunk_factor(r_lo[m])
            k_hi[i] = _shrunk_factor(r_hi[m])
    return k_lo, k_hi, n_pts


def _fit_dask(train: TrainingFrame, params: dict, n_rounds: int, client: Any):
    import dask.dataframe as dd
    import lightgbm as lgb

    if client is None:
        raise ForecastError("`engine='dask'` needs a distributed `client`")
    n_workers = max(1, len(client.scheduler_info()["workers"]))
    x = dd.from_pandas(train.features, npartitions=n_workers)
    y = dd.from_pandas(pd.Series(train.target, name="y"), npartitions=n_workers)
    w = dd.from_pandas(pd.Series(train.scale_kwh, name="w"), npartitions=n_workers)
    p = {k: v for k, v in params.items() if k not in ("num_threads", "deterministic", "verbose", "seed")}
    model = lgb.DaskLGBMRegressor(
        client=client, n_estimators=n_rounds, random_state=params.get("seed", 7), verbose=-1, **p
    )
    model.fit(x, y, sample_weight=w)
    return model.booster_


def _conformal_offsets(model: LoadForecaster, cal: TrainingFrame) -> dict:
    """One-sided split-conformal offsets per band so that 10 % fall below P10 and 10 % above P90."""
    pred = model._raw_predictions(cal.features)
    band = _band_of(cal.features["step_h"].to_numpy())
    out = {"band_edges_h": list(BAND_EDGES_H), "p10": [], "p90": []}
    y = cal.target
    for b in range(len(BAND_EDGES_H)):
        m = band == b
        if m.sum() < 50:
            out["p10"].append(0.0)
            out["p90"].append(0.0)
            continue
        n = int(m.sum())
        level = min(1.0, math.ceil((n + 1) * 0.9) / n)
        # offset >= 0 widens, < 0 narrows
        out["p10"].append(float(np.quantile(pred["p10"][m] - y[m], level)))
        out["p90"].append(float(np.quantile(y[m] - pred["p90"][m], level)))
    return out


# ---- cold start and monthly totals --------------------------------------------------------


@lru_cache(maxsize=32)
def _h25_year_hourly(year: int, tz: str, holiday_region: str) -> pd.Series:
    start = pd.Timestamp(f"{year}-01-01").tz_localize(tz)
    end = pd.Timestamp(f"{year + 1}-01-01").tz_localize(tz)
    idx = pd.date_range(start, end, freq="h", inclusive="left")
    return bdew_shape(idx, profile="H25", holiday_region=holiday_region)


def _h25_hourly(index_utc: pd.DatetimeIndex, tz: str, holiday_region: str) -> pd.Series:
    """H25 weight per hour on an hourly index (cached per year; sums to 1 per year)."""
    local = index_utc.tz_convert(tz)
    years = range(local[0].year, local[-1].year + 1)
    full = pd.concat([_h25_year_hourly(y, tz, holiday_region) for y in years])
    out = full.reindex(local)
    out.index = local
    return out.fillna(0.0)


def _cold_start_ratios(series: Mapping[str, pd.Series], *, tz: str, holiday_region: str, before: pd.Timestamp) -> dict:
    """Quantiles of hourly energy / H25 scaled to the 14 days before, on training households."""
    ratios = []
    for s in list(series.values())[:40]:
        s = s[s.index < before].dropna()
        if len(s) < 60 * 24:
            continue
        full = pd.date_range(s.index[0], s.index[-1], freq="h")
        w = _h25_hourly(full, tz, holiday_region)
        w.index = full
        for start in full[14 * 24 :: 24 * 30]:
            hist = s[(s.index >= start - pd.Timedelta(days=14)) & (s.index < start)]
            nxt = s[(s.index >= start) & (s.index < start + pd.Timedelta(days=7))]
            if len(hist) < 24 * 7 or nxt.empty:
                continue
            k = hist.sum() / max(w.reindex(hist.index).sum(), 1e-12)
            pred = w.reindex(nxt.index) * k
            ok = pred > 0
            ratios.append((nxt[ok] / pred[ok]).to_numpy())
    if not ratios:
        return {"p10": 0.3, "p90": 2.2}
    r = np.concatenate(ratios)
    return {"p10": float(np.quantile(r, 0.1)), "p90": float(np.quantile(r, 0.9))}


@dataclass(frozen=True)
class MonthlyFit:
    """Daily energy as ``a + b * H25 daily weight x 365`` fitted to a household.

    Attributes
    ----------
    base_kwh_per_day
        Intercept ``a`` [kWh/day].
    profile_kwh_per_day
        Slope ``b`` [kWh/day at an average H25 day].
    n_days
        Days with complete data used in the fit.
    method
        ``"regression"`` or ``"proportional"`` (a = 0, too little seasonal contrast or data).
    hdd_kwh_per_kelvin_day
        Slope ``c`` of the heating-degree-day term [kWh per K·day]; 0 when not fitted or not
        significant.
    """

    base_kwh_per_day: float
    profile_kwh_per_day: float
    n_days: int
    method: str
    hdd_kwh_per_kelvin_day: float = 0.0


def _daily_h25(days_local: pd.DatetimeIndex, tz: str, holiday_region: str) -> pd.Series:
    """H25 weight per local day x 365 (about 1 on an average day)."""
    # the days' own time zone is part of the key: equal instants in other zones bin other days
    daily = _daily_h25_span(days_local[0], days_local[-1], str(days_local.tz), tz, holiday_region)
    return daily.reindex(days_local).fillna(0.0)


@lru_cache(maxsize=64)
def _daily_h25_span(
    first: pd.Timestamp, last: pd.Timestamp, days_tz: str, tz: str, holiday_region: str
) -> pd.Series:
    """:func:`_daily_h25` of every day from ``first`` to ``last`` (cached: a 12-month projection
    asks for the same days several times, and the households of a batch share their periods).
    Callers get a reindexed copy, never this object."""
    idx = pd.date_range(first, last + pd.DateOffset(days=1), freq="h", inclusive="left")
    w = _h25_hourly(idx, tz, holiday_region)
    return w.resample("D").sum() * 365.0


def fit_monthly(
    daily_kwh: pd.Series,
    tz: str,
    holiday_region: str,
    *,
    half_life_days: float = MONTHLY_HALF_LIFE_DAYS,
    hdd_per_day: pd.Series | None = None,
) -> MonthlyFit:
    """Fit ``daily_kwh = a + b * h25 (+ c * HDD)`` on complete days [kWh/day], recent days weighted more.

    Weighted least squares with weights halving every ``half_life_days`` back from the last
    day, so the level follows the household's recent months while the seasonal contrast comes
    from all of them. Proportional (``a = 0``) with under 90 days or little seasonal contrast,
    or when the fit gives a negative coefficient.

    With ``hdd_per_day`` (heating degree days [K·day] of each day, base :data:`HDD_BASE_C`), the
    term ``c * HDD`` is kept as CalTRACK keeps its heating term: only when it is positive and
    significant (t >= :data:`HDD_MIN_T_STAT`) and at least :data:`HDD_MIN_HEATING_DAYS` days of
    the history needed heating; otherwise the fit without it is returned.
    """
    d = daily_kwh.dropna()
    if d.empty:
        raise ForecastError("no complete day of data to project from")
    h = _daily_h25(d.index, tz, holiday_region).to_numpy()
    y = d.to_numpy()
    age_days = ((d.index[-1] - d.index) / pd.Timedelta(days=1)).to_numpy()
    w = 0.5 ** (age_days / half_life_days)
    prop = MonthlyFit(0.0, float((w * y).sum() / max((w * h).sum(), 1e-9)), len(y), "proportional")
    if len(y) < 90:
        return prop
    sw = np.sqrt(w)
    plain = None
    if np.ptp(h) >= 0.15:
        design = np.column_stack([np.ones_like(h), h]) * sw[:, None]
        coef, *_ = np.linalg.lstsq(design, y * sw, rcond=None)
        a, b = float(coef[0]), float(coef[1])
        if a >= 0 and b >= 0:
            plain = MonthlyFit(a, b, len(y), "regression")
    if hdd_per_day is not None:
        hdd = hdd_per_day.reindex(d.index).to_numpy(dtype=float)
        if np.isfinite(hdd).all() and (hdd >= HDD_MIN_KELVIN).sum() >= HDD_MIN_HEATING_DAYS:
            with_hdd = _fit_with_hdd(y, h, hdd, sw)
            if with_hdd is not None:
                return MonthlyFit(with_hdd[0], with_hdd[1], len(y), "regression_hdd", with_hdd[2])
    return plain or prop


def _fit_with_hdd(y: np.ndarray, h: np.ndarray, hdd: np.ndarray, sw: np.ndarray) -> tuple[float, float, float] | None:
    """``(a, b, c)`` of the weighted fit ``y = a + b h + c hdd``, or None when c is not kept."""
    x = np.column_stack([np.ones_like(h), h, hdd])
    xw, yw = x * sw[:, None], y * sw
    coef, *_ = np.linalg.lstsq(xw, yw, rcond=None)
    resid = yw - xw @ coef
    dof = max(len(y) - 3, 1)
    sigma2 = float(resid @ resid) / dof
    try:
        cov = sigma2 * np.linalg.inv(xw.T @ xw)
    except np.linalg.LinAlgError:
        return None
    a, b, c = (float(v) for v in coef)
    se_c = math.sqrt(max(cov[2, 2], 0.0))
    if c <= 0 or se_c == 0 or c / se_c < HDD_MIN_T_STAT:
        return None
    if b < 0:
        # the heating term took the whole seasonal contrast: keep b = 0, refit a and c
        x2 = np.column_stack([np.ones_like(h), hdd]) * sw[:, None]
        c2, *_ = np.linalg.lstsq(x2, yw, rcond=None)
        a, b, c = float(c2[0]), 0.0, float(c2[1])
        if c <= 0:
            return None
    if a < 0:
        return None
    return a, b, c


@lru_cache(maxsize=32)
def _climatology_daily(
    first: pd.Timestamp, last: pd.Timestamp, tz: str, lat: float, lon: float, region: int
) -> pd.Series:
    """TRY climatology mean temperature [°C] of each local day from ``first`` to ``last``
    (cached per period and site; callers reindex, which copies)."""
    hours = pd.date_range(first, last + pd.Timedelta(days=1), freq="h", inclusive="left")
    clim = temperature_climatology(hours, lat, lon, region=region)
    return clim.groupby(clim.index.tz_convert(tz).normalize()).mean()


def daily_heating_degree_days(
    days_local: pd.DatetimeIndex,
    *,
    site: tuple[float, float],
    temperature_c: pd.Series | None = None,
) -> tuple[pd.Series, str]:
    """Heating degree days [K·day] (base :data:`HDD_BASE_C`) of each local day, and their source.

    A day's mean temperature is the measured one where ``temperature_c`` (hourly [°C]) has at
    least 20 hours of it; every other day takes the DWD TRY2010 climatology of the region of
    ``site`` (latitude, longitude), i.e. a normal day of that date, not that day's weather.
    Returns the series and ``"measured"``, ``"measured+TRY region N"`` or ``"TRY region N"``.
    """
    tz = str(days_local.tz)
    region = try_region(*site)
    t_day = _climatology_daily(days_local[0], days_local[-1], tz, float(site[0]), float(site[1]), region)  # tz: the days' own
    t_day = t_day.reindex(days_local)
    source = f"TRY region {region}"
    if temperature_c is not None and len(temperature_c):
        t = temperature_c.copy()
        t.index = pd.DatetimeIndex(t.index).tz_convert(tz)
        g = t.groupby(t.index.normalize())
        measured = g.mean().where(g.count() >= 20).reindex(days_local)
        have = measured.notna()
        if have.any():
            t_day = t_day.where(~have, measured)
            source = "measured" if have.all() else f"measured+TRY region {region}"
    return (HDD_BASE_C - t_day).clip(lower=0.0).rename("hdd_kelvin_day"), source


def _monthly_log_errors(series: Mapping[str, pd.Series], *, tz: str, holiday_region: str, before: pd.Timestamp) -> dict:
    """Quantiles of log(actual/predicted) monthly totals on the training households.

    Each household is cut after its first 3 and after its first 6 months; the monthly method is
    fitted on the part before the cut and scored on every later month before ``before``, so the
    errors span horizons of one to six months (pooled).
    """
    errs = []
    for s in series.values():
        s = s[s.index < before]
        local = s.copy()
        local.index = local.index.tz_convert(tz)
        daily = local.resample("D").sum(min_count=23).where(local.resample("D").count() >= 23)
        if daily.notna().sum() < 150:
            continue
        for months in (3, 6):
            split = daily.index[0] + pd.DateOffset(months=months)
            first, rest = daily[daily.index < split], daily[daily.index >= split]
            try:
                fit = fit_monthly(first, tz, holiday_region)
            except ForecastError:
                continue
            if rest.notna().sum() < 28:
                continue
            pred = fit.base_kwh_per_day + fit.profile_kwh_per_day * _daily_h25(rest.index, tz, holiday_region)
            ok = rest.notna()
            month = rest.index.tz_localize(None).to_period("M")
            act_m = rest[ok].groupby(month[ok.to_numpy()]).sum()
            pred_m = pred[ok].groupby(month[ok.to_numpy()]).sum()
            n_m = rest[ok].groupby(month[ok.to_numpy()]).size()
            good = (n_m >= 20) & (act_m > 0) & (pred_m > 0)
            errs.extend(np.log(act_m[good] / pred_m[good]).tolist())
    if len(errs) < 10:
        return {"p10": -0.25, "p90": 0.25, "n": len(errs)}
    e = np.asarray(errs)
    return {"p10": float(np.quantile(e, 0.1)), "p90": float(np.quantile(e, 0.9)), "n": len(errs)}


# ---- the public API ------------------------------------------------------------------------


def load_forecaster(
    path: str | Path | None = None, *, key: bytes | None = None, key_file: str | Path | None = None
) -> LoadForecaster:
    """Load a model folder (``model*.txt`` + ``meta.json``), checking hashes and features.

    A folder other than the shipped (pinned) model must be signed; ``key_file`` (default
    ``$ADVISOR_MODEL_KEY_FILE``) checks the signature (see :mod:`advisor.registry`).

    Raises
    ------
    ModelArtifactError
        Unsigned or wrongly signed folder, or a file's sha256 or the feature list does not match.
    """
    art = read_model(path or default_model_dir(), key=key, key_file=key_file)
    meta = art.meta
    model = LoadForecaster(
        n_rounds=int(meta.get("n_rounds", 0)),
        target_normaliser=meta.get("target_normaliser"),  # absent in models before issue 16's change
        **meta.get("params", {}),
    )
    model.boosters_ = art.boosters
    model.feature_names_ = art.features
    model.calibration_ = meta["calibration"]
    model.cold_start_ratio_ = meta["cold_start_ratio"]
    model.monthly_log_error_ = meta["monthly_log_error"]
    model.info_ = {**meta.get("training", {}), "name": meta.get("name"), "path": str(art.folder), "trust": art.trust}
    model.meta_ = meta
    return model


def _horizon_end(end: pd.Timestamp, horizon: str) -> pd.Timestamp:
    """End of the horizon: whole local days after ``end`` (23, 24 or 25 hours a day)."""
    days = {"24h": 1, "7d": 7}[horizon]
    naive = end.tz_localize(None) + pd.DateOffset(days=days)
    return naive.tz_localize(end.tz, ambiguous=True, nonexistent="shift_forward")


def _intra_hour_shares(curve: LoadCurve) -> np.ndarray:
    """Mean share of each sub-interval in its hour by local hour of day (24 x n), last 28 days."""
    per_hour = 60 // curve.interval_minutes
    e = curve.data["energy_kwh"]
    e = e[e.index >= curve.end - pd.Timedelta(days=28)]
    local = e.index.tz_convert(curve.meta.tz)
    hourly = e.groupby(e.index.tz_convert("UTC").floor("h")).transform("sum")
    share = (e / hourly).to_numpy()
    slot = (local.minute // curve.interval_minutes).to_numpy()
    hour = local.hour.to_numpy()
    table = np.full((24, per_hour), 1.0 / per_hour)
    ok = np.isfinite(share)
    for h in range(24):
        for k in range(per_hour):
            m = ok & (hour == h) & (slot == k)
            if m.sum() >= 3:
                table[h, k] = share[m].mean()
    table = table / table.sum(axis=1, keepdims=True)
    return table


def _to_curve_resolution(hourly: pd.DataFrame, curve: LoadCurve, index: pd.DatetimeIndex) -> pd.DataFrame:
    if curve.interval_minutes == 60:
        return hourly.reindex(index)
    shares = _intra_hour_shares(curve)
    hour_start = index.tz_convert("UTC").floor("h")
    local = index.tz_convert(curve.meta.tz)
    s = shares[local.hour.to_numpy(), (local.minute // curve.interval_minutes).to_numpy()]
    base = hourly.reindex(hour_start).to_numpy()
    return pd.DataFrame(base * s[:, None], index=index, columns=hourly.columns)


def _known_days(curve: LoadCurve) -> float:
    return float(curve.data["energy_kwh"].notna().sum()) * curve.interval_minutes / 1440.0


def _temperature_at(weather: Any, index: pd.DatetimeIndex) -> pd.Series | None:
    if weather is None:
        return None
    if isinstance(weather, pd.DataFrame):
        if "temp_air" not in weather.columns:
            return None
        weather = weather["temp_air"]
    t = weather.copy()
    t.index = t.index.tz_convert("UTC")
    return t.resample("h").mean().reindex(index.tz_convert("UTC"))


def _temperature_series(weather: Any) -> pd.Series | None:
    """Hourly measured temperature [°C] from a ``temp_air`` frame or a Series; None if absent."""
    if weather is None:
        return None
    if isinstance(weather, pd.DataFrame):
        if "temp_air" not in weather.columns:
            return None
        weather = weather["temp_air"]
    t = weather.dropna()
    if t.empty:
        return None
    t.index = pd.DatetimeIndex(t.index).tz_convert("UTC")
    return t.resample("h").mean().dropna()


def _cold_start(curve: LoadCurve, index: pd.DatetimeIndex, ratios: Mapping[str, float]) -> pd.DataFrame:
    e = curve.data["energy_kwh"]
    known = e.dropna()
    w_hist = bdew_shape(curve.data.index, profile="H25", holiday_region=curve.meta.holiday_region)
    k = known.sum() / max(w_hist.reindex(known.index).sum(), 1e-12)
    w = bdew_shape(index, profile="H25", holiday_region=curve.meta.holiday_region)
    p50 = (w * k).to_numpy()
    return pd.DataFrame(
        {"p10": p50 * min(ratios["p10"], 1.0), "p50": p50, "p90": p50 * max(ratios["p90"], 1.0)}, index=index
    )


def forecast(
    curve: LoadCurve,
    horizon: str,
    *,
    weather: Any = None,
    model: LoadForecaster | None = None,
    site: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Forecast a household's consumption from the end of its data.

    Parameters
    ----------
    curve
        The household's load curve (15, 30 or 60 min).
    horizon
        ``"24h"`` (the next local day's worth of intervals from the end of the data: 23, 24 or
        25 hours), ``"7d"`` (seven local days) or ``"12mo"`` (monthly totals of the next twelve
        months).
    weather
        Optional measured temperature: a DataFrame with ``temp_air`` [°C] or a Series. For 24 h /
        7 d it must cover the horizon and is used only by a model trained with temperature; for
        12 months it gives the heating degree days of the history (:func:`monthly_forecast`).
    site
        ``(latitude, longitude)`` of the household for the TRY climatology of the 12-month
        horizon (heating degree days); without it the 12-month fit has no heating term.
    model
        A fitted :class:`LoadForecaster`; default: the shipped model.

    Returns
    -------
    pandas.DataFrame
        ``p10, p50, p90``: energy per interval [kWh] at the curve's resolution, indexed by interval
        start in the curve's time zone, starting at the end of the data. For ``"12mo"``: monthly
        totals [kWh] indexed by the local month start (the first month starts at the end of the
        data; a curve ending mid-month gives a partial first and last month, 13 rows). ``attrs`` hold ``origin`` (ISO time the forecast starts from), ``method``
        (``"lightgbm"``, ``"cold_start_bdew_h25"``, ``"monthly_h25_fit"``) and ``note`` (a
        :class:`advisor.texts.Message`: English as ``str``, ``.text("de")`` German).

    Raises
    ------
    ForecastError
        For an unknown horizon or a feed-in (export) curve.
    """
    validate_load_curve(curve)
    if horizon not in HORIZONS:
        raise ForecastError(f"`horizon` must be one of {list(HORIZONS)}; got {horizon!r}")
    if curve.direction != Direction.IMPORT:
        raise ForecastError(
            "the forecaster models consumption (import, OBIS 1.8.0); got a feed-in (export) curve. "
            "Forecast the consumption curve of the meter instead."
        )
    if model is None:
        model = load_forecaster()
    model._check_fitted()
    if horizon == "12mo":
        return monthly_forecast(curve, model=model, temperature_c=_temperature_series(weather), site=site)
    tz = curve.meta.tz
    end = curve.end.tz_convert(tz)
    stop = _horizon_end(end, horizon)
    index = pd.date_range(end, stop, freq=curve.freq, inclusive="left")
    index.name = "interval_start"
    days = _known_days(curve)
    if days < COLD_START_DAYS:
        out = _cold_start(curve, index, model.cold_start_ratio_)
        out.attrs.update(
            origin=end.isoformat(),
            method="cold_start_bdew_h25",
            note=Message("forecast.note.cold_start", days=float(days), min_days=COLD_START_DAYS),
        )
        return out
    hourly = hourly_energy_kwh(curve.data["energy_kwh"], curve.interval_minutes)
    origin = end.tz_convert("UTC").floor("h")
    n_hours = int(math.ceil((stop - origin) / pd.Timedelta(hours=1)))
    temp = _temperature_at(weather, target_hours(origin.tz_convert("UTC"), n_hours)) if model.uses_temperature else None
    hourly_fc = model.predict_hourly(
        hourly, origin, n_hours, tz=tz, holiday_region=curve.meta.holiday_region, temperature_c=temp
    )
    out = _to_curve_resolution(hourly_fc, curve, index)
    out.attrs["band_factors"] = hourly_fc.attrs.get("band_factors")
    out.attrs["temperature_used"] = bool(temp is not None and np.isfinite(temp.to_numpy(dtype=float)).any())
    out.attrs.update(
        origin=end.isoformat(),
        method="lightgbm",
        note=Message("forecast.note.lightgbm", origin=end),
    )
    return out


def monthly_forecast(
    curve: LoadCurve,
    *,
    model: LoadForecaster | None = None,
    months: int = 12,
    yoy_log_sd: float | None = None,
    temperature_c: pd.Series | None = None,
    site: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Monthly totals [kWh] for the next ``months`` months with P10/P90 of monthly totals.

    The first month runs from the end of the data to the end of that calendar month.

    With at least :data:`YEAR_DAYS` days of data (method ``own_year_blend``): each future day
    is the household's own rate in that calendar month last year (energy per H25 day weight, so
    weekdays and holidays of the new year are respected) x a damped year-over-year trend (with
    two years of data), blended with the H25 fit (weight up to :data:`YEAR_BLEND_GLOBAL`, less
    where the fit misses the household's own months, see :data:`YEAR_MISFIT_FULL`); months of
    the last year with too few complete days use the H25 fit alone. P10/P90 = P50 x
    exp(-+1.2816 x ``yoy_log_sd``) for every month (a common level change: the annual band is
    the sum of the monthly columns). ``yoy_log_sd`` defaults to ``seeds/forecast.toml``.

    With less data (method ``monthly_h25_fit``): the H25 fit, bands from the model's monthly
    errors on the training households.

    Heating degree days: for a German household (``holiday_region`` ``DE-*``) with its ``site``
    (latitude, longitude, from the household's settings at the edge: postal code or the
    Stadtwerk's default site), the H25 fit gets a term ``c * HDD`` where the history shows
    heating (:func:`fit_monthly`). The history's HDD come from ``temperature_c`` (measured hourly
    [°C]) where it covers a day, else from the DWD TRY2010 climatology of the site's region; the
    months ahead always take the climatology (a normal year). Without a site (or outside
    Germany) there is no heating term; ``attrs["temperature_source"]`` says what was used.
    """
    validate_load_curve(curve)
    model = model or load_forecaster()
    tz = curve.meta.tz
    region = curve.meta.holiday_region
    e = curve.data["energy_kwh"].copy()
    e.index = e.index.tz_convert(tz)
    per_day = e.resample("D")
    daily = per_day.sum(min_count=1).where(per_day.count() >= 0.95 * per_day.size())
    days = _known_days(curve)
    end = curve.end.tz_convert(tz)
    first_day = end.normalize()
    last = (first_day.tz_localize(None) + pd.DateOffset(months=months)).tz_localize(tz)
    fut_days = pd.date_range(
        first_day.tz_localize(None), last.tz_localize(None), freq="D", inclusive="left"
    ).tz_localize(tz)
    hdd_hist = hdd_future = None
    temperature_source = None
    if site is not None and str(region).upper().startswith("DE") and daily.notna().any():
        try:
            hist_days = daily.dropna().index
            hdd_hist, temperature_source = daily_heating_degree_days(
                hist_days, site=site, temperature_c=temperature_c
            )
            hdd_future, _ = daily_heating_degree_days(fut_days, site=site)
        except WeatherError:  # a site outside Germany: no TRY region, no heating term
            hdd_hist = hdd_future = None
    fit = fit_monthly(daily, tz, region, hdd_per_day=hdd_hist)
    pred_daily = fit.base_kwh_per_day + fit.profile_kwh_per_day * _daily_h25(fut_days, tz, region)
    if fit.hdd_kwh_per_kelvin_day > 0 and hdd_future is not None:
        pred_daily = pred_daily + fit.hdd_kwh_per_kelvin_day * hdd_future
    # share of the first day still ahead
    frac = pd.Series(1.0, index=fut_days)
    frac.iloc[0] = float((first_day + pd.Timedelta(days=1) - end) / pd.Timedelta(days=1)) if end != first_day else 1.0
    pred_daily = pred_daily * frac
    month_key = fut_days.tz_localize(None).to_period("M")
    span_days = float((end - daily.dropna().index.min()) / pd.Timedelta(days=1)) if daily.notna().any() else 0.0
    own = None
    weather = None
    if span_days >= YEAR_DAYS:
        if fit.hdd_kwh_per_kelvin_day > 0 and hdd_hist is not None and hdd_future is not None:
            # weather-normalise the last year: its heating share at its own degree days out,
            # a normal year's in (the months ahead take the climatology)
            weather = (fit.hdd_kwh_per_kelvin_day * hdd_hist, fit.hdd_kwh_per_kelvin_day * hdd_future)
        own = _own_year_daily(daily, fut_days, tz, region, weather_kwh=weather)
    blend = 0.0
    if own is not None:
        own_daily, trend, n_own_months = own
        misfit = _h25_fit_misfit(daily, fit, tz, region, hdd_hist)
        share = (YEAR_MISFIT_ZERO - misfit) / (YEAR_MISFIT_ZERO - YEAR_MISFIT_FULL)
        blend = YEAR_BLEND_GLOBAL * min(max(share, 0.0), 1.0)
        have = own_daily.notna()
        blended = pred_daily.copy()
        blended[have] = (1 - blend) * own_daily[have] * trend * frac[have] + blend * pred_daily[have]
        pred_daily = blended
        if yoy_log_sd is None:
            from advisor.seeds import load_seeds

            yoy_log_sd = float(load_seeds().value("forecast.annual_yoy_log_sd"))
        lo, hi = -Z_P90_FC * yoy_log_sd, Z_P90_FC * yoy_log_sd
    month_key = fut_days.tz_localize(None).to_period("M")
    p50 = pred_daily.groupby(month_key).sum()
    q = model.monthly_log_error_
    widen = 1.0 if days >= 180 else min(3.0, math.sqrt(180.0 / max(days, 1.0)))
    if own is None:
        lo, hi = q["p10"] * widen, q["p90"] * widen
    starts = [max(end, pd.Timestamp(p.start_time).tz_localize(tz)) for p in p50.index]
    out = pd.DataFrame(
        {
            "p10": p50.to_numpy() * math.exp(min(lo, 0.0)),
            "p50": p50.to_numpy(),
            "p90": p50.to_numpy() * math.exp(max(hi, 0.0)),
        },
        index=pd.DatetimeIndex(starts, name="month_start"),
    )
    parts: list[Message] = [Message("forecast.note.monthly", n=int(fit.n_days), fit=Message(f"forecast.fit.{fit.method}"))]
    if fit.hdd_kwh_per_kelvin_day > 0:
        source = "measured" if temperature_source == "measured" else (
            "measured_and_try" if str(temperature_source).startswith("measured") else "try"
        )  # fmt: skip
        parts.append(
            Message(
                "forecast.note.heating",
                kwh=fit.hdd_kwh_per_kelvin_day,
                source=Message(f"forecast.temperature.{source}"),
            )
        )
    if days < COLD_START_DAYS:
        parts.insert(0, Message("forecast.note.short", days=float(days)))
    method = "monthly_h25_fit"
    if own is not None:
        method = "own_year_blend"
        trend_text = Message("forecast.trend", factor=trend) if trend != 1.0 else Message("forecast.no_trend")
        parts = [Message("forecast.note.own_year", n=int(n_own_months), trend=trend_text, share=blend)]
    weather_note = None
    weather_attrs: dict[str, Any] = {"weather_normalised": False}
    if own is not None:
        weather_note, weather_attrs = _year_weather_note(daily, weather, temperature_c, site, hdd_hist, tz)
    if weather_note is not None:
        parts.append(weather_note)
    note = join(parts, " ")
    out.attrs.update(
        origin=end.isoformat(),
        method=method,
        weather_note=weather_note,
        **weather_attrs,
        note=note,
        log_error_p10=lo,
        log_error_p90=hi,
        temperature_source=temperature_source if fit.hdd_kwh_per_kelvin_day > 0 else None,
        hdd_kwh_per_kelvin_day=fit.hdd_kwh_per_kelvin_day,
        temperature_used=bool(fit.hdd_kwh_per_kelvin_day > 0 and str(temperature_source).startswith("measured")),
    )
    return out


Z_P90_FC = 1.2815515655446004
# Share of the last year's days that need a measured temperature before the year counts as
# weather-normalised (the rest take the climatology, i.e. are assumed normal).
YEAR_MEASURED_SHARE = 0.9


def _year_weather_note(
    daily: pd.Series,
    weather: tuple[pd.Series, pd.Series] | None,
    temperature_c: pd.Series | None,
    site: tuple[float, float] | None,
    hdd_hist: pd.Series | None,
    tz: str,
) -> tuple[Message | None, dict[str, Any]]:
    """What the year-ahead forecast did about the weather of the measured year.

    Returns the message for the note and the attrs: ``weather_normalised`` (the heating share of
    the last year was taken at its measured degree days on at least :data:`YEAR_MEASURED_SHARE`
    of its days), ``hdd_last_year_kelvin_days`` / ``hdd_normal_kelvin_days`` (heating degree
    days of the last 365 days as used and in a normal year [K·day]), ``measured_day_share``.
    """
    attrs: dict[str, Any] = {"weather_normalised": False}
    if hdd_hist is None or site is None:
        return Message("forecast.year.weather_no_site"), attrs
    if weather is None:
        return None, attrs  # no heating load found: the weather hardly moves this household's year
    last_year = daily.dropna().index
    last_year = last_year[last_year > last_year.max() - pd.Timedelta(days=YEAR_DAYS)]
    share = 0.0
    if temperature_c is not None and len(temperature_c):
        t = temperature_c.copy()
        t.index = pd.DatetimeIndex(t.index).tz_convert(tz)
        per_day = t.groupby(t.index.normalize()).count()
        share = float((per_day.reindex(last_year).fillna(0) >= 20).mean())
    normal, _ = daily_heating_degree_days(last_year, site=site)
    used = float(hdd_hist.reindex(last_year).sum())
    attrs.update(
        weather_normalised=bool(share >= YEAR_MEASURED_SHARE),
        measured_day_share=share,
        hdd_last_year_kelvin_days=used,
        hdd_normal_kelvin_days=float(normal.sum()),
    )
    if share >= YEAR_MEASURED_SHARE:
        return Message("forecast.year.weather_normalised", hdd_measured=used, hdd_normal=float(normal.sum())), attrs
    if share > 0:
        return Message("forecast.year.weather_partly_measured", share=share), attrs
    return Message("forecast.year.weather_not_measured"), attrs




def _month_sums(months, **values: np.ndarray) -> pd.DataFrame:
    """Per calendar month present: the sum of each value array and the day count ``n``
    (index: month 1..12, ascending; the groupby-sum of the daily values, without groupby)."""
    m = np.asarray(months, dtype=np.int64)
    n = np.bincount(m, minlength=13)
    present = np.flatnonzero(n)
    out = {k: np.bincount(m, weights=np.asarray(v, dtype=float), minlength=13)[present] for k, v in values.items()}
    out["n"] = n[present]
    return pd.DataFrame(out, index=pd.Index(present, name="m"))


def _h25_fit_misfit(
    daily: pd.Series, fit: MonthlyFit, tz: str, region: str, hdd_per_day: pd.Series | None = None
) -> float:
    """Median |log(actual / fitted)| of the household's complete months of its last year."""
    d = daily.dropna()
    d = d[d.index > d.index.max() - pd.Timedelta(days=YEAR_DAYS)]
    pred = fit.base_kwh_per_day + fit.profile_kwh_per_day * _daily_h25(d.index, tz, region)
    if fit.hdd_kwh_per_kelvin_day > 0 and hdd_per_day is not None:
        pred = pred + fit.hdd_kwh_per_kelvin_day * hdd_per_day.reindex(d.index).fillna(0.0)
    g = _month_sums(d.index.month, a=d.to_numpy(), p=pred.to_numpy())
    g = g[(g["n"] >= YEAR_MIN_DAYS_PER_MONTH) & (g["a"] > 0) & (g["p"] > 0)]
    if g.empty:
        return math.inf
    return float(np.median(np.abs(np.log(g["a"] / g["p"]))))


def _own_year_daily(
    daily: pd.Series,
    fut_days: pd.DatetimeIndex,
    tz: str,
    region: str,
    *,
    weather_kwh: tuple[pd.Series, pd.Series] | None = None,
) -> tuple[pd.Series, float, int] | None:
    """Each future day at the household's own rate in that calendar month of its last year.

    Rate = energy / H25 day weight over the month's complete days in the last 365 days. With
    ``weather_kwh`` = (heating energy of each history day, of each future day) [kWh/day] (the
    fitted ``c * HDD``: the history's at its own degree days, the future's at a normal year's),
    the rate is taken of the energy without the history's heating share, and the future days get
    their own heating share back: a cold or warm last year does not carry over. Returns (daily
    kWh or NaN where that month was not measured, damped trend, measured months) or None.
    """
    d = daily.dropna()
    if d.empty:
        return None
    if weather_kwh is not None:
        d = d - weather_kwh[0].reindex(d.index).fillna(0.0)
    last = d.index.max()
    year = d[d.index > last - pd.Timedelta(days=YEAR_DAYS)]
    h = _daily_h25(year.index, tz, region)
    g = _month_sums(year.index.month, e=year.to_numpy(), h=h.to_numpy())
    g = g[(g["n"] >= YEAR_MIN_DAYS_PER_MONTH) & (g["h"] > 0)]
    if len(g) < 6:
        return None
    rate = (g["e"] / g["h"]).clip(lower=0.0)
    h_fut = _daily_h25(fut_days, tz, region)
    own = pd.Series(fut_days.month, index=fut_days).map(rate).astype(float) * h_fut
    if weather_kwh is not None:
        own = own + weather_kwh[1].reindex(fut_days).fillna(0.0)
    trend = 1.0
    prev = d[(d.index <= last - pd.Timedelta(days=YEAR_DAYS)) & (d.index > last - pd.Timedelta(days=2 * YEAR_DAYS))]
    if len(prev) >= 0.9 * YEAR_DAYS and len(year) >= 0.9 * YEAR_DAYS:
        r = (year.mean() / prev.mean()) ** YEAR_TREND_DAMPING if prev.mean() > 0 else 1.0
        trend = float(min(max(r, YEAR_TREND_RANGE[0]), YEAR_TREND_RANGE[1]))
    return own, trend, int(len(g))


@dataclass(frozen=True)
class AnnualProjection:
    """Next twelve months' consumption, bill and suggested monthly instalment (Abschlag).

    Attributes
    ----------
    annual_kwh_p10, annual_kwh_p50, annual_kwh_p90
        Consumption of the next 12 months [kWh].
    bill_eur_p10, bill_eur_p50, bill_eur_p90
        Energy at ``price_eur_per_kwh`` plus ``base_fee_eur_per_year`` [EUR].
    monthly_instalment_eur
        Suggested Abschlag: the P50 bill / 12, rounded up to whole euros [EUR/month].
    price_eur_per_kwh, base_fee_eur_per_year
        Tariff used.
    months
        The monthly totals (:func:`monthly_forecast`).
    note
        How it was made (a :class:`advisor.texts.Message`).
    """

    annual_kwh_p10: float
    annual_kwh_p50: float
    annual_kwh_p90: float
    bill_eur_p10: float
    bill_eur_p50: float
    bill_eur_p90: float
    monthly_instalment_eur: float
    price_eur_per_kwh: float
    base_fee_eur_per_year: float
    months: pd.DataFrame = field(repr=False)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k not in ("months", "note")}
        d.update(text_fields("note", self.note))
        d["months"] = [
            {"month_start": i.isoformat(), "p10": r.p10, "p50": r.p50, "p90": r.p90} for i, r in self.months.iterrows()
        ]
        return d


def annual_projection(
    curve: LoadCurve,
    price_eur_per_kwh: float,
    base_fee_eur_per_year: float,
    *,
    model: LoadForecaster | None = None,
    yoy_log_sd: float | None = None,
    temperature_c: pd.Series | None = None,
    site: tuple[float, float] | None = None,
) -> AnnualProjection:
    """Project the next 12 months' consumption and bill; suggest the monthly Abschlag.

    Parameters
    ----------
    curve
        The household's load curve.
    price_eur_per_kwh
        Work price [EUR/kWh] (from the household or ``seeds/tariffs.toml``, passed in by the edge).
    base_fee_eur_per_year
        Fixed fees per year: base fee + meter fee [EUR/yr]
        (:attr:`advisor.settings.HouseholdSettings.fixed_fees_eur_per_year`).
    yoy_log_sd
        Spread of year-over-year changes (log) for the bands of a measured year; default seeds.
    temperature_c, site
        Measured hourly temperature [°C] and ``(latitude, longitude)`` for the heating-degree-day
        term (see :func:`monthly_forecast`).

    Notes
    -----
    The annual P10/P50/P90 are the sums of the monthly columns of :func:`monthly_forecast`:
    the monthly errors are treated as fully correlated (a household that uses more than
    expected tends to do so all year), the cautious choice. The Abschlag follows the P50.
    """
    months = monthly_forecast(curve, model=model, yoy_log_sd=yoy_log_sd, temperature_c=temperature_c, site=site)
    # the annual P10/P50/P90 are the sums of the monthly columns (a common level change)
    p10, p50, p90 = (float(months[c].sum()) for c in ("p10", "p50", "p90"))

    def bill(kwh: float) -> float:
        return kwh * price_eur_per_kwh + base_fee_eur_per_year

    return AnnualProjection(
        annual_kwh_p10=p10,
        annual_kwh_p50=p50,
        annual_kwh_p90=p90,
        bill_eur_p10=bill(p10),
        bill_eur_p50=bill(p50),
        bill_eur_p90=bill(p90),
        monthly_instalment_eur=float(math.ceil(bill(p50) / 12.0)),
        price_eur_per_kwh=float(price_eur_per_kwh),
        base_fee_eur_per_year=float(base_fee_eur_per_year),
        months=months,
        note=months.attrs["note"],
    )


# ---- training data selection (used by `advisor train`, `advisor backtest` and the benchmark) ----


def read_long_table_hourly(
    path: str | Path,
    *,
    tz: str,
    holiday_region: str,
    households: list[str] | None = None,
) -> dict[str, pd.Series]:
    """Hourly energy [kWh] per household of a long table (CSV or Parquet), read in place.

    Households whose rows are unusable are skipped (their ids are in the returned dict's
    absence); an hour with any missing sub-interval is missing.
    """
    from advisor.ingest import ReadOptions
    from advisor.ingest.tabular import iter_long_table

    out: dict[str, pd.Series] = {}
    wanted = set(households) if households else None
    for hid, curve in iter_long_table(path, ReadOptions(tz=tz, holiday_region=holiday_region)):
        if wanted is not None and hid not in wanted:
            continue
        if isinstance(curve, Exception):
            continue
        out[str(hid)] = hourly_energy_kwh(curve.data["energy_kwh"], curve.interval_minutes)
    if not out:
        raise ForecastError(f"{path}: no usable household in the long table")
    return out


@dataclass(frozen=True)
class HouseholdSelection:
    """Which households train, which are held out, which are excluded and why.

    Attributes
    ----------
    training
        Ids used to fit the model.
    held_out
        Ids kept out of training for an honest test (chosen by a hash of the id).
    excluded
        Id -> reason (a quality flag).
    groups
        Id -> group label for reporting (``"dynamic_tariff"`` for the 2013 ToU trial).
    """

    training: tuple[str, ...]
    held_out: tuple[str, ...]
    excluded: dict[str, str]
    groups: dict[str, str]


DEFAULT_EXCLUDE_FLAGS = ("many_zero_readings", "implausibly_low_consumption", "partial_year")
DYNAMIC_TARIFF_FLAG = "dToU_tariff_trial_2013"


def select_households(
    series: Mapping[str, pd.Series],
    *,
    qc_flags: Mapping[str, str] | None = None,
    exclude_flags: tuple[str, ...] = DEFAULT_EXCLUDE_FLAGS,
    before: pd.Timestamp | None = None,
    n_held_out: int = 0,
    min_coverage_before: float = 0.8,
) -> HouseholdSelection:
    """Split households into training, held-out and excluded.

    A household with ``partial_year`` is excluded only where the gap matters: when less than
    ``min_coverage_before`` of the hours before ``before`` are known. Held-out households are
    the ``n_held_out`` clean ones (no exclusion flag, full coverage) with the smallest sha256 of
    their id, so the split is reproducible without a random seed.
    """
    import hashlib

    qc_flags = dict(qc_flags or {})
    excluded: dict[str, str] = {}
    groups: dict[str, str] = {}
    clean: list[str] = []
    for hh, s in series.items():
        flags = [f for f in str(qc_flags.get(hh, "") or "").split(";") if f]
        if DYNAMIC_TARIFF_FLAG in flags:
            groups[hh] = "dynamic_tariff"
        part = s if before is None else s[s.index < before]
        if before is not None:
            lo = min(x.index[0] for x in series.values())
            n_hours = max(1.0, (before - lo) / pd.Timedelta(hours=1))
            coverage = part.notna().sum() / n_hours
        else:
            coverage = float(part.notna().mean())
        reason = None
        for f in flags:
            if f not in exclude_flags:
                continue
            if f == "partial_year" and coverage >= min_coverage_before:
                continue
            reason = f if f != "partial_year" else f"partial_year (coverage {coverage:.0%} before the cut-off)"
            break
        if reason:
            excluded[hh] = reason
        elif not flags or flags == [DYNAMIC_TARIFF_FLAG]:
            clean.append(hh)
    held = sorted(clean, key=lambda h: hashlib.sha256(h.encode()).hexdigest())[: max(0, n_held_out)]
    training = tuple(sorted(h for h in series if h not in excluded and h not in held))
    return HouseholdSelection(training=training, held_out=tuple(sorted(held)), excluded=excluded, groups=groups)


def read_qc_flags(path: str | Path) -> dict[str, str]:
    """``lclid/household_id -> qc_flags`` from a household metadata CSV (e.g. lcl_60hh_2013_meta.csv)."""
    meta = pd.read_csv(path, dtype=str).fillna("")
    id_col = next((c for c in ("lclid", "household_id", "id", "meter_id") if c in meta.columns), None)
    if id_col is None or "qc_flags" not in meta.columns:
        raise ForecastError(
            f"{path}: expected columns `lclid` (or `household_id`) and `qc_flags`; got {list(meta.columns)}"
        )
    return dict(zip(meta[id_col], meta["qc_flags"], strict=True))
