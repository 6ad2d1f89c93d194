"""Time zones a file states for its naive timestamps (header, column name, unit row, metadata line).

A German export may say in a column name (``timestamp_utc``, ``Zeitstempel (UTC)``,
``Uhrzeit (MEZ)``), in a unit row below the header (``UTC``) or in a metadata line above it
(``Zeitzone;UTC``) how its wall times are meant. Rules:

* ``UTC``/``GMT``/``Z`` -> UTC;
* ``MEZ``/``CET`` alone -> fixed UTC+01:00 all year (Normalzeit, also in summer);
* ``MESZ``/``CEST`` alone -> fixed UTC+02:00;
* ``MEZ/MESZ``, ``CET/CEST``, ``lokal``, ``Ortszeit``, ``gesetzliche Zeit`` -> German legal time
  (Europe/Berlin, with DST), the same as saying nothing.

Only when nothing is stated are naive times read in ``ReadOptions.tz`` (Europe/Berlin).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.texts import Message

UTC = "UTC"
FIXED_MEZ = "Etc/GMT-1"  # POSIX sign: Etc/GMT-1 is UTC+01:00
FIXED_MESZ = "Etc/GMT-2"
LEGAL = "legal"

_TOKEN = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class StatedZone:
    """A time zone stated by the file: pandas/IANA name and how it was found (for the notes)."""

    tz: str
    label: str  # "UTC", "MEZ (fixed UTC+01:00)", "MESZ (fixed UTC+02:00)"
    where: str


def zone_of_text(text: str) -> str | None:
    """``UTC``, ``Etc/GMT-1``, ``Etc/GMT-2``, ``legal`` or None for a header/unit/metadata text."""
    tokens = set(_TOKEN.findall(text.lower()))
    if not tokens:
        return None
    winter = bool(tokens & {"mez", "cet"})
    summer = bool(tokens & {"mesz", "cest"})
    if (winter and summer) or tokens & {"lokal", "ortszeit", "local", "localtime", "gesetzliche", "legal"}:
        return LEGAL
    if tokens & {"utc", "gmt", "zulu"}:
        return UTC
    if summer:
        return FIXED_MESZ
    if winter:
        return FIXED_MEZ
    return None


def stated_zone(text: str, where: str) -> StatedZone | None:
    """The zone a text states (None for nothing or for German legal time, which is the default)."""
    z = zone_of_text(text)
    if z is None or z == LEGAL:
        return None
    label = {UTC: "UTC", FIXED_MEZ: "MEZ (fixed UTC+01:00, no summer time)", FIXED_MESZ: "MESZ (fixed UTC+02:00)"}[z]
    return StatedZone(z, label, where)


def is_zone_cell(text: str) -> bool:
    """A cell of a unit row that names only a time zone (``UTC``, ``[MEZ]``, ``(MEZ/MESZ)``)."""
    t = text.strip().strip("[]() ").lower()
    return t in {"utc", "gmt", "mez", "mesz", "cet", "cest", "mez/mesz", "cet/cest", "lokal", "ortszeit", "local", "z"}


def note(zone: StatedZone) -> Message:
    """Conversion note for the curve (a :class:`~advisor.texts.Message`, code ``ingest.conv.zone.*``)."""
    kind = {UTC: "utc", FIXED_MEZ: "mez", FIXED_MESZ: "mesz"}.get(zone.tz, "utc")
    return Message(f"ingest.conv.zone.{kind}", where=zone.where)


class WallTimeError(ValueError):
    """A naive wall time that cannot be placed: ``kind`` is ``"nonexistent"`` (in the hour skipped
    in March) or ``"ambiguous"`` (in the hour repeated in October, with nothing to tell which);
    ``position`` is its row."""

    def __init__(self, kind: str, position: int) -> None:
        self.kind, self.position = kind, position
        super().__init__(f"{kind} wall time at row {position}")


def wall_times_to_utc_ns(
    naive: pd.DatetimeIndex,
    tz: str,
    *,
    fold: np.ndarray | None = None,
    after_ns: np.ndarray | None = None,
) -> np.ndarray:
    """UTC instants [ns] of naive wall times in ``tz``, resolving the repeated October hour.

    Each wall time of the repeated hour takes its fold label if given (``fold`` > 0 summer, < 0
    winter time); otherwise the earliest of its two instants after the previous row's instant (or
    after ``after_ns`` of the same row, for the end of a Von/Bis pair). Rows of that hour *before*
    any other row (a file that starts inside it) are placed backwards from the first row after
    them: the latest instant before it (a file starting at the second 02:00 is in winter time).
    A file entirely inside the repeated hour is placed only when it shows the repeat (the first
    copy is summer time); with each wall time once there is nothing to tell: ``WallTimeError``.

    Raises
    ------
    WallTimeError
        A wall time in the hour skipped in March, or the undecidable case above.
    """
    n = len(naive)
    summer = naive.tz_localize(tz, ambiguous=np.ones(n, bool), nonexistent="NaT")
    if summer.isna().any():
        raise WallTimeError("nonexistent", int(np.argmax(summer.isna())))
    winter = naive.tz_localize(tz, ambiguous=np.zeros(n, bool), nonexistent="NaT")
    s_ns = summer.as_unit("ns").asi8.copy()
    w_ns = winter.as_unit("ns").asi8
    amb = s_ns != w_ns
    if not amb.any():
        return s_ns
    labelled = np.zeros(n, bool) if fold is None else np.asarray(fold) != 0
    lead = 0  # rows of the repeated hour with no placed row before them
    if after_ns is None:
        while lead < n and amb[lead] and not labelled[lead]:
            lead += 1
    if lead == n:
        if n > 1 and (np.diff(naive.as_unit("ns").asi8) < 0).any():
            lead = 0  # both copies present: the first row is in summer time
        else:
            raise WallTimeError("ambiguous", 0)
    out = s_ns
    for i in np.flatnonzero(amb):
        if i < lead:
            continue
        if labelled[i]:
            out[i] = s_ns[i] if fold[i] > 0 else w_ns[i]
            continue
        prev = after_ns[i] if after_ns is not None else (out[i - 1] if i > 0 else None)
        if prev is None:
            continue  # first row of a file that shows the repeat: summer copy
        if s_ns[i] > prev:
            out[i] = s_ns[i]
        elif w_ns[i] > prev or w_ns[i] == prev and s_ns[i] != prev:
            out[i] = w_ns[i]
        # else both <= prev: keep summer; duplicate/backwards checks decide
    for k in range(lead - 1, -1, -1):
        out[k] = w_ns[k] if w_ns[k] < out[k + 1] else s_ns[k]
    return out
