"""Bericht: download the household's report (the shared renderer, HTML and PDF) and the results as
CSV (cells neutralised against formula injection); delete everything of this household now."""

from __future__ import annotations

import math

import cached
import formatting as fmt
import i18n
import streamlit as st

from advisor.texts import localize, localized, render

lang = cached.language()
t = i18n.translator(lang)
hh = cached.current()
h = cached.household()

st.title(t("nav.report"))
st.write(t("rep.intro"))
if hh.is_synthetic:
    st.info(t("common.synthetic_note"), icon=":material/info:")

stem = "energie-advisor-demo" if hh.is_synthetic else "energie-advisor-bericht"

# ------------------------------------------------------------------ report (HTML / PDF)
st.subheader(t("rep.report"))
with st.spinner(t("rep.computing")):
    html, status = cached.attempt(cached.report_html, hh, h, lang)
if html is None:
    cached.note(status, t("rep.what"), t)
else:
    c1 = c2 = st.container(horizontal=True, gap="small", wrap=True)
    c1.download_button(
        t("rep.html"),
        data=html.encode("utf-8"),
        file_name=f"{stem}.html",
        mime="text/html",
        key="dl_html",
        icon=":material/download:",
    )
    if st.session_state.get("rep_pdf_requested"):
        pdf, pdf_status = cached.attempt(cached.report_pdf, hh, h, lang)
        if pdf is None:
            with c2:
                cached.note(pdf_status, t("rep.pdf_what"), t)
        else:
            c2.download_button(
                t("rep.pdf"),
                data=pdf,
                file_name=f"{stem}.pdf",
                mime="application/pdf",
                key="dl_pdf",
                icon=":material/download:",
            )
    elif c2.button(t("rep.make_pdf"), key="make_pdf", icon=":material/picture_as_pdf:"):
        st.session_state["rep_pdf_requested"] = True
        st.rerun()
    st.caption(t("rep.report_how"))
    if cached.prices_in_use() is None:
        st.caption(t("rep.no_prices"))

# ------------------------------------------------------------------ results as CSV
st.subheader(t("rep.csv_title"))
a, status = cached.attempt(cached.assessment, hh, h)
if a is None:
    cached.note(status, t("rep.csv_what"), t)
else:
    an = a.analysis
    header = [t("rep.col.section"), t("rep.col.item"), t("rep.col.value"), t("rep.col.unit"), t("rep.col.note")]

    def rnd(x, d: int = 0):
        """Round for the CSV; NaN/None stay empty (never "nan")."""
        if x is None or not math.isfinite(float(x)):
            return None
        return round(float(x)) if d == 0 else round(float(x), d)

    per_year = t("rep.unit.per_year")
    dq = an.data_quality
    ex = getattr(a, "extrapolation", None)  # a short period: annual figures with their measured range

    def _span(x) -> str:
        r = ex.range(x) if ex is not None and x is not None else None
        return f" ({render('report.range_short', lang)} {r[0]:.0f}–{r[1]:.0f})" if r else ""

    # Figures rounded to what they can tell (kWh per year to 1 kWh, W to 1 W, kW to 10 W, EUR to 1 EUR,
    # months to 0.1 kWh); the unit of each row is in the "Einheit" column.
    rows: list[list] = [
        [
            t("nav.overview"),
            t("ov.annual_kwh"),
            rnd(an.annual_kwh),
            f"kWh{per_year}",
            an.annual_method_text(lang) + _span(an.annual_kwh),
        ],
        [
            t("nav.overview"),
            t("ov.base_load"),
            rnd(an.base_load_w),
            "W",
            localized(an, "base_load_method", lang),
        ],
        [t("nav.overview"), t("ov.peak"), rnd(an.peak_kw, 2), "kW", fmt.datetime(an.peak_time, lang, an.tz)],
        [t("nav.overview"), t("ov.stromspiegel"), an.stromspiegel_class or "", "", ""],
        [
            t("nav.overview"),
            t("sum.completeness"),
            rnd(100 * dq.completeness, 1),
            "%",
            localize(dq.completeness_reason, lang),
        ],
        [
            t("nav.overview"),
            t("rep.days_with_data"),
            rnd(dq.days_with_data, 1),
            t("rep.unit.days"),
            localize(dq.length_reason, lang),
        ],
    ]
    if a.projection is not None:
        rows.append([t("nav.forecast"), t("fc.year_kwh"), rnd(a.projection.annual_kwh_p50), f"kWh{per_year}", "P50"])
        rows.append(
            [
                t("nav.forecast"),
                t("fc.abschlag"),
                rnd(a.projection.monthly_instalment_eur),
                t("rep.unit.eur_month"),
                "",
            ]
        )
    tc = a.tariffs
    eur_year = f"€{per_year}"
    if tc is not None:
        rows.append(
            [
                t("tariff.title"),
                t("tariff.fixed"),
                rnd(tc.fixed.total_eur),
                eur_year,
                tc.fixed.meter + _span(tc.fixed.total_eur),
            ]
        )
        if tc.dynamic is not None and tc.dynamic_shifted is not None:
            year = f"{t('tariff.price_year')} {tc.price_year or ''}".strip()
            rows.append([t("tariff.title"), t("tariff.dynamic"), rnd(tc.dynamic.total_eur), eur_year, year])
            rows.append([t("tariff.title"), t("tariff.shifted"), rnd(tc.dynamic_shifted.total_eur), eur_year, year])
    withheld = ex is not None and ex.withheld
    for r in a.recommendations:
        if withheld:  # savings per year from too few days: not given, the reason in the note column
            rows.append([t("nav.recommendations"), r.title(lang), None, eur_year, localize(ex.reason, lang)])
            continue
        rows.append(
            [
                t("nav.recommendations"),
                r.title(lang),
                rnd(r.annual_savings_eur),
                eur_year,
                r.basis_text(lang) + _span(r.annual_savings_eur),
            ]
        )
        rows.append(
            [
                t("nav.recommendations"),
                r.title(lang),
                rnd(r.annual_savings_kwh),
                f"kWh{per_year}",
                _span(r.annual_savings_kwh).strip(),
            ]
        )
    for m, v in an.month_kwh["energy_kwh"].items():
        rows.append([t("ov.tab_months"), str(m), rnd(v, 1), "kWh", ""])
    st.download_button(
        t("rep.csv"),
        data=fmt.csv_bytes(rows, header, lang=lang),
        file_name=f"{stem}-ergebnisse.csv",
        mime="text/csv",
        key="dl_csv",
        icon=":material/download:",
    )
    st.caption(t("rep.csv_how"))

# ------------------------------------------------------------------ delete
st.subheader(t("rep.delete_title"))
st.write(t("rep.delete_text"))
if st.button(t("rep.delete"), key="delete_household", type="primary", icon=":material/delete:"):
    cached.forget_household()
    st.session_state.pop("rep_pdf_requested", None)
    st.session_state["deleted"] = True
    st.session_state["discarded"] = False  # deleted on purpose: no "file discarded" notice
    st.rerun()
if st.session_state.pop("deleted", False):
    st.success(t("rep.deleted"), icon=":material/check_circle:")
