"""forecast page (filled when `advisor.forecast` lands)."""

from __future__ import annotations

import streamlit as st

import cached
import i18n

lang = cached.language()
t = i18n.translator(lang)
st.title(t("nav.forecast"))
if not cached.available("forecast"):
    st.info(t("common.not_available", what=t("nav.forecast")))
