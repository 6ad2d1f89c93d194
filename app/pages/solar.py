"""solar page (filled when `advisor.pv` lands)."""

from __future__ import annotations

import streamlit as st

import cached
import i18n

lang = cached.language()
t = i18n.translator(lang)
st.title(t("nav.solar"))
if not cached.available("pv"):
    st.info(t("common.not_available", what=t("nav.solar")))
