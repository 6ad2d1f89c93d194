"""recommendations page (filled when `advisor.assessment` lands)."""

from __future__ import annotations

import streamlit as st

import cached
import i18n

lang = cached.language()
t = i18n.translator(lang)
st.title(t("nav.recommendations"))
if not cached.available("assessment"):
    st.info(t("common.not_available", what=t("nav.recommendations")))
