"""Set-up mode, sign-in and idle sign-out in the real app under AppTest (issue 16: "an install is
never open to the LAN by accident", sign-in and session findings).

AppTest has no connection, so each test states where its visitor is (tests/conftest.py:
``server_machine``, ``lan_visitor``); with neither, the address is unknown, which is not the
server machine."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from kpi.access import auth
from kpi.access.auth import add_user
from tests.support.apptest import sign_in, texts
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR

#: Each test's app on its own database (conftest).
pytestmark = pytest.mark.usefixtures("app_env")

ADMIN = ("quantri", "mat-khau-quan-tri")


def _page_with_sidebar(page: str) -> None:
    import runpy

    import appkit

    appkit.context(draw_sidebar=True)
    runpy.run_path(page, run_name="__main__")


def with_sidebar(page: str, **state) -> AppTest:
    at = AppTest.from_function(_page_with_sidebar, args=(str(PROJECT / page),), default_timeout=90)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def _sidebar_text(at: AppTest) -> str:
    return " ".join(str(i.value) for i in at.sidebar.info) + " ".join(c.value for c in at.sidebar.code)


@pytest.mark.parametrize("where", ["lan_visitor", "unknown"])
def test_a_fresh_install_lets_a_lan_visitor_look_but_not_write_nor_see_the_admin_command(con, request, where):
    if where == "lan_visitor":
        request.getfixturevalue("lan_visitor")
    at = with_sidebar("views/overview.py")
    assert not at.exception
    shown = _sidebar_text(at)
    assert "user add TÊN" not in shown and not at.sidebar.code
    assert "nhờ người vận hành máy chủ" in shown and "mã thiết lập" in shown
    assert "Tổng quan" in texts(at)  # looking is open to everyone
    assert not [b for b in at.button if b.key == "ov_samples"]  # no write offered
    upload = with_sidebar("views/upload.py")
    assert not upload.get("file_uploader")
    admin = with_sidebar("views/admin.py")
    assert not admin.tabs and "chưa có quản trị viên" in " ".join(str(w.value) for w in admin.warning)
    assert con.execute("SELECT count(*) FROM submissions").fetchall() == [(0,)]


def test_the_server_machine_loads_the_samples_in_a_fresh_install(con, server_machine):
    at = with_sidebar("views/overview.py")
    assert "user add TÊN" in _sidebar_text(at)
    at.button(key="ov_samples").click().run(timeout=180)
    assert not at.exception
    assert con.execute("SELECT count(*) FROM submissions").fetchall() == [(5,)]


def test_the_setup_code_lets_a_lan_visitor_make_the_first_admin_then_is_spent(con, cfg, lan_visitor):
    import appkit

    appkit._connection(str(cfg.db_path))  # the server starts: prints the code and writes its file
    code = auth.setup_code_path(cfg.db_path).read_text().strip()
    at = with_sidebar("views/admin.py")
    form = [b for b in at.sidebar.button if b.label == "Dùng mã thiết lập"]
    at.sidebar.text_input[0].input("SAI-MA-0000")
    form[0].click().run()
    assert "Mã thiết lập không đúng" in " ".join(str(e.value) for e in at.sidebar.error) and not at.tabs
    at.sidebar.text_input[0].input(code)
    [b for b in at.sidebar.button if b.label == "Dùng mã thiết lập"][0].click().run()
    assert not at.exception and at.tabs  # the admin page opens for set-up
    assert "user add TÊN" in _sidebar_text(at)
    add_user(con, auth.visitor(None, setup_trusted=True), *ADMIN[:1], "admin", ADMIN[1])
    again = with_sidebar("views/overview.py", kpi_setup_ok=True)
    assert not again.exception and not auth.setup_code_path(cfg.db_path).exists()  # spent
    assert not [b for b in again.button if b.key == "ov_samples"]  # set-up trust is over: sign in


def test_an_idle_tab_is_signed_out(con, cfg, monkeypatch):
    add_user(con, ACTOR, *ADMIN[:1], "admin", ADMIN[1])
    monkeypatch.setenv("KPI_IDLE_MINUTES", "30")
    active = with_sidebar("views/admin.py", kpi_user=ADMIN[0], kpi_last_active=time.time() - 29 * 60)
    assert active.tabs and "Đang đăng nhập: **quantri**" in texts(active)
    idle = with_sidebar("views/admin.py", kpi_user=ADMIN[0], kpi_last_active=time.time() - 31 * 60)
    assert not idle.exception and not idle.tabs
    assert "kpi_user" not in idle.session_state
    assert "Phiên đăng nhập đã kết thúc vì không dùng quá 30 phút" in _sidebar_text(idle)


def test_signing_out_ends_the_session(con):
    add_user(con, ACTOR, *ADMIN[:1], "admin", ADMIN[1])
    at = with_sidebar("views/admin.py")
    sign_in(at, *ADMIN)
    assert at.tabs
    at.button(key="kpi_signout").click().run()
    assert "kpi_user" not in at.session_state and not at.tabs


def test_a_huge_name_in_the_signin_form_does_not_grow_the_database(con):
    add_user(con, ACTOR, *ADMIN[:1], "admin", ADMIN[1])
    at = with_sidebar("views/overview.py")
    sign_in(at, "A" * 4_000_000, "sai-mat-khau")
    assert not at.exception and "Sai tên đăng nhập hoặc mật khẩu" in " ".join(str(e.value) for e in at.sidebar.error)
    stored = con.execute("SELECT max(length(actor)), max(length(detail)) FROM audit_log").fetchall()[0]
    assert max(stored) < 200


def test_the_last_admin_cannot_be_removed_from_the_admin_page(con):
    add_user(con, ACTOR, *ADMIN[:1], "admin", ADMIN[1])
    at = with_sidebar("views/admin.py", kpi_user=ADMIN[0])
    at.selectbox(key="adm_remove_name").select(ADMIN[0]).run()
    at.button(key="adm_remove").click().run()
    assert not at.exception
    assert "quản trị viên cuối cùng" in " ".join(str(e.value) for e in at.error)
    assert con.execute("SELECT name FROM users").fetchall() == [(ADMIN[0],)]


def test_the_first_admin_made_on_the_admin_page_ends_the_setup_words_at_once(con, server_machine):
    """Black-box finding: after the first admin was saved, «Chưa có người dùng nào: … chế độ thiết
    lập» stood above «Đã lưu người dùng «quantri»» and the sidebar still said there was no admin;
    the page is drawn again after a save, so all three agree."""
    at = with_sidebar("views/admin.py")
    assert "Chưa có người dùng nào" in texts(at)
    form = at.tabs[1]
    form.text_input[0].input("quantri")
    form.selectbox[0].select("admin")
    assert form.selectbox[0].format_func("admin") == "Quản trị"  # the role in Vietnamese, no code name
    form.text_input[2].input("mat-khau-quan-tri")
    form.text_input[3].input("mat-khau-quan-tri")
    [b for b in form.button if b.label == "Lưu người dùng"][0].click().run()
    shown = texts(at)
    assert not at.exception
    assert "Đã lưu người dùng «quantri» (quản trị). Chế độ thiết lập đã kết thúc: hãy đăng nhập" in shown
    assert "Chưa có người dùng nào" not in shown and "Chưa có quản trị viên" not in _sidebar_text(at)
    sign_in(at, "quantri", "mat-khau-quan-tri")
    assert "Đang đăng nhập: **quantri**" in texts(at) and at.tabs


def test_a_signed_in_admin_sees_no_command_lines_nor_program_paths(con):
    """Black-box finding: the Người dùng, Sao lưu and Tên đã học tabs ended in command lines
    («python -m kpi restore --from TỆP_SAO_LƯU») and «docs/README-office.md»; the page does each
    of those things itself, and restoring is the server's keeper's job, said in words."""
    add_user(con, ACTOR, *ADMIN[:1], "admin", ADMIN[1])
    at = with_sidebar("views/admin.py", kpi_user=ADMIN[0], kpi_last_active=time.time())
    assert at.tabs and not at.exception
    shown = texts(at)
    assert "người phụ trách máy chủ làm khi ứng dụng đã dừng" in shown
    assert "python -m" not in shown and "docs/" not in shown and "README" not in shown


def test_in_setup_mode_the_admin_page_makes_the_first_user_an_admin(con, server_machine):
    """Issue 14 (code-blind tester): in set-up mode the new-user form defaulted to «Cập nhật số liệu»;
    the editor made first was followed by «Chế độ thiết lập đã kết thúc» while no admin existed and
    the sidebar still said set-up mode. The form offers only the admin role until one exists, and
    the words after saving say what happened."""
    at = with_sidebar("views/admin.py")
    form = at.tabs[1]
    role = form.selectbox[0]
    assert role.options == ["Quản trị"] and role.value == "admin"  # the only role offered, already chosen
    form.text_input[0].input("vanthu")
    form.text_input[2].input("mat-khau-van-thu")
    form.text_input[3].input("mat-khau-van-thu")
    [b for b in form.button if b.label == "Lưu người dùng"][0].click().run()
    assert not at.exception
    assert con.execute("SELECT name, role FROM users").fetchall() == [("vanthu", "admin")]
    assert "Đã lưu người dùng «vanthu» (quản trị). Chế độ thiết lập đã kết thúc" in texts(at)
    assert "chế độ thiết lập" not in _sidebar_text(at)


def test_a_database_with_users_but_no_admin_still_says_setup_mode_after_a_save(con, server_machine):
    """A database made before the rule (an editor, no admin): the page says set-up mode goes on,
    offers only the admin role, and «đã kết thúc» is said only once an admin exists."""
    con.execute("INSERT INTO users VALUES ('bientap', 'editor', 'x', '', now(), 'cu')")
    at = with_sidebar("views/admin.py")
    assert "Chưa có quản trị viên: ứng dụng vẫn ở chế độ thiết lập" in texts(at)
    assert at.tabs[1].selectbox[0].options == ["Quản trị"]
    at.tabs[1].text_input[0].input("quantri")
    at.tabs[1].text_input[2].input("mat-khau-quan-tri")
    at.tabs[1].text_input[3].input("mat-khau-quan-tri")
    [b for b in at.tabs[1].button if b.label == "Lưu người dùng"][0].click().run()
    assert "Đã lưu người dùng «quantri» (quản trị). Chế độ thiết lập đã kết thúc" in texts(at)
