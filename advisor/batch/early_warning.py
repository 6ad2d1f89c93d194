"""The energy-poverty list of a batch run, for the Stadtwerk's social counselling (issue 19).

Only households whose META row consents (``consent_energy_poverty`` = yes) are looked at; their
flags come from :func:`advisor.energy_poverty.early_warning` on the worker. The driver writes

* ``energy_poverty.csv``: one row per flagged household with a pseudonym (``EP-`` + 12 hex
  characters, an HMAC of the household key with a random secret of this run), the criteria, the
  reasons in German and the offer (the free Stromspar-Check) — the list the counselling gets;
* ``energy_poverty_keys.csv``: pseudonym -> household key, mail-merge key and group, kept by the
  Stadtwerk to contact the household (never hand it to the counselling with the list).

The secret lives in ``.state/early_warning_secret`` (so a resumed run gives the same pseudonyms) and
is deleted with the run's other personal data by ``advisor batch --purge``. A household in the
control group is listed like any other: withholding help for the sake of the evaluation is not an
option; the evaluation then measures letters plus any counselling that followed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

import pandas as pd

from advisor.batch.outputs import atomic_write_bytes, atomic_write_text, csv_bytes
from advisor.texts import render

LIST_COLUMNS = ("pseudonym", "criteria", "reasons", "offer")
KEY_COLUMNS = ("pseudonym", "household", "mail_merge_key", "group")


def _secret(state_dir: Path) -> bytes:
    path = state_dir / "early_warning_secret"
    if not path.exists():
        atomic_write_text(path, secrets.token_hex(32))
    return bytes.fromhex(path.read_text(encoding="utf-8").strip())


def pseudonym(secret: bytes, key: str) -> str:
    """``EP-`` + the first 12 hex characters of HMAC-SHA256(secret, key)."""
    return "EP-" + hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


def write_energy_poverty_list(out_dir: Path, state_dir: Path, documents: list[dict]) -> int | None:
    """Write both files from the row documents; returns the number flagged, or None when no
    household consented (then nothing is written)."""
    consented = [d for d in documents if d.get("early_warning") is not None]
    if not consented:
        return None
    secret = _secret(state_dir)
    offer = render("energy_poverty.offer", "de")
    rows, keys = [], []
    for d in consented:
        flags = d["early_warning"]
        if not flags:
            continue
        row = d["row"]
        p = pseudonym(secret, row["household"])
        rows.append(
            {
                "pseudonym": p,
                "criteria": "|".join(f["code"] for f in flags),
                "reasons": "; ".join(f["reason_de"] for f in flags),
                "offer": offer,
            }
        )
        keys.append(
            {
                "pseudonym": p,
                "household": row["household"],
                "mail_merge_key": row.get("mail_merge_key"),
                "group": row.get("group"),
            }
        )
    listing = pd.DataFrame(rows, columns=list(LIST_COLUMNS)).sort_values("pseudonym", kind="stable")
    mapping = pd.DataFrame(keys, columns=list(KEY_COLUMNS)).sort_values("pseudonym", kind="stable")
    atomic_write_bytes(out_dir / "energy_poverty.csv", csv_bytes(listing))
    atomic_write_bytes(out_dir / "energy_poverty_keys.csv", csv_bytes(mapping))
    return len(rows)
