"""Model artifacts: native text + meta.json with sha256; tampering and feature drift are refused."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from advisor.errors import ModelArtifactError
from advisor.forecast import LoadForecaster, default_model_dir, load_forecaster
from advisor.registry import MODEL_FILES, data_fingerprint, read_meta, save_model, sign_model
from advisor.synthetic import SyntheticSpec, synthetic_household

TZ = "Europe/Berlin"
KEY = b"test-key-0123456789abcdef0123456789"


@pytest.fixture(scope="module")
def fitted():
    series = {}
    for i in range(2):
        e = synthetic_household(SyntheticSpec(year=2024, interval_minutes=60, seed=300 + i)).curve.energy_kwh
        series[f"S{i}"] = e[e.index < pd.Timestamp("2024-04-01", tz=TZ)]
    model = LoadForecaster(n_rounds=5, num_leaves=7, min_data_in_leaf=20).fit(
        series, tz=TZ, holiday_region="DE-NW", calibration_days=14
    )
    return model, series


@pytest.fixture
def saved(tmp_path, fitted):
    model, series = fitted
    save_model(model, tmp_path / "m1", extra={"training_data": {"fingerprint": data_fingerprint(series)}}, key=KEY)
    return tmp_path / "m1"


def test_round_trip_gives_identical_predictions(saved, fitted):
    model, series = fitted
    loaded = load_forecaster(saved, key=KEY)
    origin = pd.Timestamp("2024-03-20", tz=TZ)
    a = model.predict_hourly(series["S0"], origin, 24, tz=TZ, holiday_region="DE-NW")
    b = loaded.predict_hourly(series["S0"], origin, 24, tz=TZ, holiday_region="DE-NW")
    pd.testing.assert_frame_equal(a, b)
    assert loaded.target_normaliser == model.target_normaliser == "mean_28d_same_hour"


def test_meta_lists_files_hashes_features_versions(saved):
    meta = read_meta(saved)
    assert set(meta["files"]) == set(MODEL_FILES)
    assert all(len(f["sha256"]) == 64 for f in meta["files"].values())
    assert meta["features"][:3] == ["hour", "weekday", "is_holiday"]
    assert {"advisor", "lightgbm", "python"} <= set(meta["versions"])
    assert meta["training_data"]["fingerprint"]["households"] == ["S0", "S1"]
    assert not list(saved.glob("*.pkl"))


def test_a_changed_model_file_is_refused(saved):
    path = saved / "model.txt"
    path.write_text(path.read_text().replace("learning_rate", "learning_rate ", 1))
    with pytest.raises(ModelArtifactError, match=r"signature does not match; files changed.*model.txt"):
        load_forecaster(saved, key=KEY)
    sign_model(saved, KEY)  # even a folder signed after tampering must match its meta.json
    with pytest.raises(ModelArtifactError, match="sha256 .* does not match meta.json"):
        load_forecaster(saved, key=KEY)


def test_a_feature_list_mismatch_is_refused(saved):
    meta = json.loads((saved / "meta.json").read_text())
    meta["features"] = meta["features"][:-1] + ["something_else"]
    (saved / "meta.json").write_text(json.dumps(meta))
    sign_model(saved, KEY)
    with pytest.raises(ModelArtifactError, match="do not match this code's"):
        load_forecaster(saved, key=KEY)


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(ModelArtifactError, match="no meta.json"):
        load_forecaster(tmp_path / "nothing")


def test_version_drift_only_warns(saved):
    meta = json.loads((saved / "meta.json").read_text())
    meta["versions"]["lightgbm"] = "0.0.1"
    (saved / "meta.json").write_text(json.dumps(meta))
    sign_model(saved, KEY)
    with pytest.warns(UserWarning, match="other versions"):
        load_forecaster(saved, key=KEY)


def test_fingerprint_changes_with_the_data(fitted):
    _, series = fitted
    a = data_fingerprint(series)
    changed = {k: v.copy() for k, v in series.items()}
    changed["S0"].iloc[100] += 0.001
    b = data_fingerprint(changed)
    assert a["sha256"] != b["sha256"]
    assert a["first_utc"] == b["first_utc"] and a["n_hours"] == b["n_hours"]


def test_the_shipped_default_model_loads_and_says_where_its_data_came_from():
    if not (default_model_dir() / "meta.json").exists():
        pytest.skip("default model not built yet")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = load_forecaster()
    meta = model.meta_
    assert "UK Power Networks, Low Carbon London, London Datastore" in meta["training_data"]["provenance"]
    assert meta["training_data"]["before"].startswith("2013-10-01")
    assert not set(meta["training_data"]["held_out"]) & set(meta["training_data"]["fingerprint"]["households"])
    size = sum(p.stat().st_size for p in default_model_dir().glob("*.txt"))
    assert size < 5_000_000
    assert np.isfinite(meta["calibration"]["p10"]).all()


def test_cli_train_writes_a_loadable_model_with_provenance(tmp_path):
    import contextlib
    import io

    from advisor.cli import main
    from advisor.synthetic import synthetic_long_table

    table = synthetic_long_table(3, year=2024, interval_minutes=60, seed=4)
    table = table[table["timestamp"] < pd.Timestamp("2024-07-01", tz="UTC")]
    data = tmp_path / "long.csv"
    table.to_csv(data, index=False)
    out = tmp_path / "models" / "tiny-v1"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        key_file = tmp_path / "k.key"
        key_file.write_bytes(KEY)
        code = main(["train", "--data", str(data), "--out", str(out), "--before", "2024-06-01", "--held-out", "1",
                     "--tz", TZ, "--holiday-region", "DE-NW", "--rounds", "5", "--json", "--key-file", str(key_file)])
    assert code == 0, buf.getvalue()
    summary = json.loads(buf.getvalue())
    assert len(summary["held_out"]) == 1 and len(summary["training"]) == 2
    meta = read_meta(out)
    assert meta["training_data"]["fingerprint"]["last_utc"] < "2024-06-01"
    assert meta["training_data"]["held_out"] == summary["held_out"]
    assert {r["method"] for r in meta["backtest"]["pooled"]} >= {"model", "naive_weekly", "bdew_h25"}
    assert "advisor train --data long.csv" in meta["reproduce"]
    assert summary["signed"] and (out / "signature.json").exists()
    assert load_forecaster(out, key=KEY).info_["trust"] == "signed"
    with pytest.raises(ModelArtifactError, match="unsigned|no key"):
        load_forecaster(out)


# --- issue 17: a model folder cannot vouch for itself ---------------------------------------------
import shutil  # noqa: E402

from advisor.registry import check_trust, folder_digest, pinned_digests  # noqa: E402


@pytest.fixture
def default_copy(tmp_path):
    if not (default_model_dir() / "meta.json").exists():
        pytest.skip("default model not built yet")
    dst = tmp_path / "copy"
    shutil.copytree(default_model_dir(), dst)
    return dst


def test_shipped_model_digest_is_pinned_in_the_package():
    """Fails when the default model was retrained without re-pinning (use `advisor train`)."""
    if not (default_model_dir() / "meta.json").exists():
        pytest.skip("default model not built yet")
    assert folder_digest(default_model_dir()) in pinned_digests().values()
    assert check_trust(default_model_dir()) == "pinned"


def test_changed_model_txt_with_matching_meta_sha_is_refused(default_copy):
    """The review changed model.txt and its sha256 in meta.json: 24-h forecast 10.7 -> 24.3 kWh."""
    import hashlib

    p = default_copy / "model.txt"
    p.write_text(p.read_text().replace("shrinkage=0.1", "shrinkage=0.3", 1))
    meta = json.loads((default_copy / "meta.json").read_text())
    meta["files"]["p50"]["sha256"] = hashlib.sha256(p.read_bytes()).hexdigest()
    (default_copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelArtifactError, match="unsigned"):
        load_forecaster(default_copy)


def test_calibration_times_five_is_refused(default_copy):
    meta = json.loads((default_copy / "meta.json").read_text())
    meta["calibration"]["p90"] = [x * 5 for x in meta["calibration"]["p90"]]
    (default_copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelArtifactError, match="unsigned"):
        load_forecaster(default_copy)


def test_tampered_default_folder_names_the_pin(default_copy, monkeypatch):
    import advisor.registry as reg

    monkeypatch.setattr(reg, "default_model_dir", lambda: default_copy)
    (default_copy / "meta.json").write_text((default_copy / "meta.json").read_text() + " ")
    with pytest.raises(ModelArtifactError, match="pinned hashes"):
        load_forecaster(default_copy)


def test_malformed_tree_never_reaches_lightgbm(default_copy):
    (default_copy / "model.txt").write_text("tree\nversion=v4\nnum_class=999999999\nTree=0\nnum_leaves=-5\n")
    with pytest.raises(ModelArtifactError, match="unsigned"):
        load_forecaster(default_copy)


@pytest.mark.parametrize(
    "field,value",
    [
        ("calibration", "x"),
        ("calibration", {"band_edges_h": [24], "p10": ["a"], "p90": [0.1]}),
        ("features", "hour"),
        ("n_rounds", "100"),
        ("params", {"learning_rate": [1, 2]}),
        ("cold_start_ratio", None),
        ("monthly_log_error", {"p10": float("nan"), "p90": 1}),
        ("files", []),
        ("target_normaliser", "no_such_feature"),
        ("target_normaliser", 3),
    ],
)
def test_malformed_meta_fields_are_refused_even_when_signed(saved, field, value):
    meta = json.loads((saved / "meta.json").read_text())
    meta[field] = value
    (saved / "meta.json").write_text(json.dumps(meta))
    sign_model(saved, KEY)
    with pytest.raises(ModelArtifactError, match=f"meta.json field '{field}"):
        load_forecaster(saved, key=KEY)


def test_wrong_key_extra_file_symlink_and_env_key(saved, tmp_path, monkeypatch):
    with pytest.raises(ModelArtifactError, match="wrong key"):
        load_forecaster(saved, key=b"another-key-0123456789abcdef")
    key_file = tmp_path / "k.key"
    key_file.write_bytes(KEY + b"\n")
    monkeypatch.setenv("ADVISOR_MODEL_KEY_FILE", str(key_file))
    assert load_forecaster(saved).info_["trust"] == "signed"
    (saved / "notes.txt").write_text("x")
    with pytest.raises(ModelArtifactError, match="notes.txt"):
        load_forecaster(saved)
    (saved / "notes.txt").unlink()
    (saved / "link").symlink_to("/etc/hostname")
    with pytest.raises(ModelArtifactError, match="only regular files"):
        load_forecaster(saved)


def test_short_key_refused(tmp_path):
    from advisor.registry import read_key

    (tmp_path / "k").write_bytes(b"short")
    with pytest.raises(ModelArtifactError, match="at least 16"):
        read_key(tmp_path / "k")


def test_cli_model_sign_verify_and_forecast_exit_codes(fitted, tmp_path, capsys):
    from advisor.cli import main

    model, _ = fitted
    folder = tmp_path / "m"
    save_model(model, folder)
    key_file = tmp_path / "k.key"
    key_file.write_bytes(KEY)
    assert main(["model", "verify", str(folder)]) == 2
    assert "unsigned" in capsys.readouterr().err
    assert main(["model", "sign", str(folder), "--key-file", str(key_file)]) == 0
    assert main(["model", "verify", str(folder), "--model-key-file", str(key_file)]) == 0
    assert "ok (signed)" in capsys.readouterr().out
    meta = json.loads((folder / "meta.json").read_text())
    meta["calibration"]["p90"] = "wide"
    (folder / "meta.json").write_text(json.dumps(meta))
    assert main(["model", "sign", str(folder), "--key-file", str(key_file)]) == 2
    err = capsys.readouterr().err
    assert "calibration.p90" in err and "Traceback" not in err


def _resign_with(folder, change) -> None:
    """Change model.txt as a broken training run would, then fix its sha256 and sign the folder:
    the trust checks pass, only the structure is wrong."""
    import hashlib

    p = folder / "model.txt"
    p.write_text(change(p.read_text()))
    meta = json.loads((folder / "meta.json").read_text())
    meta["files"]["p50"]["sha256"] = hashlib.sha256(p.read_bytes()).hexdigest()
    (folder / "meta.json").write_text(json.dumps(meta))
    sign_model(folder, KEY)


def _first_tree_field(text: str, name: str, new: str) -> str:
    start = text.index("Tree=0")
    i = text.index(f"\n{name}=", start) + len(name) + 2
    j = text.index("\n", i)
    return text[:i] + new(text[i:j]) + text[j:]


@pytest.mark.parametrize(
    "what,change,reason",
    [
        # found 2026-12-03: a signed but truncated model.txt killed the process (SIGSEGV, exit -11)
        ("truncated", lambda t: t[: len(t) // 2], "truncated"),
        # ... and a larger num_leaves aborted LightGBM (SIGABRT, exit -6 / 134)
        ("num_leaves grown", lambda t: t.replace("num_leaves=7", "num_leaves=9999999", 1), "tree_sizes"),
        # same-length edits that keep tree_sizes right: a child pointing at the root (a cycle) ...
        (
            "cycle",
            lambda t: _first_tree_field(t, "left_child", lambda v: " ".join(["0", *v.split()[1:]]).ljust(len(v))[: len(v)]),
            "tree",
        ),
        # ... and a categorical split in a tree without categories (aborted LightGBM on main)
        ("categorical bit", lambda t: _first_tree_field(t, "decision_type", lambda v: "1" + v[1:]), "categorical"),
    ],
)
def test_malformed_model_text_is_refused_before_lightgbm_even_when_signed(saved, what, change, reason):
    _resign_with(saved, change)
    with pytest.raises(ModelArtifactError, match=f"malformed LightGBM model.*{reason}"):
        load_forecaster(saved, key=KEY)


def test_the_structural_check_passes_every_real_model(saved):
    from advisor.registry import check_model_text

    for folder in (saved, default_model_dir()):
        if (folder / "meta.json").exists():
            n = len(json.loads((folder / "meta.json").read_text())["features"])
            for name in MODEL_FILES.values():
                check_model_text(folder / name, n)
