"""German-typical device signatures in a household load curve, each with a confidence and evidence.

Every detector looks at a few robust statistics of the curve in local wall-clock time and returns
a :class:`Signature` with ``confidence`` 0..1 (``detected`` from 0.5) and a sentence of evidence
that names the figures it rests on: an :class:`advisor.texts.Message` (``signatures.po``; English as
``str``, ``Signature.text(lang)`` in German or Turkish). :data:`SIGNATURE_NAMES` lists the
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
from advisor.texts import JOIN, Message, join, localize, render, text_fields
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
            replace(s, confidence=1.0, assessable=True, evidence=evidence, confirmed=True)
            if s.name == "own_pv"
            else s
            for s in out
        ]
    pv = next((s for s in out if s.name == "own_pv"), None)
    has_pv = bool(stated_kwp) or (pv is not None and pv.detected and pv.household_answer != "no")
    if has_pv:
        why = Message("signature.heat_pump.behind_pv")
        out = [
            replace(s, confidence=0.0, assessable=False, annual_kwh=None, evidence=why)
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
        replace(s, confidence=0.0, assessable=False, annual_kwh=None, evidence=why)
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
        The figures the confidence rests on (a :class:`~advisor.texts.Message`; ``str`` is English).
    assessable
        False when the data cannot show it (too coarse, no season, no prices); confidence is 0.
    annual_kwh
        Estimated consumption of the device [kWh/yr] where it can be estimated, else None.
    power_w
        Characteristic power [W] (pump step, floor level, charging level …) where known.
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
        """The evidence in ``lang`` (a plain text, e.g. from a test, stays as written)."""
        return localize(self.evidence, lang)

    def label(self, lang: str = "de") -> str:
        """The signature's display name in ``lang``."""
        return signature_label(self.name, lang)

    def with_note(self, note: Message, **changes: Any) -> Signature:
        """A copy with a note appended to the evidence (and other fields changed)."""
        return replace(self, evidence=join([self.evidence, note], "; "), **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "confidence": round(float(self.confidence), 3),
            "detected": self.detected,
            "confirmed": self.confirmed,
            "household_answer": self.household_answer,
            "assessable": self.assessable,
            **text_fields("evidence", self.evidence),
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


def _not_assessable(name: str, why: Message, *notes: Message | None) -> Signature:
    return Signature(name=name, confidence=0.0, evidence=_evidence(why, *notes), assessable=False)


def _evidence(main: Message, *notes: Message | None) -> Message:
    """The evidence sentence with its notes (``; …``); notes that are None are left out."""
    extra = [n for n in notes if n is not None]
    return join([main, *extra], "; ") if extra else main


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
    told = Message("signature.ev.told") if says_ev else None
    if days < EV_MIN_DAYS:
        return _not_assessable(name, Message("signature.ev.too_few_days", need=EV_MIN_DAYS, days=round(days)), told)
    if n_sessions == 0:
        return Signature(
            name, 0.0, _evidence(Message("signature.ev.none", kw=EV_MIN_MEAN_KW, days=round(days)), told)
        )
    conf = min(1.0, n_sessions / 6.0)
    notes: list[Message] = []
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
        notes.append(Message("signature.ev.note.daylight"))
    elif expected_summer >= 0.3:
        ratio = (in_summer / n_season) / expected_summer
        season_factor = _clip01((ratio - 0.2) / 0.5)
        if season_factor < 1.0:
            notes.append(Message("signature.ev.note.heating_season", n=in_summer))
        conf *= season_factor
    else:
        conf *= 0.5
        notes.append(Message("signature.ev.note.no_summer"))
    if timer_share > 0.4 and n_sessions >= 10:
        conf *= 0.5
        notes.append(Message("signature.ev.note.timer", share=timer_share))
    rate = n_sessions / weeks
    # without the season test a few heater blocks a week look like a car: ask for twice the rate
    min_rate = EV_MIN_SESSIONS_PER_WEEK * (2.0 if season_skipped else 1.0)
    if rate < min_rate:
        # a car charged at home draws every week or two; a few blocks a year are an oven or a heater
        conf *= _clip01(rate / min_rate)
        notes.append(Message("signature.ev.note.rare", rate=rate))
    annual = session_kwh * 365.0 / max(days, 1.0)
    known_kwh = float(np.nansum(np.where(a.known, a.energy_kwh, 0.0)))
    if annual_kwh is not None and math.isfinite(annual_kwh) and annual_kwh > 0 and known_kwh > 0:
        annual = min(annual, annual_kwh * session_kwh / known_kwh)
    level_kw = float(np.median(levels))
    found = Message(
        "signature.ev.found", n=n_sessions, kw=level_kw, days=round(days), per_week=n_sessions / weeks, kwh=round(annual)
    )
    return Signature(
        name,
        _clip01(conf),
        _evidence(found, *notes, told),
        annual_kwh=annual,
        power_w=level_kw * 1000.0,
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
            name, Message("signature.pump.too_few_nights", heating=int(heat.sum()), summer=int(summ.sum()))
        )
    med_h = float(np.median(floor_w[heat]))
    med_s = float(np.median(floor_w[summ]))
    step = med_h - med_s
    consistency = float(np.mean(floor_w[heat] > med_s + 0.5 * max(step, 0.0))) if step > 0 else 0.0
    conf = _clip01((step - 25.0) / 30.0) * _clip01((consistency - 0.5) / 0.3)
    note = None
    if step > 150.0:
        conf *= _clip01((300.0 - step) / 150.0)
        note = Message("signature.pump.note.too_large")
    days_heating = 212.0  # Oct-Apr, roughly a German heating season
    found = Message(
        "signature.pump.found", heating_w=round(med_h), summer_w=round(med_s), step_w=round(step), share=consistency
    )
    return Signature(
        name,
        _clip01(conf),
        _evidence(found, note),
        annual_kwh=max(step, 0.0) * 24 * days_heating / 1000.0 if conf >= DETECTED_FROM else None,
        power_w=step,
    )


def detect_standby_floor(a: CurveArrays, always_on_w: float) -> Signature:
    """Always-on floor: its level and its stability from day to day."""

    name = "standby_floor"
    dmin = daily_minimum_kw(a) * 1000.0
    dmin = dmin[np.isfinite(dmin)]
    if dmin.size < 7 or not math.isfinite(always_on_w):
        return _not_assessable(name, Message("signature.floor.too_few_days", days=int(dmin.size)))
    q25, q75 = np.percentile(dmin, [25, 75])
    spread = (q75 - q25) / max(always_on_w, 1.0)
    conf = _clip01(1.0 - spread)
    if always_on_w <= 1.0:
        return Signature(name, 0.0, Message("signature.floor.zeros", w=round(always_on_w)))
    coarse = Message("signature.floor.note.coarse", minutes=int(a.interval_minutes)) if a.interval_minutes >= 30 else None
    found = Message(
        "signature.floor.found",
        w=round(always_on_w),
        days=int(dmin.size),
        low_w=round(q25),
        high_w=round(q75),
        kwh=round(always_on_w * 8.76),
    )
    return Signature(name, conf, _evidence(found, coarse), annual_kwh=always_on_w * 8.76, power_w=always_on_w)


def detect_own_pv(a: CurveArrays, floor_w: float, household: Household | None = None) -> Signature:
    """Own PV: on summer days the midday import falls far below the summer night floor.

    Without PV the lowest hour of a day is at night and midday stays above the night floor; an
    import meter behind PV sees that floor covered by the panels at noon. ``floor_w`` (the
    always-on level) is used only when the data has too few summer nights.
    """
    name = "own_pv"
    told = None
    if household is not None and household.existing_pv_kwp:
        told = Message("signature.pv.told", kwp=float(household.existing_pv_kwp))
    nfloor_w, nok = _night_floor_w(a)
    month = _day_month(a)
    summer_nights = nok & np.isin(month, PV_MONTHS)
    if summer_nights.sum() >= 14:
        floor_w = float(np.median(nfloor_w[summer_nights]))
    if not math.isfinite(floor_w) or floor_w <= 20.0:
        return _not_assessable(name, Message("signature.pv.no_floor", w=floor_w if math.isfinite(floor_w) else None), told)
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
        return _not_assessable(name, Message("signature.pv.too_few_days", days=int(summer.sum())), told)
    midday_min_w = np.min(np.where(np.isfinite(hourly), hourly, np.inf), axis=1) * 1000.0
    low = midday_min_w < 0.25 * floor_w
    frac = float(np.mean(low[summer]))
    winter = complete & np.isin(month, (11, 12, 1))
    frac_w = float(np.mean(low[winter])) if winter.sum() >= 14 else 0.0
    conf = _clip01((frac - 0.5 * frac_w) / 0.3)
    median_midday_w = float(np.median(midday_min_w[summer]))
    found = Message(
        "signature.pv.found",
        share=frac,
        days=int(summer.sum()),
        winter_share=frac_w,
        floor_w=round(floor_w),
        midday_w=round(median_midday_w),
    )
    return Signature(name, conf, _evidence(found, told))


def detect_instantaneous_water_heater(a: CurveArrays) -> Signature:
    """Electric instantaneous water heater (Durchlauferhitzer): isolated high single-interval spikes."""
    name = "instantaneous_water_heater"
    minutes = a.interval_minutes
    if minutes >= 60:
        return _not_assessable(name, Message("signature.dhw.hourly"))
    thr, rise = (4.0, 3.0) if minutes == 15 else (3.0, 2.0)
    p = np.where(a.known, a.power_kw, 0.0)
    prev = np.concatenate(([np.inf], p[:-1]))
    nxt = np.concatenate((p[1:], [np.inf]))
    spike = a.known & (p >= thr) & (p - np.maximum(prev, nxt) >= rise)
    days_with = np.unique(a.day0[spike]).size
    n_days = max(int((np.bincount(a.day0[a.known], minlength=a.n_days) > 0).sum()), 1)
    frac = days_with / n_days
    conf = _clip01(frac / 0.4)
    dil = Message("signature.dhw.note.15min" if minutes == 15 else "signature.dhw.note.30min")
    if minutes == 30:
        conf *= 0.7
    med = float(np.median(p[spike])) if spike.any() else float("nan")
    found = (
        Message("signature.dhw.found_median", kw=thr, rise_kw=rise, days=int(days_with), total=n_days, median_kw=med)
        if spike.any()
        else Message("signature.dhw.found", kw=thr, rise_kw=rise, days=int(days_with), total=n_days)
    )
    return Signature(
        name, _clip01(conf), _evidence(found, dil), power_w=None if not spike.any() else med * 1000.0
    )


def detect_night_storage(a: CurveArrays) -> Signature:
    """Night-storage heating: winter night blocks far above summer nights and winter days."""
    name = "night_storage_heating"
    night, ok_n = _day_stats(a, (0, 6))
    day, ok_d = _day_stats(a, (8, 20))
    month = _day_month(a)
    win = ok_n & ok_d & np.isin(month, WINTER_MONTHS)
    if win.sum() < 14:
        return _not_assessable(name, Message("signature.storage.too_few_days", days=int(win.sum())))
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
    ref = Message("signature.storage.summer_nights", kw=sn) if math.isfinite(sn) else Message("signature.storage.no_summer")
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
        Message("signature.storage.found", night_kw=wn, day_kw=wd, reference=ref, share=frac_block),
        annual_kwh=annual,
        power_w=wn * 1000.0,
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
    told = Message("signature.hp.told") if household is not None and household.heating == "heat_pump" else None
    daily, ok = _day_stats(a, (0, 24))
    daily_kwh = daily * 24.0
    source = None
    cap = 1.0
    temp_days = None
    if temperature is not None:
        temp_days = _daily_temperature(temperature, a, tz)
        source = Message("signature.hp.source.measured")
    else:
        latlon = _household_location(household, site)
        if latlon is not None:
            try:
                from advisor.weather import temperature_climatology  # TRY2010 climatology (weather module)

                clim = temperature_climatology(a.local_index, latlon[0], latlon[1])
                temp_days = _daily_temperature(pd.Series(np.asarray(clim, dtype=float), index=a.local_index), a, tz)
                source = Message("signature.hp.source.try")
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
                found = Message(
                    "signature.hp.found",
                    kwh_per_degree=float(slope),
                    base=HDD_BASE_C,
                    r2=r2,
                    days=int(use.sum()),
                    source=source,
                    kwh=round(annual),
                )
                return Signature(
                    name,
                    _clip01(conf),
                    _evidence(found, told),
                    annual_kwh=annual if conf >= DETECTED_FROM else None,
                )
    month = _day_month(a)
    win = ok & np.isin(month, (12, 1, 2))
    summ = ok & np.isin(month, SUMMER_MONTHS)
    if win.sum() < 14 or summ.sum() < 14:
        return _not_assessable(name, Message("signature.hp.no_seasons"), told)
    w = float(np.median(daily_kwh[win]))
    s = float(np.median(daily_kwh[summ]))
    ratio = w / max(s, 1e-6)
    conf = 0.7 * _clip01((ratio - 1.6) / 1.0)
    annual = (w - s) * 200.0 if conf >= DETECTED_FROM else None  # ~200 heating days
    return Signature(
        name,
        _clip01(conf),
        _evidence(Message(SEASONAL_HP, winter_kwh=w, summer_kwh=s, ratio=ratio), told),
        annual_kwh=annual,
    )


def detect_dynamic_tariff(curve: LoadCurve, a: CurveArrays, prices: pd.Series | None) -> Signature:
    """Consumption following cheap hours (needs day-ahead prices)."""
    name = "dynamic_tariff"
    if prices is None:
        return _not_assessable(name, Message("signature.dyn.no_prices"))
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
        return _not_assessable(name, Message("signature.dyn.too_few_days", days=round(len(df) / 24)))
    day = df.index.tz_convert(curve.meta.tz).tz_localize(None).floor("D")
    g = df.groupby(day)
    load_rel = df["load"] / g["load"].transform("mean")
    shape_rel = df["shape"] / g["shape"].transform("mean")
    dev = load_rel - shape_rel
    pdev = df["price"] - g["price"].transform("mean")
    r = float(np.corrcoef(dev.to_numpy(), pdev.to_numpy())[0, 1]) if dev.std() > 0 and pdev.std() > 0 else 0.0
    conf = _clip01((-r - 0.1) / 0.2)
    return Signature(name, conf, Message("signature.dyn.found", r=r, days=round(len(df) / 24)))


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
            x.with_note(Message("signature.hp.note.ev_removed"))
            if x.name == "heat_pump"
            else x
            for x in sigs
        ]
    if pump.detected and pump.power_w and pump.power_w > 0:
        sigs = [
            x.with_note(Message("signature.hp.note.pump_removed"))
            if x.name == "heat_pump"
            else x
            for x in sigs
        ]
    return _reconcile(sigs)


SEASONAL_HP = "signature.hp.seasonal"


def _seasonal_only(evidence: Any) -> bool:
    """Whether heat-pump evidence rests on the seasons alone (its first part is that code)."""
    if not isinstance(evidence, Message):
        return False
    if evidence.code == JOIN:
        parts = evidence.params.get("parts") or []
        return bool(parts) and _seasonal_only(parts[0])
    return evidence.code == SEASONAL_HP


def _reconcile(sigs: list[Signature]) -> list[Signature]:
    """Seasonal heat-pump evidence is explained away by detected night-storage heating."""
    by = {s.name: s for s in sigs}
    ns, hp = by.get("night_storage_heating"), by.get("heat_pump")
    if ns is not None and hp is not None and ns.detected and hp.assessable and _seasonal_only(hp.evidence):
        new_hp = hp.with_note(Message("signature.hp.note.storage_explains"), confidence=hp.confidence * 0.5)
        sigs = [new_hp if s.name == "heat_pump" else s for s in sigs]
    return sigs
