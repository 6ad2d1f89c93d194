"""Energie-Advisor household app: entry point, sidebar (language, current household) and navigation.

Run from the repository root: ``streamlit run app/Home.py`` (``make run``). The app starts on the
synthetic demo household; the Start page takes a meter file, an annual consumption or meter
readings instead.
"""

from __future__ import annotations

import browser
import cached
import formatting as fmt
import i18n
import streamlit as st

st.set_page_config(page_title="Energie-Advisor", layout="wide", initial_sidebar_state="auto")


def _switch_language() -> None:
    st.session_state["lang"] = st.session_state["lang_choice"]


# A new session (reload, new tab) without data of its own, in a browser that had a household's own
# data: say that the file was discarded (browser.py) instead of silently showing the demo.
if "hh" not in st.session_state and "discarded" not in st.session_state:
    st.session_state["discarded"] = browser.own_data_flag_seen()

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

# The default page is served at the app root ("/"); Streamlit ignores its url_path there, so the
# same script is registered once more, hidden from the menu, for the deep link "/start".
PAGES = [
    st.Page("views/start.py", title=t("nav.start"), url_path="startseite", default=True),
    st.Page("views/overview.py", title=t("nav.overview"), url_path="ueberblick"),
    st.Page("views/forecast.py", title=t("nav.forecast"), url_path="prognose"),
    st.Page("views/solar.py", title=t("nav.solar"), url_path="solar"),
    st.Page("views/recommendations.py", title=t("nav.recommendations"), url_path="empfehlungen"),
    st.Page("views/electrify.py", title=t("nav.electrify"), url_path="elektrifizieren"),
    st.Page("views/report.py", title=t("nav.report"), url_path="bericht"),
    st.Page("views/start.py", title=t("nav.start"), url_path="start", visibility="hidden"),
]
page = st.navigation(PAGES, position="sidebar")

hh = cached.current()
if not hh.is_synthetic:
    st.session_state["discarded"] = False
browser.inject(lang, own_data=not hh.is_synthetic or st.session_state.get("discarded", False))
with st.sidebar:
    st.divider()
    if hh.is_synthetic:
        st.caption(t("sidebar.demo"))
    elif hh.is_estimated:
        st.caption(t("sidebar.estimated", label=fmt.plain(hh.label)))
    else:
        st.caption(t("sidebar.upload", label=fmt.plain(hh.label)))
    st.caption(t("sidebar.privacy"))

if st.session_state.get("discarded"):
    st.warning(t("session.discarded"), icon=":material/lock_reset:")
    if page.url_path not in ("", "start"):
        st.page_link(PAGES[0], label=t("session.upload_again"), icon=":material/upload_file:")

page.run()
