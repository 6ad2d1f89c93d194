"""Portfolio view of a batch: peer groups, the aggregated 12-month forecast and the overview page.

Peer groups
    Households with a measured curve and known ``persons`` and ``dwelling`` are grouped by
    persons × dwelling. A group is used for comparison only when it holds at least
    :data:`MIN_PEER_GROUP_SIZE` households (issue 9: smaller groups say little and come close to
    identifying neighbours; § 52(3) MsbG names aggregation of at least five connection users as
    anonymisation, this is stricter). Households outside such a group are compared with the
    Stromspiegel only.

Aggregated forecast
    The portfolio's P50 per month is the sum of the households' monthly P50. Its band is taken from
    the distribution of the *total*: each household's month is drawn from a split normal through its
    own P10/P50/P90 (independently between households, a fixed random seed so the page is the same in
    every run), the draws are summed, and the 10th and 90th percentiles of the sums form the band.
    Independence makes the band narrower than the sum of the households' bands; that conservative
    envelope (sum of P10s, sum of P90s, as if all households erred the same way) is shown as well.
    Months are aligned by forecast horizon (month 1..12 after each household's data); the label is
    the most common calendar month at that horizon.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.batch.grid_peak import NO_POSTAL_CODE
from advisor.batch.process import KeyFigures, PeerGroup
from advisor.evaluate.anonymity import k_anonymous_bins, k_anonymous_counts, k_anonymous_ordered_counts
from advisor.texts import render

MIN_PEER_GROUP_SIZE = 20
Z_P90 = 1.2815515655446004  # standard normal quantile at 0.9
FORECAST_DRAWS = 4000
FORECAST_SEED = 20240901
HOUSEHOLD_CHUNK = 200


def possible_peer_groups(items, min_size: int = MIN_PEER_GROUP_SIZE) -> bool:
    """True when META alone puts at least ``min_size`` households in one group."""
    counts = Counter(i.peer_group for i in items if None not in i.peer_group and not i.skipped_reason)
    return any(n >= min_size for n in counts.values())


def build_peer_groups(
    items, figures: dict[str, KeyFigures], min_size: int = MIN_PEER_GROUP_SIZE
) -> dict[tuple, PeerGroup]:
    """Peer groups of at least ``min_size`` measured households (the run's k, seed
    ``evaluation.k_anonymity``; never fewer than :data:`MIN_PEER_GROUP_SIZE`)."""
    min_size = max(int(min_size), MIN_PEER_GROUP_SIZE)
    values: dict[tuple, list[float]] = {}
    for item in items:
        kf = figures.get(item.key)
        if kf is None or kf.status != "ok" or not kf.measured or None in item.peer_group:
            continue
        if kf.annual_kwh is None or not np.isfinite(kf.annual_kwh):
            continue
        values.setdefault(item.peer_group, []).append(float(kf.annual_kwh))
    return {
        g: PeerGroup(g[0], g[1], len(v), tuple(sorted(v)))
        for g, v in sorted(values.items(), key=lambda kv: (kv[0][0], kv[0][1]))
        if len(v) >= min_size
    }


@dataclass(frozen=True)
class PortfolioForecast:
    """The portfolio's consumption in the next 12 months [kWh per month].

    Attributes
    ----------
    months
        Label per horizon month (``YYYY-MM``).
    p50_kwh
        Sum of the households' monthly P50.
    p10_kwh, p90_kwh
        10th and 90th percentile of the simulated portfolio total (independent households).
    envelope_low_kwh, envelope_high_kwh
        Sum of the households' P10 and P90 (fully dependent households).
    n_households
        Households that contributed.
    """

    months: tuple[str, ...]
    p50_kwh: tuple[float, ...]
    p10_kwh: tuple[float, ...]
    p90_kwh: tuple[float, ...]
    envelope_low_kwh: tuple[float, ...]
    envelope_high_kwh: tuple[float, ...]
    n_households: int


def aggregate_forecast(monthly: list[dict]) -> PortfolioForecast | None:
    """Aggregate households' ``{"YYYY-MM": [p10, p50, p90]}`` forecasts (see module docstring)."""
    rows = []
    labels: list[Counter] = [Counter() for _ in range(12)]
    for m in monthly:
        if not m or len(m) < 12:
            continue
        keys = sorted(m)[:12]
        rows.append([m[k] for k in keys])
        for h, k in enumerate(keys):
            labels[h][k] += 1
    if not rows:
        return None
    q = np.asarray(rows, dtype=float)  # households × 12 × (p10, p50, p90)
    p10, p50, p90 = q[..., 0], q[..., 1], q[..., 2]
    sigma_low = np.clip(p50 - p10, 0, None) / Z_P90
    sigma_high = np.clip(p90 - p50, 0, None) / Z_P90
    rng = np.random.default_rng(FORECAST_SEED)
    totals = np.zeros((FORECAST_DRAWS, 12))
    for s in range(0, len(q), HOUSEHOLD_CHUNK):
        sl = slice(s, s + HOUSEHOLD_CHUNK)
        z = rng.standard_normal((FORECAST_DRAWS, p50[sl].shape[0], 12))
        draw = p50[sl] + np.where(z < 0, z * sigma_low[sl], z * sigma_high[sl])
        totals += np.clip(draw, 0, None).sum(axis=1)
    lo, hi = np.percentile(totals, [10, 90], axis=0)
    return PortfolioForecast(
        months=tuple(c.most_common(1)[0][0] for c in labels),
        p50_kwh=tuple(float(x) for x in p50.sum(axis=0)),
        p10_kwh=tuple(float(x) for x in lo),
        p90_kwh=tuple(float(x) for x in hi),
        envelope_low_kwh=tuple(float(x) for x in p10.sum(axis=0)),
        envelope_high_kwh=tuple(float(x) for x in p90.sum(axis=0)),
        n_households=len(q),
    )


# ---------------------------------------------------------------------- charts
def _svg(fig) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "energie-advisor", "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _figure(width_in: float = 6.4, height_in: float = 3.0):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in))
    ax = fig.add_subplot(1, 1, 1)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _bars(labels: list[str], counts: list[int], xlabel: str, color: str, language: str = "de") -> str:
    fig, ax = _figure()
    ax.bar(range(len(labels)), counts, color=color)
    ax.set_xticks(range(len(labels)), labels, rotation=30 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(render("portfolio.households", language))
    return _svg(fig)


def _bin_label(b, unit: str, language: str = "de") -> str:
    from advisor.measures import format_number

    def f(x):
        return format_number(float(x), language, 0)

    if b.low is None and b.high is None:
        return render("portfolio.all", language)
    if b.low is None:
        return f"< {f(b.high)}"
    if b.high is None:
        return f"≥ {f(b.low)}"
    return f"{f(b.low)}–{f(b.high)}"


def class_chart(summary: pd.DataFrame, k: int = MIN_PEER_GROUP_SIZE, language: str = "de") -> str | None:
    """Bar chart of households per Stromspiegel class (or per annual-kWh range without classes).

    k-anonymous (:mod:`advisor.evaluate.anonymity`): neighbouring classes below ``k`` households
    are merged (``F–G``); without classes the kWh ranges have rounded, open-ended edges and at
    least ``k`` households each. Below ``k`` households in total there is no chart.
    """
    ok = summary[summary["status"] == "ok"]
    classes = ok["stromspiegel_class"].dropna()
    if len(classes):
        counts = classes.value_counts().sort_index()
        bars = k_anonymous_ordered_counts(list(counts.items()), k)
        if not bars:
            return None
        return _bars(
            [b[0] for b in bars], [b[1] for b in bars], render("portfolio.class_axis", language), "#2a7ab0", language
        )
    bins = k_anonymous_bins(ok["annual_kwh"].dropna().to_numpy(), k, step=100.0)
    if not bins:
        return None
    return _bars(
        [_bin_label(b, "kWh", language) for b in bins],
        [b.n_households for b in bins],
        render("portfolio.kwh_axis", language),
        "#2a7ab0",
        language,
    )


def savings_chart(summary: pd.DataFrame, k: int = MIN_PEER_GROUP_SIZE, language: str = "de") -> str | None:
    """Households per range of savings potential [EUR/yr]; ranges of at least ``k`` households."""
    s = summary.loc[summary["status"] == "ok", "savings_potential_eur"].dropna()
    bins = k_anonymous_bins(s.to_numpy(), k, step=10.0)
    if not bins:
        return None
    return _bars(
        [_bin_label(b, "EUR", language) for b in bins],
        [b.n_households for b in bins],
        render("portfolio.savings_axis", language),
        "#3c9a5f",
        language,
    )


def forecast_chart(fc: PortfolioForecast | None, language: str = "de") -> str | None:
    """The aggregated 12-month forecast with its bands [MWh per month]."""
    if fc is None:
        return None
    fig, ax = _figure()
    x = np.arange(12)
    mwh = lambda v: np.asarray(v) / 1000.0  # noqa: E731
    ax.fill_between(
        x, mwh(fc.envelope_low_kwh), mwh(fc.envelope_high_kwh), color="#f0c27b", alpha=0.35, label=render("portfolio.band_sum", language)
    )
    ax.fill_between(x, mwh(fc.p10_kwh), mwh(fc.p90_kwh), color="#e07b39", alpha=0.5, label=render("portfolio.band_total", language))
    ax.plot(x, mwh(fc.p50_kwh), color="#8c2d04", marker="o", label="P50")
    ax.set_xticks(x, fc.months, rotation=45, ha="right")
    ax.set_ylabel(render("portfolio.mwh_axis", language))
    ax.legend(frameon=False, fontsize=8)
    return _svg(fig)


# ---------------------------------------------------------------------- page
def _area_label(row, language: str = "de") -> str:
    """A published grid-peak area in words."""
    if row.level == "zone":
        if row.area == NO_POSTAL_CODE:
            return render("portfolio.grid.no_postal_code", language)
        return render("portfolio.grid.zone", language, {"zone": f"{row.area}…"})
    if row.level == "rest":
        return render("portfolio.grid.rest", language)
    return row.area


def render_portfolio(
    summary: pd.DataFrame,
    fc: PortfolioForecast | None,
    peers: dict,
    title: str = "",
    seeds=None,
    k: int = MIN_PEER_GROUP_SIZE,
    retention_until=None,
    language: str = "de",
    grid=None,
) -> str:
    """The portfolio HTML page (template ``advisor/templates/batch/portfolio.html.j2``) in
    ``language`` (German by default; words from ``portfolio.po``, numbers by the one formatter).

    ``seeds`` give the measures' German titles (else their ids are shown). Every group figure
    covers at least ``k`` households: charts and the measures table merge small groups, and
    the totals and the aggregated forecast are left out below ``k`` households.
    ``retention_until`` (a date) is printed as the day the run's personal data are to be deleted.
    ``grid`` (:class:`advisor.batch.grid_peak.GridPeaks`) adds the k-anonymous coincident peak by
    postal area before and after electrifying the candidates.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    from advisor.measures import format_number, measure_catalog

    env = Environment(loader=PackageLoader("advisor", "templates/batch"), autoescape=select_autoescape(["html", "j2"]))
    env.filters["num"] = lambda x, decimals=0: format_number(None if x is None else float(x), language, decimals)
    env.globals["_"] = lambda code, **params: render(code, language, params)
    titles = {}
    if seeds is not None:
        titles = {mid: m.title(language) for mid, m in measure_catalog(seeds).items()}
    ok = summary[summary["status"] == "ok"]
    top = (
        ok.dropna(subset=["savings_potential_eur"])
        .sort_values(["savings_potential_eur", "household"], ascending=[False, True], kind="stable")
        .head(20)
    )
    measures = ok["top_measure"].dropna().value_counts()
    measures = [(titles.get(m, m), int(n)) for m, n in sorted(measures.items(), key=lambda kv: (-kv[1], kv[0]))]
    measures = k_anonymous_counts(measures, k, other=render("portfolio.other_measures", language))
    top = top.assign(top_measure=top["top_measure"].map(lambda m: titles.get(m, m) if isinstance(m, str) else ""))
    enough = len(ok) >= k
    forecast_suppressed = fc is not None and fc.n_households < k
    if forecast_suppressed:
        fc = None
    counts = summary["status"].value_counts()
    context = {
        "lang": language,
        "title": title or "Portfolio",
        "n_households": len(summary),
        "n_ok": int(counts.get("ok", 0)),
        "n_control": int((ok["group"] == "control").sum()) if "group" in ok.columns else 0,
        "n_letters": int((ok["letter_html"].notna() | ok["letter_pdf"].notna()).sum()),
        "n_error": int(counts.get("error", 0)),
        "n_skipped": int(counts.get("skipped", 0)),
        "n_insufficient": int(counts.get("insufficient_data", 0)),
        "n_estimated": int((ok["data_source"] == "estimated").sum()),
        "annual_mwh": float(ok["annual_kwh"].sum()) / 1000.0 if enough else None,
        "savings_eur": float(ok["savings_potential_eur"].sum()) if enough else None,
        "savings_mwh": float(ok["savings_potential_kwh"].sum()) / 1000.0 if enough else None,
        "class_svg": class_chart(summary, k, language),
        "savings_svg": savings_chart(summary, k, language),
        "k": k,
        "forecast_suppressed": forecast_suppressed,
        "retention_until": retention_until,
        "forecast_svg": forecast_chart(fc, language),
        "forecast": fc,
        "top": top.to_dict("records"),
        "measures": measures,
        "peers": list(peers.values()),
        "grid": grid,
        "area_label": lambda row: _area_label(row, language),
        "min_peer": MIN_PEER_GROUP_SIZE,
    }
    return env.get_template("portfolio.html.j2").render(**context)
