"""Electrification candidates for the batch summary: signatures and answers, 'no' wins."""

from __future__ import annotations

from advisor.electrify.candidates import electrification_candidates
from advisor.household import Household
from advisor.signatures import Signature
from advisor.tariffs import Para14aResult


def _sig(name: str, conf: float = 0.9, kwh: float | None = 2000.0, answer: str = "unknown") -> Signature:
    return Signature(name, conf, "test", annual_kwh=kwh, household_answer=answer)


def test_detected_night_storage_is_a_heat_pump_candidate():
    c = electrification_candidates([_sig("night_storage_heating")], Household())
    assert c.codes == ("night_storage_to_heat_pump",)
    assert c.to_row() == {"electrify_candidates": "night_storage_to_heat_pump", "electrify_device_kwh": None}


def test_ev_detected_is_para14a_and_smart_charging_with_module2_when_it_pays():
    p14 = Para14aResult("ev", 3000.0, 165.0, 200.0, 2, 200.0)
    tc = type("TC", (), {"para14a": p14})()
    c = electrification_candidates([_sig("ev_charging", kwh=2500.0)], Household(), tc)
    assert c.codes == ("para14a", "para14a_module2", "smart_charging")
    assert c.device_kwh == 2500.0


def test_an_answer_no_beats_the_signature_and_weak_signatures_do_not_count():
    assert electrification_candidates([_sig("ev_charging")], Household(ev=False)).codes == ()
    assert electrification_candidates([_sig("heat_pump", conf=0.3)], Household()).codes == ()
    assert electrification_candidates([_sig("heat_pump", answer="no")], Household()).codes == ()


def test_stated_devices_count_without_signatures():
    c = electrification_candidates([], Household(heating="heat_pump", ev=True))
    assert c.codes == ("para14a", "smart_charging")
    assert c.device_kwh is None
    assert electrification_candidates([], Household(heating="other")).codes == ()


def test_batch_summary_row_carries_the_candidate_columns():
    from advisor.assessment import AssessmentSettings, assess_household
    from advisor.batch.process import SUMMARY_COLUMNS, assessment_row
    from advisor.seeds import load_seeds
    from advisor.synthetic import SyntheticSpec, synthetic_household

    names = [n for n, _ in SUMMARY_COLUMNS]
    assert "electrify_candidates" in names and "electrify_device_kwh" in names
    demo = synthetic_household(SyntheticSpec(seed=1))
    s = AssessmentSettings(seeds=load_seeds(), parts=("tariffs",))
    a = assess_household(demo.curve, Household(persons=2, dwelling="house", heating="night_storage", ev=False), s)
    row = {n: None for n in names}
    assessment_row(row, a, demo.curve)
    assert row["electrify_candidates"] == "night_storage_to_heat_pump"
