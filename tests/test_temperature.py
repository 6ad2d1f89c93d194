"""Temperature files: DWD CDC hourly (produkt_tu_stunde_*.txt, zip) and timestamp,temp_air CSV."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest

from advisor.ingest.temperature import TemperatureError, read_temperature

DWD = (
    "STATIONS_ID;MESS_DATUM;QN_9;TT_TU;RF_TU;eor\n"
    "       1303;2024033100;    3;   4.5;  90.0;eor\n"
    "       1303;2024033101;    3;   4.1;  91.0;eor\n"
    "       1303;2024033102;    3;-999;  91.0;eor\n"
    "       1303;2024033103;    3;  -1.2;  92.0;eor\n"
)


def test_dwd_hours_are_utc_and_minus_999_is_missing(tmp_path):
    p = tmp_path / "produkt_tu_stunde_20240331_20240331_01303.txt"
    p.write_text(DWD, encoding="latin-1")
    t = read_temperature(p)
    assert str(t.index.tz) == "UTC"
    assert t.index[0] == pd.Timestamp("2024-03-31 00:00", tz="UTC")
    # 01 UTC on the spring change day is 03:00 CEST: no hour is lost in UTC
    assert (t.index[1] - t.index[0]) == pd.Timedelta(hours=1)
    assert t.iloc[0] == 4.5 and np.isnan(t.iloc[2]) and t.iloc[3] == -1.2
    assert t.name == "temp_air"


def test_dwd_inside_its_zip(tmp_path):
    z = tmp_path / "stundenwerte_TU_01303_akt.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("Metadaten_Geographie_01303.txt", "x")
        zf.writestr("produkt_tu_stunde_20240331_20240331_01303.txt", DWD)
    assert len(read_temperature(z)) == 4


def test_dwd_bad_date_names_the_line(tmp_path):
    p = tmp_path / "produkt_tu_stunde_x.txt"
    p.write_text(DWD.replace("2024033101", "20240331 1"), encoding="utf-8")
    with pytest.raises(TemperatureError, match=r"line 3.*MESS_DATUM"):
        read_temperature(p)


def test_csv_with_offsets_and_naive_local_times(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("timestamp,temp_air\n2024-01-01T00:00:00+01:00,2.5\n2024-01-01T01:00:00+01:00,2.0\n")
    t = read_temperature(p)
    assert t.index[0] == pd.Timestamp("2023-12-31 23:00", tz="UTC")
    q = tmp_path / "naive.csv"
    q.write_text("timestamp;temp_air\n2024-07-01 12:00;21,5\n")
    t2 = read_temperature(q)
    assert t2.index[0] == pd.Timestamp("2024-07-01 10:00", tz="UTC") and t2.iloc[0] == 21.5


def test_csv_errors_are_specific(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("timestamp,temp_air\n2024-01-01T00:00:00+01:00,warm\n")
    with pytest.raises(TemperatureError, match=r"line 2.*not a number"):
        read_temperature(p)
    p.write_text("timestamp,temp_air\n2024-01-01T00:00:00+01:00,285.0\n")
    with pytest.raises(TemperatureError, match=r"plausible"):
        read_temperature(p)
    p.write_text("time,temperature\n2024-01-01,1\n")
    with pytest.raises(TemperatureError, match="timestamp,temp_air"):
        read_temperature(p)
    p.write_text("timestamp,temp_air\n2024-10-27 02:30,5\n")
    with pytest.raises(TemperatureError, match="offset"):
        read_temperature(p)
    with pytest.raises(TemperatureError, match="not found"):
        read_temperature(tmp_path / "missing.csv")
