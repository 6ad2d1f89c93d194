"""Issue 19: randomised control group, `advisor evaluate`, k-anonymous outputs.

Known-truth tests on the real London households (UK Power Networks, LCL 2013): the letters are
"written" from January-June, the later data are July-December; a known saving is injected into
the treatment group's later data only.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared_data import shared_path

from advisor.batch.assignment import make_assignment
from advisor.batch.process import KeyFigures
from advisor.cli import main
from advisor.evaluate.anonymity import (
    k_anonymous_bins,
    k_anonymous_cells,
    k_anonymous_counts,
    k_anonymous_ordered_counts,
)
from advisor.evaluate.assignment import (
    CONTROL,
    TREATMENT,
    AssignmentError,
    assign_groups,
    consumption_quintiles,
    minimum_detectable_effect,
)
from advisor.evaluate.effect import estimate_effect, portfolio_savings
from advisor.seeds import load_seeds

LONDON = ["--tz", "Europe/London", "--holiday-region", "GB-ENG"]
SPLIT = pd.Timestamp("2013-07-01", tz="UTC")
K = 20


# ---------------------------------------------------------------------- real data helpers
@pytest.fixture(scope="module")
def london() -> pd.DataFrame:
    return pq.read_table(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")).to_pandas()


@pytest.fixture(scope="module")
def halves(london) -> pd.DataFrame:
    """Mean daily kWh per household in each half of 2013 (intervals with data only)."""
    after = london["timestamp_utc"] >= SPLIT
    g = london.groupby(["lclid", after])["kwh"].agg(["sum", "count"]).unstack()
    return pd.DataFrame(
        {"pre": g["sum"][False] / g["count"][False] * 48, "post": g["sum"][True] / g["count"][True] * 48}
    )


def _units(halves: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"annual_kwh": halves["pre"] * 365, "stromspiegel_class": None}, index=halves.index)


# ---------------------------------------------------------------------- assignment
def test_same_seed_same_groups_whatever_the_order(halves):
    units = _units(halves)
    classes = np.array(["B", "C", "D", None], dtype=object)
    units["stromspiegel_class"] = classes[np.arange(len(units)) % 4]
    a = assign_groups(units, 0.3, seed=11)
    shuffled = units.sample(frac=1.0, random_state=3)
    b = assign_groups(shuffled, 0.3, seed=11)
    pd.testing.assert_series_equal(a["group"], b["group"])
    pd.testing.assert_series_equal(a["stratum"], b["stratum"])
    other = assign_groups(units, 0.3, seed=12)
    assert (other["group"] != a["group"]).any()  # the seed matters


def test_every_stratum_gets_its_share_in_expectation(halves):
    units = _units(halves)
    n_strata = assign_groups(units, 0.3, 0)["stratum"].value_counts()
    shares = []
    for seed in range(300):
        a = assign_groups(units, 0.3, seed)
        shares.append(a.groupby("stratum")["group"].apply(lambda g: (g == CONTROL).mean()))
        per = a.groupby("stratum")["group"].apply(lambda g: (g == CONTROL).sum())
        # randomised rounding: floor or ceil of n * S in each stratum, never more
        assert ((per - np.floor(n_strata * 0.3)).between(0, 1)).all()
    mean = pd.concat(shares, axis=1).mean(axis=1)
    assert np.allclose(mean.to_numpy(), 0.3, atol=0.03)


def test_quintiles_split_the_portfolio_in_fifths_and_ignore_order():
    s = pd.Series(np.arange(100.0)[::-1], index=[f"h{i:03d}" for i in range(100)])
    q = consumption_quintiles(s)
    assert q.value_counts().to_dict() == dict.fromkeys(range(1, 6), 20)
    assert q["h099"] == 1 and q["h000"] == 5
    ties = pd.Series(1.0, index=["b", "a", "c", "d", "e"])
    assert consumption_quintiles(ties).to_dict() == {"b": 2, "a": 1, "c": 3, "d": 4, "e": 5}


@pytest.mark.parametrize("share", [0, 1, -0.1, 1.5, float("nan")])
def test_control_share_outside_0_1_is_refused(share, halves):
    with pytest.raises(AssignmentError, match="`--control-share` must"):
        assign_groups(_units(halves), share, 1)


def test_make_assignment_is_independent_of_item_order(halves):
    from advisor.batch.inputs import WorkItem

    items = [
        WorkItem(household_id=k, key=k, household={"persons": str(1 + i % 4), "dwelling": "apartment"})
        for i, k in enumerate(halves.index)
    ]
    figures = {k: KeyFigures(k, "ok", annual_kwh=float(halves.loc[k, "pre"] * 365)) for k in halves.index}

    class Opts:
        control_share = 0.5
        assignment_seed = 5

    seeds = load_seeds()
    a = make_assignment(items, figures, seeds, Opts)
    b = make_assignment(list(reversed(items)), dict(reversed(list(figures.items()))), seeds, Opts)
    assert a == b
    assert {h["stratum"].split("-q")[0] for h in a["households"].values()} - {"unknown"}  # real classes


def test_minimum_detectable_effect_by_hand():
    p = minimum_detectable_effect(1000, 250, 0.3, alpha=0.10, power=0.80)
    z = 1.6448536269514722 + 0.8416212335729143
    assert p.mde_log == pytest.approx(z * 0.3 * math.sqrt(1 / 1000 + 1 / 250), rel=1e-9)
    assert p.mde_pct == pytest.approx(100 * (1 - math.exp(-p.mde_log)), rel=1e-12)
    assert minimum_detectable_effect(5000, 5000, 0.3).mde_pct < p.mde_pct  # more households, smaller MDE
    assert math.isinf(minimum_detectable_effect(1, 10, 0.3).mde_pct)


# ---------------------------------------------------------------------- effect: known truth
@pytest.mark.parametrize("method", ["ancova", "did"])
@pytest.mark.parametrize("saving", [0.0, 0.2])
def test_interval_holds_the_injected_effect_over_re_randomisations(halves, method, saving):
    """90 % intervals over 100 random assignments of the same real households: about 90 % hold
    the true saving (here 0 % or 20 %); a 20 % saving is detected in most of them."""
    units = _units(halves)
    hits, detected = 0, 0
    for seed in range(100):
        a = assign_groups(units, 0.5, seed)
        post = halves["post"].where(a["group"] != TREATMENT, halves["post"] * (1 - saving))
        frame = pd.DataFrame({"group": a["group"], "stratum": a["stratum"], "pre": halves["pre"], "post": post})
        e = estimate_effect(frame, k=K, method=method).overall
        hits += e.ci_low_pct <= 100 * saving <= e.ci_high_pct
        detected += e.ci_low_pct > 0
    assert 82 <= hits <= 98
    if saving > 0:
        assert detected >= 70
    else:
        assert detected <= 15


def test_bootstrap_interval_matches_the_robust_one(halves):
    a = assign_groups(_units(halves), 0.5, 4)
    post = halves["post"].where(a["group"] != TREATMENT, halves["post"] * 0.8)
    frame = pd.DataFrame({"group": a["group"], "stratum": a["stratum"], "pre": halves["pre"], "post": post})
    robust = estimate_effect(frame, k=K).overall
    boot = estimate_effect(frame, k=K, interval="bootstrap", n_bootstrap=400, seed=1).overall
    assert boot.effect_pct == pytest.approx(robust.effect_pct)
    width_r = robust.ci_high_pct - robust.ci_low_pct
    width_b = boot.ci_high_pct - boot.ci_low_pct
    assert 0.6 < width_b / width_r < 1.4


def test_effect_sign_and_savings_by_hand():
    """Every treatment household uses exactly 10 % less than its baseline, every control the same:
    the effect is 10 % saving, and the kWh saved is post / 0.9 - post."""
    keys = [f"h{i}" for i in range(40)]
    pre = pd.Series(np.linspace(5, 15, 40), index=keys)
    group = pd.Series([TREATMENT if i % 2 else CONTROL for i in range(40)], index=keys)
    noise = pd.Series(np.tile([1.02, 1.02, 0.98, 0.98], 10), index=keys)  # the same in both groups
    post = pre * noise * np.where(group == TREATMENT, 0.9, 1.0)
    frame = pd.DataFrame({"group": group, "stratum": "all-q1", "pre": pre, "post": post})
    e = estimate_effect(frame, k=K, method="did").overall
    assert e.effect_pct == pytest.approx(10.0, abs=1e-9)
    assert e.ci_low_pct < 10 < e.ci_high_pct
    s = portfolio_savings(e, post[group == TREATMENT].to_numpy(), 0.4, 344.0)
    expected_kwh = post[group == TREATMENT].sum() * 365 * (1 / (1 - e.effect_pct / 100) - 1)
    assert s.kwh_per_year == pytest.approx(expected_kwh)
    assert s.eur_per_year == pytest.approx(expected_kwh * 0.4)
    assert s.co2_t_per_year == pytest.approx(expected_kwh * 344 / 1e6)
    assert s.kwh_low < s.kwh_per_year < s.kwh_high


# ---------------------------------------------------------------------- k-anonymity
@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.builds(lambda c, q: f"{c}-q{q}", st.sampled_from("ABCDEFG") | st.just("unknown"), st.integers(1, 5)),
        st.integers(1, 60),
        max_size=40,
    ),
    st.integers(2, 30),
)
def test_cells_are_a_partition_of_at_least_k(counts, k):
    cells = k_anonymous_cells(counts, k)
    total = sum(counts.values())
    if total < k:
        assert cells == []
        return
    covered = [s for c in cells for s in c.strata]
    assert sorted(covered) == sorted(counts)  # every stratum once: nothing to subtract from the total
    for c in cells:
        assert c.n_households == sum(counts[s] for s in c.strata) >= k


def test_histogram_and_count_helpers_never_show_fewer_than_k():
    rng = np.random.default_rng(0)
    values = np.r_[rng.lognormal(8, 0.4, 200), 250_000.0]  # one extreme household
    bins = k_anonymous_bins(values, K, step=100)
    assert all(b.n_households >= K for b in bins) and sum(b.n_households for b in bins) == len(values)
    assert bins[0].low is None and bins[-1].high is None  # open ends: no household's own extreme
    assert all(e is None or e % 100 == 0 for b in bins for e in (b.low, b.high))
    assert k_anonymous_bins(values[:19], K, step=100) == []
    assert k_anonymous_ordered_counts([("B", 30), ("C", 25), ("F", 3), ("G", 1)], K) == [("B", 30), ("C–G", 29)]
    assert k_anonymous_ordered_counts([("A", 2), ("B", 30)], K) == [("A–B", 32)]
    assert k_anonymous_counts([("led", 40), ("fridge", 25), ("pv", 4), ("ev", 1)], K, other="x") == [
        ("led", 40),
        ("fridge + x", 30),
    ]
    assert k_anonymous_counts([("led", 40), ("pv", 12), ("ev", 9)], K, other="x") == [("led", 40), ("x", 21)]


def test_a_single_household_in_its_own_stratum_is_never_reported_alone(halves):
    """One household far above everyone else sits alone in its class; its later consumption is
    changed tenfold. The published cells all hold >= k households and add up to the total, so
    its figure cannot be read from a cell or from total minus cells."""
    units = _units(halves)
    low = halves["pre"] <= halves["pre"].median()
    units["stromspiegel_class"] = np.where(low, "C", "D")
    lone = halves["pre"].idxmax()
    units.loc[lone, "stromspiegel_class"] = "G"
    a = assign_groups(units, 0.5, 2)
    for factor in (1.0, 10.0):
        post = halves["post"].copy()
        post[lone] *= factor
        frame = pd.DataFrame({"group": a["group"], "stratum": a["stratum"], "pre": halves["pre"], "post": post})
        est = estimate_effect(frame, k=K)
        assert est.per_stratum, "cells expected for 60 households"
        n_cells = [s.effect.n_treatment + s.effect.n_control for s in est.per_stratum]
        assert min(n_cells) >= K
        assert sum(n_cells) == est.overall.n_treatment + est.overall.n_control
        lone_cell = [s for s in est.per_stratum if a.loc[lone, "stratum"] in s.strata]
        assert len(lone_cell) == 1 and len(lone_cell[0].strata) > 1


# ---------------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def programme(london, tmp_path_factory):
    """A batch of the 60 households on January-June with a control group, and the later data."""
    root = tmp_path_factory.mktemp("programme")
    before = london[london["timestamp_utc"] < SPLIT]
    before.to_parquet(root / "before.parquet", index=False)
    ids = sorted(london["lclid"].unique())
    rng = np.random.default_rng(19)
    meta = pd.DataFrame(
        {
            "household_id": ids,
            "persons": rng.integers(1, 5, len(ids)),
            "dwelling": rng.choice(["apartment", "house"], len(ids)),
        }
    )
    meta.to_csv(root / "META.csv", index=False)
    out = root / "run"
    args = ["batch", str(root / "before.parquet"), "--out", str(out), "--households", str(root / "META.csv")]
    args += [*LONDON, "--control-share", "0.5", "--seed", "19", "--formats", "html", "--workers", "2"]
    assert main([*args, "--no-progress", "--letter-date", "2026-11-24"]) == 0
    return root, out


def _after(london, root: Path, run: Path, saving: float, drop: tuple[str, ...] = ()) -> Path:
    groups = pd.read_parquet(run / "assignment.parquet").set_index("household")["group"]
    later = london[(london["timestamp_utc"] >= SPLIT) & ~london["lclid"].isin(drop)].copy()
    treated = later["lclid"].map(groups).eq(TREATMENT).fillna(False).to_numpy(dtype=bool)  # households without a group stay unchanged
    later.loc[treated, "kwh"] *= 1 - saving
    path = root / f"after_{int(saving * 100)}_{len(drop)}.parquet"
    later.sample(frac=1.0, random_state=1).to_parquet(path, index=False)  # any row order
    return path


def _evaluate(run: Path, after: Path, capsys, *extra: str) -> dict:
    capsys.readouterr()
    code = main(["evaluate", str(run), "--after", str(after), "--since", "2013-07-01", *LONDON, "--json", *extra])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def test_batch_control_group_gets_no_letter_and_is_recorded(programme):
    _, run = programme
    summary = pd.read_parquet(run / "summary.parquet")
    ok = summary[summary["status"] == "ok"]
    assert set(ok["group"]) == {TREATMENT, CONTROL}
    control = ok[ok["group"] == CONTROL]
    assert control["letter_html"].isna().all() and len(control) >= 25
    letters = {p.stem for p in (run / "letters").iterdir()}
    assert letters == set(ok.loc[ok["group"] == TREATMENT, "household"])
    assert not list((run / "letters").glob("*.pdf"))  # `--formats html` skips the PDF
    manifest = json.loads((run / "manifest.json").read_text())
    cg = manifest["control_group"]
    assert cg["seed"] == 19 and cg["control_share"] == 0.5
    assert cg["n_control"] == len(control) and cg["n_treatment"] == len(ok) - len(control)
    assert cg["power_analysis"]["mde_pct"] > 10  # 60 households cannot show a small effect
    assigned = pd.read_parquet(run / "assignment.parquet")
    assert (assigned["baseline_days"] > 100).sum() >= 55
    ends = pd.to_datetime(assigned["baseline_end"], utc=True)
    assert (ends <= SPLIT).all() and (ends == SPLIT).sum() >= 55


def test_same_seed_same_groups_for_a_reordered_input(programme, london, tmp_path):
    root, run = programme
    shuffled = london[london["timestamp_utc"] < SPLIT].sample(frac=1.0, random_state=7)
    shuffled.to_parquet(tmp_path / "reordered.parquet", index=False)
    args = ["batch", str(tmp_path / "reordered.parquet"), "--out", str(tmp_path / "run"), "--households"]
    args += [str(root / "META.csv"), *LONDON, "--control-share", "0.5", "--seed", "19", "--formats", "html"]
    assert main([*args, "--workers", "2", "--no-progress", "--letter-date", "2026-11-24"]) == 0
    a = pd.read_parquet(run / "assignment.parquet")[["household", "group", "stratum"]]
    b = pd.read_parquet(tmp_path / "run" / "assignment.parquet")[["household", "group", "stratum"]]
    pd.testing.assert_frame_equal(a, b)


def test_evaluate_finds_an_injected_saving_and_reports_missing_households(programme, london, capsys):
    root, run = programme
    groups = pd.read_parquet(run / "assignment.parquet").set_index("household")["group"]
    drop = (groups[groups == TREATMENT].index[0], groups[groups == CONTROL].index[0])
    doc = _evaluate(run, _after(london, root, run, 0.25, drop), capsys)
    assert doc["ci_low_pct"] <= 25 <= doc["ci_high_pct"]
    assert doc["ci_low_pct"] > 0  # 25 % is large enough for 60 households
    assert doc["method"] == "ancova_hc2"
    missing = {m["household"]: m for m in doc["missing"]}
    assert set(drop) <= set(missing)
    assert missing[drop[0]]["group"] == TREATMENT and missing[drop[0]]["reason"] == "not in the later data"
    assert doc["n_treatment"] + doc["n_control"] + doc["n_missing"] == doc["n_assigned"]
    assert doc["savings_per_year"]["kwh_per_year"] > 0 and doc["savings_per_year"]["eur_per_year"] > 0
    for cell in doc["per_stratum"]:
        assert cell["n_treatment"] + cell["n_control"] >= doc["k_anonymity"]
    assert sum(c["n_treatment"] + c["n_control"] for c in doc["per_stratum"]) in (
        0,
        doc["n_treatment"] + doc["n_control"],
    )
    written = json.loads((run / "evaluation" / "evaluation.json").read_text())
    assert written["effect_pct"] == doc["effect_pct"]
    assert set(pd.read_csv(run / "evaluation" / "missing.csv")["household"]) == set(missing)


def test_evaluate_without_an_effect_holds_zero(programme, london, capsys):
    root, run = programme
    doc = _evaluate(run, _after(london, root, run, 0.0), capsys, "--method", "did", "--interval", "bootstrap")
    assert doc["ci_low_pct"] <= 0 <= doc["ci_high_pct"]
    assert doc["method"] == "did_bootstrap"


def test_evaluate_refuses_a_run_without_control_group(tmp_path, capsys):
    run = tmp_path / "run"
    (run / ".state").mkdir(parents=True)
    (run / ".state" / "run.json").write_text("{}")
    code = main(["evaluate", str(run), "--after", str(tmp_path)])
    assert code == 2
    assert "no control group" in capsys.readouterr().err


def test_batch_refuses_control_share_without_seed(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("timestamp,kwh\n")
    code = main(["batch", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--control-share", "0.2"])
    assert code == 2
    assert "`--control-share` needs `--seed N`" in capsys.readouterr().err


def test_one_query_reader_equals_the_per_household_reader(programme, london, capsys):
    """The later data as Parquet (one DuckDB query) and as CSV (one load curve per household, the
    batch's reader) give the same estimate."""
    root, run = programme
    parquet = _after(london, root, run, 0.1)
    csv = root / "after.csv"
    pd.read_parquet(parquet).to_csv(csv, index=False)
    fast = _evaluate(run, parquet, capsys)
    slow = _evaluate(run, csv, capsys)
    for key in ("effect_pct", "ci_low_pct", "ci_high_pct", "n_treatment", "n_control", "n_missing"):
        assert fast[key] == pytest.approx(slow[key], abs=1e-3), key
