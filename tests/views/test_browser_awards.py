"""The Thi đua page in headless Debian chromium after the samples and an abbreviated supplement
(black-box findings, December 2026):

* the honour roll's filter «Danh hiệu / hình thức» lists the plan's names, and set to «Chiến sĩ thi
  đua cơ sở» counts what the target card counts (55), the supplement's «CSTĐCS» rows among them;
* its list reads Vietnamese: «Chọn tất cả», not Streamlit's «Select all»; «Chọn cả 2 mục tìm thấy»
  once words are typed; «Không có kết quả» when nothing matches; a table's «Hiện/ẩn cột» menu too;
* on a phone each line names the award in full, the list's own writing in brackets.

Screenshots in ``test-artifacts/screens/awards-filter/``, one per screen, the filter set.
"""

from __future__ import annotations

import pytest

import appkit
from kpi.ingest import ingest
from kpi.reading.report_sheets import ImportOptions
from tests.support.browser import ARTIFACTS, PHONE, SETTLED, Server, browser, wait_for_app  # noqa: F401 - fixtures
from tests.support.samples import ACTOR
from tests.views.test_award_names import CSTD_CS, F4_ROWS, supplement

pytestmark = pytest.mark.browser

SCREENS = {
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}},
    "1366x768": {"viewport": {"width": 1366, "height": 768}},
    "390x844": PHONE,
}
OPTIONS = "() => [...document.querySelectorAll('[role=option]')].map(o => o.innerText.trim())"
#: Streamlit's English words of a list and a table's column menu, anywhere in the page's text or labels.
ENGLISH = r"""() => {
  const words = /^(Select all|Select \d+ matches|No results|\(index\))$/;
  const texts = [...document.querySelectorAll('body *')].filter(e => e.childElementCount === 0)
    .map(e => e.textContent.trim());
  const labels = [...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label').trim());
  return [...new Set([...texts, ...labels].filter(t => words.test(t)))];
}"""


#: Where the chosen award's chip lies against its box (a chip scrolled out of view is cut).
CHIP_INSIDE = """() => {
  const tag = document.querySelector('.st-key-aw_award [data-tag]');
  let box = tag.parentElement;
  while (box && !/(auto|scroll|hidden)/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
  const chip = tag.getBoundingClientRect(), room = box.getBoundingClientRect();
  return {left: chip.left, right: chip.right, boxLeft: room.left, boxRight: room.right, scrolled: box.scrollLeft};
}"""


#: The honour roll's grid: the height of its inner scroller's view and of what it scrolls.
ROLL_VIEW = """() => {
  const s = [...document.querySelectorAll('[data-testid="stDataFrame"]')].pop().querySelector('.dvn-scroller');
  return {view: s.clientHeight, content: s.scrollHeight};
}"""


@pytest.fixture(scope="module")
def awards_server(tmp_path_factory):
    """A server of its own: the five samples, then the tester's abbreviated supplement."""
    from kpi.bootstrap import open_database
    from kpi.config import settings
    from tests.support.samples import load

    folder = tmp_path_factory.mktemp("awards-server")
    cfg = settings(db_path=folder / "kpi.duckdb")
    con = open_database(cfg)
    load(con, cfg, "q1", "h1", "q3", "registrations", "awards")
    _prep, done = ingest(con, supplement(F4_ROWS), "kt-bo-sung-viet-tat.xlsx", ACTOR, ImportOptions(), cfg)
    assert done.status == "active", done.message
    con.execute("CHECKPOINT")
    con.close()
    srv = Server(folder)
    yield srv
    srv.stop()


def _open_list(pg):
    box = pg.locator(".st-key-aw_award")
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    pg.wait_for_selector("[role=option]")


def test_the_award_filters_list_reads_vietnamese(browser, awards_server):  # noqa: F811
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(awards_server.url + "/thi-dua-khen-thuong")
        wait_for_app(pg)
        _open_list(pg)
        pg.get_by_role("option", name="Chọn tất cả").wait_for()
        folder = ARTIFACTS / "screens" / "awards-filter"
        folder.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(folder / "thi-dua-danh-sach-chon-1366x768.png"))
        options = pg.evaluate(OPTIONS)
        assert options[0] == "Chọn tất cả" and CSTD_CS in options
        assert not {"CSTĐCS", "TTLĐXS", "BK CT UBND tỉnh", "GK", "LĐTT"} & set(options)
        pg.keyboard.type("Chiến")  # two options match: the list's first option says how many
        pg.get_by_role("option", name="Chọn cả 2 mục tìm thấy").wait_for()
        pg.keyboard.press("Control+A")
        pg.keyboard.type("zzz")
        pg.get_by_text("Không có kết quả").wait_for()
        assert pg.evaluate(ENGLISH) == []
        pg.keyboard.press("Control+A")
        pg.keyboard.press("Backspace")
        pg.get_by_role("option", name="Chọn tất cả").wait_for()  # its text drawn again, in Vietnamese
        pg.keyboard.press("Escape")
        # the honour roll's «Hiện/ẩn cột» menu: its first box is «Chọn tất cả» too
        roll = pg.locator('[data-testid="stDataFrame"]').last
        roll.scroll_into_view_if_needed()
        roll.hover()
        pg.get_by_role("button", name="Hiện/ẩn cột").last.click()
        menu = pg.locator('[data-testid="stDataFrameColumnVisibilityMenu"]')
        menu.get_by_text("Chọn tất cả").wait_for()
        pg.screenshot(path=str(folder / "thi-dua-hien-an-cot-1366x768.png"))
        assert menu.get_by_role("checkbox", name="Chọn tất cả").count() == 1
        assert pg.evaluate(ENGLISH) == []
    finally:
        context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_filter_set_to_an_award_counts_as_its_target_card(browser, awards_server, screen):  # noqa: F811
    folder = ARTIFACTS / "screens" / "awards-filter"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="vi-VN", **SCREENS[screen])
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(awards_server.url + "/thi-dua-khen-thuong")
        wait_for_app(pg)
        _open_list(pg)
        pg.get_by_role("option", name=CSTD_CS, exact=True).click()
        pg.keyboard.press("Escape")
        said = pg.get_by_text("55 dòng · 55 tính vào chỉ tiêu")
        said.wait_for()
        pg.wait_for_function(SETTLED)
        if screen == "390x844":  # a phone: one line per award, the award by its full name
            text = pg.locator('[data-testid="stMain"]').inner_text()
            assert text.count(f"— {CSTD_CS} (CSTĐCS) · cấp khen: Chủ tịch UBND huyện") == 3
            assert "— CSTĐCS" not in text
        chip = pg.locator(".st-key-aw_award [data-tag]")  # the chosen award, whole in its box
        assert chip.inner_text().strip() == CSTD_CS
        inside = pg.evaluate(CHIP_INSIDE)
        assert inside["scrolled"] == 0 and inside["left"] >= inside["boxLeft"] - 1, inside
        assert inside["right"] <= inside["boxRight"] + 1, inside
        if screen != "390x844":  # eight rows of the roll in view at least, not Streamlit's ≈ 400 px (round 9)
            roll = pg.evaluate(ROLL_VIEW)
            assert roll["view"] >= 8 * appkit.WRAPPED_ROW_PX, roll
        pg.locator(".st-key-aw_award").scroll_into_view_if_needed()
        pg.screenshot(path=str(folder / f"thi-dua-loc-{screen}.png"))
        assert pg.evaluate(ENGLISH) == []
        # the supplement's three rows: the full name, its writing in brackets
        pg.get_by_label("Tìm (tên, đơn vị — gõ không dấu cũng được)").fill("cstdcs")
        pg.keyboard.press("Enter")
        pg.get_by_text("3 dòng · 3 tính vào chỉ tiêu").wait_for()
        pg.wait_for_function(SETTLED)
        if screen != "390x844":  # the three rows whole, nothing a scroll inside the grid away
            roll = pg.evaluate(ROLL_VIEW)
            assert roll["content"] <= roll["view"] + 1, roll
        pg.locator(".st-key-aw_award").scroll_into_view_if_needed()
        pg.screenshot(path=str(folder / f"thi-dua-loc-cstdcs-{screen}.png"))
    finally:
        context.close()
