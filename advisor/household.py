"""One description of a household, the same in the library, the CLI, the app and the batch META.

:class:`Household` holds what a household tells us about itself (persons, dwelling, heating, …).
Everything is optional: **unknown stays ``None``** and is never replaced by an assumed value (no
default household size). Defaults that are reference data (price, base fee) live in ``seeds/`` and
are applied where a figure is computed, not here.

The same field names are used everywhere:

* library: ``Household(persons=2, dwelling="apartment")``;
* mappings (CLI flags, app answers, batch ``META.csv`` columns): :meth:`Household.from_mapping`
  accepts exactly the field names below (the roof as ``roof_tilt_deg``, ``roof_azimuth_deg``,
  ``roof_area_m2``), booleans as ``ja/nein/yes/no/true/false/1/0``, empty strings as unknown;
* CLI: :func:`household_options` adds one ``--persons``, ``--dwelling`` … option per field to a
  typer command (:mod:`advisor.cli._household`) and hands the command a ready :class:`Household`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from advisor.errors import AdvisorError
from advisor.formatting import LANGUAGES  # de, en, tr: one list for households, app, reports and letters

DWELLINGS = ("house", "apartment")
TENURES = ("owner", "tenant")
HOT_WATER = ("electric", "other")
HEATINGS = ("heat_pump", "night_storage", "other")

PERSONS_RANGE = (1, 15)
PRICE_RANGE_EUR_PER_KWH = (0.05, 2.0)
BASE_FEE_RANGE_EUR_PER_YEAR = (0.0, 1000.0)
PV_RANGE_KWP = (0.0, 100.0)
TILT_RANGE_DEG = (0.0, 90.0)
AZIMUTH_RANGE_DEG = (0.0, 360.0)
ROOF_AREA_RANGE_M2 = (0.0, 2000.0)

#: Mapping keys (CLI option names with ``-`` -> ``_``, META.csv columns) in a fixed order.
MAPPING_KEYS = (
    "persons",
    "dwelling",
    "tenure",
    "hot_water",
    "heating",
    "ev",
    "existing_pv_kwp",
    "postal_code",
    "latitude",
    "longitude",
    "roof_tilt_deg",
    "roof_azimuth_deg",
    "roof_area_m2",
    "balcony",
    "low_income",
    "grundversorgung",
    "price_eur_per_kwh",
    "base_fee_eur_per_year",
    "language",
)

_TRUE = {"1", "true", "yes", "y", "ja", "j", "wahr", "x"}
_FALSE = {"0", "false", "no", "n", "nein", "falsch"}
_UNKNOWN = {"", "nan", "none", "null", "na", "n/a", "unknown", "unbekannt", "?", "-"}

# German / alternative spellings accepted for the enum fields (case-insensitive).
_ALIASES = {
    "dwelling": {
        "haus": "house",
        "einfamilienhaus": "house",
        "efh": "house",
        "wohnung": "apartment",
        "flat": "apartment",
        "etagenwohnung": "apartment",
    },
    "tenure": {"eigentuemer": "owner", "eigentümer": "owner", "mieter": "tenant", "renter": "tenant"},
    "hot_water": {"elektrisch": "electric", "el": "electric", "andere": "other", "sonstige": "other"},
    "heating": {
        "heatpump": "heat_pump",
        "heat-pump": "heat_pump",
        "waermepumpe": "heat_pump",
        "wärmepumpe": "heat_pump",
        "nachtspeicher": "night_storage",
        "night-storage": "night_storage",
        "nachtspeicherheizung": "night_storage",
        "andere": "other",
        "sonstige": "other",
        "gas": "other",
        "oil": "other",
        "district": "other",
        "fernwaerme": "other",
    },
    "language": {"deutsch": "de", "english": "en"},
}


def _bad(field_name: str, expected: str, got: Any) -> AdvisorError:
    return AdvisorError(f"`{field_name}` must be {expected}; got {got!r}.")


def _check_range(name: str, value: float | None, bounds: tuple[float, float], unit: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _bad(name, f"a number in {bounds[0]}..{bounds[1]} {unit}", value)
    if not bounds[0] <= value <= bounds[1]:
        raise _bad(name, f"in {bounds[0]}..{bounds[1]} {unit}", value)


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        raise _bad(name, f"one of {', '.join(choices)} (or unknown)", value)


@dataclass(frozen=True)
class RoofSpec:
    """A roof (or facade) surface available for PV.

    Parameters
    ----------
    tilt_deg
        Tilt from horizontal [deg], 0..90; None if unknown.
    azimuth_deg
        Orientation [deg], pvlib convention: 0 north, 90 east, 180 south, 270 west; None if unknown.
    usable_area_m2
        Usable module area [m²]; None if unknown.
    """

    tilt_deg: float | None = None
    azimuth_deg: float | None = None
    usable_area_m2: float | None = None

    def __post_init__(self) -> None:
        _check_range("roof_tilt_deg", self.tilt_deg, TILT_RANGE_DEG, "deg")
        _check_range("roof_azimuth_deg", self.azimuth_deg, AZIMUTH_RANGE_DEG, "deg")
        _check_range("roof_area_m2", self.usable_area_m2, ROOF_AREA_RANGE_M2, "m²")

    @property
    def is_empty(self) -> bool:
        """True when nothing about the roof is known."""
        return self.tilt_deg is None and self.azimuth_deg is None and self.usable_area_m2 is None


@dataclass(frozen=True)
class Household:
    """What a household tells us about itself; every field may be unknown (None).

    Parameters
    ----------
    persons
        Number of persons living in the household, 1..15.
    dwelling
        ``"house"`` or ``"apartment"``.
    tenure
        ``"owner"`` or ``"tenant"``.
    hot_water
        ``"electric"`` (electric water heating, incl. instantaneous heaters and boilers) or ``"other"``.
    heating
        ``"heat_pump"``, ``"night_storage"`` (Nachtspeicher) or ``"other"``.
    ev
        True when an electric car is charged at home.
    existing_pv_kwp
        Peak power of a PV system already installed [kWp], 0..100.
    postal_code
        German postal code (5 digits).
    latitude, longitude
        Location [deg], WGS84.
    roof
        Roof surface for PV (:class:`RoofSpec`).
    balcony
        True when a balcony (or similar) for a plug-in PV device exists.
    low_income
        True when the household draws social benefits or has a low income (eligible for the free
        Caritas Stromspar-Check); asked only with consent, never inferred.
    grundversorgung
        True when the household is supplied in the Grundversorgung (default supply, § 36 EnWG);
        then a switch to the Stadtwerk's own product is shown.
    price_eur_per_kwh
        The household's own work price [EUR/kWh], 0.05..2; None -> seeds default where needed.
    base_fee_eur_per_year
        The household's own base fee [EUR/yr], 0..1000; None -> seeds default where needed.
    language
        ``"de"`` or ``"en"`` for texts and reports.

    Raises
    ------
    AdvisorError
        A value is outside its range or not one of its choices (the message names the field,
        what was expected and what was given).
    """

    persons: int | None = None
    dwelling: str | None = None
    tenure: str | None = None
    hot_water: str | None = None
    heating: str | None = None
    ev: bool | None = None
    existing_pv_kwp: float | None = None
    postal_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    roof: RoofSpec | None = None
    balcony: bool | None = None
    low_income: bool | None = None
    grundversorgung: bool | None = None
    price_eur_per_kwh: float | None = None
    base_fee_eur_per_year: float | None = None
    language: str = "de"

    def __post_init__(self) -> None:
        p = self.persons
        if p is not None:
            if isinstance(p, bool) or not isinstance(p, int):
                raise _bad("persons", f"a whole number {PERSONS_RANGE[0]}..{PERSONS_RANGE[1]}", p)
            if not PERSONS_RANGE[0] <= p <= PERSONS_RANGE[1]:
                raise _bad("persons", f"{PERSONS_RANGE[0]}..{PERSONS_RANGE[1]}", p)
        _check_choice("dwelling", self.dwelling, DWELLINGS)
        _check_choice("tenure", self.tenure, TENURES)
        _check_choice("hot_water", self.hot_water, HOT_WATER)
        _check_choice("heating", self.heating, HEATINGS)
        _check_choice("language", self.language, LANGUAGES)
        for name in ("ev", "balcony", "low_income", "grundversorgung"):
            v = getattr(self, name)
            if v is not None and not isinstance(v, bool):
                raise _bad(name, "true, false or unknown", v)
        _check_range("existing_pv_kwp", self.existing_pv_kwp, PV_RANGE_KWP, "kWp")
        _check_range("latitude", self.latitude, (-90.0, 90.0), "deg")
        _check_range("longitude", self.longitude, (-180.0, 180.0), "deg")
        if (self.latitude is None) != (self.longitude is None):
            raise _bad("latitude/longitude", "both given or both unknown", (self.latitude, self.longitude))
        _check_range("price_eur_per_kwh", self.price_eur_per_kwh, PRICE_RANGE_EUR_PER_KWH, "EUR/kWh")
        _check_range("base_fee_eur_per_year", self.base_fee_eur_per_year, BASE_FEE_RANGE_EUR_PER_YEAR, "EUR/yr")
        if self.postal_code is not None:
            pc = self.postal_code
            if not isinstance(pc, str) or not (len(pc) == 5 and pc.isdigit()):
                raise _bad("postal_code", "a German postal code of 5 digits", pc)
        if self.roof is not None and not isinstance(self.roof, RoofSpec):
            raise _bad("roof", "a RoofSpec", self.roof)

    # ------------------------------------------------------------------ mappings
    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> Household:
        """Build a Household from CLI options, app answers or a ``META.csv`` row.

        Keys are the names in :data:`MAPPING_KEYS` (``-`` may stand for ``_``, case-insensitive);
        other keys (e.g. ``household_id``) are ignored. Values may be strings: empty, ``"nan"``,
        ``"none"``, ``"unknown"``, ``"?"`` and NaN mean unknown; booleans accept
        ``ja/nein/yes/no/true/false/1/0``; enums accept a few German spellings
        (``Wohnung``, ``Haus``, ``Wärmepumpe``, ``Nachtspeicher`` …).

        Raises
        ------
        AdvisorError
            A value cannot be read or is out of range (names the key).
        """
        if mapping is None:
            return cls()
        norm: dict[str, Any] = {}
        for key, value in mapping.items():
            k = str(key).strip().lower().replace("-", "_").lstrip("_")
            if k in MAPPING_KEYS:
                norm[k] = value
        kw: dict[str, Any] = {}
        if "persons" in norm:
            kw["persons"] = _to_int("persons", norm["persons"])
        for name in ("dwelling", "tenure", "hot_water", "heating", "language"):
            if name in norm:
                v = _to_choice(name, norm[name])
                if v is not None or name != "language":
                    kw[name] = v
        for name in ("ev", "balcony", "low_income", "grundversorgung"):
            if name in norm:
                kw[name] = _to_bool(name, norm[name])
        for name in (
            "existing_pv_kwp",
            "latitude",
            "longitude",
            "price_eur_per_kwh",
            "base_fee_eur_per_year",
        ):
            if name in norm:
                kw[name] = _to_float(name, norm[name])
        if "postal_code" in norm:
            kw["postal_code"] = _to_postal_code(norm["postal_code"])
        roof = RoofSpec(
            tilt_deg=_to_float("roof_tilt_deg", norm.get("roof_tilt_deg")),
            azimuth_deg=_to_float("roof_azimuth_deg", norm.get("roof_azimuth_deg")),
            usable_area_m2=_to_float("roof_area_m2", norm.get("roof_area_m2")),
        )
        kw["roof"] = None if roof.is_empty else roof
        return cls(**kw)

    def to_mapping(self) -> dict[str, Any]:
        """Flat mapping with the keys of :data:`MAPPING_KEYS` (None for unknown); inverse of
        :meth:`from_mapping`."""
        roof = self.roof or RoofSpec()
        out: dict[str, Any] = {}
        for key in MAPPING_KEYS:
            if key == "roof_tilt_deg":
                out[key] = roof.tilt_deg
            elif key == "roof_azimuth_deg":
                out[key] = roof.azimuth_deg
            elif key == "roof_area_m2":
                out[key] = roof.usable_area_m2
            else:
                out[key] = getattr(self, key)
        return out

    def replace(self, **changes: Any) -> Household:
        """A copy with some fields changed (validated again)."""
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        current.update(changes)
        return Household(**current)

    @property
    def has_location(self) -> bool:
        """True when coordinates are known."""
        return self.latitude is not None and self.longitude is not None


# ---------------------------------------------------------------------- value parsing
def _is_unknown(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and value.strip().lower() in _UNKNOWN:
        return True
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False


def _to_float(name: str, value: Any) -> float | None:
    if _is_unknown(value):
        return None
    if isinstance(value, bool):
        raise _bad(name, "a number", value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # German decimal comma
        try:
            return float(text)
        except ValueError:
            raise _bad(name, "a number", value) from None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _bad(name, "a number", value) from None


def _to_int(name: str, value: Any) -> int | None:
    f = _to_float(name, value)
    if f is None:
        return None
    if not math.isfinite(f) or f != int(f):
        raise _bad(name, "a whole number", value)
    return int(f)


def _to_bool(name: str, value: Any) -> bool | None:
    if _is_unknown(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _bad(name, "yes/no (ja/nein, true/false, 1/0)", value)


def _to_choice(name: str, value: Any) -> str | None:
    if _is_unknown(value):
        return None
    text = str(value).strip().lower()
    text = _ALIASES.get(name, {}).get(text, text)
    text = text.replace("-", "_").replace(" ", "_")
    return text  # validated by Household.__post_init__


def _to_postal_code(value: Any) -> str | None:
    if _is_unknown(value):
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = str(value).strip()
    if text.isdigit() and len(text) < 5:
        text = text.zfill(5)  # spreadsheets drop the leading zero (e.g. 01067 Dresden)
    return text
