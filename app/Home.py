"""Energie-Advisor household app: entry point, sidebar (language, current household) and navigation.

Run from the repository root: ``streamlit run app/Home.py`` (``make run``). The app starts on the
synthetic demo household; the Start page takes a meter file, an annual consumption or meter
readings instead.
"""

from __future__ import annotations

import cached
import formatting as fmt
import i18n
import streamlit as st

st.set_page_config(page_title="Energie-Advisor", layout="wide", initial_sidebar_state="auto")


def _switch_language() -> None:
    st.session_state["lang"] = st.session_state["lang_choice"]


lang = cached.language()
with st.sidebar:
    st.radio(
        "Sprache / Language",
        options=list(i18n.LANGUAGES),
        index=list(i18n.LANGUAGES).index(lang),
        format_func=lambda code: i18n.LANGUAGES[code],
        key="lang_choice",
        on_change=_switch_language,
        horizontal=True,
    )
t = i18n.translator(lang)

PAGES = [
    st.Page("views/start.py", title=t("nav.start"), url_path="start", default=True),
    st.Page("views/overview.py", title=t("nav.overview"), url_path="ueberblick"),
    st.Page("views/forecast.py", title=t("nav.forecast"), url_path="prognose"),
    st.Page("views/solar.py", title=t("nav.solar"), url_path="solar"),
    st.Page("views/recommendations.py", title=t("nav.recommendations"), url_path="empfehlungen"),
    st.Page("views/report.py", title=t("nav.report"), url_path="bericht"),
]
page = st.navigation(PAGES, position="sidebar")

hh = cached.current()
with st.sidebar:
    st.divider()
    if hh.is_synthetic:
        st.caption(t("sidebar.demo"))
    elif hh.is_estimated:
        st.caption(t("sidebar.estimated", label=fmt.plain(hh.label)))
    else:
        st.caption(t("sidebar.upload", label=fmt.plain(hh.label)))
    st.caption(t("sidebar.privacy"))

page.run()
