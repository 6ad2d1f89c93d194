"""Solar: rooftop or balcony PV (and battery) simulated on the household's own curve: yield,
self-consumption, autarky, savings, payback, and a sizing chart."""

from __future__ import annotations

import cached
import charts
import formatting as fmt
import i18n
import streamlit as st

from advisor.texts import localize, localized, sentence, source_text

lang = cached.language()
t = i18n.translator(lang)
hh = cached.current()
h = cached.household()

st.title(t("nav.solar"))
st.write(t("pv.intro"))
cached.origin_note(hh, t)

cached.quality_caption(hh, h, t, lang)

# own PV behind the meter (fed in, stated or seen in the curve): never a new system as if there were none
_an, _ = cached.attempt(cached.analysis, hh, h)
if _an is not None and getattr(_an, "own_generation", None) is not None:
    st.warning(t("pv.own_pv_note"), icon=":material/solar_power:")

if not (cached.available("pv") and cached.available("economics")):
    cached.note("missing", t("pv.what"), t)
    st.stop()

ORIENTATIONS = {
    "S": (180.0, False),
    "SE": (135.0, False),
    "SW": (225.0, False),
    "E": (90.0, False),
    "W": (270.0, False),
    "EW": (90.0, True),
}
roof = h.roof
default_kind = (
    "balcony" if (h.tenure == "tenant" or h.dwelling == "apartment" or (h.balcony and roof is None)) else "roof"
)

with st.container(border=True):
    kind = st.radio(
        t("pv.kind"),
        ["roof", "balcony"],
        index=["roof", "balcony"].index(default_kind),
        horizontal=True,
        format_func=lambda k: t(f"pv.kind.{k}"),
        key="pv_kind",
    )
    c1, c2, c3 = st.columns(3)
    orient = c2.selectbox(
        t("pv.orientation"), list(ORIENTATIONS), index=0, format_func=lambda o: t(f"pv.orient.{o}"), key="pv_orient"
    )
    if kind == "roof":
        kwp = c1.select_slider(t("pv.kwp"), options=[1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15], value=6, key="pv_kwp")
        tilt = c3.slider(
            t("pv.tilt"),
            0,
            60,
            int(roof.tilt_deg) if roof and roof.tilt_deg is not None and roof.tilt_deg <= 60 else 35,
            step=5,
            key="pv_tilt",
        )
        battery = c1.select_slider(
            t("pv.battery"),
            options=[0, 3, 5, 8, 10],
            value=0,
            key="pv_battery",
            format_func=lambda b: t("pv.no_battery") if b == 0 else f"{b} kWh",
        )
        params = {
            "kind": "rooftop",
            "kwp": kwp,
            "tilt_deg": tilt,
            "azimuth_deg": ORIENTATIONS[orient][0],
            "east_west": ORIENTATIONS[orient][1],
            "battery_kwh": battery,
            "module_wp": 0,
        }
    else:
        wp = c1.select_slider(t("pv.module_wp"), options=[400, 800, 1200, 1600, 2000], value=800, key="pv_wp")
        mount = c3.radio(t("pv.mount"), [90, 30], format_func=lambda m: t(f"pv.mount.{m}"), key="pv_mount")
        battery = c1.select_slider(
            t("pv.battery"),
            options=[0, 1, 2],
            value=0,
            key="pv_battery_balcony",
            format_func=lambda b: t("pv.no_battery") if b == 0 else f"{b} kWh",
        )
        params = {
            "kind": "balcony",
            "kwp": wp / 1000,
            "tilt_deg": mount,
            "azimuth_deg": ORIENTATIONS[orient][0],
            "east_west": ORIENTATIONS[orient][1],
            "battery_kwh": battery,
            "module_wp": wp,
        }

lat, lon, where = cached.location(h)
with st.spinner(t("pv.computing")):
    result, status = cached.attempt(cached.pv, hh, h, params)
if result is None:
    cached.note(status, t("pv.what"), t)
    st.stop()
option, sweep, filled_share, filled_method, legal_problems = result
notes = localize(list(legal_problems), lang)  # the legal limits (Messages) in the session's language
row = option.to_row()

st.subheader(t("pv.results"))
c = cached.metric_row(3)
c[0].metric(
    t("pv.yield"),
    fmt.kwh(row["annual_yield_kwh"], 0, lang),
    t("pv.specific", v=fmt.number(row["specific_yield_kwh_per_kwp"], 0, lang)),
    delta_color="off",
    delta_arrow="off",
)
c[1].metric(
    t("pv.self_consumption"), fmt.percent(row["self_consumption_share"], 0, lang), help=t("pv.self_consumption_help")
)
c[2].metric(t("pv.autarky"), fmt.percent(row["autarky_share"], 0, lang), help=t("pv.autarky_help"))
if row.get("interval_minutes") and row["interval_minutes"] >= 30 and row.get("self_consumption_share_range"):
    sc, au = row["self_consumption_share_range"], row["autarky_share_range"]
    st.caption(
        ":material/info: "
        + t(
            "pv.resolution_bias",
            minutes=row["interval_minutes"],
            sc_lo=fmt.percent(sc[0], 0, lang),
            sc_hi=fmt.percent(sc[1], 0, lang),
            au_lo=fmt.percent(au[0], 0, lang),
            au_hi=fmt.percent(au[1], 0, lang),
            source=fmt.plain(source_text(row.get("resolution_bias_source", ""), lang), 300),
        )
    )
c = cached.metric_row(3)
c[0].metric(t("pv.savings"), fmt.eur(row["annual_savings_eur"], 0, lang), help=t("pv.savings_help"))
c[1].metric(t("pv.investment"), fmt.eur(row["investment_eur"], 0, lang))
payback = row["payback_years"]
c[2].metric(
    t("pv.payback"),
    fmt.years(payback, 1, lang) if payback == payback and payback != float("inf") else t("pv.never"),
    help=t("pv.payback_help"),
)
for n in notes:
    st.warning(sentence(n), icon=":material/gavel:")
if where == "stadtwerk_default":
    st.caption(t("pv.location_default"))
if filled_share > 0.5:
    st.warning(t("pv.filled_mostly", share=fmt.percent(filled_share, 0, lang)), icon=":material/warning:")
elif filled_share > 0:
    st.caption(t("pv.filled", share=fmt.percent(filled_share, 0, lang)))

st.subheader(t("pv.sizing"))
with_battery = sweep[sweep["battery_kwh"] > 0]
without = sweep[sweep["battery_kwh"] == 0]
series = {"no": without, "with": with_battery}
fig = charts.pv_sizing(
    series,
    lang,
    x_title=t("pv.size_axis.balcony" if kind == "balcony" else "pv.size_axis.roof"),
    names={"no": t("pv.sweep.no_battery"), "with": t("pv.sweep.with_battery")},
    y_title=t("pv.sweep.savings_axis"),
    highlight=params["kwp"],
)
st.plotly_chart(fig, key="chart_pv_sizing", alt=t("pv.sizing"), theme=None, config=charts.CONFIG)
minutes = hh.curve.interval_minutes
step = t(f"step.{minutes}") if minutes in (15, 30, 60) else t("step.other", minutes=minutes)
st.caption(f":material/info: **{t('common.how')}:** " + t("pv.how", step=step))  # wording follows the resolution
with st.expander(t("pv.assumptions")):
    for a in localized(option.economics, "assumptions", lang):
        st.markdown(f"- {fmt.plain(sentence(a), 600)}")
    for n in localized(option.pv, "notes", lang):
        st.markdown(f"- {fmt.plain(sentence(n), 600)}")
