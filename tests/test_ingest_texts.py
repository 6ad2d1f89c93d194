"""German texts of the importer: ``CurveMeta.warnings_de`` next to ``warnings`` and
``LoadCurveError.message_de`` (advisor.texts convention), on real cases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from shared_data import shared_path

from advisor.errors import LoadCurveError
from advisor.ingest import ReadOptions, read_load_curve, read_load_curves
from advisor.ingest.canonical import write_curves_parquet
from advisor.loadcurve import CurveMeta
from advisor.texts import error_de, localized, warning_de, warning_texts


def _day_csv(skip: set[int] = frozenset(), value: str = "0,125") -> bytes:
    rows = ["Datum;Uhrzeit;Verbrauch [kWh]"]
    for i in range(96 * 14):
        if i in skip:
            continue
        day, q = divmod(i, 96)
        rows.append(f"{day + 1:02d}.06.2024;{q // 4:02d}:{q % 4 * 15:02d};{value}")
    return ("\n".join(rows) + "\n").encode()


def _check_both(meta) -> None:
    assert len(meta.warnings_de) == len(meta.warnings)
    for en, de in zip(meta.warnings, meta.warnings_de, strict=True):
        assert de and de != en, en


def test_csv_gap_warning_in_german_with_german_numbers():
    skip = set(range(100, 100 + 1200))  # 1 200 intervals absent
    curve = read_load_curve(_day_csv(skip), ReadOptions(), name="portal.csv")
    _check_both(curve.meta)
    en = next(w for w in curve.meta.warnings if "gaps" in w)
    de = curve.meta.warnings_de[curve.meta.warnings.index(en)]
    assert en.startswith("1200 ") and de.startswith("1.200 ") and "Lücken" in de
    s = curve.summary()
    assert s["warnings"] == list(curve.meta.warnings) and s["warnings_de"] == list(curve.meta.warnings_de)
    assert localized(s, "warnings", "de") == s["warnings_de"] and localized(s, "warnings", "en") == s["warnings"]


def test_csv_october_duplicate_that_disagrees_gives_german_error():
    rows = ["Datum;Uhrzeit;Verbrauch [kWh]"]
    for h in range(24):
        for q in range(4):
            rows.append(f"27.10.2024;{h:02d}:{q * 15:02d};0,1")
            if h == 2:
                rows.append(f"27.10.2024;{h:02d}:{q * 15:02d};0,2")
    raw = ("\n".join(rows) + "\n").encode()
    try:
        curve = read_load_curve(raw, ReadOptions(), name="okt.csv")
    except LoadCurveError as exc:
        assert exc.message_de != exc.message
        assert exc.message_de.startswith("Datei okt.csv")
    else:  # the reader resolves the repeated hour: its notes exist in both languages
        _check_both(curve.meta)


def test_mscons_sample_warnings_in_german():
    path = shared_path("formats", "mscons", "MSCONS_TL_SAMPLE01.txt")
    curves = read_load_curves(path, ReadOptions())
    assert curves
    for c in curves:
        assert len(c.meta.warnings_de) == len(c.meta.warnings)
        for en, de in zip(c.meta.warnings, c.meta.warnings_de, strict=True):
            assert de != en, f"no German text for MSCONS warning {en!r}"


def test_html_page_as_csv_german_error():
    with pytest.raises(LoadCurveError) as info:
        read_load_curve(b"<!DOCTYPE html><html><body>Login</body></html>", ReadOptions(), name="seite.csv")
    exc = info.value
    assert "HTML" in exc.message_de and "Kundenportal" in exc.message_de
    assert exc.message_de.startswith("Datei seite.csv, Zeile 1: ")
    assert str(exc) == exc.message and exc.message.startswith("seite.csv, line 1: ")
    assert localized(exc, "message", "de") == exc.message_de
    assert localized(exc, "message", "en") == exc.message


def test_negative_value_german_error_with_german_number():
    raw = _day_csv().replace(b"0,125", b"-1,5", 1)
    with pytest.raises(LoadCurveError) as info:
        read_load_curve(raw, ReadOptions(), name="neg.csv")
    de = info.value.message_de
    assert "negativ" in de and "-1,5" in de and "-1.5" not in de, de


@pytest.mark.parametrize(
    "payload, word",
    [
        (b"", "leer"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "Binärdatei"),
        (b"hello;world\n1;2\n", "Kopfzeile"),
    ],
)
def test_household_errors_have_german(payload, word):
    with pytest.raises(LoadCurveError) as info:
        read_load_curve(payload, ReadOptions(), name="x.csv")
    assert word in info.value.message_de, info.value.message_de


def test_implausible_value_german_numbers():
    raw = _day_csv().replace(b"0,125", b"1234,5", 1)
    with pytest.raises(LoadCurveError) as info:
        read_load_curve(raw, ReadOptions(), name="wh.csv")
    de = info.value.message_de
    assert "unplausibler Wert" in de and "1.234,5" in de and "Wh statt kWh" in de, de


def test_explicit_message_de_and_fallback():
    exc = LoadCurveError("some rare internal case", source="a.csv", line=3, timestamp="2024-01-01T00:00")
    assert exc.message_de == "Datei a.csv, Zeile 3, Zeitpunkt 2024-01-01T00:00: some rare internal case"
    exc = LoadCurveError("x", message_de="y")
    assert exc.message_de == "y" and str(exc) == "x"
    assert error_de("zip member expands beyond the limit; refused").startswith("eine Datei im ZIP-Archiv")


def test_warning_helpers_keep_figures():
    en, de = warning_texts(
        "3 intervals in 2 gap(s) had no register reading; the register difference across each "
        "gap (1234.56 kWh in total) was spread evenly over it and flagged 'filled'"
    )
    assert "1.234,56 kWh" in de and "Lücke" in de and en != de
    assert warning_de("unknown text stays") == "unknown text stays"


def test_meta_keeps_lengths_in_step():
    m = CurveMeta(warnings=("reading times rounded to whole minutes",))
    assert m.warnings_de == ("Ablesezeiten auf volle Minuten gerundet",)
    from dataclasses import replace

    m2 = replace(m, warnings=m.warnings + ("5 empty values treated as missing",))
    assert m2.warnings_de == ("Ablesezeiten auf volle Minuten gerundet", "5 leere Werte als fehlend behandelt")
    m3 = CurveMeta(warnings=("a",), warnings_de=("b",))
    assert m3.warnings_de == ("b",)


def test_canonical_parquet_round_trip_keeps_both(tmp_path):
    skip = set(range(10, 30))
    curve = read_load_curve(_day_csv(skip), ReadOptions(), name="portal.csv")
    assert curve.meta.warnings_de
    path = tmp_path / "c.parquet"
    write_curves_parquet([curve], path)
    back = read_load_curve(path, ReadOptions())
    assert back.meta.warnings == curve.meta.warnings
    assert back.meta.warnings_de == curve.meta.warnings_de


def test_old_canonical_file_without_warnings_de_reads(tmp_path):
    import json

    import pyarrow.parquet as pq

    from advisor.ingest import canonical

    curve = read_load_curve(_day_csv(set(range(10, 30))), ReadOptions(), name="portal.csv")
    path = tmp_path / "old.parquet"
    write_curves_parquet([curve], path)
    table = pq.read_table(path)
    md = dict(table.schema.metadata)
    info = json.loads(md[canonical.META_KEY])
    for c in info["curves"]:
        c["meta"].pop("warnings_de")
    md[canonical.META_KEY] = json.dumps(info).encode()
    pq.write_table(table.replace_schema_metadata(md), path)
    back = read_load_curve(path, ReadOptions())
    assert back.meta.warnings == curve.meta.warnings
    assert len(back.meta.warnings_de) == len(back.meta.warnings)


# ------------------------------------------------------------------------------ app
APP = Path(__file__).resolve().parents[1] / "app"


def test_german_start_page_shows_german_upload_detail():
    AppTest = pytest.importorskip("streamlit.testing.v1").AppTest
    sys.path.insert(0, str(APP))
    at = AppTest.from_file(str(APP / "Home.py"), default_timeout=120)
    at.run()
    at.file_uploader(key="upload").set_value(("seite.csv", b"<html><body>Login</body></html>", "text/csv")).run()
    assert not at.exception
    page = "\n".join(str(e.value) for e in at.markdown).replace("\\", "")  # markdown escapes
    assert "HTML-Seite" in page and "Kundenportal" in page, page[-600:]
    assert "download the CSV again" not in page


def test_meter_reading_reset_in_german():
    rows = ["Zeitstempel;Zählerstand [kWh]"]
    value_kwh = 1000.0
    for q in range(200):
        if q == 100:
            value_kwh = 5.0
        value = f"{value_kwh:.2f}".replace(".", ",")
        rows.append(f"{q // 96 + 1:02d}.06.2024 {q % 96 // 4:02d}:{q % 4 * 15:02d};{value}")
        value_kwh += 0.25
    curve = read_load_curve(("\n".join(rows) + "\n").encode(), ReadOptions(), name="z.csv")
    _check_both(curve.meta)
    de = next(w for w in curve.meta.warnings_de if "Zählerwechsel" in w)
    assert "von 1.024,75 auf 5" in de and "Zeile 102" in de, de


def test_unreadable_timestamp_in_german():
    raw = b"Datum;Uhrzeit;Verbrauch [kWh]\n01.06.2024;xx:yy;0,1\n01.06.2024;00:15;0,1\n"
    with pytest.raises(LoadCurveError) as info:
        read_load_curve(raw, ReadOptions(), name="t.csv")
    de = info.value.message_de
    assert de.startswith("Datei t.csv") and "nicht lesbar" in de and "z. B." in de, de
