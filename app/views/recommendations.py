"""Empfehlungen: the ranked savings measures with EUR, kWh, CO₂, payback and their explanation;
below them fixed vs dynamic tariff (with day-ahead prices the household uploads or the operator
configures) and § 14a."""

from __future__ import annotations

import hashlib

import cached
import charts
import formatting as fmt
import i18n
import streamlit as st

from advisor.texts import localize, render, source_text

lang = cached.language()
t = i18n.translator(lang)
hh = cached.current()
h = cached.household()

st.title(t("nav.recommendations"))
st.write(t("rec.intro"))
cached.origin_note(hh, t)

cached.quality_caption(hh, h, t, lang)

# The layout is recommendations first, then the tariff comparison and its price upload. The upload
# must be read before the assessment is computed, so both result areas are reserved here and
# filled once the upload has been handled.
recs_area = st.container()
st.subheader(t("tariff.title"))
tariff_area = st.container()


def _price_upload() -> None:
    """The SMARD price upload: read it (cached by sha256) or say plainly why it cannot be used."""
    with st.expander(t("tariff.upload_title"), expanded=cached.prices_in_use() is None):
        st.markdown(t("tariff.upload_where"))
        up = st.file_uploader(
            t("tariff.upload_label"), type=["csv", "txt"], help=t("tariff.upload_help"), key="price_upload"
        )
        if up is None:
            if st.session_state.pop("price_seen", None) is not None:
                cached.forget_price_upload()  # the user removed the file
            return
        raw = up.getvalue()
        sha = hashlib.sha256(raw).hexdigest()
        seen = st.session_state.get("price_seen")
        if seen is None or seen[0] != sha:
            error: str | None = None
            try:
                with st.spinner(t("tariff.reading")):
                    cached.use_price_upload(raw, up.name)
            except cached.AdvisorError as exc:
                error = cached.error_text(exc)  # a Message: rendered below in the page's language
                cached.forget_price_upload()
            except Exception:  # noqa: BLE001 - never a traceback for a household
                error = ""
                cached.forget_price_upload()
            seen = (sha, error)
            st.session_state["price_seen"] = seen
        del raw
        if seen[1] is None and cached.prices_in_use() is not None:
            p = cached.prices_in_use()
            st.success(
                t(
                    "tariff.upload_ok",
                    label=fmt.plain(up.name, 120),
                    n=fmt.number(p.n_hours, 0, lang),
                    first=fmt.date(p.first, lang),
                    last=fmt.date(p.last, lang),
                )
            )
        else:
            st.warning(t("tariff.upload_error"), icon=":material/warning:")
            if seen[1]:
                st.markdown(t("tariff.upload_error_detail", message=fmt.plain(localize(seen[1], lang), 400)))
            st.info(t("tariff.upload_error_todo"))


_price_upload()
_, operator_error = cached.operator_prices()

with st.spinner(t("rec.computing")):
    a, status = cached.attempt(cached.assessment, hh, h)


def _recommendations() -> None:
    if a is None:
        cached.note(status, t("rec.what"), t)
        return
    recs = list(a.recommendations)
    if not recs:
        st.success(t("rec.none"), icon=":material/check_circle:")
        return
    ex = getattr(a, "extrapolation", None)  # a short period: ranges, or savings per year withheld
    if ex is not None:
        st.info(
            localize(ex.note, lang) + (" " + localize(ex.reason, lang) if ex.withheld else ""), icon=":material/info:"
        )
    if ex is not None and ex.withheld:
        for r in recs:
            with st.container(border=True):
                st.markdown(f"#### {r.rank}. {r.title(lang)}")
                st.caption(localize(ex.reason, lang))
        return
    st.plotly_chart(
        charts.ranked_bars(
            [r.title(lang) for r in recs], [r.annual_savings_eur for r in recs], lang, x_title=t("rec.axis")
        ),
        key="chart_recommendations",
        alt=charts.describe(
            t("rec.axis"), [r.title(lang) for r in recs], [r.annual_savings_eur for r in recs], lang, unit="€"
        ),
        theme=None,
        config=charts.CONFIG,
    )
    st.caption(f":material/info: **{t('common.how')}:** " + t("rec.how"))
    for r in recs:
        with st.container(border=True):
            st.markdown(f"#### {r.rank}. {r.title(lang)}")
            c = cached.metric_row(5)
            span = ex.range(r.annual_savings_eur) if ex is not None else None
            c[0].metric(
                t("rec.eur"),
                fmt.eur(r.annual_savings_eur, 0, lang),
                f"{render('report.range_short', lang)} {fmt.eur(span[0], 0, lang)} – {fmt.eur(span[1], 0, lang)}"
                if span
                else None,
                delta_color="off",
                delta_arrow="off",
            )
            c[1].metric(t("rec.kwh"), fmt.kwh(r.annual_savings_kwh, 0, lang))
            c[2].metric(t("rec.co2"), fmt.co2_kg(r.annual_co2_kg, 0, lang))
            c[3].metric(t("rec.investment"), fmt.eur(r.investment_eur, 0, lang) if r.investment_eur else t("rec.free"))
            c[4].metric(
                t("rec.payback"), fmt.years(r.payback_years, 1, lang) if r.payback_years else t("rec.immediately")
            )
            st.markdown(r.explanation(lang))
            st.caption(t("rec.basis", basis=r.basis_text(lang), confidence=r.confidence_text(lang)))
            with st.expander(t("rec.sources")):
                for src in r.sources:
                    st.markdown(f"- {fmt.plain(source_text(src, lang), 600)}")
    if a.unavailable:
        with st.expander(t("rec.unavailable")):
            for part, why in a.unavailable.items():
                st.markdown(f"- **{t('rec.part.' + part)}**: {fmt.plain(localize(why, lang))}")


def _cost_table(costs: list) -> str:
    """Markdown table: energy, average price, base fee, meter fee and total per tariff."""
    names = [t("tariff.fixed"), t("tariff.dynamic"), t("tariff.shifted")][: len(costs)]
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(costs)]
    rows = [
        (t("tariff.row.energy"), [fmt.eur(c.energy_eur, 0, lang) for c in costs]),
        (t("tariff.row.avg"), [fmt.ct_per_kwh(c.average_price_eur_per_kwh, 1, lang) for c in costs]),
        (t("tariff.row.base"), [fmt.eur(c.base_fee_eur, 0, lang) for c in costs]),
        (
            t("tariff.row.meter"),
            [f"{fmt.eur(c.meter_fee_eur, 0, lang)} ({t('tariff.meter.' + c.meter)})" for c in costs],
        ),
        (f"**{t('tariff.row.total')}**", [f"**{fmt.eur(c.total_eur, 0, lang)}**" for c in costs]),
    ]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    return "\n".join(lines)


def _tariffs() -> None:
    if a is None:
        cached.note(status, t("tariff.what"), t)
        return
    tc = a.tariffs
    if tc is None:
        cached.note("failed", t("tariff.what"), t)
        return
    prices = cached.prices_in_use()
    if operator_error and st.session_state.get("prices") is None:
        st.warning(t("tariff.operator_error", message=fmt.plain(localize(operator_error, lang), 200)), icon=":material/warning:")
    if tc.dynamic is None:
        st.info(t("tariff.needs_prices"), icon=":material/info:")
        row = cached.metric_row(1)
        row[0].metric(t("tariff.fixed"), fmt.eur(tc.fixed.total_eur, 0, lang), help=t("tariff.per_year"))
        st.markdown(_cost_table([tc.fixed]))
    else:
        row = cached.metric_row(3)
        row[0].metric(t("tariff.fixed"), fmt.eur(tc.fixed.total_eur, 0, lang))
        row[1].metric(t("tariff.dynamic"), fmt.eur(tc.dynamic.total_eur, 0, lang))
        row[2].metric(t("tariff.shifted"), fmt.eur(tc.dynamic_shifted.total_eur, 0, lang))
        saving = tc.dynamic_saving_eur
        st.markdown(
            t("tariff.verdict_cheaper" if saving >= 0 else "tariff.verdict_dearer", eur=fmt.eur(abs(saving), 0, lang))
        )
        if tc.shifting_saving_eur and tc.shifting_saving_eur > 0:
            st.markdown(
                t(
                    "tariff.verdict_shift",
                    kwh=fmt.kwh(tc.shifted_kwh, 0, lang),
                    eur=fmt.eur(tc.shifting_saving_eur, 0, lang),
                )
            )
        st.markdown(_cost_table([tc.fixed, tc.dynamic, tc.dynamic_shifted]))
        notes = []
        if prices is not None:
            notes.append(
                t(
                    "tariff.prices_line",
                    source=fmt.plain(tc.price_source or prices.prices.source, 200),
                    year=tc.price_year or fmt.MISSING,
                    first=fmt.date(prices.first, lang),
                    last=fmt.date(prices.last, lang),
                    origin=t("tariff.origin." + prices.origin),
                )
            )
        if tc.dynamic.shift_days:
            notes.append(t("tariff.shifted_year", weeks=fmt.number(abs(tc.dynamic.shift_days) / 7, 0, lang)))
        if tc.dynamic.n_fallback_intervals:
            notes.append(t("tariff.fallback", n=fmt.number(tc.dynamic.n_fallback_intervals, 0, lang)))
        st.caption(" ".join(notes))
    st.caption(f":material/info: **{t('common.how')}:** " + t("tariff.how"))
    p14 = tc.para14a
    if p14 is not None:
        st.markdown(f"##### {t('tariff.p14a_title')}")
        st.markdown(
            t(
                "tariff.p14a_text",
                device=t("tariff.p14a_device." + p14.device),
                m1=fmt.eur(p14.module1_eur, 0, lang),
                m2=fmt.eur(p14.module2_eur, 0, lang) if p14.module2_eur is not None else t("tariff.p14a_m2_unknown"),
                best=p14.best_module,
            )
        )


with recs_area:
    _recommendations()
with tariff_area:
    _tariffs()
