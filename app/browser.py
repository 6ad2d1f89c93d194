"""What the app adds to Streamlit's page in the browser (one ``st.html`` block per run).

* **Streamlit's own words in the session's language.** Streamlit 1.67 has no setting for the texts of its own
  controls (the uploader's "Upload" button and "20MB per file", "Help for …", "Choose an option",
  "Expand sidebar", "Skip to main content", …). A small script replaces these known strings in text
  and in ``aria-label``/``title``/``placeholder`` attributes, also in elements drawn later
  (MutationObserver). The words live in ``streamlit.po`` (de/en/tr); English sessions keep
  Streamlit's words. The toolbar menu itself is hidden
  by ``client.toolbarMode = "minimal"`` in ``.streamlit/config.toml``.
* **Phone layout.** Tab rows wrap instead of scrolling sideways, so no tab label is cut.
* **Contrast.** Captions in a darker grey (WCAG AA 4.5:1 on white; Streamlit's is 3.9:1).
* **"Your file was discarded" after a reload.** When a household's own data (an upload or an
  estimate) is in use, the script sets a *session cookie* ``ea_own_data=1`` (no data, no id: only
  that flag; gone when the browser closes). A new session (reload, new tab) that starts without
  data but sees the flag tells the household that its file was discarded for privacy and asks for
  it again, instead of silently showing the demo. Choosing the demo or deleting everything
  clears the flag.
"""

from __future__ import annotations

import json

import streamlit as st

from advisor.texts import codes, render

COOKIE = "ea_own_data"

# Streamlit 1.67's own texts -> their codes in streamlit.po (de/en/tr). The English entry of each
# ``streamlit.word.*`` code is Streamlit's word as drawn, so the table comes from the catalogue.
WORDS = {render(code, "en"): code for code in sorted(codes("en")) if code.startswith("streamlit.word.")}
# Texts with a variable part: (regular expression on Streamlit's English, code of the replacement with $1 …).
PATTERNS = [
    ("^Help for (.+)$", "streamlit.pattern.0"),
    ("^(\\d+)\\s?MB per file(.*)$", "streamlit.pattern.1"),
    ("^Limit (\\d+)\\s?MB per file(.*)$", "streamlit.pattern.2"),
    ("^Selected (.+)\\. (.+)$", "streamlit.pattern.3"),
]


_CSS = """
<style>
/* tab rows wrap on narrow screens instead of scrolling sideways (no label is cut) */
[data-testid="stTabs"] [data-baseweb="tab-list"] { flex-wrap: wrap; row-gap: 0.25rem; }
[data-testid="stTabs"] [data-baseweb="tab"] { white-space: normal; text-align: left; }
/* captions and help texts: 4.5:1 contrast on white (WCAG 2.1 AA 1.4.3) */
[data-testid="stCaptionContainer"] { opacity: 1; color: #595959; }
[data-testid="stMetricDelta"] { color: #4a4a4a; }
</style>
"""

_JS = """
<script>
(() => {
  const cfg = __CFG__;
  document.cookie = cfg.cookie + "=" + (cfg.ownData ? "1" : "0") + "; path=/; SameSite=Strict";
  document.documentElement.lang = cfg.lang;
  const words = cfg.words, patterns = cfg.patterns.map(([re, to]) => [new RegExp(re), to]);
  const tr = (s) => {
    const k = s.trim();
    if (!k) return null;
    if (Object.prototype.hasOwnProperty.call(words, k)) return s.replace(k, words[k]);
    for (const [re, to] of patterns) if (re.test(k)) return s.replace(k, k.replace(re, to));
    return null;
  };
  const ATTRS = ["aria-label", "title", "placeholder"];
  const fix = (root) => {
    if (!cfg.translate) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (!p || p.closest("[data-testid='stMarkdownContainer'] p, .js-plotly-plot, script, style")) continue;
      const t = tr(n.nodeValue);
      if (t !== null && t !== n.nodeValue) n.nodeValue = t;
    }
    const els = root.querySelectorAll ? root.querySelectorAll("[aria-label],[title],[placeholder]") : [];
    for (const el of els) for (const a of ATTRS) {
      const v = el.getAttribute(a);
      if (v === null) continue;
      const t = tr(v);
      if (t !== null && t !== v) el.setAttribute(a, t);
    }
  };
  window.__eaCfg = cfg;
  if (window.__eaObserver) window.__eaObserver.disconnect();
  fix(document.body);
  // The uploader's button label sits in a markdown paragraph: translate it there explicitly.
  const fixUploader = () => {
    if (!cfg.translate) return;
    for (const p of document.querySelectorAll("[data-testid='stFileUploaderDropzone'] button p")) {
      const t = tr(p.textContent);
      if (t !== null && t !== p.textContent) p.textContent = t;
    }
  };
  fixUploader();
  let queued = false;
  window.__eaObserver = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; fix(document.body); fixUploader(); });
  });
  window.__eaObserver.observe(document.body, {subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ATTRS});
})();
</script>
"""


def own_data_flag_seen() -> bool:
    """True when the browser carries the flag that this household's own data was in use."""
    try:
        return st.context.cookies.get(COOKIE) == "1"
    except Exception:  # noqa: BLE001 - no browser context (AppTest, bare mode)
        return False


def inject(lang: str, *, own_data: bool) -> None:
    """Add the style and script block for this run (see module docstring)."""
    cfg = {
        "lang": lang,
        "translate": lang != "en",
        "words": {en: render(code, lang) for en, code in WORDS.items()},
        "patterns": [[rx, render(code, lang)] for rx, code in PATTERNS],
        "cookie": COOKIE,
        "ownData": bool(own_data),
    }
    st.html(_CSS + _JS.replace("__CFG__", json.dumps(cfg, ensure_ascii=False)), unsafe_allow_javascript=True)
