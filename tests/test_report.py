"""HTML/PDF report and letter: German formats, figures with basis, assumptions, escaping, PDF, CLI."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from advisor.assessment import AssessmentSettings, assess_household
from advisor.formatting import formatter
from advisor.household import Household
from advisor.measures import format_number
from advisor.report import Address, Brand, ReportError, render_report, write_report
from advisor.seeds import load_seeds
from advisor.tariffs import parse_day_ahead_prices


@pytest.fixture(scope="module")
def assessment(demo):
    idx = pd.date_range(pd.Timestamp("2023-12-31T23:00", tz="UTC"), periods=24 * 366, freq="h")
    prices = parse_day_ahead_prices(
        pd.DataFrame({"timestamp_utc": idx, "price_eur_mwh": 80 + 40 * np.sin(idx.hour.to_numpy() / 24 * 6.283)})
    )
    s = AssessmentSettings(seeds=load_seeds(), prices=prices, parts=("tariffs", "recommendations"))
    return assess_household(demo.curve, Household(persons=3, dwelling="house", tenure="owner"), s)


@pytest.fixture(scope="module")
def html_de(assessment):
    return render_report(assessment, "de")


def test_number_formats():
    assert format_number(1234.5, "de", 1) == "1.234,5"
    assert format_number(1234.5, "en", 1) == "1,234.5"
    assert format_number(1234567, "de") == "1.234.567"
    assert format_number(float("nan"), "de") == "–"
    assert formatter("de").date(pd.Timestamp("2026-11-24")) == "24.11.2026"
    assert formatter("en").date(pd.Timestamp("2026-11-24")) == "24 Nov 2026"


def test_german_report_has_key_figures_in_german_format(assessment, html_de):
    a = assessment
    annual = format_number(a.analysis.annual_kwh, "de")
    assert "." in annual  # thousands separator, e.g. 4.257
    assert f"{annual} kWh" in html_de
    assert f"{format_number(a.tariffs.fixed.total_eur, 'de')} €" in html_de
    assert f"{format_number(a.total_savings_eur, 'de')} €" in html_de
    assert formatter("de").date(a.created) in html_de
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", html_de)
    for r in a.recommendations:
        assert f"{format_number(r.annual_savings_eur, 'de')} €" in html_de
        assert r.title("de") in html_de
    # English number formats must not leak into German figures
    assert f"{format_number(a.analysis.annual_kwh, 'en')} kWh" not in html_de


def test_every_figure_has_its_basis_and_the_assumptions_table(assessment, html_de):
    assert "Grundlage" in html_de
    for word in ("gemessen", "Schätzung", "simuliert"):
        assert word in html_de
    assert "Annahmen und Quellen" in html_de
    for x in assessment.assumptions:
        assert x.name in html_de
    assert "Umweltbundesamt" in html_de
    assert "synthetischen Demo-Haushalt" in html_de  # the data is not measured
    assert "Verbrauchsprognose wurde für diese Auswertung nicht berechnet" in html_de


def test_english_report(assessment):
    html = render_report(assessment, "en")
    assert "Your energy check" in html
    assert f"{format_number(assessment.analysis.annual_kwh, 'en')} kWh" in html
    for r in assessment.recommendations:
        assert r.title("en") in html
    assert "synthetic demo household" in html


def test_charts_are_inline_svg(html_de):
    assert "data:image/svg+xml;base64," in html_de
    assert "http://" not in html_de.replace("http://www.w3.org", "")


def test_letter_variant_with_brand_address_and_peers(assessment):
    brand = Brand(
        name="Stadtwerke Herne AG",
        sender_lines=("Grenzweg 18", "44623 Herne"),
        primary_color="#005ca9",
        footer_lines=("Datenschutz: dsb@example.org",),
    )
    addr = Address(lines=("Familie <script>alert(1)</script>", "Musterstr. 1", "44623 Herne"), key="HH00042")
    peers = {"label": "3-Personen-Häuser", "median_kwh": 3900.0, "percentile": 62.0, "n": 412}
    html = render_report(assessment, "de", variant="letter", brand=brand, address=addr, peers=peers)
    assert "Stadtwerke Herne AG" in html and "HH00042" in html and "#005ca9" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "3.900 kWh" in html and "62 %" in html
    top = assessment.recommendations[0]
    assert top.title("de") in html
    assert assessment.recommendations[3].title("de") not in html  # only the top three


def test_brand_is_validated():
    with pytest.raises(ReportError):
        Brand(primary_color="red; background:url(http://x)")
    with pytest.raises(ReportError):
        Brand(logo_data_uri="https://example.org/logo.png")
    Brand(logo_data_uri="data:image/png;base64,iVBORw0KGgo=")


def test_bad_variant_or_language(assessment):
    with pytest.raises(ReportError):
        render_report(assessment, "fr")
    with pytest.raises(ReportError):
        render_report(assessment, "de", variant="poster")


@pytest.mark.slow
def test_write_report_html_and_pdf(assessment, tmp_path):
    written = write_report(assessment, tmp_path, ("html", "pdf"), language="de")
    assert written["pdf"].read_bytes()[:4] == b"%PDF"
    assert written["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report_de.html", "report_de.pdf"]  # no temp files left


def test_cli_report(demo, tmp_path):
    from advisor.cli import app

    e = demo.curve.energy_kwh
    f = tmp_path / "demo.csv"
    pd.DataFrame(
        {"timestamp_utc": e.index.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"), "kwh": e.to_numpy()}
    ).to_csv(f, index=False)
    out = tmp_path / "out"
    r = CliRunner().invoke(
        app,
        ["report", str(f), "--out", str(out), "--skip", "pv,forecast,tariffs", "--formats", "html", "--language", "en"],
    )
    assert r.exit_code == 0, r.output
    html = (out / "report_en.html").read_text(encoding="utf-8")
    assert "Your energy check" in html


def test_month_chart_is_a_small_svg_with_every_month(assessment):
    """The letter's month chart: one bar per month with its value, month names, round ticks."""
    import base64

    from advisor.report import accessible_color, bar_chart_svg, month_chart

    uri = month_chart(assessment.analysis, "de", "#1f5f8b")
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
    months = assessment.analysis.month_kwh.tail(24)
    assert svg.count("<rect x=") == len(months)
    for v in months["energy_kwh"]:
        assert f": {format_number(v, 'de')} kWh</title>" in svg
    assert ">Jan</text>" in svg and ">Dez</text>" in svg and ">Verbrauch [kWh]</text>" in svg
    assert month_chart(assessment.analysis, "de") == uri  # deterministic

    # hand-computed layout: max 408 kWh -> ticks 0, 100, ..., 500 (at most 5 steps of 1/2/2.5/5 x 10^k)
    s = bar_chart_svg(["Jan", "Feb"], [408.0, 1234.5], unit="kWh", language="de")
    # 1234.5 kWh: steps 100 (12.3 bins), 200 (6.2) are too fine, 250 (4.9) fits -> top tick 1,250
    assert ">1.250</text>" in s and ">1.000</text>" in s and ">1.500</text>" not in s
    s = bar_chart_svg(["Jan", "Feb"], [408.0, float("nan")], unit="kWh", language="en")
    assert s.count("<rect x=") == 1 and ">500</text>" in s and ">600</text>" not in s
    # a light brand colour is darkened to >= 3:1 against white; a dark one is kept
    assert accessible_color("#1f5f8b") == "#1f5f8b"
    assert accessible_color("#ffcc00") != "#ffcc00"
    assert bar_chart_svg(["Jan"], [1.0], unit="kWh", color="#ffcc00").count("#ffcc00") == 0


def test_period_end_is_the_last_day_with_data(assessment, html_de):
    """The demo year 2024 ends on 31.12.2024 (inclusive), not on the exclusive end 01.01.2025."""
    assert "01.01.2024 – 31.12.2024" in html_de
    assert "– 01.01.2025" not in html_de


def test_quality_line_is_completeness_and_length(html_de):
    assert "Vollständigkeit" in html_de and "366 Tage mit Messwerten" in html_de
    assert "Datenqualität:" not in html_de


def test_charts_have_axis_titles(assessment):
    import base64

    from advisor.report import day_chart, month_chart

    month = base64.b64decode(month_chart(assessment.analysis, "de").split(",", 1)[1]).decode()
    assert ">Monat<" in month and ">Verbrauch [kWh]<" in month
    day = base64.b64decode(day_chart(assessment.analysis, "de").split(",", 1)[1]).decode(errors="replace")
    assert "Uhrzeit" in day or "Uhrzeit" in day.replace("\n", "")


@pytest.mark.slow
def test_hourly_curve_shows_the_resolution_bias_of_self_consumption(demo):
    """Hourly means overstate self-consumption and autarky: the report says so with the seeded
    range for an hourly curve, and not for a quarter-hour curve (placebo)."""
    from advisor.loadcurve import make_load_curve

    seeds = load_seeds()
    h = Household(dwelling="house", tenure="owner")
    s = AssessmentSettings(seeds=seeds, parts=("pv",), pv_kwp_grid=(4.0,), as_of="2026-11-24")
    e = demo.curve.energy_kwh
    hourly = make_load_curve(e.resample("1h").sum(min_count=4), interval_minutes=60, meta=demo.curve.meta)
    a60 = assess_household(hourly, h, s)
    roof = next(o for o in a60.pv_options if o.spec.kind != "balcony")
    row = roof.to_row()
    lo, hi = row["self_consumption_share_range"]
    assert lo <= hi <= row["self_consumption_share"] and lo < row["self_consumption_share"]
    html = render_report(a60, "de")
    assert "60-Minuten-Werte" in html and "überschätzen Eigenverbrauch und Autarkie" in html
    a15 = assess_household(demo.curve, h, s)
    assert "überschätzen Eigenverbrauch und Autarkie" not in render_report(a15, "de")
