"""Empfehlungen: the ranked savings measures with EUR, kWh, CO₂, payback and their explanation."""

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

st.title(t("nav.recommendations"))
st.write(t("rec.intro"))
if hh.is_synthetic:
    st.info(t("common.synthetic_note"), icon=":material/info:")
elif hh.is_estimated:
    st.info(t("common.estimated_note"), icon=":material/info:")

cached.quality_caption(hh, h, t, lang)

with st.spinner(t("rec.computing")):
    a, status = cached.attempt(cached.assessment, hh, h)
if a is None:
    cached.note(status, t("rec.what"), t)
    st.stop()

recs = list(a.recommendations)
if not recs:
    st.success(t("rec.none"), icon=":material/check_circle:")
    st.stop()

st.plotly_chart(
    charts.ranked_bars(
        [r.title(lang) for r in recs], [r.annual_savings_eur for r in recs], lang, x_title=t("rec.axis")
    ),
    key="chart_recommendations",
    alt=t("rec.axis"),
    theme=None,
    config=charts.CONFIG,
)
st.caption(f":material/info: **{t('common.how')}:** " + t("rec.how"))

for r in recs:
    with st.container(border=True):
        st.markdown(f"#### {r.rank}. {r.title(lang)}")
        c = cached.metric_row(5)
        c[0].metric(t("rec.eur"), fmt.eur(r.annual_savings_eur, 0, lang))
        c[1].metric(t("rec.kwh"), fmt.kwh(r.annual_savings_kwh, 0, lang))
        c[2].metric(t("rec.co2"), fmt.co2_kg(r.annual_co2_kg, 0, lang))
        c[3].metric(t("rec.investment"), fmt.eur(r.investment_eur, 0, lang) if r.investment_eur else t("rec.free"))
        c[4].metric(t("rec.payback"), fmt.years(r.payback_years, 1, lang) if r.payback_years else t("rec.immediately"))
        st.markdown(r.explanation(lang))
        st.caption(t("rec.basis", basis=r.basis_text(lang), confidence=r.confidence_text(lang)))
        with st.expander(t("rec.sources")):
            for src in r.sources:
                st.markdown(f"- {src}")

if a.unavailable:
    with st.expander(t("rec.unavailable")):
        for part, why in a.unavailable.items():
            st.markdown(f"- **{part}**: {why}")
