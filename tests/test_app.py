"""The household app: every page on the demo household, language switch, friendly upload errors,
German formats, CSV neutralisation and the safe Streamlit configuration."""

from __future__ import annotations

import re
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
    # a part of the product that breaks makes the test fail, not a friendly note that hides it
    failed = [w.value for w in at.warning if "konnte für diese Daten nicht berechnet werden" in w.value]
    failed += [w.value for w in at.warning if "could not be computed for these data" in w.value]
    assert not failed, failed


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
    from advisor import texts

    keys = i18n.keys()
    assert len(keys) > 250
    missing = [k for k in keys if "app." + k not in texts.codes("en")]
    assert missing == []
    assert i18n.text("nav.overview", "de") == "Überblick"
    assert i18n.text("nav.overview", "en") == "Overview"
    assert i18n.text("no.such.key") == "no.such.key"


def test_streamlit_config_is_safe():
    cfg = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["client"]["toolbarMode"] == "minimal"  # no English toolbar menu
    # set => Streamlit neither looks up the public IP (checkip.amazonaws.com) nor the LAN address
    assert cfg["browser"]["serverAddress"] == "localhost"
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
    # "how complete" next to the missing count agrees with it; "how long" is said separately
    assert labels["Vollständigkeit"] == "100 %"
    assert "keine Lücken, keine Ersatzwerte" in page
    assert "366 Tage mit Messwerten" in page
    assert "Datenqualität" not in labels


def _month_csv(days: int = 31, gap_hours: int = 0) -> bytes:
    rows = ["Datum;Uhrzeit;Verbrauch [kWh]"]
    for d in range(1, days + 1):
        for h in range(24):
            if d == 10 and h < gap_hours:
                continue
            for q in range(4):
                rows.append(f"{d:02d}.01.2025;{h:02d}:{q * 15:02d};0,{60 + (h % 5) * 20:03d}")
    return ("\n".join(rows) + "\n").encode("utf-8")


def test_complete_month_is_complete_but_short_on_start_page():
    """A complete month: 100 % complete (not 0 % or 8 %), its length said in days with the
    annual extrapolation; a month with a 6-hour gap: less than 100 %, the gap named."""
    at = new_app()
    at.run()
    at.file_uploader(key="upload").set_value(("januar.csv", _month_csv(), "text/csv")).run()
    assert_clean(at)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Vollständigkeit"] == "100 %", labels
    page = texts(at)
    assert "31 Tage mit Messwerten (8 % eines Jahres): Jahreswerte sind hochgerechnet" in page, page[-1500:]
    at.file_uploader(key="upload").set_value(("luecke.csv", _month_csv(gap_hours=6), "text/csv")).run()
    assert_clean(at)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Vollständigkeit"] == "99 %", labels
    page = texts(at)
    assert "der Messwerte fehlen: 1 Lücke von 6,0 Stunden" in page, page[-1500:]


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
    # the form no longer shows the demo household's answers (3 persons, house, Herne)
    persons = next(s for s in at.selectbox if s.label == "Personen im Haushalt")
    assert persons.value is None
    assert next(x for x in at.text_input if x.label == "Postleitzahl").value == ""
    assert "Ihre Datei" in " ".join(c.value for c in at.sidebar.caption)  # the sidebar names the new data


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


# ---------------------------------------------------------------------- dynamic tariff (day-ahead prices)
EUR_DE = r"-?\d{1,3}(\.\d{3})* €"


def _tariff_metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric if m.label.startswith(("Festpreis", "Dynamisch"))}


def _expected_comparison(prices_path):
    """The core's comparison on the demo household with these prices (what the page must show)."""
    import cached

    from advisor.assessment import AssessmentSettings, assess_household
    from advisor.ingest.prices import read_day_ahead_prices
    from advisor.seeds import load_seeds
    from advisor.synthetic import demo_household

    h = cached.demo_answers()
    settings = AssessmentSettings(
        seeds=load_seeds(), prices=read_day_ahead_prices(prices_path), latitude=h.latitude, longitude=h.longitude
    )
    return assess_household(demo_household().curve, h, settings).tariffs


def test_without_prices_the_page_says_what_is_needed(monkeypatch):
    for var in ("ADVISOR_PRICES_FILE", "ADVISOR_PRICES"):
        monkeypatch.delenv(var, raising=False)
    at = new_app()
    at.run()
    at.switch_page("views/recommendations.py").run()
    assert_clean(at)
    page = texts(at)
    assert "braucht stündliche Börsenstrompreise" in page
    assert "smard.de" in page
    assert not _tariff_metrics(at) or set(_tariff_metrics(at)) == {"Festpreis-Tarif"}
    assert any(f.key == "price_upload" for f in at.get("file_uploader"))


@pytest.mark.shared_data
def test_price_upload_shows_tariff_comparison(monkeypatch):
    from shared_data import shared_path

    for var in ("ADVISOR_PRICES_FILE", "ADVISOR_PRICES"):
        monkeypatch.delenv(var, raising=False)
    smard = shared_path("prices", "SMARD_Grosshandelspreise_2023_2024_Stunde_original.csv")
    at = new_app()
    at.run()
    at.switch_page("views/recommendations.py").run()
    at.file_uploader(key="price_upload").set_value((smard.name, smard.read_bytes(), "text/csv")).run()
    assert_clean(at)
    metrics = _tariff_metrics(at)
    assert set(metrics) == {"Festpreis-Tarif", "Dynamischer Tarif", "Dynamisch mit Verschieben"}, metrics
    assert all(re.fullmatch(EUR_DE, v) for v in metrics.values()), metrics
    want = _expected_comparison(smard)
    assert metrics["Festpreis-Tarif"] == fmt.eur(want.fixed.total_eur)
    assert metrics["Dynamischer Tarif"] == fmt.eur(want.dynamic.total_eur)
    assert metrics["Dynamisch mit Verschieben"] == fmt.eur(want.dynamic_shifted.total_eur)
    page = texts(at)
    assert "Preisjahr 2024" in page  # the demo year 2024 finds its own prices
    assert fmt.eur(want.fixed.meter_fee_eur) in page and fmt.eur(want.dynamic.meter_fee_eur) in page
    assert "So wurde das berechnet" in page
    assert "braucht stündliche Börsenstrompreise" not in page
    # the report page uses the same prices (no error, same session)
    at.switch_page("views/report.py").run()
    assert_clean(at)


@pytest.mark.shared_data
def test_operator_price_file_from_environment(monkeypatch):
    from shared_data import shared_path

    canonical = shared_path("prices", "de_lu_day_ahead_hourly_2023_2024_smard.csv")
    monkeypatch.setenv("ADVISOR_PRICES_FILE", str(canonical))
    at = new_app()
    at.run()
    at.switch_page("views/recommendations.py").run()
    assert_clean(at)
    metrics = _tariff_metrics(at)
    assert metrics["Dynamischer Tarif"] == fmt.eur(_expected_comparison(canonical).dynamic.total_eur)
    assert "vom Betreiber" in texts(at)


@pytest.mark.parametrize(
    "payload",
    [b"hello;world\n1;2\n", b"", b"Datum von;Datum bis;Deutschland/Luxemburg [\xe2\x82\xac/MWh]\nkaputt;x;y\n"],
    ids=["garbage", "empty", "smard-header-bad-rows"],
)
def test_broken_price_file_gives_friendly_error(monkeypatch, payload):
    for var in ("ADVISOR_PRICES_FILE", "ADVISOR_PRICES"):
        monkeypatch.delenv(var, raising=False)
    at = new_app()
    at.run()
    at.switch_page("views/recommendations.py").run()
    at.file_uploader(key="price_upload").set_value(("preise.csv", payload, "text/csv")).run()
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert "Diese Preisdatei konnte nicht gelesen werden." in warnings, warnings
    page = texts(at)
    assert "Traceback" not in page and "braucht stündliche Börsenstrompreise" in page
    reason = next(m.value for m in at.markdown if m.value.startswith("Grund: "))
    for english in ("the file is empty", "price table needs", "is not dd.mm.yyyy", "not a readable"):
        assert english not in reason, reason  # the reason in German, as the rest of the page
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert headings, "the recommendations are still shown"


def test_short_price_file_is_refused():
    import cached

    from advisor.tariffs import TariffError

    rows = ["timestamp_utc,price_eur_mwh"] + [f"2024-01-01T{h:02d}:00:00Z,{50 + h}" for h in range(24)]
    with pytest.raises(TariffError, match="one week"):
        cached.parse_price_bytes("\n".join(rows).encode(), "kurz.csv")
    rows = ["timestamp_utc,price_eur_mwh"] + [
        f"{ts:%Y-%m-%dT%H:%M:%SZ},100" for ts in __import__("pandas").date_range("2024-01-01", periods=200, freq="h")
    ]
    prices = cached.parse_price_bytes("\n".join(rows).encode(), "[x](http://e.org).csv")
    assert len(prices.price_eur_per_kwh) == 200 and prices.price_eur_per_kwh.iloc[0] == pytest.approx(0.1)
    assert "](" not in prices.source


# ---------------------------------------------------------------------- several meters in one file
def test_meter_picker_switches_between_curves():
    raw = (REPO / "tests" / "data" / "formats" / "mscons_two_locations_comma_crlf.txt").read_bytes()
    from advisor.ingest import read_load_curves
    from advisor.loadcurve import Direction

    curves = [c for c in read_load_curves(raw, name="two.txt") if c.direction is Direction.IMPORT]
    ids = [c.meta.meter_id for c in curves]
    assert len(set(ids)) == 2  # two locations, each with a consumption curve (one also feeds in)
    at = new_app()
    at.run()
    at.file_uploader(key="upload").set_value(("zwei_zaehler.txt", raw, "text/plain")).run()
    assert_clean(at)
    hh = at.session_state["hh"]
    assert hh.source == "upload" and hh.data_key.endswith("#0") and hh.curve.meta.meter_id == ids[0]
    pick = at.selectbox(key="meter_pick")
    assert len(pick.options) == 2
    assert ids[0] in pick.options[0] and ids[1] in pick.options[1]
    assert "kWh" in pick.options[0] and "31.03.2024" in pick.options[0]
    first_energy = {m.label: m.value for m in at.metric}["Verbrauch im Zeitraum"]
    pick.select_index(1).run()
    assert_clean(at)
    hh = at.session_state["hh"]
    assert hh.data_key.endswith("#1") and hh.curve.meta.meter_id == ids[1]
    assert "Zähler: " + ids[1] in texts(at).replace("\\", "")
    # the fixture's second location: three half-hours, 1.7 kWh; the first: four quarter-hours, 0.675 kWh
    assert first_energy == "0,7 kWh"
    assert {m.label: m.value for m in at.metric}["Verbrauch im Zeitraum"] == "1,7 kWh"
    assert {m.label: m.value for m in at.metric}["Messintervall"] == "30 Minuten"
    at.switch_page("views/overview.py").run()
    assert_clean(at)


def test_para14a_shown_for_a_heat_pump(monkeypatch):
    import dataclasses

    import cached

    from advisor.seeds import load_seeds

    for var in ("ADVISOR_PRICES_FILE", "ADVISOR_PRICES"):
        monkeypatch.delenv(var, raising=False)
    at = new_app()
    at.run()
    at.session_state["household"] = dataclasses.replace(cached.demo_answers(), heating="heat_pump")
    at.switch_page("views/recommendations.py").run()
    assert_clean(at)
    page = texts(at)
    assert "§ 14a EnWG" in page and "Wärmepumpe" in page
    m1 = float(load_seeds().value("tariff_components.para14a_module1_eur_per_year"))
    assert f"**Modul 1** (Pauschale): {fmt.eur(m1)} pro Jahr" in page
    assert "braucht stündliche Börsenstrompreise" in page  # § 14a needs no prices, the dynamic tariff does


def test_low_income_answer_brings_the_stromspar_check():
    at = new_app()
    at.run()
    box = next(s for s in at.selectbox if s.key and s.key.startswith("q_low_income_"))
    box.set_value(True)
    at.button[[b.label for b in at.button].index("Angaben übernehmen")].click().run()
    assert_clean(at)
    assert at.session_state["household"].low_income is True
    at.switch_page("views/recommendations.py").run()
    assert_clean(at)
    assert "Stromspar-Check" in texts(at)


def test_one_day_upload_says_extrapolated_with_range_and_withholds_savings_per_year():
    """One day of values (issue 14): the overview gives the annual kWh and bill with their measured
    range; the recommendations withhold EUR per year with the reason."""
    at = new_app()
    at.run()
    at.file_uploader(key="upload").set_value(("ein_tag.csv", _month_csv(days=1), "text/csv")).run()
    at.switch_page("views/overview.py").run()
    assert_clean(at)
    page = texts(at)
    assert "hochgerechnet aus 1 Tag mit Messwerten" in page, page[-1500:]
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Jahresverbrauch"] and deltas["Jahresverbrauch"].startswith("Spanne "), deltas
    at.switch_page("views/recommendations.py").run()
    assert_clean(at)
    page = texts(at)
    assert "reicht 1 Tag nicht" in page, page[-1500:]
    assert not [m for m in at.metric if m.label == "€ pro Jahr"]


def test_solar_page_says_when_the_household_already_has_pv():
    """Own PV stated (issue 14): the solar page says the simulation is a second system; placebo: the
    demo household without PV gets no such note."""
    import dataclasses

    import cached

    at = new_app()
    at.run()
    at.switch_page("views/solar.py").run()
    assert_clean(at)
    assert "zusätzliche" not in texts(at)
    at.session_state["household"] = dataclasses.replace(cached.demo_answers(), existing_pv_kwp=6.0)
    at.switch_page("views/solar.py").run()
    assert_clean(at)
    assert "zusätzliche" in texts(at)


def test_turkish_choice_holds_on_every_page():
    """Choosing Türkçe gives Turkish pages (it silently fell back to German before)."""
    from advisor import texts as core_texts

    at = new_app()
    at.run()
    at.radio(key="lang_choice").set_value("tr").run()
    assert_clean(at)
    assert at.title[0].value == core_texts.render("app.start.title", "tr")
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        assert at.title, page
    at.switch_page("views/overview.py").run()
    assert (
        at.title[0].value == core_texts.render("app.nav.overview", "tr") != core_texts.render("app.nav.overview", "de")
    )


@pytest.mark.parametrize("lang", ["de", "tr"])
def test_streamlit_own_words_come_from_the_catalogue_in_every_language(lang):
    """Streamlit's uploader and controls speak the session's language (streamlit.po), not only German."""
    import browser

    from advisor import texts as core_texts

    for english, code in browser.WORDS.items():
        assert core_texts.render(code, "en") == english
        assert core_texts.render(code, lang) != english, (lang, code)
    for _, code in browser.PATTERNS:
        assert "$1" in core_texts.render(code, lang)


def test_year_forecast_how_text_names_the_method_actually_used():
    """The demo household has a whole year: its 12 months come from its own year (own_year_blend),
    and the page says so instead of a fixed 'H25 fitted to your days' text."""
    at = new_app()
    at.run()
    at.switch_page("views/forecast.py").run()
    assert_clean(at)
    captions = " ".join(str(c.value) for c in at.caption)
    assert "eigenen letzten Jahr des Haushalts" in captions
    assert "an Ihre vollständigen Tage angepassten BDEW-Profil" not in captions
