"""What electrifying the candidates would do to the coincident peak, by postal area (grid planning).

Each household of a batch brings its mean winter weekday profile [kW per local quarter-hour] today
and after its electrification step (:mod:`advisor.electrify.candidates`: a marked night-storage
household with a heat pump instead; every other household unchanged). The profiles of an area's
households are summed; the area's coincident peak is the highest quarter-hour of the sum, today
and after.

k-anonymity (seed ``evaluation.k_anonymity``): a published area covers at least ``k`` households,
and its change rests on either no household or at least ``k`` households (else the change would be
one household's heat pump). Postal areas that fall short are pooled into their zone (the first two
digits: ``44…``), zones that still fall short into "other areas", and what falls short even there
is left out and only counted. The published areas are disjoint and no total over them is
published, so no figure can be recovered by subtracting one area from another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from advisor.electrify.candidates import SLOTS_PER_DAY

NO_POSTAL_CODE = ""
REST = "*"
_POSTAL = re.compile(r"^\d{5}$")


def area_of(postal_code) -> str:
    """The household's postal area (5 digits) or :data:`NO_POSTAL_CODE`."""
    text = str(postal_code or "").strip()
    if len(text) == 4 and text.isdigit():  # a spreadsheet dropped the leading zero (01067 -> 1067)
        text = "0" + text
    return text if _POSTAL.match(text) else NO_POSTAL_CODE


@dataclass
class AreaSums:
    """Summed winter weekday profiles of a set of households [kW per quarter-hour].

    Attributes
    ----------
    n_households, n_changed
        Households summed, and those whose profile the electrification step changes.
    before_kw, after_kw
        Sum of the households' mean profiles today and after (96 quarter-hours, local time).
    """

    n_households: int = 0
    n_changed: int = 0
    before_kw: np.ndarray = field(default_factory=lambda: np.zeros(SLOTS_PER_DAY))
    after_kw: np.ndarray = field(default_factory=lambda: np.zeros(SLOTS_PER_DAY))

    def add(self, before_kw, after_kw, changed: bool) -> None:
        self.n_households += 1
        self.n_changed += int(bool(changed))
        self.before_kw = self.before_kw + np.asarray(before_kw, dtype=float)
        self.after_kw = self.after_kw + np.asarray(after_kw, dtype=float)

    def merge(self, other: AreaSums) -> None:
        self.n_households += other.n_households
        self.n_changed += other.n_changed
        self.before_kw = self.before_kw + other.before_kw
        self.after_kw = self.after_kw + other.after_kw


def accumulate(profiles) -> dict[str, AreaSums]:
    """Sum ``(area, before_kw, after_kw, changed)`` per area (one pass, memory per area only)."""
    areas: dict[str, AreaSums] = {}
    for area, before, after, changed in profiles:
        areas.setdefault(area, AreaSums()).add(before, after, changed)
    return areas


@dataclass(frozen=True)
class AreaPeak:
    """One published area.

    Attributes
    ----------
    area
        A postal code, ``"44"`` (a zone's pooled small areas), :data:`NO_POSTAL_CODE` or
        :data:`REST` (the pooled remainder).
    level
        ``"postal_code"``, ``"zone"`` or ``"rest"``.
    n_households, n_changed
        Households covered, and those electrified in the scenario.
    peak_before_kw, peak_after_kw
        Coincident peak of the mean winter weekday profile today and after [kW].
    peak_after_time
        Local time of day the peak after starts (``HH:MM``).
    """

    area: str
    level: str
    n_households: int
    n_changed: int
    peak_before_kw: float
    peak_after_kw: float
    peak_after_time: str

    @property
    def change_pct(self) -> float:
        return 100.0 * (self.peak_after_kw / self.peak_before_kw - 1.0) if self.peak_before_kw > 0 else float("nan")

    def to_row(self) -> dict:
        return {
            "area": self.area,
            "level": self.level,
            "n_households": self.n_households,
            "n_changed": self.n_changed,
            "peak_before_kw": round(self.peak_before_kw, 1),
            "peak_after_kw": round(self.peak_after_kw, 1),
            "change_pct": round(self.change_pct, 1),
            "peak_after_time": self.peak_after_time,
        }


@dataclass(frozen=True)
class GridPeaks:
    """The k-anonymous table: published areas and how many households were left out."""

    rows: tuple[AreaPeak, ...]
    n_suppressed: int
    k: int


def publishable(s: AreaSums, k: int) -> bool:
    """At least ``k`` households, and a change that rests on none or on at least ``k`` of them."""
    return s.n_households >= k and (s.n_changed == 0 or s.n_changed >= k)


def _peak(area: str, level: str, s: AreaSums) -> AreaPeak:
    i = int(np.argmax(s.after_kw))
    return AreaPeak(
        area=area,
        level=level,
        n_households=s.n_households,
        n_changed=s.n_changed,
        peak_before_kw=float(s.before_kw.max()),
        peak_after_kw=float(s.after_kw[i]),
        peak_after_time=f"{(i * 15) // 60:02d}:{(i * 15) % 60:02d}",
    )


def k_anonymous_peaks(areas: dict[str, AreaSums], k: int) -> GridPeaks:
    """Publishable areas (postal codes, then zones, then the rest; module docstring)."""
    rows: list[AreaPeak] = []
    zones: dict[str, AreaSums] = {}
    for area in sorted(areas):
        s = areas[area]
        if area != NO_POSTAL_CODE and publishable(s, k):
            rows.append(_peak(area, "postal_code", s))
        else:
            zones.setdefault(area[:2], AreaSums()).merge(s)
    rest = AreaSums()
    for zone in sorted(zones):
        s = zones[zone]
        if publishable(s, k):
            rows.append(_peak(zone, "zone", s))
        else:
            rest.merge(s)
    suppressed = 0
    if rest.n_households:
        if publishable(rest, k):
            rows.append(_peak(REST, "rest", rest))
        else:
            suppressed = rest.n_households
    return GridPeaks(tuple(rows), suppressed, k)
