"""Postal code -> approximate coordinates, offline (no network at run time).

Germany's 2-digit postal zones (Leitregionen) mapped to the coordinates of their main city,
plus Herne's own postal codes exactly. Precision: tens of kilometres — enough to choose the DWD
test reference year region and the sun's geometry (a 50 km shift changes the yield by well
under 1 %), not to find a roof. Coordinates: WGS84 city-centre coordinates as published in the
cities' Wikipedia articles (rounded to 0.01°), compiled for this project in 2026.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.errors import AdvisorError


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
        City the coordinates belong to.
    precision
        ``"exact"`` (the town's own code) or ``"zone"`` (main city of the 2-digit zone).
    """

    latitude: float
    longitude: float
    name: str
    precision: str


HERNE_POSTAL_CODES = ("44623", "44625", "44627", "44628", "44629", "44649", "44651", "44652", "44653")
HERNE = (51.54, 7.22)

# 2-digit postal zone -> (latitude, longitude, main city)
POSTAL_ZONES: dict[str, tuple[float, float, str]] = {
    "01": (51.05, 13.74, "Dresden"), "02": (51.15, 14.99, "Goerlitz"), "03": (51.76, 14.33, "Cottbus"),
    "04": (51.34, 12.37, "Leipzig"), "06": (51.48, 11.97, "Halle (Saale)"), "07": (50.93, 11.59, "Jena"),
    "08": (50.72, 12.49, "Zwickau"), "09": (50.83, 12.92, "Chemnitz"), "10": (52.52, 13.40, "Berlin"),
    "12": (52.52, 13.40, "Berlin"), "13": (52.52, 13.40, "Berlin"), "14": (52.40, 13.06, "Potsdam"),
    "15": (52.34, 14.55, "Frankfurt (Oder)"), "16": (52.75, 13.24, "Oranienburg"), "17": (53.56, 13.26, "Neubrandenburg"),
    "18": (54.09, 12.14, "Rostock"), "19": (53.63, 11.41, "Schwerin"), "20": (53.55, 10.00, "Hamburg"),
    "21": (53.46, 9.98, "Hamburg-Harburg"), "22": (53.55, 10.00, "Hamburg"), "23": (53.87, 10.69, "Luebeck"),
    "24": (54.32, 10.14, "Kiel"), "25": (54.19, 9.10, "Heide"), "26": (53.14, 8.21, "Oldenburg"),
    "27": (53.54, 8.58, "Bremerhaven"), "28": (53.08, 8.80, "Bremen"), "29": (52.62, 10.08, "Celle"),
    "30": (52.37, 9.74, "Hannover"), "31": (52.15, 9.95, "Hildesheim"), "32": (52.11, 8.67, "Herford"),
    "33": (52.02, 8.53, "Bielefeld"), "34": (51.31, 9.49, "Kassel"), "35": (50.58, 8.68, "Giessen"),
    "36": (50.55, 9.68, "Fulda"), "37": (51.54, 9.93, "Goettingen"), "38": (52.27, 10.52, "Braunschweig"),
    "39": (52.13, 11.62, "Magdeburg"), "40": (51.23, 6.78, "Duesseldorf"), "41": (51.19, 6.44, "Moenchengladbach"),
    "42": (51.26, 7.15, "Wuppertal"), "44": (51.51, 7.47, "Dortmund"), "45": (51.46, 7.01, "Essen"),
    "46": (51.47, 6.85, "Oberhausen"), "47": (51.43, 6.76, "Duisburg"), "48": (51.96, 7.63, "Muenster"),
    "49": (52.28, 8.05, "Osnabrueck"), "50": (50.94, 6.96, "Koeln"), "51": (50.99, 7.13, "Bergisch Gladbach"),
    "52": (50.78, 6.08, "Aachen"), "53": (50.74, 7.10, "Bonn"), "54": (49.75, 6.64, "Trier"),
    "55": (50.00, 8.27, "Mainz"), "56": (50.36, 7.59, "Koblenz"), "57": (50.87, 8.02, "Siegen"),
    "58": (51.36, 7.47, "Hagen"), "59": (51.68, 7.82, "Hamm"), "60": (50.11, 8.68, "Frankfurt am Main"),
    "61": (50.23, 8.62, "Bad Homburg"), "63": (50.10, 8.77, "Offenbach"), "64": (49.87, 8.65, "Darmstadt"),
    "65": (50.08, 8.24, "Wiesbaden"), "66": (49.23, 7.00, "Saarbruecken"), "67": (49.48, 8.44, "Ludwigshafen"),
    "68": (49.49, 8.47, "Mannheim"), "69": (49.40, 8.69, "Heidelberg"), "70": (48.78, 9.18, "Stuttgart"),
    "71": (48.89, 9.19, "Ludwigsburg"), "72": (48.52, 9.06, "Tuebingen"), "73": (48.74, 9.31, "Esslingen"),
    "74": (49.14, 9.22, "Heilbronn"), "75": (48.89, 8.70, "Pforzheim"), "76": (49.01, 8.40, "Karlsruhe"),
    "77": (48.47, 7.94, "Offenburg"), "78": (48.06, 8.46, "Villingen-Schwenningen"), "79": (47.99, 7.85, "Freiburg"),
    "80": (48.14, 11.58, "Muenchen"), "81": (48.14, 11.58, "Muenchen"), "82": (47.99, 11.34, "Starnberg"),
    "83": (47.86, 12.12, "Rosenheim"), "84": (48.54, 12.15, "Landshut"), "85": (48.77, 11.43, "Ingolstadt"),
    "86": (48.37, 10.90, "Augsburg"), "87": (47.73, 10.31, "Kempten"), "88": (47.78, 9.61, "Ravensburg"),
    "89": (48.40, 9.99, "Ulm"), "90": (49.45, 11.08, "Nuernberg"), "91": (49.60, 11.00, "Erlangen"),
    "92": (49.44, 11.86, "Amberg"), "93": (49.01, 12.10, "Regensburg"), "94": (48.57, 13.43, "Passau"),
    "95": (49.94, 11.58, "Bayreuth"), "96": (49.89, 10.89, "Bamberg"), "97": (49.79, 9.95, "Wuerzburg"),
    "98": (50.61, 10.69, "Suhl"), "99": (50.98, 11.03, "Erfurt"),
}  # fmt: skip


def locate_postal_code(postal_code: str) -> Place:
    """Approximate coordinates of a German postal code (5 digits).

    Raises
    ------
    LocationError
        Not five digits, or a zone that does not exist.
    """
    code = str(postal_code).strip()
    if len(code) != 5 or not code.isdigit():
        raise LocationError(f"`postal_code` must be 5 digits (e.g. 44623); got {postal_code!r}")
    if code in HERNE_POSTAL_CODES:
        return Place(HERNE[0], HERNE[1], "Herne", "exact")
    zone = POSTAL_ZONES.get(code[:2])
    if zone is None:
        raise LocationError(
            f"postal zone {code[:2]} is unknown (German postal codes start with 01-99, without 05, 43, 62)"
        )
    return Place(zone[0], zone[1], zone[2], "zone")
