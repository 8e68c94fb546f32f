"""The real server in headless Debian chromium: upload through the real uploader, see the overview change."""

from __future__ import annotations

import pytest

from tests.support.browser import ARTIFACTS, SETTLED, Server, wait_for_app
from tests.support.samples import SAMPLE_FILES, SAMPLES
from tests.views.test_browser_screens import PREVIEW_DRAWN, UPLOAD_INPUT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A server of this module's own on an empty database: the test starts from "no figures yet",
    whatever the session's shared server holds by then (no test depends on the order of files)."""
    srv = Server(tmp_path_factory.mktemp("upload-server"))
    try:
        yield srv
    finally:
        srv.stop()


def test_upload_in_the_browser_changes_the_overview(empty_server, page):
    server = empty_server
    page.goto(server.url + "/")
    wait_for_app(page)
    page.get_by_text("Chưa có số liệu nào cho năm này").first.wait_for()

    page.goto(server.url + "/tai-len")
    page.get_by_text("Chưa chọn tệp nào").first.wait_for()
    page.set_input_files(
        '[data-testid="stFileUploaderDropzoneInput"]',
        [str(SAMPLES / SAMPLE_FILES[k]) for k in ("q1", "h1", "q3", "registrations", "awards")],
    )
    page.get_by_text("Lưu tất cả 5 tệp hợp lệ").first.wait_for(timeout=90_000)
    page.get_by_text("Sẵn sàng lưu").nth(4).wait_for()  # the button is drawn before the files' cards
    body = page.inner_text("body")
    assert body.count("Sẵn sàng lưu") == 5 and "Quý III/2024" in body and "Danh sách khen thưởng" in body
    page.get_by_text("Lưu tất cả 5 tệp hợp lệ").first.click()
    page.get_by_text("Đã lưu «khen-thuong-2024.xlsx»").first.wait_for(timeout=90_000)

    page.goto(server.url + "/")
    wait_for_app(page)
    page.get_by_text("2.438,3 tỷ đồng").first.wait_for()
    page.get_by_text("Bảng tổng hợp 23 chỉ tiêu").first.wait_for()  # the page streams in: wait for its end
    body = page.inner_text("body")
    assert "Chậm tiến độ" in body and "Vượt" in body and "52 cá nhân" in body
    assert "Quý III/2024 – lũy kế 9 tháng" in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1600, "height": 2900})  # Streamlit scrolls inside its own container
    wait_for_app(page)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    assert (ARTIFACTS / "overview.png").stat().st_size > 50_000


@pytest.mark.parametrize(("path", "heading"), [("/du-lieu", "Dữ liệu"), ("/ke-hoach", "Kế hoạch")])
def test_a_link_to_a_page_opens_that_page_in_a_new_tab(server, page, path, heading):
    """A bookmark or a link in a meeting invitation opens its page. (With the pages in a folder
    named ``pages/``, Streamlit looked the path up among file-named pages first and showed
    "Page not found" over it — streamlit#9624 — hence ``views/``.)"""
    page.goto(server.url + path)
    wait_for_app(page)
    page.locator('[data-testid="stHeading"]').first.wait_for()
    body = page.inner_text("body")
    assert "Page not found" not in body and "không tìm thấy" not in body.lower()
    assert page.locator('[data-testid="stHeading"]').first.inner_text().startswith(heading)


def test_a_file_over_the_limit_is_refused_in_vietnamese_by_the_chooser(server, page, tmp_path):
    """Streamlit's chooser refuses a file over ``server.maxUploadSize`` before the app sees it, with
    «File must be 20.0MB or smaller» on the file's chip (black-box: English under the page's own
    Vietnamese help). The chip says it in Vietnamese, the limit written the Vietnamese way."""
    big = tmp_path / "qua-lon.xlsx"
    with big.open("wb") as out:
        out.truncate(21 * 1024 * 1024)  # over the 20 MB limit: the browser refuses it, nothing is sent
    page.goto(server.url + "/tai-len")
    page.get_by_text("Chưa chọn tệp nào").first.wait_for()
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', [str(big)])
    chip = page.locator('[data-testid="stFileChip"]').first
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stFileChip\"] [role=alert]')]"
        ".some(e => e.textContent === 'Tệp quá lớn: tối đa 20,0 MB mỗi tệp')"
    )
    chip.hover()  # the same words in its tooltip
    page.get_by_test_id("stTooltipErrorContent").get_by_text("Tệp quá lớn: tối đa 20,0 MB mỗi tệp").wait_for()
    english = "() => [...document.querySelectorAll('body *')].some(e => !e.closest('script') && e.childElementCount === 0 && /or smaller/.test(e.textContent))"
    assert not page.evaluate(english)


#: Every grey box Streamlit draws in the main area while a part of the page waits for its code (its
#: «skeleton»: the stand-in of an element whose module is loaded on first use, as a tab's first
#: table), recorded as it is added, when it can be seen: its top (px).
SKELETONS = """() => {
  window.__kpiSkeletons = [];
  const seen = s => s.isConnected && s.closest('[data-testid="stMain"]')
    && getComputedStyle(s).visibility !== 'hidden' && getComputedStyle(s).display !== 'none';
  new MutationObserver(records => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      for (const s of [node, ...node.querySelectorAll('[data-testid="stSkeleton"]')])
        if (s.matches('[data-testid="stSkeleton"]') && seen(s)) window.__kpiSkeletons.push(Math.round(s.getBoundingClientRect().top));
    }
  }).observe(document.body, {subtree: true, childList: true});
}"""


@pytest.mark.parametrize("sample", ["q1", "awards"])
def test_the_preview_draws_no_empty_grey_box(server, browser, sample):
    """Black-box at 1920 px: an empty grey box above «Kỳ báo cáo» in every upload preview. It is
    Streamlit's stand-in for the preview's first table while the table's module loads (the first
    ``st.table`` of a tab; loading the module ahead does not help, the stand-in is drawn once all
    the same): it is not drawn."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1920, "height": 1080})
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(server.url + "/tai-len")
        pg.locator(UPLOAD_INPUT).wait_for(state="attached")
        pg.wait_for_function(SETTLED)
        pg.evaluate(SKELETONS)
        pg.set_input_files(UPLOAD_INPUT, [str(SAMPLES / SAMPLE_FILES[sample])])
        pg.wait_for_function(PREVIEW_DRAWN, timeout=120_000)
        pg.wait_for_function(SETTLED)
        assert pg.locator('[data-testid="stMain"] [data-testid="stTable"]').count()  # the table was drawn
        pg.screenshot(path=str(ARTIFACTS / f"upload-preview-{sample}-1920x1080.png"))
        assert pg.evaluate("() => window.__kpiSkeletons") == []
    finally:
        context.close()
