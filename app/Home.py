"""Energie-Advisor household app (placeholder shell; the app issue fills the pages)."""

import streamlit as st

from advisor.synthetic import demo_household

st.set_page_config(page_title="Energie-Advisor", layout="wide")
st.title("Energie-Advisor")
st.info("Demo-Haushalt: synthetisch erzeugt, keine echten Messdaten.")
curve = demo_household().curve
st.json(curve.summary())
