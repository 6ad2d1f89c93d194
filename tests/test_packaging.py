"""Package data: the built wheel carries the seeds and the default model and works outside the checkout.

The wheel is built with pip (build isolation, as a user would), unpacked into a temporary folder
and imported from there, from a working directory outside the checkout, with the dependencies
of the project's environment. The run asserts that ``advisor`` really came from the wheel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

SMOKE = r"""
import json, sys
from pathlib import Path
import advisor
from advisor.assessment import AssessmentSettings, assess_household
from advisor.forecast import default_model_dir, forecast
from advisor.seeds import default_seeds_dir

site = Path(sys.argv[1]).resolve()
assert Path(advisor.__file__).resolve().is_relative_to(site), advisor.__file__
seeds = advisor.load_seeds()
curve = advisor.read_load_curve(sys.argv[2])
fc = forecast(curve, "24h")
a = assess_household(curve, None, AssessmentSettings(seeds=seeds, parts=("forecast", "tariffs", "recommendations")))
print(json.dumps({
    "seeds_dir": str(default_seeds_dir()),
    "model_dir": str(default_model_dir()),
    "forecast_rows": len(fc),
    "unavailable": {k: str(v) for k, v in a.unavailable.items()},
    "assessment": a.figures.to_dict(),
}))
"""


def test_every_subpackage_is_listed_for_the_wheel():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "advisor").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(found - listed)}"
    assert {"advisor._seeds", "advisor._models"} <= listed


@pytest.mark.slow
def test_the_wheel_works_from_a_temporary_directory(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(dist.glob("energie_advisor-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "advisor/_seeds/tariffs.toml" in names and "advisor/_seeds/postal_zones.csv" in names
    assert "advisor/_models/lgbm-lcl-v1/meta.json" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    meter = tmp_path / "meter.csv"
    rows = ["Datum;Uhrzeit;Verbrauch [kWh]"]
    for day in range(1, 29):
        for h in range(24):
            rows.append(f"{day:02d}.02.2025;{h:02d}:00;0,{200 + 40 * (h >= 17) + (day % 5):03d}")
    meter.write_text("\n".join(rows) + "\n", encoding="utf-8")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("ADVISOR_SEEDS", "PYTHONPATH")}
    env["PYTHONPATH"] = str(site)
    run = subprocess.run(
        [sys.executable, "-c", SMOKE, str(site), str(meter)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(out["seeds_dir"]).resolve().is_relative_to(site.resolve())
    assert Path(out["model_dir"]).resolve().is_relative_to(site.resolve())
    assert out["forecast_rows"] == 24
    assert "forecast" not in out["unavailable"], out["unavailable"]
    assert out["assessment"]["site"]["source"] == "stadtwerk_default" and out["assessment"]["annual_kwh"] > 0
