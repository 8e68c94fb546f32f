"""Issue 13, section 4, in the real browser: an award written in a way the plan does not know is held
in the preview, the clerk says «Đây là: …» once, saves, and the award target's figure changes on
Thi đua – Khen thưởng.

Worked out by hand. The first register (three rows) has two collectives with "Bằng khen của Chủ tịch
UBND tỉnh" (TD06, target 5: 2, 40,00 %) and one individual "Chiến sĩ thi đua cơ sở" (TD09). The
corrected register adds two collectives (Xã Lam Sơn, Xã Tề Lễ) whose award is written "BKCTT" (a
form no table knows): 2 of 5 rows not understood is more than a fifth, so the file is held. Taught
"BKCTT" = Bằng khen của Chủ tịch UBND tỉnh and saved, it replaces the first: TD06 = 4 (80,00 %).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.browser import Server, wait_for_app
from tests.support.sheets import xlsx

pytestmark = pytest.mark.browser

TITLE = "DANH SÁCH KHEN THƯỞNG - THÀNH TÍCH NĂM 2024"
HEADER = [
    "STT",
    "Tên tập thể / Họ và tên",
    "Tập thể/Cá nhân",
    "Danh hiệu / Hình thức khen thưởng",
    "Số quyết định",
    "Ngày quyết định",
    "Năm thành tích",
]
BK = "Bằng khen của Chủ tịch UBND tỉnh"
UNKNOWN = "BKCTT"


def register(with_unknown: bool) -> bytes:
    """The register, with or without the two rows whose award is written ``UNKNOWN``."""
    day = dt.date(2025, 1, 25)
    rows = [
        ("Phòng Tư pháp", "Tập thể", BK, "250/QĐ-UBND", day),
        ("Xã Thọ Văn", "Tập thể", BK, "250/QĐ-UBND", day),
        ("Xã Lam Sơn", "Tập thể", UNKNOWN, "250/QĐ-UBND", day),
        ("Xã Tề Lễ", "Tập thể", UNKNOWN, "250/QĐ-UBND", day),
        ("Nguyễn Văn An", "Cá nhân", "Chiến sĩ thi đua cơ sở", "1021/QĐ-UBND", dt.date(2024, 12, 20)),
    ]
    kept = [r for r in rows if with_unknown or r[2] != UNKNOWN]
    return xlsx([[TITLE], [], HEADER, *([i, *r, 2024] for i, r in enumerate(kept, start=1))])


def upload(page, server, path) -> None:
    page.goto(server.url + "/tai-len")
    page.get_by_text("Chưa chọn tệp nào").first.wait_for()
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', [str(path)])


def td06_bar(page, server) -> str:
    """The award chart's label of TD06's bar ("N (KH 5) …"), read from the chart's SVG."""
    page.goto(server.url + "/thi-dua-khen-thuong")
    wait_for_app(page)
    labels = "[...document.querySelectorAll('.js-plotly-plot text')].map(e => e.textContent)"
    page.wait_for_function(f"() => {labels}.some(t => t.includes('KH 5'))")  # SVG text: no innerText
    return next(t for t in page.evaluate(f"() => {labels}") if "KH 5" in t)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server of this module's own: the test stores registers, which the session's shared server
    must not see (no test depends on another's writes). It listens as ``python3 start.py`` does, on
    every address, so the upload from http://127.0.0.1 arrives from ::ffff:127.0.0.1 — the server
    machine of a fresh install, which may upload (a 403 there was a black-box finding)."""
    srv = Server(tmp_path_factory.mktemp("alias-server"), address=None)
    try:
        yield srv
    finally:
        srv.stop()


def test_an_award_taught_in_the_preview_changes_its_target(own_server, page, tmp_path):
    server = own_server
    first = tmp_path / "khen-thuong-dot-1.xlsx"
    first.write_bytes(register(with_unknown=False))
    upload(page, server, first)
    page.get_by_text("Sẵn sàng lưu").first.wait_for(timeout=90_000)
    page.get_by_role("button", name="Lưu vào cơ sở dữ liệu").click()
    page.get_by_text("Đã lưu «khen-thuong-dot-1.xlsx»").first.wait_for(timeout=90_000)
    before = td06_bar(page, server)
    assert before.startswith("2 (KH 5)"), before

    second = tmp_path / "khen-thuong-bo-sung.xlsx"
    second.write_bytes(register(with_unknown=True))
    upload(page, server, second)
    page.get_by_text("giữ lại chờ quyết định").first.wait_for(timeout=90_000)
    body = page.inner_text("body")
    assert f"danh hiệu «{UNKNOWN}» không có trong kế hoạch" in body and "2 dòng chưa hiểu được" in body
    assert page.get_by_role("button", name="Lưu vào cơ sở dữ liệu").count() == 0  # held: nothing to save yet

    box = page.get_by_label(f"«{UNKNOWN}»", exact=False)
    box.click()
    page.keyboard.type("Chủ tịch UBND tỉnh")
    page.get_by_role("option", name=BK).first.click()
    page.get_by_role("button", name="Ghi nhớ").click()
    page.get_by_text("Sẵn sàng lưu").first.wait_for(timeout=90_000)
    assert "giữ lại chờ quyết định" not in page.inner_text("body")
    page.get_by_role("button", name="Lưu vào cơ sở dữ liệu").click()
    page.get_by_text("Đã lưu «khen-thuong-bo-sung.xlsx»").first.wait_for(timeout=90_000)

    after = td06_bar(page, server)
    assert after.startswith("4 (KH 5)"), after
