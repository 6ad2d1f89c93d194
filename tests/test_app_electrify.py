"""The app page "Elektrifizieren" on the demo household: runs in every language, shows before and
after, the tariffs and the assumptions, and reacts to its widgets."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app"
sys.path.insert(0, str(APP))

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest
PAGE = "views/electrify.py"


def _page(lang: str = "de") -> AppTest:
    at = AppTest.from_file(str(APP / "Home.py"), default_timeout=120)
    at.run()
    if lang != "de":
        at.radio(key="lang_choice").set_value(lang).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def test_electrify_page_in_german_shows_before_after_tariffs_and_sources():
    at = _page("de")
    assert at.title[0].value == "Elektrifizieren"
    labels = {m.label: m.value for m in at.metric}
    for key in ("Strom im Jahr", "Stromrechnung im Jahr", "Höchste Leistung", "CO₂ im Jahr (mit Gas, Öl, Sprit)"):
        assert key in labels, labels
    assert labels["Strom im Jahr"].endswith(" kWh")
    table = at.dataframe[0].value
    assert "Ihr jetziger Tarif" in set(table.iloc[:, 0])
    assert any("§ 14a Modul 1" in x for x in table.iloc[:, 0])
    page = "\n".join(str(e.value) for e in (*at.markdown, *at.caption))
    assert "Jahresarbeitszahl" in page and "Förderung (BEG)" in page
    assert "Fraunhofer ISE" in page  # the assumptions name their sources
    assert "{" not in page  # no placeholder left


def test_electrify_page_reacts_to_its_widgets():
    at = _page("de")
    first = {m.label: m.value for m in at.metric}["Strom im Jahr"]
    at.slider(key="el_km").set_value(30_000).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Strom im Jahr"] != first
    at.checkbox(key="el_hp").uncheck().run()
    at.checkbox(key="el_ev").uncheck().run()
    assert not at.exception
    assert any("Wärmepumpe, ein E-Auto oder beides" in str(i.value) for i in at.info)


@pytest.mark.parametrize("lang, title", [("en", "Electrify"), ("tr", "Elektrifikasyon")])  # Türkçe is Turkish, not German
def test_electrify_page_runs_in_english_and_turkish(lang, title):
    at = _page(lang)
    assert at.title[0].value == title
    assert at.metric
