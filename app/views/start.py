"""Start: choose the data (upload, annual consumption / readings, demo), answer the household
questions, see the ingest summary with the data-quality score and the first chart."""

from __future__ import annotations

import datetime as dt
import hashlib

import cached
import charts
import formatting as fmt
import i18n
import streamlit as st

from advisor.texts import localize, localized, sentence

lang = cached.language()
t = i18n.translator(lang)

st.title(t("start.title"))
st.write(t("start.intro"))


def _form_generation() -> str:
    """Part of the form's widget keys that changes with the data: a new household (upload, meter,
    estimate, demo) gets fresh widgets showing its own answers, not the previous household's."""
    return hashlib.sha256(cached.current().data_key.encode()).hexdigest()[:8]


def _choice(label_key: str, field: str, options: list, current, fmt_option) -> object:
    """A selectbox whose first option is "unknown" (None)."""
    opts = [None, *options]
    index = opts.index(current) if current in opts else 0
    return st.selectbox(
        t(label_key),
        opts,
        index=index,
        key=f"q_{field}_{_form_generation()}",
        format_func=lambda o: t("common.unknown") if o is None else fmt_option(o),
    )


def household_form() -> None:
    """The household questions; the answers become the session's Household on submit."""
    h = cached.household()
    roof = h.roof
    with st.form("household_form"):
        c1, c2, c3 = st.columns(3)
        with c1:
            persons = _choice("q.persons", "persons", list(range(1, 9)), h.persons, str)
            dwelling = _choice(
                "q.dwelling", "dwelling", ["house", "apartment"], h.dwelling, lambda o: t(f"q.dwelling.{o}")
            )
            tenure = _choice("q.tenure", "tenure", ["owner", "tenant"], h.tenure, lambda o: t(f"q.tenure.{o}"))
            postal_code = st.text_input(
                t("q.postal_code"), value=h.postal_code or "", max_chars=5, key=f"q_postal_code_{_form_generation()}"
            )
        with c2:
            hot_water = _choice(
                "q.hot_water", "hot_water", ["electric", "other"], h.hot_water, lambda o: t(f"q.hot_water.{o}")
            )
            heating = _choice(
                "q.heating",
                "heating",
                ["heat_pump", "night_storage", "other"],
                h.heating,
                lambda o: t(f"q.heating.{o}"),
            )
            ev = _choice("q.ev", "ev", [True, False], h.ev, lambda o: t("common.yes" if o else "common.no"))
            existing_pv = st.number_input(
                t("q.existing_pv"),
                min_value=0.0,
                max_value=100.0,
                value=h.existing_pv_kwp,
                step=0.5,
                key=f"q_existing_pv_{_form_generation()}",
            )
        with c3:
            balcony = _choice(
                "q.balcony", "balcony", [True, False], h.balcony, lambda o: t("common.yes" if o else "common.no")
            )
            tilt = st.number_input(
                t("q.roof_tilt"),
                min_value=0.0,
                max_value=90.0,
                value=roof.tilt_deg if roof else None,
                step=5.0,
                key=f"q_roof_tilt_{_form_generation()}",
            )
            azimuth = st.number_input(
                t("q.roof_azimuth"),
                min_value=0.0,
                max_value=360.0,
                value=roof.azimuth_deg if roof else None,
                step=15.0,
                key=f"q_roof_azimuth_{_form_generation()}",
            )
            area = st.number_input(
                t("q.roof_area"),
                min_value=0.0,
                max_value=2000.0,
                value=roof.usable_area_m2 if roof else None,
                step=5.0,
                key=f"q_roof_area_{_form_generation()}",
            )
        c4, c5, c6 = st.columns(3)
        price_ct = c4.number_input(
            t("q.price"),
            min_value=5.0,
            max_value=200.0,
            value=cached.price_ct(h),
            step=0.5,
            key=f"q_price_{_form_generation()}",
        )
        base_fee = c5.number_input(
            t("q.base_fee"),
            min_value=0.0,
            max_value=1000.0,
            value=h.base_fee_eur_per_year,
            step=10.0,
            key=f"q_base_fee_{_form_generation()}",
        )
        with c6:
            low_income = _choice(
                "q.low_income",
                "low_income",
                [True, False],
                h.low_income,
                lambda o: t("common.yes" if o else "common.no"),
            )
        if st.form_submit_button(t("q.save"), type="primary"):
            answers = {
                "persons": persons,
                "dwelling": dwelling,
                "tenure": tenure,
                "hot_water": hot_water,
                "heating": heating,
                "ev": ev,
                "existing_pv_kwp": existing_pv,
                "postal_code": postal_code.strip() or None,
                "balcony": balcony,
                "low_income": low_income,
                "roof_tilt_deg": tilt,
                "roof_azimuth_deg": azimuth,
                "roof_area_m2": area,
                "price_ct_per_kwh": price_ct,
                "base_fee_eur_per_year": base_fee,
                "language": lang,
            }
            try:
                cached.set_household(cached.household_from_answers(answers, previous=h))
                st.success(t("q.saved"))
            except cached.AdvisorError as exc:
                st.warning(t("q.invalid", message=fmt.plain(exc)))


def _error_text(exc: Exception) -> str:
    """The user's-language message of a refused input (a LoadCurveError's message renders per language)."""
    return localized(exc, "message", lang) if hasattr(exc, "message") else str(exc)


def meter_picker() -> None:
    """A file with several consumption curves: let the user choose the meter to analyse."""
    meters = cached.upload_meters()
    if len(meters) < 2:
        return

    def label(i: int) -> str:
        c = meters[i]
        return t(
            "start.meter_option",
            meter=fmt.plain(c.meta.meter_id or f"#{i + 1}", 60),
            first=fmt.date(c.start, lang, c.meta.tz),
            last=fmt.date(c.data.index[-1], lang, c.meta.tz),
            kwh=fmt.kwh(c.total_kwh, 1 if c.total_kwh < 100 else 0, lang),
        )

    choice = st.selectbox(
        t("start.meter_pick"),
        list(range(len(meters))),
        index=cached.meter_index(),
        format_func=label,
        help=t("start.meter_pick_help"),
        key="meter_pick",
    )
    if choice != cached.meter_index():
        cached.choose_meter(int(choice))
        st.rerun()


def _after_estimate() -> None:
    st.session_state["start_notice"] = "start.estimate_ok"
    st.rerun()  # the sidebar then names the new data


# ------------------------------------------------------------------ 1. data source
st.subheader(t("start.source"))
tab_upload, tab_estimate, tab_demo = st.tabs([t("start.tab_upload"), t("start.tab_estimate"), t("start.tab_demo")])

with tab_upload:
    upload = st.file_uploader(t("start.upload_label"), help=t("start.upload_help"), key="upload")
    if upload is not None:
        raw = upload.getvalue()
        sha = hashlib.sha256(raw).hexdigest()
        seen = st.session_state.get("upload_seen")
        if seen is None or seen[0] != sha:
            error: tuple[str, str] | None = None
            try:
                with st.spinner(t("start.reading")):
                    cached.use_upload(raw, upload.name)
            except cached.LoadCurveError as exc:
                error = ("known", localized(exc, "message", lang))
            except Exception:  # noqa: BLE001 - never show a traceback to a household
                error = ("unexpected", "")
            st.session_state["upload_seen"] = (sha, error)
            seen = (sha, error)
            if error is None:
                st.rerun()  # the sidebar (drawn before this page) then names the new data
        del raw
        error = seen[1]
        if error is None:
            st.success(t("start.upload_ok", label=fmt.plain(upload.name)))
            meter_picker()
        else:
            st.warning(t("start.upload_error"), icon=":material/warning:")
            if error[0] == "known":
                st.markdown(t("start.upload_error_detail", message=fmt.plain(error[1], 600)))
            else:
                st.markdown(t("start.upload_unexpected"))
            st.info(t("start.upload_error_todo"))

with tab_estimate:
    st.caption(t("start.estimate_how"))
    if not cached.available("ingest.estimated"):
        st.info(t("common.not_available", what=t("start.estimate_what")))
    else:
        with st.form("annual_form", border=False):
            c1, c2 = st.columns(2)
            annual_kwh = c1.number_input(
                t("start.annual_label"), min_value=100, max_value=50_000, value=None, step=100, key="annual_kwh"
            )
            year = c2.number_input(
                t("start.annual_year"),
                min_value=2015,
                max_value=2035,
                value=dt.date.today().year - 1,
                step=1,
                key="annual_year",
            )
            if st.form_submit_button(t("start.annual_button")) and annual_kwh:
                try:
                    cached.use_estimate("annual", {"annual_kwh": float(annual_kwh), "year": int(year)})
                except cached.AdvisorError as exc:
                    st.warning(t("start.estimate_error", message=fmt.plain(_error_text(exc))))
                else:
                    _after_estimate()
        st.markdown(t("start.readings_intro"))
        with st.form("readings_form", border=False):
            rows = []
            for i in range(3):
                c1, c2 = st.columns(2)
                d = c1.date_input(
                    t("start.readings_date") + f" {i + 1}", value=None, format="DD.MM.YYYY", key=f"reading_date_{i}"
                )
                v = c2.number_input(
                    t("start.readings_value") + f" {i + 1}",
                    min_value=0.0,
                    value=None,
                    step=1.0,
                    key=f"reading_value_{i}",
                )
                if d is not None and v is not None:
                    rows.append((d.isoformat(), float(v)))
            if st.form_submit_button(t("start.readings_button")):
                if len(rows) < 2:
                    st.warning(t("start.readings_too_few"))
                else:
                    try:
                        cached.use_estimate("readings", {"readings": rows})
                    except cached.AdvisorError as exc:
                        st.warning(t("start.estimate_error", message=fmt.plain(_error_text(exc))))
                    else:
                        _after_estimate()
        notice = st.session_state.pop("start_notice", None)
        if notice:
            st.success(t(notice))

with tab_demo:
    st.markdown(t("start.demo_text"))
    if st.button(t("start.demo_button"), key="demo_button"):
        cached.use_demo()
        st.session_state["discarded"] = False  # the demo on purpose: no "file discarded" notice
        st.rerun()

hh = cached.current()
if hh.is_synthetic:
    st.info(t("start.synthetic_note"), icon=":material/info:")
elif hh.is_estimated:
    st.info(t("common.estimated_note"), icon=":material/info:")

# ------------------------------------------------------------------ 2. household questions
st.subheader(t("start.household"))
st.caption(t("start.household_intro"))
household_form()

# ------------------------------------------------------------------ 3. ingest summary
st.subheader(t("start.summary"))
summary = hh.curve.summary()
an_q, _ = cached.attempt(cached.analysis, hh, cached.household())
dq = an_q.data_quality if an_q is not None else None
c = cached.metric_row(5)
tz = hh.curve.meta.tz  # the data period in the curve's own time zone (a London year ends on 31 Dec there)
c[0].metric(t("sum.period"), f"{fmt.date(hh.curve.start, lang, tz)} – {fmt.date(hh.curve.data.index[-1], lang, tz)}")
c[1].metric(t("sum.interval"), t("sum.interval_value", minutes=hh.curve.interval_minutes))
energy_kwh = summary["energy_kwh"] or hh.curve.total_kwh
c[2].metric(t("sum.energy"), fmt.kwh(energy_kwh, 1 if energy_kwh < 100 else 0, lang))
c[3].metric(
    t("sum.values"),
    fmt.number(summary["n_intervals"], 0, lang),
    t("sum.missing", n=fmt.number(summary["missing_intervals"], 0, lang)),
    delta_color="off",
    delta_arrow="off",
)
c[4].metric(
    t("sum.completeness"),
    fmt.percent(dq.completeness if dq is not None else hh.curve.coverage, 0, lang),
    help=t("sum.completeness_help"),
)
if dq is not None:
    st.markdown(
        t("quality.complete_line", reason=localize(dq.completeness_reason, lang))
        + "  \n"
        + t("quality.length_line", reason=localize(dq.length_reason, lang))
    )
    if dq.plausibility_reason:
        st.warning(sentence(localize(dq.plausibility_reason, lang)), icon=":material/warning:")
st.caption(
    t("sum.format", format=summary["format"], meter=summary["meter_id"] or fmt.MISSING)
    + (
        " · " + t("sum.substituted") + ": " + fmt.number(summary["substituted_intervals"], 0, lang)
        if summary["substituted_intervals"]
        else ""
    )
)
if summary["warnings"]:
    with st.expander(t("sum.warnings"), expanded=True):
        for w in localized(summary, "warnings", lang):
            st.markdown(f"- {fmt.plain(w)}")
if summary["conversions"]:
    with st.expander(t("sum.conversions")):
        for conv in localized(summary, "conversions", lang):
            st.markdown(f"- {fmt.plain(sentence(conv))}")

st.markdown(f"**{t('sum.daily_title')}**")
daily = cached.daily(hh)
st.plotly_chart(
    charts.daily_energy(daily, lang, y_title=t("sum.daily_axis")),
    key="chart_daily",
    alt=charts.describe(
        t("sum.daily_title"), [fmt.date(d, lang) for d in daily.index], daily.to_numpy(), lang, unit="kWh"
    ),
    theme=None,
    config=charts.CONFIG,
)
st.caption(f":material/info: **{t('common.how')}:** " + t("sum.daily_how", minutes=hh.curve.interval_minutes))
st.markdown(t("sum.next"))
