"""Model artifacts: LightGBM's native text files plus ``meta.json`` with hashes. No pickle.

A model folder ``models/<name>/`` holds

* ``model.txt`` (P50), ``model_p10.txt``, ``model_p90.txt``: ``Booster.save_model`` text;
* ``meta.json``: features, parameters, conformal calibration, training-data fingerprint and date
  range, data provenance and licence, library versions, backtest metrics and the sha256 of each
  model file.

:func:`load_model` recomputes every sha256 and compares the feature list with the code's; any
mismatch raises :class:`~advisor.errors.ModelArtifactError`. A different LightGBM or advisor
version only warns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from advisor.errors import DataQualityWarning, ModelArtifactError
from advisor.features import FEATURE_NAMES, TEMPERATURE_FEATURE

ARTIFACT_FORMAT = "energie-advisor/lgbm-quantile/1"
MODEL_FILES = {"p50": "model.txt", "p10": "model_p10.txt", "p90": "model_p90.txt"}
LCL_PROVENANCE = {
    "provenance": (
        "UK Power Networks, Low Carbon London, London Datastore: 'SmartMeter Energy Consumption Data in London "
        "Households' (per-household layout of the Kaggle set 'Smart meters in London'; via GitHub "
        "Ryanhilde/meter_readings@e6f8f9e5df284a37c2098d37d530b0f9b7111449, metadata "
        "ashuneema28/Household-Load-Forecasting@4768ee455a366d2bd058bf00366e9a2a3556f834)"
    ),
    "licence": "London Datastore open data; attribution: UK Power Networks, Low Carbon London",
}


def sha256_of(path: str | Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    """Versions of advisor, lightgbm, pandas, numpy and python."""
    import lightgbm

    from advisor import __version__

    return {
        "advisor": __version__,
        "lightgbm": lightgbm.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


def data_fingerprint(series: dict[str, pd.Series], before: pd.Timestamp | None = None) -> dict[str, Any]:
    """Fingerprint of training data: sha256 over ids, timestamps and values; date range; ids.

    Parameters
    ----------
    series
        Hourly energy [kWh] per household id.
    before
        Only data before this instant counts (the training cut-off).
    """
    h = hashlib.sha256()
    first, last, n = None, None, 0
    for hh in sorted(series):
        s = series[hh]
        if before is not None:
            s = s[s.index < before]
        s = s.dropna()
        if s.empty:
            continue
        h.update(hh.encode())
        h.update(s.index.tz_convert("UTC").as_unit("s").asi8.tobytes())
        h.update(np.round(s.to_numpy(dtype=float), 6).tobytes())
        first = s.index[0] if first is None else min(first, s.index[0])
        last = s.index[-1] if last is None else max(last, s.index[-1])
        n += len(s)
    return {
        "sha256": h.hexdigest(),
        "households": sorted(series),
        "n_households": len(series),
        "n_hours": n,
        "first_utc": None if first is None else first.tz_convert("UTC").isoformat(),
        "last_utc": None if last is None else last.tz_convert("UTC").isoformat(),
    }


def save_model(
    model: Any, out_dir: str | Path, *, name: str | None = None, extra: dict[str, Any] | None = None
) -> Path:
    """Write a fitted :class:`~advisor.forecast.LoadForecaster` as text files plus ``meta.json``.

    Parameters
    ----------
    model
        Fitted forecaster.
    out_dir
        Folder to create or overwrite (``models/<name>``).
    name
        Model name (default: the folder name).
    extra
        More metadata merged into ``meta.json`` (fingerprint, data provenance, backtest metrics).

    Returns
    -------
    pathlib.Path
        Path of ``meta.json``.
    """
    model._check_fitted()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for q, fname in MODEL_FILES.items():
        path = out / fname
        model.boosters_[q].save_model(str(path))
        files[q] = {"path": fname, "sha256": sha256_of(path)}
    meta = {
        "format": ARTIFACT_FORMAT,
        "name": name or out.name,
        "created_utc": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "features": list(model.feature_names_),
        "params": dict(model.params),
        "n_rounds": model.n_rounds,
        "resolution_minutes": 60,
        "calibration": model.calibration_,
        "cold_start_ratio": model.cold_start_ratio_,
        "monthly_log_error": model.monthly_log_error_,
        "training": model.info_,
        "files": files,
        "versions": library_versions(),
    }
    if extra:
        meta.update(extra)
    meta_path = out / "meta.json"
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return meta_path


def read_meta(model_dir: str | Path) -> dict[str, Any]:
    """The ``meta.json`` of a model folder."""
    path = Path(model_dir) / "meta.json"
    if not path.exists():
        raise ModelArtifactError(f"{path}: no meta.json; a model folder needs model.txt and meta.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelArtifactError(f"{path}: meta.json is not valid JSON ({exc})") from exc


def load_model(model_dir: str | Path):
    """Load a model folder into a :class:`~advisor.forecast.LoadForecaster`.

    Raises
    ------
    ModelArtifactError
        Missing files, a sha256 that does not match ``meta.json``, or a feature list that differs
        from the one this code computes.
    """
    import lightgbm as lgb

    from advisor.forecast import LoadForecaster

    folder = Path(model_dir)
    meta = read_meta(folder)
    if meta.get("format") != ARTIFACT_FORMAT:
        raise ModelArtifactError(
            f"{folder}: artifact format {meta.get('format')!r}; this code reads {ARTIFACT_FORMAT!r}"
        )
    expected = list(FEATURE_NAMES)
    features = list(meta.get("features", []))
    if features not in (expected, expected + [TEMPERATURE_FEATURE]):
        raise ModelArtifactError(
            f"{folder}: the model's features {features} do not match this code's {expected} "
            "(optionally plus temp_air); retrain it with `advisor train`"
        )
    boosters = {}
    for q, fname in MODEL_FILES.items():
        entry = meta.get("files", {}).get(q)
        path = folder / fname
        if entry is None or not path.exists():
            raise ModelArtifactError(f"{path}: model file missing (expected {fname} listed in meta.json)")
        digest = sha256_of(path)
        if digest != entry.get("sha256"):
            raise ModelArtifactError(
                f"{path}: sha256 {digest[:12]}… does not match meta.json ({str(entry.get('sha256'))[:12]}…); "
                "the file was changed or corrupted. Refusing to load it."
            )
        booster = lgb.Booster(model_file=str(path))
        if booster.feature_name() != features:
            raise ModelArtifactError(
                f"{path}: booster features {booster.feature_name()} differ from meta.json {features}"
            )
        boosters[q] = booster
    now = library_versions()
    then = meta.get("versions", {})
    drift = [f"{k} {then.get(k)} -> {now[k]}" for k in ("advisor", "lightgbm") if then.get(k) and then.get(k) != now[k]]
    if drift:
        warnings.warn(
            f"{folder}: model saved with other versions ({', '.join(drift)})", DataQualityWarning, stacklevel=2
        )
    model = LoadForecaster(n_rounds=int(meta.get("n_rounds", 0)), **meta.get("params", {}))
    model.boosters_ = boosters
    model.feature_names_ = features
    model.calibration_ = meta["calibration"]
    model.cold_start_ratio_ = meta["cold_start_ratio"]
    model.monthly_log_error_ = meta["monthly_log_error"]
    model.info_ = {**meta.get("training", {}), "name": meta.get("name"), "path": str(folder)}
    model.meta_ = meta
    return model
