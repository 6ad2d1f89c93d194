"""Savings measures: the cited catalog (``seeds/measures.csv``) and the recommender.

:func:`recommend` turns an analysis of the household's curve, what the household told us, the PV
options and the tariff comparison into a ranked list of :class:`Recommendation` (EUR per year,
highest first). Savings come from the household's own curve wherever the curve shows them:

* **standby**: measured base load over a seeded efficient floor;
* **circulation pump**: the detected night-floor step in the heating season;
* **water heater**: the detected instantaneous-heater peaks;
* **PV, balcony PV, battery**: the PV simulation on the curve (when given);
* **dynamic tariff, load shifting, § 14a**: the simulated year (:mod:`advisor.tariffs`).

Otherwise the catalog figure is used with the household's answers and labelled an estimate.

Rules: measures that exclude each other are resolved (one PV product; the battery only with a
roof PV system; standby savings exclude what a fridge replacement already saves; load shifting
only with the dynamic tariff), applicability follows the household (no roof PV for tenants or
flats, no water-heater measure without electric hot water, § 14a only with a heat pump or EV),
and savings are never negative and, summed in rank order, never exceed the consumption.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from advisor.errors import SeedError

LANGUAGES = ("de", "en")
BASIS_TEXT = {
    "measured": {"de": "gemessen an Ihrer Lastkurve", "en": "measured from your curve"},
    "simulated": {"de": "simuliert mit Ihrer Lastkurve", "en": "simulated on your curve"},
    "estimate": {"de": "Schätzung aus Katalogwerten", "en": "estimate from catalog"},
}
CONFIDENCE_TEXT = {
    "high": {"de": "hoch", "en": "high"},
    "medium": {"de": "mittel", "en": "medium"},
    "low": {"de": "gering", "en": "low"},
}
MIN_SAVING_EUR = 1.0
#: Signatures whose energy is not "household electricity" (lighting/appliance shares exclude them).
BIG_DEVICES = ("ev_charging", "heat_pump", "night_storage_heating")
#: Groups whose kWh is grid purchase replaced by own generation: capped after the efficiency measures.
GENERATION_GROUPS = ("pv", "battery")  # below one euro a year a measure is not worth a line


# ---------------------------------------------------------------------------------- formats
def format_number(x: float | None, language: str = "de", decimals: int = 0) -> str:
    """A number in German (``1.234,5``) or English (``1,234.5``) notation; ``–`` for None/NaN."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    text = f"{x:,.{decimals}f}"
    if language == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_date(ts: Any, language: str = "de") -> str:
    """A date as ``24.11.2026`` (German) or ``2026-11-24`` (English)."""
    if ts is None:
        return "–"
    return ts.strftime("%d.%m.%Y") if language == "de" else ts.strftime("%Y-%m-%d")


# ---------------------------------------------------------------------------------- catalog
@dataclass(frozen=True)
class Measure:
    """One catalog row of ``seeds/measures.csv`` (see ``docs/measures.md`` for the columns)."""

    measure_id: str
    group: str
    applies_if: str
    estimate_if: str
    saving_kwh_per_year: float | None
    saving_eur_per_year: float | None
    investment_eur: float | None
    lifetime_years: float
    confidence_estimate: str
    params: dict[str, float]
    title_de: str
    title_en: str
    explanation_de: str
    explanation_en: str
    estimate_de: str
    estimate_en: str
    source: str
    date: str
    verify: bool = False
    note: str = ""

    def title(self, language: str) -> str:
        return self.title_de if language == "de" else self.title_en

    def template(self, language: str, basis: str) -> str:
        """The explanation template for a basis (measured/simulated or estimate)."""
        if basis == "estimate":
            return self.estimate_de if language == "de" else self.estimate_en
        return self.explanation_de if language == "de" else self.explanation_en

    def param(self, name: str) -> float:
        try:
            return self.params[name]
        except KeyError:
            raise SeedError(f"measure `{self.measure_id}` lacks parameter `{name}` in seeds/measures.csv") from None

    def cite(self) -> str:
        return f"{self.source} ({self.date})"


def _num(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def _params(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, _, value = part.partition("=")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            raise SeedError(f"measures.csv: parameter `{part}` is not `name=number`") from None
    return out


#: Parsed catalogs of this process: id of the seeds' ``measures`` table -> (that table, catalog).
#: Seed tables are read-only (``Seeds.table`` hands out copies), so a catalog is parsed once per
#: process and seeds object and reused for every household (a batch worker keeps its seeds).
_CATALOGS: dict[int, tuple[Any, dict[str, Measure]]] = {}


def measure_catalog(seeds) -> dict[str, Measure]:
    """The measure catalog from ``seeds`` (table ``measures``), keyed by ``measure_id``.

    Parsed once per seeds table and process; each call returns a new dict of the (frozen) measures.

    Raises
    ------
    SeedError
        The table is missing, a row lacks its German/English title, or a parameter is unreadable.
    """
    source = getattr(seeds, "tables", {}).get("measures")
    hit = _CATALOGS.get(id(source)) if source is not None else None
    if hit is not None and hit[0] is source:
        return dict(hit[1])
    out = _parse_catalog(seeds.table("measures"))
    if source is not None:
        if len(_CATALOGS) >= 8:
            _CATALOGS.clear()
        _CATALOGS[id(source)] = (source, out)
    return dict(out)


def _parse_catalog(table) -> dict[str, Measure]:
    out: dict[str, Measure] = {}
    for _, row in table.iterrows():
        m = Measure(
            measure_id=_text(row["measure_id"]),
            group=_text(row["group"]),
            applies_if=_text(row["applies_if"]),
            estimate_if=_text(row["estimate_if"]),
            saving_kwh_per_year=_num(row["saving_kwh_per_year"]),
            saving_eur_per_year=_num(row["saving_eur_per_year"]),
            investment_eur=_num(row["investment_eur"]),
            lifetime_years=_num(row["lifetime_years"]) or 1.0,
            confidence_estimate=_text(row["confidence_estimate"]) or "low",
            params=_params(_text(row["params"])),
            title_de=_text(row["title_de"]),
            title_en=_text(row["title_en"]),
            explanation_de=_text(row["explanation_de"]),
            explanation_en=_text(row["explanation_en"]),
            estimate_de=_text(row["estimate_de"]),
            estimate_en=_text(row["estimate_en"]),
            source=_text(row["source"]),
            date=_text(row["date"]),
            verify=_text(row.get("verify")).lower() == "true",
            note=_text(row.get("note")),
        )
        if not (m.title_de and m.title_en):
            raise SeedError(f"measures.csv: `{m.measure_id}` needs title_de and title_en")
        out[m.measure_id] = m
    return out


# ---------------------------------------------------------------------------------- result
@dataclass(frozen=True)
class Recommendation:
    """One recommended measure for one household.

    Attributes
    ----------
    measure_id
        Catalog id (``seeds/measures.csv``).
    title_de, title_en
        Title in German and English.
    explanation_de, explanation_en
        Short explanation naming the evidence (figures from the curve or the catalog).
    annual_savings_kwh
        Electricity saved or grid purchase avoided [kWh/yr], >= 0.
    annual_savings_eur
        Money saved [EUR/yr], >= 0.
    annual_co2_kg
        CO₂ avoided [kg/yr] (UBA factor of the German mix).
    investment_eur
        One-off cost [EUR].
    payback_years
        ``investment_eur / annual_savings_eur`` [yr]; 0 without investment.
    confidence
        ``"high"``, ``"medium"`` or ``"low"``.
    basis
        ``"measured"`` (from your curve), ``"simulated"`` (simulated on your curve) or
        ``"estimate"`` (from the catalog).
    sources
        Citations (source and date) behind the figures.
    lifetime_years
        Useful life assumed [yr].
    rank
        1 = highest EUR/yr.
    """

    measure_id: str
    title_de: str
    title_en: str
    explanation_de: str
    explanation_en: str
    annual_savings_kwh: float
    annual_savings_eur: float
    annual_co2_kg: float
    investment_eur: float
    payback_years: float | None
    confidence: str
    basis: str
    sources: tuple[str, ...]
    lifetime_years: float = 1.0
    rank: int = 0

    def title(self, language: str = "de") -> str:
        return self.title_de if language == "de" else self.title_en

    def explanation(self, language: str = "de") -> str:
        return self.explanation_de if language == "de" else self.explanation_en

    def basis_text(self, language: str = "de") -> str:
        return BASIS_TEXT[self.basis][language]

    def confidence_text(self, language: str = "de") -> str:
        return CONFIDENCE_TEXT[self.confidence][language]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sources"] = list(self.sources)
        d["basis_text_de"] = self.basis_text("de")
        d["basis_text_en"] = self.basis_text("en")
        return d


@dataclass(frozen=True)
class _Draft:
    measure: Measure
    kwh: float
    eur: float
    investment: float
    basis: str
    confidence: str
    values: dict[str, Any] = field(default_factory=dict)  # placeholders (numbers formatted later)
    extra_sources: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------- rules
def household_facts(household, analysis, low_income: bool | None = None) -> dict[str, Any]:
    """What the applicability rules look at: the household's answers, ``low_income`` and detected signatures."""
    f = {} if household is None else dict(household.to_mapping())
    if low_income is not None or "low_income" not in f:
        f["low_income"] = low_income
    f["signatures"] = {s.name for s in getattr(analysis, "signatures", ()) if getattr(s, "detected", False)}
    return f


def _atom(atom: str, facts: dict[str, Any]) -> bool:
    """One condition: ``field=value``, ``field!=value`` (unknown passes), ``field<=number``
    (unknown passes), ``signature:name`` (detected), ``!signature:name`` (not detected)."""
    atom = atom.strip()
    if not atom:
        return True
    if atom.startswith("!signature:"):
        return not _atom(atom[1:], facts)
    if atom.startswith("signature:"):
        name = atom.split(":", 1)[1]
        aliases = {"ev": "ev_charging", "night_storage": "night_storage_heating"}
        return name in facts["signatures"] or aliases.get(name, name) in facts["signatures"]
    for op in ("!=", "<=", "="):
        if op in atom:
            key, value = (p.strip() for p in atom.split(op, 1))
            have = facts.get(key)
            if op == "<=":
                return have is None or float(have) <= float(value)
            if isinstance(have, bool):
                have = "true" if have else "false"
            if op == "!=":
                return have is None or str(have) != value
            return have is not None and str(have) == value
    raise SeedError(f"measures.csv: cannot read the condition `{atom}`")


def applies(rule: str, facts: dict[str, Any]) -> bool:
    """A rule of ``;``-joined conditions (all must hold), each a ``|``-joined alternative."""
    return all(any(_atom(a, facts) for a in part.split("|")) for part in rule.split(";") if part.strip())


# ---------------------------------------------------------------------------------- helpers
def _detected(analysis, name: str):
    for s in getattr(analysis, "signatures", ()):
        if s.name == name and getattr(s, "detected", False):
            return s
    return None


def _finite(x: Any) -> bool:
    return x is not None and isinstance(x, (int, float)) and math.isfinite(x)


def _estimate(m: Measure, price: float, annual_kwh: float) -> tuple[float, float]:
    kwh = m.saving_kwh_per_year
    if kwh is None and "saving_share" in m.params and _finite(annual_kwh):
        kwh = annual_kwh * m.params["saving_share"]
    if kwh is not None and "reference_annual_kwh" in m.params and _finite(annual_kwh):
        kwh *= min(1.0, annual_kwh / m.params["reference_annual_kwh"])
    if kwh is not None and "max_share_of_consumption" in m.params and _finite(annual_kwh):
        kwh = min(kwh, annual_kwh * m.params["max_share_of_consumption"])
    if kwh is None and m.saving_eur_per_year is not None:
        kwh = m.saving_eur_per_year / price
    eur = m.saving_eur_per_year if m.saving_eur_per_year is not None else (kwh or 0.0) * price
    return max(0.0, kwh or 0.0), max(0.0, eur)


def _pv_attr(opt: Any, *names: str) -> Any:
    for n in names:
        v = getattr(opt, n, None)
        if v is not None:
            return v
    return None


# ---------------------------------------------------------------------------------- recommend
def recommend(
    analysis,
    household=None,
    *,
    seeds,
    pv_options=None,
    tariff_comparison=None,
    low_income: bool | None = None,
    catalog: dict[str, Measure] | None = None,
) -> list[Recommendation]:
    """Rank the savings measures that apply to this household by EUR per year.

    Parameters
    ----------
    analysis
        :class:`~advisor.analysis.LoadAnalysis` of the household's curve (``annual_kwh``,
        ``base_load_w``, ``signatures``, ``data_quality``).
    household
        :class:`~advisor.household.Household` (answers; unknown stays unknown).
    seeds
        :class:`~advisor.seeds.Seeds` (``measures`` table, ``tariffs``, ``tariff_components``,
        ``emissions``).
    pv_options
        PV options simulated on the curve (:func:`advisor.pv.size_pv`), or None for catalog
        estimates.
    tariff_comparison
        :class:`~advisor.tariffs.TariffComparison` of the curve, or None (no tariff measures).
    low_income
        True if the household qualifies for the Caritas Stromspar-Check (unknown: not shown).
    catalog
        A catalog to use instead of ``measure_catalog(seeds)``.

    Returns
    -------
    list of Recommendation
        Highest EUR/yr first; every saving >= 0 and the kWh savings sum to at most the annual
        consumption.
    """
    cat = catalog if catalog is not None else measure_catalog(seeds)
    price = getattr(household, "price_eur_per_kwh", None) or float(seeds.value("tariffs.household_price_eur_per_kwh"))
    co2_g = float(seeds.value("emissions.co2_g_per_kwh"))
    dq = getattr(analysis, "data_quality", None)
    quality = getattr(dq, "score", None)
    measured_conf = "high" if quality is not None and quality >= 0.8 else "medium"
    # a curve modelled from an annual figure shows no household behaviour: no "measured" savings
    modelled = (getattr(dq, "estimated_share", 0.0) or 0.0) >= 0.5
    if modelled:
        analysis = _WithoutCurveEvidence(analysis)
    annual = float(getattr(analysis, "annual_kwh", float("nan")))
    facts = household_facts(household, analysis, low_income)
    devices_kwh = sum(
        float(s.annual_kwh)
        for s in getattr(analysis, "signatures", ())
        if getattr(s, "detected", False) and s.name in BIG_DEVICES and _finite(s.annual_kwh)
    )
    household_kwh = max(0.0, annual - devices_kwh) if _finite(annual) else annual
    drafts: list[_Draft] = []

    def ok(mid: str) -> Measure | None:
        m = cat.get(mid)
        return m if m is not None and applies(m.applies_if, facts) else None

    # --- circulation pump (measured signature, else estimate for a known house with other heating)
    m = ok("circulation_pump")
    if m is not None:
        sig = _detected(analysis, "circulation_pump")
        if sig is not None and _finite(sig.power_w) and sig.power_w > 0:
            pump_kwh = (
                sig.annual_kwh if _finite(sig.annual_kwh) else sig.power_w * 24 * m.param("heating_season_days") / 1000
            )
            kwh = pump_kwh * (1 - m.param("new_pump_share"))
            nights = _pump_nights(sig.evidence)
            drafts.append(
                _Draft(
                    m,
                    kwh,
                    kwh * price,
                    m.investment_eur or 0.0,
                    "measured",
                    measured_conf,
                    {"pump_w": (sig.power_w, 0), "pump_kwh": (pump_kwh, 0), "pump_nights": nights},
                )
            )
        elif applies(m.estimate_if, facts):
            kwh, eur = _estimate(m, price, annual)
            drafts.append(_Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate))

    # --- fridge replacement (estimate; counted before standby so standby does not count it twice)
    fridge_w = 0.0
    m = ok("fridge_replacement")
    if m is not None:
        kwh, eur = _estimate(m, price, annual)
        drafts.append(_Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate))
        fridge_w = kwh * 1000 / 8760

    # --- standby from the measured base load
    m = ok("standby")
    if m is not None:
        base_w = getattr(analysis, "base_load_w", float("nan"))
        if _finite(base_w):
            floor = m.param("efficient_floor_w")
            excess_w = max(0.0, base_w - floor - fridge_w)
            kwh = excess_w * 8760 / 1000 * m.param("avoidable_share")
            if kwh > 0:
                drafts.append(
                    _Draft(
                        m,
                        kwh,
                        kwh * price,
                        m.investment_eur or 0.0,
                        "measured",
                        measured_conf,
                        {"base_load_w": (base_w, 0), "efficient_floor_w": (floor, 0)},
                    )
                )
        else:
            kwh, eur = _estimate(m, price, annual)
            drafts.append(_Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate))

    # --- simple catalog measures
    for mid in ("led_lighting", "heat_pump_dryer", "eco_programmes"):
        m = ok(mid)
        if m is not None:
            kwh, eur = _estimate(m, price, household_kwh)
            drafts.append(_Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate))

    # --- heat-pump water heater (needs electric hot water: answer or detected heater)
    m = ok("heat_pump_water_heater")
    if m is not None:
        sig = _detected(analysis, "instantaneous_water_heater")
        kwh, eur = _estimate(m, price, annual)
        if sig is not None:
            device_kwh = sig.annual_kwh if _finite(sig.annual_kwh) else None
            if device_kwh is not None:
                kwh = min(kwh, 0.7 * device_kwh)  # 60-80 % of the heater's own energy
                eur = kwh * price
            drafts.append(
                _Draft(
                    m,
                    kwh,
                    eur,
                    m.investment_eur or 0.0,
                    "measured",
                    "medium",
                    {"device_kwh": (device_kwh, 0) if device_kwh is not None else "–"},
                )
            )
        elif applies(m.estimate_if, facts):
            drafts.append(_Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate))

    # --- PV: one product (roof or balcony), battery only with roof PV
    drafts.extend(_pv_drafts(cat, facts, analysis, household, pv_options, price, annual, measured_conf))

    # --- tariffs
    drafts.extend(_tariff_drafts(cat, facts, tariff_comparison, household, seeds))

    # --- Caritas Stromspar-Check
    m = ok("stromspar_check")
    if m is not None:
        kwh, eur = _estimate(m, price, annual)
        drafts.append(_Draft(m, kwh, eur, 0.0, "estimate", m.confidence_estimate))

    return _finish(drafts, price, co2_g, annual)


class _WithoutCurveEvidence:
    """An analysis seen without what only a measured curve can show (base load, signatures)."""

    def __init__(self, analysis) -> None:
        self.annual_kwh = getattr(analysis, "annual_kwh", float("nan"))
        self.base_load_w = float("nan")
        self.signatures = ()
        self.data_quality = getattr(analysis, "data_quality", None)


def _pump_nights(evidence: str) -> str:
    """The share of heating-season nights from the signature evidence (``"on 93 % of …"``)."""
    import re

    hit = re.search(r"on (\d+) %", evidence or "")
    return f"{hit.group(1)} %" if hit else "–"


def _simulated_draft(measure, o: dict[str, Any]) -> _Draft:
    """A PV draft from the PV simulation on the household's own curve."""
    return _Draft(
        measure,
        o["self_kwh"],
        o["eur"],
        o["investment"],
        "simulated",
        "medium",
        {"size": o["size"], "yield_kwh": (o["yield_kwh"], 0), "investment": (o["investment"], 0)},
    )


def _pv_drafts(cat, facts, analysis, household, pv_options, price, annual, measured_conf) -> list[_Draft]:
    out: list[_Draft] = []
    roof = cat.get("rooftop_pv")
    balcony = cat.get("balcony_pv")
    battery = cat.get("battery")
    roof_ok = roof is not None and applies(roof.applies_if, facts)
    balcony_ok = balcony is not None and applies(balcony.applies_if, facts)
    existing_kwp = facts.get("existing_pv_kwp") or 0.0
    sim = _simulated_pv(pv_options)
    pv_roof: _Draft | None = None
    if roof_ok:
        if sim.get("rooftop") is not None:
            pv_roof = _simulated_draft(roof, sim["rooftop"])
        elif applies(roof.estimate_if, facts):
            p = roof.params
            kwp = min(
                max(round(2 * annual / 1000) / 2 if _finite(annual) else p["min_kwp"], p["min_kwp"]), p["max_kwp"]
            )
            yld = kwp * p["yield_kwh_per_kwp"]
            self_kwh = min(yld * p["self_consumption_share"], annual * p["max_share_of_consumption"])
            eur = self_kwh * price + (yld - self_kwh) * p["feed_in_eur_per_kwh"]
            inv = kwp * p["cost_eur_per_kwp"]
            pv_roof = _Draft(
                roof,
                self_kwh,
                eur,
                inv,
                "estimate",
                roof.confidence_estimate,
                {"size": ("kWp", kwp), "yield_kwh": (yld, 0), "investment": (inv, 0)},
            )
    pv_balcony: _Draft | None = None
    if balcony_ok:
        if sim.get("balcony") is not None:
            pv_balcony = _simulated_draft(balcony, sim["balcony"])
        else:
            p = balcony.params
            self_kwh = min(p["yield_kwh"] * p["self_consumption_share"], annual * p["max_share_of_consumption"])
            pv_balcony = _Draft(
                balcony,
                self_kwh,
                self_kwh * price,
                balcony.investment_eur or 0.0,
                "estimate",
                balcony.confidence_estimate,
                {"size": ("W", p["peak_w"]), "yield_kwh": (p["yield_kwh"], 0)},
            )
    # one PV product: the roof system if it applies (it supersedes the balcony device)
    chosen = pv_roof or pv_balcony
    if chosen is not None:
        out.append(chosen)
    # battery: only with a roof system (recommended or existing)
    if battery is not None and applies(battery.applies_if, facts) and (pv_roof is not None or existing_kwp > 0):
        if sim.get("battery") is not None:
            o = sim["battery"]
            out.append(
                _Draft(
                    battery,
                    o["self_kwh"],
                    o["eur"],
                    o["investment"],
                    "simulated",
                    "medium",
                    {"size": o["size"], "investment": (o["investment"], 0)},
                )
            )
        else:
            p = battery.params
            if pv_roof is not None:
                kwp = pv_roof.values["size"][1] if pv_roof.values["size"][0] == "kWp" else existing_kwp
            else:
                kwp = existing_kwp
            if kwp > 0:
                roof_p = roof.params if roof is not None else {"yield_kwh_per_kwp": 1000.0}
                yld = kwp * roof_p["yield_kwh_per_kwp"]
                base_self = pv_roof.kwh if pv_roof is not None else yld * p["self_consumption_share_without"]
                cap = annual * p["max_share_of_consumption"] if _finite(annual) else yld
                extra = max(0.0, min(yld * p["self_consumption_share_with"], cap) - base_self)
                cap_kwh = kwp * p["capacity_kwh_per_kwp"]
                inv = cap_kwh * p["cost_eur_per_kwh"]
                eur = extra * (price - p["feed_in_eur_per_kwh"])
                out.append(
                    _Draft(
                        battery,
                        extra,
                        eur,
                        inv,
                        "estimate",
                        battery.confidence_estimate,
                        {"size": ("kWh", cap_kwh), "investment": (inv, 0)},
                    )
                )
    return out


def _simulated_pv(pv_options) -> dict[str, dict[str, Any]]:
    """Read PV options of the PV module into plain figures (rooftop / balcony / battery)."""
    out: dict[str, dict[str, Any]] = {}
    if not pv_options:
        return out
    for o in pv_options:
        row = o.to_row() if hasattr(o, "to_row") else {}
        flows = getattr(o, "flows", None)
        kind = str(row.get("kind") or _pv_attr(o, "kind", "name") or "").lower()
        key = "balcony" if "balcon" in kind or "plug" in kind else "rooftop"
        battery_kwh = row.get("battery_kwh") or _pv_attr(o, "battery_kwh") or 0.0
        self_kwh = getattr(flows, "self_consumed_kwh", None) if flows is not None else _pv_attr(o, "self_consumed_kwh")
        fig = {
            "self_kwh": float(self_kwh or 0.0),
            "eur": float(row.get("annual_savings_eur") or _pv_attr(o, "annual_savings_eur") or 0.0),
            "investment": float(row.get("investment_eur") or _pv_attr(o, "investment_eur") or 0.0),
            "yield_kwh": float(row.get("annual_yield_kwh") or _pv_attr(o, "annual_yield_kwh") or 0.0),
            "size": ("W", float(_pv_attr(o, "peak_kw") or 0.0) * 1000)
            if key == "balcony"
            else ("kWp", float(_pv_attr(o, "peak_kw") or 0.0)),
        }
        if battery_kwh > 0:
            fig["battery_kwh"] = float(battery_kwh)
            out.setdefault("_with_battery", []).append(fig)
        elif key not in out or fig["eur"] > out[key]["eur"]:
            out[key] = fig
    # battery = best PV+battery option minus the PV-only option of the same size
    if "rooftop" in out and out.get("_with_battery"):
        best = max(out["_with_battery"], key=lambda f: f["eur"])
        extra_eur = best["eur"] - out["rooftop"]["eur"]
        extra_kwh = best["self_kwh"] - out["rooftop"]["self_kwh"]
        extra_inv = best["investment"] - out["rooftop"]["investment"]
        if extra_eur > 0 and extra_kwh > 0:
            out["battery"] = {
                "self_kwh": extra_kwh,
                "eur": extra_eur,
                "investment": max(extra_inv, 0.0),
                "size": ("kWh", best["battery_kwh"]),
            }
    out.pop("_with_battery", None)
    return out


def _tariff_drafts(cat, facts, tc, household, seeds) -> list[_Draft]:
    out: list[_Draft] = []
    dyn = cat.get("dynamic_tariff")
    shift = cat.get("load_shifting")
    if tc is not None and tc.dynamic is not None and dyn is not None and applies(dyn.applies_if, facts):
        alone = tc.dynamic_saving_eur or 0.0
        combined = tc.fixed.total_eur - tc.dynamic_shifted.total_eur if tc.dynamic_shifted is not None else alone
        values = {
            "price_year": tc.price_year or "–",
            "fixed_eur": (tc.fixed.total_eur, 0),
            "dynamic_eur": (tc.dynamic.total_eur, 0),
            "meter_eur": (tc.dynamic.meter_fee_eur, 0),
            "shifted_kwh": (tc.shifted_kwh, 0),
            "shift_note": ("shift_note", False),
        }
        inv = dyn.investment_eur or 0.0
        if alone > 0:
            out.append(_Draft(dyn, 0.0, alone, inv, "simulated", "medium", values))
            gain = tc.shifting_saving_eur or 0.0
            if shift is not None and gain > 0 and applies(shift.applies_if, facts):
                out.append(
                    _Draft(
                        shift,
                        0.0,
                        gain,
                        0.0,
                        "simulated",
                        "medium",
                        {**values, "flexible": ("flex", tc.flexible_sources)},
                    )
                )
        elif combined > 0 and shift is not None:
            # pays only together with shifting: one recommendation with the combined figure
            out.append(
                _Draft(
                    dyn,
                    0.0,
                    combined,
                    inv,
                    "simulated",
                    "low",
                    {**values, "dynamic_eur": (tc.dynamic_shifted.total_eur, 0), "shift_note": ("shift_note", True)},
                )
            )
    m = cat.get("para14a_module")
    if m is not None and applies(m.applies_if, facts):
        p14 = tc.para14a if tc is not None else None
        hp = facts.get("heating") == "heat_pump" or "heat_pump" in facts["signatures"]
        ev = bool(facts.get("ev")) or "ev_charging" in facts["signatures"]
        device = "hp+ev" if hp and ev else "hp" if hp else "ev"
        if p14 is not None and p14.best_eur > 0:
            out.append(
                _Draft(
                    m,
                    0.0,
                    p14.best_eur,
                    0.0,
                    "simulated" if p14.best_module == 2 else "estimate",
                    "medium",
                    {"device": ("device", device), "module": ("module", p14)},
                )
            )
        elif p14 is None:
            eur = float(seeds.value("tariff_components.para14a_module1_eur_per_year"))
            out.append(
                _Draft(
                    m, 0.0, eur, 0.0, "estimate", "medium", {"device": ("device", device), "module": ("module1", eur)}
                )
            )
    return out


# ---------------------------------------------------------------------------------- texts
_DEVICE = {
    "hp": {"de": "eine Wärmepumpe", "en": "a heat pump"},
    "ev": {"de": "eine Wallbox für Ihr Elektroauto", "en": "a wallbox for your electric car"},
    "hp+ev": {"de": "eine Wärmepumpe und eine Wallbox", "en": "a heat pump and a wallbox"},
}
_SHIFT_NOTE = {
    "de": " – allerdings nur, wenn Sie flexible Verbräuche in die günstigsten Stunden legen; ohne Verschieben wäre der dynamische Tarif teurer",
    "en": " – but only if you move flexible loads to the cheapest hours; without shifting the dynamic tariff would cost more",
}
_FLEX = {
    "ev_blocks": {"de": "Laden des Elektroautos", "en": "charging the electric car"},
    "evening_share": {"de": "Waschen, Spülen, Trocknen am Abend", "en": "washing, dishwashing, drying in the evening"},
}


def _module_text(spec: tuple, language: str) -> str:
    kind, obj = spec
    eur = lambda x: format_number(x, language, 0)  # noqa: E731
    if kind == "module1":
        return (
            f"Modul 1 (pauschale Netzentgeltreduzierung) bringt etwa {eur(obj)} € im Jahr."
            if language == "de"
            else f"Module 1 (flat network-fee reduction) brings about €{eur(obj)} a year."
        )
    p = obj
    m2 = "–" if p.module2_eur is None else eur(p.module2_eur)
    kwh = "–" if p.device_kwh is None else format_number(p.device_kwh, language, 0)
    if language == "de":
        best = "Modul 2" if p.best_module == 2 else "Modul 1"
        return (
            f"Modul 1 (pauschal) bringt etwa {eur(p.module1_eur)} € im Jahr, Modul 2 (eigener Zähler, 60 % weniger "
            f"Netzentgelt auf geschätzt {kwh} kWh des Geräts, abzüglich Zählerentgelt) {m2} €. Günstiger: {best}."
        )
    best = "Module 2" if p.best_module == 2 else "Module 1"
    return (
        f"Module 1 (flat) brings about €{eur(p.module1_eur)} a year, Module 2 (separate meter, 60 % lower network "
        f"fee on an estimated {kwh} kWh of the device, less the meter fee) €{m2}. Better: {best}."
    )


def _render(template: str, values: dict[str, Any], language: str) -> str:
    out: dict[str, str] = {}
    for key, v in values.items():
        if isinstance(v, tuple) and len(v) == 2 and v[0] == "kWp":
            out[key] = f"{format_number(v[1], language, 1)} kWp"
        elif isinstance(v, tuple) and len(v) == 2 and v[0] in ("W", "kWh"):
            out[key] = f"{format_number(v[1], language, 0 if v[0] == 'W' else 1)} {v[0]}"
        elif isinstance(v, tuple) and v[0] == "device":
            out[key] = _DEVICE[v[1]][language]
        elif isinstance(v, tuple) and v[0] in ("module", "module1"):
            out["module_text"] = _module_text(v, language)
        elif isinstance(v, tuple) and v[0] == "shift_note":
            out[key] = _SHIFT_NOTE[language] if v[1] else ""
        elif isinstance(v, tuple) and v[0] == "flex":
            out[key] = ", ".join(_FLEX.get(s, {}).get(language, s) for s in v[1]) or "–"
        elif isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], int):
            out[key] = format_number(v[0], language, v[1])
        else:
            out[key] = str(v)

    class _Missing(dict):
        def __missing__(self, key: str) -> str:
            return "–"

    return template.format_map(_Missing(out))


def _finish(drafts: list[_Draft], price: float, co2_g: float, annual: float) -> list[Recommendation]:
    drafts = [d for d in drafts if d.eur >= MIN_SAVING_EUR]
    drafts.sort(key=lambda d: d.eur, reverse=True)
    remaining = annual if _finite(annual) and annual > 0 else math.inf
    # efficiency first (they lower the consumption), own generation on what is left
    capped: dict[int, tuple[float, float]] = {}
    for pass_gen in (False, True):
        for i, d in enumerate(drafts):
            if (d.measure.group in GENERATION_GROUPS) != pass_gen:
                continue
            kwh = max(0.0, d.kwh)
            eur = max(0.0, d.eur)
            if kwh > remaining:  # never save more than is left of the consumption
                share = remaining / kwh if kwh > 0 else 0.0
                eur *= share
                kwh = remaining
            remaining -= kwh
            capped[i] = (kwh, eur)
    recs: list[Recommendation] = []
    for i, d in enumerate(drafts):
        kwh, eur = capped[i]
        if eur < MIN_SAVING_EUR:
            continue
        values = {**d.values, "saving_kwh": (kwh, 0), "saving_eur": (eur, 0)}
        first, second = ("estimate", "measured") if d.basis == "estimate" else ("measured", "estimate")
        texts = {
            lang: _render(d.measure.template(lang, first) or d.measure.template(lang, second), values, lang)
            for lang in LANGUAGES
        }
        inv = max(0.0, d.investment)
        recs.append(
            Recommendation(
                measure_id=d.measure.measure_id,
                title_de=d.measure.title_de,
                title_en=d.measure.title_en,
                explanation_de=texts["de"],
                explanation_en=texts["en"],
                annual_savings_kwh=kwh,
                annual_savings_eur=eur,
                annual_co2_kg=kwh * co2_g / 1000.0,
                investment_eur=inv,
                payback_years=(inv / eur if eur > 0 else None) if inv > 0 else 0.0,
                confidence=d.confidence,
                basis=d.basis,
                sources=(d.measure.cite(),) + d.extra_sources,
                lifetime_years=d.measure.lifetime_years,
            )
        )
    recs.sort(key=lambda r: r.annual_savings_eur, reverse=True)
    return [Recommendation(**{**r.__dict__, "rank": i + 1}) for i, r in enumerate(recs)]
