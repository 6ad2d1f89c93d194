"""Regression tests of issue 17 (hostile-input review): each reproduces one finding and fails on
the code before the fix."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from advisor.errors import LoadCurveError
from advisor.ingest import ReadOptions, read_load_curve, read_load_curves
from advisor.ingest.mscons import ServiceChars, split_segments


def _rows(days=(1, 2, 3), fmt="{d:02d}.06.2024 {h:02d}:{m:02d};0,1\n") -> str:
    return "".join(fmt.format(d=d, h=h, m=m) for d in days for h in range(24) for m in (0, 15, 30, 45))


# --- 1. linear-time MSCONS segment splitting ----------------------------------------------------
def test_mscons_without_terminators_is_refused_fast():
    """Newlines instead of ' : the old regex took 2.6 s at 10 kB and 158 s at 80 kB."""
    seg = "QTY+220:0.123\nDTM+163:202401010000?+00:303\n"
    text = "UNA:+.? '\nUNB+UNOC:3+x+y\nUNH+1+MSCONS:D:04B:UN:2.4b\n" + seg * (400_000 // len(seg))
    t = time.perf_counter()
    with pytest.raises(LoadCurveError, match="without its terminator"):
        read_load_curves(text.encode(), name="m.txt")
    assert time.perf_counter() - t < 2.0


def test_mscons_split_is_linear_with_many_releases():
    text = ("DTM+163:202401010000?+00:303'" * 20_000) + "?'" * 50_000
    t = time.perf_counter()
    with pytest.raises(LoadCurveError):
        split_segments(text, ServiceChars())
    assert time.perf_counter() - t < 2.0


def test_mscons_split_still_honours_release_character():
    assert split_segments("A+b?'c'\nB+d'", ServiceChars()) == ["A+b?'c", "B+d"]


# --- 2. time zones stated by the file -------------------------------------------------------------
@pytest.mark.parametrize(
    "header,offset_h,stated",
    [
        ("timestamp_utc;kWh", 0, True),
        ("Zeitstempel (UTC);Verbrauch [kWh]", 0, True),
        ("Zeitstempel;Verbrauch [kWh]", 2, False),  # nothing stated: Berlin summer time
        ("Zeitstempel (MEZ);Verbrauch [kWh]", 1, True),  # MEZ is UTC+1 also in June
        ("Zeitstempel (MESZ);Verbrauch [kWh]", 2, True),
        ("Zeitstempel (MEZ/MESZ);Verbrauch [kWh]", 2, False),  # legal time = Berlin
    ],
)
def test_time_zone_from_column_name(header, offset_h, stated):
    c = read_load_curve((header + "\n" + _rows((1,))).encode(), name="x.csv")
    assert c.start == pd.Timestamp("2024-06-01 00:00", tz="UTC") - pd.Timedelta(hours=offset_h)
    assert any("as stated in column" in n for n in c.meta.conversions) == stated


def test_time_zone_from_separate_time_column():
    rows = "".join(f"01.06.2024;{h:02d}:{m:02d};0,1\n" for h in range(24) for m in (0, 15, 30, 45))
    c = read_load_curve(("Datum;Uhrzeit (UTC);Wert [kWh]\n" + rows).encode(), name="x.csv")
    assert c.start == pd.Timestamp("2024-06-01 00:00", tz="UTC")


def test_time_zone_from_unit_row_and_metadata_line():
    unit_row = "Zeitstempel;Wert\nUTC;kWh\n" + _rows((1,))
    c = read_load_curve(unit_row.encode(), name="x.csv")
    assert c.start.tz_convert("UTC").hour == 0
    assert any("unit row" in n for n in c.meta.conversions)
    meta_line = "Zeitzone;UTC\nZeitstempel;Wert [kWh]\n" + _rows((1,))
    c = read_load_curve(meta_line.encode(), name="x.csv")
    assert c.start.tz_convert("UTC").hour == 0


def test_time_zone_in_long_table_column_name():
    t = "household_id,timestamp_utc,kwh\n" + "".join(f"h1,2024-06-01 10:{m:02d}:00,0.1\n" for m in (0, 15, 30, 45))
    (c,) = read_load_curves(t.encode(), name="long.csv")
    assert c.start == pd.Timestamp("2024-06-01 10:00", tz="UTC")
    assert any("UTC" in w for w in c.meta.warnings)


def test_mez_file_across_autumn_change_has_no_ambiguity():
    """MEZ is fixed +01:00: 02:00-02:45 on the last Sunday of October occur once, no DST logic."""
    rows = "".join(f"27.10.2024 {h:02d}:{m:02d};0,1\n" for h in range(24) for m in (0, 15, 30, 45))
    c = read_load_curve(("Zeitstempel (MEZ);Wert [kWh]\n" + rows).encode(), name="x.csv")
    assert c.n_intervals == 96 and c.missing_intervals == 0
    assert c.start == pd.Timestamp("2024-10-26 23:00", tz="UTC")


# --- 3. plausible period --------------------------------------------------------------------------
def test_one_mistyped_1900_row_is_set_aside_with_warning():
    """Old code: 4,348,128 intervals (1 GB in the app) and a letter for 'gemessen' data."""
    txt = "Zeitstempel;Wert [kWh]\n" + _rows() + "01.01.1900 00:00;0,1\n"
    t = time.perf_counter()
    c = read_load_curve(txt.encode(), name="x.csv")
    assert c.n_intervals == 288
    assert time.perf_counter() - t < 5
    (w,) = [w for w in c.meta.warnings if "plausible period" in w]
    assert "line 290" in w and "01.01.1900" in w


def test_1900_row_first_is_set_aside_too():
    txt = "Zeitstempel;Wert [kWh]\n01.01.1900 00:00;0,1\n" + _rows()
    assert read_load_curve(txt.encode(), name="x.csv").n_intervals == 288


def test_1900_to_2199_span_refused_with_the_right_reason():
    txt = "Zeitstempel;Wert [kWh]\n01.01.1900 00:00;0,1\n01.01.2199 00:00;0,1\n01.01.2199 00:15;0,1\n"
    with pytest.raises(LoadCurveError) as ei:
        read_load_curve(txt.encode(), name="x.csv")
    assert "plausible period" in ei.value.reason and "backwards" not in ei.value.reason


def test_plausible_period_is_configurable():
    txt = "Zeitstempel;Wert [kWh]\n" + _rows(fmt="{d:02d}.06.1995 {h:02d}:{m:02d};0,1\n")
    with pytest.raises(LoadCurveError, match="plausible period"):
        read_load_curve(txt.encode(), name="x.csv")
    c = read_load_curve(txt.encode(), ReadOptions(earliest="1990-01-01"), name="x.csv")
    assert c.n_intervals == 288


def test_plausible_period_in_other_readers_iso_and_long_table():
    iso = "timestamp,kWh\n" + "".join(f"2024-06-01T10:{m:02d}:00+00:00,0.1\n" for m in (0, 15, 30, 45))
    iso += "1900-01-01T00:00:00+00:00,0.1\n"
    c = read_load_curve(iso.encode(), name="x.csv")
    assert c.n_intervals == 4
    t = "household_id,timestamp,kwh\n" + "".join(f"h1,2024-06-01T10:{m:02d}:00Z,0.1\n" for m in (0, 15, 30, 45))
    t += "h1,1900-01-01T00:00:00Z,0.1\n"
    (c,) = read_load_curves(t.encode(), name="long.csv")
    assert c.n_intervals == 4 and any("plausible period" in w for w in c.meta.warnings)


def test_mscons_value_in_1900_is_set_aside():
    vals = "".join(
        f"QTY+220:0.1'DTM+163:20240601{h:02d}{m:02d}?+00:303'DTM+164:20240601{h2:02d}{m2:02d}?+00:303'"
        for h, m, h2, m2 in [(10, 0, 10, 15), (10, 15, 10, 30), (10, 30, 10, 45)]
    )
    vals += "QTY+220:0.1'DTM+163:190001010000?+00:303'DTM+164:190001010015?+00:303'"
    msg = f"UNA:+.? 'UNB+UNOC:3+a:500+b:500+240101:0000+1++TL'UNH+1+MSCONS:D:04B:UN:2.4b'UNS+D'LOC+172+1'LIN+1'PIA+5+1-1?:1.29.0:SRW'{vals}UNT+9+1'UNZ+1+1'"
    c = read_load_curve(msg.encode(), name="m.txt")
    assert c.n_intervals == 3


def test_make_load_curve_refuses_mostly_implausible():
    from advisor.loadcurve import make_load_curve

    idx = pd.DatetimeIndex(["1900-01-01 00:00", "1900-01-01 00:15", "2024-01-01"], tz="UTC")
    with pytest.raises(LoadCurveError, match="plausible period"):
        make_load_curve(pd.Series(np.ones(3), index=idx), interval_minutes=15)


# --- 4. long tables: empty household id -----------------------------------------------------------
def _long(hid_rows):
    return "household_id,timestamp,kwh\n" + "".join(
        f"{h},2024-06-01T10:{m:02d}:00Z,0.1\n" for h, ms in hid_rows for m in ms
    )


def test_long_table_empty_id_refused_with_line():
    """Old code gave the row to a household '' or the previous one (and dropped it as repeated)."""
    t = _long([("h1", (0, 15, 30, 45)), ("", (0,)), ("h2", (0, 15, 30, 45))])
    with pytest.raises(LoadCurveError) as ei:
        read_load_curves(t.encode(), name="long.csv")
    assert ei.value.line == 6 and "empty household id" in ei.value.reason


def test_long_table_whitespace_id_and_parquet_null_id_refused(tmp_path):
    t = _long([("h1", (0, 15, 30, 45)), ("  ", (0,))])
    with pytest.raises(LoadCurveError, match="empty household id"):
        read_load_curves(t.encode(), name="long.csv")
    df = pd.DataFrame(
        {"household_id": ["h1", None, "h1"], "timestamp": pd.date_range("2024-06-01", periods=3, freq="15min", tz="UTC"), "kwh": 0.1}
    )
    df.to_parquet(tmp_path / "t.parquet")
    with pytest.raises(LoadCurveError, match="data row 2"):
        read_load_curves(tmp_path / "t.parquet")


# --- 5. every reader failure is a LoadCurveError (exit 2) -----------------------------------------
def test_list_typed_id_column_refused(tmp_path):
    df = pd.DataFrame(
        {"household_id": [[1, 2]] * 4, "timestamp": pd.date_range("2024-06-01", periods=4, freq="15min", tz="UTC"), "kwh": 0.1}
    )
    df.to_parquet(tmp_path / "t.parquet")
    with pytest.raises(LoadCurveError, match="expected text or whole numbers"):
        read_load_curves(tmp_path / "t.parquet")


@pytest.mark.parametrize("depth", [1000, 5000, 100_000])
def test_deep_json_refused(depth):
    raw = ('[{"time": 1, "values": ' + "[" * depth + "]" * depth + "}]").encode()
    with pytest.raises(LoadCurveError):
        read_load_curves(raw, name="readings.json")


def _canonical(tmp_path):
    from advisor.ingest.canonical import write_curves_parquet

    c = read_load_curve(("Zeitstempel;Wert [kWh]\n" + _rows((1,))).encode(), name="x.csv")
    p = tmp_path / "c.parquet"
    write_curves_parquet([c], p)
    return p


def _alter(p, change):
    import pyarrow.parquet as pq

    t = pq.read_table(p)
    md = dict(t.schema.metadata)
    change(md)
    pq.write_table(t.replace_schema_metadata(md), p)


@pytest.mark.parametrize(
    "change",
    [
        lambda md: md.__setitem__(b"energie-advisor", json.dumps({"version": 1, "curves": [{"meta": 5}]}).encode()),
        lambda md: md.__setitem__(b"energie-advisor", b"[" * 5000 + b"]" * 5000),
        lambda md: md.__setitem__(b"energie-advisor", b"{not json"),
        lambda md: md.__setitem__(
            b"energie-advisor",
            md[b"energie-advisor"].replace(b'"interval_minutes": 15', b'"interval_minutes": "15"'),
        ),
        lambda md: md.__setitem__(
            b"energie-advisor", md[b"energie-advisor"].replace(b'"warnings": []', b'"warnings": 7')
        ),
        lambda md: md.__setitem__(b"energie-advisor", md[b"energie-advisor"].replace(b'"tz": ', b'"evil": 1, "tz": ')),
        lambda md: md.__setitem__(b"pandas", b'{"index_columns": [{"kind": "range", "start": 0, "stop": 99999999999, "step": 0}], "columns": 3}'),
        lambda md: md.__setitem__(b"pandas", b"[[[["),
    ],
)
def test_altered_own_parquet_metadata_is_a_clear_refusal(tmp_path, change):
    p = _canonical(tmp_path)
    _alter(p, change)
    try:
        curves = read_load_curves(p)
    except LoadCurveError as exc:
        assert "Parquet" in exc.reason
    else:  # altered pandas metadata is ignored: the curve is still ours
        assert curves[0].n_intervals == 96


def test_cli_exit_2_for_reader_failures(tmp_path, capsys):
    from advisor.cli import main

    p = _canonical(tmp_path)
    _alter(p, lambda md: md.__setitem__(b"energie-advisor", b"[" * 5000 + b"]" * 5000))
    deep = tmp_path / "readings.json"
    deep.write_bytes(('[{"time": 1, "values": ' + "[" * 3000 + "]" * 3000 + "}]").encode())
    for f in (p, deep):
        assert main(["ingest", str(f)]) == 2
    assert "Traceback" not in capsys.readouterr().err


# --- 8. explicit-unit files above household plausibility ------------------------------------------
def _mscons(unit: str, peak: float = 75.5) -> bytes:
    vals = "".join(
        f"QTY+220:{peak if h < 5 else 1.5}{unit}'DTM+163:20240601{h:02d}{m:02d}?+00:303'"
        f"DTM+164:20240601{h + (m == 45):02d}{(m + 15) % 60:02d}?+00:303'"
        for h in range(10)
        for m in (0, 15, 30, 45)
    )
    return (
        "UNA:+.? 'UNB+UNOC:3+a:500+b:500+240101:0000+1++TL'UNH+1+MSCONS:D:04B:UN:2.4b'UNS+D'LOC+172+1'"
        f"LIN+1'PIA+5+1-1?:1.29.0:SRW'{vals}UNT+9+1'UNZ+1+1'"
    ).encode()


def test_mscons_with_stated_unit_above_household_is_read_and_flagged():
    """The review: a real multi-dwelling MSCONS (QTY+220:…:KWH, ~300 kW) was refused as 'Wh rather than kWh?'."""
    c = read_load_curve(_mscons(":KWH"), name="m.txt")
    assert c.meta.not_household and c.summary()["not_household"] is True
    assert any("not a household" in w for w in c.meta.warnings)
    assert c.n_intervals == 40 and c.energy_kwh.max() == 75.5


def test_mscons_without_unit_above_household_is_still_refused():
    with pytest.raises(LoadCurveError, match="Wh rather than kWh"):
        read_load_curve(_mscons(""), name="m.txt")


def test_household_values_are_not_flagged():
    c = read_load_curve(_mscons(":KWH", peak=2.0), name="m.txt")
    assert not c.meta.not_household and c.summary()["not_household"] is False


def test_csv_with_unit_in_header_flags_and_without_unit_refuses():
    # a multi-dwelling location: median 8 kW, peak 320 kW
    rows = "".join(f"01.06.2024 {h:02d}:{m:02d};{80 if h == 3 else 2},0\n" for h in range(24) for m in (0, 15, 30, 45))
    c = read_load_curve(("Zeitstempel;Verbrauch [kWh]\n" + rows).encode(), name="x.csv")
    assert c.meta.not_household
    with pytest.raises(LoadCurveError, match="Wh rather than kWh"):
        read_load_curve(("Zeitstempel;Wert\n" + rows).encode(), name="x.csv")


def test_stated_unit_does_not_admit_garbage():
    with pytest.raises(LoadCurveError, match="implausible"):
        read_load_curve(_mscons(":KWH", peak=1e9), name="m.txt")


def test_not_household_flag_survives_canonical_parquet(tmp_path):
    from advisor.ingest.canonical import write_curves_parquet

    c = read_load_curve(_mscons(":KWH"), name="m.txt")
    write_curves_parquet([c], tmp_path / "c.parquet")
    (back,) = read_load_curves(tmp_path / "c.parquet")
    assert back.meta.not_household


def test_household_sized_file_with_a_spike_is_refused_even_with_stated_unit():
    rows = "".join(f"01.06.2024 {h:02d}:{m:02d};{80 if h == 3 and m == 0 else 0.1}\n" for h in range(24) for m in (0, 15, 30, 45))
    with pytest.raises(LoadCurveError, match="Wh rather than kWh"):
        read_load_curve(("Zeitstempel;Verbrauch [kWh]\n" + rows).encode(), name="x.csv")


def test_quoted_field_running_over_lines_names_the_line_it_opens():
    """Found on ../shared/data/README.md: '41 data lines gave 40 records' named no line; a quote
    left open to the end of the file named none either."""
    rows = _rows((1,)).splitlines()
    rows[7] = rows[7] + ';"note that runs on'
    head = "Zeitstempel;Verbrauch [kWh];Notiz\n"
    with pytest.raises(LoadCurveError, match="EOF inside string") as ei:
        read_load_curves((head + "\n".join(rows) + "\n").encode(), name="x.csv")
    assert ei.value.line == 9
    rows[9] = rows[9] + ';closed here"'
    with pytest.raises(LoadCurveError, match="quoted field spans lines") as ei:
        read_load_curves((head + "\n".join(rows) + "\n").encode(), name="x.csv")
    assert ei.value.line == 9


def test_one_1900_row_in_a_regular_long_table_is_set_aside_not_a_century_of_intervals():
    """Re-check 2026-12-03: with UTC timestamps the row of 1900 fell on the hourly grid, the long
    table's fast path skipped the plausible period and built 1,090,680 intervals."""
    rows = ["household_id,timestamp,kwh", "H1,1900-01-01T00:00:00Z,0.5"] + [
        f"H1,2024-06-{d:02d}T{h:02d}:00:00Z,0.2" for d in (1, 2, 3) for h in range(24)
    ]
    [c] = read_load_curves("\n".join(rows).encode(), name="t.csv")
    assert c.n_intervals == 72 and c.start == pd.Timestamp("2024-06-01 00:00", tz="UTC")
    assert any("outside the plausible period" in w and "1900-01-01" in w for w in c.meta.warnings)


@pytest.mark.parametrize("bad", [None, "", "   "])
@pytest.mark.parametrize("where", [0, 2_500_001])
def test_validate_ids_parquet_names_the_row(tmp_path, monkeypatch, bad, where):
    """batch/evaluate validate a Parquet id column in one pass (read dictionary-encoded); a missing
    or blank id is refused with its row, also past the first read batch."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from advisor.ingest import ReadOptions, tabular
    from advisor.ingest.tabular import validate_ids

    monkeypatch.setattr(tabular, "BATCH_ROWS", 1_000_000)
    n = 3_000_000
    ids = np.where(np.arange(n) < n // 2, "h1", "h2").astype(object)
    ids[where] = bad
    ts = pa.array(np.arange(n, dtype="int64") * 900_000_000 + 1_704_067_200_000_000, type=pa.timestamp("us", tz="UTC"))
    pq.write_table(pa.table({"household_id": pa.array(ids, type=pa.string()), "timestamp": ts, "kwh": np.full(n, 0.1)}), tmp_path / "t.parquet")
    with pytest.raises(LoadCurveError, match=f"data row {where + 1}"):
        validate_ids(tmp_path / "t.parquet", ReadOptions())
    ids[where] = "h1"
    pq.write_table(pa.table({"household_id": pa.array(ids, type=pa.string()), "timestamp": ts, "kwh": np.full(n, 0.1)}), tmp_path / "t.parquet")
    validate_ids(tmp_path / "t.parquet", ReadOptions())  # no error


def test_validate_ids_parquet_integer_ids_and_wrong_type(tmp_path):
    from advisor.ingest import ReadOptions
    from advisor.ingest.tabular import validate_ids

    ts = pd.date_range("2024-06-01", periods=4, freq="15min", tz="UTC")
    pd.DataFrame({"household_id": [1, 1, 2, 2], "timestamp": ts, "kwh": 0.1}).to_parquet(tmp_path / "i.parquet")
    validate_ids(tmp_path / "i.parquet", ReadOptions())
    pd.DataFrame({"household_id": [1.5] * 4, "timestamp": ts, "kwh": 0.1}).to_parquet(tmp_path / "f.parquet")
    with pytest.raises(LoadCurveError, match="expected text or whole numbers"):
        validate_ids(tmp_path / "f.parquet", ReadOptions())
