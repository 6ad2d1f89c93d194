"""Überblick: key figures (annual kWh and EUR, base load, peak, Stromspiegel class), heatmap,
daily profiles, month bars and the detected device signatures."""

from __future__ import annotations

import cached
import charts
import formatting as fmt
import i18n
import pandas as pd
import streamlit as st

from advisor.assessment import short_period_extrapolation
from advisor.texts import localize, localized, render, sentence

lang = cached.language()
t = i18n.translator(lang)
hh = cached.current()
h = cached.household()

st.title(t("nav.overview"))
cached.origin_note(hh, t)

a, status = cached.attempt(cached.analysis, hh, h)
if a is None:
    cached.note(status, t("ov.what"), t)
    st.stop()

fig, fig_status = cached.attempt(cached.figures, hh, h)
region = fig.holiday_region if fig is not None else hh.curve.meta.holiday_region
q = a.data_quality

# ------------------------------------------------------------------ key figures
st.subheader(t("ov.key_figures"))
# a short period: every annual figure is an extrapolation with its measured range
ex = short_period_extrapolation(a, cached.seeds(), estimated=bool(hh.curve.is_estimated))
if ex is not None:
    st.info(localize(ex.note, lang) + (" " + localize(ex.reason, lang) if ex.withheld else ""), icon=":material/info:")


def _span(value, unit: str) -> str | None:
    r = ex.range(value) if ex is not None else None
    if r is None:
        return None
    show = (lambda x: fmt.kwh(x, 0, lang)) if unit == "kwh" else (lambda x: fmt.eur(x, 0, lang))
    return f"{render('report.range_short', lang)} {show(r[0])} – {show(r[1])}"


annual_shown = fig.annual_kwh if fig is not None else a.annual_kwh
c = cached.metric_row(5)
c[0].metric(
    t("ov.annual_kwh"),
    fmt.kwh(annual_shown, 0, lang),
    _span(annual_shown, "kwh"),
    delta_color="off",
    delta_arrow="off",
    help=t(f"ov.method.{a.annual_method}", pct=fmt.number(a.annual_uncertainty_pct, 0, lang)),
)
c[1].metric(
    t("ov.annual_eur"),
    fmt.eur(fig.annual_bill_eur, 0, lang) if fig is not None else fmt.MISSING,
    _span(fig.annual_bill_eur, "eur") if fig is not None else None,
    delta_color="off",
    delta_arrow="off",
    help=t(
        "ov.annual_eur_help",
        price=fmt.ct_per_kwh(fig.work_price_eur_per_kwh, 1, lang),
        fee=fmt.eur(fig.base_fee_eur_per_year + fig.meter_fee_eur_per_year, 0, lang),
    )
    if fig is not None
    else None,
)
c[2].metric(
    t("ov.base_load"),
    fmt.watts(a.base_load_w, 0, lang),
    t("ov.base_load_year", kwh=fmt.kwh(a.base_load_kwh_per_year, 0, lang)),
    delta_color="off",
    delta_arrow="off",
    help=t("ov.base_load_help"),
)
c[3].metric(
    t("ov.peak"),
    fmt.kw(a.peak_kw, 1, lang),
    fmt.datetime(a.peak_time, lang, a.tz) if a.peak_time is not None else None,
    delta_color="off",
    delta_arrow="off",
    help=t("ov.peak_help", minutes=a.interval_minutes),
)
ss = a.stromspiegel
ss_class = getattr(ss, "efficiency_class", None) if ss is not None else None
if ss_class and not (ex is not None and ex.withheld):
    pct = getattr(ss, "percentile", None)
    c[4].metric(
        t("ov.stromspiegel"),
        ss_class,
        t("ov.percentile", pct=fmt.number(pct, 0, lang)) if pct is not None else None,
        delta_color="off",
        delta_arrow="off",
        help=t("ov.stromspiegel_help"),
    )
else:
    c[4].metric(t("ov.stromspiegel"), fmt.MISSING, help=t("ov.stromspiegel_help"))

if ss_class:
    st.markdown(
        t("ov.stromspiegel_compare", cls=ss_class, avg=fmt.kwh(ss.average_kwh, 0, lang), group=cached.peer_group(h, t))
    )
    if ss.per_capita_kwh is not None and ss.per_capita_nrw_kwh is not None:
        st.caption(
            t("ov.per_capita", kwh=fmt.kwh(ss.per_capita_kwh, 0, lang), nrw=fmt.kwh(ss.per_capita_nrw_kwh, 0, lang))
        )
elif h.persons is None or h.dwelling is None:
    st.caption(t("ov.stromspiegel_missing"))
else:
    st.caption(t("ov.stromspiegel_dominated", reason=localized(ss, "reason", lang) if ss is not None else ""))
cached.quality_caption(hh, h, t, lang)
if q.plausibility_reason:
    st.caption(f":material/warning: {fmt.plain(sentence(localize(q.plausibility_reason, lang)), 400)}")
if q.score < 0.6:
    st.warning(t("ov.quality_poor"), icon=":material/warning:")
for w in localized(a, "warnings", lang):
    st.caption(f":material/warning: {fmt.plain(sentence(w), 400)}")
st.caption(
    f":material/info: **{t('common.how')}:** "
    + t("ov.key_how", tz=hh.curve.meta.tz, holidays=cached.region_name(region))
)

# ------------------------------------------------------------------ charts
tab_heat, tab_prof, tab_month, tab_sig = st.tabs(
    [t("ov.tab_heatmap"), t("ov.tab_profiles"), t("ov.tab_months"), t("ov.tab_signatures")]
)
with tab_heat:
    st.plotly_chart(
        charts.heatmap(a.heatmap, lang, colour_title=t("ov.heatmap_colour")),
        key="chart_heatmap",
        alt=charts.describe(
            t("ov.heatmap_alt"),
            [str(c)[:5] for c in a.heatmap.columns],
            a.heatmap.mean(axis=0).fillna(0.0).to_numpy(),
            lang,
            unit="kW",
        ),
        theme=None,
        config=charts.CONFIG,
    )
    st.caption(f":material/info: **{t('common.how')}:** " + t("ov.heatmap_how", minutes=a.interval_minutes))
with tab_prof:
    seasons = list(dict.fromkeys(a.daily_profiles.columns.get_level_values(0)))
    season = st.radio(
        t("ov.season"), seasons, format_func=lambda s: t(f"ov.season.{s}"), horizontal=True, key="ov_season"
    )
    frame = a.daily_profiles[season]
    st.plotly_chart(
        charts.profiles(
            frame, lang, y_title=t("ov.power_axis"), names={d: t(f"ov.daytype.{d}") for d in frame.columns}
        ),
        key="chart_profiles",
        alt=t("ov.tab_profiles"),
        theme=None,
        config=charts.CONFIG,
    )
    days = a.daily_profile_days[season]
    st.caption(
        f":material/info: **{t('common.how')}:** "
        + t(
            "ov.profiles_how",
            holidays=cached.region_name(region),
            counts=", ".join(f"{t(f'ov.daytype.{d}')} {fmt.number(n, 0, lang)}" for d, n in days.items()),
        )
    )
with tab_month:
    m = a.month_kwh
    month_series = m["energy_kwh"].set_axis(m.index.map(str) + "-01")
    st.plotly_chart(
        charts.month_bars(month_series, lang, y_title=t("ov.month_axis"), estimated=list(m["coverage"] < 0.95)),
        key="chart_months",
        alt=charts.describe(
            t("ov.tab_months"),
            [fmt.month_label(pd.Timestamp(x), lang) for x in month_series.index],
            month_series.to_numpy(),
            lang,
            unit="kWh",
        ),
        theme=None,
        config=charts.CONFIG,
    )
    st.caption(f":material/info: **{t('common.how')}:** " + t("ov.months_how"))
with tab_sig:
    ordered = sorted(a.signatures, key=lambda sig: (not sig.assessable, -sig.confidence))
    for sig in ordered:
        if not sig.assessable:
            state = t("ov.sig.not_assessable")
        elif sig.confidence >= 0.5:
            state = t("ov.sig.found")
        else:
            state = t("ov.sig.not_found")
        line = f"**{t(f'sig.{sig.name}')}**: {state} ({t('ov.sig.confidence')} {fmt.percent(sig.confidence, 0, lang)})"
        if sig.annual_kwh is not None and sig.confidence >= 0.5:
            line += " · " + t("ov.sig.kwh_line", kwh=fmt.kwh(sig.annual_kwh, 0, lang))
        st.markdown(line)
        st.caption(fmt.plain(sentence(localized(sig, "evidence", lang)), 400))
    st.caption(f":material/info: **{t('common.how')}:** " + t("ov.signatures_how"))
