"""Compare a household's annual consumption with its peers: Stromspiegel 2025 class and percentile.

The class table (average and class bounds A-F per persons x dwelling x electric hot water) lives
in ``seeds/stromspiegel_2025.csv`` with its source and date; rows whose figures come from a
secondary transcription carry ``bounds_verify`` / ``average_verify`` and every result says so.

Class: the first class whose upper bound the annual consumption does not exceed (G above F).

Percentile (a model, not a published figure): a lognormal distribution of comparable households'
consumption is fitted through the table row by taking the class-A upper bound as its P10 and the
class-F upper bound as its P90 (seeds ``benchmarks.stromspiegel_percentile_a_bound`` / ``_f_bound``).
Its median is then the geometric mean of the two bounds, which lands close to the table average in
most rows. Weakness: co2online publishes no percentiles, so the tails are assumed; a household
far outside A..F gets a percentile near 0 or 100 that should be read as "far below / above".

Own generation (a PV system behind the meter: the meter's feed-in register 2.8.0, a stated kWp or
the ``own_pv`` signature): the import meter sees only what the grid delivers, not what the panels
supply directly, so a class on grid import would look too good. The class is then computed on
total consumption = import + (kWp x seeded yield - measured feed-in) when the size and a year of
feed-in are known (flagged in the notes), and otherwise withheld with the reason and what is
missing (:class:`OwnGeneration`).

No class is given (``efficiency_class=None`` with ``reason``) when persons or dwelling are unknown,
when no seeds are passed, or when a heat pump, night-storage heating or an EV dominates the curve
and its consumption cannot be taken out. When a detected device's annual energy can be estimated,
the class is computed on the curve with that load taken out, and ``adjusted_for`` says so.

Texts: ``reason``, ``case`` and ``adjusted_for`` are :class:`~advisor.texts.Message` codes with
their figures (catalogue ``advisor/locale/*/LC_MESSAGES/benchmark.po``); as strings they read in
English, ``texts.localize(result.reason, "de")`` gives German. ``to_dict()`` adds the rendered
``*_de`` / ``*_en`` texts and the ``*_code`` entries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from advisor.texts import Message, join, text_fields

if TYPE_CHECKING:  # pragma: no cover
    from advisor.household import Household
    from advisor.seeds import Seeds
    from advisor.signatures import Signature

CLASSES = ("A", "B", "C", "D", "E", "F", "G")
BOUND_COLUMNS = ("a_max_kwh", "b_max_kwh", "c_max_kwh", "d_max_kwh", "e_max_kwh", "f_max_kwh")
TABLE = "stromspiegel_2025"
#: Signatures that would dominate a household comparison (names as in :mod:`advisor.signatures`).
DOMINANT_SIGNATURES = ("heat_pump", "night_storage_heating", "ev_charging")


@dataclass(frozen=True)
class OwnGeneration:
    """What is known about a household's own generation behind its import meter.

    Attributes
    ----------
    evidence
        ``"feed_in"`` (the meter's feed-in register 2.8.0 counted energy), ``"stated"`` (the
        household gave its PV size) or ``"detected"`` (the ``own_pv`` signature of the curve).
    peak_kw
        Size of the PV system [kWp] when the household stated it, else None.
    feed_in_kwh
        Feed-in over the measured period [kWh], None without a feed-in register.
    feed_in_days
        Days that ``feed_in_kwh`` covers [d].
    yield_kwh_per_kwp
        Specific annual yield of an existing system [kWh/(kWp·yr)] (seed
        ``benchmarks.own_pv_yield_kwh_per_kwp``).
    """

    evidence: str
    peak_kw: float | None = None
    feed_in_kwh: float | None = None
    feed_in_days: float = 0.0
    yield_kwh_per_kwp: float = 950.0

    #: Days of feed-in needed for an annual figure (PV output is seasonal: a year, small gaps allowed).
    MIN_FEED_IN_DAYS = 330.0

    @property
    def feed_in_kwh_per_year(self) -> float | None:
        """Annual feed-in [kWh/yr] from about a year of register values, else None."""
        if self.feed_in_kwh is None or self.feed_in_days < self.MIN_FEED_IN_DAYS:
            return None
        return float(self.feed_in_kwh) * 365.0 / float(self.feed_in_days)

    @property
    def generation_kwh_per_year(self) -> float | None:
        """Estimated annual generation [kWh/yr]: ``peak_kw x yield_kwh_per_kwp``."""
        return None if not self.peak_kw else float(self.peak_kw) * float(self.yield_kwh_per_kwp)

    @property
    def self_consumed_kwh_per_year(self) -> float | None:
        """Estimated generation used in the home [kWh/yr] (generation - feed-in), when both are known
        and consistent (generation above feed-in), else None."""
        gen, fed = self.generation_kwh_per_year, self.feed_in_kwh_per_year
        if gen is None or fed is None or gen <= fed:
            return None
        return gen - fed

    def withheld_reason(self) -> Message:
        """Why the class on grid import is withheld, and what would let us give one."""
        gen, fed = self.generation_kwh_per_year, self.feed_in_kwh_per_year
        if self.evidence == "feed_in":
            evidence = Message(
                "benchmark.own_generation.feed_in",
                kwh=float(self.feed_in_kwh or 0.0),
                days=int(round(self.feed_in_days)),
            )
        elif self.evidence == "stated":
            evidence = Message("benchmark.own_generation.stated", kwp=float(self.peak_kw or 0.0))
        else:
            evidence = Message("benchmark.own_generation.detected")
        if gen is not None and fed is not None:
            ask = Message(
                "benchmark.own_generation.ask.inconsistent", kwp=float(self.peak_kw), generation=gen, feed_in=fed
            )
        elif gen is None and fed is None:
            ask = Message("benchmark.own_generation.ask.kwp_and_feed_in")
        elif gen is None:
            ask = Message("benchmark.own_generation.ask.kwp")
        else:
            ask = Message("benchmark.own_generation.ask.feed_in_year")
        return Message("benchmark.own_generation", evidence=evidence, ask=ask)


@dataclass(frozen=True)
class StromspiegelResult:
    """Stromspiegel comparison of one household.

    Attributes
    ----------
    efficiency_class
        ``"A"`` .. ``"G"``, or None (see ``reason``).
    percentile
        Modelled percentile among comparable households, 0..100 (lower = less consumption), or None.
    reason
        Why there is no class, or notes on how it was computed.
    compared_kwh
        Annual consumption compared [kWh/yr] (after taking out ``adjusted_for``).
    average_kwh
        Table average of comparable households [kWh/yr].
    class_bounds_kwh
        Upper bounds of A..F [kWh/yr].
    case
        E.g. ``"2 persons, apartment, no electric hot water"``.
    adjusted_for
        Loads taken out before comparing (e.g. ``("EV charging ≈1,800 kWh/yr",)``).
    verify
        True when the row's figures are marked VERIFY in the seeds.
    per_capita_kwh
        ``compared_kwh / persons`` [kWh/(person·yr)].
    per_capita_nrw_kwh
        NRW average per person [kWh/(person·yr)] from the seeds.
    per_capita_ratio_nrw
        ``per_capita_kwh / per_capita_nrw_kwh``.
    source
        Citation (source and date).
    estimated
        True when the annual figure is not measured by a smart meter (billed annual consumption or
        meter readings): the class is then an estimate and says so.
    """

    efficiency_class: str | None
    percentile: float | None
    reason: str
    compared_kwh: float | None = None
    average_kwh: float | None = None
    class_bounds_kwh: tuple[float, ...] = ()
    case: str = ""
    adjusted_for: tuple[str, ...] = ()
    verify: bool = False
    per_capita_kwh: float | None = None
    per_capita_nrw_kwh: float | None = None
    per_capita_ratio_nrw: float | None = None
    source: str = ""
    estimated: bool = False

    def to_dict(self) -> dict[str, Any]:
        def r(x, nd=1):
            return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else round(float(x), nd)

        return {
            "class": self.efficiency_class,
            "percentile": r(self.percentile),
            **text_fields("reason", self.reason),
            "compared_kwh": r(self.compared_kwh),
            "average_kwh": r(self.average_kwh),
            "class_bounds_kwh": list(self.class_bounds_kwh),
            **text_fields("case", self.case),
            **text_fields("adjusted_for", list(self.adjusted_for)),
            "verify": self.verify,
            "per_capita_kwh": r(self.per_capita_kwh),
            "per_capita_nrw_kwh": r(self.per_capita_nrw_kwh),
            "per_capita_ratio_nrw": r(self.per_capita_ratio_nrw, 3),
            "source": self.source,
            "estimated": self.estimated,
        }


#: Relative uncertainty of an existing PV system's estimated yield (orientation, shading) [1].
OWN_PV_YIELD_UNCERTAINTY = 0.15
#: Feed-in below this over the period counts as a register that never moved [kWh].
MIN_FEED_IN_KWH = 1.0


def own_generation_of(curve, household, signatures=(), seeds: Seeds | None = None) -> OwnGeneration | None:
    """What the meter, the household and the curve say about own generation (None: nothing).

    Evidence in order of strength: the feed-in register of the same meter (``curve.meta.feed_in_kwh``),
    the stated PV size (``household.existing_pv_kwp``), the ``own_pv`` signature (detected and not
    denied by the household).
    """
    meta = getattr(curve, "meta", None)
    fed = getattr(meta, "feed_in_kwh", None)
    days = float(getattr(meta, "feed_in_days", None) or 0.0)
    kwp = getattr(household, "existing_pv_kwp", None) if household is not None else None
    kwp = float(kwp) if kwp else None
    sig = next((s for s in signatures if s.name == "own_pv"), None)
    detected = sig is not None and sig.detected and getattr(sig, "household_answer", "unknown") != "no"
    if fed is not None and fed >= MIN_FEED_IN_KWH:
        evidence = "feed_in"
    elif kwp:
        evidence = "stated"
    elif detected:
        evidence = "detected"
    else:
        return None
    yield_kwh = _seed_or(seeds, "benchmarks.own_pv_yield_kwh_per_kwp", 950.0) if seeds is not None else 950.0
    return OwnGeneration(
        evidence,
        peak_kw=kwp,
        feed_in_kwh=float(fed) if fed is not None and fed >= MIN_FEED_IN_KWH else None,
        feed_in_days=days,
        yield_kwh_per_kwp=float(yield_kwh),
    )


def efficiency_class(annual_kwh: float, bounds_kwh: tuple[float, ...]) -> str:
    """Class letter for ``annual_kwh`` given the upper bounds of A..F [kWh/yr] (G above F)."""
    for letter, bound in zip(CLASSES, bounds_kwh, strict=False):
        if annual_kwh <= bound:
            return letter
    return "G"


def lognormal_percentile(
    annual_kwh: float, a_bound_kwh: float, f_bound_kwh: float, *, a_pct: float = 10.0, f_pct: float = 90.0
) -> float:
    """Percentile [0..100] of ``annual_kwh`` in a lognormal with the A bound at ``a_pct`` and F at ``f_pct``."""
    if annual_kwh <= 0:
        return 0.0
    nd = NormalDist()
    za, zf = nd.inv_cdf(a_pct / 100.0), nd.inv_cdf(f_pct / 100.0)
    la, lf = math.log(a_bound_kwh), math.log(f_bound_kwh)
    sigma = (lf - la) / (zf - za)
    mu = la - za * sigma
    return 100.0 * nd.cdf((math.log(annual_kwh) - mu) / sigma)


def stromspiegel_row(seeds: Seeds, persons: int, dwelling: str, electric_hot_water: bool) -> dict[str, Any]:
    """The seed table row for a case (persons above 5 use the ``5+`` row)."""
    from advisor.errors import SeedError

    t = seeds.table(TABLE)
    p = min(int(persons), 5)
    el = t["electric_hot_water"].astype(str).str.lower().isin(["true", "1", "yes"])
    sel = t[(t["persons"].astype(int) == p) & (t["dwelling"] == dwelling) & (el == bool(electric_hot_water))]
    if len(sel) != 1:
        raise SeedError(
            f"seed table `{TABLE}` must have exactly one row for {p} persons, {dwelling}, el. DHW={electric_hot_water}; has {len(sel)}"
        )
    return sel.iloc[0].to_dict()


def _truthy(v: Any) -> bool:
    return str(v).strip().lower() in ("true", "1", "yes")


def stromspiegel_for(
    annual_kwh: float,
    household: Household | None,
    *,
    signatures: list[Signature] | tuple[Signature, ...] = (),
    seeds: Seeds | None = None,
    data_quality_score: float | None = None,
    estimated: bool = False,
    state: str | None = "DE-NW",
    own_generation: OwnGeneration | None = None,
) -> StromspiegelResult:
    """Stromspiegel 2025 class and modelled percentile of a household, or the reason for none.

    ``state`` is the household's Land (ISO 3166-2, from its postal code): the per-capita
    comparison with the NRW average is made only for ``DE-NW``; None (unknown) keeps the
    Stadtwerk's region (NRW for Herne).

    Parameters
    ----------
    annual_kwh
        Annual consumption [kWh/yr] (e.g. :attr:`LoadAnalysis.annual_kwh`).
    household
        Needs ``persons`` and ``dwelling``; ``hot_water`` unknown is compared as "no electric hot
        water" and said so; ``heating`` / ``ev`` answers count like detected signatures.
    signatures
        Detected signatures; heat pump, night storage or EV with an annual estimate are taken out.
    seeds
        Seeds with the ``stromspiegel_2025`` table and ``benchmarks.*`` values.
    data_quality_score
        Score 0..1 of the data behind ``annual_kwh``; below ``benchmarks.min_data_quality_for_class``
        the class is withheld (the figures are then too unsure to rank a household), below 0.6
        it is given with a warning in the reason.
    estimated
        The annual figure comes from a bill or meter readings, not a smart meter: the class is
        given (that is what the Stromspiegel is made for) and flagged ``estimated``.
    own_generation
        Own PV behind the meter (see :class:`OwnGeneration`): ``annual_kwh`` is then grid import
        only; the class is computed on import plus the estimated self-consumption, or withheld.
    """
    notes: list[Message] = []
    if seeds is None:
        return StromspiegelResult(None, None, Message("benchmark.no_seeds"))
    if annual_kwh is None or not math.isfinite(annual_kwh) or annual_kwh <= 0:
        return StromspiegelResult(None, None, Message("benchmark.no_annual"))
    min_quality = _seed_or(seeds, "benchmarks.min_data_quality_for_class", None)
    if data_quality_score is not None and min_quality is not None and data_quality_score < min_quality:
        return StromspiegelResult(
            None,
            None,
            Message("benchmark.low_quality", score=float(data_quality_score), min=float(min_quality)),
            compared_kwh=float(annual_kwh),
        )
    if own_generation is not None:
        own_kwh = own_generation.self_consumed_kwh_per_year
        if own_kwh is None:
            return StromspiegelResult(None, None, own_generation.withheld_reason(), compared_kwh=float(annual_kwh))
        notes.append(
            Message(
                "benchmark.note.own_generation",
                grid_kwh=float(annual_kwh),
                own_kwh=own_kwh,
                kwp=float(own_generation.peak_kw),
                yield_kwh=float(own_generation.yield_kwh_per_kwp),
                feed_in_kwh=float(own_generation.feed_in_kwh_per_year),
            )
        )
        annual_kwh = float(annual_kwh) + own_kwh
    if household is None or household.persons is None or household.dwelling is None:
        missing = [n for n in ("persons", "dwelling") if household is None or getattr(household, n) is None]
        return StromspiegelResult(None, None, Message("benchmark.needs." + "_".join(missing)))
    compared = float(annual_kwh)
    adjusted: list[Message] = []
    by_name = {s.name: s for s in signatures}
    stated = {
        "heat_pump": household.heating == "heat_pump",
        "night_storage_heating": household.heating == "night_storage",
        "ev_charging": bool(household.ev),
    }
    for name in DOMINANT_SIGNATURES:
        device = Message(f"benchmark.device.{name}")
        sig = by_name.get(name)
        detected = sig is not None and sig.detected and getattr(sig, "household_answer", "unknown") != "no"
        if not (detected or stated[name]):
            continue
        est = sig.annual_kwh if detected else None
        if est is not None and math.isfinite(est) and est > 0:
            if est >= 0.9 * compared:
                return StromspiegelResult(
                    None,
                    None,
                    Message("benchmark.dominates_all", device=device, kwh=float(est)),
                )
            compared -= est
            adjusted.append(
                Message("benchmark.adjusted", device=Message(f"benchmark.device_bare.{name}"), kwh=float(est))
            )
        else:
            why = Message("benchmark.why.stated" if stated[name] else "benchmark.why.detected")
            return StromspiegelResult(None, None, Message("benchmark.cannot_separate", device=device, why=why))
    electric = household.hot_water == "electric"
    if household.hot_water is None:
        notes.append(Message("benchmark.note.hot_water_unknown"))
    row = stromspiegel_row(seeds, household.persons, household.dwelling, electric)
    if household.persons > 5:
        notes.append(Message("benchmark.note.persons_5plus", n=int(household.persons)))
    bounds = tuple(float(row[c]) for c in BOUND_COLUMNS)
    cls = efficiency_class(compared, bounds)
    if own_generation is not None:
        # the yield of an existing system is known to about ±15 % (orientation, shading): say when
        # that uncertainty spans more than one class
        spread = OWN_PV_YIELD_UNCERTAINTY * own_generation.generation_kwh_per_year
        low = efficiency_class(max(compared - spread, compared - own_generation.self_consumed_kwh_per_year), bounds)
        high = efficiency_class(compared + spread, bounds)
        if low != high:
            notes.append(Message("benchmark.note.own_generation_range", low=low, high=high))
    a_pct = _seed_or(seeds, "benchmarks.stromspiegel_percentile_a_bound", 10.0)
    f_pct = _seed_or(seeds, "benchmarks.stromspiegel_percentile_f_bound", 90.0)
    pct = lognormal_percentile(compared, bounds[0], bounds[5], a_pct=a_pct, f_pct=f_pct)
    verify = _truthy(row.get("bounds_verify", False)) or _truthy(row.get("average_verify", False))
    if verify:
        notes.append(Message("benchmark.note.verify"))
    if adjusted:
        notes.append(Message("benchmark.note.adjusted", items=join(adjusted, ", ")))
    if data_quality_score is not None and data_quality_score < 0.6:
        notes.append(Message("benchmark.note.quality_warn", score=float(data_quality_score)))
    if estimated:
        notes.append(Message("benchmark.note.estimated"))
    notes.append(Message("benchmark.note.percentile_modelled"))
    shown_persons = f"{min(household.persons, 5)}{'+' if household.persons >= 5 else ''}"
    case = Message(
        "benchmark.case",
        n=int(household.persons),
        persons=shown_persons,
        dwelling=Message(f"benchmark.dwelling.{household.dwelling}"),
        hot_water=Message("benchmark.hot_water.electric" if electric else "benchmark.hot_water.other"),
    )
    per_capita = compared / household.persons
    nrw = _seed_or(seeds, "benchmarks.per_capita_nrw_kwh", None) if state in (None, "DE-NW") else None
    return StromspiegelResult(
        efficiency_class=cls,
        percentile=pct,
        reason=join(notes, "; "),
        compared_kwh=compared,
        average_kwh=float(row["average_kwh"]),
        class_bounds_kwh=bounds,
        case=case,
        adjusted_for=tuple(adjusted),
        verify=verify,
        per_capita_kwh=per_capita,
        per_capita_nrw_kwh=nrw,
        per_capita_ratio_nrw=(per_capita / nrw) if nrw else None,
        source=f"{row['source']} ({row['date']})",
        estimated=bool(estimated),
    )


def _seed_or(seeds: Seeds, key: str, default: Any) -> Any:
    from advisor.errors import SeedError

    try:
        return float(seeds.value(key))
    except SeedError:
        return default
