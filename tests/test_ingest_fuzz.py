"""Fuzzing the importer: garbage and mutated exports may only ever raise LoadCurveError.

Bounded example counts keep this file well under 30 s on one core.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.errors import LoadCurveError
from advisor.ingest import ReadOptions, read_load_curves

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)

VALID = (
    "Zählpunkt;DE0001234567890000000000000000001;\n"
    "Einheit;Wh;\n"
    "Datum;Uhrzeit;Wert;Status;\n"
    "27.10.2024;01:45;0,125;W;\n"
    "27.10.2024;02:00;0,250;W;\n"
    "27.10.2024;02:15;-;;\n"
    "27.10.2024;02:30;1.000,500;E;\n"
    "27.10.2024;02:45;0,075;W;\n"
    "27.10.2024;02:00;0,100;W;\n"
    "27.10.2024;02:15;0,100;W;\n"
)
VALID_VONBIS = (
    "Von;Bis;Zählerstand [kWh];Status\n"
    "31.03.2024 01:30;31.03.2024 01:45;12.345,000;\n"
    "31.03.2024 01:45;31.03.2024 03:00;12.345,250;\n"
    "31.03.2024 03:00;31.03.2024 03:15;12.345,750;E\n"
)
VALID_RANGE = (
    "Zeitraum;Leistung [W];Ersatzwert\n"
    "27.10.2024 02:30 - 02:45;400;\n27.10.2024 02:45 - 02:00;800;ja\n27.10.2024 02:00 - 02:15;1.200,5;\n"
)
VALID_ISO = "timestamp,kWh\n2024-10-27T02:00:00+02:00,0.5\n2024-10-27T02:00:00+01:00,0.25\n2024-10-27T02:15:00+01:00,0.1\n"
NAMES = ("export.csv", "export.txt", "export.xlsx", "export", "export.csv.gz")


def must_only_raise_loadcurveerror(raw: bytes, name: str, options: ReadOptions | None = None) -> None:
    try:
        curves = read_load_curves(raw, options, name=name)
    except LoadCurveError:
        return
    assert curves and all(c.n_intervals > 0 for c in curves)


@FUZZ
@given(raw=st.binary(max_size=600), name=st.sampled_from(NAMES))
def test_garbage_bytes(raw, name):
    must_only_raise_loadcurveerror(raw, name)


@FUZZ
@given(
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"\x1f\x8b", b"PAR1", b"<html>"]),
    text=st.text(max_size=400),
    enc=st.sampled_from(["utf-8", "cp1252", "utf-16-le", "latin-1"]),
)
def test_garbage_text(prefix, text, enc):
    must_only_raise_loadcurveerror(prefix + text.encode(enc, errors="replace"), "export.csv")


_ALPHABET = list(";,\t\n\r\"'=-.:0123456789AB ZäöüE+#<>") + [
    "24:00", "2A", "2B", "kWh", "Wh", "kW", " kWh", "Zählerstand", "\x00", "e9", "NaN", " - ", "Summe", "Datum;Uhrzeit;Wert",
]


@st.composite
def mutated(draw, base: str):
    text = base
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "replace", "dup_line", "drop_line", "swap_lines", "truncate"]))
        lines = text.split("\n")
        if op in ("dup_line", "drop_line", "swap_lines") and len(lines) > 1:
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "dup_line":
                lines.insert(j, lines[i])
            elif op == "drop_line":
                lines.pop(i)
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
            continue
        if not text:
            text = draw(st.sampled_from(_ALPHABET))
            continue
        pos = draw(st.integers(0, len(text) - 1))
        if op == "delete":
            n = draw(st.integers(1, 8))
            text = text[:pos] + text[pos + n :]
        elif op == "insert":
            text = text[:pos] + draw(st.sampled_from(_ALPHABET)) + text[pos:]
        elif op == "replace":
            text = text[:pos] + draw(st.sampled_from(_ALPHABET)) + text[pos + 1 :]
        else:
            text = text[:pos]
    return text


@pytest.mark.parametrize(
    "base", [VALID, VALID_VONBIS, VALID_RANGE, VALID_ISO], ids=["datum-uhrzeit", "von-bis-register", "range-power", "iso"]
)
def test_mutated_valid_exports(base):
    @FUZZ
    @given(text=mutated(base), enc=st.sampled_from(["utf-8", "cp1252", "utf-16"]), label=st.sampled_from(["auto", "start", "end"]))
    def run(text, enc, label):
        must_only_raise_loadcurveerror(text.encode(enc, errors="replace"), "export.csv", ReadOptions(label=label))

    run()


def test_valid_bases_read():
    for base in (VALID, VALID_VONBIS, VALID_RANGE, VALID_ISO):
        assert read_load_curves(base.encode(), name="export.csv")


@pytest.mark.parametrize("raw", [b"\x1f\x8b", b"\x1f\x8b\x08\x00garbage", b"\x1f\x8b" + b"\x00" * 30])
def test_damaged_gzip_is_refused(raw):
    with pytest.raises(LoadCurveError):
        read_load_curves(raw, name="export.csv.gz")
