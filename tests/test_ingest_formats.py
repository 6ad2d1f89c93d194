"""Structured meter formats: MSCONS, SMGW (AR 2418-6), Green Button (ESPI), inexogy JSON.

Every shared sample in ../shared/data/formats is read in place; expected totals were computed
independently (regex over the raw text, by hand) and are written here as literals.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shared_data import shared_path

from advisor.errors import LoadCurveError
from advisor.ingest import ReadOptions, detect_format, read_load_curve, read_load_curves
from advisor.loadcurve import Direction, Quality

DATA = Path(__file__).parent / "data" / "formats"


def fmt(*parts):
    return shared_path("formats", *parts)


def _cli_json(capsys, *args):
    from advisor.cli import main

    code = main(["ingest", *map(str, args), "--json"])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if code == 0 else None), out.err


# =============================================================================================
# MSCONS — shared samples
# =============================================================================================
def test_mscons_sample01_single_line_decimal_comma_local_offsets():
    path = fmt("mscons", "MSCONS_TL_SAMPLE01.txt")
    raw = path.read_bytes()
    assert raw.count(b"\n") <= 1  # the whole interchange is one line
    assert detect_format(raw, path.name) == "mscons"
    c = read_load_curve(path)
    # 31 days x 96 quarter-hours of December 2015 (no DST change)
    assert c.n_intervals == 2976
    assert c.interval_minutes == 15
    assert c.meta.meter_id == "US0001062600000001000000022345671"
    # sum of the 2976 `QTY+220:<v>` values with ',' as decimal mark, computed with a regex
    assert c.measured_and_substituted_kwh == pytest.approx(680.282, abs=1e-9)
    assert c.missing_intervals == 0 and c.substituted_intervals == 0
    # `?+01` = German winter time: the first interval starts at local midnight
    assert c.start == pd.Timestamp("2015-12-01 00:00", tz="Europe/Berlin")
    assert c.end == pd.Timestamp("2016-01-01 00:00", tz="Europe/Berlin")
    assert (c.local_index().normalize().value_counts() == 96).all()
    # the sample's brackets stray from the grid (20:00-20:16 + 20:16-20:30 ...); that is reported
    assert any("deviate from the 15-min grid" in w for w in c.meta.warnings)


def test_mscons_sample01_value_positions():
    c = read_load_curve(fmt("mscons", "MSCONS_TL_SAMPLE01.txt"))
    e = c.data["energy_kwh"]
    # value 1879 (0-based 1878) is `QTY+220:0,459` bracketed 2015-12-20 13:30-13:45 (+01)
    assert e.iloc[1878] == pytest.approx(0.459)
    assert e.index[1878] == pd.Timestamp("2015-12-20 13:30", tz="Europe/Berlin")


def test_mscons_h2nguyen_test_message_refused_on_unit():
    # a hand-made test message: unit code D54 (a placeholder) and a month-long "interval"
    with pytest.raises(LoadCurveError, match=r"unit 'D54' of value 4250\.465"):
        read_load_curves(fmt("mscons", "h2nguyen_mscons-message-example.txt"))


# =============================================================================================
# MSCONS — our fixture and generated messages
# =============================================================================================
def test_mscons_fixture_two_messages_crlf_comma_substitutes():
    curves = read_load_curves(DATA / "mscons_two_locations_comma_crlf.txt")
    assert [(c.meta.meter_id, c.direction) for c in curves] == [
        ("51238696780", Direction.IMPORT),
        ("51238696780", Direction.EXPORT),
        ("DE0001234567890000000000000000001", Direction.IMPORT),
    ]
    a_imp, a_exp, b = curves
    # 0,250 (220) + 0,300 (67) + 0,125 (Z18); the Z30 value is missing
    assert a_imp.measured_and_substituted_kwh == pytest.approx(0.675)
    assert list(a_imp.data["quality"].astype(str)) == ["measured", "substituted", "missing", "measured"]
    assert a_imp.substituted_intervals == 1 and a_imp.missing_intervals == 1
    assert any("Z92 interpolation" in w and "Z75 communication fault" in w for w in a_imp.meta.warnings)
    assert any("Z18" in w and "provisional" in w for w in a_imp.meta.warnings)
    assert a_imp.start == pd.Timestamp("2024-03-31 00:00", tz="Europe/Berlin")
    assert a_exp.measured_and_substituted_kwh == pytest.approx(2.25)
    # the declared period (DTM+163/164 under LOC) is 23:00-24:00 UTC: its last two quarter-hours are missing
    assert a_exp.n_intervals == 4 and a_exp.missing_intervals == 2
    assert any("2 intervals of the declared period" in w for w in a_exp.meta.warnings)
    assert a_exp.meta.obis == "1-1:2.29.0"
    # KWT at 30 min: (2 + 0,4 + 1) kW x 0.5 h = 1.7 kWh
    assert b.interval_minutes == 30
    assert b.measured_and_substituted_kwh == pytest.approx(1.7)
    assert list(b.energy_kwh) == pytest.approx([1.0, 0.2, 0.5])
    # the UNT count of message 2 is wrong (99 declared, 20 present): warned on its curve only
    assert any("UNT declares 99" in w for w in b.meta.warnings)
    assert not any("UNT" in w for w in a_imp.meta.warnings)


def test_mscons_fixture_meter_id_option_and_single_import_choice():
    path = DATA / "mscons_two_locations_comma_crlf.txt"
    with pytest.raises(LoadCurveError, match="2 consumption curves"):
        read_load_curve(path)
    c = read_load_curve(path, ReadOptions(meter_id="DE0001234567890000000000000000001"))
    assert c.n_intervals == 3


def _msg(body: list[str], una: str = "UNA:+.? '", sep: str = "\n") -> bytes:
    segs = ["UNH+1+MSCONS:D:04B:UN:2.4c", "BGM+Z48+X+9", "UNS+D", "NAD+DP", *body]
    segs.append(f"UNT+{len(segs) + 1}+1")
    text = una + sep + sep.join(s + "'" for s in ["UNB+UNOC:3+1:500+2:500+240101:0000+R++TL", *segs, "UNZ+1+R"])
    return text.encode("latin-1")


def _values(starts, values, *, offsets=None, step_min=15, qual="220", unit="", fmt="303"):
    out = []
    for i, (s, v) in enumerate(zip(starts, values, strict=True)):
        s = pd.Timestamp(s)
        e = s + pd.Timedelta(minutes=step_min)
        off = offsets[i] if offsets else ""
        out += [
            f"QTY+{qual}:{v}" + (f":{unit}" if unit else ""),
            f"DTM+163:{s:%Y%m%d%H%M}{off}:{fmt}",
            f"DTM+164:{e:%Y%m%d%H%M}{off}:{fmt}",
        ]
    return out


def test_mscons_utc_march_month_and_dst_day_92():
    # March 2022 in UTC like the current AHB: 2022-02-28T23:00Z .. 2022-03-31T22:00Z
    idx = pd.date_range("2022-02-28 23:00", "2022-03-31 22:00", freq="15min", inclusive="left")
    body = ["LOC+172+51238696780", "LIN+1", "PIA+5+1-1?:1.29.0:SRW"]
    for i, t in enumerate(idx):
        body += [
            f"QTY+220:{(i % 7) * 0.001:.3f}",
            f"DTM+163:{t:%Y%m%d%H%M}?+00:303",
            f"DTM+164:{t + pd.Timedelta('15min'):%Y%m%d%H%M}?+00:303",
        ]
    c = read_load_curve(_msg(body), name="march.txt")
    assert c.n_intervals == 2972  # 31 x 96 - 4
    per_day = c.local_index().normalize().value_counts()
    assert per_day[pd.Timestamp("2022-03-27", tz="Europe/Berlin")] == 92
    assert (per_day.drop(pd.Timestamp("2022-03-27", tz="Europe/Berlin")) == 96).all()
    # sum of (i mod 7) / 1000 over i = 0..2971: 424 full cycles of 21 plus 0+1+2+3 -> (424*21 + 6)/1000
    assert c.measured_and_substituted_kwh == pytest.approx((424 * 21 + 6) / 1000)


def test_mscons_october_local_offsets_100_quarter_hours():
    # old-style German legal time: ...0245?+02 followed by ...0200?+01
    utc = pd.date_range("2023-10-28 22:00", "2023-10-29 23:00", freq="15min", tz="UTC", inclusive="left")
    body = ["LOC+172+1", "LIN+1", "PIA+5+1-1?:1.29.0:SRW"]
    for t in utc:
        s, e = t.tz_convert("Europe/Berlin"), (t + pd.Timedelta("15min")).tz_convert("Europe/Berlin")
        so, eo = s.strftime("%z")[:3].replace("+", "?+"), e.strftime("%z")[:3].replace("+", "?+")
        body += ["QTY+220:0.01", f"DTM+163:{s:%Y%m%d%H%M}{so}:303", f"DTM+164:{e:%Y%m%d%H%M}{eo}:303"]
    raw = _msg(body)
    assert b"202310290245?+02:303" in raw and b"202310290200?+01:303" in raw
    c = read_load_curve(raw, name="oct.txt")
    assert c.n_intervals == 100
    assert c.measured_and_substituted_kwh == pytest.approx(1.0)
    assert c.local_index().normalize().nunique() == 1


def test_mscons_format_203_naive_localised_by_order_across_october():
    walls = pd.date_range("2023-10-29 00:00", "2023-10-29 23:45", freq="15min")
    walls = list(walls[:12]) + list(walls[8:12]) + list(walls[12:])  # 02:00-02:45 twice -> 100 values
    assert len(walls) == 100
    body = ["LOC+172+1", "LIN+1", "PIA+5+1-1?:1.29.0:SRW"]
    ends = walls[1:] + [pd.Timestamp("2023-10-30 00:00")]
    for i, (s, e) in enumerate(zip(walls, ends, strict=True)):
        body += [f"QTY+220:{i / 1000:.3f}", f"DTM+163:{s:%Y%m%d%H%M}:203", f"DTM+164:{e:%Y%m%d%H%M}:203"]
    c = read_load_curve(_msg(body), name="oct203.txt")
    assert c.n_intervals == 100
    assert c.measured_and_substituted_kwh == pytest.approx(sum(range(100)) / 1000)
    # the second 02:00 (value 12) is 02:00+01:00 = 01:00 UTC
    assert c.data["energy_kwh"].iloc[12] == pytest.approx(0.012)
    assert c.index[12] == pd.Timestamp("2023-10-29 01:00", tz="UTC")


def test_mscons_single_line_equals_one_segment_per_line():
    body = [
        "LOC+172+1",
        "LIN+1",
        "PIA+5+1-1?:1.29.0:SRW",
        *_values(["2024-01-01 00:00", "2024-01-01 00:15"], ["0.5", "0.25"], offsets=["?+01", "?+01"]),
    ]
    a = read_load_curve(_msg(body, sep=""), name="a")
    b = read_load_curve(_msg(body, sep="\r\n"), name="b")
    assert a.data.equals(b.data)
    assert a.measured_and_substituted_kwh == pytest.approx(0.75)


def test_mscons_decimal_mark_never_guessed():
    body = ["LOC+172+1", "LIN+1", *_values(["2024-01-01 00:00"], ["0,5"], offsets=["?+01"])]
    with pytest.raises(LoadCurveError, match=r"uses ',' as decimal mark but the interchange declares '\.'"):
        read_load_curves(_msg(body), name="x")
    # and with UNA declaring ',' the same text is 0.5
    body = [
        "LOC+172+1",
        "LIN+1",
        *_values(["2024-01-01 00:00", "2024-01-01 00:15"], ["0,5", "1"], offsets=["?+01", "?+01"]),
    ]
    c = read_load_curve(_msg(body, una="UNA:+,? '"), name="y")
    assert c.measured_and_substituted_kwh == pytest.approx(1.5)


def test_mscons_custom_service_characters_and_release():
    # UNA with '*' element separator and '#' terminator; '?#' is an escaped terminator in a name
    text = (
        "UNA:*.? #UNB*UNOC:3*1:500*2:500*240101:0000*R**TL#UNH*1*MSCONS:D:04B:UN:2.4c#CTA*IC*:A?#B#UNS*D#"
        "LOC*172*42#LIN*1#PIA*5*1-1?:1.29.0:SRW#QTY*220:1.5#DTM*163:202401010000?+01:303#DTM*164:202401010015?+01:303#"
        "QTY*220:0.5#DTM*163:202401010015?+01:303#DTM*164:202401010030?+01:303#UNT*13*1#UNZ*1*R#"
    )
    c = read_load_curve(text.encode(), name="custom.txt")
    assert c.meta.meter_id == "42"
    assert c.measured_and_substituted_kwh == pytest.approx(2.0)
    assert not any("UNT" in w for w in c.meta.warnings)


@pytest.mark.parametrize(
    ("body", "pattern"),
    [
        (
            [
                "LOC+172+1",
                "LIN+1",
                *_values(["2024-01-01 00:00", "2024-01-01 00:15"], ["-0.5", "1"], offsets=["?+01", "?+01"]),
            ],
            "negative value -0.5",
        ),
        (
            [
                "LOC+172+1",
                "LIN+1",
                *_values(["2024-01-01 00:00", "2024-01-01 00:15"], ["1", "1"], offsets=["?+01", "?+01"], qual="187"),
            ],
            r"only forecast values \(QTY 187\)",
        ),
        (
            ["LOC+172+1", "LIN+1", *_values(["2024-01-01 00:00"], ["1"], offsets=["?+01"], qual="999")],
            "QTY qualifier '999' unknown",
        ),
        (
            [
                "LOC+172+1",
                "LIN+1",
                *_values(["2024-01-01 00:00", "2024-01-01 00:05"], ["1", "1"], offsets=["?+01", "?+01"], step_min=5),
            ],
            "covers 5 min",
        ),
        (
            ["LOC+172+1", "LIN+1", "QTY+220:1", "DTM+163:202401010000:303", "DTM+164:202401010015:303"],
            "lacks its offset",
        ),
        (["LOC+172+1", "LIN+1", "QTY+220:1"], "without its interval"),
        (["LOC+172+1", "QTY+220:1"], "QTY outside a LIN"),
    ],
)
def test_mscons_refusals(body, pattern):
    with pytest.raises(LoadCurveError, match=pattern):
        read_load_curves(_msg(body), name="bad.txt")


def test_mscons_forecast_values_mixed_in_are_left_out():
    body = [
        "LOC+172+1",
        "LIN+1",
        *_values(["2024-01-01 00:00"], ["1"], offsets=["?+01"]),
        *_values(["2024-01-01 00:15"], ["9"], offsets=["?+01"], qual="187"),
        *_values(["2024-01-01 00:30"], ["2"], offsets=["?+01"]),
    ]
    c = read_load_curve(_msg(body), name="f.txt")
    assert c.n_intervals == 3 and c.missing_intervals == 1
    assert c.measured_and_substituted_kwh == pytest.approx(3.0)
    assert any("187" in w and "left out" in w for w in c.meta.warnings)


def test_mscons_register_readings_differenced_with_meter_change():
    # OBIS 1.8.0 register readings at DTM+9; a meter change (STS Z78) restarts the count
    body = ["LOC+172+R1", "LIN+1", "PIA+5+1-1?:1.8.0:SRW"]
    readings = [
        ("202401010000", "1000.0", None),
        ("202401010015", "1000.4", None),
        ("202401010030", "1001.0", None),
        ("202401010045", "0.2", "Z78"),
        ("202401010100", "0.5", None),
    ]
    for t, v, sts in readings:
        body += [f"QTY+220:{v}:KWH", f"DTM+9:{t}?+01:303"] + ([f"STS+Z34++{sts}"] if sts else [])
    c = read_load_curve(_msg(body), name="reg.txt")
    assert list(c.data["quality"].astype(str)) == ["measured", "measured", "missing", "measured"]
    assert c.measured_and_substituted_kwh == pytest.approx(0.4 + 0.6 + 0.3)
    # without the status the register running backwards is refused
    body = [b for b in body if not b.startswith("STS")]
    with pytest.raises(LoadCurveError, match="register runs backwards from 1001 to 0.2"):
        read_load_curves(_msg(body), name="reg.txt")


def test_mscons_reactive_channel_skipped():
    body = [
        "LOC+172+1",
        "LIN+1",
        "PIA+5+1-1?:3.29.0:SRW",
        *_values(["2024-01-01 00:00"], ["1"], offsets=["?+01"], unit="KVR"),
    ]
    with pytest.raises(LoadCurveError):
        read_load_curves(_msg(body), name="r.txt")


def test_mscons_segment_caps():
    from advisor.ingest import mscons

    huge = (
        "UNA:+.? 'UNB+UNOC:3+1+2+3+R'UNH+1+MSCONS:D:04B:UN:2.4c'" + "FTX+" + "A" * (mscons.MAX_SEGMENT_CHARS + 10) + "'"
    )
    with pytest.raises(LoadCurveError, match="characters long"):
        read_load_curves(huge.encode(), name="big.txt")
    with pytest.raises(LoadCurveError):
        read_load_curves(b"UNA:+.? 'UNB+UNOC:3+1+2+3+R'UNH+1+MSCONS:D:04B:UN:2.4c'QTY+220:1", name="trunc.txt")


# =============================================================================================
# SMGW (VDE AR 2418-6 / TRuDI)
# =============================================================================================
def test_smgw_with_gaps_mixed_offsets():
    path = fmt("smgw_ar2418", "IF_Adapter_TRuDI_DatenTAF7_With_Gaps.xml")
    assert detect_format(path.read_bytes(), path.name) == "smgw"
    c = read_load_curve(path)
    assert c.meta.meter_id == "DE00000000000000000000000000000001"
    assert c.meta.obis == "1-0:1.8.0"
    # readings 11:30 .. 15:15 local -> 15 quarter-hours from 11:30 to 15:15 (end exclusive)
    assert c.n_intervals == 15
    assert c.start == pd.Timestamp("2017-06-26 11:30", tz="Europe/Berlin")
    assert c.end == pd.Timestamp("2017-06-26 15:15", tz="Europe/Berlin")
    # measured: 639108->639118 (11:30) and 639118 (written as 09:45Z)->639128 (11:45): 2 x 1.0 Wh
    e = c.data["energy_kwh"]
    assert e.iloc[0] == pytest.approx(0.001) and e.iloc[1] == pytest.approx(0.001)
    assert c.measured_and_substituted_kwh == pytest.approx(0.002)
    # gaps 12:00-12:30 (2), 13:00-13:45 (3), 13:45-15:00 (5): filled with the register difference (0)
    assert c.count(Quality.FILLED) == 10
    assert c.count(Quality.MEASURED) == 5
    assert float(e.sum()) == pytest.approx((639128 - 639108) * 0.1 / 1000)
    assert any("3 gap(s)" in w for w in c.meta.warnings)


def test_smgw_october_dst_day_100_quarter_hours():
    c = read_load_curve(fmt("smgw_ar2418", "result_single_day_dst_oct.xml"))
    assert c.n_intervals == 100
    assert c.local_index().normalize().value_counts().tolist() == [100]
    # 101 readings from 0 to 960 (x 10^-1 Wh): 96 Wh
    assert c.measured_and_substituted_kwh == pytest.approx(0.096)
    # the repeated wall time 02:45: +02:00 holds 78 -> 81 (0.3 Wh), +01:00 holds the next step
    loc = c.local_index()
    twice = [i for i, t in enumerate(loc) if t.hour == 2 and t.minute == 45]
    assert len(twice) == 2
    assert loc[twice[0]].utcoffset() == pd.Timedelta(hours=2)
    assert loc[twice[1]].utcoffset() == pd.Timedelta(hours=1)
    assert c.data["energy_kwh"].iloc[twice[0]] == pytest.approx(0.0003)
    assert any("PTB status" in w for w in c.meta.warnings)


def _smgw(readings: list[tuple[str, int]], obis: str = "0100010800ff", extra_reading: str = "") -> bytes:
    rs = "".join(
        f"<IntervalReading><espi:value>{v}</espi:value><timePeriod><duration>0</duration><start>{t}</start></timePeriod>"
        f"<statusPTB>0</statusPTB></IntervalReading>"
        for t, v in readings
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><UsagePoints xmlns="http://vde.de/AR_2418-6.xsd" xmlns:espi="http://naesb.org/espi">'
        "<UsagePoint><usagePointId>DE0000TEST</usagePointId>"
        f"<MeterReading><Meter><meterId>M1</meterId></Meter><ReadingType><espi:powerOfTenMultiplier>0</espi:powerOfTenMultiplier>"
        f"<espi:uom>72</espi:uom><scaler>0</scaler><obisCode>{obis}</obisCode></ReadingType><IntervalBlock>{rs}</IntervalBlock></MeterReading>"
        f"{extra_reading}</UsagePoint></UsagePoints>"
    ).encode()


def test_smgw_export_register_and_both_directions():
    imp = [("2024-06-01T00:00:00+02:00", 1000), ("2024-06-01T00:15:00+02:00", 1100), ("2024-05-31T22:30:00Z", 1250)]
    exp_block = _smgw(
        [("2024-06-01T00:00:00+02:00", 50), ("2024-06-01T00:15:00+02:00", 550), ("2024-06-01T00:30:00+02:00", 800)],
        obis="0100020800ff",
    )
    mr = exp_block.decode().split("<MeterReading>")[1].split("</MeterReading>")[0]
    raw = _smgw(imp, extra_reading=f"<MeterReading>{mr}</MeterReading>")
    curves = read_load_curves(raw, name="both.xml")
    assert [c.direction for c in curves] == [Direction.IMPORT, Direction.EXPORT]
    assert curves[0].measured_and_substituted_kwh == pytest.approx(0.25)
    assert curves[1].measured_and_substituted_kwh == pytest.approx(0.75)
    assert curves[1].meta.obis == "1-0:2.8.0"
    assert read_load_curve(raw, name="both.xml").direction is Direction.IMPORT


def test_smgw_refusals():
    with pytest.raises(LoadCurveError, match="runs backwards"):
        read_load_curves(_smgw([("2024-06-01T00:00:00+02:00", 10), ("2024-06-01T00:15:00+02:00", 5)]), name="b.xml")
    with pytest.raises(LoadCurveError, match="has no offset"):
        read_load_curves(_smgw([("2024-06-01T00:00:00", 10), ("2024-06-01T00:15:00", 15)]), name="n.xml")
    with pytest.raises(LoadCurveError, match="a single reading"):
        read_load_curves(_smgw([("2024-06-01T00:00:00+02:00", 10)]), name="s.xml")
    with pytest.raises(LoadCurveError, match="different register readings"):
        read_load_curves(
            _smgw([("2024-06-01T00:00:00+02:00", 10), ("2024-05-31T22:00:00Z", 12), ("2024-06-01T00:15:00+02:00", 15)]),
            name="d.xml",
        )
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<UsagePoints xmlns="http://vde.de/AR_2418-6.xsd">&lol2;</UsagePoints>'
    )
    with pytest.raises(LoadCurveError, match="forbidden"):
        read_load_curves(bomb, name="bomb.xml")
    with pytest.raises(LoadCurveError, match="malformed XML"):
        read_load_curves(b'<UsagePoints xmlns="http://vde.de/AR_2418-6.xsd"><UsagePoint>', name="cut.xml")


# =============================================================================================
# Green Button (ESPI)
# =============================================================================================
def test_green_button_newest_first_epoch_seconds():
    path = fmt("green_button", "intervals_APUC000000_electric.xml")
    assert detect_format(path.read_bytes(), path.name) == "espi"
    c = read_load_curve(path)
    assert c.n_intervals == 300 and c.interval_minutes == 60
    # sum of the 300 <value> Wh numbers (regex): 248530 Wh
    assert c.measured_and_substituted_kwh == pytest.approx(248.53)
    # oldest reading: epoch 1677088800 = 2023-02-22T18:00Z, value 520 Wh (the file's last entry)
    assert c.start == pd.Timestamp("2023-02-22 18:00", tz="UTC")
    assert c.data["energy_kwh"].iloc[0] == pytest.approx(0.52)
    assert c.data["energy_kwh"].iloc[-1] == pytest.approx(0.32)  # newest 1678165200, first in file
    assert c.meta.tz == "Etc/GMT+5"  # the file's fixed -0500
    assert c.start.utcoffset() == pd.Timedelta(hours=-5)
    assert any("no zone name" in w for w in c.meta.warnings)


def test_green_button_matching_zone_from_options():
    c = read_load_curve(
        fmt("green_button", "intervals_APUC000000_electric.xml"),
        ReadOptions(tz="America/New_York", holiday_region="US"),
    )
    assert c.meta.tz == "America/New_York"
    assert c.measured_and_substituted_kwh == pytest.approx(248.53)


# =============================================================================================
# inexogy / Discovergy JSON
# =============================================================================================
def test_discovergy_gas_metadata_single_reading_refused():
    with pytest.raises(LoadCurveError, match=r"gas meter readings \(field 'volume'\)"):
        read_load_curves(fmt("discovergy", "pydiscovergy_readings.json"))
    with pytest.raises(LoadCurveError, match="meter metadata"):
        read_load_curves(fmt("discovergy", "pydiscovergy_meters.json"))
    with pytest.raises(LoadCurveError, match="a single reading"):
        read_load_curves(fmt("discovergy", "pydiscovergy_last_reading.json"))


def test_discovergy_energy_register_fixture():
    c = read_load_curve(DATA / "discovergy_readings_energy.json")
    assert c.meta.source_format == "discovergy"
    assert c.start == pd.Timestamp("2024-01-01 00:00", tz="Europe/Berlin")  # 1704063600000 ms
    # register steps 2.5e9, 1e9, 0, 4e9 (x 1e-10 kWh) -> 0.25, 0.1, 0, 0.4 kWh
    assert list(c.energy_kwh) == pytest.approx([0.25, 0.1, 0.0, 0.4])
    assert c.n_intervals == 4
    # energyOut never moves: no feed-in curve
    assert len(read_load_curves(DATA / "discovergy_readings_energy.json")) == 1


# =============================================================================================
# CLI on every shared sample
# =============================================================================================
@pytest.mark.parametrize(
    ("parts", "n_intervals", "energy_kwh"),
    [
        (("mscons", "MSCONS_TL_SAMPLE01.txt"), 2976, 680.282),
        (("smgw_ar2418", "IF_Adapter_TRuDI_DatenTAF7_With_Gaps.xml"), 15, 0.002),
        (("smgw_ar2418", "result_single_day_dst_oct.xml"), 100, 0.096),
        (("green_button", "intervals_APUC000000_electric.xml"), 300, 248.53),
    ],
)
def test_cli_ingest_json_samples(capsys, parts, n_intervals, energy_kwh):
    code, obj, err = _cli_json(capsys, fmt(*parts))
    assert code == 0, err
    assert obj["n_intervals"] == n_intervals
    assert obj["energy_kwh"] == pytest.approx(energy_kwh, abs=1e-6)
    assert obj["end"] > obj["start"]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("mscons", "h2nguyen_mscons-message-example.txt"), "D54"),
        (("discovergy", "pydiscovergy_readings.json"), "gas"),
        (("discovergy", "pydiscovergy_meters.json"), "metadata"),
        (("discovergy", "pydiscovergy_last_reading.json"), "single reading"),
    ],
)
def test_cli_ingest_refusals_exit_2(capsys, parts, message):
    code, _, err = _cli_json(capsys, fmt(*parts))
    assert code == 2
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_ingest_fixture_list_of_curves(capsys):
    # two metering locations: refused with both named unless every location is asked for (issue 17)
    code, _, err = _cli_json(capsys, DATA / "mscons_two_locations_comma_crlf.txt")
    assert code == 2 and "51238696780" in err and "DE0001234567890000000000000000001" in err
    code, obj, err = _cli_json(capsys, DATA / "mscons_two_locations_comma_crlf.txt", "--all-locations")
    assert code == 0, err
    assert [o["energy_kwh"] for o in obj] == pytest.approx([0.675, 2.25, 1.7])
    assert [o["substituted_intervals"] for o in obj] == [1, 0, 0]


# =============================================================================================
# Fuzz: mutated structured files may only raise LoadCurveError
# =============================================================================================
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
_MSCONS = (DATA / "mscons_two_locations_comma_crlf.txt").read_bytes()
_SMGW = _smgw(
    [("2024-06-01T00:00:00+02:00", 1000), ("2024-06-01T00:15:00+02:00", 1100), ("2024-05-31T22:30:00Z", 1250)]
)
_ESPI = (
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="ReadingType/01" rel="self"/>'
    b'<content><ReadingType xmlns="http://naesb.org/espi"><powerOfTenMultiplier>0</powerOfTenMultiplier><uom>72</uom>'
    b'</ReadingType></content></entry><entry><link rel="up" href="U/1/UsagePoint/7/MeterReading/01/IntervalBlock"/>'
    b'<content><IntervalBlock xmlns="http://naesb.org/espi"><IntervalReading><timePeriod><duration>3600</duration>'
    b"<start>1678165200</start><timezone>-0500</timezone></timePeriod><value>320</value></IntervalReading><IntervalReading>"
    b"<timePeriod><duration>3600</duration><start>1678161600</start><timezone>-0500</timezone></timePeriod><value>920</value>"
    b"</IntervalReading></IntervalBlock></content></entry></feed>"
)
_DISCOVERGY = (DATA / "discovergy_readings_energy.json").read_bytes()
_TABLE = (DATA / "long_table_aliases.csv").read_bytes()
_SEEDS = {"mscons": _MSCONS, "smgw": _SMGW, "espi": _ESPI, "discovergy": _DISCOVERGY, "table": _TABLE}


def _only_loadcurveerror(raw: bytes, name: str) -> None:
    try:
        curves = read_load_curves(raw, name=name)
    except LoadCurveError:
        return
    assert curves and all(c.n_intervals > 0 for c in curves)


def test_fuzz_seeds_are_valid():
    for kind, raw in _SEEDS.items():
        assert read_load_curves(raw, name=kind) if kind != "table" else True


@FUZZ
@given(
    kind=st.sampled_from(sorted(_SEEDS)),
    cuts=st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 40), st.binary(max_size=12)), min_size=1, max_size=4),
)
def test_fuzz_mutated_structured_files(kind, cuts):
    raw = bytearray(_SEEDS[kind])
    for pos, length, insert in cuts:
        pos = pos % max(len(raw), 1)
        raw[pos : pos + length] = insert
    _only_loadcurveerror(bytes(raw), f"fuzz.{kind}")


@FUZZ
@given(
    value=st.sampled_from(["0", "-1", "1e400", "99999999999999999999", "nan", "0x10", "", "1.5", "' OR 1"]),
    field=st.sampled_from(
        [
            b"<espi:value>1100</espi:value>",
            b"<start>1678161600</start>",
            b"<value>920</value>",
            b"<duration>3600</duration>",
            b"QTY+220:1,5:KWH",
            b"DTM+164:202403302315?+00:303",
            b'"time": 1704064500000',
        ]
    ),
)
def test_fuzz_field_values(value, field):
    for raw in _SEEDS.values():
        if field in raw:
            tag = field.split(b">")[0] + b">" if field.startswith(b"<") else None
            if tag:
                new = tag + value.encode() + b"</" + tag[1:]
            elif field.startswith(b"QTY"):
                new = b"QTY+220:" + value.encode() + b":KWH"
            elif field.startswith(b"DTM"):
                new = b"DTM+164:" + value.encode() + b"?+00:303"
            else:
                new = b'"time": ' + (value.encode() or b'""')
            _only_loadcurveerror(raw.replace(field, new, 1), "field")


def test_mscons_redispatch_may_be_negative_and_medium_code_pia():
    body = [
        "RFF+Z13:13022",
        "LOC+172+51238696780",
        "LIN+1",
        "PIA+5+AUA:Z08",
        *_values(["2022-03-01 00:00", "2022-03-01 00:15"], ["-0.5", "1.25"], offsets=["?+00", "?+00"], unit="KWH"),
    ]
    c = read_load_curve(_msg(body), name="redispatch.txt")
    assert c.data["energy_kwh"].sum() == pytest.approx(0.75)
    assert any("redispatch" in w for w in c.meta.warnings)
    assert any("'AUA' is not an OBIS code" in w for w in c.meta.warnings)


def test_smgw_march_dst_day_92_quarter_hours():
    utc = pd.date_range("2017-03-25 23:00", "2017-03-26 22:00", freq="15min", tz="UTC")
    readings = [(t.tz_convert("Europe/Berlin").isoformat(), 10 * i) for i, t in enumerate(utc)]
    assert ("2017-03-26T01:45:00+01:00", 70) in readings and ("2017-03-26T03:00:00+02:00", 80) in readings
    c = read_load_curve(_smgw(readings), name="march.xml")
    assert c.n_intervals == 92
    assert c.local_index().normalize().value_counts().tolist() == [92]
    assert c.measured_and_substituted_kwh == pytest.approx(92 * 10 / 1000)


def test_smgw_tariff_and_billing_registers_beside_the_total():
    total = _smgw(
        [("2024-06-01T00:00:00+02:00", 1000), ("2024-06-01T00:15:00+02:00", 1100), ("2024-06-01T00:30:00+02:00", 1250)]
    )
    tariff = _smgw([("2024-06-01T00:00:00+02:00", 10), ("2024-06-01T00:15:00+02:00", 20)], obis="0100010801ff")
    monthly = _smgw([("2024-05-01T00:00:00+02:00", 10), ("2024-06-01T00:00:00+02:00", 20)], obis="0100010802ff")

    def mr(raw):
        return (
            "<MeterReading>" + raw.decode().split("<MeterReading>")[1].split("</MeterReading>")[0] + "</MeterReading>"
        )

    raw = _smgw(
        [("2024-06-01T00:00:00+02:00", 1000), ("2024-06-01T00:15:00+02:00", 1100), ("2024-06-01T00:30:00+02:00", 1250)],
        extra_reading=mr(tariff) + mr(monthly),
    )
    assert raw.count(b"<MeterReading>") == 3 and total
    [c] = read_load_curves(raw, name="taf.xml")
    assert c.meta.obis == "1-0:1.8.0" and c.measured_and_substituted_kwh == pytest.approx(0.25)
    assert any("tariff register 1-0:1.8.1 skipped" in w for w in c.meta.warnings)
    assert any("register 1-0:1.8.2 not read" in w for w in c.meta.warnings)
    with pytest.raises(LoadCurveError, match="min apart"):
        read_load_curves(monthly, name="monthly.xml")


# =============================================================================================
# Energy conservation: parse -> canonical Parquet -> parse (property-based)
# =============================================================================================
ROUNDTRIP = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


@ROUNDTRIP
@given(
    milli=st.lists(st.integers(0, 5000), min_size=2, max_size=150),
    start_q=st.integers(0, 96 * 365),
    step=st.sampled_from([15, 30, 60]),
)
def test_roundtrip_mscons_and_smgw_conserve_energy(tmp_path_factory, milli, start_q, step):
    from advisor.ingest.canonical import write_curves_parquet

    start = pd.Timestamp("2023-01-01", tz="UTC") + pd.Timedelta(minutes=15 * start_q)
    starts = [start + pd.Timedelta(minutes=step * i) for i in range(len(milli))]
    body = ["LOC+172+1", "LIN+1", "PIA+5+1-1?:1.29.0:SRW"]
    for t, m in zip(starts, milli, strict=True):
        body += [
            f"QTY+220:{m / 1000:.3f}",
            f"DTM+163:{t:%Y%m%d%H%M}?+00:303",
            f"DTM+164:{t + pd.Timedelta(minutes=step):%Y%m%d%H%M}?+00:303",
        ]
    expected_kwh = sum(milli) / 1000
    c = read_load_curve(_msg(body), name="rt.txt")
    assert c.n_intervals == len(milli)
    assert c.measured_and_substituted_kwh == pytest.approx(expected_kwh, abs=1e-9)
    # the same energy as cumulative SMGW register readings (Wh, scaler 0)
    wh = np.concatenate([[10_000], 10_000 + np.cumsum(milli)])
    times = [start + pd.Timedelta(minutes=step * i) for i in range(len(wh))]
    r = read_load_curve(
        _smgw([(t.tz_convert("Europe/Berlin").isoformat(), int(v)) for t, v in zip(times, wh, strict=True)]),
        name="rt.xml",
    )
    assert r.measured_and_substituted_kwh == pytest.approx(expected_kwh, abs=1e-9)
    assert np.allclose(r.energy_kwh.to_numpy(), c.energy_kwh.to_numpy())
    out = tmp_path_factory.mktemp("rt") / "c.parquet"
    write_curves_parquet([c, r], out)
    back = read_load_curves(out)
    assert [b.measured_and_substituted_kwh for b in back] == pytest.approx([expected_kwh] * 2, abs=1e-9)
    assert back[0].data.equals(c.data) and back[1].meta == r.meta
