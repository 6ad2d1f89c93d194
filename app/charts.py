"""Plotly figures of the household app (builders only: reshaping and formatting, no arithmetic).

Colours: the Okabe-Ito palette (safe for the common colour-vision deficiencies) and the
perceptually uniform ``cividis`` scale for heatmaps. Decimal/thousands separators through
``layout.separators`` and date ticks/hovers in the language's CLDR pattern, both from the one
formatter (``24.11.`` / ``24 Nov``; ``11.2026`` / ``Nov 2026``); no language branch here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import formatting as fmt
import i18n
import pandas as pd
import plotly.graph_objects as go

# Okabe & Ito (2008), "Color Universal Design".
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#7F7F7F"
PALETTE = (BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, YELLOW, GREY)
HEATMAP_SCALE = "Cividis"

# Plotly's browser config: no mode bar (its buttons are English, tiny on a phone and not needed to
# read a chart; Streamlit's own full-screen button stays), no logo link, no cloud button (no request
# leaves the machine), no scroll zoom (a page scrolled on a phone must not zoom the chart).
CONFIG = {"displayModeBar": False, "displaylogo": False, "showSendToCloud": False, "scrollZoom": False}
#: Characters per line of a wrapped bar label (fits a 390 px phone at 13 px font).
LABEL_WRAP = 34


def axis(key: str, lang: str) -> str:
    """An axis title from the app's texts (``axis.day``, ``axis.time``, …)."""
    return i18n.text(f"axis.{key}", lang)


def describe(title: str, labels: Sequence[str], values: Sequence[float], lang: str, *, unit: str) -> str:
    """Text alternative of a chart of one series: what it shows, its range and its extremes."""
    vals = [float(v) for v in values]
    if not vals:
        return title
    hi = max(range(len(vals)), key=vals.__getitem__)
    lo = min(range(len(vals)), key=vals.__getitem__)
    return i18n.text(
        "chart.alt",
        lang,
        title=title,
        n=fmt.number(len(vals), 0, lang),
        first=labels[0],
        last=labels[-1],
        hi=f"{fmt.number(vals[hi], 1, lang)} {unit}",
        hi_at=labels[hi],
        lo=f"{fmt.number(vals[lo], 1, lang)} {unit}",
        lo_at=labels[lo],
    )


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _style(fig: go.Figure, lang: str, *, height: int = 360, y_title: str = "", x_title: str = "") -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        separators=fmt.PLOTLY_SEPARATORS.get(lang, ",."),
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        colorway=list(PALETTE),
        hoverlabel=dict(namelength=-1),
        font=dict(family="sans-serif", size=13),
    )
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    fig.update_xaxes(title_text=x_title)
    return fig


def _date_axis(fig: go.Figure, lang: str) -> None:
    """Date ticks in the language's own pattern (the one formatter's ``plotly_dates``)."""
    d = fmt.formatter(lang).plotly_dates
    fig.update_xaxes(
        tickformatstops=[
            dict(dtickrange=[None, 86_400_000], value=d["hour"]),
            dict(dtickrange=[86_400_000, 28 * 86_400_000], value=d["day"]),
            dict(dtickrange=[28 * 86_400_000, None], value=d["month"]),
        ]
    )


def _naive_local(index: pd.DatetimeIndex, tz: str = "Europe/Berlin") -> pd.DatetimeIndex:
    """Wall-clock times for the axis (plotly has no time zones)."""
    if index.tz is not None:
        index = index.tz_convert(tz).tz_localize(None)
    return index


def daily_energy(daily_kwh: pd.Series, lang: str, *, y_title: str) -> go.Figure:
    """Bars of energy per local day [kWh]."""
    x = _naive_local(pd.DatetimeIndex(daily_kwh.index))
    labels = [fmt.date(d, lang) for d in x]
    fig = go.Figure(
        go.Bar(
            x=x,
            y=daily_kwh.to_numpy(),
            marker_color=BLUE,
            customdata=[[lbl, fmt.kwh(v, 1, lang)] for lbl, v in zip(labels, daily_kwh.to_numpy(), strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        )
    )
    _style(fig, lang, height=300, y_title=y_title, x_title=axis("day", lang))
    _date_axis(fig, lang)
    return fig


def heatmap(matrix: pd.DataFrame, lang: str, *, colour_title: str) -> go.Figure:
    """Local day (rows) × time of day (columns) heatmap of power or energy."""
    days = pd.DatetimeIndex(matrix.index)
    if days.tz is not None:
        days = days.tz_localize(None)
    cols = [str(c)[:5] for c in matrix.columns]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy().T,
            x=days,
            y=cols,
            colorscale=HEATMAP_SCALE,
            colorbar=dict(title=dict(text=colour_title, side="right"), thickness=12, xpad=4),
            hovertemplate=f"%{{x|{fmt.formatter(lang).plotly_dates['full']}}} %{{y}}: %{{z:.2f}}<extra></extra>",
            hoverongaps=False,
        )
    )
    _style(fig, lang, height=420, x_title=axis("day", lang), y_title=axis("time", lang))
    fig.update_yaxes(autorange="reversed", rangemode="normal", nticks=9, type="category")
    _date_axis(fig, lang)
    return fig


def profiles(frame: pd.DataFrame, lang: str, *, y_title: str, names: dict[str, str] | None = None) -> go.Figure:
    """Lines of mean daily profiles: index = time of day, one column per day type/season."""
    names = names or {}
    x = [str(i)[:5] for i in frame.index]
    fig = go.Figure()
    for i, col in enumerate(frame.columns):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=frame[col].to_numpy(),
                mode="lines",
                name=names.get(str(col), str(col)),
                line=dict(
                    color=PALETTE[i % len(PALETTE)], width=2, dash=("solid", "dash", "dot", "dashdot")[i // 4 % 4]
                ),
            )
        )
    _style(fig, lang, height=360, y_title=y_title, x_title=axis("time", lang))
    fig.update_xaxes(type="category", nticks=7)
    return fig


def month_bars(month_kwh: pd.Series, lang: str, *, y_title: str, estimated: Sequence[bool] | None = None) -> go.Figure:
    """Bars of energy per month [kWh]; estimated months hatched."""
    idx = pd.DatetimeIndex(month_kwh.index)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    labels = [fmt.month_label(m, lang) for m in idx]
    values = month_kwh.to_numpy()
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            marker_color=BLUE,
            marker_pattern_shape=["/" if e else "" for e in estimated] if estimated is not None else None,
            customdata=[fmt.kwh(v, 0, lang) for v in values],
            hovertemplate="%{x}: %{customdata}<extra></extra>",
        )
    )
    _style(fig, lang, height=320, y_title=y_title, x_title=axis("month", lang))
    fig.update_xaxes(type="category")
    return fig


def stacked_month_bars(
    frame: pd.DataFrame, lang: str, *, names: dict[str, str], y_title: str, colours: Sequence[str] = (BLUE, GREEN)
) -> go.Figure:
    """Stacked bars per calendar month (rows January..December) of the frame's columns [kWh]."""
    labels = fmt.formatter(lang).month_names()
    fig = go.Figure()
    for col, colour in zip(frame.columns, colours, strict=False):
        values = frame[col].to_numpy(dtype=float)
        fig.add_trace(
            go.Bar(
                x=list(labels),
                y=values,
                name=names.get(col, col),
                marker_color=colour,
                customdata=[fmt.kwh(v, 0, lang) for v in values],
                hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    _style(fig, lang, height=320, y_title=y_title, x_title=axis("month", lang))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    return fig


def forecast_band(
    history: pd.Series | None,
    fc: pd.DataFrame,
    lang: str,
    *,
    y_title: str,
    names: dict[str, str],
) -> go.Figure:
    """Recent history and a forecast with its P10–P90 band (kWh per interval)."""
    fig = go.Figure()
    x = _naive_local(pd.DatetimeIndex(fc.index))
    fig.add_trace(
        go.Scatter(x=x, y=fc["p90"].to_numpy(), mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip")
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=fc["p10"].to_numpy(),
            mode="lines",
            line=dict(width=0),
            fill="tonexty",
            fillcolor=_rgba(ORANGE, 0.3),
            name=names["band"],
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(x=x, y=fc["p50"].to_numpy(), mode="lines", line=dict(color=VERMILION, width=2), name=names["p50"])
    )
    if history is not None and len(history):
        hx = _naive_local(pd.DatetimeIndex(history.index))
        fig.add_trace(
            go.Scatter(
                x=hx, y=history.to_numpy(), mode="lines", line=dict(color=BLUE, width=1.5), name=names["history"]
            )
        )
    _style(fig, lang, height=380, y_title=y_title, x_title=axis("datetime", lang))
    _date_axis(fig, lang)
    return fig


def monthly_projection(fc: pd.DataFrame, lang: str, *, y_title: str, names: dict[str, str]) -> go.Figure:
    """Monthly totals P50 as bars with P10–P90 whiskers [kWh]."""
    idx = pd.DatetimeIndex(fc.index)
    if idx.tz is not None:
        idx = idx.tz_convert("Europe/Berlin").tz_localize(None)
    labels = [fmt.month_label(m, lang) for m in idx]
    p10, p50, p90 = (fc[c].to_numpy() for c in ("p10", "p50", "p90"))
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=p50,
            marker_color=SKY,
            name=names["p50"],
            error_y=dict(
                type="data", symmetric=False, array=p90 - p50, arrayminus=p50 - p10, color=BLUE, thickness=1.5
            ),
            customdata=[
                [fmt.kwh(a, 0, lang), fmt.kwh(b, 0, lang), fmt.kwh(c, 0, lang)]
                for a, b, c in zip(p10, p50, p90, strict=True)
            ],
            hovertemplate="%{x}: %{customdata[1]} (P10 %{customdata[0]} – P90 %{customdata[2]})<extra></extra>",
        )
    )
    _style(fig, lang, height=340, y_title=y_title, x_title=axis("month", lang))
    fig.update_xaxes(type="category")
    return fig


def sizing(
    frame: pd.DataFrame,
    lang: str,
    *,
    x_col: str,
    y_cols: dict[str, str],
    x_title: str,
    y_title: str,
    highlight: float | None = None,
) -> go.Figure:
    """Lines of PV figures (e.g. savings, autarky) over the system size."""
    fig = go.Figure()
    for i, (col, label) in enumerate(y_cols.items()):
        fig.add_trace(
            go.Scatter(
                x=frame[x_col].to_numpy(),
                y=frame[col].to_numpy(),
                mode="lines+markers",
                name=label,
                line=dict(color=PALETTE[i % len(PALETTE)], width=2),
                marker=dict(symbol=("circle", "square", "diamond", "triangle-up")[i % 4], size=8),
            )
        )
    if highlight is not None:
        fig.add_vline(x=highlight, line=dict(color=GREY, dash="dot"))
    _style(fig, lang, height=360, y_title=y_title, x_title=x_title)
    return fig


def day_energy_flows(frame: pd.DataFrame, lang: str, *, names: dict[str, str], y_title: str) -> go.Figure:
    """One day's load and PV generation (kWh per interval), columns named in ``names``."""
    x = _naive_local(pd.DatetimeIndex(frame.index))
    fig = go.Figure()
    colours = {0: BLUE, 1: ORANGE, 2: GREEN, 3: VERMILION}
    for i, (col, label) in enumerate(names.items()):
        if col in frame:
            fig.add_trace(
                go.Scatter(
                    x=x, y=frame[col].to_numpy(), mode="lines", name=label, line=dict(color=colours[i % 4], width=2)
                )
            )
    _style(fig, lang, height=320, y_title=y_title, x_title=axis("time", lang))
    _date_axis(fig, lang)
    return fig


def ranked_bars(
    labels: Sequence[str], values: Sequence[float], lang: str, *, x_title: str, unit: str = "eur"
) -> go.Figure:
    """Horizontal bars, largest on top (e.g. savings per measure [EUR/yr]).

    Each bar's label and value stand *above* the bar, not beside the axis: long German titles then
    never squeeze the plotting area, which keeps the full width also on a 390 px phone.
    """
    text = [fmt.eur(v, 0, lang) if unit == "eur" else fmt.kwh(v, 0, lang) for v in values]
    n = len(labels)
    wrapped = ["<br>".join(textwrap.wrap(str(lbl), LABEL_WRAP)) or str(lbl) for lbl in labels]
    lines = [w.count("<br>") + 1 for w in wrapped]
    # y positions from the top: every measure gets room for its label lines plus the bar
    ys, y = [], 0.0
    for k in lines:
        y += 0.55 * k + 0.25
        ys.append(-y)
        y += 0.6
    fig = go.Figure(
        go.Bar(
            x=list(values),
            y=ys,
            orientation="h",
            width=0.5,
            marker_color=GREEN,
            customdata=[[str(lbl), v] for lbl, v in zip(labels, text, strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        )
    )
    for w, v, yy in zip(wrapped, text, ys, strict=True):
        fig.add_annotation(
            x=0,
            y=yy + 0.3,
            xref="x",
            yref="y",
            text=f"{w}: <b>{v}</b>",
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            align="left",
            font=dict(size=13),
        )
    height = int(70 + 30 * sum(lines) + 30 * n)
    _style(fig, lang, height=max(200, height), x_title=x_title)
    fig.update_yaxes(visible=False, range=[min(ys) - 0.5, 0.1], rangemode="normal")
    fig.update_xaxes(rangemode="tozero")
    fig.update_layout(showlegend=False, margin=dict(l=10, r=20, t=10, b=10))
    return fig


def pv_sizing(
    series: dict[str, pd.DataFrame],
    lang: str,
    *,
    x_title: str,
    y_title: str,
    names: dict[str, str],
    highlight: float | None = None,
) -> go.Figure:
    """Annual savings [EUR/yr] over system size, one line per battery choice; autarky in the hover."""
    fig = go.Figure()
    for i, (key, frame) in enumerate(series.items()):
        if frame.empty:
            continue
        custom = [
            [fmt.eur(s, 0, lang), fmt.percent(a, 0, lang), fmt.percent(c, 0, lang), fmt.years(p, 1, lang)]
            for s, a, c, p in zip(
                frame["annual_savings_eur"],
                frame["autarky_share"],
                frame["self_consumption_share"],
                frame["payback_years"],
                strict=True,
            )
        ]
        fig.add_trace(
            go.Scatter(
                x=frame["size"].to_numpy(),
                y=frame["annual_savings_eur"].to_numpy(),
                mode="lines+markers",
                name=names.get(key, key),
                line=dict(color=(BLUE, ORANGE)[i % 2], width=2, dash=("solid", "dash")[i % 2]),
                marker=dict(symbol=("circle", "square")[i % 2], size=8),
                customdata=custom,
                hovertemplate=(
                    f"%{{x}}: %{{customdata[0]}} · {i18n.text('chart.autarky', lang)} %{{customdata[1]}} · "
                    f"{i18n.text('chart.self_use', lang)} %{{customdata[2]}} · %{{customdata[3]}}<extra></extra>"
                ),
            )
        )
    if highlight is not None:
        fig.add_vline(x=highlight, line=dict(color=GREY, dash="dot"))
    _style(fig, lang, height=360, y_title=y_title, x_title=x_title)
    return fig
