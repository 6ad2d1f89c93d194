"""PDF letters: the letter stylesheet is parsed once per worker, and the PDF is laid out exactly
as from the HTML with its inline stylesheet (issue 19, PDF letters at batch speed)."""

from __future__ import annotations

import pandas as pd
import pytest
import weasyprint

from advisor.assessment import AssessmentSettings, assess_household
from advisor.household import Household
from advisor.report import Address, Brand, letter_document, render_report
from advisor.seeds import load_seeds


@pytest.fixture(scope="module")
def letters(demo):
    s = AssessmentSettings(seeds=load_seeds(), parts=("tariffs", "recommendations"))
    a = assess_household(demo.curve, Household(persons=3, dwelling="house", tenure="owner"), s)
    brand = Brand(name="Stadtwerke Musterstadt", primary_color="#0a7a3d")
    return [
        render_report(a, lang, variant="letter", brand=brand, address=Address(lines=("Frau A", "Weg 1"), key=k))
        for lang, k in (("de", "K-1"), ("en", "K-2"), ("de", "K-3"))
    ]


def _boxes(document) -> list[tuple[int, str, float, float]]:
    """(page, text, x, y) of every text box of a laid-out document."""
    out = []

    def walk(box, page):
        text = getattr(box, "text", None)
        if text:
            out.append((page, text, round(box.position_x, 2), round(box.position_y, 2)))
        for child in getattr(box, "children", ()):
            walk(child, page)

    for i, page in enumerate(document.pages):
        walk(page._page_box, i)
    return out


def test_the_letter_stylesheet_is_parsed_once_for_many_letters(letters, monkeypatch):
    letter_document(letters[0])  # the worker's first letter parses it
    calls = []
    original = weasyprint.CSS.__init__

    def counting(self, *args, **kwargs):
        calls.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.CSS, "__init__", counting)
    for html in letters:
        letter_document(html)
    assert calls == []  # same brand, same stylesheet: parsed before, reused


def test_pdf_layout_equals_the_inline_stylesheet_layout(letters):
    for html in letters:
        reference = weasyprint.HTML(string=html).render()
        fast = letter_document(html)
        assert len(fast.pages) == len(reference.pages) >= 2
        assert _boxes(fast) == _boxes(reference)


def test_another_brand_gets_its_own_stylesheet(demo, letters):
    s = AssessmentSettings(seeds=load_seeds(), parts=("tariffs",))
    a = assess_household(demo.curve, Household(persons=1, dwelling="apartment"), s)
    other = render_report(a, "de", variant="letter", brand=Brand(name="SW B", primary_color="#aa0000"))
    doc = letter_document(other)
    h1 = [b for b in doc.pages[0]._page_box.descendants() if getattr(b, "element_tag", "") == "h1"]
    assert h1 and tuple(round(c, 3) for c in h1[0].style["color"][:3]) == (round(0xAA / 255, 3), 0.0, 0.0)
    first = letter_document(letters[0])
    h1 = [b for b in first.pages[0]._page_box.descendants() if getattr(b, "element_tag", "") == "h1"]
    assert tuple(round(c, 3) for c in h1[0].style["color"][:3]) == (round(0x0A / 255, 3), round(0x7A / 255, 3), round(0x3D / 255, 3))


def test_pdf_bytes(letters):
    from advisor.report import html_to_pdf

    pdf = html_to_pdf(letters[0])
    assert pdf[:5] == b"%PDF-" and pdf.rstrip().endswith(b"%%EOF")
    assert pd.notna(len(pdf))
