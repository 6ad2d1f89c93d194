"""App charts take their date and number formats from the one formatter: no language branch in
``app/charts.py``, so a third language (Turkish) gets its own patterns, never English month names."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "app"))

import charts  # noqa: E402

from advisor.formatting import LOCALES, formatter  # noqa: E402


def test_charts_have_no_language_branch():
    """``lang == "de"`` (or any comparison of the language with a literal) is not in the charts."""
    tree = ast.parse((REPO / "app" / "charts.py").read_text(encoding="utf-8"))
    branches = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(isinstance(n, ast.Name) and n.id == "lang" for n in (node.left, *node.comparators))
        and any(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in (node.left, *node.comparators))
    ]
    assert branches == []


@pytest.mark.parametrize(
    "lang, day, month, full",
    [("de", "%d.%m.", "%m.%Y", "%d.%m.%Y"), ("en", "%d %b", "%b %Y", "%d %b %Y"), ("tr", "%d/%m", "%m.%Y", "%d.%m.%Y")],
)
def test_plotly_date_patterns_per_language(lang, day, month, full):
    d = formatter(lang).plotly_dates
    assert (d["day"], d["month"], d["full"], d["time"]) == (day, month, full, "%H:%M")
    assert d["hour"] == f"%H:%M\n{day}"


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_every_language_has_plotly_dates_without_foreign_month_names(lang):
    """Plotly writes %b in English: only English may use it (a German or Turkish axis with 'Nov'
    would be a foreign word)."""
    d = formatter(lang).plotly_dates
    assert set(d) == {"day", "month", "full", "time", "hour"}
    assert all(v.count("%") >= 2 for v in d.values())
    assert ("%b" in d["month"]) == (lang == "en")


def _hourly(days: int = 3) -> pd.Series:
    idx = pd.date_range("2024-11-01", periods=24 * days, freq="h", tz="Europe/Berlin")
    return pd.Series(np.linspace(0.1, 0.9, len(idx)), index=idx)


@pytest.mark.parametrize("lang", ["de", "en", "tr"])
def test_date_axes_and_hovers_follow_the_formatter(lang):
    d = formatter(lang).plotly_dates
    daily = _hourly(40).resample("D").sum()
    fig = charts.daily_energy(daily, lang, y_title="kWh")
    stops = [s.value for s in fig.layout.xaxis.tickformatstops]
    assert stops == [d["hour"], d["day"], d["month"]]
    assert fig.layout.separators == formatter(lang).plotly_separators

    e = _hourly(7)
    matrix = pd.DataFrame(
        e.to_numpy().reshape(7, 24), index=pd.DatetimeIndex(e.index[::24].date), columns=[f"{h:02d}:00" for h in range(24)]
    )
    heat = charts.heatmap(matrix, lang, colour_title="kW")
    assert heat.data[0].hovertemplate.startswith(f"%{{x|{d['full']}}} ")


def test_pv_sizing_hover_words_in_the_language():
    frame = pd.DataFrame(
        {
            "size": [0.8, 2.0, 4.0],
            "annual_savings_eur": [120.0, 260.0, 410.0],
            "autarky_share": [0.1, 0.2, 0.3],
            "self_consumption_share": [0.9, 0.7, 0.5],
            "payback_years": [5.0, 7.5, 9.0],
        }
    )
    words = {"de": ("Autarkie", "Eigenverbrauch"), "en": ("autarky", "self-use"), "tr": ("özerklik", "öz tüketim")}
    for lang, (a, b) in words.items():
        fig = charts.pv_sizing({"none": frame}, lang, x_title="kWp", y_title="€", names={"none": "x"})
        hover = fig.data[0].hovertemplate
        assert a in hover and b in hover, (lang, hover)
        others = {w for k, ws in words.items() if k != lang for w in ws} - {a, b}
        assert not any(w in hover for w in others), (lang, hover)
