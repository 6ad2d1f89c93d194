"""Long multi-household tables (CSV / Parquet): aliases, options, gaps, offsets, streaming."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shared_data import shared_path

from advisor.errors import LoadCurveError
from advisor.ingest import ReadOptions, detect_format, read_load_curves, tabular
from advisor.ingest.tabular import iter_long_table, list_households
from advisor.loadcurve import make_load_curve

DATA = Path(__file__).parent / "data" / "formats"
LONDON = ReadOptions(tz="Europe/London", holiday_region="GB-ENG")


# ---------------------------------------------------------------------------------------------
# The shared London table
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lcl():
    path = shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")
    return path, pd.read_parquet(path), pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv"))


def test_lcl_reads_as_it_is_through_the_dispatcher(lcl):
    path, df, meta = lcl
    assert detect_format(path.read_bytes()[:65536], path.name) == "long-table"
    curves = {c.meta.meter_id: c for c in read_load_curves(path, LONDON)}
    assert len(curves) == 60
    for hid in ("MAC000003", "MAC000004"):
        c = curves[hid]
        rows = df[df["lclid"] == hid]
        assert c.meta.tz == "Europe/London" and c.meta.holiday_region == "GB-ENG"
        assert c.interval_minutes == 30
        # gaps are absent rows: the 2013 grid has 17520 half-hours
        assert c.n_intervals == 17520
        assert c.missing_intervals == 17520 - len(rows)
        assert c.measured_and_substituted_kwh == pytest.approx(float(rows["kwh"].sum()), abs=1e-9)
        annual = float(meta.loc[meta["lclid"] == hid, "sum_kwh_2013"].iloc[0])  # rounded to 0.1 kWh
        assert c.measured_and_substituted_kwh == pytest.approx(annual, abs=0.05)
    # UTC instants kept; local London days
    assert curves["MAC000003"].start == pd.Timestamp("2013-01-01 00:00", tz="UTC")
    assert (
        curves["MAC000003"].local_index().normalize().value_counts().loc[pd.Timestamp("2013-03-31", tz="Europe/London")]
        == 46
    )


def test_lcl_streaming_and_household_list(lcl):
    path, df, _ = lcl
    hh = list_households(path, LONDON)
    assert hh == list(pd.unique(df["lclid"]))
    got = {}
    for hid, res in iter_long_table(path, LONDON):
        assert not isinstance(res, LoadCurveError), res
        got[hid] = res.measured_and_substituted_kwh
    assert list(got) == hh
    sums = df.groupby("lclid")["kwh"].sum()
    assert np.allclose([got[h] for h in hh], sums.loc[hh].to_numpy(), atol=1e-9)


# ---------------------------------------------------------------------------------------------
# A small CSV with aliases, offsets, gaps and one bad household
# ---------------------------------------------------------------------------------------------
def test_csv_aliases_offsets_gaps_and_bad_household_streamed():
    path = DATA / "long_table_aliases.csv"
    assert list_households(path) == ["A1", "B2", "C3", "D4"]
    res = dict(iter_long_table(path))
    a, b, c, d = (res[k] for k in ("A1", "B2", "C3", "D4"))
    # A1: 00:30 row absent -> a missing interval; 0.25 + 0.5 + 0.125
    assert a.n_intervals == 4 and a.missing_intervals == 1
    assert a.measured_and_substituted_kwh == pytest.approx(0.875)
    # B2: UTC timestamps, an empty value -> missing
    assert b.start == pd.Timestamp("2024-01-01 01:00", tz="Europe/Berlin")
    assert b.missing_intervals == 1 and b.measured_and_substituted_kwh == pytest.approx(3.0)
    # C3: negative value -> its own error, named; D4 after it is not lost
    assert isinstance(c, LoadCurveError)
    assert "household C3" in str(c) and "negative" in str(c)
    assert d.measured_and_substituted_kwh == pytest.approx(0.6)


def test_dispatcher_is_strict_about_a_bad_household():
    with pytest.raises(LoadCurveError, match="household C3.*negative"):
        read_load_curves(DATA / "long_table_aliases.csv")


def test_explicit_column_options_and_missing_columns(tmp_path):
    p = tmp_path / "custom.csv"
    p.write_text("kunde;zeit;verbrauch\nK1;2024-06-01 00:00;0,5\nK1;2024-06-01 00:15;1,25\n")
    opts = ReadOptions(id_col="kunde", time_col="zeit", value_col="verbrauch")
    [(hid, c)] = list(iter_long_table(p, opts))
    assert hid == "K1"
    # naive local time in Europe/Berlin, decimal comma in a ';' table
    assert c.start == pd.Timestamp("2024-06-01 00:00", tz="Europe/Berlin")
    assert c.measured_and_substituted_kwh == pytest.approx(1.75)
    with pytest.raises(LoadCurveError, match="no id column"):
        list(iter_long_table(p))
    with pytest.raises(LoadCurveError, match="value column 'kwh_x' not found"):
        list(iter_long_table(p, ReadOptions(id_col="kunde", time_col="zeit", value_col="kwh_x")))


def test_naive_local_times_across_october_by_order(tmp_path):
    walls = pd.date_range("2023-10-29 00:00", "2023-10-29 23:45", freq="15min")
    walls = list(walls[:12]) + list(walls[8:12]) + list(walls[12:])
    df = pd.DataFrame({"household_id": "H", "timestamp": [w.strftime("%Y-%m-%d %H:%M") for w in walls], "kwh": 0.01})
    p = tmp_path / "oct.csv"
    df.to_csv(p, index=False)
    [(_, c)] = list(iter_long_table(p))
    assert c.n_intervals == 100 and c.missing_intervals == 0
    assert c.measured_and_substituted_kwh == pytest.approx(1.0)


def test_duplicate_rows_disagreeing_refused_identical_dropped(tmp_path):
    p = tmp_path / "dup.csv"
    p.write_text(
        "household_id,timestamp,kwh\nX,2024-01-01T00:00Z,1\nX,2024-01-01T00:15Z,1\nX,2024-01-01T00:15Z,1\n"
        "Y,2024-01-01T00:00Z,1\nY,2024-01-01T00:00Z,2\nY,2024-01-01T00:15Z,1\n"
    )
    res = dict(iter_long_table(p))
    assert res["X"].n_intervals == 2 and any("identical" in w for w in res["X"].meta.warnings)
    assert isinstance(res["Y"], LoadCurveError) and "different values" in str(res["Y"])


def _synthetic_table(n_households=5, n_rows=96 * 3, seed=1):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2024-03-30", periods=n_rows, freq="15min", tz="UTC")
    frames = []
    for i in range(n_households):
        e = rng.uniform(0, 0.5, n_rows)
        keep = rng.random(n_rows) > 0.1  # 10 % of rows absent
        keep[0] = keep[-1] = True
        frames.append(pd.DataFrame({"household_id": f"H{i}", "timestamp": idx[keep], "kwh": e[keep]}))
    return pd.concat(frames, ignore_index=True)


def test_interleaved_parquet_read_in_passes_equals_grouped(tmp_path, monkeypatch):
    df = _synthetic_table()
    grouped = tmp_path / "grouped.parquet"
    shuffled = tmp_path / "shuffled.parquet"
    df.to_parquet(grouped, index=False)
    df.sample(frac=1.0, random_state=3).sort_values("timestamp", kind="stable").to_parquet(
        shuffled, index=False, row_group_size=500
    )
    monkeypatch.setattr(tabular, "PASS_ROWS", 700)  # force several passes
    monkeypatch.setattr(tabular, "BATCH_ROWS", 400)  # and several batches per pass
    a = dict(iter_long_table(grouped))
    b = dict(iter_long_table(shuffled))
    assert sorted(a) == sorted(b) == [f"H{i}" for i in range(5)]
    for h in a:
        assert a[h].data.equals(b[h].data)
        assert a[h].measured_and_substituted_kwh == pytest.approx(df.loc[df.household_id == h, "kwh"].sum())


def test_fast_path_matches_make_load_curve():
    df = _synthetic_table(n_households=1, seed=7)
    [(_, c)] = list(iter_long_table(df.to_csv(index=False).encode()))
    s = pd.Series(df["kwh"].to_numpy(), index=pd.DatetimeIndex(df["timestamp"]))
    ref = make_load_curve(s, meta=c.meta)
    assert c.data.equals(ref.data)
    assert c.interval_minutes == ref.interval_minutes == 15


def test_cli_ingest_long_table_json(capsys):
    from advisor.cli import main

    code = main(["ingest", str(DATA / "long_table_aliases.csv"), "--json"])
    assert code == 2
    assert "household C3" in capsys.readouterr().err
    p = shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")
    code = main(["ingest", str(p), "--json", "--tz", "Europe/London", "--holiday-region", "GB-ENG"])
    out = capsys.readouterr()
    assert code == 0, out.err
    objs = json.loads(out.out)
    assert len(objs) == 60 and objs[0]["meter_id"] == "MAC000003"
    assert objs[0]["energy_kwh"] == pytest.approx(7010.249004, abs=1e-6)
    assert objs[0]["tz"] == "Europe/London"


def test_unit_option_wh_and_power_refused(tmp_path):
    p = tmp_path / "wh.csv"
    p.write_text("household_id;timestamp;kwh\nW;2024-01-01T00:00Z;250\nW;2024-01-01T00:15Z;499,5\n")
    [(_, c)] = list(iter_long_table(p, ReadOptions(unit="Wh")))
    assert c.measured_and_substituted_kwh == pytest.approx(0.7495)
    with pytest.raises(LoadCurveError, match="kWh or Wh"):
        list(iter_long_table(p, ReadOptions(unit="kW")))
