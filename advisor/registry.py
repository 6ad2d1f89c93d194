"""Model artifacts: LightGBM's native text files plus ``meta.json`` with hashes. No pickle.

A model folder ``models/<name>/`` holds

* ``model.txt`` (P50), ``model_p10.txt``, ``model_p90.txt``: ``Booster.save_model`` text;
* ``meta.json``: features, parameters, conformal calibration, training-data fingerprint and date
  range, data provenance and licence, library versions, backtest metrics and the sha256 of each
  model file.

:func:`read_model` recomputes every sha256 and compares the feature list with the code's; any
mismatch raises :class:`~advisor.errors.ModelArtifactError`. A different LightGBM or advisor
version only warns.

A model folder cannot vouch for itself (anyone who changes ``model.txt`` can change its sha256
in ``meta.json``). Before LightGBM sees a byte, :func:`check_trust` requires one of

* **pinned**: the folder digest (sha256 over the name and sha256 of *every* file, ``meta.json``
  with its calibration included) equals one pinned in :mod:`advisor.model_pins`, which ships with
  the package (regenerate with :func:`pin_model` / ``advisor model pin DIR``, done automatically
  when ``advisor train`` writes the default model folder);
* **signed**: ``signature.json`` holds an HMAC-SHA256 (key from ``--model-key-file`` or
  ``$ADVISOR_MODEL_KEY_FILE``) over the same listing of every other file; written by
  :func:`sign_model` (``advisor model sign DIR --key-file K`` or ``advisor train --key-file K``).

Anything else (unsigned, wrong key, changed or extra file, symlink, malformed ``meta.json``) is a
:class:`~advisor.errors.ModelArtifactError` (CLI exit 2) naming the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import math
import os
import platform
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from advisor.errors import DataQualityWarning, ModelArtifactError
from advisor.features import FEATURE_NAMES, TEMPERATURE_FEATURE
from advisor.seeds import package_data_dir

#: Name of the shipped default model folder (in ``models/``, package data ``advisor._models`` in a wheel).
DEFAULT_MODEL_NAME = "lgbm-lcl-v1"


def default_model_dir() -> Path:
    """Folder of the shipped default model: the checkout's ``models/lgbm-lcl-v1``, or the copy
    inside an installed wheel (:func:`advisor.seeds.package_data_dir`)."""
    return package_data_dir("models") / DEFAULT_MODEL_NAME

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
    model: Any,
    out_dir: str | Path,
    *,
    name: str | None = None,
    extra: dict[str, Any] | None = None,
    key: bytes | None = None,
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
    key
        Signing key: writes ``signature.json`` (HMAC-SHA256 over every file) so that
        :func:`read_model` accepts the folder with the same key.

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
        "target_normaliser": model.target_normaliser,
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
    stale = out / SIGNATURE_FILE
    if stale.exists():
        stale.unlink()  # a signature of the previous files would no longer match
    if key is not None:
        sign_model(out, key)
    return meta_path


def read_meta(model_dir: str | Path) -> dict[str, Any]:
    """The ``meta.json`` of a model folder."""
    path = Path(model_dir) / "meta.json"
    if not path.exists():
        raise ModelArtifactError(f"{path}: no meta.json; a model folder needs model.txt and meta.json")
    if path.stat().st_size > MAX_META_BYTES:
        raise ModelArtifactError(f"{path}: meta.json larger than {MAX_META_BYTES // 2**20} MiB; refused")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelArtifactError(f"{path}: meta.json is not valid JSON ({type(exc).__name__})") from None
    except RecursionError:
        raise ModelArtifactError(f"{path}: meta.json nested too deeply; refused") from None


# ---------------------------------------------------------------------------------------------
# Trust: pinned digests and HMAC signatures
# ---------------------------------------------------------------------------------------------
SIGNATURE_FILE = "signature.json"
SIGNATURE_FORMAT = "energie-advisor/model-signature/1"
KEY_ENV = "ADVISOR_MODEL_KEY_FILE"
MIN_KEY_BYTES = 16
MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024
MAX_META_BYTES = 4 * 1024 * 1024


def folder_listing(model_dir: str | Path) -> dict[str, str]:
    """File name -> sha256 of every file of a model folder except ``signature.json``.

    Raises
    ------
    ModelArtifactError
        Not a folder, or it holds a symlink, a sub-folder, a special or an oversized file.
    """
    folder = Path(model_dir)
    if not folder.is_dir():
        raise ModelArtifactError(f"{folder}: model folder does not exist")
    out: dict[str, str] = {}
    for p in sorted(folder.iterdir()):
        if p.name == SIGNATURE_FILE:
            continue
        if p.is_symlink() or not p.is_file():
            raise ModelArtifactError(f"{p}: a model folder holds only regular files (no links or folders); refused")
        if p.stat().st_size > MAX_MODEL_FILE_BYTES:
            raise ModelArtifactError(f"{p}: larger than {MAX_MODEL_FILE_BYTES // 2**20} MiB; refused")
        out[p.name] = sha256_of(p)
    return out


def _listing_bytes(listing: dict[str, str]) -> bytes:
    lines = [SIGNATURE_FORMAT] + [f"{name}\0{listing[name]}" for name in sorted(listing)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def folder_digest(model_dir: str | Path) -> str:
    """sha256 over the names and sha256 of every file of the folder (``meta.json`` included)."""
    return hashlib.sha256(_listing_bytes(folder_listing(model_dir))).hexdigest()


def read_key(key_file: str | Path) -> bytes:
    """The signing key: the bytes of ``key_file`` without surrounding whitespace (>= 16 bytes)."""
    path = Path(key_file)
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise ModelArtifactError(f"model key file {path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(key) < MIN_KEY_BYTES:
        raise ModelArtifactError(
            f"model key file {path}: {len(key)} bytes; at least {MIN_KEY_BYTES} random bytes expected "
            "(e.g. `openssl rand -hex 32 > model.key`)"
        )
    return key


def sign_model(model_dir: str | Path, key: bytes) -> Path:
    """Write ``signature.json``: HMAC-SHA256 with ``key`` over every other file of the folder."""
    folder = Path(model_dir)
    listing = folder_listing(folder)
    if "meta.json" not in listing:
        raise ModelArtifactError(f"{folder}: no meta.json; sign a complete model folder")
    mac = hmac.new(key, _listing_bytes(listing), hashlib.sha256).hexdigest()
    doc = {"format": SIGNATURE_FORMAT, "algorithm": "HMAC-SHA256", "files": listing, "hmac": mac}
    path = folder / SIGNATURE_FILE
    tmp = folder / (SIGNATURE_FILE + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def pinned_digests() -> dict[str, str]:
    """Model name -> pinned folder digest of the models shipped with this package."""
    from advisor import model_pins

    return dict(model_pins.PINS)


def pin_model(model_dir: str | Path) -> str:
    """Pin a model folder's digest in :mod:`advisor.model_pins` (a release step; rewrites that
    module). Returns the digest."""
    folder = Path(model_dir)
    meta = read_meta(folder)
    name = meta.get("name")
    if not isinstance(name, str) or not name:
        raise ModelArtifactError(f"{folder}: meta.json has no model name to pin")
    digest = folder_digest(folder)
    pins = pinned_digests()
    pins[name] = digest
    from advisor import model_pins

    path = Path(model_pins.__file__)
    body = "".join(f"    {k!r}: {v!r},\n" for k, v in sorted(pins.items()))
    path.write_text(
        '"""Pinned digests of the model folders shipped with the package (see advisor.registry).\n\n'
        "Generated by `advisor.registry.pin_model` (`advisor model pin DIR`, or `advisor train` into\n"
        'the default model folder). Do not edit by hand."""\n\n'
        f"PINS = {{\n{body}}}\n",
        encoding="utf-8",
    )
    model_pins.PINS = dict(pins)
    return digest


def _key_from(key: bytes | None, key_file: str | Path | None) -> tuple[bytes | None, str | None]:
    if key is not None:
        return key, "the given key"
    if key_file is None and os.environ.get(KEY_ENV):
        key_file = os.environ[KEY_ENV]
        where = f"${KEY_ENV}"
    else:
        where = "--model-key-file"
    if key_file is None:
        return None, None
    return read_key(key_file), f"{where} {key_file}"


def check_trust(model_dir: str | Path, *, key: bytes | None = None, key_file: str | Path | None = None) -> str:
    """``"pinned"`` or ``"signed"``; raises ModelArtifactError with the reason otherwise."""
    folder = Path(model_dir)
    listing = folder_listing(folder)
    digest = hashlib.sha256(_listing_bytes(listing)).hexdigest()
    if digest in pinned_digests().values():
        return "pinned"
    key_bytes, where = _key_from(key, key_file)
    sig_path = folder / SIGNATURE_FILE
    if not sig_path.exists():
        shipped = folder.resolve() == default_model_dir().resolve()
        raise ModelArtifactError(
            f"{folder}: "
            + (
                "the files differ from the shipped default model's pinned hashes (changed model, meta.json or "
                "calibration); reinstall it or retrain it with `advisor train --out` this folder"
                if shipped
                else "unsigned model folder; a model from elsewhere is used only when signed: "
                "`advisor model sign DIR --key-file K`, then pass `--model-key-file K` (or set $ADVISOR_MODEL_KEY_FILE)"
            )
        )
    if key_bytes is None:
        raise ModelArtifactError(
            f"{folder}: signed model folder, but no key to check it; pass `--model-key-file K` or set ${KEY_ENV}"
        )
    if sig_path.is_symlink() or sig_path.stat().st_size > 1 << 20:
        raise ModelArtifactError(f"{sig_path}: not a regular signature file; refused")
    try:
        sig = json.loads(sig_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ModelArtifactError(f"{sig_path}: not valid JSON; refused") from None
    if not isinstance(sig, dict) or sig.get("format") != SIGNATURE_FORMAT or not isinstance(sig.get("hmac"), str):
        raise ModelArtifactError(f"{sig_path}: not an {SIGNATURE_FORMAT} signature; refused")
    mac = hmac.new(key_bytes, _listing_bytes(listing), hashlib.sha256).hexdigest()
    if hmac.compare_digest(mac, sig["hmac"]):
        return "signed"
    claimed = sig.get("files") if isinstance(sig.get("files"), dict) else {}
    changed = sorted(n for n in set(listing) | set(claimed) if listing.get(n) != claimed.get(n))
    if changed:
        raise ModelArtifactError(
            f"{folder}: signature does not match; files changed, added or removed since signing: {changed[:5]}"
        )
    raise ModelArtifactError(f"{folder}: signature does not match the key from {where} (wrong key?)")


# ---------------------------------------------------------------------------------------------
# meta.json field checks (before any field is used)
# ---------------------------------------------------------------------------------------------
def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def check_meta(meta: Any, folder: Path) -> dict[str, Any]:
    """Refuse a ``meta.json`` whose fields have the wrong types or shapes (named in the message)."""

    def bad(field_: str, expected: str):
        return ModelArtifactError(f"{folder}: meta.json field {field_!r} is malformed; expected {expected}")

    if not isinstance(meta, dict):
        raise ModelArtifactError(f"{folder}: meta.json must hold a JSON object")
    if not (isinstance(meta.get("features"), list) and all(isinstance(f, str) for f in meta["features"])):
        raise bad("features", "a list of feature names")
    params = meta.get("params", {})
    if not (isinstance(params, dict) and all(isinstance(k, str) for k in params)) or any(
        not (v is None or isinstance(v, (str, int, float, bool))) for v in params.values()
    ):
        raise bad("params", "an object of LightGBM parameters (numbers, texts, booleans)")
    n = meta.get("n_rounds", 0)
    if not (isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 100_000):
        raise bad("n_rounds", "a whole number 0..100000")
    norm = meta.get("target_normaliser")
    if norm is not None and (not isinstance(norm, str) or norm not in meta["features"]):
        raise bad("target_normaliser", "null or one of the model's features")
    cal = meta.get("calibration")
    if not isinstance(cal, dict):
        raise bad("calibration", "an object with band_edges_h, p10 and p90")
    edges = cal.get("band_edges_h")
    if not (isinstance(edges, list) and edges and all(_is_num(e) for e in edges)):
        raise bad("calibration.band_edges_h", "a list of hours")
    for q in ("p10", "p90"):
        v = cal.get(q)
        if not (isinstance(v, list) and len(v) == len(edges) and all(_is_num(x) for x in v)):
            raise bad(f"calibration.{q}", f"{len(edges)} finite numbers")
    for key in ("cold_start_ratio", "monthly_log_error"):
        v = meta.get(key)
        if not (isinstance(v, dict) and _is_num(v.get("p10")) and _is_num(v.get("p90"))):
            raise bad(key, "an object with finite numbers p10 and p90")
    files = meta.get("files")
    if not (isinstance(files, dict) and all(isinstance(e, dict) and isinstance(e.get("sha256"), str) for e in files.values())):
        raise bad("files", "an object of {path, sha256} per quantile")
    for key in ("training", "versions"):
        if not isinstance(meta.get(key, {}), dict):
            raise bad(key, "an object")
    return meta


@dataclass(frozen=True)
class ModelArtifact:
    """A checked model folder: what :class:`~advisor.forecast.LoadForecaster` is built from.

    Attributes
    ----------
    folder
        The folder.
    boosters
        Quantile name -> ``lightgbm.Booster``.
    features
        Feature names, in the model's order.
    meta
        The checked ``meta.json``.
    trust
        ``"pinned"`` (shipped) or ``"signed"``.
    """

    folder: Path
    boosters: dict[str, Any]
    features: list[str]
    meta: dict[str, Any]
    trust: str


MAX_TREES = 100_000
MAX_LEAVES = 1 << 20
_TREE_START = re.compile(r"^Tree=(\d+)$", re.M)


def check_model_text(path: Path, n_features: int) -> None:
    """Structural check of a LightGBM text model before LightGBM parses it.

    LightGBM's parser trusts the file: a truncated file or a tree whose arrays disagree with its
    ``num_leaves`` crashes the process (segmentation fault, abort) instead of raising. Checked here:
    the header (``tree``, ``max_feature_idx`` = features - 1, ``tree_sizes``), that every tree block
    is exactly as long as ``tree_sizes`` says and is numbered in order, ``end of trees``, and in every
    tree the lengths of the node and leaf arrays, child indices and split features within range.

    Raises
    ------
    ModelArtifactError
        With the tree and the field that is wrong.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ModelArtifactError(f"{path}: not a LightGBM text model (not UTF-8)") from None

    def bad(what: str) -> ModelArtifactError:
        return ModelArtifactError(f"{path}: malformed LightGBM model ({what}); refusing to load it")

    if not text.startswith("tree\n"):
        raise bad("no 'tree' header")
    end = text.find("\nend of trees")
    starts = [m for m in _TREE_START.finditer(text, 0, end if end >= 0 else len(text))]
    if end < 0:
        raise bad("'end of trees' missing: truncated file")
    header = dict(line.split("=", 1) for line in text[: starts[0].start() if starts else end].splitlines() if "=" in line)
    try:
        sizes = [int(x) for x in header.get("tree_sizes", "").split()]
        max_feature = int(header.get("max_feature_idx", ""))
    except ValueError:
        raise bad("header fields tree_sizes / max_feature_idx are not integers") from None
    if max_feature != n_features - 1:
        raise bad(f"max_feature_idx {max_feature} for {n_features} features")
    if not 0 < len(starts) <= MAX_TREES or len(sizes) != len(starts):
        raise bad(f"{len(starts)} trees, tree_sizes lists {len(sizes)}")
    bounds = [m.start() for m in starts] + [end + 1]
    for i, m in enumerate(starts):
        if int(m.group(1)) != i:
            raise bad(f"tree {i} is numbered {m.group(1)}")
        block = text[bounds[i] : bounds[i + 1]]
        if len(block.encode("utf-8")) != sizes[i]:
            raise bad(f"tree {i} is {len(block.encode('utf-8'))} bytes, tree_sizes says {sizes[i]}")
        _check_tree(dict(line.split("=", 1) for line in block.splitlines()[1:] if "=" in line), i, max_feature, bad)


def _check_tree(fields: dict[str, str], i: int, max_feature: int, bad) -> None:
    def ints(name: str, n: int) -> list[int]:
        values = fields.get(name, "").split()
        if len(values) != n:
            raise bad(f"tree {i}: {name} has {len(values)} values, expected {n}")
        try:
            return [int(v) for v in values]
        except ValueError:
            raise bad(f"tree {i}: {name} holds a value that is not an integer") from None

    def floats(name: str, n: int) -> None:
        values = fields.get(name, "").split()
        if len(values) != n:
            raise bad(f"tree {i}: {name} has {len(values)} values, expected {n}")
        try:
            [float(v) for v in values]
        except ValueError:
            raise bad(f"tree {i}: {name} holds a value that is not a number") from None

    try:
        leaves = int(fields.get("num_leaves", ""))
        n_cat = int(fields.get("num_cat", "0"))
    except ValueError:
        raise bad(f"tree {i}: num_leaves / num_cat not integers") from None
    if not 1 <= leaves <= MAX_LEAVES or n_cat < 0:
        raise bad(f"tree {i}: num_leaves {leaves}, num_cat {n_cat}")
    floats("leaf_value", leaves)
    if leaves == 1:
        return
    nodes = leaves - 1
    for name in ("split_gain", "threshold", "internal_value"):
        floats(name, nodes)
    decision = ints("decision_type", nodes)
    if any(not 0 <= d < 16 for d in decision):
        raise bad(f"tree {i}: decision_type outside 0..15")
    if any(not 0 <= f <= max_feature for f in ints("split_feature", nodes)):
        raise bad(f"tree {i}: a split feature outside 0..{max_feature}")
    children = ints("left_child", nodes) + ints("right_child", nodes)
    # a tree: every internal node but the root and every leaf (~leaf) is the child of exactly one node
    if sorted(children) != list(range(-leaves, 0)) + list(range(1, nodes)):
        raise bad(f"tree {i}: left_child/right_child do not form a tree")
    categorical = [k for k, d in enumerate(decision) if d & 1]
    if categorical and not n_cat:
        raise bad(f"tree {i}: categorical split without num_cat")
    if n_cat:
        bounds = ints("cat_boundaries", n_cat + 1)
        if bounds[0] != 0 or any(b < a for a, b in zip(bounds, bounds[1:], strict=False)):
            raise bad(f"tree {i}: cat_boundaries not increasing from 0")
        ints("cat_threshold", bounds[-1])
        thresholds = fields.get("threshold", "").split()
        if any(not thresholds[k].isdigit() or int(thresholds[k]) >= n_cat for k in categorical):
            raise bad(f"tree {i}: a categorical threshold outside 0..{n_cat - 1}")


def read_model(model_dir: str | Path, *, key: bytes | None = None, key_file: str | Path | None = None) -> ModelArtifact:
    """Read and check a model folder (:func:`advisor.forecast.load_forecaster` builds the forecaster).

    Parameters
    ----------
    model_dir
        The folder.
    key, key_file
        Signing key (or its file; default ``$ADVISOR_MODEL_KEY_FILE``) for a signed folder; the
        shipped default model is trusted by its pinned digest.

    Raises
    ------
    ModelArtifactError
        Neither pinned nor validly signed, missing files, malformed ``meta.json``, a sha256 that
        does not match ``meta.json``, or a feature list that differs from the one this code computes.
    """
    import lightgbm as lgb  # heavy: only when a model is read

    folder = Path(model_dir)
    if not (folder / "meta.json").exists():
        read_meta(folder)  # the clear "no meta.json" message
    trust = check_trust(folder, key=key, key_file=key_file)
    meta = check_meta(read_meta(folder), folder)
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
        check_model_text(path, len(features))  # LightGBM's own parser crashes on malformed files
        try:
            booster = lgb.Booster(model_file=str(path))
        except lgb.basic.LightGBMError as exc:
            raise ModelArtifactError(f"{path}: LightGBM cannot read it ({exc})") from None
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
    return ModelArtifact(folder=folder, boosters=boosters, features=features, meta=meta, trust=trust)
