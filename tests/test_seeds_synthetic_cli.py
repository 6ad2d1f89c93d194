import json

import pandas as pd
import pytest

from advisor.cli import main
from advisor.errors import SeedError
from advisor.ingest import read_load_curves
from advisor.ingest.canonical import write_curves_parquet
from advisor.seeds import load_seeds
from advisor.synthetic import SyntheticSpec, synthetic_household


def test_seeds_have_sources_and_override(tmp_path):
    seeds = load_seeds()
    price = seeds.entry("tariffs.work_price_eur_per_kwh")
    assert price.value == pytest.approx(0.33)
    assert "BDEW" in price.source and price.date
    # split from BDEW's all-in 37.2 ct at 3,500 kWh, never stacked on it: within 1 % of 1,302 EUR
    fees = seeds.value("tariffs.base_fee_eur_per_year") + seeds.value("tariff_components.meter_mme_eur_per_year")
    assert 3500 * price.value + fees == pytest.approx(3500 * 0.372, rel=0.01)
    assert seeds.value("emissions.co2_g_per_kwh") == 344
    # a Stadtwerk's older override file names the price by its old key: read as the work price
    (tmp_path / "tariffs.toml").write_text(
        '[household_price_eur_per_kwh]\nvalue = 0.312\nunit = "EUR/kWh"\nsource = "Stadtwerke Herne Preisblatt"\ndate = "2026-07"\n'
    )
    over = load_seeds(tmp_path)
    assert over.value("tariffs.work_price_eur_per_kwh") == pytest.approx(0.312)
    assert over.value("tariffs.household_price_eur_per_kwh") == pytest.approx(0.312)
    assert over.value("emissions.co2_g_per_kwh") == 344  # untouched keys stay
    assert over.version != seeds.version


def test_seed_without_source_is_refused(tmp_path):
    (tmp_path / "bad.toml").write_text('[x]\nvalue = 1\nunit = "kWh"\ndate = "2026"\n')
    with pytest.raises(SeedError, match="lacks \\['source'\\]"):
        load_seeds(base_dir=tmp_path)


def test_synthetic_household_is_seeded_and_has_known_components():
    a = synthetic_household(SyntheticSpec(seed=7, standby_w=150, circulation_pump_w=60))
    b = synthetic_household(SyntheticSpec(seed=7, standby_w=150, circulation_pump_w=60))
    pd.testing.assert_frame_equal(a.curve.data, b.curve.data)
    assert a.curve.n_intervals == 35136  # 2024 is a leap year
    assert a.components_kwh["standby"].sum() == pytest.approx(0.150 * 8784, rel=1e-6)
    assert a.curve.total_kwh == pytest.approx(a.annual_kwh)
    hourly = synthetic_household(SyntheticSpec(seed=7, interval_minutes=60))
    assert hourly.curve.n_intervals == 8784


def test_canonical_parquet_round_trip_and_cli(tmp_path, demo, capsys):
    path = tmp_path / "demo.parquet"
    write_curves_parquet([demo.curve], path)
    back = read_load_curves(path)[0]
    pd.testing.assert_series_equal(back.energy_kwh, demo.curve.energy_kwh)
    assert back.meta == demo.curve.meta
    assert main(["ingest", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_intervals"] == 35136
    assert out["energy_kwh"] == pytest.approx(demo.curve.total_kwh, abs=1e-5)
    assert out["end"] == "2025-01-01T00:00:00+01:00"


def test_cli_bad_input_exit_2_without_traceback(tmp_path, capsys):
    bad = tmp_path / "page.csv"
    bad.write_text("<html><body>Login</body></html>")
    assert main(["ingest", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "page.csv" in err
    assert main(["ingest", str(tmp_path / "missing.csv")]) == 2
    assert main(["no-such-command"]) == 2


def test_every_command_is_registered(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for cmd in ("ingest", "analyse", "forecast", "train", "backtest", "savings", "pv", "recommend", "report", "batch", "estimate"):
        assert cmd in out, cmd
    assert main(["recommend", "--help"]) == 0
    assert "--low-income" in capsys.readouterr().out  # from the shared household options
