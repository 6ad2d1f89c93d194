"""German portal CSV/Excel reader: dialects, units, time labels, DST, refusals, round trip, CLI.

Every expected total below is computed by hand from the constructed rows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_data import shared_path

from advisor.cli import main
from advisor.errors import LoadCurveError
from advisor.ingest import ReadOptions, detect_format, read_load_curve, read_load_curves
from advisor.ingest import csv as csv_reader
from advisor.ingest.canonical import write_curves_parquet
from advisor.loadcurve import Direction, Quality

DATA = Path(__file__).parent / "data" / "csv"
BERLIN = "Europe/Berlin"


def read(text: str, *, enc: str = "utf-8", name: str = "export.csv", **opts):
    return read_load_curves(text.encode(enc), ReadOptions(**opts), name=name)


def read1(text: str, **kw):
    curves = read(text, **kw)
    assert len(curves) == 1
    return curves[0]


def day_rows(day: str, values, *, label: str = "start", minutes: int = 15, fmt: str = "%d.%m.%Y;%H:%M", sep: str = ";"):
    """Rows 'Datum;Uhrzeit;Wert' of one local day (naive wall time, repeated hour in order)."""
    start = pd.Timestamp(day).tz_localize(BERLIN)
    end = (pd.Timestamp(day) + pd.DateOffset(days=1)).tz_localize(BERLIN)
    idx = pd.date_range(start, end, freq=f"{minutes}min", inclusive="left")
    assert len(idx) == len(values)
    stamps = idx + pd.Timedelta(minutes=minutes) if label == "end" else idx
    out = []
    for ts, v in zip(stamps, values, strict=False):
        t = ts.tz_convert(BERLIN)
        text = t.strftime(fmt)
        if label == "end" and t.hour == 0 and t.minute == 0:
            text = (t.tz_localize(None) - pd.Timedelta(days=1)).strftime(fmt).split(sep)[0] + sep + "24:00"
        out.append(f"{text}{sep}{v}")
    return out


def n_day(day: str, minutes: int = 15) -> int:
    start = pd.Timestamp(day).tz_localize(BERLIN)
    end = (pd.Timestamp(day) + pd.DateOffset(days=1)).tz_localize(BERLIN)
    return int((end - start) / pd.Timedelta(minutes=minutes))


# ------------------------------------------------------------------------------------------
# fixture files (constructed)
# ------------------------------------------------------------------------------------------
def test_metadata_lines_cp1252_end_labelled_status():
    c = read_load_curve(DATA / "stadtwerk_cp1252_end.csv")
    assert c.meta.source_format == "csv"
    assert c.meta.meter_id == "DE0001234567890000000000000000001"
    assert c.interval_minutes == 15
    # first row 00:15 -> end-labelled -> the first interval starts at midnight
    assert c.start == pd.Timestamp("2024-01-01 00:00", tz=BERLIN)
    assert c.end == pd.Timestamp("2024-01-01 01:30", tz=BERLIN)
    assert c.n_intervals == 6
    assert c.measured_and_substituted_kwh == pytest.approx(0.125 + 0.25 + 0.5 + 1.0 + 0.075)
    assert c.missing_intervals == 1  # '-'
    assert c.substituted_intervals == 1  # status E
    assert c.data["quality"].iloc[3] == Quality.SUBSTITUTED.value
    assert any("Windows-1252" in x for x in c.meta.conversions)
    assert any("end" in x for x in c.meta.conversions)
    # the notes are message codes: German on German pages, no 'decoded as cp1252'
    de = [x.text("de") for x in c.meta.conversions]
    assert "Zeichensatz der Datei: Windows-1252" in de
    assert any("Ende des Zeitabschnitts" in x for x in de)
    assert c.summary()["conversions_de"] == de


def test_von_bis_autumn_dst_bis_before_von():
    c = read_load_curve(DATA / "vonbis_autumn_bom.csv")
    assert c.n_intervals == 11 and c.missing_intervals == 0
    assert c.measured_and_substituted_kwh == pytest.approx(2 * 0.1 + 4 * 0.2 + 4 * 0.3 + 0.4)
    utc = c.index.tz_convert("UTC")
    assert utc[0] == pd.Timestamp("2023-10-28 23:30", tz="UTC")
    assert (np.diff(utc.asi8) == 15 * 60 * 10**9).all()
    # the summer-time copy of 02:00 holds 0.2, the winter-time copy 0.3
    assert c.data["energy_kwh"].loc[pd.Timestamp("2023-10-29 02:00+02:00")] == pytest.approx(0.2)
    assert c.data["energy_kwh"].loc[pd.Timestamp("2023-10-29 02:00+01:00")] == pytest.approx(0.3)


def test_meter_readings_with_meter_change():
    c = read_load_curve(DATA / "zaehlerstand_reset.csv")
    # readings 12345.000, .250, .750 | 3.500, 3.600, 4.000 -> 0.25, 0.5, [reset], 0.1, 0.4
    assert c.n_intervals == 5
    assert c.data["energy_kwh"].iloc[[0, 1, 3, 4]].tolist() == pytest.approx([0.25, 0.5, 0.1, 0.4])
    assert np.isnan(c.data["energy_kwh"].iloc[2])
    assert c.missing_intervals == 1
    assert c.measured_and_substituted_kwh == pytest.approx(1.25)
    assert (c.data["energy_kwh"].dropna() >= 0).all()
    assert any("meter change" in w for w in c.meta.warnings)
    assert any("differenced" in x for x in c.meta.conversions)


def test_counter_overflow_is_bridged():
    text = "Zeitstempel;Zählerstand [kWh]\n" + "\n".join(
        f"01.03.2024 00:{m:02d};{v}" for m, v in [(0, "99999,80"), (15, "99999,90"), (30, "0,10"), (45, "0,30")]
    )
    c = read1(text)
    assert c.data["energy_kwh"].tolist() == pytest.approx([0.1, 0.2, 0.2])
    assert any("overflow" in x for x in c.meta.conversions)


def test_utf16_tab_kw_average_power():
    c = read_load_curve(DATA / "excel_unicode_utf16.txt")
    # 0.4, 0.8, 1.2 kW over 15 min -> 0.1 + 0.2 + 0.3 kWh; '-' missing
    assert c.data["energy_kwh"].iloc[:3].tolist() == pytest.approx([0.1, 0.2, 0.3])
    assert c.measured_and_substituted_kwh == pytest.approx(0.6)
    assert c.missing_intervals == 1
    assert any("kW" in x and "kWh" in x for x in c.meta.conversions)


def test_html_page_refused():
    with pytest.raises(LoadCurveError, match="HTML page"):
        read_load_curve(DATA / "login_page.csv")


# ------------------------------------------------------------------------------------------
# dialects
# ------------------------------------------------------------------------------------------
def test_comma_separator_decimal_point_bom_english():
    text = "\ufefftimestamp,kWh\n2024-05-01 00:00:00,0.25\n2024-05-01 00:15:00,0.5\n2024-05-01 00:30:00,1.25\n"
    c = read1(text)
    assert c.measured_and_substituted_kwh == pytest.approx(2.0)
    assert c.start == pd.Timestamp("2024-05-01 00:00", tz=BERLIN)


def test_thousands_dot_and_wh_unit():
    text = "Datum;Uhrzeit;Verbrauch [Wh]\n01.02.2024;00:00;1.234,5\n01.02.2024;00:15;765,5\n01.02.2024;00:30;0,0\n"
    c = read1(text)
    assert c.data["energy_kwh"].tolist() == pytest.approx([1.2345, 0.7655, 0.0])
    assert any("Wh converted" in x for x in c.meta.conversions)


def test_trailing_separator_and_excel_formula_wrappers():
    text = (
        'Zählpunkt;="DE0009999999999000000000000000042";\n'
        "Datum;Uhrzeit;Wert;Einheit;\n"
        '="01.02.2024";="00:00";="0,100";kWh;\n'
        '="01.02.2024";="00:15";="0,200";kWh;\n'
    )
    c = read1(text)
    assert c.meta.meter_id == "DE0009999999999000000000000000042"
    assert c.measured_and_substituted_kwh == pytest.approx(0.3)


def test_unit_from_metadata_line_and_unit_column():
    rows = "Datum;Uhrzeit;Wert\n01.02.2024;00:00;100\n01.02.2024;00:15;300\n"
    assert read1("Einheit;Wh\n" + rows).measured_and_substituted_kwh == pytest.approx(0.4)
    col = "Datum;Uhrzeit;Wert;Einheit\n01.02.2024;00:00;400;W\n01.02.2024;00:15;800;W\n"
    assert read1(col).measured_and_substituted_kwh == pytest.approx(0.1 + 0.2)
    # the option says what the file does not
    assert read1(rows, unit="Wh").measured_and_substituted_kwh == pytest.approx(0.4)


def test_no_unit_assumes_kwh_with_warning():
    c = read1("Datum;Uhrzeit;Wert\n01.02.2024;00:00;0,1\n01.02.2024;00:15;0,3\n")
    assert c.measured_and_substituted_kwh == pytest.approx(0.4)
    assert any("assumed kWh" in w for w in c.meta.warnings)


def test_ambiguous_decimal_refused():
    text = "Datum;Uhrzeit;Zählerstand\n01.02.2024;00:00;1.234\n01.02.2024;00:15;1.235\n"
    with pytest.raises(LoadCurveError, match="cannot tell whether '.'"):
        read(text)


def test_mixed_number_styles_refused():
    text = "Datum;Uhrzeit;Wert\n01.02.2024;00:00;1.234,5\n01.02.2024;00:15;1,234.5\n"
    with pytest.raises(LoadCurveError, match="mix"):
        read(text)


def test_octopus_style_header_with_spaces_and_offsets():
    text = (
        " Consumption (kWh), Start, End\n"
        "0.5, 2024-10-27T01:00:00+02:00, 2024-10-27T01:30:00+02:00\n"
        "0.25, 2024-10-27T01:30:00+02:00, 2024-10-27T02:00:00+02:00\n"
        "0.125, 2024-10-27T02:00:00+02:00, 2024-10-27T02:30:00+02:00\n"
        "1.0, 2024-10-27T02:30:00+02:00, 2024-10-27T02:00:00+01:00\n"
        "2.0, 2024-10-27T02:00:00+01:00, 2024-10-27T02:30:00+01:00\n"
    )
    c = read1(text)
    assert c.interval_minutes == 30 and c.n_intervals == 5
    assert c.measured_and_substituted_kwh == pytest.approx(3.875)


def test_linz_style_ersatzwert_column_values():
    text = (
        "\ufeffDatum von;Datum bis;Energiemenge in kWh;Ersatzwert\n"
        "17.09.2022 00:00;17.09.2022 00:15;0,020;\n"
        "17.09.2022 00:15;17.09.2022 00:30;;0,010\n"
        "17.09.2022 00:30;17.09.2022 00:45;1,500;\n"
        "17.09.2022 00:45;17.09.2022 01:00;;\n"
    )
    c = read1(text)
    assert c.data["energy_kwh"].iloc[:3].tolist() == pytest.approx([0.02, 0.01, 1.5])
    assert c.substituted_intervals == 1 and c.missing_intervals == 1
    assert c.measured_and_substituted_kwh == pytest.approx(1.53)


def test_import_and_export_columns_give_two_curves():
    text = "Zeitstempel;Bezug [kWh];Einspeisung [kWh]\n" + "\n".join(
        f"01.06.2024 12:{m:02d};0,1;0,{k + 2}" for k, m in enumerate((0, 15, 30, 45))
    )
    curves = read(text)
    by_dir = {c.direction: c for c in curves}
    assert by_dir[Direction.IMPORT].measured_and_substituted_kwh == pytest.approx(0.4)
    assert by_dir[Direction.EXPORT].measured_and_substituted_kwh == pytest.approx(0.2 + 0.3 + 0.4 + 0.5)
    assert read_load_curve(text.encode(), name="x.csv").direction is Direction.IMPORT


def test_hourly_interval_inferred_not_resampled():
    text = "Datum;Uhrzeit;Wert [kWh]\n" + "\n".join(f"03.02.2024;{h:02d}:00;0,5" for h in range(24))
    c = read1(text)
    assert c.interval_minutes == 60 and c.n_intervals == 24
    assert c.measured_and_substituted_kwh == pytest.approx(12.0)


def test_gap_in_file_is_missing_not_zero():
    text = "Zeitstempel;Wert [kWh]\n01.02.2024 00:00;0,1\n01.02.2024 00:15;0,1\n01.02.2024 01:00;0,1\n01.02.2024 01:15;0,1\n"
    c = read1(text)
    assert c.n_intervals == 6 and c.missing_intervals == 2
    assert c.measured_and_substituted_kwh == pytest.approx(0.4)
    assert any("gaps" in w for w in c.meta.warnings)


def test_long_table_is_not_claimed():
    head = b"household_id,timestamp,kwh\nHH1,2024-01-01T00:00:00Z,0.1\n"
    assert csv_reader.sniff(head, "long.csv") is False
    head2 = b"LCLid;tstp;energy(kWh/hh)\nMAC000002;2013-01-01 00:00:00;0,1\n"
    assert csv_reader.sniff(head2, "x.csv") is False
    assert csv_reader.sniff(b"Datum;Uhrzeit;Wert\n01.01.2024;00:00;0,1\n", "x") is True


# ------------------------------------------------------------------------------------------
# time: labels, DST, offsets, epoch
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("day", ["2024-03-31", "2024-10-27", "2024-06-12"])
@pytest.mark.parametrize("label", ["start", "end"])
def test_dst_days_naive_local(day, label):
    n = n_day(day)
    values = [f"{(k % 7 + 1) / 100:.2f}".replace(".", ",") for k in range(n)]
    text = "Datum;Uhrzeit;Wert [kWh]\n" + "\n".join(day_rows(day, values, label=label))
    c = read1(text)
    assert c.n_intervals == n == {"2024-03-31": 92, "2024-10-27": 100, "2024-06-12": 96}[day]
    assert c.start == pd.Timestamp(day, tz=BERLIN)
    assert c.missing_intervals == 0
    expected = sum((k % 7 + 1) / 100 for k in range(n))
    assert c.measured_and_substituted_kwh == pytest.approx(expected)
    # value order is preserved through the repeated hour
    assert c.data["energy_kwh"].tolist() == pytest.approx([(k % 7 + 1) / 100 for k in range(n)])
    # explicit label option agrees with auto-detection
    assert read1(text, label=label).data.equals(c.data)


@pytest.mark.parametrize("day", ["2024-03-31", "2024-10-27"])
def test_dst_days_with_offsets_and_utc(day):
    n = n_day(day)
    start = pd.Timestamp(day).tz_localize(BERLIN)
    idx = pd.date_range(start, periods=n, freq="15min")
    vals = [0.01 * (k % 5 + 1) for k in range(n)]
    iso = "timestamp;kWh\n" + "\n".join(f"{t.isoformat()};{v:.2f}" for t, v in zip(idx, vals, strict=False))
    z = "timestamp;kWh\n" + "\n".join(
        f"{t.tz_convert('UTC'):%Y-%m-%dT%H:%M:%SZ};{v:.2f}" for t, v in zip(idx, vals, strict=False)
    )
    epoch_s = "timestamp;kWh\n" + "\n".join(f"{t.value // 10**9};{v:.2f}" for t, v in zip(idx, vals, strict=False))
    epoch_ms = "timestamp;kWh\n" + "\n".join(f"{t.value // 10**6};{v:.2f}" for t, v in zip(idx, vals, strict=False))
    for text in (iso, z, epoch_s, epoch_ms):
        c = read1(text)
        assert c.n_intervals == n
        assert c.start == start
        assert c.measured_and_substituted_kwh == pytest.approx(sum(vals))
        local_days = c.local_index().normalize()
        assert (local_days == pd.Timestamp(day, tz=BERLIN)).sum() == n


def test_end_labelled_with_offsets_across_october():
    idx = pd.date_range(pd.Timestamp("2024-10-27 01:00", tz=BERLIN), periods=12, freq="15min")
    ends = idx + pd.Timedelta(minutes=15)
    text = "Zeitstempel bis;Wert [kWh]\n" + "\n".join(f"{e.isoformat()};0,{k + 1:02d}" for k, e in enumerate(ends))
    c = read1(text)
    assert c.start == idx[0] and c.n_intervals == 12
    assert c.measured_and_substituted_kwh == pytest.approx(sum(k + 1 for k in range(12)) / 100)


def test_2a_2b_labels_in_any_order():
    rows = ["27.10.2024;01:45;0,1"]
    for m in (0, 15, 30, 45):
        rows.append(f"27.10.2024;2A:{m:02d};0,2")
        rows.append(f"27.10.2024;2B:{m:02d};0,3")  # sorted pairs: only the labels tell them apart
    rows.append("27.10.2024;03:00;0,4")
    c = read1("Datum;Uhrzeit;Wert [kWh]\n" + "\n".join(rows), label="start")
    assert c.n_intervals == 10 and c.missing_intervals == 0
    assert c.data["energy_kwh"].loc[pd.Timestamp("2024-10-27 02:15+02:00")] == pytest.approx(0.2)
    assert c.data["energy_kwh"].loc[pd.Timestamp("2024-10-27 02:15+01:00")] == pytest.approx(0.3)
    assert any("2A/2B" in x for x in c.meta.conversions)


def test_label_auto_from_first_and_last_row_and_option():
    end_text = "Datum;Uhrzeit;Wert [kWh]\n01.02.2024;00:15;0,1\n01.02.2024;00:30;0,2\n"
    assert read1(end_text).start == pd.Timestamp("2024-02-01 00:00", tz=BERLIN)
    assert read1(end_text, label="start").start == pd.Timestamp("2024-02-01 00:15", tz=BERLIN)
    last_0000 = "Datum;Uhrzeit;Wert [kWh]\n01.02.2024;23:30;0,1\n01.02.2024;23:45;0,2\n02.02.2024;00:00;0,3\n"
    assert read1(last_0000).start == pd.Timestamp("2024-02-01 23:15", tz=BERLIN)
    undecided = "Datum;Uhrzeit;Wert [kWh]\n01.02.2024;12:00;0,1\n01.02.2024;12:15;0,2\n"
    c = read1(undecided)
    assert c.start == pd.Timestamp("2024-02-01 12:00", tz=BERLIN)
    assert any("assumed start" in w for w in c.meta.warnings)


def test_missing_march_hour_refused_when_present():
    text = "Zeitstempel;Wert [kWh]\n31.03.2024 01:45;0,1\n31.03.2024 02:00;0,1\n31.03.2024 03:00;0,1\n"
    with pytest.raises(LoadCurveError, match=r"line 3.*does not exist"):
        read(text, label="start")


def test_time_backwards_refused_with_line():
    text = "Zeitstempel;Wert [kWh]\n01.02.2024 00:00;0,1\n01.02.2024 00:15;0,1\n01.02.2024 00:30;0,1\n01.02.2024 00:05;0,1\n"
    with pytest.raises(LoadCurveError, match=r"line 5.*time runs backwards"):
        read(text)


def test_duplicates_that_agree_are_dropped_with_warning():
    text = "Zeitstempel;Wert [kWh]\n01.02.2024 00:00;0,1\n01.02.2024 00:15;0,2\n01.02.2024 00:15;0,2\n01.02.2024 00:30;0,3\n"
    c = read1(text)
    assert c.n_intervals == 3 and c.measured_and_substituted_kwh == pytest.approx(0.6)
    assert any("duplicate" in w for w in c.meta.warnings)


def test_duplicates_that_disagree_are_refused_naming_timestamp():
    text = "Zeitstempel;Wert [kWh]\n01.02.2024 00:00;0,1\n01.02.2024 00:15;0,2\n01.02.2024 00:15;0,9\n01.02.2024 00:30;0,3\n"
    with pytest.raises(LoadCurveError, match=re.escape("line 4, at 2024-02-01T00:15:00+01:00: duplicate timestamp")):
        read(text, label="start")


# ------------------------------------------------------------------------------------------
# refusals
# ------------------------------------------------------------------------------------------
def test_price_file_refused_in_place():
    path = shared_path("prices", "SMARD_Grosshandelspreise_2023_2024_Stunde_original.csv")
    with pytest.raises(LoadCurveError, match="this is a price file, not a meter export"):
        read_load_curve(path)


def test_prepared_price_table_refused_in_place():
    path = shared_path("prices", "de_lu_day_ahead_hourly_2023_2024_smard.csv")
    with pytest.raises(LoadCurveError, match="price file, not a meter export.*'price_eur_mwh'"):
        read_load_curve(path)


def test_unparseable_timestamp_names_line_and_text():
    text = "Datum;Uhrzeit;Wert [kWh]\n01.02.2024;00:00;0,1\n01.02.2024;00:15;0,1\n32.02.2024;00:30;0,1\n"
    with pytest.raises(LoadCurveError, match=r"line 4: unparseable timestamp '32.02.2024 00:30'"):
        read(text)
    with pytest.raises(LoadCurveError, match=r"line 2: unparseable timestamp 'gestern 00:00'"):
        read("Datum;Uhrzeit;Wert [kWh]\ngestern;00:00;0,1\n")


def test_two_digit_years_refused():
    with pytest.raises(LoadCurveError, match="unparseable timestamp"):
        read("Datum;Uhrzeit;Wert [kWh]\n01.02.24;00:00;0,1\n01.02.24;00:15;0,1\n")


def test_missing_value_column_refused():
    with pytest.raises(LoadCurveError, match="no header with a time column and a value column"):
        read("Datum;Uhrzeit;Bemerkung\n01.02.2024;00:00;x\n")
    with pytest.raises(LoadCurveError, match="no header with a time column"):
        read("Kommentar;Wert [kWh]\nfoo;0,1\n", name="a.csv")


def test_negative_interval_energy_refused_with_line():
    text = "Zeitstempel;Wert [kWh]\n01.02.2024 00:00;0,1\n01.02.2024 00:15;-0,2\n"
    with pytest.raises(LoadCurveError, match=r"line 3: negative interval energy -0.2 kWh"):
        read(text)


def test_absurd_value_refused():
    """A stated unit does not excuse a spike in a household-sized file (issue 17: only a curve that is
    large as a whole is read as 'not a household')."""
    text = "Zeitstempel;Wert [kWh]\n01.02.2024 00:00;0,1\n01.02.2024 00:15;250\n01.02.2024 00:30;0,1\n"
    with pytest.raises(LoadCurveError, match=r"line 3: implausible value 250 kWh.*Wh rather than kWh"):
        read(text)


def test_garbage_value_refused_with_line():
    text = "Zeitstempel;Wert [kWh]\n01.02.2024 00:00;0,1\n01.02.2024 00:15;abc\n"
    with pytest.raises(LoadCurveError, match=r"line 3: cannot read value.*'abc'"):
        read(text)


def test_irregular_von_bis_refused():
    text = "Von;Bis;Wert [kWh]\n01.02.2024 00:00;01.02.2024 00:15;0,1\n01.02.2024 00:15;01.02.2024 00:20;0,1\n01.02.2024 00:30;01.02.2024 00:45;0,1\n"
    with pytest.raises(LoadCurveError, match=r"line 3: interval .* lasts 5 min"):
        read(text)


def test_daily_values_are_no_load_curve():
    with pytest.raises(LoadCurveError, match="interval length is 1440 min"):
        read("Zeitstempel;Wert [kWh]\n01.02.2024 00:00;5\n02.02.2024 00:00;6\n")


def test_row_cap_and_line_length(monkeypatch):
    monkeypatch.setattr(csv_reader, "MAX_ROWS", 3)
    text = "Zeitstempel;Wert [kWh]\n" + "\n".join(f"01.02.2024 00:{m:02d};0,1" for m in (0, 15, 30, 45))
    with pytest.raises(LoadCurveError, match="at most 3 data rows"):
        read(text)
    monkeypatch.undo()
    with pytest.raises(LoadCurveError, match="line 2: line is 20,0"):
        read("Zeitstempel;Wert [kWh]\n" + "x" * 20_000 + "\n")


def test_several_meters_refused():
    text = "Zählpunkt;Zeitstempel;Wert [kWh]\nA;01.02.2024 00:00;0,1\nB;01.02.2024 00:00;0,1\n"
    with pytest.raises(LoadCurveError, match="holds 2 meters"):
        read(text)


# ------------------------------------------------------------------------------------------
# Excel
# ------------------------------------------------------------------------------------------
def test_excel_first_sheet_same_logic(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Zählpunkt", "DE0001"])
    ws.append([])
    ws.append(["Datum", "Uhrzeit", "Verbrauch [kWh]", "Status"])
    for k, m in enumerate((15, 30, 45)):
        ws.append([dt.date(2024, 3, 5), dt.time(0, m), 0.125 * (k + 1), "E" if k == 2 else "W"])
    ws.append([dt.date(2024, 3, 5), dt.time(1, 0), "0,5", None])
    wb.create_sheet("other").append(["ignored"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    assert detect_format(path.read_bytes(), "export.xlsx") == "excel"
    c = read_load_curve(path)
    assert c.meta.source_format == "excel" and c.meta.meter_id == "DE0001"
    assert c.start == pd.Timestamp("2024-03-05 00:00", tz=BERLIN)  # end-labelled
    assert c.measured_and_substituted_kwh == pytest.approx(0.125 + 0.25 + 0.375 + 0.5)
    assert c.substituted_intervals == 1


def test_excel_damaged_refused():
    raw = b"PK\x03\x04" + b"[Content_Types].xml" + b"\x00garbage" * 10
    with pytest.raises(LoadCurveError):
        read_load_curves(raw, name="x.xlsx")


# ------------------------------------------------------------------------------------------
# round trip property: German CSV -> curve -> Parquet -> curve conserves energy and intervals
# ------------------------------------------------------------------------------------------
_DAYS = [pd.Timestamp(d) for d in ("2024-03-30", "2024-03-31", "2024-10-26", "2024-10-27", "2024-01-15", "2023-12-31")]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.sampled_from(_DAYS),
    n_days=st.integers(1, 3),
    minutes=st.sampled_from([15, 15, 30, 60]),
    label=st.sampled_from(["start", "end"]),
    auto_label=st.booleans(),
    unit=st.sampled_from(["kWh", "Wh"]),
    seed=st.integers(0, 2**16),
)
def test_roundtrip_conserves_energy_and_intervals(tmp_path, day, n_days, minutes, label, auto_label, unit, seed):
    start = day.tz_localize(BERLIN)
    end = (day + pd.DateOffset(days=n_days)).tz_localize(BERLIN)
    idx = pd.date_range(start, end, freq=f"{minutes}min", inclusive="left")
    rng = np.random.default_rng(seed)
    wh = rng.integers(0, 3000, len(idx))  # exact thousandths of a kWh
    stamps = idx + pd.Timedelta(minutes=minutes) if label == "end" else idx
    if unit == "kWh":
        cells = [f"{w // 1000},{w % 1000:03d}" for w in wh]  # decimal comma
    else:
        cells = [f"{w:,},0".replace(",", ".", 1) if w >= 1000 else f"{w},0" for w in wh]  # '1.234,0' Wh
    lines = [f"{t:%d.%m.%Y;%H:%M};{v};W" for t, v in zip(stamps, cells, strict=True)]
    text = f"Zählpunkt;DE1\nEinheit;{unit}\nDatum;Uhrzeit;Wert;Status\n" + "\n".join(lines) + "\n"
    opts = ReadOptions(label="auto" if auto_label else label)
    c = read_load_curve(text.encode("cp1252"), opts, name="prop.csv")
    assert c.interval_minutes == minutes
    assert c.n_intervals == len(idx)
    assert c.start == start
    assert c.measured_and_substituted_kwh == pytest.approx(wh.sum() / 1000, abs=1e-9)
    path = tmp_path / f"c{seed}.parquet"
    write_curves_parquet([c], path)
    back = read_load_curve(path)
    assert back.n_intervals == c.n_intervals and back.interval_minutes == minutes
    assert back.measured_and_substituted_kwh == pytest.approx(c.measured_and_substituted_kwh, abs=1e-9)
    pd.testing.assert_index_equal(back.index.tz_convert("UTC"), c.index.tz_convert("UTC"))
    per_day = back.energy_kwh.groupby(back.local_index().date).size()
    assert set(per_day.to_numpy()) <= {h * 60 // minutes for h in (23, 24, 25)}


# ------------------------------------------------------------------------------------------
# CLI
# ------------------------------------------------------------------------------------------
def test_cli_ingest_json_totals(capsys):
    assert main(["ingest", str(DATA / "vonbis_autumn_bom.csv"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "csv" and out["interval_minutes"] == 15 and out["n_intervals"] == 11
    assert out["energy_kwh"] == pytest.approx(2.6)
    assert out["start"] == "2023-10-29T01:30:00+02:00" and out["end"] == "2023-10-29T03:15:00+01:00"
    assert main(["ingest", str(DATA / "stadtwerk_cp1252_end.csv"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["energy_kwh"] == pytest.approx(1.95)
    assert out["missing_intervals"] == 1 and out["substituted_intervals"] == 1


def test_cli_ingest_bad_file_exit_2_one_line(capsys, tmp_path):
    assert main(["ingest", str(DATA / "login_page.csv"), "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "HTML page" in err and "Traceback" not in err
    bad = tmp_path / "neg.csv"
    bad.write_text("Zeitstempel;Wert [kWh]\n01.02.2024 00:00;0,1\n01.02.2024 00:15;-0,2\n")
    assert main(["ingest", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "neg.csv, line 3" in err


# ------------------------------------------------------------------------------------------
# more layouts (constructed after the descriptions in FORMATS.md §3-§4)
# ------------------------------------------------------------------------------------------
def test_date_column_with_time_only_von_bis():
    c = read1(
        "Datum;Von;Bis;Wert [kWh]\n01.02.2024;00:00;00:15;0,1\n01.02.2024;00:15;00:30;0,2\n01.02.2024;00:30;00:45;0,3\n"
    )
    assert c.start == pd.Timestamp("2024-02-01 00:00", tz=BERLIN) and c.n_intervals == 3
    assert c.measured_and_substituted_kwh == pytest.approx(0.6)


def test_bis_24_00_is_midnight_of_next_day():
    c = read1("Von;Bis;Verbrauch [kWh]\n01.02.2024 23:30;01.02.2024 23:45;0,1\n01.02.2024 23:45;01.02.2024 24:00;0,2\n")
    assert c.end == pd.Timestamp("2024-02-02 00:00", tz=BERLIN)
    assert c.measured_and_substituted_kwh == pytest.approx(0.3)


def test_split_date_and_time_columns_text_value_columns_skipped():
    text = (
        "Van Datum;Van Tijdstip;Tot Datum;Tot Tijdstip;EAN;Meter;Register;Volume;Eenheid;Validatiestatus\n"
        '25-05-2022;00:00:00;25-05-2022;00:15:00;="541448820052632233";1SAG1;Afname Nacht;0,032;kWh;Gevalideerd\n'
        '25-05-2022;00:15:00;25-05-2022;00:30:00;="541448820052632233";1SAG1;Afname Nacht;0,040;kWh;Gevalideerd\n'
    )
    c = read1(text)
    assert c.start == pd.Timestamp("2022-05-25 00:00", tz=BERLIN)
    assert c.measured_and_substituted_kwh == pytest.approx(0.072)


def test_end_labelled_quality_column_and_extra_columns():
    text = (
        "Messzeitpunkt;Verbrauch (kWh);Qualität;Restnetzbezug (kWh);Qualität EG;\n"
        "01.01.2025 00:15;0,063000;L1;;;\n01.01.2025 00:30;0,083000;L1;;;\n01.01.2025 00:45;0,010000;L2;;;\n"
    )
    c = read1(text)
    assert c.start == pd.Timestamp("2025-01-01 00:00", tz=BERLIN)
    assert c.measured_and_substituted_kwh == pytest.approx(0.156)
    assert c.substituted_intervals == 1
    assert any("ignored" in w for w in c.meta.warnings)


def test_hash_metadata_lines_and_average_power_in_w():
    text = "# source:;volkszaehler.org\n# uuid:;abc-123\nZeitstempel;Leistung [W];Anzahl\n2024-01-01 00:15:00;400;15\n2024-01-01 00:30:00;1200;15\n"
    c = read1(text)
    assert c.meta.meter_id == "abc-123"
    # 400 W and 1200 W for 15 min -> 0.1 and 0.3 kWh; first row 00:15 -> end-labelled
    assert c.data["energy_kwh"].tolist() == pytest.approx([0.1, 0.3])
    assert c.start == pd.Timestamp("2024-01-01 00:00", tz=BERLIN)


def test_excel_zip_bomb_refused(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (20 * 2**20) + b"</a>")
    with pytest.raises(LoadCurveError, match="decompression bomb"):
        read_load_curve(path)


def test_repeated_header_and_sum_rows_skipped():
    text = (
        "Datum;Uhrzeit;Wert [kWh]\n01.02.2024;00:00;0,1\n01.02.2024;00:15;0,2\n"
        "Datum;Uhrzeit;Wert [kWh]\n01.02.2024;00:30;0,3\nSumme;;0,6\n"
    )
    c = read1(text)
    assert c.n_intervals == 3 and c.measured_and_substituted_kwh == pytest.approx(0.6)
    assert any("repeated header" in w for w in c.meta.warnings)
    assert any("footer" in w for w in c.meta.warnings)


def test_unquoted_decimal_comma_in_comma_separated_file_refused():
    text = "Datum,Uhrzeit,Wert [kWh]\n01.02.2024,00:00,0,5\n01.02.2024,00:15,0,25\n"
    with pytest.raises(LoadCurveError, match=r"line 2: row has more fields than the header"):
        read(text)
    quoted = 'Datum,Uhrzeit,Wert [kWh]\n01.02.2024,00:00,"0,5"\n01.02.2024,00:15,"0,25"\n'
    assert read1(quoted).measured_and_substituted_kwh == pytest.approx(0.75)


def test_gzipped_export_reads_like_the_plain_file():
    import gzip

    plain = (DATA / "vonbis_autumn_bom.csv").read_bytes()
    c = read_load_curve(gzip.compress(plain), name="vonbis_autumn_bom.csv.gz")
    assert c.n_intervals == 11 and c.measured_and_substituted_kwh == pytest.approx(2.6)


@pytest.mark.parametrize("process_tz", ["UTC", "Europe/Berlin", "America/New_York"])
def test_result_does_not_depend_on_the_process_time_zone(monkeypatch, process_tz):
    import time

    monkeypatch.setenv("TZ", process_tz)
    time.tzset()
    try:
        c = read_load_curve(DATA / "vonbis_autumn_bom.csv")
        assert c.index[0].tz_convert("UTC") == pd.Timestamp("2023-10-28 23:30", tz="UTC")
        assert c.n_intervals == 11
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("stamps", ["naive", "offset"])
def test_newest_first_file_is_read_oldest_first(stamps):
    idx = pd.date_range(pd.Timestamp("2024-10-27 01:30", tz=BERLIN), periods=10, freq="15min")
    vals = [f"0,{k + 1:02d}" for k in range(10)]
    if stamps == "naive":
        rows = [f"{t:%d.%m.%Y %H:%M};{v}" for t, v in zip(idx, vals, strict=True)]
    else:
        rows = [f"{t.isoformat()};{v}" for t, v in zip(idx, vals, strict=True)]
    c = read1("Zeitstempel von;Wert [kWh]\n" + "\n".join(reversed(rows)))
    assert c.start == idx[0] and c.n_intervals == 10
    assert c.data["energy_kwh"].tolist() == pytest.approx([(k + 1) / 100 for k in range(10)])
    assert any("newest first" in x for x in c.meta.conversions)


def test_excel_datetime_column_and_power(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Zeitstempel", "Leistung [kW]"])
    for k in range(4):  # 2024-10-27 01:30 .. 02:15 local, naive, start-labelled by the option
        ws.append([dt.datetime(2024, 10, 27, 1, 30) + dt.timedelta(minutes=15 * k), 0.4 * (k + 1)])
    path = tmp_path / "leistung.xlsx"
    wb.save(path)
    c = read_load_curve(path, ReadOptions(label="start"))
    assert c.start == pd.Timestamp("2024-10-27 01:30+02:00")
    # 0.4, 0.8, 1.2, 1.6 kW for 15 min each -> 0.1 + 0.2 + 0.3 + 0.4 kWh
    assert c.measured_and_substituted_kwh == pytest.approx(1.0)


def test_ersatzwert_flag_column_marks_substitutes():
    text = "Messzeitpunkt;Verbrauch (kWh);Ersatzwert\n01.01.2025 00:15;0,1;\n01.01.2025 00:30;0,2;ja\n01.01.2025 00:45;0,3;n\n"
    c = read1(text)
    assert c.substituted_intervals == 1 and c.data["quality"].iloc[1] == Quality.SUBSTITUTED.value
    assert c.measured_and_substituted_kwh == pytest.approx(0.6)


def test_one_column_with_time_range():
    text = (
        "Zeitraum;Verbrauch [kWh]\n"
        "01.02.2024 23:15 - 23:30;0,1\n01.02.2024 23:30 - 23:45;0,2\n01.02.2024 23:45 - 00:00;0,3\n"
        "02.02.2024 00:00 - 00:15;0,4\n"
    )
    c = read1(text)
    assert c.start == pd.Timestamp("2024-02-01 23:15", tz=BERLIN) and c.n_intervals == 4
    assert c.measured_and_substituted_kwh == pytest.approx(1.0)


def test_units_written_into_the_cells():
    c = read1("Zeitstempel;Verbrauch\n01.02.2024 00:00;250 Wh\n01.02.2024 00:15;1.250,5 Wh\n01.02.2024 00:30;-\n")
    assert c.data["energy_kwh"].iloc[:2].tolist() == pytest.approx([0.25, 1.2505])
    assert c.missing_intervals == 1
    p = read1("Zeitstempel;Wert\n01.02.2024 00:00;0,4 kW\n01.02.2024 00:15;0,8 kW\n")
    assert p.measured_and_substituted_kwh == pytest.approx(0.3)


def test_cli_two_directions_print_a_list_and_write_parquet(capsys, tmp_path):
    src = tmp_path / "bezug_einspeisung.csv"
    src.write_text(
        "Zeitstempel;Bezug [kWh];Einspeisung [kWh]\n01.06.2024 12:00;0,1;0,5\n01.06.2024 12:15;0,2;0,25\n",
        encoding="cp1252",
    )
    out = tmp_path / "curves.parquet"
    assert main(["ingest", str(src), "--json", "--out", str(out)]) == 0
    summaries = json.loads(capsys.readouterr().out)
    assert [s["direction"] for s in summaries] == ["import", "export"]
    assert [s["energy_kwh"] for s in summaries] == pytest.approx([0.3, 0.75])
    back = read_load_curves(out)
    assert [round(c.measured_and_substituted_kwh, 6) for c in back] == pytest.approx([0.3, 0.75])


# ------------------------------------------------------------------ import and feed-in registers
def _two_days():
    """Two June days at 15 min: the index and its German portal time stamps."""
    idx = pd.date_range("2025-06-02", periods=192, freq="15min", tz=BERLIN)
    return idx, [f"{t:%d.%m.%Y %H:%M}" for t in idx]


def test_obis_column_splits_import_and_feed_in_rows():
    idx, stamps = _two_days()
    imp = np.full(len(idx), 0.1)
    exp = np.where((idx.hour >= 10) & (idx.hour < 16), 0.5, 0.0)
    text = "\n".join(["Zeitstempel;Wert (kWh);OBIS-Kennzahl"] + [
        f"{s};{str(round(v, 3)).replace('.', ',')};{obis}"
        for obis, vals in (("1-0:1.8.0", imp), ("1-0:2.8.0", exp)) for s, v in zip(stamps, vals, strict=True)
    ])  # fmt: skip
    curves = read(text)
    by = {c.direction: c for c in curves}
    assert set(by) == {Direction.IMPORT, Direction.EXPORT}
    assert by[Direction.IMPORT].meta.obis == "1-0:1.8.0" and by[Direction.EXPORT].meta.obis == "1-0:2.8.0"
    assert by[Direction.IMPORT].total_kwh == pytest.approx(imp.sum())
    assert by[Direction.EXPORT].total_kwh == pytest.approx(exp.sum())
    # the consumption curve carries the feed-in of the same period
    c = read_load_curve(text.encode(), name="export.csv")
    assert c.direction is Direction.IMPORT
    assert c.meta.feed_in_kwh == pytest.approx(exp.sum()) and c.meta.feed_in_days == pytest.approx(2.0)


def test_two_tariff_registers_of_one_direction_are_refused():
    idx, stamps = _two_days()
    text = "\n".join(["Zeitstempel;Wert (kWh);OBIS"] + [
        f"{s};0,1;{obis}" for obis in ("1-0:1.8.1", "1-0:1.8.2") for s in stamps
    ])  # fmt: skip
    with pytest.raises(LoadCurveError, match=re.escape("holds 2 import registers (1-0:1.8.1, 1-0:1.8.2)")):
        read(text)


def test_register_columns_name_their_obis_and_feed_in_is_attached():
    idx, stamps = _two_days()
    text = "\n".join(["Zeitstempel;Bezug 1.8.0 (kWh);Einspeisung 2.8.0 (kWh)"] + [
        f"{s};0,1;{'0,4' if 10 <= t.hour < 16 else '0'}" for s, t in zip(stamps, idx, strict=True)
    ])  # fmt: skip
    curves = read(text)
    assert [(c.direction, c.meta.obis) for c in curves] == [
        (Direction.IMPORT, "1-0:1.8.0"),
        (Direction.EXPORT, "1-0:2.8.0"),
    ]
    c = read_load_curve(text.encode(), name="export.csv")
    assert c.meta.feed_in_kwh == pytest.approx(0.4 * 24 * 2)


def test_signed_net_curve_needs_the_option_or_a_header_that_says_so():
    idx, stamps = _two_days()
    net = np.where((idx.hour >= 10) & (idx.hour < 16), -0.3, 0.1)
    body = [f"{s};{str(round(v, 3)).replace('.', ',')}" for s, v in zip(stamps, net, strict=True)]
    plain = "\n".join(["Zeitstempel;Wert (kWh)"] + body)
    with pytest.raises(LoadCurveError, match=re.escape("pass `signed` (--signed)")):
        read(plain)
    for text, opts in (
        (plain, {"signed": True}),
        ("\n".join(["Zeitstempel;Saldo Bezug - Einspeisung (kWh)"] + body), {}),
    ):
        by = {c.direction: c for c in read(text, **opts)}
        assert by[Direction.IMPORT].total_kwh == pytest.approx(net.clip(min=0).sum())
        assert by[Direction.EXPORT].total_kwh == pytest.approx((-net).clip(min=0).sum())
        assert any("netted" in n for n in by[Direction.IMPORT].meta.conversions)


def test_cli_ingest_signed(tmp_path, capsys):
    idx, stamps = _two_days()
    net = np.where((idx.hour >= 10) & (idx.hour < 16), -0.3, 0.1)
    p = tmp_path / "netz.csv"
    p.write_text(
        "\n".join(
            ["Zeitstempel;Wert (kWh)"]
            + [f"{s};{str(round(v, 3)).replace('.', ',')}" for s, v in zip(stamps, net, strict=True)]
        )
    )
    assert main(["ingest", str(p)]) == 2
    assert "--signed" in capsys.readouterr().err
    assert main(["ingest", str(p), "--signed", "--json"]) == 0
    summaries = json.loads(capsys.readouterr().out)
    assert [s["direction"] for s in summaries] == ["import", "export"]
    assert summaries[1]["energy_kwh"] == pytest.approx(0.3 * 24 * 2)
