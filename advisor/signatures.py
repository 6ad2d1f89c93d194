"""German-typical device signatures in a household load curve, each with a confidence and evidence.

Every detector looks at a few robust statistics of the curve in local wall-clock time and returns
a :class:`Signature` with ``confidence`` 0..1 (``detected`` from 0.5) and a sentence of evidence
that names the figures it rests on, in English (``evidence``) and German (``evidence_de``, German
number formats; see :mod:`advisor.texts` for the convention). :data:`SIGNATURE_NAMES` lists the
signatures in both languages. Where the data cannot show a signature (hourly data for an
instantaneous water heater, no prices for dynamic-tariff behaviour, no summer in the data …) the
signature says so with ``assessable=False`` instead of guessing.

Detectors (thresholds are part of the method, documented in ``docs/analysis.md``):

``ev_charging``
    Runs of ≥ 2 h (≥ 1 h from 6 kW) with power >= 2.5 kW above the always-on floor, flat (coefficient of
    variation < 0.3), mean 2.6-12.5 kW above the floor (3.0-3.7 kW one phase, 7.4 / 11 kW wallboxes, 2.3 kW Schuko
    charging is not caught). Confidence grows with the number of sessions and falls when all of
    them lie in winter nights (then more likely night-storage heating).
``night_storage_heating``
    Winter (Nov-Feb) night (00-06) mean power well above summer nights and above the winter
    daytime mean, with blocks >= 2 h of >= 1.5 kW in most winter nights.
``heat_pump``
    Daily energy against heating degrees (15 °C base) of a measured temperature series; without
    one, the typical-year climatology of :mod:`advisor.weather` where the household's location is
    known (lower confidence); else the ratio of winter to summer daily energy (lowest confidence).
``circulation_pump``
    Step of 30-150 W in the night-time floor (lowest night hourly mean of each day) in the
    heating season (Nov-Mar) against summer (Jun-Aug), present on most heating-season days.
``standby_floor``
    The always-on level and how stable it is from day to day.
``own_pv``
    Summer (May-Aug) days whose lowest midday (10-16) hour is below a quarter of the summer night
    floor on many days, discounted by half the share of such winter (Nov-Jan) days: an import meter behind PV sees the base load
    covered at noon.
``instantaneous_water_heater``
    Isolated single intervals >= 4 kW standing >= 3 kW above both neighbours on many days. A
    5-8 min shower at 18-24 kW is diluted to 6-13 kW in a quarter-hour, to half that in 30 min;
    in hourly data it looks like a kettle and is not assessed.
``dynamic_tariff``
    Consumption following cheap hours: correlation of the household's hourly deviation from the
    BDEW H25 shape with the hourly price deviation of the same day (needs a price series).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from advisor.annual import h25_weights
from advisor.curve_arrays import CurveArrays, curve_arrays, daily_minimum_kw
from advisor.texts import Message, num, render, signed
from advisor.units import interval_hours

if TYPE_CHECKING:  # pragma: no cover
    from advisor.household import Household
    from advisor.loadcurve import LoadCurve

DETECTED_FROM = 0.5
WINTER_MONTHS = (11, 12, 1, 2)
HEATING_MONTHS = (11, 12, 1, 2, 3)
SUMMER_MONTHS = (6, 7, 8)
PV_MONTHS = (5, 6, 7, 8)
SUMMER_HALF = (4, 5, 6, 7, 8, 9)
HDD_BASE_C = 15.0
EV_RUN_KW = 2.5  # a charging run: every interval at least this far above the always-on floor
EV_MIN_MEAN_KW = 2.6  # and its mean at least this (one-phase 13-16 A charging: 3.0-3.7 kW)
EV_MIN_DAYS = 14  # fewer days of data cannot tell a car from a heater
EV_MIN_SESSIONS_PER_WEEK = 0.5  # fewer charging-like blocks than this lower the confidence in proportion
EV_DAYLIGHT_HOURS = (8, 17)  # behind own PV, blocks starting in these local hours are partly hidden in summer
EV_MIN_SEASON_BLOCKS = 6  # behind own PV, fewer blocks outside daylight than this: no season test
EV_DAYLIGHT_SHARE = 0.5  # behind own PV, this share of blocks or more in daylight: no season test

#: Signatures with a display name (catalogue code ``signature.label.<name>``, signatures.po).
SIGNATURE_NAMES = (
    "standby_floor",
    "ev_charging",
    "night_storage_heating",
    "heat_pump",
    "circulation_pump",
    "own_pv",
    "instantaneous_water_heater",
    "dynamic_tariff",
)


#: Signatures a household can confirm or deny: (Household field, answers meaning yes, answers meaning no).
DEVICE_ANSWERS = {
    "heat_pump": ("heating", ("heat_pump",), ("night_storage", "other")),
    "night_storage_heating": ("heating", ("night_storage",), ("heat_pump", "other")),
    "ev_charging": ("ev", (True,), (False,)),
    "own_pv": ("existing_pv_kwp", "positive", "zero"),
    "instantaneous_water_heater": ("hot_water", ("electric",), ("other",)),
}

#: Devices put to the household as a question ("a household with …": code ``signature.with.<name>``).
DEVICE_WITH = (
    "heat_pump",
    "night_storage_heating",
    "ev_charging",
    "own_pv",
    "instantaneous_water_heater",
    "circulation_pump",
)


def device_answer(name: str, household: Household | None) -> bool | None:
    """What the household said about the device behind signature ``name``: True (has it), False
    (has not) or None (not asked, unknown, or not a device it can answer for)."""
    spec = DEVICE_ANSWERS.get(name)
    if spec is None or household is None:
        return None
    key, yes, no = spec
    value = getattr(household, key, None)
    if value is None:
        return None
    if yes == "positive":
        return bool(value > 0)
    if value in yes:
        return True
    if value in no:
        return False
    return None


def with_feed_in(
    signatures, feed_in_kwh: float | None, feed_in_days: float | None, stated_kwp: float | None = None
) -> list[Signature]:
    """The signatures of a household with its own generation behind the meter.

    * ``own_pv`` is confirmed by the meter itself when its feed-in register (2.8.0) counted
      energy: feed-in is proof of own generation, whatever the import curve looks like.
    * With own PV (fed in, stated or detected and not denied), ``heat_pump`` is not assessable:
      the panels lower the summer import far more than the winter one, and that seasonal swing
      (and its correlation with warm, sunny days) is what the heat-pump detector reads as heating.
    """
    out = list(signatures)
    if feed_in_kwh is not None and feed_in_kwh >= 1.0:
        evidence = Message("signature.own_pv.feed_in", kwh=float(feed_in_kwh), days=int(round(feed_in_days or 0.0)))
        out = [
            replace(
                s, confidence=1.0, assessable=True, evidence=evidence, evidence_de=evidence.text("de"), confirmed=True
            )
            if s.name == "own_pv"
            else s
            for s in out
        ]
    pv = next((s for s in out if s.name == "own_pv"), None)
    has_pv = bool(stated_kwp) or (pv is not None and pv.detected and pv.household_answer != "no")
    if has_pv:
        why = Message("signature.heat_pump.behind_pv")
        out = [
            replace(s, confidence=0.0, assessable=False, annual_kwh=None, evidence=why, evidence_de=why.text("de"))
            if s.name == "heat_pump"
            else s
            for s in out
        ]
    return out


def modelled(signatures) -> list[Signature]:
    """The signatures of a curve modelled from an annual figure: none is assessable.

    A standard load profile has a night floor, a winter excess and midday dips of its own; read as
    devices they would put questions to the household about a pump or a heat pump that only the
    profile has. The household's answers (``confirmed`` / ``household_answer``) are kept.
    """
    why = Message("signature.modelled")
    return [
        replace(s, confidence=0.0, assessable=False, annual_kwh=None, evidence=why, evidence_de=why.text("de"))
        for s in signatures
    ]


def with_answers(signatures, household: Household | None) -> list[Signature]:
    """The signatures with the household's answers: ``confirmed`` / ``household_answer`` set."""
    out = []
    for s in signatures:
        ans = device_answer(s.name, household)
        out.append(replace(s, confirmed=ans is True, household_answer={True: "yes", False: "no"}.get(ans, "unknown")))
    return out


def device_question(sig: Signature, lang: str = "de") -> str:
    """A detected but unconfirmed device, put to the household as a question with its evidence."""
    code = "signature.question.own_pv" if sig.name == "own_pv" else "signature.question"
    with_ = Message(f"signature.with.{sig.name}") if sig.name in DEVICE_WITH else signature_label(sig.name, lang)
    return render(code, lang, {"with_": with_, "evidence": sig.text(lang), "pct": round(100 * sig.confidence)})


def device_questions(signatures, lang: str = "de") -> list[str]:
    """Questions for every detected device the household has neither confirmed nor denied."""
    return [
        device_question(s, lang)
        for s in signatures
        if s.detected and s.name in DEVICE_WITH and not s.confirmed and s.household_answer != "no"
    ]


def signature_label(name: str, lang: str = "de") -> str:
    """Display name of signature ``name`` in ``lang`` (the name itself when unknown)."""
    return render(f"signature.label.{name}", lang) if name in SIGNATURE_NAMES else name


@dataclass(frozen=True)
class Signature:
    """One device or behaviour signature.

    Attributes
    ----------
    name
        ``ev_charging``, ``night_storage_heating``, ``heat_pump``, ``circulation_pump``,
        ``standby_floor``, ``own_pv``, ``instantaneous_water_heater`` or ``dynamic_tariff``.
    confidence
        0..1; the signature counts as detected from 0.5.
    evidence
        The figures the confidence rests on, in plain English.
    assessable
        False when the data cannot show it (too coarse, no season, no prices); confidence is 0.
    annual_kwh
        Estimated consumption of the device [kWh/yr] where it can be estimated, else None.
    power_w
        Characteristic power [W] (pump step, floor level, charging level …) where known.
    evidence_de
        ``evidence`` in German, with German number formats.
    confirmed
        True only when the household said it has the device (a detected signature stays
        ``confirmed=False`` until then: the curve suggests, it does not prove).
    household_answer
        ``"yes"``, ``"no"`` or ``"unknown"``: what the household said about the device.
    """

    name: str
    confidence: float
    evidence: str
    assessable: bool = True
    annual_kwh: float | None = None
    power_w: float | None = None
    evidence_de: str = ""
    confirmed: bool = False
    household_answer: str = "unknown"

    def __post_init__(self) -> None:
        c = self.confidence
        if not (isinstance(c, (int, float)) and 0.0 <= c <= 1.0):
            raise ValueError(f"`confidence` must be in 0..1; got {c!r}")

    @property
    def detected(self) -> bool:
        return self.assessable and self.confidence >= DETECTED_FROM

    def text(self, lang: str = "de") -> str:
        """The evidence in ``lang``: English, else German (Turkish falls back to German, as the
        catalogues do, until the evidence texts are message codes)."""
        if isinstance(self.evidence, Message):
            return self.evidence.text(lang)
        return self.evidence if lang == "en" else (self.evidence_de or self.evidence)

    def label(self, lang: str = "de") -> str:
        """The signature's display name in ``lang``."""
        return signature_label(self.name, lang)

    def with_note(self, note_en: str, note_de: str, **changes: Any) -> Signature:
        """A copy with a note appended to the evidence in both languages (and other fields changed)."""
        return replace(
            self, evidence=self.evidence + note_en, evidence_de=(self.evidence_de or self.evidence) + note_de, **changes
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "confidence": round(float(self.confidence), 3),
            "detected": self.detected,
            "confirmed": self.confirmed,
            "household_answer": self.household_answer,
            "assessable": self.assessable,
            "evidence": self.evidence,
            "evidence_de": self.evidence_de,
            "annual_kwh": None if self.annual_kwh is None else round(float(self.annual_kwh), 1),
            "power_w": None if self.power_w is None else round(float(self.power_w), 1),
        }


def _clip01(x: float) -> float:
    if x is None or not math.isfinite(x):
        return 0.0
    return float(min(1.0, max(0.0, x)))


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start positions and lengths of the True runs of ``mask``."""
    d = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1)
    return starts, ends - starts


def _not_assessable(name: str, why: str, why_de: str) -> Signature:
    return Signature(name=name, confidence=0.0, evidence=why, assessable=False, evidence_de=why_de)


def _g(value: float, lang: str) -> str:
    """Shortest form of a number (``:g``) with the language's decimal mark."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "de" else text


# ------------------------------------------------------------------------------- detectors
@dataclass(frozen=True)
class _Blocks:
    starts: np.ndarray
    lengths: np.ndarray
    ok: np.ndarray
    means_kw: np.ndarray
    sums_kw: np.ndarray
    excess_kw: np.ndarray


def _ev_blocks(a: CurveArrays, floor_kw: float) -> _Blocks:
    """Runs of >= 2.5 kW above the floor; ``ok`` marks flat ones of 2.6-12.5 kW lasting >= 2 h
    (>= 1 h from 6 kW: an 11 kW wallbox fills a car in one or two hours) (vectorised).

    2.6 kW catches one-phase charging at 13-16 A (3.0-3.7 kW) with the household's own load
    varying beneath it; 2.3 kW Schuko charging stays below."""
    min_len = max(2, int(math.ceil(120 / a.interval_minutes)))
    min_len_fast = max(1, int(math.ceil(60 / a.interval_minutes)))
    excess = np.where(a.known, a.power_kw - (floor_kw if math.isfinite(floor_kw) else 0.0), 0.0)
    starts, lengths = _runs(excess >= EV_RUN_KW)
    keep = lengths >= min_len_fast
    starts, lengths = starts[keep], lengths[keep]
    # per-run mean and coefficient of variation via cumulative sums
    c1 = np.concatenate(([0.0], np.cumsum(excess)))
    c2 = np.concatenate(([0.0], np.cumsum(excess**2)))
    s1 = c1[starts + lengths] - c1[starts]
    s2 = c2[starts + lengths] - c2[starts]
    mean = s1 / np.maximum(lengths, 1)
    var = np.maximum(s2 / np.maximum(lengths, 1) - mean**2, 0.0)
    cv = np.sqrt(var) / np.maximum(mean, 1e-9)
    # a session rarely starts or ends on an interval boundary: judge flatness without the two edge
    # intervals when the run is long enough to have an inside
    inner_n = np.maximum(lengths - 2, 1)
    i1 = c1[starts + lengths - 1] - c1[starts + 1]
    i2 = c2[starts + lengths - 1] - c2[starts + 1]
    inner_mean = i1 / inner_n
    inner_cv = np.sqrt(np.maximum(i2 / inner_n - inner_mean**2, 0.0)) / np.maximum(inner_mean, 1e-9)
    flat = (cv < 0.3) | ((lengths >= 3) & (inner_cv < 0.3))
    ok = (mean >= EV_MIN_MEAN_KW) & (mean <= 12.5) & flat & ((lengths >= min_len) | (mean >= 6.0))
    return _Blocks(starts, lengths, ok, mean, s1, excess)


def _ev_power_kw(a: CurveArrays, floor_kw: float) -> np.ndarray:
    """Power [kW] above the floor inside the accepted EV blocks, 0 elsewhere."""
    b = _ev_blocks(a, floor_kw)
    mark = np.zeros(len(a.power_kw) + 1, dtype=np.int64)
    np.add.at(mark, b.starts[b.ok], 1)
    np.add.at(mark, (b.starts + b.lengths)[b.ok], -1)
    inside = np.cumsum(mark[:-1]) > 0
    return np.where(inside, b.excess_kw, 0.0)


def detect_ev_charging(
    a: CurveArrays,
    floor_kw: float,
    household: Household | None = None,
    annual_kwh: float | None = None,
    *,
    behind_pv: bool = False,
) -> Signature:
    """EV charging: long flat blocks of 2.6-12.5 kW above the always-on floor.

    Needs at least :data:`EV_MIN_DAYS` days of data. The annual charging energy is the blocks'
    share of the measured energy applied to the household's annual figure (``annual_kwh``), so
    it can never exceed the household's total, however short the data.

    ``behind_pv``: the household has its own PV (detected, fed in or stated). Its panels cover
    much of a car charged at noon in summer, so daytime blocks are rarer in summer than they are;
    the season test (blocks that follow the heating season point to electric heating) then looks
    only at blocks starting outside the daylight hours (:data:`EV_DAYLIGHT_HOURS`); when most
    blocks start in daylight, or too few outside, it is not made (confidence x 0.7 and twice the
    minimum rate of blocks a week, said in the evidence).
    """
    name = "ev_charging"
    minutes = a.interval_minutes
    blocks = _ev_blocks(a, floor_kw)
    n_sessions = int(blocks.ok.sum())
    session_kwh = 0.0
    in_summer = 0
    levels = np.array([])
    timer_share = 0.0
    if n_sessions:
        st = blocks.starts[blocks.ok]
        session_kwh = float((blocks.sums_kw[blocks.ok] * interval_hours(minutes)).sum())
        in_summer = int(np.isin(a.month[st], SUMMER_HALF).sum())
        levels = blocks.means_kw[blocks.ok]
        timer_share = float(np.bincount(a.slot[st]).max() / n_sessions)
    days = a.known.sum() * interval_hours(minutes) / 24.0
    weeks = max(days / 7.0, 1e-9)
    known_days = np.bincount(a.day0[a.known], minlength=a.n_days) > 0
    expected_summer = (
        float(np.isin(a.days.month.to_numpy()[known_days], SUMMER_HALF).mean()) if known_days.any() else 0.0
    )
    says_ev = household is not None and household.ev
    told = "; the household says it charges an EV at home" if says_ev else ""
    told_de = "; laut Haushalt wird zu Hause ein E-Auto geladen" if says_ev else ""
    if days < EV_MIN_DAYS:
        return _not_assessable(
            name,
            f"needs >= {EV_MIN_DAYS} days of data to tell charging from other large loads; has {days:.0f}{told}",
            f"braucht mindestens {EV_MIN_DAYS} Tage Daten, um Laden von anderen großen Verbrauchern zu unterscheiden; "
            f"vorhanden sind {num(days, 0, 'de')}{told_de}",
        )
    if n_sessions == 0:
        return Signature(
            name,
            0.0,
            f"no flat blocks of >= {EV_MIN_MEAN_KW:g} kW above the always-on floor lasting ≥ 2 h (≥ 1 h from 6 kW) "
            f"in {days:.0f} days{told}",
            evidence_de=f"keine gleichmäßigen Blöcke von mindestens {_g(EV_MIN_MEAN_KW, 'de')} kW über der Sockellast, "
            "die ≥ 2 h dauern (≥ 1 h ab 6 kW), "
            f"in {num(days, 0, 'de')} Tagen{told_de}",
        )
    conf = min(1.0, n_sessions / 6.0)
    notes: list[tuple[str, str]] = []
    n_season = n_sessions
    daylight_share = 0.0
    if behind_pv and n_sessions:
        st = blocks.starts[blocks.ok]
        outside = (a.hour[st] < EV_DAYLIGHT_HOURS[0]) | (a.hour[st] >= EV_DAYLIGHT_HOURS[1])
        daylight_share = 1.0 - float(outside.mean())
        n_season = int(outside.sum())
        in_summer = int(np.isin(a.month[st[outside]], SUMMER_HALF).sum())
    season_skipped = behind_pv and (daylight_share >= EV_DAYLIGHT_SHARE or n_season < EV_MIN_SEASON_BLOCKS)
    if season_skipped:
        conf *= 0.7
        notes.append(
            (
                "behind the household's own PV most blocks lie in daylight, where the panels hide summer charging, "
                "so the season cannot tell a car from electric heating",
                "hinter der eigenen PV-Anlage liegen die meisten Blöcke bei Tageslicht, wo die Module das Laden im "
                "Sommer verdecken; die Jahreszeit unterscheidet daher nicht zwischen E-Auto und elektrischer Heizung",
            )
        )
    elif expected_summer >= 0.3:
        ratio = (in_summer / n_season) / expected_summer
        season_factor = _clip01((ratio - 0.2) / 0.5)
        if season_factor < 1.0:
            notes.append(
                (
                    f"only {in_summer} of the blocks fall in Apr-Sep: they follow the heating season, "
                    "so electric heating is more likely than a car",
                    f"nur {in_summer} der Blöcke liegen in April bis September: sie folgen der Heizperiode, "
                    "eine elektrische Heizung ist daher wahrscheinlicher als ein E-Auto",
                )
            )
        conf *= season_factor
    else:
        conf *= 0.5
        notes.append(
            (
                "no summer in the data, so charging cannot be told from electric heating",
                "keine Sommermonate in den Daten, daher lässt sich Laden nicht von elektrischer Heizung unterscheiden",
            )
        )
    if timer_share > 0.4 and n_sessions >= 10:
        conf *= 0.5
        notes.append(
            (
                f"{100 * timer_share:.0f} % start at the same clock time: a timer (e.g. a water heater on a night tariff) is as likely",
                f"{num(100 * timer_share, 0, 'de')} % beginnen zur selben Uhrzeit: eine Zeitschaltuhr (z. B. ein "
                "Warmwasserspeicher mit Nachtstrom) ist ebenso wahrscheinlich",
            )
        )
    rate = n_sessions / weeks
    # without the season test a few heater blocks a week look like a car: ask for twice the rate
    min_rate = EV_MIN_SESSIONS_PER_WEEK * (2.0 if season_skipped else 1.0)
    if rate < min_rate:
        # a car charged at home draws every week or two; a few blocks a year are an oven or a heater
        conf *= _clip01(rate / min_rate)
        notes.append(
            (
                f"only {rate:.1f} blocks a week: a car charged at home draws more often",
                f"nur {num(rate, 1, 'de')} Blöcke pro Woche: ein zu Hause geladenes Auto lädt öfter",
            )
        )
    annual = session_kwh * 365.0 / max(days, 1.0)
    known_kwh = float(np.nansum(np.where(a.known, a.energy_kwh, 0.0)))
    if annual_kwh is not None and math.isfinite(annual_kwh) and annual_kwh > 0 and known_kwh > 0:
        annual = min(annual, annual_kwh * session_kwh / known_kwh)
    level_kw = float(np.median(levels))
    note = "".join("; " + n for n, _ in notes)
    note_de = "".join("; " + n for _, n in notes)
    return Signature(
        name,
        _clip01(conf),
        f"{n_sessions} flat charging-like blocks (median {level_kw:.1f} kW above the floor, ≥ 2 h) "
        f"in {days:.0f} days ({n_sessions / weeks:.1f} a week), ≈{annual:.0f} kWh/yr{note}{told}",
        annual_kwh=annual,
        power_w=level_kw * 1000.0,
        evidence_de=f"{n_sessions} gleichmäßige, ladeähnliche Blöcke (Median {num(level_kw, 1, 'de')} kW über der "
        f"Sockellast, ≥ 2 h) in {num(days, 0, 'de')} Tagen ({num(n_sessions / weeks, 1, 'de')} pro Woche), "
        f"≈ {num(annual, 0, 'de')} kWh/Jahr{note_de}{told_de}",
    )


def _day_stats(a: CurveArrays, hours: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Mean power [kW] per day over local hours [h0, h1) and whether the day has them complete."""
    sel = (a.hour >= hours[0]) & (a.hour < hours[1])
    key = a.day0
    total = np.bincount(key[sel & a.known], weights=a.power_kw[sel & a.known], minlength=a.n_days)
    cnt = np.bincount(key[sel & a.known], minlength=a.n_days)
    size = np.bincount(key[sel], minlength=a.n_days)
    need = (hours[1] - hours[0]) * 60 // a.interval_minutes
    ok = (cnt >= np.maximum(size, need)) & (cnt > 0)
    mean = np.where(cnt > 0, total / np.maximum(cnt, 1), np.nan)
    return mean, ok


def _day_month(a: CurveArrays) -> np.ndarray:
    return a.days.month.to_numpy()


def _night_floor_w(a: CurveArrays) -> tuple[np.ndarray, np.ndarray]:
    """Lowest hourly mean power of the night hours 00-05 of each day [W] and completeness."""
    key = a.day0 * 24 + a.hour
    n = a.n_days * 24
    sel = a.known & (a.hour < 5)
    total = np.bincount(key[sel], weights=a.power_kw[sel], minlength=n)
    cnt = np.bincount(key[sel], minlength=n)
    per_hour = 60 // a.interval_minutes
    hourly = np.where(cnt >= per_hour, total / np.maximum(cnt, 1), np.nan).reshape(a.n_days, 24)[:, :5]
    ok = np.isfinite(hourly).all(axis=1)
    with np.errstate(all="ignore"):
        floor = np.where(ok, np.nanmin(np.where(np.isfinite(hourly), hourly, np.inf), axis=1), np.nan)
    return floor * 1000.0, ok


def detect_circulation_pump(a: CurveArrays) -> Signature:
    """Heating circulation pump: a 30-150 W step of the night floor in the heating season."""
    name = "circulation_pump"
    floor_w, ok = _night_floor_w(a)
    month = _day_month(a)
    heat = ok & np.isin(month, HEATING_MONTHS)
    summ = ok & np.isin(month, SUMMER_MONTHS)
    if heat.sum() < 20 or summ.sum() < 20:
        return _not_assessable(
            name,
            f"needs >= 20 complete nights both in the heating season (Nov-Mar) and in summer (Jun-Aug); "
            f"has {int(heat.sum())} and {int(summ.sum())}",
            f"braucht je mindestens 20 vollständige Nächte in der Heizperiode (Nov–Mär) und im Sommer (Jun–Aug); "
            f"vorhanden sind {int(heat.sum())} und {int(summ.sum())}",
        )
    med_h = float(np.median(floor_w[heat]))
    med_s = float(np.median(floor_w[summ]))
    step = med_h - med_s
    consistency = float(np.mean(floor_w[heat] > med_s + 0.5 * max(step, 0.0))) if step > 0 else 0.0
    conf = _clip01((step - 25.0) / 30.0) * _clip01((consistency - 0.5) / 0.3)
    note = note_de = ""
    if step > 150.0:
        conf *= _clip01((300.0 - step) / 150.0)
        note = "; the step is larger than a pump draws (40-100 W): more likely electric heating"
        note_de = "; der Sprung ist größer, als eine Umwälzpumpe aufnimmt (40–100 W): eher eine elektrische Heizung"
    days_heating = 212.0  # Oct-Apr, roughly a German heating season
    return Signature(
        name,
        _clip01(conf),
        f"night floor {med_h:.0f} W in the heating season vs {med_s:.0f} W in summer: step {step:+.0f} W "
        f"on {100 * consistency:.0f} % of heating-season nights{note}",
        annual_kwh=max(step, 0.0) * 24 * days_heating / 1000.0 if conf >= DETECTED_FROM else None,
        power_w=step,
        evidence_de=f"nächtliche Sockellast {num(med_h, 0, 'de')} W in der Heizperiode gegenüber {num(med_s, 0, 'de')} W "
        f"im Sommer: Sprung um {signed(step, 0, 'de')} W in {num(100 * consistency, 0, 'de')} % der Nächte der "
        f"Heizperiode{note_de}",
    )


def detect_standby_floor(a: CurveArrays, always_on_w: float) -> Signature:
    """Always-on floor: its level and its stability from day to day."""

    name = "standby_floor"
    dmin = daily_minimum_kw(a) * 1000.0
    dmin = dmin[np.isfinite(dmin)]
    if dmin.size < 7 or not math.isfinite(always_on_w):
        return _not_assessable(
            name,
            f"needs >= 7 complete days; has {dmin.size}",
            f"braucht mindestens 7 vollständige Tage; vorhanden sind {dmin.size}",
        )
    q25, q75 = np.percentile(dmin, [25, 75])
    spread = (q75 - q25) / max(always_on_w, 1.0)
    conf = _clip01(1.0 - spread)
    if always_on_w <= 1.0:
        return Signature(
            name,
            0.0,
            f"the lowest level is {always_on_w:.0f} W: readings of zero, not a real floor",
            evidence_de=f"der niedrigste Wert ist {num(always_on_w, 0, 'de')} W: Nullwerte, keine echte Sockellast",
        )
    coarse = coarse_de = ""
    if a.interval_minutes >= 30:
        coarse = (
            f"; with {a.interval_minutes}-min data the minima average over cycling appliances (fridge), "
            "so the floor reads higher than with 15-min data"
        )
        coarse_de = (
            f"; bei {a.interval_minutes}-Minuten-Werten mitteln die Minima über taktende Geräte (Kühlschrank), "
            "daher liegt die Sockellast höher als bei 15-Minuten-Werten"
        )
    return Signature(
        name,
        conf,
        f"always-on floor ≈{always_on_w:.0f} W (median of daily minima over {dmin.size} days, "
        f"interquartile range {q25:.0f}-{q75:.0f} W) = {always_on_w * 8.76:.0f} kWh/yr{coarse}",
        annual_kwh=always_on_w * 8.76,
        power_w=always_on_w,
        evidence_de=f"Sockellast (ständig laufende Geräte) ≈ {num(always_on_w, 0, 'de')} W (Median der Tagesminima über {dmin.size} "
        f"Tage, mittlere Hälfte {num(q25, 0, 'de')}–{num(q75, 0, 'de')} W) = {num(always_on_w * 8.76, 0, 'de')} "
        f"kWh/Jahr{coarse_de}",
    )


def detect_own_pv(a: CurveArrays, floor_w: float, household: Household | None = None) -> Signature:
    """Own PV: on summer days the midday import falls far below the summer night floor.

    Without PV the lowest hour of a day is at night and midday stays above the night floor; an
    import meter behind PV sees that floor covered by the panels at noon. ``floor_w`` (the
    always-on level) is used only when the data has too few summer nights.
    """
    name = "own_pv"
    told = told_de = ""
    if household is not None and household.existing_pv_kwp:
        told = f"; the household reports {household.existing_pv_kwp:g} kWp PV"
        told_de = f"; laut Haushalt gibt es eine PV-Anlage mit {_g(household.existing_pv_kwp, 'de')} kWp"
    nfloor_w, nok = _night_floor_w(a)
    month = _day_month(a)
    summer_nights = nok & np.isin(month, PV_MONTHS)
    if summer_nights.sum() >= 14:
        floor_w = float(np.median(nfloor_w[summer_nights]))
    if not math.isfinite(floor_w) or floor_w <= 20.0:
        return _not_assessable(
            name,
            f"no usable night floor ({floor_w:.0f} W) to compare midday import with{told}",
            f"keine brauchbare nächtliche Sockellast ({num(floor_w, 0, 'de')} W), mit dem sich der Bezug zur Mittagszeit "
            f"vergleichen ließe{told_de}",
        )
    key = a.day0 * 24 + a.hour
    n = a.n_days * 24
    sel = a.known & (a.hour >= 10) & (a.hour < 16)
    total = np.bincount(key[sel], weights=a.power_kw[sel], minlength=n)
    cnt = np.bincount(key[sel], minlength=n)
    per_hour = 60 // a.interval_minutes
    hourly = np.where(cnt >= per_hour, total / np.maximum(cnt, 1), np.nan).reshape(a.n_days, 24)[:, 10:16]
    complete = np.isfinite(hourly).all(axis=1)
    summer = complete & np.isin(month, PV_MONTHS)
    if summer.sum() < 14:
        return _not_assessable(
            name,
            f"needs >= 14 complete summer days (May-Aug); has {int(summer.sum())}{told}",
            f"braucht mindestens 14 vollständige Sommertage (Mai–Aug); vorhanden sind {int(summer.sum())}{told_de}",
        )
    midday_min_w = np.min(np.where(np.isfinite(hourly), hourly, np.inf), axis=1) * 1000.0
    low = midday_min_w < 0.25 * floor_w
    frac = float(np.mean(low[summer]))
    winter = complete & np.isin(month, (11, 12, 1))
    frac_w = float(np.mean(low[winter])) if winter.sum() >= 14 else 0.0
    conf = _clip01((frac - 0.5 * frac_w) / 0.3)
    median_midday_w = float(np.median(midday_min_w[summer]))
    return Signature(
        name,
        conf,
        f"on {100 * frac:.0f} % of {int(summer.sum())} summer days (and {100 * frac_w:.0f} % of winter days) the lowest "
        f"midday (10-16 h) hour is below a quarter of the summer night floor of {floor_w:.0f} W "
        f"(median lowest summer midday hour {median_midday_w:.0f} W){told}",
        evidence_de=f"an {num(100 * frac, 0, 'de')} % der {int(summer.sum())} Sommertage (und "
        f"{num(100 * frac_w, 0, 'de')} % der Wintertage) liegt die niedrigste Mittagsstunde (10–16 Uhr) unter einem "
        f"Viertel der nächtlichen Sockellast im Sommer von {num(floor_w, 0, 'de')} W (Median der niedrigsten sommerlichen "
        f"Mittagsstunde {num(median_midday_w, 0, 'de')} W){told_de}",
    )


def detect_instantaneous_water_heater(a: CurveArrays) -> Signature:
    """Electric instantaneous water heater (Durchlauferhitzer): isolated high single-interval spikes."""
    name = "instantaneous_water_heater"
    minutes = a.interval_minutes
    if minutes >= 60:
        return _not_assessable(
            name,
            "hourly data is too coarse: a 5-8 min draw at 18-24 kW averages to about 2 kW over the hour, "
            "like a kettle or an oven",
            "Stundenwerte sind zu grob: eine Zapfung von 5–8 Minuten mit 18–24 kW ergibt im Stundenmittel etwa 2 kW, "
            "wie ein Wasserkocher oder ein Backofen",
        )
    thr, rise = (4.0, 3.0) if minutes == 15 else (3.0, 2.0)
    p = np.where(a.known, a.power_kw, 0.0)
    prev = np.concatenate(([np.inf], p[:-1]))
    nxt = np.concatenate((p[1:], [np.inf]))
    spike = a.known & (p >= thr) & (p - np.maximum(prev, nxt) >= rise)
    days_with = np.unique(a.day0[spike]).size
    n_days = max(int((np.bincount(a.day0[a.known], minlength=a.n_days) > 0).sum()), 1)
    frac = days_with / n_days
    conf = _clip01(frac / 0.4)
    dil, dil_de = (
        (
            "at 15 min a 5-8 min draw at 18-24 kW is diluted to 6-13 kW",
            "in 15-Minuten-Werten verdünnt sich eine Zapfung von 5–8 Minuten mit 18–24 kW auf 6–13 kW",
        )
        if minutes == 15
        else (
            "at 30 min the spike is diluted to half of that, so confidence is reduced",
            "in 30-Minuten-Werten verdünnt sich die Spitze auf die Hälfte davon, daher ist die Sicherheit geringer",
        )
    )
    if minutes == 30:
        conf *= 0.7
    med = float(np.median(p[spike])) if spike.any() else float("nan")
    return Signature(
        name,
        _clip01(conf),
        f"isolated spikes >= {thr:g} kW (>= {rise:g} kW above both neighbours) on {days_with} of {n_days} days"
        + (f", median {med:.1f} kW" if spike.any() else "")
        + f"; {dil}",
        power_w=None if not spike.any() else med * 1000.0,
        evidence_de=f"einzelne Spitzen ≥ {_g(thr, 'de')} kW (≥ {_g(rise, 'de')} kW über beiden Nachbarwerten) an "
        f"{days_with} von {n_days} Tagen" + (f", Median {num(med, 1, 'de')} kW" if spike.any() else "") + f"; {dil_de}",
    )


def detect_night_storage(a: CurveArrays) -> Signature:
    """Night-storage heating: winter night blocks far above summer nights and winter days."""
    name = "night_storage_heating"
    night, ok_n = _day_stats(a, (0, 6))
    day, ok_d = _day_stats(a, (8, 20))
    month = _day_month(a)
    win = ok_n & ok_d & np.isin(month, WINTER_MONTHS)
    if win.sum() < 14:
        return _not_assessable(
            name,
            f"needs >= 14 complete winter days (Nov-Feb); has {int(win.sum())}",
            f"braucht mindestens 14 vollständige Wintertage (Nov–Feb); vorhanden sind {int(win.sum())}",
        )
    # blocks: >= 2 h of >= 1.5 kW within 00-06 on a winter night
    min_len = max(1, 120 // a.interval_minutes)
    sel = a.known & (a.hour < 6) & (a.power_kw >= 1.5)
    starts, lengths = _runs(sel)
    long_ = starts[lengths >= min_len]
    block_days = np.zeros(a.n_days, dtype=bool)
    block_days[a.day0[long_]] = True
    frac_block = float(np.mean(block_days[win]))
    wn = float(np.median(night[win]))
    wd = float(np.median(day[win]))
    summ = ok_n & np.isin(month, SUMMER_MONTHS + (5, 9))
    sn = float(np.median(night[summ])) if summ.sum() >= 14 else float("nan")
    step = wn - sn if math.isfinite(sn) else float("nan")
    ref = f"{sn:.2f} kW in summer nights" if math.isfinite(sn) else "no summer nights in the data"
    ref_de = f"{num(sn, 2, 'de')} kW in Sommernächten" if math.isfinite(sn) else "keine Sommernächte in den Daten"
    conf = _clip01(frac_block / 0.6) * _clip01((wn / max(wd, 1e-6) - 0.8) / 0.5)
    if math.isfinite(step):
        conf *= _clip01((step - 0.5) / 1.0)
    else:
        conf *= 0.7
    annual = None
    if conf >= DETECTED_FROM:
        extra = max(wn - (sn if math.isfinite(sn) else 0.0), 0.0)
        annual = extra * 6.0 * 180.0  # six night hours on ~180 heating days
    return Signature(
        name,
        _clip01(conf),
        f"winter nights (00-06) {wn:.2f} kW vs winter days (08-20) {wd:.2f} kW and {ref}; "
        f"blocks >= 2 h of >= 1.5 kW on {100 * frac_block:.0f} % of winter nights",
        annual_kwh=annual,
        power_w=wn * 1000.0,
        evidence_de=f"Winternächte (0–6 Uhr) {num(wn, 2, 'de')} kW gegenüber Wintertagen (8–20 Uhr) "
        f"{num(wd, 2, 'de')} kW und {ref_de}; Blöcke von ≥ 2 h mit ≥ 1,5 kW in {num(100 * frac_block, 0, 'de')} % "
        "der Winternächte",
    )


def _daily_temperature(temperature: pd.Series, a: CurveArrays, tz: str) -> np.ndarray:
    t = temperature.copy()
    if not isinstance(t.index, pd.DatetimeIndex) or t.index.tz is None:
        from advisor.errors import AdvisorError

        raise AdvisorError("`temperature` must be a Series with a tz-aware DatetimeIndex [°C]")
    t.index = t.index.tz_convert(tz).tz_localize(None)
    daily = t.resample("D").mean()
    return daily.reindex(a.days).to_numpy(dtype=float)


def _household_location(household: Household | None, site=None) -> tuple[float, float] | None:
    """The site passed down from the household settings, else the household's own coordinates."""
    if site is not None:
        return float(site[0]), float(site[1])
    if household is not None and household.has_location:
        return float(household.latitude), float(household.longitude)
    return None


def detect_heat_pump(
    a: CurveArrays,
    tz: str,
    household: Household | None = None,
    temperature: pd.Series | None = None,
    site: tuple[float, float] | None = None,
) -> Signature:
    """Heat pump: temperature dependence of daily energy (measured > climatology > seasons)."""
    name = "heat_pump"
    told = told_de = ""
    if household is not None and household.heating == "heat_pump":
        told = "; the household reports a heat pump"
        told_de = "; laut Haushalt gibt es eine Wärmepumpe"
    daily, ok = _day_stats(a, (0, 24))
    daily_kwh = daily * 24.0
    source = source_de = None
    cap = 1.0
    temp_days = None
    if temperature is not None:
        temp_days = _daily_temperature(temperature, a, tz)
        source = "measured temperature"
        source_de = "gemessene Temperatur"
    else:
        latlon = _household_location(household, site)
        if latlon is not None:
            try:
                from advisor.weather import temperature_climatology  # TRY2010 climatology (weather module)

                clim = temperature_climatology(a.local_index, latlon[0], latlon[1])
                temp_days = _daily_temperature(pd.Series(np.asarray(clim, dtype=float), index=a.local_index), a, tz)
                source = "typical-year TRY climatology, not the weather of these dates"
                source_de = "Klimamittel des Testreferenzjahrs (TRY), nicht das Wetter dieser Tage"
                cap = 0.75
            except (ImportError, ValueError, KeyError, OSError):  # no climatology: seasonal evidence only
                temp_days = None
    if temp_days is not None:
        use = ok & np.isfinite(temp_days)
        if use.sum() >= 30:
            hdd = np.clip(HDD_BASE_C - temp_days[use], 0.0, None)
            y = daily_kwh[use]
            if hdd.std() > 0.5:
                slope, icpt = np.polyfit(hdd, y, 1)
                pred = icpt + slope * hdd
                ss_res = float(((y - pred) ** 2).sum())
                ss_tot = float(((y - y.mean()) ** 2).sum())
                r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0
                conf = cap * _clip01((slope - 0.3) / 0.7) * _clip01(r2 / 0.5)
                annual = slope * float(hdd.mean()) * 365.0 if slope > 0 else 0.0
                return Signature(
                    name,
                    _clip01(conf),
                    f"daily energy rises {slope:.2f} kWh per heating degree (base {HDD_BASE_C:g} °C, R² {r2:.2f}, "
                    f"{int(use.sum())} days, {source}); temperature-driven part ≈{annual:.0f} kWh/yr{told}",
                    annual_kwh=annual if conf >= DETECTED_FROM else None,
                    evidence_de=f"der Tagesverbrauch steigt um {num(slope, 2, 'de')} kWh je Heizgradtag (Basis "
                    f"{_g(HDD_BASE_C, 'de')} °C, R² {num(r2, 2, 'de')}, {int(use.sum())} Tage, {source_de}); "
                    f"temperaturabhängiger Anteil ≈ {num(annual, 0, 'de')} kWh/Jahr{told_de}",
                )
    month = _day_month(a)
    win = ok & np.isin(month, (12, 1, 2))
    summ = ok & np.isin(month, SUMMER_MONTHS)
    if win.sum() < 14 or summ.sum() < 14:
        return _not_assessable(
            name,
            "no temperature series and not both winter (Dec-Feb) and summer (Jun-Aug) in the data: "
            f"temperature dependence cannot be assessed{told}",
            "keine Temperaturreihe und nicht zugleich Winter (Dez–Feb) und Sommer (Jun–Aug) in den Daten: "
            f"die Temperaturabhängigkeit lässt sich nicht beurteilen{told_de}",
        )
    w = float(np.median(daily_kwh[win]))
    s = float(np.median(daily_kwh[summ]))
    ratio = w / max(s, 1e-6)
    conf = 0.7 * _clip01((ratio - 1.6) / 1.0)
    annual = (w - s) * 200.0 if conf >= DETECTED_FROM else None  # ~200 heating days
    return Signature(
        name,
        _clip01(conf),
        f"seasonal evidence only (no temperature series): winter days {w:.1f} kWh vs summer days {s:.1f} kWh "
        f"(ratio {ratio:.1f}; households without electric heating show about 1.1-1.5){told}",
        annual_kwh=annual,
        evidence_de=f"nur jahreszeitliche Hinweise (keine Temperaturreihe): Wintertage {num(w, 1, 'de')} kWh gegenüber "
        f"Sommertagen {num(s, 1, 'de')} kWh (Verhältnis {num(ratio, 1, 'de')}; Haushalte ohne elektrische Heizung "
        f"liegen bei etwa 1,1–1,5){told_de}",
    )


def detect_dynamic_tariff(curve: LoadCurve, a: CurveArrays, prices: pd.Series | None) -> Signature:
    """Consumption following cheap hours (needs day-ahead prices)."""
    name = "dynamic_tariff"
    if prices is None:
        return _not_assessable(
            name,
            "needs an hourly price series (e.g. day-ahead prices) to compare with",
            "braucht eine stündliche Preisreihe (z. B. Day-Ahead-Börsenpreise) zum Vergleich",
        )
    if not isinstance(prices.index, pd.DatetimeIndex) or prices.index.tz is None:
        from advisor.errors import AdvisorError

        raise AdvisorError("`prices` must be a Series with a tz-aware DatetimeIndex")

    e = curve.data["energy_kwh"]
    w = pd.Series(h25_weights(e.index, curve.meta.tz, curve.meta.holiday_region, curve.interval_minutes), index=e.index)
    utc_hour = e.index.tz_convert("UTC").floor("h")
    load_h = e.groupby(utc_hour).sum(min_count=1)
    cnt = e.groupby(utc_hour).count()
    shape_h = w.groupby(utc_hour).sum()
    full = cnt >= (60 // curve.interval_minutes)
    p = prices.copy()
    p.index = p.index.tz_convert("UTC")
    p = p.groupby(p.index.floor("h")).mean()
    df = pd.DataFrame({"load": load_h[full], "shape": shape_h[full]})
    df["price"] = p.reindex(df.index)
    df = df.dropna()
    df = df[df["shape"] > 0]
    if len(df) < 24 * 30:
        return _not_assessable(
            name,
            f"needs >= 30 days of load with prices; has {len(df) / 24:.0f}",
            f"braucht mindestens 30 Tage Verbrauch mit Preisen; vorhanden sind {num(len(df) / 24, 0, 'de')}",
        )
    day = df.index.tz_convert(curve.meta.tz).tz_localize(None).floor("D")
    g = df.groupby(day)
    load_rel = df["load"] / g["load"].transform("mean")
    shape_rel = df["shape"] / g["shape"].transform("mean")
    dev = load_rel - shape_rel
    pdev = df["price"] - g["price"].transform("mean")
    r = float(np.corrcoef(dev.to_numpy(), pdev.to_numpy())[0, 1]) if dev.std() > 0 and pdev.std() > 0 else 0.0
    conf = _clip01((-r - 0.1) / 0.2)
    return Signature(
        name,
        conf,
        f"correlation of the hourly deviation from the H25 shape with the same day's price deviation: {r:+.2f} "
        f"over {len(df) / 24:.0f} days (below about -0.1 means consumption moves to cheap hours)",
        evidence_de=f"Korrelation der stündlichen Abweichung vom H25-Profil mit der Preisabweichung desselben Tages: "
        f"{signed(r, 2, 'de')} über {num(len(df) / 24, 0, 'de')} Tage (unter etwa −0,1 heißt: der Verbrauch wandert "
        "in günstige Stunden)",
    )


# ----------------------------------------------------------------------------- all at once
def detect_signatures(
    curve: LoadCurve,
    household: Household | None = None,
    *,
    temperature: pd.Series | None = None,
    prices: pd.Series | None = None,
    arrays: CurveArrays | None = None,
    always_on_w: float | None = None,
    base_load_w: float | None = None,
    annual_kwh: float | None = None,
    site: tuple[float, float] | None = None,
    pv_arrays: CurveArrays | None = None,
) -> list[Signature]:
    """Run every detector on ``curve``; returns one :class:`Signature` per detector.

    ``site`` is ``(latitude, longitude)`` for the typical-year temperature of the heat-pump test.

    Parameters
    ----------
    curve
        Consumption curve.
    household
        What the household told us (mentioned in the evidence; never overrides the data).
    temperature
        Measured outdoor temperature [°C] (tz-aware Series), for the heat pump.
    prices
        Hourly prices (tz-aware Series, any unit), for dynamic-tariff behaviour.
    arrays, always_on_w, base_load_w, annual_kwh
        Precomputed by :func:`advisor.analysis.analyse`; computed here when omitted.
    pv_arrays
        The arrays the own-PV test looks at, when they differ from ``arrays`` (the analysis passes
        the readings with their zeros when the zeros sit at noon: the panels covering the load).
    """

    a = arrays if arrays is not None else curve_arrays(curve)
    if always_on_w is None:
        dmin = daily_minimum_kw(a)
        always_on_w = float(np.nanmedian(dmin) * 1000.0) if np.isfinite(dmin).any() else float("nan")
    floor_kw = always_on_w / 1000.0 if math.isfinite(always_on_w) else 0.0
    own_pv = detect_own_pv(pv_arrays if pv_arrays is not None else a, always_on_w, household)
    behind_pv = (
        own_pv.detected
        or (curve.meta.feed_in_kwh or 0.0) >= 1.0
        or bool(household is not None and household.existing_pv_kwp)
    ) and not (household is not None and household.existing_pv_kwp == 0)
    ev = detect_ev_charging(a, floor_kw, household, annual_kwh, behind_pv=behind_pv)
    a_heat = a
    if ev.detected:
        # take the charging out before judging seasonal / temperature dependence
        a_heat = replace(a, power_kw=a.power_kw - _ev_power_kw(a, floor_kw))
    pump = detect_circulation_pump(a)
    if pump.detected and pump.power_w and pump.power_w > 0:
        # a pump running through the heating season raises winter days too: take it out before
        # judging whether the load follows the temperature
        on = np.isin(a.month, HEATING_MONTHS + (10, 4))
        a_heat = replace(a_heat, power_kw=a_heat.power_kw - np.where(on, min(pump.power_w, 150.0) / 1000.0, 0.0))
    sigs = [
        detect_standby_floor(a, always_on_w),
        ev,
        detect_night_storage(a),
        detect_heat_pump(a_heat, curve.meta.tz, household, temperature, site),
        pump,
        own_pv,
        detect_instantaneous_water_heater(a),
        detect_dynamic_tariff(curve, a, prices),
    ]
    if ev.detected:
        sigs = [
            x.with_note(
                "; the detected EV charging was taken out first",
                "; das erkannte Laden des E-Autos wurde vorher herausgerechnet",
            )
            if x.name == "heat_pump"
            else x
            for x in sigs
        ]
    if pump.detected and pump.power_w and pump.power_w > 0:
        sigs = [
            x.with_note(
                "; the detected circulation pump was taken out first",
                "; die erkannte Umwälzpumpe wurde vorher herausgerechnet",
            )
            if x.name == "heat_pump"
            else x
            for x in sigs
        ]
    return _reconcile(sigs)


def _reconcile(sigs: list[Signature]) -> list[Signature]:
    """Seasonal heat-pump evidence is explained away by detected night-storage heating."""
    by = {s.name: s for s in sigs}
    ns, hp = by.get("night_storage_heating"), by.get("heat_pump")
    if ns is not None and hp is not None and ns.detected and hp.assessable and "seasonal evidence only" in hp.evidence:
        new_hp = Signature(hp.name, hp.confidence, hp.evidence, evidence_de=hp.evidence_de).with_note(
            "; the winter excess is explained by the night-storage heating found",
            "; der Mehrverbrauch im Winter erklärt sich durch die gefundene Nachtspeicherheizung",
            confidence=hp.confidence * 0.5,
        )
        sigs = [new_hp if s.name == "heat_pump" else s for s in sigs]
    return sigs
