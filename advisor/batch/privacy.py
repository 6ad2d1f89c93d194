"""Pseudonymisation of meter and customer ids for batch outputs (§ 52(3) MsbG, Art. 4(5) GDPR).

With ``--pseudonymise`` every id that names a customer, a meter or a meter file is replaced by a
keyed hash (HMAC-SHA256) in every output, file names included. The key is a secret of the
Stadtwerk: it comes from ``--key-file`` or the environment variable
``ADVISOR_PSEUDONYM_KEY``, lives only in memory and is never written to any output. The same key
gives the same pseudonyms in every run, so the Stadtwerk (who holds the key and the customer
list) can merge letters back to addresses; without the key the pseudonyms cannot be reversed or
recomputed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from pathlib import Path

from advisor.errors import AdvisorError

KEY_ENV = "ADVISOR_PSEUDONYM_KEY"
MIN_KEY_BYTES = 16
PSEUDONYM_HEX_CHARS = 20  # 80 bits: no collision in any realistic portfolio
_DOMAIN = b"energie-advisor/pseudonym/v1\x00"
_CHECK = b"energie-advisor/key-check/v1"


class PseudonymKeyError(AdvisorError):
    """No usable pseudonymisation key was given."""


def load_key(key_file: str | Path | None = None, environ: dict[str, str] | None = None) -> bytes:
    """The pseudonymisation key from ``key_file`` or ``$ADVISOR_PSEUDONYM_KEY``.

    Parameters
    ----------
    key_file
        File whose content (surrounding whitespace stripped) is the key. Wins over the variable.
    environ
        Environment to read (default ``os.environ``).

    Raises
    ------
    PseudonymKeyError
        No key given, the file is unreadable, or the key is shorter than 16 bytes.
    """
    environ = os.environ if environ is None else environ
    if key_file is not None:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise PseudonymKeyError(f"`--key-file` {key_file} cannot be read: {exc.strerror}") from None
        origin = f"key file {key_file}"
    elif environ.get(KEY_ENV):
        key = environ[KEY_ENV].strip().encode("utf-8")
        origin = f"${KEY_ENV}"
    else:
        raise PseudonymKeyError(
            "`--pseudonymise` needs a secret key and none was given; refusing to run. Pass "
            f"`--key-file FILE` (a file holding at least {MIN_KEY_BYTES} random bytes, e.g. made with "
            f"`openssl rand -hex 32 > key.txt`) or set the environment variable {KEY_ENV}. "
            "Keep the same key for every run so that pseudonyms stay stable."
        )
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymKeyError(
            f"the pseudonymisation key from {origin} has {len(key)} bytes; at least {MIN_KEY_BYTES} are needed"
        )
    return key


class Pseudonymiser:
    """Keyed hashing of identifiers (HMAC-SHA256, hex, 20 characters, prefixed ``P``).

    The key is held privately and is not shown by ``repr``.
    """

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise PseudonymKeyError(f"the pseudonymisation key must have at least {MIN_KEY_BYTES} bytes")
        self._key = bytes(key)

    def __repr__(self) -> str:
        return "Pseudonymiser(key=<hidden>)"

    def __getstate__(self):
        return {"_key": self._key}

    def __setstate__(self, state) -> None:
        self._key = state["_key"]

    def pseudonym(self, identifier: str) -> str:
        """Stable pseudonym of ``identifier`` under this key."""
        digest = hmac.new(self._key, _DOMAIN + str(identifier).encode("utf-8"), hashlib.sha256).hexdigest()
        return "P" + digest[:PSEUDONYM_HEX_CHARS]

    def key_check(self) -> str:
        """A check value that tells two keys apart without revealing either (for ``--resume``)."""
        return hmac.new(self._key, _CHECK, hashlib.sha256).hexdigest()[:16]


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_stem(identifier: str) -> str:
    """A file-name-safe stem for a (non-pseudonymised) id; adds a short hash when it had to change."""
    stem = _SAFE.sub("_", str(identifier)).strip("._") or "household"
    if stem != identifier or len(stem) > 80:
        stem = stem[:60] + "-" + hashlib.sha256(str(identifier).encode("utf-8")).hexdigest()[:8]
    return stem


def scrub_text(text: str, replacements: dict[str, str]) -> str:
    """Replace every original identifier in ``text`` by its pseudonym (longest first).

    An identifier is replaced only where it stands alone (not inside a longer id or word).
    """
    for original in sorted(replacements, key=len, reverse=True):
        if original:
            pattern = r"(?<![A-Za-z0-9_])" + re.escape(original) + r"(?![A-Za-z0-9_])"
            text = re.sub(pattern, lambda _m, o=original: replacements[o], text)
    return text


# ---------------------------------------------------------------------- text fields of outputs
#: C0/C1 controls (tab, CR, LF become spaces), zero-width and bidi embedding/override/isolate
#: characters (U+202E "right-to-left override" can make a letter show another amount or name).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u180e]")
MAX_FIELD_CHARS = 200  # a name, street, city, meter id or META.csv cell
MAX_ADDRESS_LINE_CHARS = 100
MAX_MESSAGE_CHARS = 500  # an error message in errors.csv / summary
#: Quoted fragments of an error message (``'…'`` or ``"…"``) are what readers quote from the file;
#: only these short hints of our own survive redaction.
_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.){0,2000}'|\"(?:[^\"\\\n]|\\.){0,2000}\"")
_KEEP_QUOTED_MAX = 4


def clean_text(value: str, max_chars: int = MAX_FIELD_CHARS) -> str:
    """Text without control and bidi characters, whitespace squeezed, at most ``max_chars``."""
    text = _CONTROLS.sub(lambda m: " " if m.group() in "\t\r\n" else "", str(value))
    text = re.sub(r"\s{2,}", " ", text).strip()
    if len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return text


def redact_content(message: str, max_chars: int = MAX_MESSAGE_CHARS) -> str:
    """An error message fit for batch outputs: every quoted fragment longer than a few characters
    (file content a reader quoted: a line, a cell, a header) becomes ``'…'``; controls stripped,
    length capped. Separators, units and codes such as ``';'``, ``'kWh'`` or ``'Z18'`` stay."""

    def repl(m: re.Match) -> str:
        inner = m.group()[1:-1]
        return m.group() if len(inner) <= _KEEP_QUOTED_MAX and "\\" not in inner else "'…'"

    text = _QUOTED.sub(repl, str(message))
    # an unbalanced quote may start a fragment that runs to the end: cut it there
    for q in ("'", '"'):
        if text.count(q) % 2 and re.search(q + r"\S{5,}", text):
            text = text[: text.rfind(q)] + "'…'"
    return clean_text(text, max_chars)
