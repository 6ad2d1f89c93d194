"""Coincident peak by postal area before and after electrifying the candidates (issue 18 item 6):
k-anonymous (k = 20 from the seeds), tested against a leak checker that catches a naive table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.batch import BatchOptions, EngineSpec, run_batch
from advisor.batch.grid_peak import (
    NO_POSTAL_CODE,
    AreaSums,
    accumulate,
    area_of,
    k_anonymous_peaks,
    publishable,
)
from advisor.electrify.candidates import winter_profile_kw
from advisor.seeds import load_seeds
from tests.conftest import shared_path

K = 20


def _flat(kw: float) -> np.ndarray:
    return np.full(96, kw)


def _leaks(rows, households: dict[str, tuple[str, bool]], k: int) -> list[str]:
    """Why a published table would reveal one household: a row over fewer than k households, a
    change that rests on 1..k-1 households, or two rows whose households differ by fewer than k
    (subtract one from the other). ``households``: id -> (area, changed)."""
    problems = []
    members = []
    for r in rows:
        if r.level == "postal_code":
            ids = {h for h, (a, _) in households.items() if a == r.area}
        else:
            ids = set(r.ids) if hasattr(r, "ids") else None
        if r.n_households < k:
            problems.append(f"{r.area}: {r.n_households} households")
        if 0 < r.n_changed < k:
            problems.append(f"{r.area}: change rests on {r.n_changed} households")
        if ids is not None:
            members.append((r.area, ids))
    for i, (a, s) in enumerate(members):
        for b, t in members[i + 1 :]:
            if s & t and 0 < len(s ^ t) < k:
                problems.append(f"{a} vs {b}: differ by {len(s ^ t)} households")
    return problems


def _naive(areas: dict[str, AreaSums]):
    """Every postal code on its own: what the k-anonymous table must not do."""
    from advisor.batch.grid_peak import _peak

    return [_peak(a, "postal_code", s) for a, s in sorted(areas.items())]


def test_a_single_household_area_is_not_published_and_the_checker_catches_the_naive_table():
    households = {f"A{i}": ("44623", False) for i in range(25)}
    households["HP"] = ("44625", True)  # one household electrified alone in its postal area
    households.update({f"B{i}": ("10115", False) for i in range(3)})
    # the heat-pump household: 9 kW after
    profiles = [(a, _flat(1.0), _flat(9.0) if c else _flat(1.0), c) for a, c in households.values()]
    areas = accumulate(profiles)
    assert _leaks(_naive(areas), households, K)  # the naive table leaks (sanity of the checker)
    grid = k_anonymous_peaks(areas, K)
    assert _leaks(grid.rows, households, K) == []
    assert [(r.area, r.n_households) for r in grid.rows] == [("44623", 25)]
    assert grid.n_suppressed == 4  # 44625 (1) and 10115 (3): too few even together
    assert all(r.peak_after_kw < 9.0 + 25 for r in grid.rows)
    assert not any(r.n_changed for r in grid.rows)


def test_small_areas_pool_into_their_zone_and_then_into_the_rest():
    profiles = []
    for code, n in (("44623", 22), ("44625", 12), ("44627", 9), ("45127", 7), ("45128", 8), ("10115", 6)):
        profiles += [(code, _flat(1.0), _flat(1.0), False)] * n
    profiles += [("", _flat(1.0), _flat(1.0), False)] * 3
    grid = k_anonymous_peaks(accumulate(profiles), K)
    rows = {(r.level, r.area): r.n_households for r in grid.rows}
    assert rows == {("postal_code", "44623"): 22, ("zone", "44"): 21, ("rest", "*"): 24}
    assert grid.n_suppressed == 0
    assert sum(rows.values()) == 22 + 12 + 9 + 7 + 8 + 6 + 3


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["44623", "44625", "44627", "45127", "10115", "01067", ""]),
            st.floats(0.1, 12.0),
            st.booleans(),
        ),
        min_size=0,
        max_size=120,
    ),
    st.integers(2, 30),
)
def test_every_published_area_is_k_anonymous_and_the_areas_are_disjoint(households, k):
    profiles = [(a, _flat(kw), _flat(kw * (2.0 if c else 1.0)), c) for a, kw, c in households]
    grid = k_anonymous_peaks(accumulate(profiles), k)
    for r in grid.rows:
        assert r.n_households >= k
        assert r.n_changed == 0 or r.n_changed >= k
    assert sum(r.n_households for r in grid.rows) + grid.n_suppressed == len(households)
    assert len({(r.level, r.area) for r in grid.rows}) == len(grid.rows)
    # peaks: additive flat profiles, so the peak is the sum of the households' powers
    for r in grid.rows:
        if r.level == "postal_code":
            members = [kw for a, kw, _ in households if a == r.area]
            assert r.peak_before_kw == pytest.approx(sum(members))


def test_postal_codes():
    assert area_of("44623") == "44623"
    assert area_of(1067) == "01067"
    assert area_of(" 10115 ") == "10115"
    assert area_of("NW1 6XE") == NO_POSTAL_CODE and area_of(None) == NO_POSTAL_CODE
    assert publishable(AreaSums(n_households=K, n_changed=0), K)
    assert not publishable(AreaSums(n_households=K, n_changed=1), K)


def test_winter_profiles_of_the_real_households_keep_their_energy():
    """All 60 shared London households: each winter profile is None (no winter weekdays) or 96
    finite non-negative powers whose mean is the mean power over the winter weekdays."""
    t = pq.read_table(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")).to_pandas()
    n_profiles = 0
    for _hid, rows in t.groupby("lclid"):
        s = pd.Series(rows["kwh"].to_numpy(), index=pd.DatetimeIndex(rows["timestamp_utc"]).tz_convert("UTC"))
        s = s.sort_index()
        p = winter_profile_kw(s, 30, "Europe/London")
        if p is None:
            continue
        n_profiles += 1
        assert p.shape == (96,) and np.isfinite(p).all() and (p >= 0).all()
        local = s.dropna().index.tz_convert("Europe/London")
        keep = np.isin(local.month, (12, 1, 2)) & (local.day_of_week < 5)
        mean_kw = s.dropna()[keep].mean() / 0.5
        slots = pd.Series(s.dropna()[keep].to_numpy() / 0.5).groupby(
            (local[keep].hour * 2 + local[keep].minute // 30).to_numpy()
        )
        assert p.mean() == pytest.approx(slots.mean().mean(), rel=1e-9)
        assert p.mean() == pytest.approx(mean_kw, rel=0.05)
    assert n_profiles >= 50


@pytest.mark.slow
def test_batch_writes_the_k_anonymous_grid_table_and_the_candidate_letter(tmp_path):
    from advisor.synthetic import SyntheticSpec, synthetic_household
    from tests.device_injection import night_storage, with_device

    seeds = load_seeds()
    assert int(seeds.value("evaluation.k_anonymity")) == K
    schema = pa.schema(
        [("household_id", pa.string()), ("timestamp", pa.timestamp("us", tz="UTC")), ("kwh", pa.float64())]
    )
    meta = []
    with pq.ParquetWriter(tmp_path / "t.parquet", schema) as w:
        for i in range(22):
            curve = synthetic_household(SyntheticSpec(year=2024, interval_minutes=15, seed=100 + i)).curve
            hid, code = f"H{i:02d}", "44623"
            if i == 21:
                curve, code = with_device(curve, night_storage(curve, 6.0, seed=3)), "44625"
            idx = curve.data.index.tz_convert("UTC")
            w.write_table(pa.table({"household_id": [hid] * len(idx), "timestamp": pa.array(idx.as_unit("us")),
                                    "kwh": curve.energy_kwh.to_numpy()}, schema=schema))  # fmt: skip
            meta.append({"household_id": hid, "postal_code": code, "persons": 2, "dwelling": "house"})
    pd.DataFrame(meta).to_csv(tmp_path / "META.csv", index=False)
    out = tmp_path / "out"
    report = run_batch(
        BatchOptions(
            input_path=tmp_path / "t.parquet",
            out_dir=out,
            households=tmp_path / "META.csv",
            engine=EngineSpec(kind="local", workers=1),
            formats=("html",),
            letter_date="2026-11-24",
            progress=False,
        )
    )
    assert report.n_ok == 22
    grid = pd.read_csv(out / "grid_peak.csv", dtype={"area": str})
    assert list(grid["area"]) == ["44623"] and int(grid["n_households"].iloc[0]) == 21
    assert int(grid["n_changed"].iloc[0]) == 0
    page = (out / "portfolio.html").read_text(encoding="utf-8")
    assert "Gleichzeitige Spitzenlast" in page and "1 Haushalte" in page  # the night-storage one left out
    assert "44625" not in page
    letter = (out / "letters" / "H21.html").read_text(encoding="utf-8")
    assert "Ihre eigenen Zahlen zur Elektrifizierung" in letter and "Wärmepumpe" in letter
    assert "Ihre eigenen Zahlen zur Elektrifizierung" not in (out / "letters" / "H00.html").read_text(encoding="utf-8")
