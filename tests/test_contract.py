"""One household, one truth: the app, `advisor recommend --json`, `advisor pv` and `advisor batch`
give the same site, holiday region, annual kWh, bill and specific PV yield for the same input
(issue 12), and a Stadtwerk's seeds override of price, base fee and irradiance changes all of
them everywhere.

The household lives in Munich (postal code 80331, outside NRW: Bavarian holidays, no NRW
comparison) and has a roof facing south-south-west at 30°.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from advisor.cli import app as cli

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date.today().isoformat()
HOUSEHOLD = {"postal_code": "80331", "roof_tilt_deg": 30.0, "roof_azimuth_deg": 200.0, "dwelling": "house"}
CLI_FLAGS = ["--postal-code", "80331", "--roof-tilt-deg", "30", "--roof-azimuth-deg", "200", "--dwelling", "house"]
SAME = (
    "annual_kwh",
    "annual_bill_eur",
    "work_price_eur_per_kwh",
    "base_fee_eur_per_year",
    "meter_fee_eur_per_year",
    "holiday_region",
    "pv_specific_yield_kwh_per_kwp",
)


@pytest.fixture(scope="module")
def meter_file(tmp_path_factory, demo):
    """Five months of the demo household, as a portal would export them (interval values, UTC)."""
    e = demo.curve.energy_kwh
    e = e[(e.index >= pd.Timestamp("2024-01-10", tz="UTC")) & (e.index < pd.Timestamp("2024-06-10", tz="UTC"))]
    path = tmp_path_factory.mktemp("contract") / "haushalt.csv"
    stamps = e.index.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    pd.DataFrame({"timestamp_utc": stamps, "kwh": e.to_numpy()}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def override(tmp_path_factory):
    """A Stadtwerk's seeds: its own price, base fee and irradiance reference."""
    d = tmp_path_factory.mktemp("stadtwerk_seeds")
    (d / "tariffs.toml").write_text(
        '[work_price_eur_per_kwh]\nvalue = 0.29\nunit = "EUR/kWh"\nsource = "Stadtwerk Preisblatt"\ndate = "2026-11"\n'
        '[base_fee_eur_per_year]\nvalue = 99.0\nunit = "EUR/yr"\nsource = "Stadtwerk Preisblatt"\ndate = "2026-11"\n',
        encoding="utf-8",
    )
    (d / "weather.toml").write_text(
        '[germany_mean_annual_ghi_kwh_per_m2]\nvalue = 1200.0\nunit = "kWh/m2/yr"\nsource = "test"\ndate = "2026-11"\n',
        encoding="utf-8",
    )
    return d


def _recommend(meter_file, seeds_dir=None) -> dict:
    args = ["recommend", str(meter_file), *CLI_FLAGS, "--skip", "pv,tariffs", "--json"]
    if seeds_dir is not None:
        args += ["--seeds", str(seeds_dir)]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)["assessment"]


def _pv_file(meter_file, seeds_dir=None) -> dict:
    args = ["pv", str(meter_file), "--kwp", "3", "--plz", "80331", "--tilt", "30", "--azimuth", "200", "--json"]
    if seeds_dir is not None:
        args += ["--seeds", str(seeds_dir)]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)["assessment"]


def _pv_yield(seeds_dir=None) -> float:
    args = ["pv", "--kwp", "1", "--plz", "80331", "--tilt", "30", "--azimuth", "200", "--commissioning", TODAY, "--json"]
    if seeds_dir is not None:
        args += ["--seeds", str(seeds_dir)]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)["specific_yield_kwh_per_kwp"]


def _batch(meter_file, tmp_path, seeds_dir=None) -> dict:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / meter_file.name).write_bytes(meter_file.read_bytes())
    meta = tmp_path / "META.csv"
    pd.DataFrame([{"household_id": "H1", "file": meter_file.name, **HOUSEHOLD}]).to_csv(meta, index=False)
    out = tmp_path / "out"
    args = ["batch", str(inp), "--out", str(out), "--households", str(meta), "--letter-date", TODAY, "--formats", "html"]
    if seeds_dir is not None:
        args += ["--seeds", str(seeds_dir)]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    row = pd.read_csv(out / "summary.csv", dtype={"site_state": str}).iloc[0].to_dict()
    assert row["status"] == "ok", row
    return row


def _app(meter_file, seeds_dir=None) -> dict:
    """The app's own code path (app/cached.py) on the same file and answers."""
    sys.path.insert(0, str(REPO / "app"))
    import cached

    from advisor.household import Household
    from advisor.ingest import read_load_curve
    from advisor.seeds import load_seeds

    curve = read_load_curve(meter_file)
    hh = cached.HouseholdData(f"contract:{seeds_dir}", "upload", meter_file.name, curve)
    h = Household.from_mapping(HOUSEHOLD)
    seeds = load_seeds(seeds_dir)
    real = cached.seeds
    cached.seeds = lambda: seeds
    try:
        fig = cached.figures(hh, h).to_dict()
        cost = cached.annual_cost(hh, h)
    finally:
        cached.seeds = real
    assert cost.total_eur == pytest.approx(fig["annual_bill_eur"], abs=0.01)  # the Overview's € figure
    return fig


def _flat(d: dict) -> dict:
    out = {k: d[k] for k in SAME}
    site = d.get("site") or {}
    out["site_latitude"] = site.get("latitude", d.get("site_latitude"))
    out["site_longitude"] = site.get("longitude", d.get("site_longitude"))
    out["site_source"] = site.get("source", d.get("site_source"))
    return out


@pytest.mark.slow
def test_every_door_gives_the_same_figures(meter_file, tmp_path):
    rec = _recommend(meter_file)
    # the figures themselves: Munich, Bavarian holidays, the bill adds up
    assert rec["site"]["source"] == "postal_code" and rec["site"]["state"] == "DE-BY"
    assert rec["site"]["latitude"] == pytest.approx(48.14) and rec["site"]["longitude"] == pytest.approx(11.58)
    assert rec["holiday_region"] == "DE-BY"
    bill = rec["annual_kwh"] * rec["work_price_eur_per_kwh"] + rec["base_fee_eur_per_year"] + rec["meter_fee_eur_per_year"]
    assert rec["annual_bill_eur"] == pytest.approx(bill, abs=0.02)
    assert 900 < rec["pv_specific_yield_kwh_per_kwp"] < 1300
    assert rec["pv_specific_yield_kwh_per_kwp"] == pytest.approx(_pv_yield(), abs=0.01)
    expected = _flat(rec)
    assert _flat(_pv_file(meter_file)) == expected
    assert _flat(_app(meter_file)) == expected
    row = _batch(meter_file, tmp_path)
    got = _flat(row)
    for k, v in expected.items():
        if isinstance(v, float):
            assert got[k] == pytest.approx(v, abs=0.011), k
        else:
            assert got[k] == v, k


@pytest.mark.slow
def test_a_seeds_override_changes_every_door(meter_file, override, tmp_path):
    base = _recommend(meter_file)
    over = _recommend(meter_file, override)
    assert over["work_price_eur_per_kwh"] == 0.29 and over["base_fee_eur_per_year"] == 99.0
    assert over["annual_kwh"] == base["annual_kwh"]
    assert over["annual_bill_eur"] == pytest.approx(over["annual_kwh"] * 0.29 + 99.0 + over["meter_fee_eur_per_year"], abs=0.02)
    # a brighter reference year: more yield, in proportion
    ratio = over["pv_specific_yield_kwh_per_kwp"] / base["pv_specific_yield_kwh_per_kwp"]
    assert ratio == pytest.approx(1200.0 / 1102.0, rel=0.01)
    assert over["pv_specific_yield_kwh_per_kwp"] == pytest.approx(_pv_yield(override), abs=0.01)
    expected = _flat(over)
    assert _flat(_pv_file(meter_file, override)) == expected
    assert _flat(_app(meter_file, override)) == expected
    got = _flat(_batch(meter_file, tmp_path, override))
    for k, v in expected.items():
        assert got[k] == (pytest.approx(v, abs=0.011) if isinstance(v, float) else v), k


def test_nrw_comparison_only_in_nrw(demo):
    from advisor.analysis import analyse
    from advisor.household import Household
    from advisor.seeds import load_seeds

    seeds = load_seeds()
    h = Household(persons=3, dwelling="house", hot_water="other")
    herne = analyse(demo.curve, h, seeds=seeds, state="DE-NW").stromspiegel
    munich = analyse(demo.curve, h, seeds=seeds, state="DE-BY").stromspiegel
    assert herne.per_capita_nrw_kwh is not None and munich.per_capita_nrw_kwh is None
    assert herne.efficiency_class == munich.efficiency_class  # the Stromspiegel itself is national


def test_postal_codes_name_their_land():
    from advisor.location import STATES, locate_postal_code
    from advisor.seeds import load_seeds

    seeds = load_seeds()
    cases = {
        "44623": ("DE-NW", "exact"),  # Herne
        "80331": ("DE-BY", "zone"),  # München
        "10115": ("DE-BE", "zone"),
        "01067": ("DE-SN", "zone"),  # Dresden: the leading zero counts
        "21073": ("DE-HH", "district"),  # Hamburg-Harburg in zone 21 (Niedersachsen)
        "89231": ("DE-BY", "district"),  # Neu-Ulm in zone 89 (Baden-Württemberg)
        "27568": ("DE-HB", "district"),  # Bremerhaven
    }
    for code, (state, precision) in cases.items():
        p = locate_postal_code(code, seeds)
        assert (p.state, p.precision) == (state, precision), code
    table = seeds.table("postal_zones")
    assert set(table["state"]) == set(STATES)  # all 16 Länder
    assert table["source"].notna().all() and table["date"].notna().all()


def test_a_stadtwerk_meter_fee_wins(tmp_path, demo):
    from advisor.seeds import load_seeds
    from advisor.settings import resolve_settings

    base = resolve_settings(load_seeds(), None, curve=demo.curve)
    assert (base.meter, base.meter_fee_eur_per_year) == ("iMSys", 30.0)
    (tmp_path / "tariffs.toml").write_text(
        '[meter_fee_eur_per_year]\nvalue = 18.5\nunit = "EUR/yr"\nsource = "Stadtwerk Preisblatt"\ndate = "2026-11"\n'
    )
    own = resolve_settings(load_seeds(tmp_path), None, curve=demo.curve)
    assert own.meter_fee_eur_per_year == 18.5
    assert own.annual_bill_eur(1000.0) == pytest.approx(1000 * own.work_price_eur_per_kwh + own.base_fee_eur_per_year + 18.5)
