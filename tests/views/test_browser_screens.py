"""The screens a district office has (issue 14), in headless Debian chromium against the session's
one server and one browser, each screen a new browser context:

* the 1366×768 office laptop and a 390×844 phone (a phone's user agent, touch): the overview's
  summary table does not scroll sideways at 1366 and is a list of "name — figure — % — word" on the
  phone; on the overview and the group pages, no two SVG texts of one chart (labels, annotations, ticks, legend, titles)
  overlap, no line of a chart (target and pro-rata marks, a series' line, an arrow) is drawn
  through a text, no text sticks out of its chart; the phone opens with the sidebar collapsed;
  screenshots of each page are saved as artifacts (``test-artifacts/screens/``);
* nothing leaves the machine: every request made during a tour of every page goes to the server.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.support.browser import ARTIFACTS, browser, ensure_samples, server, wait_for_app  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

#: A phone's browser, as officials open a link sent over chat.
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
SCREENS = {
    "1366x768": {"viewport": {"width": 1366, "height": 768}},
    "390x844": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "user_agent": PHONE_UA,
    },
}
#: Pages with charts, and the text of each one's last element: the page has streamed in whole.
CHART_PAGES = {
    "tong-quan": ("/", "Số liệu này lấy từ đâu?"),
    "kinh-te": ("/kinh-te", "Số liệu này lấy từ đâu?"),
    "xa-hoi": ("/xa-hoi", "Số liệu này lấy từ đâu?"),
    "moi-truong": ("/moi-truong", "Số liệu này lấy từ đâu?"),
    "thi-dua-khen-thuong": ("/thi-dua-khen-thuong", "tính vào chỉ tiêu"),
}
EVERY_PAGE = [
    *(path for path, _last in CHART_PAGES.values()),
    "/trinh-chieu?man=3",
    "/ban-in",
    "/tai-len",
    "/du-lieu",
    "/ke-hoach",
    "/quan-tri",
]

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


def _charts_drawn(pg) -> None:
    """Wait until every chart of the page is drawn (Streamlit shows skeletons until then)."""
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
    charts = pg.locator('[data-testid="stPlotlyChart"]')
    for i in range(charts.count()):
        charts.nth(i).locator("svg.main-svg").first.wait_for()
    pg.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".every(c => c.querySelectorAll('svg text').length > 0)"
    )


@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_chart_text_overlaps_on_the_laptop_and_the_phone(server, browser, screen):  # noqa: F811
    context = browser.new_context(locale="vi-VN", **SCREENS[screen])
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        ensure_samples(pg, server.url)
        sidebar = pg.locator('[data-testid="stSidebar"]')
        shown = sidebar.bounding_box()
        # Streamlit's "auto": collapsed below 768 px (a phone), open on the laptop
        collapsed = sidebar.get_attribute("data-collapsed") == "true" and shown["x"] + shown["width"] <= 0
        assert collapsed == (screen == "390x844"), (sidebar.get_attribute("data-collapsed"), shown)
        problems = []
        for name, (path, last) in CHART_PAGES.items():
            pg.goto(server.url + path)
            wait_for_app(pg)
            pg.get_by_text(last, exact=False).first.wait_for()
            _charts_drawn(pg)
            problems += [f"{name}: {p}" for p in pg.evaluate(CHART_PROBLEMS)]
            if name == "tong-quan" and screen == "1366x768":
                # the summary table: "% KH" and "Đánh giá" in view, no sideways scroll (issue 14)
                widths = pg.evaluate(
                    "() => { const s = document.querySelector('[data-testid=\"stDataFrame\"] .dvn-scroller');"
                    " return [s.scrollWidth, s.clientWidth]; }"
                )
                if widths[0] > widths[1] + 1:
                    problems.append(f"{name}: the summary table scrolls sideways {widths}")
            if name == "tong-quan" and screen == "390x844":  # the summary as "name — figure — % — word"
                body = pg.inner_text("body")
                assert "Tổng vốn đầu tư toàn xã hội — 2.438,3 tỷ đồng — 73,87 % — Chậm tiến độ" in body
            pg.screenshot(path=str(folder / f"{name}-{screen}.png"))
        (folder / f"problems-{screen}.txt").write_text("\n".join(problems), encoding="utf-8")
        assert problems == []
    finally:
        context.close()


def test_nothing_leaves_the_machine_on_a_tour_of_every_page(server, browser):  # noqa: F811
    """Issue 14: an office LAN without internet. Icons, fonts, favicon: every request of a tour of
    every page (and its charts) goes to the server itself."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        ensure_samples(pg, server.url)
        for path in EVERY_PAGE:
            pg.goto(server.url + path)
            wait_for_app(pg)
            _charts_drawn(pg)
        own = urlparse(server.url).netloc
        elsewhere = sorted(
            {
                url
                for url in seen
                if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != own
            }
        )
        assert elsewhere == []
        assert len(seen) > 20  # the tour did load the pages
    finally:
        context.close()
