"""The Thi đua page and the upload preview in headless Debian chromium, after the samples and award
lists in lower case, with «sỹ»/«sĩ» and naming the district (:mod:`tests.test_award_spellings_case`):

* a chosen long award is read whole in its chip (black-box: «…khen của Chủ tịch UBND hu…» at 1366
  px, the box scrolled sideways): the chips wrap, one under another;
* the page says, under its filter, which awards may be one (said before only in the preview);
* the upload preview of a list naming the district shows one name, the list's writing beside it.

Screenshots in ``test-artifacts/screens/award-chips/``, one per screen.
"""

from __future__ import annotations

import pytest

from kpi.ingest import ingest
from kpi.reading.report_sheets import ImportOptions
from tests.support.browser import ARTIFACTS, PHONE, SETTLED, Server, after_rerun, browser, wait_for_app  # noqa: F401 - fixtures
from tests.support.samples import ACTOR
from tests.test_award_spellings_case import IY, LOWER, OTHER_PLACE, OWN_PLACE
from tests.views.test_browser_screens import GRID_COLUMNS, TABLES

pytestmark = pytest.mark.browser

SCREENS = {
    "1366x768": {"viewport": {"width": 1366, "height": 768}},
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}},
    "390x844": PHONE,
}
LONG = ("Giấy khen Chủ tịch UBND huyện Thanh Sơn", "Bằng khen Liên hiệp các hội khoa học kĩ thuật")
FOLDER = ARTIFACTS / "screens" / "award-chips"
#: Each chosen award's chip: its name's drawn and whole widths, and the chip against the filter's box.
CHIPS = """() => [...document.querySelectorAll('.st-key-aw_award [data-tag]')].map(tag => {
  const name = tag.querySelector('span'), chip = tag.getBoundingClientRect();
  const box = document.querySelector('.st-key-aw_award [data-testid="stMultiSelectTagsContainer"]').getBoundingClientRect();
  return {text: name.innerText, drawn: name.clientWidth, whole: name.scrollWidth, left: chip.left,
          right: chip.right, bottom: chip.bottom, boxLeft: box.left, boxRight: box.right, boxBottom: box.bottom};
})"""


@pytest.fixture(scope="module")
def chips_server(tmp_path_factory):
    """The five samples, then three lists of our own saved as supplements."""
    from kpi.bootstrap import open_database
    from kpi.config import settings
    from tests.support.samples import load

    folder = tmp_path_factory.mktemp("award-chips-server")
    cfg = settings(db_path=folder / "kpi.duckdb")
    con = open_database(cfg)
    load(con, cfg, "q1", "h1", "q3", "registrations", "awards")
    for name, data in (("chu-thuong.xlsx", LOWER), ("sy-si.xlsx", IY), ("noi-khac.xlsx", OTHER_PLACE)):
        options = ImportOptions(accept_unmatched=True, register_as="supplement")
        _prep, done = ingest(con, data, name, ACTOR, options, cfg)
        assert done.status == "active", done.message
    con.execute("CHECKPOINT")
    con.close()
    srv = Server(folder)
    yield srv
    srv.stop()


def _choose(pg, award: str, typed: str) -> None:
    box = pg.locator(".st-key-aw_award")
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    pg.keyboard.type(typed)  # the list is long: its option drawn once the words narrow it
    after_rerun(pg, pg.get_by_role("option", name=award, exact=True).click)
    pg.keyboard.press("Escape")
    pg.wait_for_function(SETTLED)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_chosen_long_award_is_read_whole_and_the_page_says_what_may_be_one(browser, chips_server, screen):  # noqa: F811
    FOLDER.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="vi-VN", **SCREENS[screen])
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(chips_server.url + "/thi-dua-khen-thuong")
        wait_for_app(pg)
        _choose(pg, LONG[0], "Thanh Sơn")
        _choose(pg, LONG[1], "Liên hiệp")
        chips = pg.evaluate(CHIPS)
        assert [c["text"] for c in chips] == list(LONG)
        for chip in chips:  # the whole name drawn, the chip inside the box (before: cut, scrolled)
            assert chip["whole"] <= chip["drawn"] + 1, chip
            assert chip["boxLeft"] - 1 <= chip["left"] and chip["right"] <= chip["boxRight"] + 1, chip
            assert chip["bottom"] <= chip["boxBottom"] + 1, chip
        said = pg.get_by_text("Có thể là cùng một hình thức khen, chưa gộp")
        assert said.count() == 1 and "«Giấy khen Chủ tịch UBND huyện Thanh Sơn»" in said.inner_text()
        pg.locator(".st-key-aw_award").scroll_into_view_if_needed()
        pg.screenshot(path=str(FOLDER / f"thi-dua-{screen}.png"))
    finally:
        context.close()


#: An award shown with the list's own writing beside it, as the roll writes it.
WITH_ASIDE = "Bằng khen Liên hiệp các hội khoa học kĩ thuật (Bằng khen Liên hiệp các hội khoa học kỹ thuật)"


@pytest.mark.parametrize("screen", ["1366x768", "1920x1080"])
def test_the_roll_cuts_no_award_written_beside_the_lists_own_writing(browser, chips_server, screen):  # noqa: F811
    """Black-box at 1366 px: «… kĩ thuật (… kỹ thuật)» — an award with the list's writing
    beside it — was cut at the third line of its cell. Every cell of the honour roll, measured in
    the grid's own font (:data:`~tests.views.test_browser_screens.TABLES`), is read whole."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="vi-VN", **SCREENS[screen])
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(chips_server.url + "/thi-dua-khen-thuong")
        wait_for_app(pg)
        (roll,) = [t for t in pg.evaluate(TABLES) if t["kind"] == "grid" and "Tính vào" in dict(t["heads"])]
        _choose(pg, LONG[1], "Liên hiệp")  # the roll of that award, in view
        (chosen,) = [t for t in pg.evaluate(TABLES) if t["kind"] == "grid" and "Tính vào" in dict(t["heads"])]
        assert any(WITH_ASIDE in column["texts"] for grid in pg.evaluate(GRID_COLUMNS) for column in grid)
        pg.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').last.scroll_into_view_if_needed()
        pg.screenshot(path=str(FOLDER / f"thi-dua-danh-sach-{screen}.png"))
        assert roll["cut"] + chosen["cut"] == []
    finally:
        context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_preview_names_the_districts_award_as_the_roll(browser, chips_server, screen, tmp_path):  # noqa: F811
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "gk-huyen-tam-nong.xlsx"
    path.write_bytes(OWN_PLACE)
    context = browser.new_context(locale="vi-VN", **SCREENS[screen])
    try:
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(chips_server.url + "/tai-len")
        pg.get_by_text("Chưa chọn tệp nào").first.wait_for()
        pg.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', [str(path)])
        rows = pg.get_by_text("Các dòng đọc được (4)")
        rows.first.wait_for(timeout=90_000)
        rows.first.click()
        cell = pg.get_by_text("Giấy khen Chủ tịch UBND huyện Tam Nông → Giấy khen Chủ tịch UBND huyện").first
        cell.wait_for()
        pg.wait_for_function(SETTLED)
        text = pg.locator('[data-testid="stMain"]').inner_text()
        # before: «may be one» with «… UBND huyện»; another district's award still is (a list in use)
        # each said once («help» is the icon's name, drawn as the icon)
        doubts = [line.removeprefix("help ") for line in text.split("\n") if "có thể là cùng một hình thức" in line]
        assert doubts == [
            "«Giấy khen Chủ tịch UBND huyện» và «Giấy khen Chủ tịch UBND huyện Thanh Sơn» có thể là cùng một hình"
            " thức khen (cùng người trao, viết khác nhau) hoặc những hình thức khác nhau: chưa gộp, mỗi tên một lựa"
            " chọn ở bộ lọc của trang Thi đua. Nếu là một, sửa tệp cho cùng một cách viết rồi tải lại."
        ], doubts
        cell.scroll_into_view_if_needed()
        pg.screenshot(path=str(FOLDER / f"xem-truoc-{screen}.png"))
    finally:
        context.close()
