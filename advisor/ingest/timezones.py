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
