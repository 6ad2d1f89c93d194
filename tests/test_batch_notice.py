"""Issue 19: PDF letters by default, GDPR Art. 13/21 texts seeded by the Stadtwerk, retention, purge."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from shared_data import shared_path

from advisor.batch.notice import privacy_notice, retention_until
from advisor.cli import main
from advisor.errors import SeedError
from advisor.report import Brand
from advisor.seeds import load_seeds

LONDON = ["--tz", "Europe/London", "--holiday-region", "GB-ENG"]
PRIVACY = """
[controller]
value = "Stadtwerke Beispielstadt GmbH, Musterweg 1, 44623 Herne"
unit = "text"
source = "test"
date = "2026-12"

[dpo_contact]
value = "datenschutz@stadtwerke-beispiel.test"
unit = "text"
source = "test"
date = "2026-12"

[objection_contact]
value = "widerspruch@stadtwerke-beispiel.test"
unit = "text"
source = "test"
date = "2026-12"

[recipients]
value = "Druckdienstleister Beispiel GmbH (Auftragsverarbeitung)"
unit = "text"
source = "test"
date = "2026-12"
"""


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> Path:
    """Two real households, default formats (HTML + PDF), the Stadtwerk's privacy seeds."""
    root = tmp_path_factory.mktemp("notice")
    t = pq.read_table(shared_path("lcl_london", "lcl_60hh_2013_30min.parquet")).to_pandas()
    meta = pd.read_csv(shared_path("lcl_london", "lcl_60hh_2013_meta.csv"))
    ids = sorted(meta.loc[meta["qc_flags"].isna() & (meta["coverage_2013"] > 0.99), "lclid"])[:2]  # plausible ones
    t[t["lclid"].isin(ids)].to_parquet(root / "two.parquet", index=False)
    (root / "seeds").mkdir()
    (root / "seeds" / "privacy.toml").write_text(PRIVACY, encoding="utf-8")
    out = root / "run"
    code = main(
        ["batch", str(root / "two.parquet"), "--out", str(out), "--seeds", str(root / "seeds"), *LONDON]
        + ["--workers", "1", "--no-progress", "--letter-date", "2026-11-24"]
    )
    assert code == 0
    return out


def test_pdf_letters_by_default(small_run):
    pdfs = sorted(p.name for p in (small_run / "letters").glob("*.pdf"))
    assert len(pdfs) == 2 and all((small_run / "letters" / p).read_bytes()[:5] == b"%PDF-" for p in pdfs)
    summary = pd.read_parquet(small_run / "summary.parquet")
    assert summary["letter_pdf"].notna().all()


def test_each_letter_carries_the_stadtwerks_privacy_information(small_run):
    html = next((small_run / "letters").glob("*.html")).read_text(encoding="utf-8")
    for text in (
        "Datenschutzhinweise (Art. 13 und 21 DSGVO)",
        "Verantwortlich: Stadtwerke Beispielstadt GmbH, Musterweg 1, 44623 Herne.",
        "datenschutz@stadtwerke-beispiel.test",
        "formlos an widerspruch@stadtwerke-beispiel.test",
        "Druckdienstleister Beispiel GmbH",
        "Rechtsgrundlage: Ihre Einwilligung (Art. 6 Abs. 1 Buchst. a DSGVO",
        "Art. 21 DSGVO",
        "bis zum 24.11.2028",  # letter date + 24 months (seed evaluation.retention_months)
    ):
        assert text in html, text
    assert "prüfen wir, wie viel Strom solche Schreiben sparen" not in html  # no control group in this run
    manifest = json.loads((small_run / "manifest.json").read_text())
    assert manifest["retention"]["personal_data_until"] == "2028-11-24"
    assert manifest["retention"]["privacy_texts_missing"] == []
    assert "24.11.2028" in (small_run / "portfolio.html").read_text(encoding="utf-8")


def test_missing_privacy_facts_are_named_not_invented():
    notice = privacy_notice(load_seeds(), Brand(), "2026-11-24", evaluation=True, k=20)
    assert set(notice.missing) == {
        "privacy.controller",
        "privacy.dpo_contact",
        "privacy.objection_contact",
        "privacy.recipients",
    }
    assert notice.dpo_contact == "" and notice.recipients == ""
    branded = privacy_notice(
        load_seeds(),
        Brand(name="Stadtwerke X", sender_lines=("Weg 1",), contact="0800 1"),
        "2026-11-24",
        evaluation=True,
        k=20,
    )
    assert branded.controller == "Stadtwerke X, Weg 1" and branded.objection_contact == "0800 1"
    assert "privacy.controller" not in branded.missing and "privacy.objection_contact" not in branded.missing


def test_retention_date_and_bad_legal_basis(tmp_path):
    assert retention_until("2026-11-30", 3).isoformat() == "2027-02-28"
    (tmp_path / "privacy.toml").write_text(
        '[legal_basis]\nvalue = "because"\nunit = "code"\nsource = "t"\ndate = "2026"\n', encoding="utf-8"
    )
    with pytest.raises(SeedError, match="`privacy.legal_basis` must be one of consent, legitimate_interest"):
        privacy_notice(load_seeds(tmp_path), Brand(), "2026-11-24", evaluation=False, k=20)


def test_purge_deletes_personal_data_and_keeps_the_aggregate_record(small_run, tmp_path, capsys):
    import shutil

    run = tmp_path / "copy"
    shutil.copytree(small_run, run)
    ids = [p.stem for p in (run / "letters").glob("*.html")]
    assert main(["batch", "--purge", str(run)]) == 0
    assert "4 letters" in capsys.readouterr().out
    left = sorted(p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file())
    assert left in (["grid_peak.csv", "manifest.json"], [".lock", "grid_peak.csv", "manifest.json"])
    grid = (run / "grid_peak.csv").read_text()
    assert not any(i in grid for i in ids)  # k-anonymous areas only (issue 18), kept for grid planning
    text = (run / "manifest.json").read_text()
    assert not any(i in text for i in ids)  # no household id (file names, keys) is left
    doc = json.loads(text)
    assert doc["purged_utc"] and doc["counts"]["ok"] == 2 and "files" not in doc["input"]
    assert main(["batch", "--purge", str(run)]) == 0  # twice is harmless


def test_purge_refuses_a_folder_that_is_not_a_run(tmp_path, capsys):
    (tmp_path / "important.txt").write_text("keep me")
    assert main(["batch", "--purge", str(tmp_path)]) == 2
    assert "is not the output folder of a batch run" in capsys.readouterr().err
    assert (tmp_path / "important.txt").read_text() == "keep me"
