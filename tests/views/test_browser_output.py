"""Meeting output in headless Debian chromium against the real server (the session's one server
and one browser): presentation mode fits 1920×1080 and 1366×768 with nothing scrolled or clipped,
the chart camera saves a 3× PNG named by key and period, the print view is A4 landscape with
every section, and the annex, the deck and a chart's PNG are each a click away.

This file sorts after test_browser.py, whose first test needs the empty database; when it runs
alone, the samples are loaded through the overview's own button.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from PIL import Image
from pptx import Presentation

from kpi.output.render import PRINT_WIDTH_PX
from tests.support.browser import ARTIFACTS, SETTLED, browser, ensure_samples, page, server, wait_for_app  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

# Text, scroll and clipping checks run in the page: every scrollable box, every text element.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  const root = document.scrollingElement;
  if (root.scrollHeight > vh + 1 || root.scrollWidth > vw + 1) problems.push('page scrolls');
  for (const el of document.querySelectorAll('body *')) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const scrolls = /(auto|scroll)/.test(cs.overflowY + cs.overflowX);
    if (scrolls && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1))
      problems.push('scrollbar on ' + (el.dataset.testid || el.className || el.tagName));
  }
  const footer = document.querySelector('.st-key-pt_footer').getBoundingClientRect();
  const texts = document.querySelectorAll('[data-testid="stMain"] p, [data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] button, [data-testid="stMain"] svg text');
  let smallest = 1000, smallestChart = 1000;
  for (const el of texts) {
    if (!el.textContent.trim() || el.closest('[data-testid="stHeaderActionElements"]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < -1 || r.right > vw + 1 || r.top < -1 || r.bottom > vh + 1)
      problems.push('outside the screen: ' + el.textContent.slice(0, 40));
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      problems.push('clipped: ' + el.textContent.slice(0, 40));
    if (!el.closest('.st-key-pt_footer') && r.bottom > footer.top + 1)
      problems.push('under the footer: ' + el.textContent.slice(0, 40));
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (el.closest('svg')) smallestChart = Math.min(smallestChart, size);
    else if (!el.closest('.st-key-pt_footer')) smallest = Math.min(smallest, size);
  }
  const hidden = ['[data-testid="stSidebar"]', 'header[data-testid="stHeader"]', '[data-testid="stToolbar"]']
    .filter(s => { const e = document.querySelector(s); return e && e.getBoundingClientRect().width > 0
      && getComputedStyle(e).display !== 'none'; });
  return {problems, smallest, smallestChart, visibleChrome: hidden};
}"""


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_presentation_mode_fits_the_screen_without_scrolling_or_clipping(server, browser, width, height):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        ensure_samples(pg, server.url)
        for screen in range(1, 6):
            pg.goto(f"{server.url}/trinh-chieu?man={screen}")
            wait_for_app(pg)
            pg.get_by_text(f"{screen}/5", exact=True).wait_for()
            if screen > 1:  # each group's screen holds its chart beside (or under) its cards
                pg.locator('[data-testid="stPlotlyChart"] svg text').first.wait_for()
            pg.wait_for_function(SETTLED)
            found = pg.evaluate(LAYOUT_PROBLEMS)
            assert found["problems"] == [], (screen, found["problems"])
            assert found["visibleChrome"] == [], screen
            # type readable from the back of a hall: no text under 2 % of the screen's height
            assert found["smallest"] >= 0.02 * height, (screen, found["smallest"])
            # issue 14: ≥ 18 px at 1366×768, growing with the screen as the cards' type does
            assert found["smallestChart"] >= 18 * height / 768 - 1, (screen, found["smallestChart"])
            footer = pg.inner_text(".st-key-pt_footer").replace("\u00a0", " ")  # its phrases kept whole
            # the awards' screen names the awards' year (black-box: the quarter's span over counts
            # judged «Năm 2024»), every other the quarter's
            period = (
                "Năm 2024 (khen thưởng theo năm thành tích; đăng ký thi đua: Quý III/2024)"
                if screen == 5
                else "Quý III/2024 – lũy kế 9 tháng"
            )
            assert f"UBND huyện Tam Nông · {period} · số liệu cập nhật" in footer
            assert ("có số liệu ước" in footer) == (screen in (1, 2, 3)), screen
            if screen in (1, 3):
                ARTIFACTS.mkdir(exist_ok=True)
                pg.screenshot(path=str(ARTIFACTS / f"trinh-chieu-{screen}-{width}x{height}.png"))
        body = pg.inner_text("body").replace("\u00a0", " ")
        assert "IV. Thi đua – Khen thưởng" in body and "52" in body and "Tải lên báo cáo" not in body
        pg.get_by_role("button", name="◀ Trước").click()
        pg.get_by_text("4/5", exact=True).wait_for()
        assert "III. Môi trường" in pg.inner_text("body")
    finally:
        context.close()


def test_presentation_mode_opened_first_is_sized_for_its_screen(server, browser, page):  # noqa: F811
    """Black-box (December 2026): a link to a presentation screen opened first on a 1920×1080
    screen drew its chart's labels at 18 px (the 768-px default: the window was not measured yet);
    the page is drawn again once it is, and its type grows with the screen."""
    ensure_samples(page, server.url)  # another tab loaded the samples; this context has no cookie
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    try:
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        pg.goto(f"{server.url}/trinh-chieu?man=2")
        pg.wait_for_function("() => document.cookie.includes('kpi_window=1920x1080')")
        wait_for_app(pg)
        pg.get_by_text("2/5", exact=True).wait_for()
        pg.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] svg text')]"
            ".some(t => parseFloat(getComputedStyle(t).fontSize) >= 24)"
        )
        pg.wait_for_function(SETTLED)
        assert pg.evaluate(LAYOUT_PROBLEMS)["smallestChart"] >= 18 * 1080 / 768 - 1
    finally:
        context.close()


def test_presentation_mode_keeps_the_period_chosen_in_the_sidebar(server, page):  # noqa: F811
    ensure_samples(page, server.url)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1).click()
    page.get_by_role("option", name="Quý I", exact=True).click()
    page.get_by_text("520,4 tỷ đồng").first.wait_for()
    page.get_by_role("link", name="Chế độ trình chiếu").first.click()
    page.get_by_text("1/5", exact=True).wait_for()
    assert "Quý I/2024 – lũy kế 3 tháng" in page.inner_text(".st-key-pt_footer").replace("\u00a0", " ")
    page.get_by_role("button", name="Thoát").click()
    page.get_by_text("Tổng quan năm 2024").first.wait_for()
    page.get_by_text("520,4 tỷ đồng").first.wait_for()
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1).click()
    page.get_by_role("option", name="Mới nhất có số liệu").click()
    page.get_by_text("2.438,3 tỷ đồng").first.wait_for()


def test_the_chart_camera_saves_a_3x_png_named_by_key_and_period(server, page):  # noqa: F811
    ensure_samples(page, server.url)
    page.goto(server.url + "/kinh-te")
    wait_for_app(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').nth(1)  # CT01 (the first is the group's)
    chart.locator(".main-svg").first.wait_for()
    chart.scroll_into_view_if_needed()
    box = chart.locator(".js-plotly-plot").first.bounding_box()
    chart.hover()
    with page.expect_download() as caught:
        chart.locator('.modebar-btn[data-title="Tải ảnh PNG"]').click()
    download = caught.value
    assert download.suggested_filename == "CT01_2024-Q3.png"
    with Image.open(download.path()) as img:
        assert img.format == "PNG"
        assert img.size == (round(box["width"]) * 3, round(box["height"]) * 3)


def test_the_print_view_prints_a4_landscape_with_every_section(server, page):  # noqa: F811
    from pypdf import PdfReader

    ensure_samples(page, server.url)
    page.goto(server.url + "/ban-in")
    wait_for_app(page)
    page.locator(".st-key-pr_section_awards table").wait_for()
    page.locator('[class*="st-key-pr_chart_"] img').nth(3).wait_for(timeout=120_000)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "ban-in.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for sheet in reader.pages:  # A4 landscape: 297 × 210 mm = 841,9 × 595,3 pt
        assert abs(float(sheet.mediabox.width) - 841.9) < 2 and abs(float(sheet.mediabox.height) - 595.3) < 2
    text = "\n".join(sheet.extract_text() for sheet in reader.pages)
    for section in ("I. KINH TẾ", "II. XÃ HỘI", "III. MÔI TRƯỜNG", "IV. THI ĐUA – KHEN THƯỞNG"):
        assert section in text, section
    assert "UBND HUYỆN TAM NÔNG" in text and "Quý III/2024 – lũy kế 9 tháng" in text
    assert "2.438,3" in text and "73,87" in text and "106,67" in text and "115,56" not in text
    assert "Tải lên báo cáo" not in text and "Ctrl+P" not in text  # no sidebar, no screen-only hint
    # each chart's 14-px type, as printed: drawn 900 CSS px wide, shown on an A4
    # landscape page (≈ 1,050 CSS px) — never the 8–11 px of a 1,280-px drawing shrunk to fit
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1047, "height": 740})
    page.wait_for_function(SETTLED)
    shown = page.eval_on_selector_all('[class*="st-key-pr_chart_"] img', "imgs => imgs.map(i => i.clientWidth)")
    assert len(shown) == 4 and all(14 * width / PRINT_WIDTH_PX >= 12 for width in shown), shown


def test_three_clicks_each_give_the_annex_the_deck_and_a_charts_png(server, page):  # noqa: F811
    ensure_samples(page, server.url)
    with page.expect_download(timeout=120_000) as caught:  # one click
        page.get_by_role("button", name="Tải phụ lục (.xlsx)").click()
    annex = caught.value
    assert annex.suggested_filename == "phu-luc-chi-tieu_2024-Q3.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(annex.path().read_bytes()))["Phụ lục"]
    ct01 = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Tổng vốn đầu tư toàn xã hội")
    assert ct01[3:] == (3300.9, 1012.3, 2438.3, 73.87, None, "Chậm tiến độ")  # 3.350 (Quý II's): history

    with page.expect_download(timeout=180_000) as caught:  # one click
        page.get_by_role("button", name="Tải bài trình chiếu (.pptx)").click()
    deck = Presentation(io.BytesIO(caught.value.path().read_bytes()))
    assert caught.value.suggested_filename == "trinh-chieu-chi-tieu_2024-Q3.pptx" and len(deck.slides) == 9
    assert "2.438,3 tỷ đồng" in deck.slides[1].notes_slide.notes_text_frame.text

    page.get_by_role("link", name="Kinh tế").first.click()  # two clicks
    page.get_by_text("bao-cao-9-thang-2024.ods, trang «Quy III», ô F9").first.wait_for()
    with page.expect_download(timeout=120_000) as caught:
        # CT01's own button, by its key: plotly's toolbar, once a chart is drawn, has a «Tải ảnh PNG»
        # of its own, so the n-th button of that name depends on how far the drawing has got
        page.locator(".st-key-png_CT01 button").click()
    assert caught.value.suggested_filename == "CT01_2024-Q3.png"
    with Image.open(caught.value.path()) as img:
        assert img.width >= 2560


CHART_MODULE_LOADS = (
    "() => performance.getEntriesByType('resource').filter(e => /\\/PlotlyChart\\.[^/]*\\.js$/.test(e.name)).length"
)


def test_the_chart_library_is_loaded_while_the_overview_is_read(server, page):  # noqa: F811
    """Issue 17: the first page with a chart waited ≈ 0.8 s for plotly.js (4.7 MB) to compile. The
    overview, which has no chart, has the browser load it once the page has been still; the chart
    page then uses that module (it is fetched once per tab) and draws its charts."""
    ensure_samples(page, server.url)
    page.goto(server.url + "/")
    wait_for_app(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0  # nothing on the overview needs it
    page.wait_for_function(f"() => ({CHART_MODULE_LOADS})() === 1")
    page.locator('[data-testid="stSidebarNav"] a[href$="/kinh-te"]').click()
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    wait_for_app(page)
    assert page.evaluate(CHART_MODULE_LOADS) == 1
