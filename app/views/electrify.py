"""Elektrifizieren: a heat pump and/or an electric car added to the household's own curve —
electricity, bill, peak, smart-meter duty, tariffs after the change, CO₂, running costs and the
BEG subsidy."""

from __future__ import annotations

import cached
import charts
import formatting as fmt
import i18n
import pandas as pd
import streamlit as st

from advisor.texts import render, sentence, source_text

lang = cached.language()
t = i18n.translator(lang)
hh = cached.current()
h = cached.household()

st.title(t("nav.electrify"))
st.write(t("electrify.intro"))
cached.origin_note(hh, t)
cached.quality_caption(hh, h, t, lang)
if cached.measured_days(hh) < 14:
    st.info(t("electrify.too_short", days=fmt.number(cached.measured_days(hh), 0, lang)), icon=":material/info:")
    st.stop()

with st.container(border=True):
    c1, c2 = st.columns(2)
    add_hp = c1.checkbox(t("electrify.add_hp"), value=True, key="el_hp")
    fuel, amount, flow = "gas", 18_000, 50
    if add_hp:
        fuel = c1.radio(
            t("electrify.fuel"),
            ["gas", "oil"],
            horizontal=True,
            format_func=lambda f: t(f"electrify.fuel.{f}"),
            key="el_fuel",
        )
        if fuel == "gas":
            amount = c1.slider(t("electrify.gas_kwh"), 5_000, 40_000, 18_000, step=500, key="el_gas")
        else:
            amount = c1.slider(t("electrify.oil_litres"), 500, 4_000, 1_800, step=100, key="el_oil")
        flow = c1.slider(
            t("electrify.flow_temp"), 35, 65, 50, step=5, help=t("electrify.flow_temp_help"), key="el_flow"
        )
    add_ev = c2.checkbox(t("electrify.add_ev"), value=True, key="el_ev")
    km, wallbox, smart, replaces = 12_000, 11.0, False, "petrol"
    if add_ev:
        km = c2.slider(t("electrify.km"), 2_000, 40_000, 12_000, step=1_000, key="el_km")
        replaces = c2.radio(
            t("electrify.replaces"),
            ["petrol", "diesel", "none"],
            horizontal=True,
            format_func=lambda r: t(f"electrify.replaces.{r}"),
            key="el_replaces",
        )
        wallbox = c2.select_slider(t("electrify.wallbox"), options=[3.7, 7.4, 11.0, 22.0], value=11.0, key="el_wallbox")
        smart = c2.toggle(t("electrify.smart"), value=False, key="el_smart")

if not (add_hp or add_ev):
    st.info(t("electrify.nothing"), icon=":material/info:")
    st.stop()

params = {
    "heat_pump": bool(add_hp),
    "fuel": fuel,
    "amount": float(amount),
    "flow_temp_c": float(flow),
    "ev": bool(add_ev),
    "km": float(km),
    "wallbox_kw": float(wallbox),
    "smart": bool(smart),
    "replaces": replaces,
}
with st.spinner(t("electrify.computing")):
    r, status = cached.attempt(cached.electrify, hh, h, params)
if r is None:
    cached.note(status, t("electrify.what"), t)
    st.stop()

st.subheader(t("electrify.results"))
b, a = r.before, r.after
c = cached.metric_row(4)
c[0].metric(
    t("electrify.kwh"), fmt.kwh(a.annual_kwh, 0, lang), fmt.kwh(a.annual_kwh - b.annual_kwh, 0, lang), delta_color="off"
)
c[1].metric(
    t("electrify.bill"),
    fmt.eur(a.annual_bill_eur, 0, lang),
    fmt.eur(a.annual_bill_eur - b.annual_bill_eur, 0, lang),
    delta_color="off",
)
c[2].metric(t("electrify.peak"), fmt.kw(a.peak_kw, 1, lang), fmt.kw(a.peak_kw - b.peak_kw, 1, lang), delta_color="off")
co2_b, co2_a = r.co2_kg_per_year["before"], r.co2_kg_per_year["after"]
c[3].metric(t("electrify.co2"), fmt.co2_kg(co2_a, 0, lang), fmt.co2_kg(co2_a - co2_b, 0, lang), delta_color="inverse")
st.caption(t("electrify.smart_meter") if r.smart_meter_required else t("electrify.no_smart_meter"))

st.subheader(t("electrify.monthly"))
frame = pd.DataFrame({k: r.added_monthly_kwh[k] for k in ("heat_pump", "ev")})
fig = charts.stacked_month_bars(
    frame,
    lang,
    names={k: t(f"electrify.series.{k}") for k in frame.columns},
    y_title=t("electrify.axis_kwh"),
)
st.plotly_chart(fig, key="chart_electrify_months", alt=t("electrify.monthly"), theme=None, config=charts.CONFIG)

st.subheader(t("electrify.tariffs"))
rows = [
    {
        t("electrify.tariff_col"): render(f"electrify.tariff.{o.id}", lang, {}),
        t("electrify.cost_col"): fmt.eur(o.annual_cost_eur, 0, lang),
        t("electrify.note_col"): sentence(o.note.text(lang)),
    }
    for o in sorted(r.tariffs, key=lambda o: o.annual_cost_eur)
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

hp = r.heat_pump
if hp is not None:
    st.markdown(
        t(
            "electrify.hp_money",
            kwh=fmt.kwh(hp.electricity_kwh, 0, lang),
            scop=fmt.number(hp.scop, 1, lang),
            fuel=fmt.eur(hp.fuel_cost_eur, 0, lang),
            co2=fmt.eur(hp.co2_price_share_eur, 0, lang),
            saving=fmt.eur(hp.annual_saving_eur, 0, lang),
        )
    )
    if hp.payback_years is not None:
        st.markdown(
            t(
                "electrify.hp_invest",
                invest=fmt.eur(hp.investment_eur, 0, lang),
                subsidy=fmt.eur(hp.subsidy_eur, 0, lang),
                net=fmt.eur(hp.net_investment_eur, 0, lang),
                years=fmt.years(hp.payback_years, 0, lang),
            )
        )
    else:
        st.markdown(
            t(
                "electrify.hp_no_payback",
                invest=fmt.eur(hp.investment_eur, 0, lang),
                subsidy=fmt.eur(hp.subsidy_eur, 0, lang),
            )
        )
hours = (hp.hours_above_floor if hp is not None else 0.0) + (r.ev.hours_above_floor if r.ev is not None else 0.0)
st.caption(t("electrify.dimming", hours=fmt.number(hours, 0, lang)))
for n in r.notes:
    st.caption(f":material/info: {sentence(n.text(lang))}")
st.caption(f":material/info: **{t('common.how')}:** " + t("electrify.how"))
with st.expander(t("electrify.assumptions")):
    for x in r.assumptions:
        flag = f" ({t('electrify.verify')})" if x.verify else ""
        value = (
            ", ".join(str(v) for v in x.value) if isinstance(x.value, (list, tuple)) else fmt.number(x.value, 3, lang)
        )
        source = fmt.plain(source_text(x.source, lang), 400)  # the seed's source in the session language
        st.markdown(f"- `{x.key}` = {value} {fmt.plain(x.unit, 120)}{flag}: {source} ({x.date})")
