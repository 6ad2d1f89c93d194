"""advisor batch --pseudonymise: keyed hashes everywhere, the key never written, no key -> refused."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from shared_data import shared_path

from advisor.batch.privacy import KEY_ENV, Pseudonymiser, PseudonymKeyError, load_key, scrub_text
from advisor.cli import main

KEY = b"0123456789abcdef-test-key-not-secret"
LONDON = ["--tz", "Europe/London", "--holiday-region", "GB-ENG"]


def run_cli(*args) -> int:
    try:
        return main(["batch", *map(str, args), "--no-progress"])
    except SystemExit as exc:
        return exc.code


def test_pseudonym_is_hmac_sha256_of_the_id():
    p = Pseudonymiser(KEY)
    expected = hmac.new(KEY, b"energie-advisor/pseudonym/v1\x00MAC000003", hashlib.sha256).hexdigest()[:20]
    assert p.pseudonym("MAC000003") == "P" + expected
    assert p.pseudonym("MAC000003") == Pseudonymiser(KEY).pseudonym("MAC000003")  # stable across runs
    assert p.pseudonym("MAC000003") != Pseudonymiser(KEY + b"x").pseudonym("MAC000003")  # keyed
    assert p.pseudonym("MAC000003") != p.pseudonym("MAC000004")
    assert "0123456789abcdef" not in repr(p)


def test_key_from_file_or_environment_and_refused_without(tmp_path):
    f = tmp_path / "key.txt"
    f.write_bytes(KEY + b"\n")
    assert load_key(f, environ={}) == KEY
    assert load_key(None, environ={KEY_ENV: KEY.decode()}) == KEY
    with pytest.raises(PseudonymKeyError, match="needs a secret key"):
        load_key(None, environ={})
    f.write_bytes(b"short")
    with pytest.raises(PseudonymKeyError, match="at least 16 are needed"):
        load_key(f, environ={})
    with pytest.raises(PseudonymKeyError, match="cannot be read"):
        load_key(tmp_path / "missing", environ={})


def test_scrub_replaces_whole_ids_only():
    r = {"MAC000003": "Pa", "MAC000003.csv": "Pb"}
    assert scrub_text("MAC000003.csv: bad; meter MAC000003; MAC0000031", r) == "Pb: bad; meter Pa; MAC0000031"


@pytest.fixture(scope="module")
def pseudonymised_run(tmp_path_factory):
    """A folder of 3 London households (one of them with two meters) and a broken file, META with
    customer ids and addresses, run with --pseudonymise."""
    base = tmp_path_factory.mktemp("privacy")
    folder = base / "in"
    folder.mkdir()
    meta = pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv"))
    ids = sorted(meta.loc[meta["qc_flags"].isna(), "lclid"])[:4]
    table = pq.read_table(
        shared_path("lcl_london", "lcl_60hh_2013_30min.parquet"), filters=[("lclid", "in", ids)]
    ).to_pandas()
    for lclid, rows in table.groupby("lclid"):
        rows = rows.sort_values("timestamp_utc")
        pd.DataFrame({"timestamp": rows["timestamp_utc"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"), "kwh": rows["kwh"]}).to_csv(
            folder / f"{lclid}.csv", index=False
        )
    (folder / "DE0001234567890123.csv").write_text("<html><body>Sitzung abgelaufen</body></html>")
    customers = {
        "KD-4711": [ids[0], ids[1]],
        "KD-4712": [ids[2]],
        "KD-4713": [ids[3]],
        "KD-9999": ["DE0001234567890123"],
    }
    rows = []
    for cust, meters in customers.items():
        for m in meters:
            rows.append(
                {
                    "household_id": cust,
                    "file": f"{m}.csv",
                    "persons": 2,
                    "name": "Erika Mustermann",
                    "street": "Bahnhofstr. 1",
                    "postal_code": "44623",
                    "city": "Herne",
                }
            )
    pd.DataFrame(rows).to_csv(base / "META.csv", index=False)
    key_file = base / "key.txt"
    key_file.write_bytes(KEY)
    out = base / "out"
    code = run_cli(
        folder,
        "--out",
        out,
        "--households",
        base / "META.csv",
        "--pseudonymise",
        "--key-file",
        key_file,
        *LONDON,
        "--workers",
        "1",
    )
    originals = ids + list(customers) + ["DE0001234567890123", "Erika Mustermann", "Bahnhofstr", "Mustermann"]
    return out, code, originals


def _all_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file()]


def test_pseudonymised_outputs_contain_no_original_id(pseudonymised_run):
    out, code, originals = pseudonymised_run
    assert code == 3  # the HTML page fails, the run goes on
    files = _all_files(out)
    assert len(files) > 5
    for p in files:
        rel = p.relative_to(out).as_posix()
        data = p.read_bytes()
        for ident in originals:
            assert ident not in rel, f"{ident} in file name {rel}"
            assert ident.encode() not in data, f"{ident} in {rel}"
    summary = pd.read_parquet(out / "summary.parquet")
    p = Pseudonymiser(KEY)
    assert sorted(summary["household"]) == sorted(p.pseudonym(c) for c in ("KD-4711", "KD-4712", "KD-4713", "KD-9999"))
    assert (summary["household"] == summary["mail_merge_key"]).all()
    by_key = summary.set_index("household")
    assert by_key.loc[p.pseudonym("KD-4711"), "n_meters"] == 2  # two meter files summed
    assert by_key.loc[p.pseudonym("KD-4711"), "status"] == "ok"
    assert sorted(x.name for x in (out / "letters").iterdir()) == sorted(
        f"{p.pseudonym(c)}.{ext}" for c in ("KD-4711", "KD-4712", "KD-4713") for ext in ("html", "pdf")
    )  # PDF letters by default (issue 19), named by pseudonym too
    errors = pd.read_csv(out / "errors.csv")
    assert list(errors["household"]) == [p.pseudonym("KD-9999")]
    assert "HTML page" in errors["message"].iloc[0]


def test_key_is_never_written(pseudonymised_run):
    out, _, _ = pseudonymised_run
    for p in _all_files(out):
        data = p.read_bytes()
        assert KEY not in data and KEY.hex().encode() not in data, p


def test_run_without_key_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(KEY_ENV, raising=False)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.csv").write_text("timestamp,kwh\n")
    assert run_cli(tmp_path / "in", "--out", tmp_path / "out", "--pseudonymise") == 2
    err = capsys.readouterr().err
    assert "needs a secret key" in err and KEY_ENV in err
    assert not (tmp_path / "out").exists()


def test_resume_with_another_key_is_refused(pseudonymised_run, tmp_path, capsys):
    out, _, _ = pseudonymised_run
    other = tmp_path / "other.txt"
    other.write_bytes(b"another-key-of-enough-length")
    folder = out.parent / "in"
    code = run_cli(
        folder,
        "--out",
        out,
        "--households",
        out.parent / "META.csv",
        "--pseudonymise",
        "--key-file",
        other,
        *LONDON,
        "--resume",
    )
    assert code == 2
    assert "key_check" in capsys.readouterr().err
