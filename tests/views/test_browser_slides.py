"""Presentation mode on a phone in headless Debian chromium (the session's one server and browser):
each screen opens at its top after «Sau ▶» or «◀ Trước», its title in view.

Black-box finding (390×844): the phone lays the footer with the buttons under the screen's cards,
so a visitor scrolls down to tap «Sau ▶»; the next screen was drawn in the same scrolled place,
its footer in view and its title and cards above the window.
"""

from __future__ import annotations

import pytest

from tests.support.browser import ARTIFACTS, SETTLED, browser, ensure_samples, server, wait_for_app  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36"
    ),
}
#: Where the screen's title lies against the window: its box, the window's height, and how far the
#: page (or Streamlit's own scrolling box) is scrolled.
TITLE_PLACE = """() => {
  const title = document.querySelector('.st-key-pt_head h1');
  if (!title) return null;
  const r = title.getBoundingClientRect();
  const scrolled = [document.scrollingElement, ...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
    .map(e => e ? e.scrollTop : 0);
  return {top: r.top, bottom: r.bottom, height: window.innerHeight, text: title.innerText, scrolled: Math.max(...scrolled)};
}"""


@pytest.mark.parametrize("screen", [{"viewport": {"width": 1366, "height": 768}}, PHONE], ids=["1366x768", "390x844"])
def test_each_presentation_screen_opens_at_its_top(server, browser, screen):  # noqa: F811
    context = browser.new_context(locale="vi-VN", **screen)
    pg = context.new_page()
    pg.set_default_timeout(90_000)
    try:
        ensure_samples(pg, server.url)
        pg.goto(f"{server.url}/trinh-chieu?man=1")
        wait_for_app(pg)
        pg.get_by_text("1/5", exact=True).wait_for()
        pg.wait_for_function(SETTLED)
        steps = [("Sau ▶", n) for n in range(2, 6)] + [("◀ Trước", 4)]
        for label, shown in steps:
            pg.get_by_role("button", name=label).click()  # scrolls down to the footer's button first
            pg.get_by_text(f"{shown}/5", exact=True).wait_for()
            pg.wait_for_function(SETTLED)
            place = pg.evaluate(TITLE_PLACE)
            width = screen["viewport"]["width"]
            pg.screenshot(path=str(ARTIFACTS / f"trinh-chieu-sau-{shown}-{width}.png"))
            assert place is not None and place["top"] >= -1 and place["bottom"] <= place["height"] + 1, (
                label,
                shown,
                place,
            )
            assert place["scrolled"] <= 1, (label, shown, place)
    finally:
        context.close()
