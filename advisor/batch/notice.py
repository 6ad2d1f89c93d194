"""The data-protection information of a batch run's letters (GDPR Art. 13 and 21) and its retention date.

The sentences are catalogue texts (``privacy.po``); the Stadtwerk's own facts come from the seeds
(``seeds/privacy.toml``, overridden with ``--seeds``). A fact the Stadtwerk has not given is left
out of the letter and named in :attr:`PrivacyNotice.missing`, which the batch prints and records
in its manifest: the product never invents a data-protection officer or a recipient.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from advisor.errors import SeedError

LEGAL_BASES = ("consent", "legitimate_interest")


@dataclass(frozen=True)
class PrivacyNotice:
    """What every letter of a run says about data protection.

    Attributes
    ----------
    controller
        Name and address of the controller (the seed, else the letterhead).
    dpo_contact, objection_contact, recipients
        The Stadtwerk's texts; empty when not given.
    legal_basis
        ``consent`` or ``legitimate_interest``.
    supervisory_authority
        Name and address of the supervisory authority.
    retention_until
        Date until which the run's personal data are kept.
    evaluation
        True when the run has a control group (the letter then explains the comparison).
    k
        Minimum households per group figure of the evaluation.
    missing
        Seed keys the Stadtwerk still has to fill in.
    """

    controller: str
    dpo_contact: str
    objection_contact: str
    recipients: str
    legal_basis: str
    supervisory_authority: str
    retention_until: dt.date
    evaluation: bool
    k: int
    missing: tuple[str, ...] = ()


def retention_until(letter_date: str, months: int) -> dt.date:
    """The letter date plus ``months`` calendar months."""
    return (pd.Timestamp(letter_date) + pd.DateOffset(months=int(months))).date()


def _text(seeds, key: str) -> str:
    try:
        return str(seeds.value(key) or "").strip()
    except SeedError:
        return ""


def privacy_notice(seeds, brand, letter_date: str, *, evaluation: bool, k: int) -> PrivacyNotice:
    """The run's notice from its seeds and letterhead.

    Raises
    ------
    SeedError
        ``privacy.legal_basis`` is not one of :data:`LEGAL_BASES`, or ``evaluation.retention_months``
        is missing or not a positive number.
    """
    basis = _text(seeds, "privacy.legal_basis") or "consent"
    if basis not in LEGAL_BASES:
        raise SeedError(f"seed `privacy.legal_basis` must be one of {', '.join(LEGAL_BASES)}; got {basis!r}")
    try:
        months = int(seeds.value("evaluation.retention_months"))
    except (SeedError, TypeError, ValueError):
        raise SeedError("seed `evaluation.retention_months` must be a whole number of months") from None
    if months < 1:
        raise SeedError(f"seed `evaluation.retention_months` must be at least 1; got {months}")
    missing = []
    controller = _text(seeds, "privacy.controller")
    if not controller:
        lines = [brand.name, *brand.sender_lines] if brand is not None else []
        controller = ", ".join(line for line in lines if line)
    if not controller or controller == "Energie-Advisor":
        missing.append("privacy.controller")
    dpo = _text(seeds, "privacy.dpo_contact")
    if not dpo:
        missing.append("privacy.dpo_contact")
    objection = _text(seeds, "privacy.objection_contact") or (brand.contact or "" if brand is not None else "")
    if not objection:
        missing.append("privacy.objection_contact")
    recipients = _text(seeds, "privacy.recipients")
    if not recipients:
        missing.append("privacy.recipients")
    return PrivacyNotice(
        controller=controller,
        dpo_contact=dpo,
        objection_contact=objection,
        recipients=recipients,
        legal_basis=basis,
        supervisory_authority=_text(seeds, "privacy.supervisory_authority"),
        retention_until=retention_until(letter_date, months),
        evaluation=bool(evaluation),
        k=int(k),
        missing=tuple(missing),
    )
