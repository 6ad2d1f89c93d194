"""advisor batch: a portfolio of real London households plus broken files; resume; META; outputs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from shared_data import shared_path

from advisor.batch.curves import combine_curves, estimated_curve
from advisor.batch.inputs import BatchInputError, read_meta
from advisor.batch.outputs import neutralise_cell, neutralise_frame
from advisor.batch.portfolio import MIN_PEER_GROUP_SIZE, aggregate_forecast, build_peer_groups
from advisor.batch.process import KeyFigures, PeerGroup
from advisor.cli import main
from advisor.ingest import ReadOptions
from advisor.loadcurve import CurveMeta, Quality, make_load_curve

REPO = Path(__file__).resolve().parents[1]
LONDON = ["--tz", "Europe/London", "--holiday-region", "GB-ENG"]
N_GOOD = 6
LETTER_DATE = "2026-11-24"


def london_ids(n: int) -> list[str]:
    """The first ``n`` London households without quality flags (full 2013, plausible)."""
    meta = pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv"))
    clean = meta[meta["qc_flags"].isna() & (meta["coverage_2013"] > 0.99)]
    return sorted(clean["lclid"])[:n]


def london_table(ids: list[str]) -> pd.DataFrame:
    t = pq.read_table(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"), filters=[("lclid", "in", ids)])
    return t.to_pandas()


def write_meter_csv(path: Path, rows: pd.DataFrame) -> None:
    """A plain portal-style CSV: UTC timestamps with Z, kWh per half hour."""
    df = pd.DataFrame({"timestamp": rows["timestamp_utc"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"), "kwh": rows["kwh"]})
    df.to_csv(path, index=False)


BROKEN = {
    "page.csv": "html",
    "empty.csv": "empty",
    "negative.csv": "negative",
}


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> tuple[Path, list[str]]:
    """A folder of 6 real London households (CSV) and 3 deliberately broken files."""
    folder = tmp_path_factory.mktemp("portfolio")
    ids = london_ids(N_GOOD)
    table = london_table(ids)
    for hid, rows in table.groupby("lclid"):
        write_meter_csv(folder / f"{hid}.csv", rows.sort_values("timestamp_utc"))
    (folder / "page.csv").write_text(
        "<!DOCTYPE html><html><head><title>Login</title></head><body>Anmelden</body></html>"
    )
    (folder / "empty.csv").write_bytes(b"")
    neg = table[table["lclid"] == ids[0]].sort_values("timestamp_utc").head(2000).copy()
    neg.iloc[500, neg.columns.get_loc("kwh")] = -0.25
    write_meter_csv(folder / "negative.csv", neg)
    return folder, ids


def run_cli(*args: str) -> int:
    """Exit status of ``advisor batch ARGS`` as the console script gives it."""
    return main(["batch", *map(str, args), "--no-progress"])


@pytest.fixture(scope="module")
def uninterrupted(portfolio, tmp_path_factory) -> Path:
    folder, _ = portfolio
    out = tmp_path_factory.mktemp("run") / "out"
    code = run_cli(folder, "--out", out, *LONDON, "--workers", "1", "--letter-date", LETTER_DATE)
    assert code == 3
    return out


def compared_files(out: Path) -> dict[str, bytes]:
    """Every output file except the manifest (times) and the DuckDB file (compared by content)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and ".state" not in p.relative_to(out).parts
        and p.name not in ("manifest.json", "summary.duckdb")
    }


def duckdb_tables(path: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').df() for (t,) in con.execute("SHOW TABLES").fetchall()
        }
    finally:
        con.close()


# ---------------------------------------------------------------------- end to end
def test_every_good_household_has_a_row_and_every_broken_file_is_in_errors(uninterrupted, portfolio):
    _, ids = portfolio
    summary = pd.read_parquet(uninterrupted / "summary.parquet")
    assert sorted(summary["household"]) == sorted(ids + ["empty", "negative", "page"])
    ok = summary[summary["status"] == "ok"]
    assert sorted(ok["household"]) == ids
    # the summary's annual consumption is the household's 2013 total scaled by its coverage
    meta = pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv")).set_index("lclid")
    for _, r in ok.iterrows():
        assert r["annual_kwh"] == pytest.approx(meta.loc[r["household"], "annualised_kwh"], rel=1e-3)
        assert r["interval_minutes"] == 30
    for hid in ids:  # every good household gets its letter, dated and with its mail-merge key
        letter = (uninterrupted / "letters" / f"{hid}.html").read_text(encoding="utf-8")
        assert "24.11.2026" in letter and hid in letter and "Energie-Check" in letter
    # HTML and PDF letters by default (issue 19: letters are printed and mailed)
    assert sorted(p.name for p in (uninterrupted / "letters").iterdir()) == sorted(
        f"{h}.{ext}" for h in ids for ext in ("html", "pdf")
    )
    assert list(ok["letter_html"]) == [f"letters/{h}.html" for h in ok["household"]]
    assert ok["savings_potential_eur"].notna().all() and ok["top_measure"].notna().all()
    errors = pd.read_csv(uninterrupted / "errors.csv")
    assert sorted(errors["household"]) == ["empty", "negative", "page"]
    msg = dict(zip(errors["household"], errors["message"], strict=True))
    assert "HTML page" in msg["page"]
    assert "empty" in msg["empty"]
    assert "negative" in msg["negative"]
    assert (errors["stage"] == "read").all()


def test_summary_csv_parquet_and_duckdb_agree(uninterrupted):
    pq_summary = pd.read_parquet(uninterrupted / "summary.parquet")
    csv_summary = pd.read_csv(uninterrupted / "summary.csv")
    assert list(csv_summary.columns) == list(pq_summary.columns)
    np.testing.assert_allclose(csv_summary["annual_kwh"].to_numpy(), pq_summary["annual_kwh"].to_numpy(dtype=float))
    tables = duckdb_tables(uninterrupted / "summary.duckdb")
    assert set(tables) == {"summary", "errors", "forecast_monthly"}
    assert len(tables["summary"]) == len(pq_summary)
    assert len(tables["errors"]) == 3
    manifest = json.loads((uninterrupted / "manifest.json").read_text())
    assert manifest["counts"] == {"ok": N_GOOD, "error": 3, "skipped": 0, "insufficient_data": 0}
    assert len(manifest["input"]["files"]) == N_GOOD + 3
    assert all(len(f["sha256"]) == 64 for f in manifest["input"]["files"])
    assert manifest["letter_date"] == LETTER_DATE
    # 12-month forecast per household, and its total is the household's projected year
    fm = tables["forecast_monthly"]
    ok = pq_summary[pq_summary["status"] == "ok"].set_index("household")
    assert fm.groupby("household").size().to_dict() == dict.fromkeys(ok.index, 12)
    p50 = fm.groupby("household")["p50_kwh"].sum()
    for hid, total in p50.items():
        assert total == pytest.approx(ok.loc[hid, "forecast_12mo_kwh"], abs=0.5)
    assert (fm["p10_kwh"] <= fm["p50_kwh"]).all() and (fm["p50_kwh"] <= fm["p90_kwh"]).all()
    page = (uninterrupted / "portfolio.html").read_text()
    # k-anonymity (issue 19): 6 households are fewer than k = 20, so no group figure is shown
    assert "Portfolio" in page and "Summe der Median-Prognosen" not in page
    assert "Keine Portfolio-Prognose: sie umfasste weniger als 20 Haushalte" in page


@pytest.mark.slow
def test_killed_and_resumed_run_equals_uninterrupted(uninterrupted, portfolio, tmp_path):
    folder, _ = portfolio
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "advisor", "batch", str(folder), "--out", str(out), *LONDON]
    cmd += ["--workers", "2", "--letter-date", LETTER_DATE, "--no-progress"]  # the process pool
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = out / ".state" / "rows"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if rows.exists() and len(list(rows.glob("*.json"))) >= 2:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    n_done = len(list(rows.glob("*.json")))
    assert 2 <= n_done < N_GOOD + 3, "the run must be killed part-way"
    assert not (out / "summary.parquet").exists()
    code = run_cli(folder, "--out", out, *LONDON, "--workers", "1", "--resume")
    assert code == 3
    assert compared_files(out) == compared_files(uninterrupted)
    a, b = duckdb_tables(out / "summary.duckdb"), duckdb_tables(uninterrupted / "summary.duckdb")
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    manifest = json.loads((out / "manifest.json").read_text())
    assert [r["resumed"] for r in manifest["runs"]][-1] is True
    # a second resume has nothing left to do and changes nothing
    assert run_cli(folder, "--out", out, *LONDON, "--workers", "1", "--resume") == 3
    assert compared_files(out) == compared_files(uninterrupted)


def test_long_table_with_meta_several_meters_estimate_and_opt_out(tmp_path):
    ids = london_ids(4)
    table = london_table(ids)
    table.to_parquet(tmp_path / "portfolio.parquet")
    meta = pd.DataFrame(
        {
            "household_id": ["K-1", "K-2", "K-3", "K-4", "K-5"],
            "meter_id": [f"{ids[0]}|{ids[1]}", ids[2], ids[3], "", ""],
            "persons": ["2", "3", "", "1", "4"],
            "dwelling": ["apartment", "Haus", "", "apartment", "house"],
            "language": ["de", "en", "de", "tr", "de"],
            "annual_kwh": ["", "", "", "2500", ""],
            "opt_out": ["", "", "ja", "", ""],
            "name": ["A. Muster", "", "", "", ""],
        }
    )
    meta.to_csv(tmp_path / "META.csv", sep=";", index=False)
    out = tmp_path / "out"
    code = run_cli(
        tmp_path / "portfolio.parquet",
        "--out",
        out,
        "--households",
        tmp_path / "META.csv",
        *LONDON,
        "--workers",
        "1",
        "--letter-date",
        LETTER_DATE,
    )
    assert code == 3  # K-5 has neither a curve nor an annual consumption
    s = pd.read_parquet(out / "summary.parquet").set_index("household")
    assert s.loc["K-1", "status"] == "ok" and s.loc["K-1", "n_meters"] == 2
    per_meter = table.groupby("lclid")["kwh"].sum()
    # two meters summed on one grid: the total is the sum of both meters' energy
    known = s.loc["K-1", "annual_kwh"] * s.loc["K-1", "coverage"]
    assert known == pytest.approx(per_meter[ids[0]] + per_meter[ids[1]], rel=2e-3)
    assert s.loc["K-2", "language"] == "en" and s.loc["K-2", "dwelling"] == "house" and s.loc["K-2", "persons"] == 3
    assert s.loc["K-3", "status"] == "skipped" and "§ 50 MsbG" in s.loc["K-3", "skipped_reason"]
    assert s.loc["K-4", "data_source"] == "estimated"
    assert s.loc["K-4", "annual_kwh"] == pytest.approx(2500.0, rel=1e-6)
    assert s.loc["K-5", "status"] == "error" and "annual_kwh" in s.loc["K-5", "error"]
    errors = pd.read_csv(out / "errors.csv")
    assert list(errors["household"]) == ["K-5"]  # skipped households are not errors
    assert not (out / ".state" / "partitions").exists()  # the split copy is removed when all are done
    assert sorted(p.name for p in (out / "letters").iterdir()) == [
        f"K-{i}.{ext}" for i in (1, 2, 4) for ext in ("html", "pdf")
    ]  # PDF by default (issue 19)
    assert "Hello," in (out / "letters" / "K-2.html").read_text()  # META language=en
    assert 'lang="tr"' in (out / "letters" / "K-4.html").read_text()  # META language=tr: a Turkish letter
    assert "Merhaba," in (out / "letters" / "K-4.html").read_text()
    assert "A. Muster" in (out / "letters" / "K-1.html").read_text()  # the address block


@pytest.mark.slow
def test_two_passes_give_every_letter_its_peer_group(tmp_path):
    """22 households, 21 of them 2 persons in an apartment: pass 1 forms that group (>= 20), pass 2
    compares each of its letters with it; the 4-person household gets the Stromspiegel only."""
    ids = london_ids(22)
    london_table(ids).to_parquet(tmp_path / "t.parquet")
    persons = ["2"] * 21 + ["4"]
    pd.DataFrame({"household_id": ids, "persons": persons, "dwelling": "apartment"}).to_csv(
        tmp_path / "META.csv", index=False
    )
    out = tmp_path / "out"
    code = run_cli(
        tmp_path / "t.parquet",
        "--out",
        out,
        "--households",
        tmp_path / "META.csv",
        *LONDON,
        "--workers",
        "1",
        "--letter-date",
        LETTER_DATE,
    )
    assert code == 0
    s = pd.read_parquet(out / "summary.parquet").set_index("household")
    group = s[s["persons"] == 2]
    assert (group["peer_n"] == 21).all() and (group["peer_group"] == "2p-apartment").all()
    values = np.sort(group["annual_kwh"].to_numpy())
    # the table shows kWh to 0.01 (the contract's rounding); the peer figures use the unrounded values
    assert group["peer_median_kwh"].iloc[0] == pytest.approx(np.median(values), abs=0.011)
    for hid, r in group.iterrows():  # mid-rank percentile within the group, by hand
        below, equal = (values < r["annual_kwh"] - 0.006).sum(), (np.abs(values - r["annual_kwh"]) <= 0.006).sum()
        assert r["peer_percentile"] == pytest.approx(100 * (below + (below + equal)) / 2 / 21, abs=0.1)
        assert "Zum Vergleich" in (out / "letters" / f"{hid}.html").read_text(encoding="utf-8")
    single = s[s["persons"] == 4].iloc[0]
    assert pd.isna(single["peer_n"]) and pd.isna(single["peer_group"])
    assert "Zum Vergleich" not in (out / "letters" / f"{single.name}.html").read_text(encoding="utf-8")
    assert "21" in (out / "portfolio.html").read_text()  # the group in the portfolio page
    assert len(list((out / ".state" / "pass1").glob("*.json"))) == 22


def test_consent_column_skips_households_without_consent(tmp_path):
    ids = london_ids(2)
    london_table(ids).to_parquet(tmp_path / "t.parquet")
    pd.DataFrame({"household_id": ids, "consent": ["yes", ""]}).to_csv(tmp_path / "META.csv", index=False)
    out = tmp_path / "out"
    assert (
        run_cli(tmp_path / "t.parquet", "--out", out, "--households", tmp_path / "META.csv", *LONDON, "--workers", "1")
        == 0
    )
    s = pd.read_parquet(out / "summary.parquet").set_index("household")
    assert s.loc[ids[0], "status"] == "ok"
    assert s.loc[ids[1], "status"] == "skipped"


def test_bad_usage_exits_2(tmp_path, portfolio, capsys):
    folder, _ = portfolio
    assert run_cli(tmp_path / "nope", "--out", tmp_path / "o") == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    assert run_cli(folder, "--out", tmp_path / "full") == 2
    assert run_cli(folder, "--out", tmp_path / "o", "--engine", "spark") == 2
    assert run_cli(folder, "--out", tmp_path / "o", "--formats", "docx") == 2
    assert run_cli(folder, "--out", tmp_path / "o", "--key-file", tmp_path / "k") == 2
    assert run_cli(folder, "--out", folder / "letters-out") == 2  # output inside the input folder
    assert not (folder / "letters-out").exists()


def test_resume_with_other_options_is_refused(uninterrupted, portfolio, capsys):
    folder, _ = portfolio
    assert run_cli(folder, "--out", uninterrupted, "--tz", "Europe/Berlin", "--resume") == 2
    assert "differs" in capsys.readouterr().err
    assert run_cli(folder, "--out", uninterrupted, *LONDON) == 2  # without --resume


def test_pdf_letters_and_brand(tmp_path):
    ids = london_ids(1)
    london_table(ids).to_parquet(tmp_path / "t.parquet")
    brand = tmp_path / "brand"
    brand.mkdir()
    (brand / "brand.toml").write_text(
        'name = "Stadtwerke Herne AG"\nsender = ["Stadtwerke Herne AG", "Grenzweg 18", "44623 Herne"]\n'
        'primary_color = "#005a9c"\ncontact = "Energieberatung 02323 592-0"\n',
        encoding="utf-8",
    )
    (brand / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    out = tmp_path / "out"
    assert (
        run_cli(
            tmp_path / "t.parquet", "--out", out, *LONDON, "--workers", "1", "--formats", "html,pdf", "--brand", brand
        )
        == 0
    )
    html = (out / "letters" / f"{ids[0]}.html").read_text()
    assert "Stadtwerke Herne AG" in html and "Grenzweg 18" in html and "data:image/svg+xml;base64," in html
    assert (out / "letters" / f"{ids[0]}.pdf").read_bytes()[:5] == b"%PDF-"
    assert pd.read_parquet(out / "summary.parquet")["letter_pdf"].iloc[0] == f"letters/{ids[0]}.pdf"
    assert "Stadtwerke Herne AG" in (out / "portfolio.html").read_text()


def _double_or_die(item, settings):
    if item == 3:
        os._exit(7)  # a household that kills its worker process (segfault, OOM killer)
    return item * settings


@pytest.mark.slow
def test_local_pool_isolates_a_household_that_kills_its_worker():
    from advisor.batch.engine import EngineSpec, map_unordered

    out = list(map_unordered(_double_or_die, range(10), 10, EngineSpec("local", workers=2), lambda i, m: ("died", i)))
    assert sorted(out, key=str) == sorted([10 * i for i in range(10) if i != 3] + [("died", 3)], key=str)


def test_seeds_override_changes_the_euros(tmp_path, uninterrupted, portfolio):
    """--seeds DIR: the Stadtwerk's own work price replaces the default in every figure."""
    _, ids = portfolio
    london_table(ids[:1]).to_parquet(tmp_path / "t.parquet")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "tariffs.toml").write_text(
        '[household_price_eur_per_kwh]\nvalue = 0.74\nunit = "EUR/kWh"\nsource = "Stadtwerk price sheet"\ndate = "2026-11"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert (
        run_cli(
            tmp_path / "t.parquet",
            "--out",
            out,
            *LONDON,
            "--workers",
            "1",
            "--seeds",
            seeds,
            "--letter-date",
            LETTER_DATE,
        )
        == 0
    )
    mine = pd.read_parquet(out / "summary.parquet").set_index("household").loc[ids[0]]
    default = pd.read_parquet(uninterrupted / "summary.parquet").set_index("household").loc[ids[0]]
    assert mine["annual_kwh"] == pytest.approx(default["annual_kwh"])  # same curve ...
    assert mine["savings_potential_eur"] > default["savings_potential_eur"]  # ... worth more at twice the price
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"]["override"] == str(seeds)
    assert manifest["seeds"]["version"] != json.loads((uninterrupted / "manifest.json").read_text())["seeds"]["version"]


# ---------------------------------------------------------------------- META
def test_meta_needs_household_id(tmp_path):
    (tmp_path / "m.csv").write_text("id;persons\n1;2\n")
    with pytest.raises(BatchInputError, match="household_id"):
        read_meta(tmp_path / "m.csv")


def test_meta_file_not_in_folder_is_refused(tmp_path, portfolio):
    folder, _ = portfolio
    pd.DataFrame({"household_id": ["A"], "file": ["missing.csv"]}).to_csv(tmp_path / "META.csv", index=False)
    assert run_cli(folder, "--out", tmp_path / "o", "--households", tmp_path / "META.csv") == 2


# ---------------------------------------------------------------------- curves
def _curve(start: str, minutes: int, values, tz="Europe/Berlin", quality=None):
    idx = pd.date_range(pd.Timestamp(start).tz_localize(tz), periods=len(values), freq=f"{minutes}min")
    q = None if quality is None else pd.Series(quality, index=idx)
    return make_load_curve(
        pd.Series(values, index=idx, dtype=float), interval_minutes=minutes, quality=q, meta=CurveMeta(tz=tz)
    )


def test_combine_meters_on_the_coarsest_grid():
    a = _curve("2024-06-01 00:00", 15, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])  # two hours at 15 min
    b = _curve("2024-06-01 00:00", 30, [1.0, 1.0, np.nan, 1.0])
    c = combine_curves([a, b], "H")
    assert c.interval_minutes == 30
    # hand-computed: (0.1+0.2)+1, (0.3+0.4)+1, missing (b missing inside its span), (0.7+0.8)+1
    np.testing.assert_allclose(c.data["energy_kwh"].to_numpy(), [1.3, 1.7, np.nan, 2.5])
    assert list(c.data["quality"].astype(str)) == ["measured", "measured", "missing", "measured"]


def test_combine_meter_exchange_counts_absent_meter_as_zero():
    old = _curve("2024-06-01 00:00", 60, [1.0, 1.0])
    new = _curve("2024-06-01 02:00", 60, [2.0, 2.0])
    c = combine_curves([old, new], "H")
    np.testing.assert_allclose(c.data["energy_kwh"].to_numpy(), [1.0, 1.0, 2.0, 2.0])


def test_estimated_curve_sums_to_the_annual_consumption():
    c = estimated_curve(3200.0, ReadOptions(), 2024, "K")
    assert c.total_kwh == pytest.approx(3200.0, rel=1e-9)
    assert c.is_estimated and c.count(Quality.ESTIMATED) == c.n_intervals
    assert c.n_intervals == 366 * 96


# ---------------------------------------------------------------------- peers and forecast
class _Item:
    def __init__(self, key, group):
        self.key, self.peer_group, self.skipped_reason = key, group, None


def test_peer_groups_need_at_least_20_measured_households():
    assert MIN_PEER_GROUP_SIZE == 20
    items = [_Item(f"a{i}", (2, "apartment")) for i in range(20)] + [_Item(f"h{i}", (4, "house")) for i in range(19)]
    items.append(_Item("est", (2, "apartment")))
    figures = {i.key: KeyFigures(i.key, "ok", annual_kwh=1000.0 + 100 * k) for k, i in enumerate(items)}
    figures["est"] = KeyFigures("est", "ok", annual_kwh=99999.0, measured=False)
    groups = build_peer_groups(items, figures)
    assert list(groups) == [(2, "apartment")]
    g = groups[(2, "apartment")]
    assert g.n_households == 20 and g.median_kwh == pytest.approx(1950.0)  # 1000..2900 step 100


def test_letter_shows_the_peer_group_of_its_household(tmp_path):
    """Second pass with a peer group of 20: the row and the letter carry the comparison."""
    from advisor.assessment import AssessmentSettings
    from advisor.batch.inputs import CurveSource, WorkItem
    from advisor.batch.process import BatchSettings, process_household
    from advisor.seeds import load_seeds

    ids = london_ids(1)
    rows = london_table(ids).sort_values("timestamp_utc")
    write_meter_csv(tmp_path / "h.csv", rows)
    item = WorkItem(
        household_id="H1",
        key="H1",
        sources=(CurveSource("file", str(tmp_path / "h.csv"), None, "h.csv"),),
        household={"persons": "2", "dwelling": "apartment"},
        peer_group=(2, "apartment"),
    )
    group = PeerGroup(2, "apartment", 20, tuple(1000.0 + 500.0 * k for k in range(20)))  # 1000..10500
    seeds = load_seeds()
    settings = BatchSettings(
        read_options=ReadOptions(tz="Europe/London", holiday_region="GB-ENG"),
        seeds=seeds,
        letter_date=LETTER_DATE,
        peers={(2, "apartment"): group},
        assessment_settings=AssessmentSettings(seeds=seeds),
    )
    result = process_household(item, settings)
    assert result.status == "ok", result.row["error"]
    annual = float(
        pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv"))
        .set_index("lclid")
        .loc[ids[0], "annualised_kwh"]
    )
    expected = 100.0 * sum(v < annual for v in group.annual_kwh_sorted) / 20  # no ties
    assert result.row["peer_n"] == 20 and result.row["peer_group"] == "2p-apartment"
    assert result.row["peer_median_kwh"] == pytest.approx(5750.0)
    assert result.row["peer_percentile"] == pytest.approx(expected)
    letter = dict(result.files)["letters/H1.html"].decode()
    assert "2-Personen-Haushalte in einer Wohnung" in letter and "Zum Vergleich" in letter


def test_peer_percentile_is_mid_rank():
    g = PeerGroup(2, "apartment", 4, (1000.0, 2000.0, 3000.0, 4000.0))
    assert g.percentile_of(2000.0) == pytest.approx(37.5)  # 1 below, 1 equal: (1 + 2) / 2 / 4
    assert g.percentile_of(500.0) == 0.0
    assert g.percentile_of(5000.0) == 100.0


def test_aggregated_forecast_sums_p50_and_band_lies_within_envelope():
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    a = {m: [80.0, 100.0, 130.0] for m in months}
    b = {m: [150.0, 200.0, 240.0] for m in months}
    fc = aggregate_forecast([a, b, None])
    assert fc.n_households == 2 and fc.months == tuple(months)
    assert fc.p50_kwh == pytest.approx((300.0,) * 12)
    assert fc.envelope_low_kwh == pytest.approx((230.0,) * 12) and fc.envelope_high_kwh == pytest.approx((370.0,) * 12)
    for lo, hi in zip(fc.p10_kwh, fc.p90_kwh, strict=True):
        assert 230.0 < lo < 300.0 < hi < 370.0
    # independent households: the band of the sum is ~ sqrt(sum of variances), here +-~ 61 kWh wide at P90
    sigma_high = np.hypot(30.0, 40.0) / 1.2816
    assert fc.p90_kwh[0] - 300.0 == pytest.approx(1.2816 * sigma_high, rel=0.1)
    assert aggregate_forecast([a, b]) == aggregate_forecast([a, b])  # fixed seed: same page every run


# ---------------------------------------------------------------------- CSV injection
def test_neutralise_owasp_vectors_and_keep_numbers():
    assert neutralise_cell("=1+2") == "'=1+2"
    assert neutralise_cell('=1+2";=1+2') == "'=1+2\";=1+2"
    assert neutralise_cell("@SUM(1)") == "'@SUM(1)"
    assert neutralise_cell("\t=1") == "'\t=1"
    assert neutralise_cell("-0.5") == "'-0.5"
    assert neutralise_cell("+49 2323") == "'+49 2323"
    assert neutralise_cell("\r\n") == "'\r\n"
    assert neutralise_cell(-0.5) == -0.5
    assert neutralise_cell("Herne") == "Herne"
    df = pd.DataFrame({"=HYPERLINK(1)": ["-x", "ok"], "kwh": [-1.5, 2.0]})
    out = neutralise_frame(df)
    assert list(out.columns) == ["'=HYPERLINK(1)", "kwh"]
    assert list(out.iloc[:, 0]) == ["'-x", "ok"]
    assert list(out["kwh"]) == [-1.5, 2.0]


def test_hostile_ids_are_neutralised_in_exported_csv(tmp_path):
    ids = london_ids(1)
    t = london_table(ids)
    t["lclid"] = "-2+3"
    t.to_parquet(tmp_path / "t.parquet")
    out = tmp_path / "out"
    assert run_cli(tmp_path / "t.parquet", "--out", out, *LONDON, "--workers", "1") == 0
    key = pd.read_parquet(out / "summary.parquet")["household"].iloc[0]
    assert key.startswith("-2_3-")  # file-safe form of the id; Parquet keeps it as it is
    text = (out / "summary.csv").read_text()
    assert f"\n'{key}," in text and f"\n{key}," not in text


@pytest.mark.skipif(os.environ.get("CI_NO_SUBPROCESS") == "1", reason="subprocess disabled")
def test_cli_help_lists_the_options():
    r = subprocess.run([sys.executable, "-m", "advisor", "batch", "--help"], cwd=REPO, capture_output=True, text=True)
    for flag in (
        "--households",
        "--engine",
        "--workers",
        "--scheduler",
        "--pseudonymise",
        "--key-file",
        "--resume",
        "--seeds",
        "--brand",
        "--formats",
    ):
        assert flag in r.stdout


def test_too_little_data_gets_no_letter_but_a_reason(tmp_path):
    """A one-day and a 27-day file: status insufficient_data with the reason, no letter, not an error
    (exit 0); 29 days get a letter (the threshold is four weeks of measured values)."""
    rows = london_table(london_ids(1)).sort_values("timestamp_utc")
    folder = tmp_path / "in"
    folder.mkdir()
    write_meter_csv(folder / "one_day.csv", rows.head(48))
    write_meter_csv(folder / "days_27.csv", rows.head(48 * 27))
    write_meter_csv(folder / "days_29.csv", rows.head(48 * 29))
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out, *LONDON, "--workers", "1", "--letter-date", LETTER_DATE) == 0
    s = pd.read_parquet(out / "summary.parquet").set_index("household")
    for hid, days in (("one_day", "1.0"), ("days_27", "27.0")):
        assert s.loc[hid, "status"] == "insufficient_data"
        reason = s.loc[hid, "skipped_reason"]
        assert f"{days} days with measured values" in reason and "at least 28 days" in reason
        assert pd.isna(s.loc[hid, "letter_html"]) and pd.isna(s.loc[hid, "annual_kwh"])
        assert s.loc[hid, "interval_minutes"] == 30  # what the file holds is still described
    assert s.loc["days_29", "status"] == "ok" and s.loc["days_29", "letter_html"] == "letters/days_29.html"
    assert sorted(p.name for p in (out / "letters").iterdir()) == ["days_29.html", "days_29.pdf"]  # PDF by default (issue 19)
    assert not (out / "errors.csv").exists() or pd.read_csv(out / "errors.csv").empty
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["insufficient_data"] == 2 and manifest["counts"]["ok"] == 1
    assert "Zu wenige Daten für einen Brief" in (out / "portfolio.html").read_text(encoding="utf-8")


def test_short_curve_with_billed_annual_consumption_gets_an_estimated_letter(tmp_path):
    rows = london_table(london_ids(1)).sort_values("timestamp_utc")
    folder = tmp_path / "in"
    folder.mkdir()
    write_meter_csv(folder / "short.csv", rows.head(48 * 3))
    pd.DataFrame({"household_id": ["short"], "file": ["short.csv"], "annual_kwh": ["3000"]}).to_csv(
        tmp_path / "META.csv", index=False
    )
    out = tmp_path / "out"
    code = run_cli(
        folder, "--out", out, "--households", tmp_path / "META.csv", *LONDON, "--workers", "1",
        "--letter-date", LETTER_DATE,
    )  # fmt: skip
    assert code == 0
    r = pd.read_parquet(out / "summary.parquet").set_index("household").loc["short"]
    assert r["status"] == "ok" and r["data_source"] == "estimated"
    assert r["annual_kwh"] == pytest.approx(3000.0, rel=1e-6)
    assert r["letter_html"] == "letters/short.html"


def test_mostly_zero_readings_get_no_letter(tmp_path):
    """40 days of which 80 % of the readings are exactly zero: a meter or export fault, no letter."""
    rows = london_table(london_ids(1)).sort_values("timestamp_utc").head(48 * 40).copy()
    rows.loc[rows.index[np.arange(len(rows)) % 5 != 0], "kwh"] = 0.0
    folder = tmp_path / "in"
    folder.mkdir()
    write_meter_csv(folder / "zeros.csv", rows)
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out, *LONDON, "--workers", "1", "--letter-date", LETTER_DATE) == 0
    r = pd.read_parquet(out / "summary.parquet").set_index("household").loc["zeros"]
    assert r["status"] == "insufficient_data" and "80 % of the readings are exactly zero" in r["skipped_reason"]
    assert not (out / "letters" / "zeros.html").exists()
