"""The reference numbers of the electrification check, read once from the seeds.

:class:`ElectrifyParameters` bundles every default the check uses (boiler efficiencies, COP
curve, EV consumption, tariff figures, CO₂ factors, subsidy rules) with the seed key it came
from, so each result can list its assumptions with source and date. Edges build it with
:meth:`ElectrifyParameters.from_seeds`; tests may build their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from advisor.seeds import Seeds

E = "electrify."
TC = "tariff_components."

#: field name -> seed key (every number below comes from one seed entry)
SEED_KEYS: dict[str, str] = {
    "gas_boiler_efficiency": E + "gas_boiler_efficiency",
    "oil_boiler_efficiency": E + "oil_boiler_efficiency",
    "oil_kwh_per_litre": E + "oil_kwh_per_litre",
    "gas_hi_per_hs": E + "gas_hi_per_hs",
    "hot_water_share_of_heat": E + "hot_water_share_of_heat",
    "hot_water_kwh_per_m2": E + "hot_water_kwh_per_m2",
    "default_bdew_class": E + "bdew_building_class",
    "cop_a": E + "hp_cop_a",
    "cop_b": E + "hp_cop_b",
    "cop_c": E + "hp_cop_c",
    "cop_field_factor": E + "hp_cop_field_factor",
    "field_scop_mean": E + "hp_field_scop_mean",
    "field_scop_min": E + "hp_field_scop_min",
    "field_scop_max": E + "hp_field_scop_max",
    "design_flow_temp_c": E + "hp_design_flow_temp_c",
    "flow_temp_at_limit_c": E + "hp_flow_temp_at_heating_limit_c",
    "design_outdoor_temp_c": E + "hp_design_outdoor_temp_c",
    "heating_limit_temp_c": E + "hp_heating_limit_temp_c",
    "hot_water_temp_c": E + "hp_hot_water_temp_c",
    "hp_investment_eur": E + "hp_investment_eur",
    "beg_base_share": E + "beg_base_share",
    "beg_speed_bonus_share": E + "beg_speed_bonus_share",
    "beg_income_bonus_share": E + "beg_income_bonus_share",
    "beg_max_share": E + "beg_max_share",
    "beg_max_eligible_cost_eur": E + "beg_max_eligible_cost_eur",
    "ev_kwh_per_100km": E + "ev_kwh_per_100km",
    "ev_home_charging_share": E + "ev_home_charging_share",
    "ev_sessions_per_week": E + "ev_sessions_per_week",
    "ev_departure_hour": E + "ev_departure_hour",
    "ev_random_seed": E + "ev_random_seed",
    "petrol_litres_per_100km": E + "petrol_litres_per_100km",
    "diesel_litres_per_100km": E + "diesel_litres_per_100km",
    "petrol_eur_per_litre": E + "petrol_eur_per_litre",
    "diesel_eur_per_litre": E + "diesel_eur_per_litre",
    "co2_kg_per_kwh_gas_hi": E + "co2_kg_per_kwh_gas_hi",
    "co2_kg_per_kwh_oil_hi": E + "co2_kg_per_kwh_oil_hi",
    "co2_kg_per_litre_petrol": E + "co2_kg_per_litre_petrol",
    "co2_kg_per_litre_diesel": E + "co2_kg_per_litre_diesel",
    "co2_price_eur_per_tonne": E + "co2_price_eur_per_tonne",
    "gas_price_eur_per_kwh": E + "gas_price_eur_per_kwh",
    "oil_price_eur_per_litre": E + "oil_price_eur_per_litre",
    "hp_work_price_eur_per_kwh": E + "heat_pump_work_price_eur_per_kwh",
    "hp_base_fee_eur_per_year": E + "heat_pump_base_fee_eur_per_year",
    "house_connection_kw": E + "house_connection_kw",
    "dimming_floor_kw": E + "para14a_dimming_floor_kw",
    "imsys_threshold_kwh": E + "msbg_imsys_threshold_kwh",
    "imsys_fee_above_10000_eur": E + "imsys_fee_above_10000_kwh_eur_per_year",
    "module3_factor_low": E + "module3_network_factor_low",
    "module3_factor_high": E + "module3_network_factor_high",
    "meter_mme_eur": TC + "meter_mme_eur_per_year",
    "meter_imsys_eur": TC + "meter_imsys_eur_per_year",
    "network_work_price_eur_per_kwh": TC + "network_work_price_eur_per_kwh",
    "vat_pct": TC + "vat_pct",
    "module1_eur": TC + "para14a_module1_eur_per_year",
    "module2_network_share": TC + "para14a_module2_network_share",
    "module2_meter_eur": TC + "para14a_module2_meter_eur_per_year",
    "electricity_co2_g_per_kwh": "emissions.co2_g_per_kwh",
}

#: list-valued seeds (field name -> seed key)
LIST_KEYS: dict[str, str] = {
    "ev_arrival_weights_weekday": E + "ev_arrival_weights_weekday",
    "ev_arrival_weights_weekend": E + "ev_arrival_weights_weekend",
    "module3_low_hours": E + "module3_low_hours",
    "module3_high_hours": E + "module3_high_hours",
    "module3_months": E + "module3_months",
}


@dataclass(frozen=True)
class ElectrifyParameters:
    """Every default number of the electrification check (units in the seed files).

    Build it with :meth:`from_seeds`; ``citations`` maps each field to its seed entry
    (``key``, ``value``, ``unit``, ``source``, ``date``, ``verify``).
    """

    gas_boiler_efficiency: float
    oil_boiler_efficiency: float
    oil_kwh_per_litre: float
    gas_hi_per_hs: float
    hot_water_share_of_heat: float
    hot_water_kwh_per_m2: float
    default_bdew_class: float
    cop_a: float
    cop_b: float
    cop_c: float
    cop_field_factor: float
    field_scop_mean: float
    field_scop_min: float
    field_scop_max: float
    design_flow_temp_c: float
    flow_temp_at_limit_c: float
    design_outdoor_temp_c: float
    heating_limit_temp_c: float
    hot_water_temp_c: float
    hp_investment_eur: float
    beg_base_share: float
    beg_speed_bonus_share: float
    beg_income_bonus_share: float
    beg_max_share: float
    beg_max_eligible_cost_eur: float
    ev_kwh_per_100km: float
    ev_home_charging_share: float
    ev_sessions_per_week: float
    ev_departure_hour: float
    ev_random_seed: float
    petrol_litres_per_100km: float
    diesel_litres_per_100km: float
    petrol_eur_per_litre: float
    diesel_eur_per_litre: float
    co2_kg_per_kwh_gas_hi: float
    co2_kg_per_kwh_oil_hi: float
    co2_kg_per_litre_petrol: float
    co2_kg_per_litre_diesel: float
    co2_price_eur_per_tonne: float
    gas_price_eur_per_kwh: float
    oil_price_eur_per_litre: float
    hp_work_price_eur_per_kwh: float
    hp_base_fee_eur_per_year: float
    house_connection_kw: float
    dimming_floor_kw: float
    imsys_threshold_kwh: float
    imsys_fee_above_10000_eur: float
    module3_factor_low: float
    module3_factor_high: float
    meter_mme_eur: float
    meter_imsys_eur: float
    network_work_price_eur_per_kwh: float
    vat_pct: float
    module1_eur: float
    module2_network_share: float
    module2_meter_eur: float
    electricity_co2_g_per_kwh: float
    ev_arrival_weights_weekday: tuple[float, ...]
    ev_arrival_weights_weekend: tuple[float, ...]
    module3_low_hours: tuple[int, ...]
    module3_high_hours: tuple[int, ...]
    module3_months: tuple[int, ...]
    heat_typology: tuple[dict[str, Any], ...] = ()
    citations: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_seeds(cls, seeds: Seeds) -> ElectrifyParameters:
        """Read every number from ``seeds`` (raises SeedError naming a missing key)."""
        kw: dict[str, Any] = {}
        cites: dict[str, dict[str, Any]] = {}
        for name, key in {**SEED_KEYS, **LIST_KEYS}.items():
            entry = seeds.entry(key)
            if name in LIST_KEYS:
                kw[name] = tuple(entry.value)
            else:
                kw[name] = float(entry.value)
            cites[name] = {
                "key": key,
                "value": entry.value,
                "unit": entry.unit,
                "source": entry.source,
                "date": entry.date,
                "verify": entry.verify,
            }
        table = seeds.table("heat_typology")
        rows = tuple(
            {
                "year_from": int(r["year_from"]),
                "year_to": int(r["year_to"]),
                "efh_kwh_per_m2": float(r["efh_kwh_per_m2"]),
                "mfh_kwh_per_m2": float(r["mfh_kwh_per_m2"]),
                "bdew_class": int(r["bdew_class"]),
                "source": str(r["source"]),
                "date": str(r["date"]),
            }
            for _, r in table.iterrows()
        )
        return cls(**kw, heat_typology=rows, citations=cites)

    def cite(self, name: str) -> dict[str, Any]:
        """The seed entry behind field ``name`` (for the assumptions list)."""
        if name not in self.citations:
            value = getattr(self, name)
            return {
                "key": name,
                "value": value,
                "unit": "",
                "source": "passed in by the caller",
                "date": "",
                "verify": False,
            }
        return dict(self.citations[name])

    def replace(self, **changes: Any) -> ElectrifyParameters:
        """A copy with some numbers changed (their citation says 'given')."""
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        cites = dict(self.citations)
        for k in changes:
            cites.pop(k, None)
        current.update(changes)
        current["citations"] = cites
        return ElectrifyParameters(**current)
