"""The sidebar's «Kỳ đánh giá» always shows the period the pages use (issue 14, a code-blind tester):
after presentation mode (no sidebar) → «Thoát», the default «Mới nhất có số liệu» showed «Chọn…» on
every page while the pages showed the latest period, and its «×» emptied it.

What the browser shows is what the element sends: the option at its ``default`` index, or the
``raw_value`` when the server sets the value; with neither the box is empty (its placeholder) and
the browser offers the «×» that clears it (Streamlit's select box is clearable when it has no
default)."""

from __future__ import annotations

import pytest

from tests.support.apptest import run, texts

pytestmark = pytest.mark.usefixtures("app_env")


def shown(at) -> str | None:
    """The text in the sidebar's period box as the browser draws it; ``None``: empty («Chọn…»)."""
    box = at.selectbox(key="kpi_quarter").proto
    if box.set_value:
        return box.raw_value if box.HasField("raw_value") else None
    return box.options[box.default] if box.HasField("default") else None


def test_the_default_period_survives_presentation_mode_and_a_rerun(loaded):
    at = run("app.py")
    assert shown(at) == "Mới nhất có số liệu"
    at.run()  # any rerun (a click anywhere): the box kept its text and got no «×»
    assert shown(at) == "Mới nhất có số liệu"
    at.switch_page("views/present.py").run()
    assert not at.exception and not at.sidebar.selectbox  # presentation mode draws no sidebar
    at.button(key="pt_exit").click().run()
    assert not at.exception
    assert shown(at) == "Mới nhất có số liệu" and "Quý III/2024" in texts(at)  # the latest period, said
    at.switch_page("views/economic.py").run()
    assert shown(at) == "Mới nhất có số liệu"


def test_a_chosen_period_survives_presentation_mode(loaded):
    at = run("app.py")
    at.selectbox(key="kpi_quarter").set_value(1).run()
    at.switch_page("views/present.py").run()
    at.button(key="pt_exit").click().run()
    assert shown(at) == "Quý I" and "Quý I/2024" in texts(at)


def test_a_period_cleared_in_the_browser_is_the_latest_and_says_so(loaded):
    """The browser sends «nothing chosen» (the «×»): the pages use the latest period and the box
    says so, instead of staying empty."""
    at = run("app.py")
    at.selectbox(key="kpi_quarter").set_value(2).run()
    at.selectbox(key="kpi_quarter").set_value(None).run()
    assert shown(at) == "Mới nhất có số liệu" and "Quý III/2024" in texts(at)
