"""Household: validation, mappings (CLI / META.csv), shared CLI options."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from advisor.cli._household import household_options
from advisor.errors import AdvisorError
from advisor.household import MAPPING_KEYS, Household, RoofSpec


def test_unknown_stays_unknown():
    h = Household()
    assert h.persons is None and h.dwelling is None and h.ev is None and h.roof is None
    assert Household.from_mapping({}).persons is None
    assert Household.from_mapping(None) == Household()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"persons": 0}, "persons"),
        ({"persons": 16}, "persons"),
        ({"persons": 2.5}, "persons"),
        ({"dwelling": "castle"}, "dwelling"),
        ({"heating": "coal"}, "heating"),
        ({"hot_water": "solar"}, "hot_water"),
        ({"latitude": 91.0, "longitude": 7.0}, "latitude"),
        ({"latitude": 51.5}, "latitude/longitude"),
        ({"price_eur_per_kwh": 37.0}, "price_eur_per_kwh"),
        ({"price_eur_per_kwh": 0.01}, "price_eur_per_kwh"),
        ({"postal_code": "4462"}, "postal_code"),
        ({"language": "fr"}, "language"),
        ({"ev": "yes"}, "ev"),
    ],
)
def test_bad_values_name_field_expected_and_got(kwargs, field):
    with pytest.raises(AdvisorError, match=f"`{field}` must be") as info:
        Household(**kwargs)
    assert "got" in str(info.value)


def test_roof_ranges():
    with pytest.raises(AdvisorError, match="roof_tilt_deg"):
        RoofSpec(tilt_deg=95)
    with pytest.raises(AdvisorError, match="roof_azimuth_deg"):
        RoofSpec(azimuth_deg=-10)


def test_from_mapping_meta_csv_strings():
    row = {
        "household_id": "H1",
        "persons": "3",
        "dwelling": "Wohnung",
        "tenure": "Mieter",
        "hot_water": "elektrisch",
        "heating": "Wärmepumpe",
        "ev": "ja",
        "existing_pv_kwp": "4,5",
        "postal_code": 44623,
        "latitude": "51.54",
        "longitude": "7.22",
        "roof_tilt_deg": "35",
        "roof_azimuth_deg": "",
        "roof_area_m2": float("nan"),
        "balcony": "nein",
        "price_eur_per_kwh": "0.35",
        "base_fee_eur_per_year": "",
        "language": "EN",
    }
    h = Household.from_mapping(row)
    assert h.persons == 3
    assert h.dwelling == "apartment" and h.tenure == "tenant"
    assert h.hot_water == "electric" and h.heating == "heat_pump"
    assert h.ev is True and h.balcony is False
    assert h.existing_pv_kwp == 4.5
    assert h.postal_code == "44623"
    assert h.roof == RoofSpec(tilt_deg=35.0)
    assert h.base_fee_eur_per_year is None
    assert h.language == "en"


def test_from_mapping_cli_style_keys_and_leading_zero_postal_code():
    h = Household.from_mapping({"hot-water": "other", "--persons": 1, "postal_code": "1067"})
    assert h.hot_water == "other" and h.persons == 1 and h.postal_code == "01067"


def test_from_mapping_bad_bool_and_number():
    with pytest.raises(AdvisorError, match="`ev`"):
        Household.from_mapping({"ev": "vielleicht"})
    with pytest.raises(AdvisorError, match="`persons`"):
        Household.from_mapping({"persons": "two"})
    with pytest.raises(AdvisorError, match="`persons`"):
        Household.from_mapping({"persons": "2.5"})


def test_round_trip_mapping():
    h = Household(
        persons=2,
        dwelling="house",
        heating="night_storage",
        ev=False,
        latitude=51.54,
        longitude=7.22,
        roof=RoofSpec(30, 180, 40),
        price_eur_per_kwh=0.4,
    )
    m = h.to_mapping()
    assert tuple(m) == MAPPING_KEYS
    assert m["roof_tilt_deg"] == 30 and m["roof_area_m2"] == 40
    assert Household.from_mapping(m) == h
    # string round trip like a CSV cell
    assert Household.from_mapping({k: ("" if v is None else str(v)) for k, v in m.items()}) == h
    assert not any(isinstance(v, float) and math.isnan(v) for v in m.values())


def test_replace_validates():
    h = Household(persons=2)
    assert h.replace(persons=3).persons == 3
    with pytest.raises(AdvisorError):
        h.replace(persons=99)


def _cli_app():
    app = typer.Typer()

    @app.command("show")
    @household_options
    def show(file: Path, household: Household, as_json: bool = typer.Option(False, "--json")) -> None:
        typer.echo(repr((str(file), as_json, household)))

    @app.command("other")
    def other() -> None:
        pass

    return app


def test_household_options_builds_household():
    result = CliRunner().invoke(
        _cli_app(),
        [
            "show",
            "x.csv",
            "--persons",
            "2",
            "--dwelling",
            "apartment",
            "--hot-water",
            "electric",
            "--ev",
            "no",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    expected = Household(persons=2, dwelling="apartment", hot_water="electric", ev=False)
    assert repr(("x.csv", True, expected)) in result.output


def test_household_options_without_flags_is_unknown():
    result = CliRunner().invoke(_cli_app(), ["show", "x.csv"])
    assert result.exit_code == 0
    assert repr(("x.csv", False, Household())) in result.output


def test_household_options_bad_value_raises_advisor_error():
    result = CliRunner().invoke(_cli_app(), ["show", "x.csv", "--persons", "40"])
    assert isinstance(result.exception, AdvisorError)


def test_household_options_requires_household_parameter():
    with pytest.raises(TypeError):

        @household_options
        def f(x: int) -> None:  # pragma: no cover
            pass


def test_low_income_answer_reaches_the_stromspar_check_rule():
    from advisor.household import Household
    from advisor.measures import household_facts

    hh = Household.from_mapping({"low_income": "ja", "persons": "2"})
    assert hh.low_income is True
    assert hh.to_mapping()["low_income"] is True
    assert household_facts(hh, None)["low_income"] is True
    assert household_facts(hh, None, low_income=False)["low_income"] is False  # explicit argument wins
    assert Household().low_income is None
