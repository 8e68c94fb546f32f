"""The screens a district office has (issue 14), in headless Debian chromium: every page at
1920×1080 (the projector), 1366×768 (the office laptop) and 390×844 (a phone: its user agent, touch),
with the five samples loaded (the session's one server) and with an empty database (a second server on
a fresh data folder); one browser, one context per screen. On every page:

* no two SVG texts of one chart (labels, annotations, ticks, legend, titles) overlap, no line of a
  chart (target and pro-rata marks, a series' line, an arrow) is drawn through a text, no text leaves
  its chart, and no chart's title lies under its toolbar;
* at 1366 and 1920 the summary tables (overview, emulation) do not scroll sideways, so "% KH" and
  "Đánh giá" are in the picture; on the phone those summaries are lists of "name — figure — % — word";
* the phone opens with the sidebar collapsed, the wide screens with it open (presentation mode and
  the print view hide it);
* no label cut short with an ellipsis; no Python traceback, no Streamlit error box, no English word of a library (None, NaN,
  fullCalcOnLoad, "Drag and drop" …) in the page's text;
* the upload page is checked before a file is chosen and with a preview open (a sample sent through
  the file input).

Each page's screenshot is saved under ``test-artifacts/screens/<state>/`` with the problems found
(``problems.txt``), so a failure in CI can be looked at. And nothing leaves the machine (an office
LAN without internet: icons, fonts, favicon): every request made during the tour goes to the server.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.support.browser import ARTIFACTS, SETTLED, Server, browser, ensure_samples, server, wait_for_app  # noqa: F401 - fixtures
from tests.support.samples import SAMPLE_FILES, SAMPLES

pytestmark = pytest.mark.browser

#: A phone's browser, as officials open a link sent over chat.
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
SCREENS = {
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}},
    "1366x768": {"viewport": {"width": 1366, "height": 768}},
    "390x844": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "user_agent": PHONE_UA,
    },
}
#: Every page of app.py's navigation (a file name for its screenshot → its address), presentation
#: mode on its cover, a group's screen and the awards'.
PAGES = {
    "tong-quan": "/",
    "kinh-te": "/kinh-te",
    "xa-hoi": "/xa-hoi",
    "moi-truong": "/moi-truong",
    "thi-dua-khen-thuong": "/thi-dua-khen-thuong",
    "tai-len": "/tai-len",
    "tai-len-xem-truoc": "/tai-len",  # the same page with a file's preview open
    "du-lieu": "/du-lieu",
    "ke-hoach": "/ke-hoach",
    "quan-tri": "/quan-tri",
    "ban-in": "/ban-in",
    "trinh-chieu": "/trinh-chieu?man=2",  # a group's screen: its cards and its chart
}
#: Pages whose first table is a summary of the indicators (no sideways scroll on a wide screen).
SUMMARY_TABLES = ("tong-quan", "thi-dua-khen-thuong")
#: On the phone, a line of those pages' summary as "name — figure — % — word".
PHONE_LISTS = {
    "tong-quan": "Tổng vốn đầu tư toàn xã hội — 2.438,3 tỷ đồng — 73,87 % — Chậm tiến độ",
    "thi-dua-khen-thuong": "Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện — 52 cá nhân — 100,00 % — Đạt",
}
#: Pages that hide the sidebar whatever the screen.
NO_SIDEBAR = ("ban-in", "trinh-chieu")
#: Words of Python, pandas, Excel or Streamlit that must never reach a page's text.
LIBRARY_WORDS = re.compile(
    r"Traceback|Exception|\w+Error\b|\bNone\b|\bNaN\b|\bnan\b|\bNaT\b|\bnull\b|\bundefined\b|"
    r"\bTrue\b|\bFalse\b|fullCalcOnLoad|Drag and drop|Browse files|per file|Page not found|"
    r"\bRunning\b|No data|\bdtype\b|\brow_number\b|\brecipient_kind\b|\bregistered_on\b|\bUpload\b|"
    r"\bDownload\b|\bBrowse\b|\bLoading\b|\bSearch\b|\bClear\b"
)
#: The page's text as a reader sees it, the tabs not chosen included (a click away): without
#: Material icons' ligature names ("dashboard", drawn as an icon), Streamlit's skip link for keyboard
#: users (off screen until focused) and whatever a style hides.
PAGE_TEXT = """() => {
  const hidden = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      if (e.matches('[data-testid="stIconMaterial"], [data-testid="stSkipToContent"], script, style')) return true;
      if (e.getAttribute('role') !== 'tabpanel' && getComputedStyle(e).display === 'none') return true;
    }
    return false;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode())
    if (n.textContent.trim() && !hidden(n.parentElement)) out.push(n.textContent);
  return out.join(' ');
}"""
#: Labels cut short by the page's style ("Tải dự thảo báo c…"): text ending in an ellipsis.
CLIPPED_LABELS = """() => [...document.querySelectorAll('[data-testid="stMain"] *, [data-testid="stSidebar"] *')]
  .filter(e => !e.closest('[data-collapsed="true"]') && e.getClientRects().length && e.textContent.trim()
    && getComputedStyle(e).textOverflow === 'ellipsis'
    && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim().slice(0, 50))"""

# Streamlit's own words for screen readers, tooltips and keyboard users (aria-label, title,
# placeholder; the skip link): any that is English — letters of the English alphabet only, as
# "Open", "Help for Kỳ đánh giá", "Show/hide columns" — is reported.
ENGLISH_LABELS = r"""() => {
  const english = v => /^[A-Za-z][A-Za-z .\/-]{3,}$/.test(v) || /^(Help for|Remove|Upload|Page) /.test(v);
  const out = [];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]'))
    for (const a of ['aria-label', 'title', 'placeholder']) {
      const v = (el.getAttribute(a) || '').trim();
      if (v && english(v)) out.push(`${a}="${v}"`);
    }
  const skip = document.querySelector('[data-testid="stSkipToContent"]');
  if (skip && english(skip.textContent.trim())) out.push(skip.textContent.trim());
  return [...new Set(out)];
}"""

# Every chart's texts and lines, compared in the page: boxes of two texts intersect (by more than
# a pixel), a line's points (sampled every 2 px) fall inside a text's box, or a text leaves its chart.
CHART_PROBLEMS = """() => {
  const problems = [];
  const shrink = (r, d) => ({l: r.left + d, r: r.right - d, t: r.top + d, b: r.bottom - d});
  const meets = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart, n) => {
    const svg = chart.querySelector('svg.main-svg');
    if (!svg) { problems.push(`chart ${n}: not drawn`); return; }
    const frame = svg.getBoundingClientRect();
    const title = (chart.querySelector('.gtitle') || {}).textContent || `chart ${n}`;
    const texts = [...chart.querySelectorAll('svg text')].filter(t => {
      if (!t.textContent.trim()) return false;
      const cs = getComputedStyle(t);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return false;
      const r = t.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    }).map(t => ({text: t.textContent.trim().slice(0, 50), box: shrink(t.getBoundingClientRect(), 1)}));
    const where = `${title.slice(0, 40)}`;
    const bar = chart.querySelector('.modebar'), heading = chart.querySelector('.gtitle');
    if (bar && heading) {  // the toolbar shows on hover, top right: a title under it is clipped then
      const a = bar.getBoundingClientRect(), h = heading.getBoundingClientRect();
      if (a.width > 0 && meets(shrink(a, 0), shrink(h, 1))) problems.push(`${where}: the title lies under the toolbar`);
    }
    for (const t of texts)
      if (t.box.l < frame.left - 1 || t.box.r > frame.right + 1 || t.box.t < frame.top - 1 || t.box.b > frame.bottom + 1)
        problems.push(`${where}: «${t.text}» leaves the chart`);
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++)
        if (meets(texts[i].box, texts[j].box)) problems.push(`${where}: «${texts[i].text}» overlaps «${texts[j].text}»`);
    const lines = [...chart.querySelectorAll('.shapelayer path, .scatterlayer path.js-line, .annotation-arrow-g path')]
      .filter(p => !p.closest('.legend') && getComputedStyle(p).display !== 'none');
    for (const path of lines) {
      const length = path.getTotalLength(), m = path.getScreenCTM();
      if (!length || !m) continue;
      const crossed = new Set();
      for (let d = 0; d <= length; d += 2) {
        const p = path.getPointAtLength(d), x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
        for (const t of texts) {
          const b = shrink({left: t.box.l, right: t.box.r, top: t.box.t, bottom: t.box.b}, 2);
          if (x > b.l && x < b.r && y > b.t && y < b.b) crossed.add(t.text);
        }
      }
      for (const text of crossed) problems.push(`${where}: a line crosses «${text}»`);
    }
  });
  return problems;
}"""


def _settle(pg) -> None:
    """Wait until the page has run to its end and drawn every chart (Streamlit shows skeletons
    and stale elements until then)."""
    pg.wait_for_function(SETTLED)


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A second server on a fresh data folder: the plan loaded on first start, no report."""
    srv = Server(tmp_path_factory.mktemp("empty"))
    try:
        yield srv
    finally:
        srv.stop()


UPLOAD_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'
PREVIEW_DRAWN = "() => ['Sẵn sàng lưu', 'Đã có (lần tải'].some(t => document.body.innerText.includes(t))"


def _open_upload_preview(pg) -> None:
    """A sample sent through the upload page's file input, its preview drawn."""
    pg.set_input_files(UPLOAD_INPUT, [str(SAMPLES / SAMPLE_FILES["q3"])])
    pg.wait_for_function(PREVIEW_DRAWN, timeout=120_000)
    _settle(pg)


def _page_problems(pg, name: str, screen: str) -> list[str]:
    """What is wrong with the page in view (see the module's docstring)."""
    problems = list(pg.evaluate(CHART_PROBLEMS))
    text = pg.evaluate(PAGE_TEXT)
    problems += [f"English or a library's word «{m.group(0)}»" for m in LIBRARY_WORDS.finditer(text)]
    problems += [f"«{label}» is cut short" for label in pg.evaluate(CLIPPED_LABELS)]
    problems += [f"Streamlit's English label {label}" for label in pg.evaluate(ENGLISH_LABELS)]
    if pg.locator('[data-testid="stException"]').count():
        problems.append("a Streamlit error box")
    sidebar = pg.locator('[data-testid="stSidebar"]')
    if sidebar.count() and name not in NO_SIDEBAR:
        box = sidebar.bounding_box()
        shown = box is not None and box["x"] + box["width"] > 0 and sidebar.get_attribute("data-collapsed") != "true"
        if shown != (screen != "390x844"):
            problems.append(f"the sidebar is {'open' if shown else 'collapsed'} on first open")
    if name in SUMMARY_TABLES and screen != "390x844":
        # the summary as the browser lays it out: the table within its box, no cell's text wider
        # than its cell (a name is wrapped between words, never cut)
        widths = pg.evaluate(
            "() => [...document.querySelectorAll('.kpi-summary')].map(s => [s.scrollWidth, s.clientWidth,"
            " [...s.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1).length])"
        )
        for outer, inner, overflowing in widths:
            if outer > inner + 1:
                problems.append(f"the summary table scrolls sideways {[outer, inner]}")
            if overflowing:
                problems.append(f"{overflowing} cells of the summary table overflow")
    return problems


@pytest.mark.parametrize("state", ["samples", "empty"])
def test_every_page_on_the_projector_the_laptop_and_the_phone(request, browser, state):  # noqa: F811
    """One browser, one context per screen; each page is asked for on the three screens at once
    (the server and the browser work on them side by side), then each is checked in turn."""
    srv = request.getfixturevalue("server" if state == "samples" else "empty_server")
    contexts = {screen: browser.new_context(locale="vi-VN", **options) for screen, options in SCREENS.items()}
    seen: list[str] = []  # every request of the tour: nothing may leave the machine
    for context in contexts.values():
        context.on("request", lambda request: seen.append(request.url))
    pages = {screen: context.new_page() for screen, context in contexts.items()}
    folder = ARTIFACTS / "screens" / state
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        for pg in pages.values():
            pg.set_default_timeout(90_000)
        if state == "samples":
            ensure_samples(pages["1920x1080"], srv.url)
        for name, path in PAGES.items():
            for pg in pages.values():
                if name == "tai-len-xem-truoc":  # the upload page in view: a file chosen, its preview drawn
                    pg.set_input_files(UPLOAD_INPUT, [str(SAMPLES / SAMPLE_FILES["q3"])])
                else:
                    pg.goto(srv.url + path, wait_until="commit")
            for screen, pg in pages.items():
                if name == "tai-len-xem-truoc":
                    pg.wait_for_function(PREVIEW_DRAWN, timeout=120_000)
                _settle(pg)
                found = _page_problems(pg, name, screen)
                if name in PHONE_LISTS and state == "samples" and screen == "390x844":
                    if PHONE_LISTS[name] not in pg.inner_text("body"):  # not a table scrolled sideways
                        found.append("the summary is not a list of «name — figure — % — word»")
                problems += [f"{screen} {name}: {p}" for p in found]
                pg.screenshot(path=str(folder / f"{name}-{screen}.png"))
        own = urlparse(srv.url).netloc
        web = ("http", "https", "ws", "wss")
        elsewhere = sorted({u for u in seen if urlparse(u).scheme in web and urlparse(u).netloc != own})
        problems += [f"a request to another host: {url}" for url in elsewhere]
        assert len(seen) > 100  # the tour did load the pages
    finally:
        (folder / "problems.txt").write_text("\n".join(problems), encoding="utf-8")
        for context in contexts.values():
            context.close()
    assert problems == []


def test_a_narrow_window_is_drawn_as_a_phone_whatever_its_user_agent(request, browser):  # noqa: F811
    """A desktop browser's window made narrow (or a phone asking for the desktop site) sends no
    "Mobile": the page measures the window itself, keeps it in a cookie and is drawn once more
    for a phone; a wide window with a phone's User-Agent (a tablet) is drawn wide."""
    srv = request.getfixturevalue("server")
    narrow = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    wide = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}, user_agent=PHONE_UA)
    try:
        pg = narrow.new_page()
        ensure_samples(pg, srv.url)
        pg.wait_for_function(f"() => document.body.innerText.includes({PHONE_LISTS['tong-quan']!r})", timeout=90_000)
        assert {c["name"]: c["value"] for c in narrow.cookies()}["kpi_screen"] == "narrow"
        pg = wide.new_page()
        pg.goto(srv.url + "/")
        wait_for_app(pg)
        pg.locator(".kpi-summary").first.wait_for(timeout=90_000)  # the summary as a table
        assert PHONE_LISTS["tong-quan"] not in pg.inner_text("body")
        assert {c["name"]: c["value"] for c in wide.cookies()}["kpi_screen"] == "wide"
    finally:
        narrow.close()
        wide.close()
