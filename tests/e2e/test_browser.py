"""The household app in a real browser: Debian's Chromium driven by Playwright.

Starts `streamlit run app/Home.py` on a free port, loads the demo household, uploads a German
portal CSV (written here at test time, one year of quarter-hours), checks the key figures, opens
every page, saves a screenshot of each into `test-artifacts/`, and fails on any Streamlit
exception box, any error alert and any request that would leave the machine.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.e2e

SMARD_PRICES = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "prices"
    / "SMARD_Grosshandelspreise_2023_2024_Stunde_original.csv"
)

TWO_METERS = Path(__file__).resolve().parents[1] / "data" / "formats" / "mscons_two_locations_comma_crlf.txt"

PAGES = [
    ("Überblick", "ueberblick"),
    ("Prognose", "prognose"),
    ("Solar", "solar"),
    ("Empfehlungen", "empfehlungen"),
    ("Bericht", "bericht"),
]


def write_portal_csv(path: Path) -> Path:
    """A German portal export: `;`, decimal comma, local wall time (Datum;Uhrzeit), one year at 15 min."""
    idx = pd.date_range("2025-01-01", "2026-01-01", freq="15min", tz="Europe/Berlin", inclusive="left")
    rng = np.random.default_rng(7)
    hour = idx.hour.to_numpy()
    kwh = (
        0.03 + 0.05 * ((hour >= 6) & (hour < 22)) + 0.12 * ((hour >= 17) & (hour < 20)) + rng.gamma(1.5, 0.02, len(idx))
    )
    lines = ["Datum;Uhrzeit;Verbrauch [kWh]"]
    values = [f"{v:.3f}".replace(".", ",") for v in kwh]
    lines += [f"{d};{t};{v}" for d, t, v in zip(idx.strftime("%d.%m.%Y"), idx.strftime("%H:%M"), values, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wait_idle(page, timeout_ms: int = 30_000) -> None:
    """Wait until the app is connected, the script has finished and no skeleton is left."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout_ms)
    page.wait_for_timeout(250)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0", timeout=timeout_ms)


def assert_no_errors(page, where: str) -> None:
    exc = page.locator("[data-testid='stException']")
    assert exc.count() == 0, f"{where}: Streamlit exception box: {exc.first.inner_text()[:500]}"
    err = page.locator("[data-testid='stAlertContentError']")
    assert err.count() == 0, f"{where}: error alert: {err.first.inner_text()[:500]}"
    body = page.inner_text("body")
    assert "Traceback" not in body, f"{where}: a traceback is visible"


def test_household_journey(app_url, browser, artifacts, tmp_path):
    sample = write_portal_csv(tmp_path / "lastgang_2025.csv")
    context = browser.new_context(viewport={"width": 1280, "height": 2400}, locale="de-DE", accept_downloads=True)
    outside: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        wait_idle(page, 60_000)
        assert_no_errors(page, "start (demo)")
        assert "Demo-Haushalt" in page.inner_text("body")
        page.screenshot(path=str(artifacts / "01_start_demo.png"), full_page=True)

        # upload the German portal CSV
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(sample))
        page.get_by_text("lastgang_2025.csv gelesen").wait_for(timeout=30_000)
        wait_idle(page)
        assert_no_errors(page, "start (upload)")
        metrics = page.get_by_test_id("stMetricValue").all_inner_texts()
        assert "35.040" in metrics, metrics  # 365 days x 96 quarter-hours (DST days 92 + 100)
        assert any(re.fullmatch(r"01\.01\.2025 – 31\.12\.2025", m) for m in metrics), metrics
        page.screenshot(path=str(artifacts / "02_start_upload.png"), full_page=True)

        # another browser session never sees this household (session isolation)
        other = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            second = other.new_page()
            second.goto(app_url, wait_until="domcontentloaded")
            wait_idle(second, 60_000)
            sidebar = second.get_by_test_id("stSidebar").inner_text()
            assert "Demo-Haushalt" in sidebar and "lastgang_2025.csv" not in second.inner_text("body")
        finally:
            other.close()

        for i, (title, path) in enumerate(PAGES, start=3):
            page.get_by_test_id("stSidebarNavLink").filter(has_text=title).first.click()
            page.wait_for_url(re.compile(rf".*/{path}$"), timeout=15_000)
            page.get_by_role("heading", name=title, level=1).wait_for(timeout=30_000)
            wait_idle(page, 90_000)
            assert_no_errors(page, title)
            if title == "Überblick" and "Noch nicht verfügbar" not in page.inner_text("body"):
                labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
                assert any("Jahresverbrauch" in x for x in labels), labels
                values = page.get_by_test_id("stMetricValue").all_inner_texts()
                assert any(v.endswith(" kWh") for v in values), values
            if title == "Empfehlungen":
                body = page.inner_text("body")
                assert "braucht stündliche Börsenstrompreise" in body and "smard.de" in body
                if SMARD_PRICES.is_file():  # the real SMARD export, read in place (absent on a user's clone)
                    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(SMARD_PRICES))
                    page.get_by_text("Preisdatei", exact=False).first.wait_for(timeout=30_000)
                    page.get_by_test_id("stMetricLabel").filter(has_text="Dynamischer Tarif").wait_for(timeout=60_000)
                    wait_idle(page, 90_000)
                    assert_no_errors(page, "Empfehlungen (prices)")
                    body = page.inner_text("body")
                    assert "Preisjahr 2024" in body, body[-2000:]  # a 2025 curve priced with 2024 (52 weeks back)
                    values = page.get_by_test_id("stMetricValue").all_inner_texts()
                    assert sum(bool(re.fullmatch(r"\d{1,3}(\.\d{3})* €", v)) for v in values) >= 3, values
                    page.get_by_role(
                        "heading", name="Festpreis oder dynamischer Stromtarif?"
                    ).scroll_into_view_if_needed()
                    page.screenshot(path=str(artifacts / f"{i:02d}b_{path}_tarif.png"))
            page.screenshot(path=str(artifacts / f"{i:02d}_{path}.png"), full_page=True)

        # downloads on the Bericht page (still open): results CSV and the PDF report
        with page.expect_download() as dl:
            page.get_by_role("button", name="Ergebnisse herunterladen (CSV)").click()
        csv_text = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
        assert csv_text.splitlines()[0] == "Bereich;Kennzahl;Wert;Einheit;Hinweis"
        assert "Jahresverbrauch;" in csv_text
        page.get_by_role("button", name="PDF erstellen").click()
        pdf_button = page.get_by_role("button", name="Bericht herunterladen (PDF)")
        pdf_button.wait_for(timeout=60_000)
        wait_idle(page)
        with page.expect_download() as dl:
            pdf_button.click()
        assert Path(dl.value.path()).read_bytes()[:5] == b"%PDF-"
        assert_no_errors(page, "report (pdf)")

        # English switch (sidebar) changes the texts
        page.get_by_text("English", exact=True).click()
        page.get_by_role("heading", name="Report", level=1).wait_for(timeout=30_000)
        wait_idle(page)
        assert_no_errors(page, "report (en)")
        assert "Delete everything about my household now" in page.inner_text("body")
        page.screenshot(path=str(artifacts / "08_report_en.png"), full_page=True)

        # delete everything now: back to the synthetic demo household
        page.get_by_role("button", name="Delete everything about my household now").click()
        page.get_by_text("Deleted. No data of your household remain in this session.").wait_for(timeout=30_000)
        wait_idle(page)
        assert "demo household" in page.get_by_test_id("stSidebar").inner_text()
        assert_no_errors(page, "after delete")

        # a file with two consumption curves (MSCONS, two metering points): pick the meter
        page.get_by_test_id("stSidebarNavLink").filter(has_text="Start").first.click()
        page.get_by_role("heading", name="1. Your consumption data").wait_for(timeout=30_000)
        wait_idle(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(TWO_METERS))
        page.get_by_text("Which meter?").wait_for(timeout=30_000)
        wait_idle(page)
        assert_no_errors(page, "start (two meters)")
        assert "meter: 51238696780" in page.inner_text("body")
        page.get_by_test_id("stSelectbox").filter(has_text="Which meter?").click()
        page.get_by_role("option").filter(has_text="DE0001234567890000000000000000001").click()
        page.get_by_text("meter: DE0001234567890000000000000000001").wait_for(timeout=30_000)
        wait_idle(page)
        assert_no_errors(page, "start (second meter)")
        page.screenshot(path=str(artifacts / "09_start_two_meters.png"), full_page=True)
    finally:
        context.close()
    assert outside == [], f"requests left the machine: {outside[:5]}"
