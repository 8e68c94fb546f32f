"""Quản trị hệ thống: the audit log (filters; the table and its CSV in the same Vietnamese words), the
users, backups, and the notice of a database recovered at start-up. Admins only; everything here
goes through ``kpi`` functions that check the role again."""

import datetime as dt

import pandas as pd
import streamlit as st

import appkit
from kpi.access.audit import (
    ACTION_LABELS,
    actor_words,
    audit_actions,
    audit_actors,
    audit_csv,
    audit_entries,
    audit_table,
)
from kpi.access.auth import NAME_MAX, ROLES, add_user, list_users, open_mode, remove_user
from kpi.backup import backup_to_file, default_backup_path, list_backups
from kpi.bootstrap import acknowledge_recovery
from kpi.errors import KpiError
from kpi.storage.database import recovery_notice
from kpi.vn import format_number
from kpi.words import ROLE_LABELS

#: The audit table's row height in px: three lines of text (Streamlit wraps only above 64 px).
AUDIT_ROW_PX = 68

#: The audit's lines a phone lists at most (the newest; the CSV has every line of the filter).
PHONE_AUDIT_LINES = 200


def one_line(command: str) -> str:
    """The sidebar's command to create the first admin on one line (its shell line breaks joined)."""
    return " ".join(command.replace("\\\n", " ").split())


ctx = appkit.context()
# The taught names' table (layout only): a file's name wraps anywhere (it may have no space), the time
# stays on one line.
st.html(
    """<style>
.st-key-adm_names td:is(:nth-child(1), :nth-child(2), :nth-child(6)) p { overflow-wrap: anywhere; }
.st-key-adm_names td:is(:nth-child(3), :nth-child(5)) p { white-space: nowrap !important; }
</style>"""
)
st.title("Quản trị hệ thống")
saved = st.session_state.pop("adm_user_saved", None)
if saved:  # said after the page is drawn again, so the list, the sidebar and this line agree
    st.success(saved)
if not ctx.can("manage_users") and open_mode(ctx.con):
    st.warning(
        "Ứng dụng chưa có quản trị viên. Quản trị viên đầu tiên chỉ tạo được **từ chính máy chủ** (hoặc sau khi "
        "nhập mã thiết lập ở thanh bên), hoặc bằng lệnh "
        f"`{one_line(appkit.app_admin_command(ctx.cfg))}` trong thư mục chương trình trên máy chủ."
    )
    st.stop()
if not ctx.can("manage_users"):
    st.warning(
        "Chỉ **quản trị viên** mới xem được trang này (nhật ký thao tác, người dùng, sao lưu). Hãy đăng nhập "
        "bằng tài khoản quản trị (ô đăng nhập ở thanh bên)."
    )
    st.stop()

notice = recovery_notice(ctx.con)
if notice:
    with st.container(border=True):
        if notice.get("lost"):
            st.markdown("**Phục hồi khi khởi động — có lần tải bị mất.** " + appkit.lost_uploads_text(notice))
        else:
            st.markdown(
                f"**Phục hồi khi khởi động** ({appkit.md(notice['at'])}): nhật ký ghi (WAL) bị hỏng, được giữ riêng "
                f"tại `{notice['wal']}`; cơ sở dữ liệu đã mở ở trạng thái tốt gần nhất. Hãy kiểm tra trang **Dữ liệu** "
                "(nạp lại các tệp bị thiếu từ bản gốc), rồi xác nhận."
            )
        if notice.get("error"):
            st.caption(f"Lỗi của DuckDB: {appkit.md(notice['error'])}")
        if st.button("Đã kiểm tra — ẩn cảnh báo", key="adm_ack", icon=":material/task_alt:"):
            try:
                acknowledge_recovery(ctx.con, ctx.actor)
            except KpiError as exc:
                appkit.show_error(exc)
            else:
                st.rerun()

tab_log, tab_users, tab_backup, tab_names = st.tabs(["Nhật ký thao tác", "Người dùng", "Sao lưu", "Tên đã học"])

with tab_log:
    # the date range gets room for «dd/mm/yyyy – dd/mm/yyyy» (it was cut at 1366 px)
    c1, c2, c3, c4 = st.columns([5, 4, 6, 5])
    actions = c1.multiselect(
        "Hành động",
        audit_actions(ctx.con),
        format_func=lambda a: ACTION_LABELS.get(a, a),
        key="adm_actions",
        placeholder="Tất cả",
    )
    actor = c2.selectbox(
        "Người thực hiện",
        [None, *audit_actors(ctx.con)],
        format_func=lambda a: a or "Tất cả",
        key="adm_actor",
        placeholder="Chọn…",
    )
    dates = c3.date_input("Từ ngày – đến ngày", value=(), format="DD/MM/YYYY", key="adm_dates")
    text = c4.text_input("Tìm trong tên tệp, mã tệp, chi tiết", key="adm_text")
    since = dates[0] if len(dates) >= 1 else None
    until = dates[1] if len(dates) == 2 else since
    log = audit_entries(ctx.con, actions=actions, actor=actor, since=since, until=until, text=text)
    st.caption(f"{format_number(len(log))} dòng (mới nhất trước; tối đa 5.000 dòng mỗi lần xem).")
    if log.empty:  # Streamlit writes "empty" in an empty table: say it in Vietnamese instead
        st.info("Không có dòng nhật ký nào khớp bộ lọc.")
    elif appkit.narrow_screen():  # a phone: one item per line (black-box: a grid to swipe, its toolbar over the count)
        shown = audit_table(log.head(PHONE_AUDIT_LINES), screen=True).drop(columns=["sha256"])
        with st.container(key="adm_log_list"):
            st.markdown(appkit.table_lines(shown, plain=2))
        if len(log) > PHONE_AUDIT_LINES:
            st.caption(f"{PHONE_AUDIT_LINES} dòng mới nhất; tải tệp CSV dưới đây để xem hết.")
    else:
        # The sha256 stays in the CSV. On screen the columns a person reads fit 1366 px (their widths
        # add up to the table's 900 px there, and grow with a wider screen) and a row is tall enough
        # for three lines, so a long file name, reason or detail wraps instead of being cut («→ đang
        # dùn» at 1366 px: Streamlit's grid wraps text only in rows taller than 64 px).
        st.dataframe(
            audit_table(log, screen=True).drop(columns=["sha256"]),
            hide_index=True,
            width="stretch",
            placeholder="",
            row_height=AUDIT_ROW_PX,
            column_config={
                "Thời điểm": st.column_config.TextColumn(width=140),
                "Người thực hiện": st.column_config.TextColumn(width=115),
                "Hành động": st.column_config.TextColumn(width=100),
                "Diễn giải": st.column_config.TextColumn(width=120),
                "Tên tệp": st.column_config.TextColumn(width=180),
                "Chi tiết": st.column_config.TextColumn(width=245),
            },
        )
    st.download_button(
        "Tải nhật ký đang lọc (.csv)",
        data=audit_csv(log),
        file_name=f"nhat-ky-thao-tac-{dt.date.today():%Y%m%d}.csv",
        mime="text/csv",
        key="adm_csv",
        icon=":material/download:",
        on_click="ignore",
    )

with tab_users:
    users = list_users(ctx.con)
    setting_up = open_mode(ctx.con)  # no admin yet: the first user made here is one (kpi.access.auth.add_user)
    if users.empty:
        st.info(
            "Chưa có người dùng nào: ứng dụng đang ở chế độ thiết lập (mọi người xem được, chỉ máy chủ ghi được). "
            "Tạo quản trị viên đầu tiên dưới đây."
        )
    elif setting_up:
        st.info(
            "Chưa có quản trị viên: ứng dụng vẫn ở chế độ thiết lập. Tạo một quản trị viên dưới đây; chế độ thiết "
            "lập kết thúc khi đã có quản trị viên."
        )
    if not users.empty:
        appkit.grid_or_lines(
            pd.DataFrame(
                {
                    "Tên đăng nhập": users["name"],
                    "Vai trò": users["role"].map(ROLE_LABELS),
                    "Đơn vị": users["unit"].fillna(""),
                    "Tạo lúc": pd.to_datetime(users["created_at"]).dt.strftime("%d/%m/%Y %H:%M"),
                    "Tạo bởi": users["created_by"].fillna("").map(actor_words),
                }
            ),
            plain=2,
        )
    with st.form("adm_add_user", clear_on_submit=True):
        st.markdown("**Thêm hoặc đổi người dùng** (cùng tên thì thay vai trò và mật khẩu)")
        a1, a2, a3 = st.columns(3)
        name = a1.text_input(
            "Tên đăng nhập", max_chars=NAME_MAX, help=f"Tối đa {NAME_MAX} ký tự; không bắt đầu bằng «cli:»."
        )
        # in set-up mode only an admin can be made (the others wait until one exists)
        role = a2.selectbox(
            "Vai trò",
            ("admin",) if setting_up else ROLES,
            index=0 if setting_up else 1,
            format_func=lambda r: ROLE_LABELS[r].capitalize(),
            placeholder="Chọn…",
            help="Chưa có quản trị viên: người dùng đầu tiên là quản trị viên; thêm các vai trò khác sau đó."
            if setting_up
            else None,
        )
        unit = a3.text_input("Đơn vị (không bắt buộc)")
        p1, p2 = st.columns(2)
        password = p1.text_input("Mật khẩu (ít nhất 8 ký tự)", type="password")
        again = p2.text_input("Nhập lại mật khẩu", type="password")
        if st.form_submit_button("Lưu người dùng", icon=":material/person_add:"):
            if password != again:
                st.error("Hai lần nhập mật khẩu không khớp.")
            else:
                try:
                    add_user(ctx.con, ctx.actor, name, role, password, unit.strip())
                except (KpiError, ValueError) as exc:
                    st.error(appkit.md(getattr(exc, "message_vi", str(exc))))
                else:
                    # drawn again at once: the first admin ends the setup mode the page and the
                    # sidebar were drawn in (black-box finding: «Chưa có người dùng nào» above this);
                    # «ended» only when an admin now exists (issue 14: said after an editor was made)
                    ended = setting_up and not open_mode(ctx.con)  # from now on, everyone signs in
                    st.session_state["adm_user_saved"] = (
                        f"Đã lưu người dùng «{appkit.md(name.strip())}» ({appkit.md(ROLE_LABELS[role])})."
                        + (" Chế độ thiết lập đã kết thúc: hãy đăng nhập bằng tài khoản này." if ended else "")
                    )
                    st.rerun()
    if not users.empty:
        r1, r2 = st.columns([3, 1])
        gone = r1.selectbox(
            "Xoá người dùng", list(users["name"]), index=None, key="adm_remove_name", placeholder="Chọn…"
        )
        if r2.button("Xoá", key="adm_remove", disabled=gone is None, icon=":material/person_remove:"):
            try:
                remove_user(ctx.con, ctx.actor, gone)
            except KpiError as exc:
                appkit.show_error(exc)
            else:
                if gone == ctx.actor:
                    st.session_state.pop("kpi_user", None)
                st.rerun()
    st.caption(
        "Vai trò: xem (chỉ xem), cập nhật số liệu (tải lên, rút báo cáo của mình), quản trị (chỉ tiêu, đơn vị, "
        "người dùng, khôi phục phiên bản, sao lưu)."
    )

with tab_backup:
    st.markdown(
        "Sao lưu tạo một bản sao nhất quán của cơ sở dữ liệu **trong khi ứng dụng vẫn chạy** (việc nạp tệp chờ "
        "vài giây). Bản sao này không gồm các tệp gốc đã tải lên: chúng nằm trong thư mục lưu tệp gốc, cạnh cơ "
        f"sở dữ liệu ({appkit.md(str(ctx.cfg.raw_dir))}); hãy sao chép cả thư mục đó."
    )
    if st.button("Sao lưu ngay", type="primary", key="adm_backup", icon=":material/backup:"):
        try:
            made = backup_to_file(ctx.con, default_backup_path(ctx.cfg), ctx.actor)
        except KpiError as exc:
            appkit.show_error(exc)
        else:
            st.session_state["adm_last_backup"] = str(made.path)
            st.success(
                f"Đã sao lưu: `{made.path}` ({format_number(round(made.size_bytes / 1048576, 1))} MB; "
                f"{format_number(made.counts['submissions'])} lần tải, "
                f"{format_number(made.counts['observations'])} số liệu)."
            )
    backups = list_backups(ctx.cfg)
    if backups:
        appkit.grid_or_lines(
            pd.DataFrame(
                {
                    "Tệp sao lưu": [str(p) for p, _s, _t in backups],
                    "Dung lượng (MB)": [format_number(round(s / 1048576, 1)) for _p, s, _t in backups],
                    "Lúc": [t.strftime("%d/%m/%Y %H:%M:%S") for _p, _s, t in backups],
                }
            ),
            plain=0,
        )
        newest = backups[0][0]
        st.download_button(
            f"Tải bản sao lưu mới nhất ({newest.name})",
            data=newest.read_bytes,
            file_name=newest.name,
            mime="application/octet-stream",
            key="adm_backup_download",
            icon=":material/download:",
            on_click="ignore",
        )
    st.caption(
        "Khôi phục từ một bản sao lưu do người phụ trách máy chủ làm khi ứng dụng đã dừng, theo hướng dẫn vận "
        "hành máy chủ; dữ liệu đang dùng được giữ lại bên cạnh, không mất."
    )

with tab_names:  # names taught at upload («Đây là: …», kpi.aliases, issue 13)
    from kpi.aliases import KINDS, list_aliases, remove_alias

    taught = list_aliases(ctx.con)
    if taught.empty:
        st.info("Chưa có tên nào được học. Khi tải tệp lên, chọn «Đây là: …» cho tên chưa khớp kế hoạch.")
    else:
        shown = pd.DataFrame(
            {
                "Tên trong tệp": taught["written"],
                "Là": taught["target"],
                "Loại": [KINDS[k][2] for k in taught["kind"]],
                "Người dạy": taught["added_by"].map(actor_words),
                "Lúc": [t.strftime("%d/%m/%Y %H:%M") for t in taught["added_at"]],
                "Từ tệp": taught["file_name"],
            }
        )
        if appkit.narrow_screen():
            st.markdown(appkit.table_lines(shown, 0))
        else:  # a table that wraps: the grid cut «Từ tệp» and scrolled sideways at 1366 px (black-box)
            with st.container(key="adm_names"):
                st.table(shown.fillna("").astype(str).map(appkit.md), hide_index=True)
        labels = {(r.kind, r.written): f"{KINDS[r.kind][2]}: «{r.written}» → «{r.target}»" for r in taught.itertuples()}
        gone = st.selectbox(
            "Xoá tên đã học",
            [None, *labels],
            format_func=lambda k: "Chọn…" if k is None else labels[k],
            key="adm_alias_gone",
            placeholder="Chọn…",
        )
        if st.button("Xoá", key="adm_alias_remove", disabled=gone is None, icon=":material/delete:"):
            try:
                message = remove_alias(ctx.con, ctx.actor, gone[0], gone[1])
            except KpiError as exc:
                appkit.show_error(exc)
            else:
                appkit.toast_done(message)
                st.rerun()
