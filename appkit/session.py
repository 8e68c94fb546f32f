"""The page's context: the process's database connection, who is visiting (sign-in, roles, idle expiry), the sidebar and its period choice, the recovery banner for admins."""

from __future__ import annotations

import functools
import sys
import threading
import time
from dataclasses import dataclass
from functools import cached_property

import duckdb
import streamlit as st

from appkit.text import lost_uploads_text, md
from kpi.access import auth
from kpi.access.auth import can, open_mode, role_of
from kpi.bootstrap import open_database
from kpi.config import Settings, settings
from kpi.errors import DatabaseCorrupt, DatabaseLocked
from kpi.storage.catalogue import plan_years_in_db
from kpi.storage.database import data_version, recovery_notice, scalar
from kpi.storage.lake import StoreUnavailable
from kpi.storage.store import cursor as store_cursor
from kpi.words import ROLE_LABELS


@st.cache_resource(show_spinner=False)
def _connection(db_path: str) -> duckdb.DuckDBPyConnection:
    """The process's one connection (created with the schema and the plan on first start)."""
    con = open_database(settings(db_path=db_path))
    code = auth.ensure_setup_code(con, db_path)
    if code:  # the server's console: the operator reads it there (or in the file)
        print(
            f"Chưa có quản trị viên. Mã thiết lập (để tải lên / tạo quản trị viên đầu tiên từ máy khác): {code}\n"
            f"(cũng ghi trong {auth.setup_code_path(db_path)})",
            file=sys.stderr,
            flush=True,
        )
    from kpi.reading.worker import pool

    threading.Thread(target=pool().warm, daemon=True).start()  # the parser ready before the first upload
    return con


@dataclass
class Context:
    """What a page needs: a cursor for this script run, settings, the chosen year and period,
    and who is acting."""

    con: duckdb.DuckDBPyConnection
    cfg: Settings
    year: int
    quarter: int | None
    actor: str
    role: str | None
    years: list[int]

    @cached_property
    def version(self) -> int:
        """The data version (:func:`kpi.storage.database.data_version`) as this script run first read it: read
        once per run, so every cached loader of one run sees the same data even while another
        session saves (a Context lives for one run)."""
        return data_version(self.con)

    def can(self, action: str) -> bool:
        return can(self.con, self.actor, action)


def peer_address() -> str | None:
    """The socket peer of this session's connection (Streamlit's ``client_context.remote_ip``:
    ``127.0.0.1`` / ``::1`` for the server machine itself, unlike ``st.context.ip_address`` which
    turns those into ``None``); ``None`` when there is no connection (AppTest runs the script
    without one: its tests state the visitor's address themselves, see tests/conftest.py)."""
    from streamlit.runtime import exists, get_instance
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run = get_script_run_ctx()
    if run is None or not exists():
        return None
    client = get_instance().get_client(run.session_id)
    remote = getattr(getattr(client, "client_context", None), "remote_ip", None)
    return remote if isinstance(remote, str) else None  # AppTest's stand-in runtime has no address


def _proxy_headers() -> tuple[str | None, bool]:
    """``X-Forwarded-For`` and whether any proxy header (``Forwarded``, ``X-Real-IP`` too) came."""
    try:
        headers = st.context.headers
        forwarded = headers.get("X-Forwarded-For")
        proxied = any(isinstance(headers.get(h), str) for h in ("X-Forwarded-For", "Forwarded", "X-Real-IP"))
    except Exception:  # noqa: BLE001 - no headers without a connection (AppTest)
        return None, False
    return (forwarded if isinstance(forwarded, str) else None), proxied


def visitor_address(cfg: Settings) -> str | None:
    """The visitor's address (:func:`kpi.access.auth.client_address`: ``X-Forwarded-For`` believed only
    from ``cfg.trusted_proxies``)."""
    forwarded, _proxied = _proxy_headers()
    return auth.client_address(peer_address(), forwarded, cfg.trusted_proxies)


def on_server_machine(cfg: Settings) -> bool:
    """Whether this session's browser runs on the server machine (:func:`kpi.access.auth.is_server_machine`)."""
    forwarded, proxied = _proxy_headers()
    return auth.is_server_machine(peer_address(), forwarded, cfg.trusted_proxies, proxied)


def _expire_idle(cfg: Settings) -> None:
    """Sign the tab out (drop ``kpi_user`` and the set-up trust) when its last run is older than
    ``cfg.idle_timeout_seconds``; every run counts as activity."""
    now = time.time()
    last = st.session_state.get("kpi_last_active")
    st.session_state["kpi_last_active"] = now
    signed = st.session_state.get("kpi_user") or st.session_state.get("kpi_setup_ok")
    if signed and last is not None and now - float(last) > cfg.idle_timeout_seconds:
        st.session_state.pop("kpi_user", None)
        st.session_state.pop("kpi_setup_ok", None)
        st.session_state["kpi_idle_out"] = True


def _actor(con: duckdb.DuckDBPyConnection, cfg: Settings) -> auth.Visitor:
    """This session's actor: the signed-in name (or :data:`ANONYMOUS`), trusted for set-up when
    it connects from the server machine itself or typed the set-up code."""
    trusted = on_server_machine(cfg) or bool(st.session_state.get("kpi_setup_ok"))
    return auth.visitor(st.session_state.get("kpi_user"), trusted)


def context(draw_sidebar: bool = False) -> Context:
    """The page's :class:`Context`; stops the page with a Vietnamese message when the database
    cannot be opened (held by another process). Signs an idle tab out first (:func:`_expire_idle`)."""
    cfg = settings()
    _expire_idle(cfg)
    try:
        root = _connection(str(cfg.db_path))
    except (DatabaseLocked, DatabaseCorrupt, StoreUnavailable) as exc:
        st.error(md(exc.message_vi))
        st.stop()
    con = store_cursor(root)
    years = plan_years_in_db(con)
    if not years:
        st.error("Cơ sở dữ liệu chưa có kế hoạch nào. Hãy kiểm tra thư mục data/plans.")
        st.stop()
    if st.session_state.get("kpi_year") not in years:
        st.session_state["kpi_year"] = max(years)
    if st.session_state.get("kpi_quarter") not in _PERIODS:  # cleared in the browser («×»): the latest
        st.session_state["kpi_quarter"] = LATEST
    actor = _actor(con, cfg)
    ctx = Context(con, cfg, st.session_state["kpi_year"], _quarter(), actor, role_of(con, actor), years)
    if draw_sidebar:
        _sidebar(ctx)
        ctx.year = st.session_state["kpi_year"]
        ctx.quarter = _quarter()
        ctx.actor = _actor(con, cfg)
        ctx.role = role_of(con, ctx.actor)
        if ctx.role == "admin":
            recovery_banner(ctx)
    if auth.setup_code_path(cfg.db_path).exists() and not open_mode(con):
        auth.discard_setup_code(cfg.db_path)  # an admin exists: the set-up code is spent
    if cfg.require_login and not open_mode(con) and ctx.role is None:
        st.warning("Cần đăng nhập để xem bảng điều khiển (ô đăng nhập ở thanh bên).")
        st.stop()
    return ctx


def recovery_banner(ctx: Context) -> None:
    """Warn an admin that a damaged WAL was set aside at start-up, or that committed uploads were
    found missing (:func:`kpi.storage.database.lost_commits`), until one acknowledges it on the "Quản trị
    hệ thống" page."""
    notice = recovery_notice(ctx.con)
    if notice and notice.get("lost"):
        st.error(
            "**Có lần tải đã lưu nhưng không còn trong cơ sở dữ liệu.** " + lost_uploads_text(notice),
            icon=":material/warning:",
        )
    elif notice:
        st.error(
            "**Cơ sở dữ liệu đã được phục hồi khi khởi động.** Nhật ký ghi (WAL) bị hỏng nên không phát lại "
            f"được; nó được giữ riêng tại `{notice['wal']}` và ứng dụng mở trạng thái tốt gần nhất "
            f"(lúc {md(notice['at'])}). Các thay đổi sau lần ghi cuối có thể bị thiếu: hãy kiểm tra trang "
            "**Dữ liệu**, nạp lại tệp nếu cần, rồi xác nhận ở trang **Quản trị hệ thống**.",
            icon=":material/warning:",
        )


#: The period box's «Mới nhất có số liệu» (the latest quarter with figures of the district,
#: :func:`kpi.storage.figures.latest_quarter`: ``Context.quarter`` None).
#: Not ``None`` itself: Streamlit takes a select box's ``None`` for «nothing chosen», draws it empty
#: («Chọn…») with a «×» to clear it, and the value set again over presentation mode was that ``None``
#: (issue 14, a code-blind tester).
LATEST = 0

_PERIODS = {
    LATEST: "Mới nhất có số liệu",
    1: "Quý I",
    2: "Quý II (6 tháng)",
    3: "Quý III (9 tháng)",
    4: "Quý IV (cả năm)",
}


def _quarter() -> int | None:
    """The period chosen in the sidebar: 1–4 (up to the end of that quarter), ``None`` for the latest."""
    chosen = st.session_state.get("kpi_quarter", LATEST)
    return None if chosen == LATEST else chosen


def _sidebar(ctx: Context) -> None:
    with st.sidebar:
        st.selectbox("Năm kế hoạch", ctx.years, key="kpi_year", placeholder="Chọn…")
        st.selectbox(
            "Kỳ đánh giá",
            list(_PERIODS),
            format_func=_PERIODS.get,
            key="kpi_quarter",
            help=(
                "Đánh giá tính đến hết quý đã chọn; «Mới nhất» là quý gần nhất có số liệu của toàn huyện "
                "(báo cáo riêng của một xã không tính)."
            ),
            placeholder="Chọn…",
        )
        st.divider()
        _signin(ctx)


def admin_command(
    executable: str = sys.executable, project=None, windows: bool | None = None, db: str | None = None
) -> str:
    """The command that creates the first admin, as the sidebar shows it: with the interpreter the
    app runs on, as the operator types it in the project folder (``.venv/bin/python`` — a bare
    ``python`` in a new terminal has none of the app's packages: black-box, README «activate it
    first»; ``python`` when the app runs on an interpreter outside the project); on Linux cut by
    hand into lines that fit the sidebar (≤ 26 characters but a long path), on Windows one line
    (cmd and PowerShell continue lines differently).

    :param db: the database the app runs on when it is not the default one (``KPI_DB``, a second
        district's): named by ``--db``, relative to the project folder when inside it, quoted when
        the shell needs it — typed without it, in a terminal without ``KPI_DB``, the command made
        the admin in the default database, not the app's (round 7 blind, «Setup»).
    """
    import os
    import shlex
    from pathlib import Path, PureWindowsPath

    from kpi.config import PROJECT_DIR

    windows = os.name == "nt" if windows is None else windows
    kind = PureWindowsPath if windows else Path
    here, root = kind(executable), kind(project or PROJECT_DIR)
    python = str(here.relative_to(root)) if here.is_relative_to(root) else "python"
    where = ""
    if db is not None:
        path = kind(db)
        shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        if windows:  # cmd and PowerShell both take a double-quoted path (no quote is legal in one)
            where = f'"{shown}"' if any(c in shown for c in " &()^%!;,'=@`$") else shown
        else:
            where = shlex.quote(shown)
    if windows:
        return f"{python} -m kpi user add TÊN --role admin" + (f" --db {where}" if where else "")
    # the path on a line of its own: it may be longer than the sidebar (the block then wraps it)
    return f"{python} -m kpi \\\n    user add TÊN \\\n    --role admin" + (
        f" \\\n    --db \\\n    {where}" if where else ""
    )


#: The command as it is shown for the default database (:func:`admin_command`).
ADMIN_COMMAND = admin_command()


def app_admin_command(cfg: Settings) -> str:
    """:func:`admin_command` for the database ``cfg`` names: with ``--db`` unless it is the default
    one (:func:`kpi.config.default_db_path`; the same file however it was written)."""
    return _app_admin_command(str(cfg.db_path))


@functools.lru_cache(maxsize=8)
def _app_admin_command(db: str) -> str:
    import os

    from kpi.config import default_db_path

    def same(a, b) -> bool:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))

    return admin_command(db=None if same(db, default_db_path()) else os.path.abspath(db))


def _setup_notice(ctx: Context) -> None:
    """Set-up mode (no admin yet): every visitor may look; the server machine itself (or a
    visitor who typed the set-up code) may write, and is shown the command that creates the
    first admin; a visitor over the network is told to ask the operator, or to type the code."""
    trusted = isinstance(ctx.actor, auth.Visitor) and ctx.actor.setup_trusted
    if trusted:
        st.info(
            "Chưa có quản trị viên: ứng dụng đang ở **chế độ thiết lập**. Máy này được tải lên và sửa số liệu; "
            "người xem qua mạng chỉ xem được. Tạo quản trị viên đầu tiên ở trang «Quản trị hệ thống» hoặc bằng lệnh:"
        )
        # A code block of its own, cut by hand where a shell allows it and never wrapped: inline code
        # wrapped in the box, and st.code's own wrapping, both broke "--" from "role" (a browser
        # may break after a hyphen); each line fits the sidebar's default width; a copy button.
        command = app_admin_command(ctx.cfg)
        # a database's path may be longer than the sidebar: on its own line, wrapped (at «/» or
        # «-» of the path; every other line fits, so no «--» is parted from its word)
        st.code(command, language="bash", wrap_lines="--db \\\n" in command)
        return
    st.info(
        "Ứng dụng chưa có quản trị viên: mọi người **xem** được, nhưng chỉ tải lên và sửa được từ chính máy chủ. "
        "Hãy nhờ người vận hành máy chủ tạo quản trị viên đầu tiên, hoặc nhập **mã thiết lập** (in ra khi khởi "
        "động máy chủ và ghi trong tệp setup-code.txt ở thư mục dữ liệu)."
    )
    with st.form("kpi_setup", clear_on_submit=True):
        typed = st.text_input("Mã thiết lập", max_chars=64)
        if st.form_submit_button("Dùng mã thiết lập"):
            verdict = auth.check_setup_code(ctx.con, ctx.cfg.db_path, typed, visitor_address(ctx.cfg))
            if verdict.ok:
                st.session_state["kpi_setup_ok"] = True
                st.rerun()
            else:
                st.error(verdict.message_vi)


def _signin(ctx: Context) -> None:
    con = ctx.con
    if st.session_state.pop("kpi_idle_out", False):
        st.info(
            f"Phiên đăng nhập đã kết thúc vì không dùng quá {ctx.cfg.idle_timeout_seconds / 60:g} phút. "
            "Hãy đăng nhập lại."
        )
    if open_mode(con):
        _setup_notice(ctx)
        if not st.session_state.get("kpi_user") and (scalar(con, "SELECT count(*) FROM users") or 0) == 0:
            return
    user = st.session_state.get("kpi_user")
    if user:
        st.markdown(f"Đang đăng nhập: **{md(user)}** ({ROLE_LABELS.get(ctx.role or '', '?')})")
        if st.button("Đăng xuất", key="kpi_signout"):
            st.session_state.pop("kpi_user", None)
            st.session_state.pop("kpi_setup_ok", None)
            st.rerun()
        return
    with st.form("kpi_signin", clear_on_submit=False):
        st.markdown("**Đăng nhập** (để tải lên, sửa số liệu)")
        name = st.text_input("Tên đăng nhập", max_chars=auth.NAME_MAX)
        password = st.text_input("Mật khẩu", type="password", max_chars=1024)
        if st.form_submit_button("Đăng nhập"):
            verdict = auth.sign_in(con, name, password, visitor_address(ctx.cfg))
            if verdict.ok:
                st.session_state["kpi_user"] = verdict.name
                st.session_state["kpi_last_active"] = time.time()
                st.rerun()
            else:
                st.error(verdict.message_vi)


def keep_sidebar_state() -> None:
    """Keep the sidebar's choices (year, period) over a page that does not draw the sidebar
    (presentation mode): a widget's value is dropped at the end of a run that did not draw it,
    unless it is set again through the Session State API."""
    for key in ("kpi_year", "kpi_quarter"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def page_link(path: str, url_path: str, label: str, icon: str) -> None:
    """A link to another page of the app; a plain link when the page runs alone (AppTest), where
    Streamlit knows no other page."""
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(path, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{md(label)}](./{url_path})")
