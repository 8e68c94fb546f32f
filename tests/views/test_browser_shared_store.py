"""Issue 20: two real app servers (``streamlit run app.py``) on one shared store (DuckLake on the
throwaway PostgreSQL of :mod:`tests.support.postgres`): files uploaded through one server's upload page are
on the other server's overview after one rerun (its caches are keyed by the lake's snapshot id)."""

from __future__ import annotations

import pytest

from tests.support.browser import Server, wait_for_app
from tests.support.samples import SAMPLE_FILES, SAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.store]


@pytest.fixture
def two_servers(postgres, tmp_path):
    store = "ducklake:postgres:" + postgres.dsn(postgres.new_database())
    env = {"KPI_STORE": store, "KPI_DATA_PATH": str(tmp_path / "shared")}
    servers = []
    try:
        for name in ("a", "b"):
            folder = tmp_path / name
            folder.mkdir()
            servers.append(Server(folder, env))
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_an_upload_through_one_server_is_on_the_others_overview_after_one_rerun(two_servers, browser):
    a, b = two_servers
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
    try:
        on_b = context.new_page()
        on_b.set_default_timeout(120_000)
        on_b.goto(b.url + "/")
        wait_for_app(on_b)
        on_b.get_by_text("Chưa có số liệu nào cho năm này").first.wait_for()

        on_a = context.new_page()
        on_a.set_default_timeout(120_000)
        on_a.goto(a.url + "/tai-len")
        on_a.get_by_text("Chưa chọn tệp nào").first.wait_for()
        on_a.set_input_files(
            '[data-testid="stFileUploaderDropzoneInput"]',
            [str(SAMPLES / SAMPLE_FILES[k]) for k in ("q1", "h1", "q3", "registrations", "awards")],
        )
        on_a.get_by_text("Lưu tất cả 5 tệp hợp lệ").first.wait_for(timeout=180_000)
        on_a.get_by_text("Sẵn sàng lưu").nth(4).wait_for()
        on_a.get_by_text("Lưu tất cả 5 tệp hợp lệ").first.click()
        on_a.get_by_text("Đã lưu «khen-thuong-2024.xlsx»").first.wait_for(timeout=180_000)

        on_b.bring_to_front()
        on_b.reload()  # one rerun of server b's overview
        wait_for_app(on_b)
        on_b.get_by_text("2.438,3 tỷ đồng").first.wait_for()
        on_b.get_by_text("Bảng tổng hợp 23 chỉ tiêu").first.wait_for()
        body = on_b.inner_text("body")
        assert "Quý III/2024 – lũy kế 9 tháng" in body and "52 cá nhân" in body
    finally:
        context.close()
