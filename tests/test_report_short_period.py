"""A report from a short period: extrapolated figures say so and carry their measured range.

Known truth: cuts of real London years (../shared/data) of 1 and 14 days; the household's own year
is the truth. One day: savings per year withheld with the reason, annual kWh with its range. Two
weeks: every annual figure with its range, and over the population the true annual kWh lies inside
the stated 80 % range in about 8 of 10 cuts. A full year: nothing said about extrapolation.
"""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from shared_data import shared_path

from advisor.analysis import analyse
from advisor.assessment import AssessmentSettings, assess_household
from advisor.extrapolation import extrapolation_of
from advisor.household import Household
from advisor.loadcurve import CurveMeta, make_load_curve
from advisor.report import render_report
from advisor.seeds import load_seeds


@pytest.fixture(scope="module")
def seeds():
    return load_seeds()


@pytest.fixture(scope="module")
def years():
    meta = pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv")).set_index("lclid")
    data = pd.read_parquet(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"))
    out = []
    for lclid in sorted(data["lclid"].unique()):
        if meta.loc[lclid, "coverage_2013"] < 0.99 or str(meta.loc[lclid, "qc_flags"]) not in ("", "nan"):
            continue
        g = data[data["lclid"] == lclid]
        s = pd.Series(g["kwh"].to_numpy(), index=pd.DatetimeIndex(g["timestamp_utc"], tz="UTC")).sort_index()
        out.append(
            make_load_curve(
                s, interval_minutes=30, meta=CurveMeta(tz="Europe/London", holiday_region="GB-ENG", meter_id=lclid)
            )
        )
    assert len(out) >= 20
    return out


def _cut(curve, start: str, days: int):
    e = curve.energy_kwh
    local = e.index.tz_convert(curve.meta.tz)
    t0 = pd.Timestamp(start).tz_localize(curve.meta.tz)
    sel = e[(local >= t0) & (local < t0 + pd.Timedelta(days=days))]
    return make_load_curve(sel, interval_minutes=curve.interval_minutes, meta=curve.meta)


def _assess(curve, seeds):
    settings = AssessmentSettings(seeds=seeds, parts=("tariffs", "recommendations"), as_of="2026-06-01")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return assess_household(curve, Household(persons=2, dwelling="house"), settings)


def test_seeded_ranges_come_from_our_own_measurement(seeds):
    table = seeds.table("annualisation_error")
    assert {"days", "p10_error_pct", "p90_error_pct", "source", "date"} <= set(table.columns)
    assert table["source"].str.contains("bench_annualisation").all()
    one = extrapolation_of(1.0, table, min_days=7)
    month = extrapolation_of(28.0, table, min_days=7)
    assert one.withheld and not month.withheld
    assert one.low_factor < month.low_factor <= 1.0 <= month.high_factor < one.high_factor  # narrower with more days
    assert extrapolation_of(365.0, table, min_days=7) is None


def test_one_day_report_withholds_savings_per_year_and_gives_the_annual_range(years, seeds):
    a = _assess(_cut(years[0], "2013-03-12", 1), seeds)
    ex = a.extrapolation
    assert ex is not None and ex.withheld and ex.days == pytest.approx(1.0)
    lo, hi = ex.range(a.analysis.annual_kwh)
    assert lo < a.analysis.annual_kwh < hi
    assert a.analysis.stromspiegel.efficiency_class is None
    for lang, words in (("de", ("hochgerechnet", "Jahresbeträge")), ("en", ("extrapolated", "per year"))):
        html = render_report(a, lang, charts=False)
        for w in words:
            assert w in html, (lang, w)
        fmt = (lambda x: f"{x:,.0f}".replace(",", ".")) if lang == "de" else (lambda x: f"{x:,.0f}")
        assert fmt(lo) in html and fmt(hi) in html, (lang, lo, hi)
        # no saving per year in the measures' table: every EUR/yr cell is withheld
        table = html.split('<table class="recs">', 1)[-1].split("</table>", 1)[0] if 'class="recs"' in html else ""
        for row in re.findall(r"<tr><td>\d+</td>.*?</tr>", table):
            cells = re.findall(r'<td class="n">(.*?)</td>', row)
            assert cells[0] == "–", row
        for n in a.not_recommended:  # a payback from one day is a figure per year too
            if n.reason_code == "payback_beyond_lifetime":
                assert n.reason(lang) not in html
    d = a.to_dict()
    assert d["extrapolation"]["withheld"] is True
    json.dumps(d, default=str)


def test_two_weeks_report_gives_every_annual_figure_with_its_range(years, seeds):
    a = _assess(_cut(years[1], "2013-05-06", 14), seeds)
    ex = a.extrapolation
    assert ex is not None and not ex.withheld
    html = render_report(a, "de", charts=False)
    assert "hochgerechnet aus 14 Tagen" in html
    lo, hi = ex.range(a.total_savings_eur)
    assert f"{lo:,.0f}".replace(",", ".") in html and f"{hi:,.0f}".replace(",", ".") in html
    letter = render_report(a, "de", variant="letter", charts=False)
    assert "hochgerechnet aus 14 Tagen" in letter


def test_full_year_is_not_called_extrapolated(years, seeds):
    a = _assess(years[2], seeds)
    assert a.extrapolation is None
    assert "hochgerechnet" not in render_report(a, "de", charts=False)


@pytest.mark.parametrize("days", [1, 14])
def test_stated_range_holds_the_true_year_in_about_eight_of_ten_cuts(years, seeds, days):
    table = seeds.table("annualisation_error")
    inside = []
    for c in years:
        truth = float(c.energy_kwh.sum())
        for start in ("2013-02-04", "2013-06-10", "2013-10-14"):
            cut = _cut(c, start, days)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                an = analyse(cut, seeds=seeds)
            lo, hi = extrapolation_of(an.days_covered, table, min_days=7).range(an.annual_kwh)
            inside.append(lo <= truth <= hi)
    share = float(np.mean(inside))
    assert 0.65 <= share <= 0.95, share


def test_cli_recommend_json_from_one_day_withholds_savings_with_the_reason(years, tmp_path, capsys):
    from advisor.cli import main
    from advisor.ingest.canonical import write_curves_parquet

    path = tmp_path / "one_day.parquet"
    write_curves_parquet([_cut(years[0], "2013-03-12", 1)], path)
    assert main(["recommend", str(path), "--json", "--skip", "pv"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["extrapolation"]["withheld"] is True and d["extrapolation"]["reason"]
    assert d["total_savings_eur"] is None
    lo, hi = d["annual_kwh_range"]
    assert lo < d["annual_kwh"] < hi
    assert all(r["annual_savings_eur"] is None for r in d["recommendations"])


def test_two_weeks_tariff_totals_carry_the_range_too(years, seeds):
    a = _assess(_cut(years[1], "2013-05-06", 14), seeds)
    html = render_report(a, "en", charts=False)
    lo, hi = a.extrapolation.range(a.tariffs.fixed.total_eur)
    assert html.count(f"€{lo:,.0f} – €{hi:,.0f}") >= 2  # the key figure and the tariff table
