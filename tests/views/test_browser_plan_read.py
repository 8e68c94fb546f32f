"""The plan page's «Đọc từ văn bản kế hoạch» in headless chromium: a plan of another district
pasted and read, its proposal grid checked as drawn on the laptop, the projector and the phone —
no note, name or sentence cut (black-box: «Ghi chú» cut at the bottom, «… hãy kiểm tra»)."""

from __future__ import annotations

import pytest

from tests.support.browser import ARTIFACTS, PHONE, SETTLED, browser, server  # noqa: F401 - fixtures
from tests.support.paths import PROJECT
from tests.views.test_browser_screens import TABLES

pytestmark = pytest.mark.browser

PLAN = PROJECT / "tests" / "data" / "plans-2025" / "01-thanh-binh-ve-cong-tac.md"
#: A note as long as a plan may make one: its own bracketed remark, then the parser's word on the
#: match (the poverty rate matches «Tỷ lệ hộ nghèo» by similar words only).
LONG_NOTE_LINE = (
    "- Tỷ lệ hộ nghèo theo chuẩn đa chiều giảm xuống còn không quá 1,2% (theo chuẩn nghèo giai đoạn "
    "2022 - 2025 tại Nghị định số 07/2021/NĐ-CP của Chính phủ, không tính các hộ thuộc diện bảo trợ xã hội);"
)
SCREENS = {
    "1366x768": {"viewport": {"width": 1366, "height": 768}},
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}},
    "390x844": PHONE,
}
EDITOR = '[class*="st-key-plan_rd_editor"]'


def _read(pg, url: str, text: str) -> None:
    """The plan pasted and read for 2025; returns once the proposal grid is drawn."""
    pg.goto(url + "/ke-hoach")
    pg.wait_for_function(SETTLED)
    pg.get_by_role("tab", name="Đọc từ văn bản kế hoạch").click()
    pg.get_by_label("Năm của kế hoạch").fill("2025")
    pg.get_by_label("Năm của kế hoạch").press("Enter")
    pg.wait_for_function(SETTLED)
    pg.get_by_label("… hoặc dán nội dung kế hoạch").fill(text)
    pg.get_by_label("… hoặc dán nội dung kế hoạch").press("Control+Enter")
    pg.wait_for_function(SETTLED)
    pg.get_by_role("button", name="Đọc chỉ tiêu").click()
    pg.locator(EDITOR).wait_for()
    pg.wait_for_function(SETTLED)


@pytest.mark.parametrize("which", ["as written", "with a long note"])
def test_the_proposal_grid_cuts_no_note_on_any_screen(server, browser, which):  # noqa: F811
    text = PLAN.read_text(encoding="utf-8")
    if which == "with a long note":
        poverty = next(line for line in text.splitlines() if line.startswith("- Tỷ lệ hộ nghèo"))
        text = text.replace(poverty, LONG_NOTE_LINE)
    problems = []
    folder = ARTIFACTS / "plan-read"
    folder.mkdir(parents=True, exist_ok=True)
    for screen, options in SCREENS.items():
        context = browser.new_context(locale="vi-VN", **options)
        try:
            pg = context.new_page()
            pg.set_default_timeout(90_000)
            _read(pg, server.url, text)
            assert "17 chỉ tiêu, đọc từ" in pg.inner_text("body")
            grids = [t for t in pg.evaluate(TABLES) if t["kind"] == "grid" and "Ghi chú" in dict(t["heads"])]
            assert len(grids) == 1, grids
            problems += [f"{screen} {which}: the proposal grid cuts {cut}" for cut in grids[0]["cut"]]
            pg.locator(EDITOR).scroll_into_view_if_needed()
            pg.screenshot(path=str(folder / f"{which.replace(' ', '-')}-{screen}.png"))
        finally:
            context.close()
    assert problems == []
