"""Batch folders with multi-location files (issue 17): each metering location of an interchange is
a household of its own (``<file>#<location>``, pseudonymised like the others), never summed into one
letter; where the plan cannot list the locations the household is refused naming them; META.csv
still sums the meters it lists for one household. The plausible period reaches the batch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_ingest_locations import LOC_A, LOC_B, expected_kwh, interchange
from test_ingest_properties import Truth, smgw

from advisor.cli import main

LETTER_DATE = "2026-11-24"


def run_cli(*args) -> int:
    return main(
        ["batch", *map(str, args), "--no-progress", "--workers", "1", "--letter-date", LETTER_DATE, "--formats", "html"]
    )


def summary(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "summary.parquet").set_index("household")


def _single(folder: Path) -> None:
    (folder / "single.txt").write_bytes(interchange({"DE0009999999999999999999999999999": 0.3}))


def test_interchange_with_two_locations_becomes_two_households(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "interchange.txt").write_bytes(interchange({LOC_A: 0.2, LOC_B: 0.6}))
    _single(folder)
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out) == 0
    s = summary(out)
    a, b = f"interchange#{LOC_A}", f"interchange#{LOC_B}"
    assert sorted(s.index) == sorted([a, b, "single"])
    assert (s["status"] == "ok").all() and (s["n_meters"] == 1).all()
    # each household's annual figure is its own location's, not the sum: the same 40 January days
    # annualise with the same factor, which the one-location file 'single' gives
    k = s.loc["single", "annual_kwh"] / expected_kwh(0.3)
    assert s.loc[a, "annual_kwh"] == pytest.approx(k * expected_kwh(0.2), rel=1e-3)
    assert s.loc[b, "annual_kwh"] == pytest.approx(k * expected_kwh(0.6), rel=1e-3)
    assert (out / "letters" / f"{a}.html").exists() and (out / "letters" / f"{b}.html").exists()
    assert not (out / "letters" / "interchange.html").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in manifest["input"]["files"]]
    assert names == sorted(set(names)) and "interchange.txt" in names  # each file hashed once


def test_pseudonymised_split_households_carry_no_location_or_file_name(tmp_path, monkeypatch):
    from advisor.batch.privacy import Pseudonymiser

    key = "k" * 40
    monkeypatch.setenv("ADVISOR_PSEUDONYM_KEY", key)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "interchange.txt").write_bytes(interchange({LOC_A: 0.2, LOC_B: 0.6}))
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out, "--pseudonymise") == 0
    pseudo = Pseudonymiser(key.encode())
    want = sorted(pseudo.pseudonym(f"interchange#{loc}") for loc in (LOC_A, LOC_B))
    assert sorted(summary(out).index) == want
    for p in out.rglob("*"):
        if p.is_file() and p.suffix in (".csv", ".html", ".json", ".parquet"):
            data = p.read_bytes()
            for secret in (LOC_A, LOC_B, "interchange"):
                assert secret.encode() not in data, (p.name, secret)


def test_meta_can_claim_one_location_and_the_other_stays_its_own_household(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "interchange.txt").write_bytes(interchange({LOC_A: 0.2, LOC_B: 0.6}))
    meta = tmp_path / "META.csv"
    pd.DataFrame({"household_id": ["K-1"], "file": ["interchange.txt"], "meter_id": [LOC_A], "persons": ["2"]}).to_csv(
        meta, index=False
    )
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out, "--households", meta) == 0
    s = summary(out)
    assert sorted(s.index) == sorted(["K-1", f"interchange#{LOC_B}"])
    assert s.loc["K-1", "persons"] == 2


def test_meta_naming_the_file_without_meter_id_is_refused_naming_the_locations(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "interchange.txt").write_bytes(interchange({LOC_A: 0.2, LOC_B: 0.6}))
    meta = tmp_path / "META.csv"
    pd.DataFrame({"household_id": ["K-1", "K-2"], "file": ["interchange.txt", "interchange.txt"],
                  "meter_id": ["", f"{LOC_A}|{LOC_B}"]}).to_csv(meta, index=False)
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out, "--households", meta) == 3
    s = summary(out)
    assert s.loc["K-1", "status"] == "error"
    assert LOC_A in s.loc["K-1", "error"] and LOC_B in s.loc["K-1", "error"] and "not summed" in s.loc["K-1", "error"]
    # the meters META.csv lists for one household are summed, as asked
    assert s.loc["K-2", "status"] == "ok" and s.loc["K-2", "n_meters"] == 2


def _two_usage_points() -> bytes:
    t = Truth(pd.Timestamp("2024-01-01", tz="UTC"), 60, np.full(24 * 40, 300))
    raw = smgw(t, offsets="utc", ten=0).decode()
    a, b = raw.index("<UsagePoint>"), raw.index("</UsagePoint>") + len("</UsagePoint>")
    other = raw[a:b].replace("DE0001234567890000000000000000001", LOC_B).replace("1EMH0001", "1EMH0002")
    return (raw[:b] + other + raw[b:]).encode()


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_locations_the_plan_cannot_list_are_refused_by_the_worker_not_summed(tmp_path, monkeypatch, pseudonymise):
    monkeypatch.setenv("ADVISOR_PSEUDONYM_KEY", "k" * 40)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "gateway.xml").write_bytes(_two_usage_points())
    _single(folder)
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out, *(["--pseudonymise"] if pseudonymise else [])) == 3
    s = summary(out)
    bad = s[s["status"] == "error"]
    assert len(bad) == 1 and len(s) == 2
    message = bad["error"].iloc[0]
    assert "2 consumption curves of different metering locations" in message and "META.csv" in message
    if pseudonymise:
        assert LOC_B not in message and "DE0001234567890000000000000000001" not in message
    else:
        assert LOC_B in message and "DE0001234567890000000000000000001" in message
    assert not any((out / "letters").glob("gateway*"))


def test_resume_after_a_change_recomputes_every_location_of_the_changed_file(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "interchange.txt").write_bytes(interchange({LOC_A: 0.2, LOC_B: 0.6}))
    _single(folder)
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out) == 0
    before = summary(out)
    (folder / "interchange.txt").write_bytes(interchange({LOC_A: 0.3, LOC_B: 0.6}))
    capsys.readouterr()
    assert run_cli(folder, "--out", out, "--resume") == 0
    err = capsys.readouterr().err
    assert "recomputed 2 households" in err
    after = summary(out)
    a = f"interchange#{LOC_A}"
    assert after.loc[a, "annual_kwh"] > before.loc[a, "annual_kwh"] + 0.08 * 8760
    assert after.loc["single", "annual_kwh"] == before.loc["single", "annual_kwh"]


def test_batch_earliest_latest_reach_folder_and_table_households_and_resume_checks_them(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    _single(folder)  # 2024-01-01 .. 2024-02-10
    out = tmp_path / "out"
    assert run_cli(folder, "--out", out, "--latest", "2024-01-15") == 3
    s = summary(out)
    assert s.loc["single", "status"] == "error" and "2024-01-15" in s.loc["single", "error"]
    assert run_cli(folder, "--out", out, "--resume") == 2
    assert "plausible_period" in capsys.readouterr().err
    # a long table: the same window through the partitions
    e = pd.date_range("2024-01-01", periods=24 * 40, freq="h", tz="UTC")
    table = tmp_path / "table.csv"
    pd.DataFrame({"household_id": "T-1", "timestamp": e.strftime("%Y-%m-%dT%H:%M:%SZ"), "kwh": 0.3}).to_csv(
        table, index=False
    )
    out2 = tmp_path / "out2"
    assert run_cli(table, "--out", out2, "--latest", "2024-01-15") == 3
    s2 = summary(out2)
    assert s2.loc["T-1", "status"] == "error" and "2024-01-15" in s2.loc["T-1", "error"]
    out3 = tmp_path / "out3"
    assert run_cli(table, "--out", out3, "--earliest", "2024-01-05") == 0
    assert summary(out3).loc["T-1", "status"] == "ok"
