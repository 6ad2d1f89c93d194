"""The household app: every page on the demo household, language switch, friendly upload errors,
German formats, CSV neutralisation and the safe Streamlit configuration."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app"
sys.path.insert(0, str(APP))

import formatting as fmt  # noqa: E402
import i18n  # noqa: E402

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest

PAGES = ["views/overview.py", "views/forecast.py", "views/solar.py", "views/recommendations.py", "views/report.py"]


def new_app() -> AppTest:
    return AppTest.from_file(str(APP / "Home.py"), default_timeout=120)


def texts(at: AppTest) -> str:
    """Everything a user reads on the page (markdown, captions, alerts, metrics, titles)."""
    parts: list[str] = []
    for group in (
        at.title,
        at.header,
        at.subheader,
        at.markdown,
        at.caption,
        at.info,
        at.warning,
        at.error,
        at.success,
    ):
        parts += [str(e.value) for e in group]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert "Traceback" not in texts(at)


# ---------------------------------------------------------------------- formatting (pure)
def test_german_number_formats():
    assert fmt.number(1234.5, 1) == "1.234,5"
    assert fmt.kwh(1234.5, 1) == "1.234,5 kWh"
    assert fmt.kwh(3456789) == "3.456.789 kWh"
    assert fmt.eur(1234.4) == "1.234 €"
    assert fmt.percent(0.355, 1) == "35,5 %"
    assert fmt.watts(180) == "180 W"
    assert fmt.kw(3.25, 2) == "3,25 kW"
    assert fmt.ct_per_kwh(0.372) == "37,2 ct/kWh"
    assert fmt.number(-0.0001, 1) == "0,0"  # no "-0,0"
    assert fmt.kwh(None) == fmt.MISSING and fmt.kwh(float("nan")) == fmt.MISSING


def test_english_number_formats():
    assert fmt.number(1234.5, 1, "en") == "1,234.5"
    assert fmt.eur(1234.4, 0, "en") == "€1,234"
    assert fmt.eur(-5, 0, "en") == "-€5"
    assert fmt.percent(0.355, 1, "en") == "35.5%"


def test_dates():
    assert fmt.date("2026-11-24") == "24.11.2026"
    assert fmt.date("2026-11-24", "en") == "24 Nov 2026"
    import pandas as pd

    ts = pd.Timestamp("2024-10-27 01:30", tz="UTC")  # 02:30 CET after the change back
    assert fmt.datetime(ts) == "27.10.2024 02:30"
    assert fmt.month_label("2024-03-01") == "Mär 2024"


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("=1+2", "'=1+2"),
        ('=1+2";=1+2', "'=1+2\";=1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("-0.5", "'-0.5"),
        ("+49 2323", "'+49 2323"),
        ("Standby", "Standby"),
        (-0.5, -0.5),
    ],
)
def test_neutralise_cell(cell, expected):
    assert fmt.neutralise_cell(cell) == expected


def test_csv_bytes_neutralises_text_keeps_numbers():
    out = fmt.csv_bytes([['=HYPERLINK("x")', -0.5, 3], ["ok", 1234.5, None]], ["@header", "value_eur", "n"]).decode(
        "utf-8-sig"
    )
    lines = out.splitlines()
    assert lines[0] == "'@header;value_eur;n"
    assert lines[1] == '"\'=HYPERLINK(""x"")";-0,5;3'
    assert lines[2] == "ok;1234,5;"
    en = fmt.csv_bytes([[-0.5]], ["x"], lang="en").decode("utf-8-sig").splitlines()
    assert en == ["x", "-0.5"]


def test_every_text_has_german_and_english():
    missing = [k for k, v in i18n.TEXTS.items() if not v.get("de") or not v.get("en")]
    assert missing == []
    assert i18n.text("nav.overview", "de") == "Überblick"
    assert i18n.text("nav.overview", "en") == "Overview"
    assert i18n.text("no.such.key") == "no.such.key"


def test_streamlit_config_is_safe():
    cfg = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["client"]["toolbarMode"] in ("viewer", "minimal")
    server = cfg["server"]
    assert server["maxUploadSize"] <= 25
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert server["enableStaticServing"] is False
    assert server["fileWatcherType"] == "none"
    assert server["headless"] is True


# ---------------------------------------------------------------------- the app (AppTest)
@pytest.fixture(scope="module")
def started() -> AppTest:
    at = new_app()
    at.run()
    return at


def test_start_page_on_demo_household(started):
    at = started
    assert_clean(at)
    page = texts(at)
    assert "Demo-Haushalt" in page and "synthetisch" in page
    labels = {m.label: m.value for m in at.metric}
    assert labels["Messintervall"] == "15 Minuten"
    assert labels["Werte"] == "35.136"  # 366 days x 96, German thousands separator
    assert labels["Zeitraum"] == "01.01.2024 – 31.12.2024"
    assert labels["Verbrauch im Zeitraum"].endswith(" kWh")
    assert "Datenqualität" in labels


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_demo_household(page):
    at = new_app()
    at.run()
    at.switch_page(page).run()
    assert_clean(at)
    assert at.title, "every page has a title"


def test_overview_key_figures_present():
    at = new_app()
    at.run()
    at.switch_page("views/overview.py").run()
    assert_clean(at)
    page = texts(at)
    if "Noch nicht verfügbar" in page:
        pytest.skip("analysis module has not landed")
    labels = {m.label: m.value for m in at.metric}
    for key in ("Jahresverbrauch", "Stromkosten pro Jahr", "Grundlast", "Höchste Leistung", "Stromspiegel-Klasse"):
        assert key in labels
    assert labels["Jahresverbrauch"].endswith(" kWh") and "." in labels["Jahresverbrauch"]
    assert labels["Stromkosten pro Jahr"].endswith(" €")
    assert labels["Grundlast"].endswith(" W")


def test_language_switch_changes_texts():
    at = new_app()
    at.run()
    assert at.title[0].value.startswith("Energie-Advisor: Ihr")
    at.radio(key="lang_choice").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Energie-Advisor: your electricity use, explained"
    labels = [m.label for m in at.metric]
    assert "Interval" in labels and "Messintervall" not in labels
    # the choice holds on the other pages
    at.switch_page("views/solar.py").run()
    assert at.title[0].value == "Solar"
    at.switch_page("views/overview.py").run()
    assert at.title[0].value == "Overview"


@pytest.mark.parametrize(
    "name, payload",
    [
        ("zaehler.csv", b"hello;world\n1;2\n"),
        ("leer.csv", b""),
        ("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)),
        ("seite.csv", b"<html><body>Login</body></html>"),
    ],
)
def test_broken_upload_gives_friendly_error(name, payload):
    at = new_app()
    at.run()
    at.file_uploader(key="upload").set_value((name, payload, "text/csv")).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert "Diese Datei konnte nicht gelesen werden." in warnings
    page = texts(at)
    assert "Was Sie tun können" in page
    assert "Traceback" not in page
    # the demo household is still there and the page still renders its figures
    assert any(m.label == "Messintervall" for m in at.metric)


def test_german_csv_upload_replaces_demo():
    rows = ["Datum;Uhrzeit;Verbrauch [kWh]"]
    for h in range(24):
        for q in range(4):
            rows.append(f"12.06.2024;{h:02d}:{q * 15:02d};0,{100 + h:03d}")
    raw = ("\n".join(rows) + "\n").encode("utf-8")
    at = new_app()
    at.run()
    at.file_uploader(key="upload").set_value(("portal.csv", raw, "text/csv")).run()
    assert_clean(at)
    if any("konnte nicht gelesen" in w.value for w in at.warning):
        pytest.skip("the CSV reader does not read this dialect yet: " + texts(at)[-300:])
    labels = {m.label: m.value for m in at.metric}
    assert labels["Werte"] == "96"
    assert labels["Zeitraum"] == "12.06.2024 – 12.06.2024"
    assert "Sie sehen den **Demo-Haushalt**" not in texts(at)


def test_solar_figures_on_demo_household():
    at = new_app()
    at.run()
    at.switch_page("views/solar.py").run()
    assert_clean(at)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Jahresertrag"].endswith(" kWh")
    assert labels["Autarkiegrad"].endswith(" %")
    assert labels["Ersparnis im ersten Jahr"].endswith(" €")
    at.radio(key="pv_kind").set_value("balcony").run()
    assert_clean(at)
    assert {m.label for m in at.metric} >= {"Jahresertrag", "Eigenverbrauchsanteil", "Amortisation"}


def test_recommendations_ranked_with_figures():
    at = new_app()
    at.run()
    at.switch_page("views/recommendations.py").run()
    assert_clean(at)
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert headings and headings[0].startswith("#### 1. ")
    eur = [m.value for m in at.metric if m.label == "€ pro Jahr"]
    assert len(eur) == len(headings) and all(v.endswith(" €") for v in eur)


def test_delete_button_forgets_the_household():
    rows = ["Datum;Uhrzeit;Verbrauch [kWh]"] + [
        f"12.06.2024;{h:02d}:{q * 15:02d};0,2" for h in range(24) for q in range(4)
    ]
    at = new_app()
    at.run()
    at.file_uploader(key="upload").set_value(("portal.csv", ("\n".join(rows) + "\n").encode(), "text/csv")).run()
    if at.session_state["hh"].source != "upload":
        pytest.skip("the CSV reader does not read this dialect yet")
    key = at.session_state["hh"].data_key
    assert key.startswith("upload:") and len(key) == len("upload:") + 64
    at.switch_page("views/report.py").run()
    at.button(key="delete_household").click().run()
    assert_clean(at)
    assert "Gelöscht." in texts(at)
    assert at.session_state["hh"].source == "demo"
    assert "_cache_keys" not in at.session_state or at.session_state["_cache_keys"] == []


def test_annual_consumption_gives_estimated_curve():
    at = new_app()
    at.run()
    if not any(f.key == "annual_kwh" for f in at.number_input):
        pytest.skip("advisor.ingest.estimated has not landed")
    at.number_input(key="annual_kwh").set_value(3500)
    at.number_input(key="annual_year").set_value(2025)
    at.button[[b.label for b in at.button].index("Lastgang schätzen")].click().run()
    assert_clean(at)
    assert at.session_state["hh"].source == "estimate"
    page = texts(at)
    assert "geschätzt" in page
    labels = {m.label: m.value for m in at.metric}
    assert labels["Verbrauch im Zeitraum"] == "3.500 kWh"  # the estimate keeps the bill's total


def test_meter_readings_give_estimated_curve():
    at = new_app()
    at.run()
    if not any(f.key == "reading_value_0" for f in at.number_input):
        pytest.skip("advisor.ingest.estimated has not landed")
    import datetime as dt

    at.date_input(key="reading_date_0").set_value(dt.date(2025, 1, 1))
    at.number_input(key="reading_value_0").set_value(10000.0)
    at.date_input(key="reading_date_1").set_value(dt.date(2025, 7, 1))
    at.number_input(key="reading_value_1").set_value(11800.0)
    at.button[[b.label for b in at.button].index("Aus Zählerständen schätzen")].click().run()
    assert_clean(at)
    assert at.session_state["hh"].source == "estimate"
    assert at.session_state["hh"].curve.is_estimated


@pytest.mark.slow
def test_forecast_page_with_a_model(tmp_path, monkeypatch):
    """Bands, 12 months and the Abschlag appear once a model exists (a tiny one trained here)."""
    import subprocess

    import advisor.forecast as forecast_module
    from advisor.synthetic import synthetic_long_table

    model_dir = forecast_module.default_model_dir()
    if not (model_dir / "meta.json").exists():
        data = tmp_path / "long.parquet"
        synthetic_long_table(3, interval_minutes=60).to_parquet(data)
        model_dir = tmp_path / "model"
        cmd = [
            sys.executable,
            "-m",
            "advisor",
            "train",
            "--data",
            str(data),
            "--out",
            str(model_dir),
            "--tz",
            "Europe/Berlin",
            "--holiday-region",
            "DE-NW",
            "--rounds",
            "10",
            "--exclude-flags",
            "",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            pytest.skip("`advisor train` is not usable here: " + done.stderr[-300:])
        monkeypatch.setattr(forecast_module, "default_model_dir", lambda: model_dir)
    import cached

    cached.forecaster.clear()
    try:
        at = new_app()
        at.run()
        at.switch_page("views/forecast.py").run()
        assert_clean(at)
        assert "Noch nicht verfügbar" not in texts(at)
        labels = {m.label: m.value for m in at.metric}
        assert labels["Vorschlag monatlicher Abschlag"].endswith(" €")
        assert labels["Verbrauch nächste 12 Monate"].endswith(" kWh")
        assert "Die Prognose beginnt am Ende Ihrer Daten: **01.01.2025 00:00**." in texts(at)
        at.radio(key="fc_horizon").set_value("24h").run()
        assert_clean(at)
    finally:
        cached.forecaster.clear()


def test_file_text_is_inert_markdown():
    assert fmt.plain("[x](javascript:alert(1))") == r"\[x\]\(javascript\:alert\(1\)\)"
    assert fmt.plain("a\nb   c") == "a b c"
    assert len(fmt.plain("x" * 1000, 50)) == 50


def test_hostile_file_name_is_shown_as_text():
    at = new_app()
    at.run()
    at.file_uploader(key="upload").set_value(("[klick](http://example.org).csv", b"kein;lastgang\n", "text/csv"))
    at.run()
    assert not at.exception
    page = texts(at)
    assert "](http" not in page.replace("\\]\\(http", "")


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "parts",
    [("formats", "smgw_ar2418", "result_single_day_dst_oct.xml"), ("formats", "mscons", "MSCONS_TL_SAMPLE01.txt")],
    ids=["smgw-dst-october-day", "mscons"],
)
def test_real_sample_upload_and_every_page(parts):
    from shared_data import shared_path

    path = shared_path(*parts)
    at = new_app()
    at.run()
    at.file_uploader(key="upload").set_value((path.name, path.read_bytes(), "application/octet-stream")).run()
    assert_clean(at)
    assert at.session_state["hh"].source == "upload"
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        assert not any("nicht berechnet" in w.value for w in at.warning), (page, [w.value for w in at.warning])
