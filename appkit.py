"""The app side shared by every page: one DuckDB connection per server process, cached loaders
keyed by the data version, the shared sidebar (year, period, sign-in) and small rendering helpers.

Pages import this module and stay thin: they read widgets, call :mod:`kpi`, render. Every page
also runs alone (``AppTest.from_file("views/overview.py")``): :func:`context` works without the
sidebar having been drawn.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
from dataclasses import dataclass
from functools import cached_property

import duckdb
import pandas as pd
import streamlit as st

from kpi import auth
from kpi.attainment import STATUS_LABELS
from kpi.auth import ROLE_LABELS, can, open_mode, role_of
from kpi.config import Settings, settings
from kpi.errors import DatabaseCorrupt, DatabaseLocked, KpiError, database_damage
from kpi.plan import GROUP_LABELS, plan_years_in_db
from kpi.report import Report, attainment_report, indicator_series
from kpi.store import data_version, open_database, recovery_notice, scalar
from kpi.vn import figure_decimals, format_figure, format_number, format_pct, period_words, quarter_words

#: Streamlit badge colours for each status (always shown with the status word).
BADGE = {
    "exceeded": "blue",
    "met": "green",
    "not_met": "red",
    "on_track": "green",
    "behind": "orange",
    "not_due": "gray",
    "no_data": "gray",
}
#: Background colours of the status cell in tables (light, readable in greyscale too).
CELL_BG = {
    "exceeded": "#cfe3f5",
    "met": "#d3ecd9",
    "not_met": "#f6d3d0",
    "on_track": "#e0f1e5",
    "behind": "#fde6c4",
    "not_due": "#eceef1",
    "no_data": "#f4f5f7",
}
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>:$~"})


def md(text: object) -> str:
    """Escape text from data (names, file names) before putting it in Markdown: no user text is
    ever rendered as HTML or as Markdown markup."""
    return str(text if text is not None else "").translate(_MD_SPECIAL)


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
    from kpi.worker import pool

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
        """The data version (:func:`kpi.store.data_version`) as this script run first read it: read
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
    """The visitor's address (:func:`kpi.auth.client_address`: ``X-Forwarded-For`` believed only
    from ``cfg.trusted_proxies``)."""
    forwarded, _proxied = _proxy_headers()
    return auth.client_address(peer_address(), forwarded, cfg.trusted_proxies)


def on_server_machine(cfg: Settings) -> bool:
    """Whether this session's browser runs on the server machine (:func:`kpi.auth.is_server_machine`)."""
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
    except (DatabaseLocked, DatabaseCorrupt) as exc:
        st.error(md(exc.message_vi))
        st.stop()
    con = root.cursor()
    years = plan_years_in_db(con)
    if not years:
        st.error("Cơ sở dữ liệu chưa có kế hoạch nào. Hãy kiểm tra thư mục data/plans.")
        st.stop()
    if st.session_state.get("kpi_year") not in years:
        st.session_state["kpi_year"] = max(years)
    actor = _actor(con, cfg)
    ctx = Context(
        con, cfg, st.session_state["kpi_year"], st.session_state.get("kpi_quarter"), actor, role_of(con, actor), years
    )
    if draw_sidebar:
        _sidebar(ctx)
        ctx.year = st.session_state["kpi_year"]
        ctx.quarter = st.session_state.get("kpi_quarter")
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
    found missing (:func:`kpi.store.lost_commits`), until one acknowledges it on the "Quản trị
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


def vn_time(text: object) -> str:
    """An ISO time as Vietnamese write it: "2024-05-06 08:15:00" → "08:15 ngày 06/05/2024"; other
    text is returned as it is."""
    try:
        return dt.datetime.fromisoformat(str(text)).strftime("%H:%M ngày %d/%m/%Y")
    except ValueError:
        return str(text or "")


def lost_uploads_text(notice: dict) -> str:
    """What a recovery notice's ``lost`` uploads were and what to do, in Markdown (data escaped)."""
    lost = notice.get("lost") or []
    items = "; ".join(
        f"«{md(x['file_name'])}» ({quarter_words(x['year'], x['quarter']) if x.get('year') else 'không rõ kỳ'}, "
        f"tải lên lúc {md(vn_time(x['uploaded_at']))} bởi {md(x['actor'])}; tệp gốc `{md(x['raw'])}`)"
        for x in lost
    )
    kept = f" Nhật ký ghi (WAL) lúc đó được giữ riêng tại `{md(notice['wal'])}`." if notice.get("wal") else ""
    return (
        f"Lúc {md(vn_time(notice['at']))}, sổ ghi nạp cho thấy {len(lost)} lần tải đã lưu thành công nhưng không còn trong "
        "cơ sở dữ liệu (nhật ký ghi WAL bị cắt cụt sau sự cố, hoặc cơ sở dữ liệu được khôi phục từ bản sao lưu "
        f"cũ hơn): {items}.{kept} Hãy tải lại từng tệp (tệp gốc vẫn còn trong kho `data/raw/`) ở trang "
        "**Tải lên báo cáo** với cùng lựa chọn, rồi xác nhận ở trang **Quản trị hệ thống**."
    )


_PERIODS = {
    None: "Mới nhất có số liệu",
    1: "Quý I",
    2: "Quý II (6 tháng)",
    3: "Quý III (9 tháng)",
    4: "Quý IV (cả năm)",
}


def _sidebar(ctx: Context) -> None:
    with st.sidebar:
        st.selectbox("Năm kế hoạch", ctx.years, key="kpi_year", placeholder="Chọn…")
        st.selectbox(
            "Kỳ đánh giá",
            list(_PERIODS),
            format_func=_PERIODS.get,
            key="kpi_quarter",
            help="Đánh giá tính đến hết quý đã chọn; «Mới nhất» là quý gần nhất có báo cáo.",
            placeholder="Chọn…",
        )
        st.divider()
        _signin(ctx)


#: The command that creates the first admin, as the sidebar shows it (two lines for the shell).
ADMIN_COMMAND = "python -m kpi user add \\\n    TÊN --role admin"


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
        st.code(ADMIN_COMMAND, language="bash", wrap_lines=False)
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


# -- cached loaders (keyed by the data version every import bumps) --------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def load_report(
    _con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None, subject: str | None = None
) -> Report:
    """:func:`kpi.report.attainment_report`, cached per data version, year, period and subject."""
    return attainment_report(_con, year, quarter, subject)


@st.cache_data(show_spinner=False, max_entries=256)
def load_series(
    _con: duckdb.DuckDBPyConnection, version: int, year: int, key: str, quarter: int | None
) -> pd.DataFrame:
    """:func:`kpi.report.indicator_series`, cached like :func:`load_report`."""
    return indicator_series(_con, year, key, quarter)


@st.cache_data(show_spinner=False, max_entries=256)
def load_figure_history(
    _con: duckdb.DuckDBPyConnection, version: int, year: int, key: str, subject: str | None
) -> pd.DataFrame:
    """:func:`kpi.figures.figure_history`, cached like :func:`load_report`."""
    from kpi.figures import figure_history

    return figure_history(_con, year, key, subject)


@st.cache_data(show_spinner=False, max_entries=256)
def load_unit_figures(
    _con: duckdb.DuckDBPyConnection, version: int, year: int, key: str, quarter: int | None
) -> pd.DataFrame:
    """:func:`kpi.report.unit_figures`, cached like :func:`load_report`."""
    from kpi.report import unit_figures

    return unit_figures(_con, year, key, quarter)


@st.cache_data(show_spinner=False, max_entries=256)
def load_projection(_con: duckdb.DuckDBPyConnection, version: int, year: int, key: str, quarter: int | None):
    """:func:`kpi.projection.indicator_projection` (projection, last year's path), cached."""
    from kpi.projection import indicator_projection

    return indicator_projection(_con, year, key, quarter)


@st.cache_data(show_spinner=False, max_entries=64)
def load_last_year(_con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None) -> dict:
    """:func:`kpi.projection.same_period_last_year`, cached."""
    from kpi.projection import same_period_last_year

    return same_period_last_year(_con, year, quarter)


def report(ctx: Context) -> Report:
    return load_report(ctx.con, ctx.version, ctx.year, ctx.quarter)


def app_title(con: duckdb.DuckDBPyConnection) -> str:
    """The browser tab's title: "Chỉ tiêu thi đua — <authority of the latest plan>" (data, not code)."""
    years = plan_years_in_db(con)
    if not years:
        return "Chỉ tiêu thi đua"
    from kpi.plansource import plan_meta

    authority = plan_meta(con, max(years)).get("authority") or ""
    return f"Chỉ tiêu thi đua — {authority}" if authority else "Chỉ tiêu thi đua"


@st.cache_data(show_spinner=False, max_entries=32)
def load_annex_rows(_con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None) -> pd.DataFrame:
    """:func:`kpi.annex.annex_rows` of the report as of ``quarter``, cached like :func:`load_report`."""
    from kpi.annex import annex_rows

    return annex_rows(_con, attainment_report(_con, year, quarter))


@st.cache_data(show_spinner=False, max_entries=16)
def load_group_pngs(_con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None) -> dict[str, bytes]:
    """Every group's chart as PNG (:mod:`kpi.render`), keyed by group, for the print view.

    :raises kpi.errors.RenderUnavailable, kpi.errors.RenderFailed: see :func:`kpi.render.pngs`.
    """
    from kpi import render
    from kpi.export import group_figure

    rep = attainment_report(_con, year, quarter)
    groups = [g for g in GROUP_LABELS if (rep.table["group"] == g).any()]
    return dict(zip(groups, render.pngs([group_figure(rep, g) for g in groups]), strict=True))


def keep_sidebar_state() -> None:
    """Keep the sidebar's choices (year, period) over a page that does not draw the sidebar
    (presentation mode): a widget's value is dropped at the end of a run that did not draw it,
    unless it is set again through the Session State API."""
    for key in ("kpi_year", "kpi_quarter"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


# -- the upload page's session state ------------------------------------------------------------------


def _prepared_bytes(prep) -> int:
    """A rough size of a :class:`kpi.ingest.Prepared` in memory (its tables and previews), bytes."""
    size = 4096
    for frame in (prep.rows, prep.observations, prep.awards, prep.registrations):
        if frame is not None:
            size += int(frame.memory_usage(deep=True).sum())
    size += sum(len(text) for grid in prep.previews.values() for row in grid for text in row)
    return size


class UploadState:
    """What the upload page keeps for one session (in ``st.session_state``, so it ends with the
    session; nothing of it is kept by the process).

    - ``prepared``: previews keyed by (sha256, options, data version), at most 16 and about 64 MB
      (least recently used first out); older data versions are dropped at each run.
    - ``done``: sha256 → (file name, message, saved?) of the files saved — or found already stored —
      in this session (the latest 200): such a file is shown from here, never read again.
    - ``shas``: the chooser's file id → sha256, so a file left in the chooser is hashed once.
    - ``logged``: sha256s whose refusal is already in the audit log.
    - ``round``: part of the chooser's key; a new round empties the chooser.
    """

    MAX_PREPARED, MAX_PREPARED_BYTES, MAX_DONE = 16, 64 * 1024 * 1024, 200

    def __init__(self) -> None:
        from kpi.lru import LRU

        self.prepared = LRU(self.MAX_PREPARED, self.MAX_PREPARED_BYTES, _prepared_bytes)
        self.done: dict[str, tuple[str, str, bool]] = {}
        self.shas = LRU(1000)
        self.logged = LRU(1000)
        self.round = 0

    def sha_of(self, upload) -> str:
        """The sha256 of a chosen file (``UploadedFile``), computed once per file id."""
        from kpi.store import sha256_of

        sha = self.shas.get(upload.file_id)
        if sha is None:
            sha = sha256_of(upload.getvalue())
            self.shas.put(upload.file_id, sha)
        return sha

    def forget_older_than(self, version: int) -> None:
        self.prepared.discard_where(lambda key: key[2] != version)

    def remember(self, sha: str, name: str, message: str, saved: bool) -> None:
        self.done.pop(sha, None)
        self.done[sha] = (name, message, saved)
        while len(self.done) > self.MAX_DONE:
            self.done.pop(next(iter(self.done)))
        self.prepared.discard_where(lambda key: key[0] == sha)


def upload_state() -> UploadState:
    """This session's :class:`UploadState` (created on first use)."""
    if not isinstance(st.session_state.get("up_state"), UploadState):
        st.session_state["up_state"] = UploadState()
    return st.session_state["up_state"]


def saved_entry(entry: tuple[str, str, bool]) -> None:
    """One file saved in this session: a green "Đã lưu" only when it was stored; a copy found
    already stored is said in blue, "đã có … không thay đổi gì"."""
    name, message, saved = entry
    badge = ":green-badge[Đã lưu]" if saved else ":gray-badge[Đã có — không lưu lại]"
    st.markdown(f"#### :material/description: {md(name)}  \n{badge}")
    (st.success if saved else st.info)(md(message))


def saved_in_session(state: UploadState) -> None:
    """The files saved in this session, newest first (the chooser is emptied after saving)."""
    if not state.done:
        return
    st.markdown(f"**Đã xử lý trong phiên này** ({len(state.done)} tệp):")
    for entry in reversed(list(state.done.values())):
        with st.container(border=True):
            saved_entry(entry)


# -- small rendering helpers -------------------------------------------------------------------------


def figure_text(row: dict, with_unit: bool = True) -> str:
    """ "2.438,3 tỷ đồng", "125 triệu đồng/ha (ước)", or "–"."""
    actual = row.get("actual")
    if actual is None or pd.isna(actual):
        return "–"
    text = format_figure(actual, row.get("unit"), row.get("decimals"))
    if with_unit:
        text += f" {row['unit']}"
    if row.get("basis") == "estimate":
        text += " (ước)"
    elif row.get("vintage") == "preliminary":
        text += " (sơ bộ)"
    return text


def target_text(row: dict) -> str:
    target = row["target"]
    if isinstance(target, list):
        return f"{format_number(target[0])}–{format_number(target[1])} {row['unit']}"
    return f"{format_number(target)} {row['unit']}"


def pct_text(row: dict) -> str:
    pct = row.get("attainment_pct")
    if pct is None or pd.isna(pct):
        return "–"
    return format_pct(pct)


def status_badge(status: str) -> str:
    """Markdown for a status: the word in a coloured badge (never colour alone)."""
    return f":{BADGE.get(status, 'gray')}-badge[{md(STATUS_LABELS.get(status, status))}]"


def summary_table(rep: Report, keys: list[str] | None = None, last_year: dict | None = None) -> pd.DataFrame:
    """The report as a table for st.dataframe: text columns formatted vi-VN, the status a
    coloured label *with* its word (show it with ``column_config=SUMMARY_COLUMNS``); with
    ``last_year`` (:func:`load_last_year`) a "Cùng kỳ năm trước" column too.

    The status is a one-item list shown by ``MultiselectColumn`` as a coloured pill: a pandas
    Styler did the same but Streamlit re-renders a Styler's HTML on every rerun (≈ 40 % of the
    overview's warm rerun in a py-spy profile)."""
    table = rep.table if keys is None else rep.table[rep.table["key"].isin(keys)]
    rows = []
    for r in table.to_dict("records"):
        extra = {}
        if last_year is not None:
            value = last_year.get(r["key"])
            extra["Cùng kỳ năm trước"] = format_figure(value, r["unit"], r["decimals"]) if value is not None else "–"
        rows.append(
            {
                "Mã": r["key"],
                "Nhóm": GROUP_LABELS.get(r["group"], r["group"]),
                "Chỉ tiêu": r["name"],
                "ĐVT": r["unit"],
                "Kế hoạch": target_text(r).removesuffix(" " + r["unit"]),
                "Thực hiện": figure_text(r, with_unit=False),
                "Kỳ số liệu": period_words(r["period"]),
                **extra,
                "% KH": pct_text(r),
                "Đánh giá": [STATUS_LABELS[r["status"]]],
            }
        )
    return pd.DataFrame(rows)


#: ``column_config`` of :func:`summary_table`: the status word on its colour; short headers and
#: fixed widths, the key and the group not shown (the cards are grouped already), so "% KH" and
#: "Đánh giá" fit a 1366 px screen with the sidebar open, no sideways scroll (issue 14). The
#: data keeps every column (a download, a test): only what is shown changes.
SUMMARY_COLUMNS = {
    "Mã": None,
    "Nhóm": None,
    "Chỉ tiêu": st.column_config.TextColumn("Chỉ tiêu", width=290),
    "ĐVT": st.column_config.TextColumn("ĐVT", width=82),
    "Kế hoạch": st.column_config.TextColumn("KH", width=62),
    "Thực hiện": st.column_config.TextColumn("Thực hiện", width=96),
    "Kỳ số liệu": st.column_config.TextColumn("Kỳ", width=92),
    "Cùng kỳ năm trước": st.column_config.TextColumn("Cùng kỳ", width=68),
    "% KH": st.column_config.TextColumn("% KH", width=72),
    "Đánh giá": st.column_config.MultiselectColumn(
        "Đánh giá",
        options=[STATUS_LABELS[s] for s in CELL_BG],
        color=list(CELL_BG.values()),
        width=126,
    ),
}


@st.cache_data(show_spinner=False, max_entries=32)
def overview_cards(_con: duckdb.DuckDBPyConnection, version: int, year: int, quarter: int | None) -> list:
    """The overview's cards as ``[(group, [markdown of each card])]`` in the plan's order, built
    once per data version: one Markdown element per card (name, figure, target and %, status
    word and the figure's period in words, "Quý III/2024") keeps a rerun's element count, and its time, low."""
    rep = load_report(_con, version, year, quarter)
    out = []
    for group in GROUP_LABELS:
        rows = rep.table[rep.table["group"] == group].to_dict("records")
        cards = [
            f"**{md(row['name'])}**\n\n#### {md(figure_text(row))}\n\n"
            f"Kế hoạch: {md(target_text(row))} · {md(pct_text(row))}  \n"
            + status_badge(row["status"])
            + (f" · {md(period_words(row['period']))}" if period_words(row["period"]) else "")
            for row in rows
        ]
        if cards:
            out.append((group, cards))
    return out


def as_of_caption(rep: Report) -> str:
    """ "Kỳ: Quý III/2024 – lũy kế 9 tháng · số liệu cập nhật 20/11/2026 10:05 · có số liệu ước"."""
    parts = [f"Kỳ: {rep.period_text}"]
    if rep.data_as_of is not None and not pd.isna(rep.data_as_of):
        parts.append(f"số liệu cập nhật {pd.Timestamp(rep.data_as_of):%d/%m/%Y %H:%M}")
    if rep.has_estimates:
        parts.append("có số liệu ước (ghi «(ước)»)")
    return " · ".join(parts)


def database_damage_stop(exc: Exception) -> None:
    """When ``exc`` is DuckDB meeting a damaged block of the database file (found only when a page
    reads it, see :func:`kpi.errors.database_damage`), show the Vietnamese message and stop the
    page instead of Streamlit's English error box; any other exception returns for the caller to
    re-raise."""
    damage = database_damage(exc, str(settings().db_path))
    if damage is not None:
        st.error(md(damage.message_vi))
        st.stop()


def show_error(exc: KpiError) -> None:
    """A core error, in its Vietnamese words (escaped: they quote file and user names)."""
    st.error(md(exc.message_vi))


def provenance(ctx: Context, rep: Report, keys: list[str], key_prefix: str) -> None:
    """ "Số liệu này lấy từ đâu?": for a chosen indicator, the file, sheet and cell of the judged
    figure, who uploaded it and when, and every stored version of it."""
    from kpi.vn import format_date

    table = rep.table.set_index("key")
    options = [k for k in keys if k in table.index]
    if not options:
        return
    with st.expander("Số liệu này lấy từ đâu?", icon=":material/search:"):
        key = st.selectbox(
            "Chỉ tiêu",
            options,
            key=f"{key_prefix}_prov",
            format_func=lambda k: f"{k} — {table.loc[k, 'name']}",
            placeholder="Chọn…",
        )
        row = table.loc[key].to_dict()
        row["key"] = key
        if row["actual"] is None or pd.isna(row["actual"]):
            st.write(f"Chưa có số liệu ({STATUS_LABELS[row['status']]}).")
            return
        period = period_words(row["period"]) or f"Năm {rep.year}"
        lines = [f"**Số được đánh giá:** {md(figure_text(row))} — {md(period)}"]
        if row.get("source"):
            lines.append(f"**Nguồn:** {md(row['source'])}")
        if row.get("sender") and not pd.isna(row.get("sender")):
            lines.append(f"**Cơ quan gửi:** {md(row['sender'])}")
        if row.get("doc_date") is not None and not pd.isna(row.get("doc_date")):
            lines.append(f"**Ngày văn bản:** {format_date(pd.Timestamp(row['doc_date']).date())}")
        if row.get("uploaded_by") and not pd.isna(row.get("uploaded_by")):
            when = pd.Timestamp(row["uploaded_at"]).strftime("%d/%m/%Y %H:%M")
            lines.append(f"**Tải lên bởi:** {md(row['uploaded_by'])} lúc {when}")
        st.markdown("  \n".join(lines))
        history = load_figure_history(ctx.con, ctx.version, rep.year, key, rep.subject)
        if len(history):
            from kpi.figures import KIND_WORDS, STATUS_WORDS

            shown = pd.DataFrame(
                {
                    "Quý": history["quarter"],
                    "Loại số": history["kind"].map(KIND_WORDS),
                    "Số": [
                        format_figure(v, rep.catalogue[key].unit, rep.catalogue[key].decimals) for v in history["value"]
                    ],
                    "Ghi trong tệp": history["written"],
                    "Tệp": history["file_name"],
                    "Ô": history["sheet"] + "!" + history["cell"],
                    "Tải lên": history["uploaded_at"].dt.strftime("%d/%m/%Y %H:%M"),
                    "Bởi": history["uploaded_by"],
                    "Trạng thái": history["status"].map(STATUS_WORDS),
                }
            )
            st.caption("Mọi phiên bản đã lưu của số liệu này (bản bị thay vẫn được giữ):")
            st.dataframe(shown, hide_index=True, width="stretch", placeholder="")


def narrow_screen() -> bool:
    """Whether the browser is a phone's (its User-Agent says "Mobile", as every phone browser's
    does): its charts are drawn narrow (:mod:`kpi.charts`, issue 14)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # noqa: BLE001 - no request behind the run (AppTest): a wide screen
        return False
    return "Mobile" in agent or "Android" in agent


def indicator_block(ctx: Context, rep: Report, key: str) -> None:
    """One indicator's chart with its projection, status, target and source line under it, its
    PNG, and the units ranked when they report their own figures. An indicator without any
    in-year figure gets one line of text instead of an empty chart."""
    from kpi.charts import nothing_to_draw, plotly_config
    from kpi.export import chart_file_name, indicator_figure, source_line

    table = rep.table.set_index("key")
    row = table.loc[key].to_dict()
    row["key"] = key
    ind = rep.catalogue[key]
    series = load_series(ctx.con, ctx.version, rep.year, key, rep.as_of)
    projection, last_year = None, {}
    if ind.counted_from == "reports":
        projection, last_year = load_projection(ctx.con, ctx.version, rep.year, key, rep.as_of)
    empty = nothing_to_draw(ind, series, row)
    if empty is not None:
        st.markdown(f"**{md(ind.name)}** ({md(ind.unit)}): {status_badge(row['status'])} {md(empty)}")
        return
    fig = indicator_figure(rep, key, series, projection, last_year, narrow=narrow_screen())
    st.plotly_chart(fig, config=plotly_config(chart_file_name(key, rep)), key=f"chart_{key}")
    lines = [
        f"{status_badge(row['status'])} **{md(figure_text(row))}** · kế hoạch {md(target_text(row))}"
        f" · {md(pct_text(row))}"
    ]
    if projection is not None and projection.value is not None:
        lines.append(md(projection.text(ind.unit, figure_decimals(ind.unit, ind.decimals))))
    if rep.as_of and last_year.get(rep.as_of) is not None:
        last = format_figure(last_year[rep.as_of], ind.unit, ind.decimals)
        lines.append(f"Cùng kỳ năm trước: {md(last)} {md(ind.unit)}")
    lines.append(md(source_line(row)))
    st.markdown("  \n".join(lines))
    png_button(rep, key)
    units = load_unit_figures(ctx.con, ctx.version, rep.year, key, rep.as_of)
    if len(units) >= 2:
        from kpi.charts import ranking_chart

        with st.expander(
            f"So sánh giữa các đơn vị ({len(units)} đơn vị có số liệu riêng)", icon=":material/leaderboard:"
        ):
            st.plotly_chart(
                ranking_chart(units, ind, rep.period_text, rep.year, rep.as_of),
                config=plotly_config(f"{key}_don-vi"),
                key=f"rank_{key}",
            )


def render_group(group: str) -> None:
    """A group page (Kinh tế, Xã hội, Môi trường): every indicator against its target."""
    from kpi.charts import plotly_config
    from kpi.export import chart_file_name, group_figure

    ctx = context()
    rep = report(ctx)
    title = GROUP_LABELS[group]
    st.title(title)
    st.caption(as_of_caption(rep))
    page_png_button(rep, group)
    st.plotly_chart(
        group_figure(rep, group, narrow_screen()),
        config=plotly_config(chart_file_name(group, rep)),
        key=f"group_{group}",
    )
    png_button(rep, group)
    rows = rep.table[rep.table["group"] == group]
    for key in rows["key"]:
        st.divider()
        indicator_block(ctx, rep, key)
    provenance(ctx, rep, list(rows["key"]), f"grp_{group}")


# -- meeting output: downloads (built by kpi.export; pages only offer them) ----------------------

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render_problem() -> str | None:
    """Why PNG pictures (and the deck) cannot be made on this server, in words; else ``None``.
    When they can, the render server is started in the background so the first one is warm."""
    from kpi import render

    problem = render.problem()
    if problem is not None:
        return problem.message_vi
    render.warm()
    return None


def _deferred(make):
    """A download's data built only when the button is clicked, on Streamlit's own thread, with
    its own cursor of the process's connection (a cursor is not shared between threads)."""
    root = _connection(str(settings().db_path))

    def build() -> bytes:
        con = root.cursor()
        try:
            return make(con)
        finally:
            con.close()

    return build


def png_button(rep: Report, key: str) -> None:
    """ "Tải ảnh PNG" of one chart (2560 px wide), or why it cannot be made here."""
    from kpi.export import chart_file_name, chart_png

    problem = render_problem()
    if problem:
        st.caption(f"Ảnh PNG: {problem}")
        return
    year, quarter = rep.year, rep.as_of
    st.download_button(
        "Tải ảnh PNG",
        data=_deferred(lambda con: chart_png(con, year, key, quarter)),
        file_name=chart_file_name(key, rep) + ".png",
        mime="image/png",
        icon=":material/image:",
        key=f"png_{key}",
        on_click="ignore",
    )


def page_png_button(rep: Report, page: str) -> None:
    """ "Tải mọi biểu đồ của trang (.zip)"."""
    from kpi.export import page_pngs, page_zip_name

    if render_problem():
        return
    year, quarter = rep.year, rep.as_of
    st.download_button(
        "Tải mọi biểu đồ của trang (PNG, .zip)",
        data=_deferred(lambda con: page_pngs(con, year, page, quarter)),
        file_name=page_zip_name(rep, page),
        mime="application/zip",
        icon=":material/photo_library:",
        key=f"pngs_{page}",
        on_click="ignore",
    )


def meeting_downloads(rep: Report, key_prefix: str) -> None:
    """The overview's meeting output in one row: the annex table (.xlsx), the deck (.pptx), the
    print view, presentation mode and the draft report (.docx)."""
    from kpi.export import annex_file_name, deck_file_name, write_annex, write_deck
    from kpi.output.report_draft import draft_file_name, write_draft

    year, quarter = rep.year, rep.as_of
    cols = st.columns([1, 1, 1, 1, 1])
    cols[0].download_button(
        "Tải phụ lục (.xlsx)",
        data=_deferred(lambda con: write_annex(con, year, quarter)),
        file_name=annex_file_name(rep),
        mime=XLSX_MIME,
        icon=":material/table:",
        key=f"{key_prefix}_annex",
        on_click="ignore",
        width="stretch",
    )
    problem = render_problem()
    cols[1].download_button(
        "Tải bài trình chiếu (.pptx)",
        data=_deferred(lambda con: write_deck(con, year, quarter)),
        file_name=deck_file_name(rep),
        mime=PPTX_MIME,
        icon=":material/slideshow:",
        key=f"{key_prefix}_deck",
        on_click="ignore",
        disabled=problem is not None,
        help=problem,
        width="stretch",
    )
    with cols[2]:
        page_link("views/print.py", "ban-in", "Bản in (A4 ngang)", ":material/print:")
    with cols[3]:
        page_link("views/present.py", "trinh-chieu", "Chế độ trình chiếu", ":material/co_present:")
    cols[4].download_button(
        "Tải dự thảo báo cáo (.docx)",
        data=_deferred(lambda con: write_draft(con, year, quarter)),
        file_name=draft_file_name(rep),
        mime=DOCX_MIME,
        icon=":material/description:",
        key=f"{key_prefix}_draft",
        on_click="ignore",
        width="stretch",
    )


def page_link(path: str, url_path: str, label: str, icon: str) -> None:
    """A link to another page of the app; a plain link when the page runs alone (AppTest), where
    Streamlit knows no other page."""
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(path, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{md(label)}](./{url_path})")
