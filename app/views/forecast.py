"""Prognose: the next days with P10–P90 bands and the next 12 months with the suggested Abschlag."""

from __future__ import annotations

import cached
import charts
import formatting as fmt
import i18n
import streamlit as st

lang = cached.language()
t = i18n.translator(lang)
hh = cached.current()
h = cached.household()

st.title(t("nav.forecast"))
cached.origin_note(hh, t)

cached.quality_caption(hh, h, t, lang)

# ------------------------------------------------------------------ next days
st.subheader(t("fc.days_title"))
horizon = st.radio(
    t("fc.horizon"),
    ["24h", "7d"],
    index=1,
    horizontal=True,
    key="fc_horizon",
    format_func=lambda x: t(f"fc.horizon.{x}"),
)
fc, status = cached.attempt(cached.forecast, hh, horizon, h)
if fc is None:
    cached.note(status, t("fc.what"), t)
else:
    origin = fc.attrs.get("origin")
    st.markdown(t("fc.origin", origin=fmt.datetime(origin, lang)))
    if fc.attrs.get("method") == "cold_start_bdew_h25":
        st.warning(t("fc.cold_start"), icon=":material/warning:")
    st.plotly_chart(
        charts.forecast_band(
            cached.recent(hh, 7),
            fc,
            lang,
            y_title=t("fc.kwh_per_interval", minutes=hh.curve.interval_minutes),
            names={"band": t("fc.band"), "p50": t("fc.p50"), "history": t("fc.history")},
        ),
        key="chart_forecast_days",
        alt=t("fc.days_title"),
        theme=None,
        config=charts.CONFIG,
    )
    region = cached.settings(hh, h).holiday_region
    how = t(f"fc.how.{fc.attrs.get('method', 'lightgbm')}", holidays=cached.region_name(region))
    st.caption(f":material/info: **{t('common.how')}:** " + how)

# ------------------------------------------------------------------ 12 months
st.subheader(t("fc.year_title"))
proj, status = cached.attempt(cached.projection, hh, h)
if proj is None:
    cached.note(status, t("fc.year_what"), t)
else:
    c = cached.metric_row(3)
    c[0].metric(
        t("fc.year_kwh"),
        fmt.kwh(proj.annual_kwh_p50, 0, lang),
        t("fc.range", lo=fmt.kwh(proj.annual_kwh_p10, 0, lang), hi=fmt.kwh(proj.annual_kwh_p90, 0, lang)),
        delta_color="off",
        delta_arrow="off",
    )
    c[1].metric(
        t("fc.year_bill"),
        fmt.eur(proj.bill_eur_p50, 0, lang),
        t("fc.range", lo=fmt.eur(proj.bill_eur_p10, 0, lang), hi=fmt.eur(proj.bill_eur_p90, 0, lang)),
        delta_color="off",
        delta_arrow="off",
    )
    c[2].metric(t("fc.abschlag"), fmt.eur(proj.monthly_instalment_eur, 0, lang), help=t("fc.abschlag_help"))
    st.plotly_chart(
        charts.monthly_projection(proj.months, lang, y_title=t("ov.month_axis"), names={"p50": t("fc.p50")}),
        key="chart_forecast_months",
        alt=t("fc.year_title"),
        theme=None,
        config=charts.CONFIG,
    )
    st.caption(
        f":material/info: **{t('common.how')}:** "
        + t(
            "fc.year_how",
            note=proj.note,  # the method actually used (own year blend or H25 fit), with its band source
            price=fmt.ct_per_kwh(proj.price_eur_per_kwh, 1, lang),
            fee=fmt.eur(proj.base_fee_eur_per_year, 0, lang),  # base + meter fee (the settings pass both)
        )
    )
