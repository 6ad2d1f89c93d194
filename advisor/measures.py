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
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from advisor.errors import SeedError
from advisor.formatting import formatter
from advisor.own_pv import OwnPVSize, own_pv_size, surplus_days
from advisor.signatures import device_answer
from advisor.texts import JOIN, Message, codes, join, localize, render, text_fields

#: Languages of the rendered JSON keys (``explanation_de``, ``explanation_en``, …).
LANGUAGES = ("de", "en")
MIN_SAVING_EUR = 1.0
#: Signatures whose energy is not "household electricity" (lighting/appliance shares exclude them).
BIG_DEVICES = ("ev_charging", "heat_pump", "night_storage_heating")
#: Groups whose kWh is grid purchase replaced by own generation: capped after the efficiency measures.
#: ``self_consumption``: more of an existing PV system's output used at home (appliances, the car at noon).
GENERATION_GROUPS = ("pv", "battery", "self_consumption")
#: Groups that save money, not kWh (applied after efficiency in the potential).
TARIFF_GROUPS = ("tariff", "load_shifting", "para14a", "supply")
#: Groups left out of the potential: the Stromspar-Check delivers the efficiency measures above.
POTENTIAL_EXCLUDED_GROUPS = ("advice",)
#: Days of curve needed before the surplus days of an own PV system are counted.
MIN_OWN_PV_DAYS = 14


# ---------------------------------------------------------------------------------- formats
def format_number(x: float | None, language: str = "de", decimals: int = 0) -> str:
    """A number in German (``1.234,5``) or English (``1,234.5``) notation; ``–`` for None/NaN."""
    return formatter(language).number(x, decimals)  # the one formatter (advisor.formatting)


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
    source: str
    date: str
    verify: bool = False
    note: str = ""

    def title(self, language: str = "de") -> str:
        """The title in ``language`` (``measures.title.<id>`` in ``measures.po``)."""
        return render(f"measures.title.{self.measure_id}", language)

    def text_code(self, basis: str) -> str | None:
        """The catalogue code of the explanation for a basis (measured/simulated or estimate):
        ``measures.text.<id>`` / ``measures.text_estimate.<id>`` in ``measures.po``, or None."""
        code = (
            f"measures.text_estimate.{self.measure_id}" if basis == "estimate" else f"measures.text.{self.measure_id}"
        )
        return code if code in codes("en") else None

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
            source=_text(row["source"]),
            date=_text(row["date"]),
            verify=_text(row.get("verify")).lower() == "true",
            note=_text(row.get("note")),
        )
        code = f"measures.title.{m.measure_id}"
        if code not in codes("en") or code not in codes("de"):
            raise SeedError(
                f"measures.csv: `{m.measure_id}` needs its title `{code}` in measures.po (German and English)"
            )
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
    explanation_message
        Short explanation naming the evidence (figures from the curve or the catalog): a
        :class:`~advisor.texts.Message` (``measures.po``); ``explanation(lang)`` renders it.
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
    explanation_message: str
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
    conditional: bool = False
    conditions: tuple[str, ...] = ()
    condition_message: str = ""
    confidence_basis_message: str = ""

    def title(self, language: str = "de") -> str:
        """The measure's title in ``language`` (``measures.title.<id>``)."""
        return render(f"measures.title.{self.measure_id}", language)

    def explanation(self, language: str = "de") -> str:
        return localize(self.explanation_message, language)

    def condition(self, language: str = "de") -> str:
        """What the measure depends on (empty when it does not depend on anything unknown)."""
        return localize(self.condition_message, language)

    def confidence_basis(self, language: str = "de") -> str:
        """What the confidence rests on, in ``language``."""
        return localize(self.confidence_basis_message, language)

    def basis_text(self, language: str = "de") -> str:
        return render(f"measures.basis.{self.basis}", language)

    def confidence_text(self, language: str = "de") -> str:
        return render(f"measures.confidence.{self.confidence}", language)

    def to_dict(self) -> dict[str, Any]:
        d = {"measure_id": self.measure_id, **_titles(self.measure_id), **asdict(self)}
        for name in ("explanation", "condition", "confidence_basis"):
            d.pop(f"{name}_message")
            d.update(text_fields(name, getattr(self, f"{name}_message"), LANGUAGES))
        d["sources"] = list(self.sources)
        d["conditions"] = list(self.conditions)
        d["basis_text_de"] = self.basis_text("de")
        d["basis_text_en"] = self.basis_text("en")
        return d


def _titles(measure_id: str) -> dict[str, str]:
    """``title_de`` / ``title_en`` for JSON outputs (the historic keys)."""
    return {f"title_{lang}": render(f"measures.title.{measure_id}", lang) for lang in LANGUAGES}


@dataclass(frozen=True)
class NotRecommended:
    """A measure that applies to the household but is not recommended, with the reason.

    Attributes
    ----------
    measure_id
        Catalog id (its title: ``title(lang)``).
    reason_code
        ``payback_beyond_lifetime``, ``own_pv_present`` or ``too_small``.
    reason_message
        The reason (a :class:`~advisor.texts.Message`, ``measures.po``); ``reason(lang)`` renders it.
    annual_savings_eur, investment_eur, payback_years, lifetime_years
        The figures behind the reason (payback None when the measure never pays back).
    """

    measure_id: str
    reason_code: str
    reason_message: str
    annual_savings_eur: float = 0.0
    investment_eur: float = 0.0
    payback_years: float | None = None
    lifetime_years: float | None = None

    def title(self, language: str = "de") -> str:
        return render(f"measures.title.{self.measure_id}", language)

    def reason(self, language: str = "de") -> str:
        return localize(self.reason_message, language)

    def to_dict(self) -> dict[str, Any]:
        d = {"measure_id": self.measure_id, **_titles(self.measure_id), **asdict(self)}
        d.pop("reason_message")
        d.update(text_fields("reason", self.reason_message, LANGUAGES))
        return d


@dataclass(frozen=True)
class PotentialStep:
    """One measure inside the sequential potential: what it adds after the ones before it."""

    measure_id: str
    stage: str  # "efficiency", "tariff", "generation"
    annual_savings_kwh: float
    annual_savings_eur: float
    conditional: bool = False


@dataclass(frozen=True)
class Potential:
    """The household's one savings potential: measures applied one after another on its curve.

    Efficiency first (each saves its share of what is left), then tariffs and load shifting on
    the reduced consumption, then own generation (PV, battery) on the reduced curve. Nothing is
    summed twice, so ``annual_savings_kwh`` never exceeds the consumption.

    Attributes
    ----------
    annual_savings_kwh, annual_savings_eur, annual_co2_kg
        Measures that depend on nothing unknown [kWh/yr, EUR/yr, kg/yr].
    with_conditional_kwh, with_conditional_eur
        Including the measures that depend on an open question (roof, balcony, a device the
        household has not confirmed).
    share_of_kwh
        ``annual_savings_kwh / annual_kwh``.
    uncertainty_pct
        Relative uncertainty carried over from the annual figure (short periods) [%].
    steps
        Per measure, in the order applied.
    """

    annual_savings_kwh: float
    annual_savings_eur: float
    annual_co2_kg: float
    with_conditional_kwh: float
    with_conditional_eur: float
    share_of_kwh: float | None
    uncertainty_pct: float | None = None
    steps: tuple[PotentialStep, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["steps"] = [asdict(s) for s in self.steps]
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in d.items()}


@dataclass(frozen=True)
class Advice:
    """What :func:`advise` returns: recommendations, the measures not recommended, the potential."""

    recommendations: tuple[Recommendation, ...]
    not_recommended: tuple[NotRecommended, ...]
    potential: Potential
    own_pv: OwnPVSize | None = None  # size of an existing PV system (stated or from its feed-in), else None


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
    conditions: tuple[str, ...] = ()
    rests_on: Message | None = None  # what the confidence rests on
    message: Message | None = None  # the explanation as a catalogue code (measures.po) instead of the row's template


# ---------------------------------------------------------------------------------- rules
def household_facts(household, analysis, low_income: bool | None = None) -> dict[str, Any]:
    """What the applicability rules look at: the household's answers, ``low_income`` and detected signatures."""
    f = {} if household is None else dict(household.to_mapping())
    if low_income is not None or "low_income" not in f:
        f["low_income"] = low_income
    f["signatures"] = {
        s.name
        for s in getattr(analysis, "signatures", ())
        if getattr(s, "detected", False) and device_answer(s.name, household) is not False
    }
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


def _estimate(
    m: Measure, price: float, annual_kwh: float, persons: int | None = None, *, total_kwh: float | None = None
) -> tuple[float, float, Message]:
    """A catalog saving sized to the household: by the number of persons where the measure has a
    ``reference_persons`` (appliance use grows with them), else by consumption against
    ``reference_annual_kwh``; never above ``max_share_of_consumption``.

    Returns kWh, EUR and what the figure rests on, as it was actually sized: "scaled by your
    annual consumption" only when the consumption changed it (a share of it, below the reference,
    or the cap), the persons when they did, else the catalog's typical household (or, for a fixed
    EUR figure such as the Stromspar-Check, the programme's average). ``total_kwh``: the whole
    consumption when ``annual_kwh`` is what is left after the presumed big devices (heat pump,
    storage heating, car), so that the text names the basis actually used.
    """
    scaled = _CATALOG_RESTS
    if _finite(total_kwh) and _finite(annual_kwh) and annual_kwh < total_kwh - 0.5:
        scaled = Message("measures.rests.catalog_without_devices", kwh=float(annual_kwh))
    kwh = m.saving_kwh_per_year
    rests = _FIXED_RESTS
    if kwh is None and "saving_share" in m.params and _finite(annual_kwh):
        kwh = annual_kwh * m.params["saving_share"]
        rests = scaled
    if kwh is not None and persons and "reference_persons" in m.params:
        kwh *= min(1.5, persons / m.params["reference_persons"])
        rests = _PERSONS_RESTS
    elif kwh is not None and "reference_annual_kwh" in m.params and _finite(annual_kwh):
        factor = min(1.0, annual_kwh / m.params["reference_annual_kwh"])
        if factor < 1.0:
            kwh *= factor
            rests = scaled
    if kwh is not None and "max_share_of_consumption" in m.params and _finite(annual_kwh):
        cap = annual_kwh * m.params["max_share_of_consumption"]
        if cap < kwh:
            kwh = cap
            rests = scaled
    if kwh is None and m.saving_eur_per_year is not None:
        kwh = m.saving_eur_per_year / price
        rests = _PROGRAMME_RESTS
    eur = m.saving_eur_per_year if m.saving_eur_per_year is not None else (kwh or 0.0) * price
    return max(0.0, kwh or 0.0), max(0.0, eur), rests


def _pv_attr(opt: Any, *names: str) -> Any:
    for n in names:
        v = getattr(opt, n, None)
        if v is not None:
            return v
    return None


# ---------------------------------------------------------------------------------- recommend
def work_price(household, seeds) -> float:
    """The work price a saved kWh is worth [EUR/kWh]: the household's own, else the seeded one.

    Reads ``tariffs.work_price_eur_per_kwh`` (the seeds loader maps the older key
    ``tariffs.household_price_eur_per_kwh`` to it). The assessment passes the resolved price of
    :class:`~advisor.settings.HouseholdSettings` instead of calling this.
    """
    own = getattr(household, "price_eur_per_kwh", None)
    if own:
        return float(own)
    return float(seeds.value("tariffs.work_price_eur_per_kwh"))  # older key names are aliased by the loader


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
    """The ranked recommendations of :func:`advise` (measures that pay back within their life).

    Returns
    -------
    list of Recommendation
        Measures that depend on nothing unknown first, each part highest EUR/yr first; every
        saving >= 0 and the kWh savings sum to at most the annual consumption.
    """
    return list(
        advise(
            analysis,
            household,
            seeds=seeds,
            pv_options=pv_options,
            tariff_comparison=tariff_comparison,
            low_income=low_income,
            catalog=catalog,
        ).recommendations
    )


def advise(
    analysis,
    household=None,
    *,
    seeds,
    pv_options=None,
    tariff_comparison=None,
    low_income: bool | None = None,
    catalog: dict[str, Measure] | None = None,
    price_eur_per_kwh: float | None = None,
    co2_g_per_kwh: float | None = None,
) -> Advice:
    """Size every measure to the household, keep those that pay, and the one sequential potential.

    Parameters
    ----------
    analysis
        :class:`~advisor.analysis.LoadAnalysis` of the household's curve (``annual_kwh``,
        ``always_on_w``, ``base_load_w``, ``signatures``, ``data_quality``).
    household
        :class:`~advisor.household.Household` (answers; unknown stays unknown).
    seeds
        :class:`~advisor.seeds.Seeds` (``measures`` table, ``tariffs``, ``tariff_components``,
        ``emissions``, ``stadtwerk_product``).
    pv_options
        PV options simulated on the curve (:func:`advisor.pv_options.pv_options`), or None for catalog
        estimates.
    tariff_comparison
        :class:`~advisor.tariffs.TariffComparison` of the curve, or None (no tariff measures).
    low_income
        True if the household qualifies for the Caritas Stromspar-Check (unknown: not shown).
    catalog
        A catalog to use instead of ``measure_catalog(seeds)``.
    price_eur_per_kwh, co2_g_per_kwh
        The household's work price and the CO₂ factor from its
        :class:`~advisor.settings.HouseholdSettings` (the assessment passes them); None: resolved
        from the household and the seeds.

    Returns
    -------
    Advice
        ``recommendations`` (pay back within their lifetime; measures depending on an open
        question are marked ``conditional`` and ranked after the others), ``not_recommended``
        (with the reason) and the sequential ``potential``.
    """
    cat = catalog if catalog is not None else measure_catalog(seeds)
    price = float(price_eur_per_kwh) if price_eur_per_kwh is not None else work_price(household, seeds)
    co2_g = float(co2_g_per_kwh) if co2_g_per_kwh is not None else float(seeds.value("emissions.co2_g_per_kwh"))
    dq = getattr(analysis, "data_quality", None)
    quality = getattr(dq, "score", None)
    days = float(getattr(analysis, "days_covered", float("nan")))
    measured_conf = "high" if quality is not None and quality >= 0.8 else "medium"
    if _finite(days) and days < 28:
        measured_conf = "low"
    # a curve modelled from an annual figure shows no household behaviour: no "measured" savings
    modelled = (getattr(dq, "estimated_share", 0.0) or 0.0) >= 0.5
    if modelled:
        analysis = _WithoutCurveEvidence(analysis)
    annual = float(getattr(analysis, "annual_kwh", float("nan")))
    facts = household_facts(household, analysis, low_income)
    devices_kwh = sum(
        float(s.annual_kwh)
        for s in getattr(analysis, "signatures", ())
        if getattr(s, "detected", False)
        and s.name in BIG_DEVICES
        and s.name in facts["signatures"]
        and _finite(s.annual_kwh)
    )
    household_kwh = max(0.0, annual - min(devices_kwh, 0.9 * annual)) if _finite(annual) else annual
    persons = getattr(household, "persons", None)
    measured_rests = _measured_rests_on(days, quality)
    drafts: list[_Draft] = []
    excluded: list[NotRecommended] = []

    def ok(mid: str) -> Measure | None:
        m = cat.get(mid)
        return m if m is not None and applies(m.applies_if, facts) else None

    # --- circulation pump (measured signature, else estimate for a known house with other heating)
    pump_w = 0.0
    m = ok("circulation_pump")
    if m is not None:
        sig = _detected(analysis, "circulation_pump")
        if sig is not None and _finite(sig.power_w) and sig.power_w > 0:
            pump_w = float(sig.power_w)
            pump_kwh = (
                sig.annual_kwh if _finite(sig.annual_kwh) else sig.power_w * 24 * m.param("heating_season_days") / 1000
            )
            # an old pump draws at most `max_pump_w` (catalog: 400-600 kWh/yr); a larger night step is
            # something else (electric heating), so only a pump's share of it is counted
            pump_kwh = min(pump_kwh, m.param("max_pump_w") * 24 * m.param("heating_season_days") / 1000)
            kwh = pump_kwh * (1 - m.param("new_pump_share"))
            nights = _pump_nights(sig.evidence)
            drafts.append(
                _Draft(
                    m,
                    kwh,
                    kwh * price,
                    m.investment_eur or 0.0,
                    "measured",
                    "medium" if measured_conf == "high" else measured_conf,
                    {"pump_w": (sig.power_w, 0), "pump_kwh": (pump_kwh, 0), "pump_nights": nights},
                    conditions=("ownership",) if facts.get("tenure") is None or facts.get("dwelling") is None else (),
                    rests_on=Message("measures.rests.pump", w=float(sig.power_w)),
                )
            )
        elif applies(m.estimate_if, facts):
            kwh, eur, rests = _estimate(m, price, annual, persons)
            drafts.append(_Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate, rests_on=rests))

    # --- fridge replacement (estimate; counted before standby so standby does not count it twice)
    fridge_w = 0.0
    m = ok("fridge_replacement")
    if m is not None:
        kwh, eur, rests = _estimate(m, price, household_kwh, persons, total_kwh=annual)
        drafts.append(_Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate, rests_on=rests))
        fridge_w = kwh * 1000 / 8760

    # --- standby from the measured always-on floor against an efficient floor, capped by the cited range
    m = ok("standby")
    if m is not None:
        draft = _standby_draft(m, analysis, facts, price, fridge_w, pump_w, measured_conf, days)
        if draft is not None:
            drafts.append(draft)

    # --- appliance measures from the catalog, scaled by household size or consumption
    for mid in ("led_lighting", "heat_pump_dryer", "eco_programmes"):
        m = ok(mid)
        if m is not None:
            kwh, eur, rests = _estimate(m, price, household_kwh, persons, total_kwh=annual)
            drafts.append(
                _Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate, rests_on=rests)
            )

    # --- heat-pump water heater (needs electric hot water: answer or detected heater)
    m = ok("heat_pump_water_heater")
    if m is not None:
        sig = _detected(analysis, "instantaneous_water_heater")
        kwh, eur, rests = _estimate(m, price, annual, persons)
        if sig is not None:
            device_kwh = sig.annual_kwh if _finite(sig.annual_kwh) else None
            if device_kwh is not None:
                kwh = min(kwh, 0.7 * device_kwh)  # 60-80 % of the heater's own energy
                eur = kwh * price
            confirmed = facts.get("hot_water") == "electric"
            drafts.append(
                _Draft(
                    m,
                    kwh,
                    eur,
                    m.investment_eur or 0.0,
                    "measured",
                    "medium" if confirmed else "low",
                    {"device_kwh": (device_kwh, 0) if device_kwh is not None else "–"},
                    conditions=() if confirmed else ("device:instantaneous_water_heater",),
                    rests_on=measured_rests,
                )
            )
        elif applies(m.estimate_if, facts):
            drafts.append(_Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate, rests_on=rests))

    # --- tariffs: Grundversorgung switch, dynamic tariff, load shifting, § 14a
    drafts.extend(_grundversorgung_drafts(cat, facts, household, seeds, annual, price))
    drafts.extend(_tariff_drafts(cat, facts, tariff_comparison, household, seeds))

    # --- PV: one product (roof or balcony), battery only with roof PV
    pv, pv_excluded = _pv_drafts(cat, facts, analysis, household, pv_options, price, annual, measured_conf, seeds)
    drafts.extend(pv)
    excluded.extend(pv_excluded)
    own_drafts, own_size = _own_pv_drafts(cat, facts, analysis, seeds, price, annual, measured_conf)
    drafts.extend(own_drafts)

    # --- Caritas Stromspar-Check
    m = ok("stromspar_check")
    if m is not None:
        kwh, eur, rests = _estimate(m, price, annual, persons)
        drafts.append(_Draft(m, kwh, eur, 0.0, "estimate", m.confidence_estimate, rests_on=rests))

    drafts = _cap_efficiency(drafts, analysis, household, seeds, annual)
    recs, not_recs = _finish(drafts, price, co2_g, annual)
    pot = _potential(recs, cat, annual, price, co2_g, getattr(analysis, "annual_uncertainty_pct", None))
    return Advice(tuple(recs), tuple(excluded) + tuple(not_recs), pot, own_size)


def efficiency_cap_kwh(analysis, household, seeds, annual: float) -> float:
    """The most all efficiency measures of a household save together [kWh/yr].

    The gap between the average and the class-A bound of the Stromspiegel 2025 table: with persons
    and dwelling known the household's own distance to the A bound of its row (at least
    ``benchmarks.min_efficiency_share`` of its consumption), else a quantile of the gap share over all
    rows (``benchmarks.efficiency_gap_quantile``, the median: about 37 %).
    """
    if not _finite(annual) or annual <= 0:
        return math.inf
    try:
        table = seeds.table("stromspiegel_2025")
        q = float(seeds.value("benchmarks.efficiency_gap_quantile"))
        floor_share = float(seeds.value("benchmarks.min_efficiency_share"))
    except (SeedError, KeyError, AttributeError):
        return math.inf
    ss = getattr(analysis, "stromspiegel", None)
    bounds = getattr(ss, "class_bounds_kwh", ()) if ss is not None else ()
    compared = getattr(ss, "compared_kwh", None) if ss is not None else None
    if bounds and _finite(compared):
        return max(compared - bounds[0], floor_share * compared)
    gap = (1.0 - table["a_max_kwh"].astype(float) / table["average_kwh"].astype(float)).quantile(q)
    return float(gap) * annual


def _cap_efficiency(drafts: list[_Draft], analysis, household, seeds, annual: float) -> list[_Draft]:
    """Scale the efficiency drafts down together so that they never save more than
    :func:`efficiency_cap_kwh`; each scaled one says so in what its confidence rests on."""
    cap = efficiency_cap_kwh(analysis, household, seeds, annual)
    eff = [i for i, d in enumerate(drafts) if _stage_of(d.measure.group) == "efficiency" and d.kwh > 0]
    total = sum(drafts[i].kwh for i in eff)
    if total <= cap or total <= 0:
        return drafts
    f = cap / total
    out = list(drafts)
    capped = Message("measures.rests.capped", share=cap / annual)
    for i in eff:
        d = out[i]
        out[i] = replace(
            d,
            kwh=d.kwh * f,
            eur=d.eur * f,
            rests_on=join([d.rests_on, capped], "; ") if d.rests_on else capped,
        )
    return out


def _stage_of(group: str) -> str:
    if group in GENERATION_GROUPS:
        return "generation"
    if group in TARIFF_GROUPS:
        return "tariff"
    if group in POTENTIAL_EXCLUDED_GROUPS:
        return "excluded"
    return "efficiency"


_CATALOG_RESTS = Message("measures.rests.catalog")
_FIXED_RESTS = Message("measures.rests.catalog_fixed")
_PERSONS_RESTS = Message("measures.rests.persons")
_PROGRAMME_RESTS = Message("measures.rests.programme")


def _measured_rests_on(days: float, quality: float | None) -> Message:
    return Message("measures.rests.measured", days=round(days) if _finite(days) else None, quality=quality)


def _standby_draft(m, analysis, facts, price, fridge_w, pump_w, measured_conf, days) -> _Draft | None:
    """Standby: the measured always-on floor against an efficient floor, capped by the cited range.

    The floor is the always-on level (median of the daily minima); behind own PV the midday
    minimum is the panels', so the night base load is used. A detected circulation pump (on in the
    heating season) and what a fridge replacement saves are taken out first. Half of the excess
    is avoidable (assumption), and the result never exceeds ``max_eur_per_year`` (co2online: up to
    165 EUR/yr; UBA: about 100 EUR/yr).
    """
    own_pv = "own_pv" in facts["signatures"] or (facts.get("existing_pv_kwp") or 0) > 0
    floor_w = getattr(analysis, "base_load_w" if own_pv else "always_on_w", float("nan"))
    if not _finite(floor_w):
        floor_w = getattr(analysis, "base_load_w", float("nan"))
    cap_eur = m.param("max_eur_per_year")
    if not _finite(floor_w):
        kwh, eur, rests = _estimate(m, price, float("nan"), None)
        return _Draft(m, kwh, eur, m.investment_eur or 0.0, "estimate", m.confidence_estimate, rests_on=rests)
    interval = getattr(analysis, "interval_minutes", 15) or 15
    efficient = m.param("efficient_floor_w" if interval <= 15 else "efficient_floor_w_coarse")
    seasonal_pump = pump_w * m.param("pump_days_share") if pump_w > 0 else 0.0
    excess_w = max(0.0, floor_w - efficient - fridge_w - seasonal_pump)
    kwh = excess_w * 8760 / 1000 * m.param("avoidable_share")
    capped = kwh * price > cap_eur
    if capped:
        kwh = cap_eur / price
    if kwh <= 0:
        return None
    high = excess_w > m.param("plausible_excess_w")
    conf = "low" if high or measured_conf == "low" else "medium"
    cap_note = Message("measures.standby.cap_note", eur=cap_eur) if capped else ""
    high_note = Message("measures.standby.high_note") if high else ""
    return _Draft(
        m,
        kwh,
        kwh * price,
        m.investment_eur or 0.0,
        "measured",
        conf,
        {
            "floor_w": (floor_w, 0),
            "base_load_w": (floor_w, 0),
            "efficient_floor_w": (efficient, 0),
            "days": (days if _finite(days) else None, 0),
            "cap_note": cap_note,
            "high_note": high_note,
        },
        rests_on=Message(
            "measures.rests.standby",
            w=float(floor_w),
            days=round(days) if _finite(days) else None,
            efficient_w=float(efficient),
        ),
    )


def _grundversorgung_drafts(cat, facts, household, seeds, annual, price) -> list[_Draft]:
    """A household in the Grundversorgung: what the Stadtwerk's own cheaper product would save."""
    m = cat.get("grundversorgung_switch")
    if m is None or not applies(m.applies_if, facts) or not _finite(annual):
        return []
    try:
        gv_price = getattr(household, "price_eur_per_kwh", None) or float(
            seeds.value("stadtwerk_product.grundversorgung_work_price_eur_per_kwh")
        )
        gv_fee = getattr(household, "base_fee_eur_per_year", None)
        if gv_fee is None:
            gv_fee = float(seeds.value("stadtwerk_product.grundversorgung_base_fee_eur_per_year"))
        p_price = float(seeds.value("stadtwerk_product.product_work_price_eur_per_kwh"))
        p_fee = float(seeds.value("stadtwerk_product.product_base_fee_eur_per_year"))
        name = seeds.entry("stadtwerk_product.product_work_price_eur_per_kwh")
    except SeedError:
        return []
    eur = annual * (gv_price - p_price) + (gv_fee - p_fee)
    if eur <= 0:
        return []
    return [
        _Draft(
            m,
            0.0,
            eur,
            m.investment_eur or 0.0,
            "simulated",
            "high" if getattr(household, "price_eur_per_kwh", None) else "medium",
            {
                "gv_ct": (100 * gv_price, 1),
                "gv_fee": (gv_fee, 0),
                "product_ct": (100 * p_price, 1),
                "product_fee": (p_fee, 0),
                "annual_kwh": (annual, 0),
            },
            extra_sources=(f"{name.source} ({name.date})",),
            rests_on=Message("measures.rests.grundversorgung"),
        )
    ]


def _potential(recs, cat, annual, price, co2_g, uncertainty_pct) -> Potential:
    """Apply the recommended measures one after another (see :class:`Potential`)."""
    if not _finite(annual) or annual <= 0:
        return Potential(0.0, 0.0, 0.0, 0.0, 0.0, None, uncertainty_pct, ())

    def stage(r) -> str:
        return _stage_of(cat[r.measure_id].group if r.measure_id in cat else "")

    def run(include_conditional: bool) -> tuple[float, float, list[PotentialStep]]:
        remaining = annual
        kwh_total = eur_total = 0.0
        steps: list[PotentialStep] = []
        chosen = [r for r in recs if include_conditional or not r.conditional]
        for name in ("efficiency", "tariff", "generation"):
            for r in sorted((r for r in chosen if stage(r) == name), key=lambda r: -r.annual_savings_eur):
                share = remaining / annual
                if name == "efficiency":
                    # each measure saves its share of what is left after the ones before it
                    kwh = min(r.annual_savings_kwh * share, remaining)
                    eur = kwh * price
                elif name == "tariff":
                    kwh, eur = 0.0, r.annual_savings_eur * share
                else:
                    # self-consumption on a curve scaled down by `share` is at least `share` of it;
                    # the kWh no longer used yourself are fed in instead (battery: not stored)
                    feed_in = cat[r.measure_id].params.get("feed_in_eur_per_kwh", 0.0)
                    kwh = min(r.annual_savings_kwh * share, remaining)
                    eur = max(0.0, r.annual_savings_eur - (r.annual_savings_kwh - kwh) * max(price - feed_in, 0.0))
                remaining -= kwh
                kwh_total += kwh
                eur_total += eur
                steps.append(PotentialStep(r.measure_id, name, kwh, eur, r.conditional))
        return kwh_total, eur_total, steps

    kwh, eur, steps = run(False)
    kwh_c, eur_c, steps_c = run(True)
    return Potential(
        annual_savings_kwh=kwh,
        annual_savings_eur=eur,
        annual_co2_kg=kwh * co2_g / 1000.0,
        with_conditional_kwh=kwh_c,
        with_conditional_eur=eur_c,
        share_of_kwh=kwh / annual,
        uncertainty_pct=float(uncertainty_pct) if _finite(uncertainty_pct) else None,
        steps=tuple(steps_c),
    )


class _WithoutCurveEvidence:
    """An analysis seen without what only a measured curve can show (base load, signatures)."""

    def __init__(self, analysis) -> None:
        self.annual_kwh = getattr(analysis, "annual_kwh", float("nan"))
        self.annual_uncertainty_pct = getattr(analysis, "annual_uncertainty_pct", None)
        self.days_covered = getattr(analysis, "days_covered", float("nan"))
        self.interval_minutes = getattr(analysis, "interval_minutes", 15)
        self.base_load_w = float("nan")
        self.always_on_w = float("nan")
        self.signatures = ()
        self.data_quality = getattr(analysis, "data_quality", None)


def _pump_nights(evidence: Any) -> Message | str:
    """The share of heating-season nights with the pump's step, from the signature evidence
    (the ``share`` of its ``signature.pump.found`` message)."""
    if isinstance(evidence, Message) and evidence.code == JOIN:
        evidence = (evidence.params.get("parts") or [None])[0]
    if isinstance(evidence, Message) and evidence.code == "signature.pump.found":
        return Message("measures.value.share", v=evidence.params.get("share"))
    return "–"


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


def _roof_conditions(facts) -> tuple[str, ...]:
    """Open questions behind a roof measure: ownership (tenure/dwelling unknown) and the roof."""
    out = []
    if facts.get("tenure") is None or facts.get("dwelling") is None:
        out.append("ownership")
    if (
        facts.get("roof_tilt_deg") is None
        and facts.get("roof_azimuth_deg") is None
        and facts.get("roof_area_m2") is None
    ):
        out.append("roof")
    return tuple(out)


def _pv_drafts(cat, facts, analysis, household, pv_options, price, annual, measured_conf, seeds):
    out: list[_Draft] = []
    excluded: list[NotRecommended] = []
    roof = cat.get("rooftop_pv")
    balcony = cat.get("balcony_pv")
    battery = cat.get("battery")
    roof_ok = roof is not None and applies(roof.applies_if, facts)
    balcony_ok = balcony is not None and applies(balcony.applies_if, facts)
    existing_kwp = facts.get("existing_pv_kwp") or 0.0
    own_pv = "own_pv" in facts["signatures"]
    if own_pv and not existing_kwp:
        pv_sig = next((x for x in getattr(analysis, "signatures", ()) if x.name == "own_pv"), None)
        fed_in = pv_sig is not None and getattr(pv_sig, "confirmed", False)
        why = Message("measures.not_recommended.own_pv_present." + ("feed_in" if fed_in else "detected"))
        for m in (roof, balcony):
            if m is not None:
                excluded.append(
                    NotRecommended(
                        m.measure_id,
                        "own_pv_present",
                        why,
                    )
                )
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
            # the simulation's investment line (seeds pv.*), not a figure of its own
            inv = float(seeds.value("pv.investment_fixed_eur")) + kwp * float(seeds.value("pv.investment_eur_per_kwp"))
            pv_roof = _Draft(
                roof,
                self_kwh,
                eur,
                inv,
                "estimate",
                roof.confidence_estimate,
                {
                    "size": ("kWp", kwp),
                    "yield_kwh": (yld, 0),
                    "investment": (inv, 0),
                    "feed_in_ct": (100 * p["feed_in_eur_per_kwh"], 2),
                },
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
    roof_cond = _roof_conditions(facts)
    if pv_roof is not None and roof_cond:
        pv_roof = replace(pv_roof, conditions=roof_cond)
    if pv_balcony is not None and facts.get("balcony") is None:
        pv_balcony = replace(pv_balcony, conditions=("balcony",))
    # one PV product: the roof system if it applies and pays (it supersedes the balcony device)
    chosen = pv_roof or pv_balcony
    if pv_roof is not None and pv_balcony is not None and not _pays(pv_roof) and _pays(pv_balcony):
        chosen = pv_balcony
    if chosen is not None:
        out.append(chosen)
    # the product left out because it does not pay back is "checked, not recommended", never dropped
    for d in (pv_roof, pv_balcony):
        if d is not None and d is not chosen and not _pays(d):
            excluded.append(_not_paying(d.measure, d.eur, d.investment))
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
                    conditions=roof_cond if not existing_kwp else (),
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
                        conditions=roof_cond if not existing_kwp else (),
                    )
                )
    return out, excluded


def _own_pv_drafts(cat, facts, analysis, seeds, price, annual, measured_conf) -> tuple[list[_Draft], OwnPVSize | None]:
    """Advice for a household with its own PV (fed in, stated or seen in the curve): use more of it.

    Nothing here pitches new panels. From the days on which the import curve shows the panels
    covering the whole midday load (:func:`advisor.own_pv.surplus_days`):

    * ``pv_self_consumption``: the flexible share of the evening load run at noon instead;
    * ``ev_pv_surplus``: part of the car's home charging moved into the surplus (a car detected or
      stated; conditional on the household confirming it);
    * ``battery`` (no kWp stated; with a stated kWp :func:`_pv_drafts` sizes it): a store of
      ``capacity_kwh_per_mwh`` x annual consumption charged from the surplus covers the evening and
      night import after each surplus day, less the feed-in it no longer earns.

    Each kWh taken from the surplus is worth the work price minus the feed-in rate it no longer
    earns; together they never take more than the measured feed-in (when the meter counts it).
    Without a feed-in register the surplus is not measured: the advice is conditional on it
    (``pv_surplus``) and asks for the kWp.
    """
    own = getattr(analysis, "own_generation", None)
    if own is None or getattr(analysis, "heatmap", None) is None:
        return [], None
    try:
        size = own_pv_size(
            own,
            self_consumption_low=float(seeds.value("benchmarks.own_pv_self_consumption_share_low")),
            self_consumption_high=float(seeds.value("benchmarks.own_pv_self_consumption_share_high")),
        )
        flex_share = float(seeds.value("tariff_components.flexible_share_of_evening_load"))
        evening = (
            float(seeds.value("tariff_components.evening_window_start_hour")),
            float(seeds.value("tariff_components.evening_window_end_hour")),
        )
    except SeedError:
        return [], None
    sc, ev, bat = cat.get("pv_self_consumption"), cat.get("ev_pv_surplus"), cat.get("battery")
    bat_ok = bat is not None and applies(bat.applies_if, facts) and not (facts.get("existing_pv_kwp") or 0) > 0
    cap_kwh = 0.0
    if bat_ok:
        p = bat.params
        per_mwh = annual / 1000.0 * p.get("capacity_kwh_per_mwh", 1.0) if _finite(annual) else 0.0
        cap_kwh = float(min(max(round(per_mwh), p.get("min_capacity_kwh", 3.0)), p.get("max_capacity_kwh", 10.0)))
    sd = surplus_days(
        analysis.heatmap,
        float(getattr(analysis, "base_load_w", float("nan"))),
        flexible_share=flex_share,
        evening_hours=evening,
        battery_capacity_kwh=cap_kwh,
    )
    if sd.n_days < MIN_OWN_PV_DAYS or sd.n_surplus_days == 0:
        return [], size
    per_year = sd.per_year
    fed = own.feed_in_kwh_per_year
    if fed is None and own.feed_in_kwh and own.feed_in_days:
        fed = float(own.feed_in_kwh) * 365.0 / float(own.feed_in_days)  # less than a year: a rough bound
    budget = fed if fed is not None else math.inf
    conds: tuple[str, ...] = () if fed is not None else ("pv_surplus",)
    conf = "low" if fed is None or measured_conf == "low" else "medium"
    days = {"surplus_days": sd.n_surplus_days, "days": sd.n_days}
    if size is not None and size.method == "feed_in":
        size_note = Message(
            "measures.own_pv.size_from_feed_in",
            feed_in=float(size.feed_in_kwh_per_year),
            low=size.kwp_low,
            high=size.kwp_high,
        )
    elif size is None:
        size_note = Message("measures.own_pv.ask_kwp")
    else:
        size_note = Message("measures.own_pv.size_stated", kwp=size.kwp)
    rests = Message("measures.own_pv.rests_on", **days)
    out: list[_Draft] = []

    def draft(m: Measure, code: str, kwh: float, stored_kwh: float, inv: float, extra_conds=(), **params) -> None:
        feed = m.params.get("feed_in_eur_per_kwh", 0.0)
        eur = kwh * price - stored_kwh * feed
        note = Message("measures.own_pv.feed_in_rate", rate=feed)
        msg = Message(code, **days, **params, price=price, size_note=size_note, rate_note=note)
        out.append(
            _Draft(
                m, kwh, eur, inv, "measured", conf, conditions=conds + tuple(extra_conds), rests_on=rests, message=msg
            )
        )

    if sc is not None and applies(sc.applies_if, facts):
        kwh = min(sd.evening_flexible_kwh * per_year, budget)
        if kwh > 0:
            budget -= kwh
            draft(sc, "measures.explanation.pv_self_consumption", kwh, kwh, 0.0, flex_share=flex_share)
    ev_sig = _detected(analysis, "ev_charging")
    ev_said = facts.get("ev") is True
    if (
        ev is not None
        and applies(ev.applies_if, facts)
        and (ev_said or (ev_sig is not None and "ev_charging" in facts["signatures"]))
    ):
        ev_kwh = float(ev_sig.annual_kwh) if ev_sig is not None and _finite(ev_sig.annual_kwh) else None
        if ev_kwh is None and ev_said:
            ev_kwh = ev.params.get("stated_ev_kwh_per_year")
        if ev_kwh:
            share = ev.param("movable_share") * sd.n_surplus_days / sd.n_days
            kwh = min(ev_kwh * share, budget)
            if kwh > 0:
                budget -= kwh
                draft(
                    ev,
                    "measures.explanation.ev_pv_surplus",
                    kwh,
                    kwh,
                    0.0,
                    () if ev_said else ("device:ev_charging",),
                    ev_kwh=ev_kwh,
                    share=ev.param("movable_share"),
                )
    if bat_ok and cap_kwh > 0:
        p = bat.params
        stored = min(sd.battery_kwh * per_year, budget)
        eff = p.get("round_trip_efficiency", 0.9)
        if stored > 0:
            draft(
                bat,
                "measures.explanation.battery_own_pv",
                stored * eff,
                stored,
                cap_kwh * p["cost_eur_per_kwh"],
                capacity=cap_kwh,
                efficiency=eff,
                investment=cap_kwh * p["cost_eur_per_kwh"],
            )
    return out, size


def _pays(d: _Draft) -> bool:
    """True when the draft pays back within its lifetime."""
    return d.eur > 0 and (d.investment <= 0 or d.investment / d.eur <= d.measure.lifetime_years)


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
        hp_said = facts.get("heating") == "heat_pump"
        ev_said = bool(facts.get("ev"))
        hp = hp_said or "heat_pump" in facts["signatures"]
        ev = ev_said or "ev_charging" in facts["signatures"]
        device = "hp+ev" if hp and ev else "hp" if hp else "ev"
        # a device only seen in the curve makes the saving conditional on the household's confirmation
        conds = tuple(
            c
            for c, seen, said in (("device:heat_pump", hp, hp_said), ("device:ev_charging", ev, ev_said))
            if seen and not said
        )
        if p14 is not None and p14.best_eur > 0:
            out.append(
                _Draft(
                    m,
                    0.0,
                    p14.best_eur,
                    0.0,
                    "simulated" if p14.best_module == 2 else "estimate",
                    "medium" if not conds else "low",
                    {"device": ("device", device), "module": ("module", p14)},
                    conditions=conds,
                )
            )
        elif p14 is None:
            eur = float(seeds.value("tariff_components.para14a_module1_eur_per_year"))
            out.append(
                _Draft(
                    m,
                    0.0,
                    eur,
                    0.0,
                    "estimate",
                    "medium" if not conds else "low",
                    {"device": ("device", device), "module": ("module1", eur)},
                    conditions=conds,
                )
            )
    return out


# ---------------------------------------------------------------------------------- texts
def _module_message(spec: tuple) -> Message:
    """The § 14a module sentence (``measures.po``)."""
    kind, obj = spec
    if kind == "module1":
        return Message("measures.module1", eur=obj)
    p = obj
    return Message(
        "measures.module_compare",
        module1=p.module1_eur,
        module2=p.module2_eur,
        kwh=p.device_kwh,
        best=Message("measures.module.2" if p.best_module == 2 else "measures.module.1"),
    )


def _param(v: Any) -> Any:
    """One placeholder of a measure text as a renderable parameter (figures stay figures)."""
    if isinstance(v, tuple) and v:
        if len(v) == 2 and v[0] in _UNITS:
            return Message(_UNITS[v[0]], v=v[1])
        if v[0] == "device":
            return Message(f"measures.device.{v[1]}")
        if v[0] == "shift_note":
            return Message("measures.shift_note") if v[1] else ""
        if v[0] == "flex":
            flex = [Message(f"measures.flex.{x}") if f"measures.flex.{x}" in codes("en") else x for x in v[1]]
            return join(flex, ", ") if flex else "–"
        if len(v) == 2 and isinstance(v[1], int) and not isinstance(v[1], bool):
            return Message(f"measures.value.n{min(v[1], 3)}", v=v[0])
    if isinstance(v, (Message, str)):
        return v
    return str(v)  # a year or a label: as written, no digit grouping


_UNITS = {"kWp": "measures.value.kwp", "W": "measures.value.w", "kWh": "measures.value.kwh"}


def _text_params(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, v in values.items():
        if isinstance(v, tuple) and v and v[0] in ("module", "module1"):
            out["module_text"] = _module_message(v)
        else:
            out[key] = _param(v)
    return out


#: Devices a conditional measure may depend on (``measures.condition.device.*``).
CONDITION_DEVICES = ("device:heat_pump", "device:ev_charging", "device:instantaneous_water_heater")


def _and(parts: list[Message]) -> Message:
    """``a``, ``a und b``, ``a, b und c`` in the language rendered."""
    if len(parts) == 1:
        return parts[0]
    return Message("measures.condition.and", first=join(parts[:-1], ", "), last=parts[-1])


def condition_message(conditions: tuple[str, ...]) -> Message | str:
    """The opening of a conditional measure's text, or ``""`` without conditions.

    Devices only seen in the curve: "Ihre Lastkurve deutet auf eine Wärmepumpe hin (von Ihnen noch
    nicht bestätigt). Falls das stimmt"; open facts of the home: "Falls Ihnen das Gebäude gehört
    und sich Ihr Dach eignet"; an own PV system whose feed-in is not measured: the surplus question.
    """
    devices = [Message("measures.condition.device." + c.split(":", 1)[1]) for c in conditions if c in CONDITION_DEVICES]
    clauses = [Message(f"measures.condition.{c}") for c in ("ownership", "roof", "balcony") if c in conditions]
    parts: list[Message] = []
    if devices:
        parts.append(Message("measures.condition.devices_seen", devices=_and(devices)))
    if clauses:
        parts.append(Message("measures.condition.if", clauses=_and(clauses)))
    elif devices:
        parts.append(Message("measures.condition.if_right"))
    if "pv_surplus" in conditions:  # own PV seen in the curve, its feed-in not measured
        parts.append(Message("measures.condition.pv_surplus"))
    return join(parts, " ") if parts else ""


def condition_sentence(conditions: tuple[str, ...], language: str) -> str:
    """:func:`condition_message` rendered in ``language`` (``""`` without conditions)."""
    return localize(condition_message(conditions), language)


def _payback_reason(payback: float | None, lifetime: float) -> Message:
    """Why a measure that never pays back within its lifetime is not recommended (measures.po)."""
    if payback is None:
        return Message("measures.not_recommended.never_pays")
    return Message("measures.not_recommended.payback", years=float(payback), lifetime=float(lifetime))


def _not_paying(measure: Measure, eur: float, investment: float) -> NotRecommended:
    """The "checked, not recommended" entry of a measure whose ``investment`` is not paid back by
    ``eur`` a year within its lifetime (payback None: it never pays back)."""
    payback = investment / eur if eur > 0 else None
    life = measure.lifetime_years
    return NotRecommended(
        measure.measure_id,
        "payback_beyond_lifetime",
        _payback_reason(payback, life),
        annual_savings_eur=max(0.0, eur),
        investment_eur=investment,
        payback_years=payback,
        lifetime_years=life,
    )


def _finish(drafts: list[_Draft], price: float, co2_g: float, annual: float):
    """Cap, rank and phrase the drafts: (recommendations, not recommended)."""
    not_recs: list[NotRecommended] = []
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
        inv = max(0.0, d.investment)
        payback = (inv / eur if eur > 0 else None) if inv > 0 else 0.0
        life = d.measure.lifetime_years
        if inv > 0 and (payback is None or payback > life):
            not_recs.append(_not_paying(d.measure, eur, inv))
            continue
        values = {**d.values, "saving_kwh": (kwh, 0), "saving_eur": (eur, 0)}
        first, second = ("estimate", "measured") if d.basis == "estimate" else ("measured", "estimate")
        cond = condition_message(d.conditions)
        if d.message is not None:  # figures after the cap above
            body = Message(d.message.code, **{**d.message.params, "kwh": kwh, "eur": eur})
        else:
            code = d.measure.text_code(first) or d.measure.text_code(second)
            body = Message(code, **_text_params(values)) if code else ""
        explanation = Message("measures.conditional", condition=cond, body=body) if cond and body else body
        recs.append(
            Recommendation(
                measure_id=d.measure.measure_id,
                explanation_message=explanation,
                annual_savings_kwh=kwh,
                annual_savings_eur=eur,
                annual_co2_kg=kwh * co2_g / 1000.0,
                investment_eur=inv,
                payback_years=payback,
                confidence=d.confidence,
                basis=d.basis,
                sources=(d.measure.cite(),) + d.extra_sources,
                lifetime_years=life,
                conditional=bool(d.conditions),
                conditions=tuple(d.conditions),
                condition_message=cond,
                confidence_basis_message=d.rests_on or "",
            )
        )
    # what depends on nothing unknown first, then what depends on an open question; each by EUR/yr
    recs.sort(key=lambda r: (r.conditional, -r.annual_savings_eur))
    return [replace(r, rank=i + 1) for i, r in enumerate(recs)], not_recs
