"""Every page of the app at a phone (390×844) and a laptop (1366×900) width, opened by deep link.

For each page and width: the URL opens the page itself (no "Page not found"), no error box, every
plotly chart (also the ones in tabs) has a plotting area at least ``MIN_PLOT_PX`` wide, nothing
overflows the viewport sideways, axe-core finds no WCAG 2.1 A/AA violation, and a full-page
screenshot is kept in ``test-artifacts/pages/`` (gitignored) to look at.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_browser import assert_no_errors, wait_idle

from app.browser import COOKIE

NETGUARD = Path(__file__).resolve().parent / "netguard"

pytestmark = pytest.mark.e2e

MIN_PLOT_PX = 180
VIEWPORTS = {"phone": (390, 844), "laptop": (1366, 900)}
# url path, German h1
PAGES = [
    ("", "Energie-Advisor: Ihr Stromverbrauch verständlich"),
    ("start", "Energie-Advisor: Ihr Stromverbrauch verständlich"),
    ("ueberblick", "Überblick"),
    ("prognose", "Prognose"),
    ("solar", "Solar"),
    ("empfehlungen", "Empfehlungen"),
    ("bericht", "Bericht"),
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The plotting area (inside the axes) of every rendered plotly chart, from plotly's own layout.
PLOT_AREAS_JS = """
() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd.offsetParent !== null && gd._fullLayout && gd._fullLayout._size)
  .map(gd => ({
    title: gd.closest('[data-testid="stPlotlyChart"]')?.getAttribute('aria-label')
           || gd.getAttribute('aria-label') || '',
    plot_w: Math.round(gd._fullLayout._size.w),
    plot_h: Math.round(gd._fullLayout._size.h),
    outer_w: Math.round(gd.getBoundingClientRect().width),
  }))
"""

OVERFLOW_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  return {scroll: main.scrollWidth, client: main.clientWidth, doc: document.documentElement.scrollWidth,
          view: window.innerWidth};
}
"""


def full_screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its own container, so the viewport is made as tall
    as the content for the shot (same width, so the layout is the one measured)."""
    size = page.viewport_size
    tall = page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], [data-testid="stSidebar"]\')]'
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(int(tall), size["height"]), 12_000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    page.wait_for_timeout(200)


def axe_path() -> Path:
    axe = pytest.importorskip("axe_playwright_python", reason="axe-playwright-python is not installed (make test)")
    return Path(axe.__file__).with_name("axe.min.js")


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA rules on the page; violations with their nodes."""
    page.add_script_tag(path=str(axe_path()))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", "")[:300] if v["nodes"] else "",
        }
        for v in result["violations"]
    ]


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page, 90_000)


def tab_buttons(page):
    return page.get_by_role("tab").all()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_every_page_by_deep_link(app_url, browser, artifacts, device):
    width, height = VIEWPORTS[device]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE")
    out = artifacts / "pages"
    out.mkdir(exist_ok=True)
    problems: list[str] = []
    try:
        page = context.new_page()
        for path, heading in PAGES:
            name = path or "root"
            open_page(page, f"{app_url}/{path}")
            where = f"{device} /{path}"
            assert "Page not found" not in page.inner_text("body"), f"{where}: Streamlit says 'Page not found'"
            page.get_by_role("heading", name=heading, level=1).wait_for(timeout=30_000)
            assert_no_errors(page, where)
            body = page.inner_text("body")  # Streamlit's own English words are replaced (app/browser.py, streamlit.po)
            for word in ("Drag and drop", "MB per file", "Browse files", "Choose an option"):
                if word in body:
                    problems.append(f"{where}: Streamlit's English '{word}' on a German page")
            tabs = tab_buttons(page)
            views = [(None, page)] if not tabs else [(i, tab) for i, tab in enumerate(tabs)]
            for i, tab in views:
                if i is not None:
                    tab.click()
                    page.wait_for_timeout(400)
                for chart in page.evaluate(PLOT_AREAS_JS):
                    if chart["plot_w"] < MIN_PLOT_PX:
                        problems.append(f"{where} tab {i}: chart '{chart['title']}' plot area {chart['plot_w']} px")
                if i is not None and i > 0:
                    full_screenshot(page, out / f"{device}_{name}_tab{i}.png")
            if tabs:
                tabs[0].click()
                page.wait_for_timeout(300)
            ov = page.evaluate(OVERFLOW_JS)
            if ov["doc"] > ov["view"] + 1:
                problems.append(f"{where}: page is wider than the screen ({ov['doc']} > {ov['view']} px)")
            full_screenshot(page, out / f"{device}_{name}.png")
            if path != "":  # "/" and "/start" are the same page
                for v in run_axe(page):
                    problems.append(
                        f"{where}: axe {v['id']} ({v['impact']}): {v['help']} at {v['nodes']} {v['summary']}"
                    )
    finally:
        context.close()
    (out / f"{device}_problems.json").write_text(json.dumps(problems, indent=1, ensure_ascii=False))
    assert not problems, "\n".join(problems)


def test_axe_finds_a_planted_violation(app_url, browser):
    """Placebo for the accessibility check: an image without alt text and grey-on-white text fail."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        open_page(page, f"{app_url}/bericht")
        page.evaluate(
            "() => { const d = document.createElement('div');"
            ' d.innerHTML = \'<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            '<p style="color:#bbb;background:#fff">kaum lesbar</p>\';'
            " const main = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
            " main.insertBefore(d, main.firstChild); }"
        )
        ids = {v["id"] for v in run_axe(page)}
        assert {"image-alt", "color-contrast"} <= ids, ids
    finally:
        context.close()


def test_reload_says_the_file_was_discarded(app_url, browser, tmp_path):
    """After a reload (and in a new tab) the upload is gone: the page says so and asks for it again."""
    sample = tmp_path / "lastgang_januar.csv"
    lines = ["Datum;Uhrzeit;Verbrauch [kWh]"]
    for day in range(1, 32):
        for h in range(24):
            lines.append(f"{day:02d}.01.2025;{h:02d}:00;0,{30 + (h % 7) * 5:03d}")
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="de-DE")
    try:
        page = context.new_page()
        open_page(page, app_url)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(sample))
        page.get_by_text("lastgang_januar.csv gelesen").wait_for(timeout=30_000)
        wait_idle(page)
        page.reload(wait_until="domcontentloaded")
        wait_idle(page, 60_000)
        body = page.inner_text("body")
        assert "Ihre Datei ist nicht mehr da" in body, body[:1500]
        assert page.get_by_test_id("stFileUploaderDropzoneInput").count() == 1
        # a deep link in a new tab of the same browser says the same
        tab = context.new_page()
        open_page(tab, f"{app_url}/ueberblick")
        assert "Ihre Datei ist nicht mehr da" in tab.inner_text("body")
        # choosing the demo on purpose ends the notice
        open_page(page, app_url)
        page.get_by_role("tab", name="Demo-Haushalt").click()
        page.get_by_role("button", name=re.compile("Demo")).click()
        wait_idle(page)
        # the flag is cleared by the page's script after the rerun: wait for it, not for a fixed time
        page.wait_for_function(f"!document.cookie.includes('{COOKIE}=1')", timeout=30_000)
        page.reload(wait_until="domcontentloaded")
        wait_idle(page, 60_000)
        assert "Ihre Datei ist nicht mehr da" not in page.inner_text("body")
    finally:
        context.close()


def test_netguard_records_an_outbound_attempt(tmp_path):
    """Placebo for the network check: the same audit hook, in a child process, catches a connect."""
    log = tmp_path / "guard.log"
    code = (
        "import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=0.2)\nexcept OSError:\n    pass\n"
    )
    env = {**os.environ, "PYTHONPATH": str(NETGUARD), "ADVISOR_NETGUARD_LOG": str(log)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=30)
    assert "192.0.2.1" in log.read_text()


def test_server_made_no_outbound_attempt(server):
    """Last test of the session: the server, over every test above, tried no outbound connection
    (audit hook and socket watcher) and did not print an external or network URL."""
    assert server.outbound() == [], server.outbound()[:10]
    log = server.log()
    assert "You can now view your Streamlit app" in log, log[-1500:]
    assert "External URL" not in log and "Network URL" not in log, log[-1500:]
    assert "URL: http://localhost:" in log, log[-1500:]
