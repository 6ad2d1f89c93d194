"""The importer's words come from the catalogue: ``CurveMeta.warnings`` and ``LoadCurveError``
messages are message codes with their figures (``importer.po``), rendered per language; no English
text is matched to rebuild German (the old regex table is gone). Real cases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from shared_data import shared_path

from advisor.errors import LoadCurveError
from advisor.ingest import ReadOptions, read_load_curve, read_load_curves
from advisor.ingest.canonical import write_curves_parquet
from advisor.loadcurve import CurveMeta
from advisor.texts import Message, localized


def _day_csv(skip: set[int] = frozenset(), value: str = "0,125") -> bytes:
    rows = ["Datum;Uhrzeit;Verbrauch [kWh]"]
    for i in range(96 * 14):
        if i in skip:
            continue
        day, q = divmod(i, 96)
        rows.append(f"{day + 1:02d}.06.2024;{q // 4:02d}:{q % 4 * 15:02d};{value}")
    return ("\n".join(rows) + "\n").encode()


def _german(meta) -> list[str]:
    return list(localized(meta, "warnings", "de"))


def _check_both(meta) -> None:
    """Every warning is a code with a German entry, rendered without an English fallback."""
    from advisor import texts

    with texts.record_fallbacks() as seen:
        german = _german(meta)
    assert seen == []
    assert len(german) == len(meta.warnings)
    for w, de in zip(meta.warnings, german, strict=True):
        assert isinstance(w, Message), w
        assert de and de != w, w


def test_csv_gap_warning_in_german_with_german_numbers():
    skip = set(range(100, 100 + 1200))  # 1 200 intervals absent
    curve = read_load_curve(_day_csv(skip), ReadOptions(), name="portal.csv")
    _check_both(curve.meta)
    en = next(w for w in curve.meta.warnings if "gaps" in w)
    de = en.text("de")
    assert en.startswith("1,200 ") and de.startswith("1.200 ") and "Lücken" in de
    s = curve.summary()
    assert s["warnings"] == list(curve.meta.warnings) and s["warnings_de"] == _german(curve.meta)
    assert s["warnings_code"][0]["code"].startswith("ingest.warning.")
    assert localized(s, "warnings", "de") == s["warnings_de"] and localized(s, "warnings", "en") == s["warnings"]
    assert s["warnings_tr"][0] != s["warnings_de"][0]  # Turkish has its own words


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
        assert exc.text("de") != exc.message
        assert exc.text("de").startswith("Datei okt.csv")
    else:  # the reader resolves the repeated hour: its notes exist in both languages
        _check_both(curve.meta)


def test_mscons_sample_warnings_in_german():
    path = shared_path("formats", "mscons", "MSCONS_TL_SAMPLE01.txt")
    curves = read_load_curves(path, ReadOptions())
    assert curves
    for c in curves:
        _check_both(c.meta)
        with_conversions = list(localized(c.meta, "conversions", "de"))
        assert all(isinstance(x, Message) for x in c.meta.conversions)
        assert not any("->" in x or "taken" in x for x in with_conversions), with_conversions


def test_html_page_as_csv_german_error():
    with pytest.raises(LoadCurveError) as info:
        read_load_curve(b"<!DOCTYPE html><html><body>Login</body></html>", ReadOptions(), name="seite.csv")
    exc = info.value
    de = exc.text("de")
    assert "HTML" in de and "Kundenportal" in de
    assert de.startswith("Datei seite.csv, Zeile 1: ")
    assert str(exc) == exc.message and exc.message.startswith("seite.csv, line 1: ")
    assert isinstance(exc.message, Message) and isinstance(exc.reason, Message)
    assert localized(exc, "message", "de") == de
    assert localized(exc, "message", "en") == exc.message
    assert exc.text("tr").startswith("Dosya seite.csv, satır 1: ")


def test_negative_value_german_error_with_german_number():
    raw = _day_csv().replace(b"0,125", b"-1,5", 1)
    with pytest.raises(LoadCurveError) as info:
        read_load_curve(raw, ReadOptions(), name="neg.csv")
    de = info.value.text("de")
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
    assert word in info.value.text("de"), info.value.text("de")


def test_implausible_value_german_numbers():
    raw = _day_csv().replace(b"0,125", b"1234,5", 1)
    with pytest.raises(LoadCurveError) as info:
        read_load_curve(raw, ReadOptions(), name="wh.csv")
    de = info.value.text("de")
    assert "unplausibler Wert" in de and "1.234,5" in de and "Wh statt kWh" in de, de


def test_uncoded_internal_message_stays_english_and_says_where():
    exc = LoadCurveError("some rare internal case", source="a.csv", line=3, timestamp="2024-01-01T00:00")
    assert exc.text("de") == str(exc) == "a.csv, line 3, at 2024-01-01T00:00: some rare internal case"
    coded = LoadCurveError(Message("ingest.error.empty"), source="a.csv")
    assert coded.text("de") == "Datei a.csv: die Datei ist leer" and str(coded) == "a.csv: file is empty"


def test_no_reverse_translation_left():
    from dataclasses import fields

    from advisor import texts

    for name in ("warning_de", "error_de", "warning_texts", "_WARNINGS_DE", "_ERRORS_DE"):
        assert not hasattr(texts, name), name
    assert "warnings_de" not in {f.name for f in fields(CurveMeta)}


def test_importer_codes_render_in_every_language():
    from advisor import texts

    importer = [c for c, f in texts.catalogue("de").sources.items() if f == "importer.po"]
    assert len(importer) > 100
    tr = texts.codes("tr")
    assert [c for c in importer if c not in tr] == []


def test_canonical_parquet_round_trip_keeps_both(tmp_path):
    skip = set(range(10, 30))
    curve = read_load_curve(_day_csv(skip), ReadOptions(), name="portal.csv")
    assert curve.meta.warnings
    path = tmp_path / "c.parquet"
    write_curves_parquet([curve], path)
    back = read_load_curve(path, ReadOptions())
    assert back.meta.warnings[: len(curve.meta.warnings)] == curve.meta.warnings
    assert _german(back.meta)[: len(curve.meta.warnings)] == _german(curve.meta)
    assert all(isinstance(w, Message) for w in back.meta.warnings)


def test_old_canonical_file_with_warnings_de_and_without_codes_reads(tmp_path):
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
        c.pop("codes")
        c["meta"]["warnings_de"] = ["alt"] * len(c["meta"]["warnings"])  # as earlier versions wrote it
    md[canonical.META_KEY] = json.dumps(info).encode()
    pq.write_table(table.replace_schema_metadata(md), path)
    back = read_load_curve(path, ReadOptions())
    assert [str(w) for w in back.meta.warnings[: len(curve.meta.warnings)]] == [str(w) for w in curve.meta.warnings]


def test_canonical_file_with_a_forged_code_keeps_the_english_text(tmp_path):
    import json

    import pyarrow.parquet as pq

    from advisor.ingest import canonical

    curve = read_load_curve(_day_csv(set(range(10, 30))), ReadOptions(), name="portal.csv")
    path = tmp_path / "forged.parquet"
    write_curves_parquet([curve], path)
    table = pq.read_table(path)
    md = dict(table.schema.metadata)
    info = json.loads(md[canonical.META_KEY])
    info["curves"][0]["codes"]["warnings"][0] = {"code": "no.such.code", "data": {"x": 1}}
    md[canonical.META_KEY] = json.dumps(info).encode()
    pq.write_table(table.replace_schema_metadata(md), path)
    back = read_load_curve(path, ReadOptions())
    first = back.meta.warnings[0]
    assert not isinstance(first, Message) and first == str(curve.meta.warnings[0])


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
    de = next(w for w in _german(curve.meta) if "Zählerwechsel" in w)
    assert "von 1.024,75 auf 5" in de and "Zeile 102" in de, de


def test_unreadable_timestamp_in_german():
    raw = b"Datum;Uhrzeit;Verbrauch [kWh]\n01.06.2024;xx:yy;0,1\n01.06.2024;00:15;0,1\n"
    with pytest.raises(LoadCurveError) as info:
        read_load_curve(raw, ReadOptions(), name="t.csv")
    de = info.value.text("de")
    assert de.startswith("Datei t.csv") and "nicht lesbar" in de and "z. B." in de, de


# ------------------------------------------------------------- refusals of damaged real files speak German
def _mutants(raw: bytes):
    """Deterministic damage to a real export: cut at 12 places, one line dropped / doubled at 6
    places, digits turned into letters, a decimal mark swapped, the first bytes replaced."""
    n = len(raw)
    for k in range(1, 13):
        yield raw[: n * k // 13]
    lines = raw.split(b"\n")
    for k in range(1, 7):
        i = len(lines) * k // 7
        yield b"\n".join(lines[:i] + lines[i + 1 :])
        yield b"\n".join(lines[: i + 1] + lines[i:])
    for k in range(1, 7):
        pos = n * k // 7
        j = next((p for p in range(pos, n) if raw[p : p + 1].isdigit()), None)
        if j is not None:
            yield raw[:j] + b"x" + raw[j + 1 :]
            yield raw[:j] + b"-" + raw[j:]
    yield raw.replace(b".", b",", 3)
    yield raw.replace(b"'", b"\n")
    yield b"#" + raw[1:]


def _real_exports():
    files = [
        shared_path("formats", "mscons", "MSCONS_TL_SAMPLE01.txt"),
        shared_path("formats", "mscons", "h2nguyen_mscons-message-example.txt"),
        shared_path("formats", "smgw_ar2418", "IF_Adapter_TRuDI_DatenTAF7_With_Gaps.xml"),
        shared_path("formats", "smgw_ar2418", "result_single_day_dst_oct.xml"),
        shared_path("formats", "green_button", "intervals_APUC000000_electric.xml"),
        shared_path("formats", "discovergy", "pydiscovergy_readings.json"),
        shared_path("formats", "discovergy", "pydiscovergy_meters.json"),
        shared_path("formats", "discovergy", "pydiscovergy_last_reading.json"),
    ]
    return [(p.name, p.read_bytes()) for p in files] + [("portal.csv", _day_csv())]


def test_refusals_of_damaged_real_exports_are_codes_in_german():
    """Population: every refusal of ~40 damaged versions of each real export (MSCONS, SMGW,
    Green Button, inexogy, portal CSV) is a coded message whose German text needs no fallback."""
    from advisor import texts

    english_only, codes, refusals = [], set(), 0
    for name, raw in _real_exports():
        for bad in _mutants(raw):
            try:
                read_load_curves(bad, ReadOptions(), name=name)
            except LoadCurveError as exc:
                refusals += 1
                if not isinstance(exc.reason, Message):
                    english_only.append((name, str(exc)[:120]))
                    continue
                codes.add(exc.reason.code)
                with texts.record_fallbacks() as seen:
                    de = exc.text("de")
                assert seen == [], (name, de, seen)
                assert de.startswith(f"Datei {name}") and de != str(exc), de
    assert english_only == [], english_only[:5]
    assert refusals > 100 and len(codes) >= 15, (refusals, sorted(codes))


@pytest.mark.parametrize(
    "extra, start",
    [([], "Error: bad.csv, line 3: "), (["--language", "de"], "Fehler: Datei bad.csv, Zeile 3: "),
     (["--language=tr"], "Hata: Dosya bad.csv, satır 3: ")],
)  # fmt: skip
def test_cli_refusal_in_the_households_language(tmp_path, capsys, extra, start):
    """The CLI's one error line is English by default and follows ``--language`` when given."""
    from advisor.cli import main

    bad = tmp_path / "bad.csv"
    bad.write_text("Datum;Uhrzeit;Verbrauch [kWh]\n01.06.2024;00:00;0,1\n01.06.2024;00:15;abc\n", encoding="utf-8")
    assert main(["recommend", str(bad), *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(start), err
    assert "'abc'" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "content, word",
    [("STATIONS_ID;MESS_DATUM;QN_9\n1;gestern;1\n", "JJJJMMTTHH"), ("STATIONS_ID;MESS_DATUM;QN_9\n1;2024010100;1\n", "weder")],
)
def test_weather_file_refusals_in_german(tmp_path, content, word):
    """A broken DWD weather file (``advisor pv --weather``) is refused with a code: German with the file name."""
    from advisor.ingest.weather import WeatherError, read_weather_file

    path = tmp_path / "produkt_st_stunde.txt"
    path.write_text(content, encoding="latin-1")
    with pytest.raises(WeatherError) as info:
        read_weather_file(path)
    message = info.value.args[0]
    assert isinstance(message, Message), message
    de = message.text("de")
    assert de.startswith("Datei produkt_st_stunde.txt: ") and word in de, de
