"""Postal code -> Land, holiday region and approximate coordinates, offline (no network at run time).

The table is the seed ``postal_zones`` (``seeds/postal_zones.csv``): Germany's 2-digit postal
zones (Leitregionen) with the Land and the coordinates of their main city, districts of a zone
that lie in another Land (3-4 digit prefixes), and Herne's own codes exactly. The longest
matching prefix wins. Precision: tens of kilometres — enough to choose the sun's geometry and the
DWD test reference year (a 50 km shift changes the yield by well under 1 %) and the Land's public
holidays, not to find a roof. A Stadtwerk adds its own exact codes with an override table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from advisor.errors import AdvisorError
from advisor.seeds import load_seeds

#: ISO 3166-2 codes of the 16 Länder (the holiday regions of :mod:`advisor.holidays_de`).
STATES = {
    "DE-BW": "Baden-Württemberg",
    "DE-BY": "Bayern",
    "DE-BE": "Berlin",
    "DE-BB": "Brandenburg",
    "DE-HB": "Bremen",
    "DE-HH": "Hamburg",
    "DE-HE": "Hessen",
    "DE-MV": "Mecklenburg-Vorpommern",
    "DE-NI": "Niedersachsen",
    "DE-NW": "Nordrhein-Westfalen",
    "DE-RP": "Rheinland-Pfalz",
    "DE-SL": "Saarland",
    "DE-SN": "Sachsen",
    "DE-ST": "Sachsen-Anhalt",
    "DE-SH": "Schleswig-Holstein",
    "DE-TH": "Thüringen",
}
TABLE = "postal_zones"
PRECISIONS = ("exact", "district", "zone")


class LocationError(AdvisorError, ValueError):
    """A postal code or coordinate is unusable."""


@dataclass(frozen=True)
class Place:
    """Approximate location of a postal code.

    Attributes
    ----------
    latitude, longitude
        WGS84 [°].
    name
        Town the coordinates belong to.
    precision
        ``"exact"`` (the town's own code), ``"district"`` (a district of a zone that lies in
        another Land) or ``"zone"`` (main city of the 2-digit zone).
    state
        ISO 3166-2 code of the Land, e.g. ``"DE-BY"`` (also the holiday region).
    source
        Where the row comes from.
    """

    latitude: float
    longitude: float
    name: str
    precision: str
    state: str
    source: str = ""

    @property
    def state_name(self) -> str:
        """The Land's German name."""
        return STATES[self.state]


def normalise_postal_code(postal_code) -> str:
    """Five digits as text; raises :class:`LocationError` otherwise."""
    code = str(postal_code).strip()
    if len(code) != 5 or not code.isdigit():
        raise LocationError(f"`postal_code` must be 5 digits (e.g. 44623); got {postal_code!r}")
    return code


def _lookup(table: pd.DataFrame) -> dict[str, tuple]:
    need = {"postal_prefix", "state", "place", "latitude", "longitude", "precision"}
    missing = need - set(table.columns)
    if missing:
        raise LocationError(f"seed table `{TABLE}` lacks column(s) {sorted(missing)}")
    out: dict[str, tuple] = {}
    for i, row in enumerate(table.itertuples(index=False), start=2):
        prefix = str(row.postal_prefix).strip()
        if not (prefix.isdigit() and 2 <= len(prefix) <= 5):
            raise LocationError(f"seed table `{TABLE}` row {i}: postal_prefix must be 2-5 digits; got {prefix!r}")
        if row.state not in STATES:
            raise LocationError(f"seed table `{TABLE}` row {i}: state must be one of {sorted(STATES)}; got {row.state!r}")
        if row.precision not in PRECISIONS:
            raise LocationError(f"seed table `{TABLE}` row {i}: precision must be one of {PRECISIONS}")
        lat, lon = float(row.latitude), float(row.longitude)
        if not (47.0 <= lat <= 55.2 and 5.8 <= lon <= 15.1):
            raise LocationError(f"seed table `{TABLE}` row {i}: {lat}, {lon} is not in Germany")
        out[prefix] = (lat, lon, str(row.place), str(row.precision), str(row.state), str(row.source))
    return out


def locate_postal_code(postal_code, seeds=None) -> Place:
    """Land and approximate coordinates of a German postal code (5 digits).

    Parameters
    ----------
    postal_code
        Five digits (text; a leading zero counts).
    seeds
        :class:`~advisor.seeds.Seeds` holding the table ``postal_zones``; None: the shipped seeds.

    Raises
    ------
    LocationError
        Not five digits, or a zone that does not exist.
    """
    code = normalise_postal_code(postal_code)
    if seeds is None:
        seeds = load_seeds()
    table = _lookup(seeds.table(TABLE))
    for n in (5, 4, 3, 2):
        hit = table.get(code[:n])
        if hit is not None:
            lat, lon, name, precision, state, source = hit
            return Place(lat, lon, name, precision, state, source)
    raise LocationError(
        f"postal zone {code[:2]} is unknown (German postal codes start with 01-99, without 05, 43, 62)"
    )
