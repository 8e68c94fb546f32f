"""The app under AppTest: sign-in, who sees which page, the admin page, the recovery banner, the
size limit in Vietnamese, and no user text rendered as markup."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kpi.access.auth import add_user
from kpi.bootstrap import open_database
from kpi.ingest import ingest
from tests.support import hostile
from tests.support.apptest import XLSX, sign_in, summaries, texts
from tests.support.crash import kill_with_a_wal
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR, SAMPLE_FILES, sample_bytes

#: Each test's app on its own database (conftest).
pytestmark = pytest.mark.usefixtures("app_env")

ADMIN, EDITOR = ("quantri", "mat-khau-quan-tri"), ("bientap", "mat-khau-bien-tap")


@pytest.fixture
def office(con):
    """An admin and an editor exist: the install is no longer open."""
    add_user(con, ACTOR, ADMIN[0], "admin", ADMIN[1])
    add_user(con, ACTOR, EDITOR[0], "editor", EDITOR[1])
    return con


def run(path: str, user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / path), default_timeout=90)
    if user:
        at.session_state["kpi_user"] = user
    return at.run()


def _page_with_sidebar(page: str) -> None:
    """What app.py does around a page: the shared sidebar (sign-in), then the page, on every
    run of AppTest."""
    import runpy

    import appkit

    appkit.context(draw_sidebar=True)
    runpy.run_path(page, run_name="__main__")


def with_sidebar(page: str) -> AppTest:
    at = AppTest.from_function(_page_with_sidebar, args=(str(PROJECT / page),), default_timeout=90)
    return at.run()


def test_with_one_user_and_nobody_signed_in_the_upload_page_offers_no_uploader(con):
    add_user(con, ACTOR, ADMIN[0], "admin", ADMIN[1])
    at = run("views/upload.py")
    assert not at.exception
    assert not at.get("file_uploader")
    shown = texts(at)
    assert "Cần **đăng nhập**" in shown and "ô đăng nhập ở thanh bên" in shown
    # how to get an account, in the product's words, not a command line (black-box: program words)
    assert "trang **Quản trị** (mục «Thêm hoặc đổi người dùng», vai trò «cập nhật số liệu»)" in shown
    assert "python -m" not in shown


def test_signing_in_in_the_sidebar_opens_the_uploader(office):
    at = with_sidebar("views/upload.py")
    assert not at.get("file_uploader")
    sign_in(at, EDITOR[0], "sai-mat-khau")
    assert "Sai tên đăng nhập hoặc mật khẩu" in texts(at) and not at.get("file_uploader")
    assert office.execute("SELECT actor FROM audit_log WHERE action = 'signin_failed'").fetchall() == [(EDITOR[0],)]
    sign_in(at, *EDITOR)
    assert not at.exception
    assert at.get("file_uploader") and "Đang đăng nhập: **bientap**" in texts(at)


@pytest.mark.parametrize(
    ("user", "sees"), [(None, False), (EDITOR[0], False), (ADMIN[0], True)], ids=["nobody", "editor", "admin"]
)
def test_only_an_admin_opens_the_targets_page(office, user, sees):
    at = run("views/plan.py", user)
    assert not at.exception
    assert bool(at.dataframe) is sees
    assert ("Chỉ **quản trị viên**" in " ".join(str(w.value) for w in at.warning)) is not sees
    if sees:
        assert len(at.dataframe[0].value) == 23


@pytest.mark.parametrize(
    ("user", "sees"), [(None, False), (EDITOR[0], False), (ADMIN[0], True)], ids=["nobody", "editor", "admin"]
)
def test_only_an_admin_opens_the_admin_page(office, user, sees):
    at = run("views/admin.py", user)
    assert not at.exception
    assert bool(at.tabs) is sees
    assert ("Chỉ **quản trị viên**" in " ".join(str(w.value) for w in at.warning)) is not sees


def test_a_fresh_install_shows_the_server_machine_how_to_make_the_first_admin(con, cfg, server_machine):
    import shlex

    from appkit import ADMIN_COMMAND

    at = run("app.py")
    banner = " ".join(str(i.value) for i in at.sidebar.info)
    assert "**chế độ thiết lập**" in banner and "Tạo quản trị viên đầu tiên" in banner
    # The command in a code block of its own, cut by hand where the shell allows (the browser broke
    # "--" from "role"); each line fits the sidebar (≈ 26 characters) but the database's path, on a
    # line of its own that the block wraps: the app runs on this test's database (KPI_DB), and the
    # command names it.
    (command,) = at.sidebar.code
    assert command.value == f"{ADMIN_COMMAND} \\\n    --db \\\n    {shlex.quote(str(cfg.db_path))}"
    assert command.value.endswith(
        " -m kpi \\\n    user add TÊN \\\n    --role admin \\\n    --db \\\n    " + str(cfg.db_path)
    )
    assert max(len(line) for line in command.value.splitlines()[:-1]) <= 26 and command.proto.wrap_lines
    assert at.get("file_uploader") == [] and "Tổng quan" in texts(at)


def test_the_sidebars_command_names_the_apps_own_interpreter():
    """Black-box: the sidebar said «python -m kpi user add …», which in a new terminal on the server
    runs a Python without the app's packages (the README: activate .venv first, or type
    .venv/bin/python). The command names the interpreter the app runs on, relative to the project."""
    from appkit.session import admin_command

    linux = admin_command("/srv/kpi/.venv/bin/python", "/srv/kpi", windows=False)
    assert linux == ".venv/bin/python -m kpi \\\n    user add TÊN \\\n    --role admin"
    assert max(len(line) for line in linux.splitlines()) <= 26
    windows = admin_command(r"D:\kpi\.venv\Scripts\python.exe", r"D:\kpi", windows=True)
    assert windows == r".venv\Scripts\python.exe -m kpi user add TÊN --role admin"
    assert admin_command("/usr/bin/python3", "/srv/kpi", windows=False).startswith("python -m kpi")


def test_the_sidebars_command_names_the_apps_database_when_it_is_not_the_default():
    """Round 7 blind («Setup»): the app ran on another database (KPI_DB) and the sidebar's command,
    typed in a terminal without KPI_DB, made the admin in the default database. The command names
    the app's database — relative to the project folder when inside it, quoted when the shell
    needs it, in each system's form; the default database is not named."""
    from appkit.session import admin_command, app_admin_command
    from kpi.config import default_db_path, settings

    linux = admin_command("/srv/kpi/.venv/bin/python", "/srv/kpi", windows=False, db="/srv/thanh-van/kpi.duckdb")
    assert (
        linux
        == ".venv/bin/python -m kpi \\\n    user add TÊN \\\n    --role admin \\\n    --db \\\n    /srv/thanh-van/kpi.duckdb"
    )
    inside = admin_command("/srv/kpi/.venv/bin/python", "/srv/kpi", windows=False, db="/srv/kpi/data/thanh-van.duckdb")
    assert inside.endswith("--db \\\n    data/thanh-van.duckdb")
    spaced = admin_command("/srv/kpi/.venv/bin/python", "/srv/kpi", windows=False, db="/srv/Dữ liệu/kpi.duckdb")
    assert spaced.endswith("--db \\\n    '/srv/Dữ liệu/kpi.duckdb'")
    windows = admin_command(
        r"D:\kpi\.venv\Scripts\python.exe", r"D:\kpi", windows=True, db=r"E:\Dữ liệu\Thanh Văn\kpi.duckdb"
    )
    assert (
        windows == r'.venv\Scripts\python.exe -m kpi user add TÊN --role admin --db "E:\Dữ liệu\Thanh Văn\kpi.duckdb"'
    )
    assert admin_command(
        r"D:\kpi\.venv\Scripts\python.exe", r"D:\kpi", windows=True, db=r"D:\kpi\data\thanh-van.duckdb"
    ).endswith(r"--db data\thanh-van.duckdb")
    assert "--db" not in app_admin_command(settings(db_path=default_db_path()))


def test_the_sidebars_command_creates_the_first_admin_as_shown(cfg):
    import os
    import subprocess
    import sys

    from appkit import ADMIN_COMMAND, app_admin_command
    from kpi.access.auth import role_of

    # as the operator types it in the project folder, with this test's interpreter for the venv's,
    # in a terminal without KPI_DB: the command names the app's database itself (round 7 blind)
    command = app_admin_command(cfg)
    assert ADMIN_COMMAND in command and "--db" in command  # else it would act on the default database
    shown = sys.executable + command[command.index(" -m kpi") :].replace("TÊN", "quantri")
    env = {k: v for k, v in os.environ.items() if k != "KPI_DB"}
    done = subprocess.run(
        ["bash", "-c", shown],
        input="mat-khau-quan-tri\n",
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={**env, "PYTHONPATH": str(PROJECT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    again = open_database(cfg)
    try:
        assert role_of(again, "quantri") == "admin"
    finally:
        again.close()


def test_a_setting_makes_sign_in_required_for_viewing(office, monkeypatch):
    monkeypatch.setenv("KPI_REQUIRE_LOGIN", "1")
    at = with_sidebar("views/overview.py")
    assert "Cần đăng nhập để xem bảng điều khiển" in texts(at)
    assert not summaries(at) and "Tổng quan năm" not in texts(at)
    sign_in(at, *EDITOR)
    assert "Tổng quan năm 2024" in texts(at) and summaries(at)


def test_the_admin_page_filters_the_log_adds_users_and_backs_up(office, cfg):
    ingest(office, sample_bytes("q1"), SAMPLE_FILES["q1"], EDITOR[0], cfg=cfg)
    at = run("views/admin.py", ADMIN[0])
    log = at.dataframe[0].value
    assert set(log["Hành động"]) == {"thêm người dùng", "tải lên"}
    at.multiselect(key="adm_actions").select("upload").run()
    log = at.dataframe[0].value
    assert list(log["Tên tệp"]) == [SAMPLE_FILES["q1"]] and list(log["Người thực hiện"]) == [EDITOR[0]]
    at.text_input(key="adm_text").input("khong-co-tep-nay").run()
    # nothing matches: said in Vietnamese, not an empty table (Streamlit writes "empty" in one)
    assert "Không có dòng nhật ký nào khớp bộ lọc." in [i.value for i in at.tabs[0].info]
    assert "0 dòng" in texts(at)

    form = at.tabs[1]
    form.text_input[0].input("vanthu")
    form.selectbox[0].select("viewer")
    form.text_input[2].input("mat-khau-van-thu")
    form.text_input[3].input("mat-khau-van-thu")
    [b for b in form.button if b.label == "Lưu người dùng"][0].click().run()
    assert not at.exception and "Đã lưu người dùng «vanthu»" in texts(at)
    assert office.execute("SELECT role FROM users WHERE name = 'vanthu'").fetchall() == [("viewer",)]

    at.button(key="adm_backup").click().run()
    assert not at.exception
    made = list((cfg.db_path.parent / "backups").glob("kpi-*.duckdb"))
    assert len(made) == 1 and f"Đã sao lưu: `{made[0]}`" in texts(at)
    assert office.execute("SELECT actor FROM audit_log WHERE action = 'backup'").fetchall() == [(ADMIN[0],)]


def test_an_editor_cannot_back_up_even_past_the_page(office, cfg):
    """The page hides the button; the core refuses anyway (the page only hides what it would)."""
    from kpi.backup import backup_to_file
    from kpi.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        backup_to_file(office, cfg.db_path.parent / "x.duckdb", EDITOR[0])


def test_a_recovered_database_warns_the_admin_until_acknowledged(cfg, server_machine):
    con = open_database(cfg)
    con.execute("CHECKPOINT")
    con.close()
    kill_with_a_wal(cfg.db_path)
    wal = cfg.db_path.parent / "kpi.duckdb.wal"
    damaged = bytearray(wal.read_bytes())
    for i in range(120, len(damaged) - 8, 97):
        damaged[i] ^= 0xFF
    wal.write_bytes(bytes(damaged))

    at = run("app.py")  # the app opens the database: the WAL is set aside
    banner = " ".join(str(e.value) for e in at.error)
    assert "Cơ sở dữ liệu đã được phục hồi khi khởi động" in banner and ".wal.broken-" in banner
    admin = run("views/admin.py")
    assert "Phục hồi khi khởi động" in texts(admin)
    admin.button(key="adm_ack").click().run()
    assert not admin.exception
    at = run("app.py")
    assert not any("phục hồi" in str(e.value) for e in at.error)


def test_a_file_over_the_limit_is_refused_in_vietnamese(con, server_machine):
    big = b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024 + 512 * 1024)
    at = run("views/upload.py")
    assert "tối đa 20 MB mỗi tệp" in at.get("file_uploader")[0].proto.help
    at.file_uploader(key="up_files").set_value([("qua-lon.xlsx", big, XLSX)]).run()
    assert not at.exception
    assert "Tệp quá lớn: 20,5 MB (21.495.812 byte); giới hạn là 20,0 MB (20.971.520 byte)" in texts(at)
    assert con.execute("SELECT file_name FROM audit_log WHERE action = 'refuse'").fetchall() == [("qua-lon.xlsx",)]


MARKUP = "![a](http://127.0.0.1:9/x.png) **đậm** [bấm](http://127.0.0.1:9/) <b>x</b> :red[đỏ]"


def _rendered(at: AppTest) -> list[str]:
    """Every body Streamlit renders as Markdown."""
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "header", "toast")
    return [str(e.value) for kind in kinds for e in at.get(kind)]


def test_no_user_text_is_rendered_as_markup(con, cfg, server_machine):
    bad = hostile.xfd_used_range()
    good_name = f"{MARKUP}.xlsx"
    at = run("views/upload.py")
    at.file_uploader(key="up_files").set_value(
        [(f"x {MARKUP}.xlsx", bad, XLSX), (good_name, sample_bytes("q1"), XLSX)]
    ).run()
    [b for b in at.button if b.key and b.key.startswith("up_save_")][0].click().run()
    assert not at.exception
    pages = [at, run("views/data.py"), run("views/overview.py"), run("views/economic.py")]
    bodies = [body for page in pages for body in _rendered(page)]
    assert any("đậm" in b for b in bodies)  # the names are shown …
    for body in bodies:  # … as text: no image, link, bold, HTML or colour directive from data
        for raw in ("](http", "**đậm**", "<b>", ":red[đỏ]"):
            assert raw not in body, body
