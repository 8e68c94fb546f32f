"""Dữ liệu: every submission by subject and period, its sender, document date and status; the history of
corrections; who has reported."""

import pandas as pd
import streamlit as st

import appkit
from kpi.access.audit import actor_words
from kpi.errors import KpiError
from kpi.file_names import clean_file_name
from kpi.preview import labelled_stored_changes
from kpi.reporting.completeness import completeness
from kpi.reporting.obligations import obligations
from kpi.storage.figures import figure_subjects, issues_of, subjects_text, submission_changes, submissions
from kpi.storage.replaced import history_lines
from kpi.submissions import can_withdraw, restore_submission, withdraw_submission
from kpi.vn import format_date, format_number, period_words
from kpi.words import FILE_KIND_WORDS, STATUS_WORDS, report_period_words

ctx = appkit.context()
#: The files a year's table shows in full; more scroll within a box of their own.
FILES_IN_VIEW = 25
# The tables of the page (layout only): the files' table wraps names between words (a file name,
# without spaces, anywhere), keeps periods, statuses and times on one line, and only a year of more
# than FILES_IN_VIEW files scrolls within a box under its headings (nine files in a box cut the last
# row in half at 1366 px, black-box); a window narrower than a phone's measured one shows the file,
# its period, its status and its figures (a phone gets a list instead, the rest in the chosen file's
# details); a name longer than the phone's line wraps within it. The reporting table wraps the units' names
# and keeps each quarter's word on one line; on a phone it leaves out the block and wraps them.
st.html(
    """<style>
.st-key-data_subs_scroll [data-testid="stTable"] > div { max-height: 30rem; overflow-y: auto; }
.st-key-data_subs th { position: sticky; top: 0; z-index: 1; background: #fcfcfb; }
.st-key-data_subs td:nth-child(2) p { overflow-wrap: anywhere; }
.st-key-data_subs td:is(:nth-child(3), :nth-child(4), :nth-child(8)) p { white-space: nowrap !important; }
.st-key-data_subs :is(th, td):is(:nth-child(5), :nth-child(6)) { text-align: right !important; }
.st-key-data_done td:nth-child(n+3) p { white-space: nowrap !important; }
.st-key-data_subs_list p, .st-key-data_subs_list li { overflow-wrap: anywhere; }
@media screen and (max-width: 700px) {
  .st-key-data_subs :is(th, td):is(:nth-child(1), :nth-child(6), :nth-child(7), :nth-child(8)) { display: none; }
  .st-key-data_subs td:nth-child(3) p { white-space: normal !important; min-width: 6.5em; }
  .st-key-data_done :is(th, td):nth-child(2) { display: none; }
  .st-key-data_done td:nth-child(n+3) p { white-space: normal !important; }
}
</style>"""
)
st.title("Dữ liệu đã nạp")
flash = st.session_state.pop("data_flash", None)
if flash:
    st.success(appkit.md(flash))
subs = submissions(ctx.con, ctx.year)
subs["file_name"] = subs["file_name"].map(clean_file_name)  # names stored before names were cleaned
if subs.empty:
    st.info(f"Chưa có tệp nào của năm {ctx.year}. Vào trang **Tải lên báo cáo** để nạp báo cáo.")
else:
    st.caption(
        f"{len(subs)} lần tải của năm {ctx.year}; bản đang dùng được tính, bản bị thay và bản đã rút vẫn được giữ."
    )
    # A table that wraps (Streamlit's grid cut «Số liệu của» and hid five columns behind a sideways
    # scroll at 1366 px): what a clerk looks for first — which file, which period, in use or not,
    # how many figures and warnings, whose figures, when —; the sender, the document's date, who
    # uploaded it and the note are in the chosen file's details below. On a phone a list, one line
    # per file: its name, period, status and figures (appkit.submission_lines), the rest in the details.
    if appkit.narrow_screen():  # a phone: one item per file (black-box: names broken letter by letter)
        with st.container(key="data_subs_list"):
            st.markdown(appkit.submission_lines(subs))
    else:
        with (
            st.container(key="data_subs"),
            st.container(key=f"data_subs_{'scroll' if len(subs) > FILES_IN_VIEW else 'all'}"),
        ):
            st.table(
                pd.DataFrame(
                    {
                        "Lần": [appkit.md(f"#{i}") for i in subs["submission_id"]],
                        "Tệp": [appkit.md(n) for n in subs["file_name"]],
                        "Kỳ": [report_period_words(y, q) for y, q in zip(subs["year"], subs["quarter"], strict=True)],
                        "Trạng thái": subs["status"].map(STATUS_WORDS),
                        "Số liệu": [format_number(n) for n in subs["n_figures"]],
                        "Cảnh báo": [format_number(n) for n in subs["n_warnings"]],
                        "Số liệu của": [appkit.md(u) for u in subs["subject"].fillna("")],
                        "Tải lên": subs["uploaded_at"].dt.strftime("%d/%m/%Y %H:%M"),
                    }
                ),
                hide_index=True,
            )

    st.subheader("Chi tiết và lịch sử điều chỉnh")
    chosen = st.selectbox(
        "Lần tải",
        list(subs["submission_id"]),
        key="data_sub",
        format_func=lambda i: f"#{i} — {subs.set_index('submission_id').loc[i, 'file_name']}",
        placeholder="Chọn…",
    )
    sub = subs.set_index("submission_id").loc[chosen]
    st.markdown(
        # no «mã tệp» (a hash) for a clerk: the admin page's search still finds a file by it
        f"**{appkit.md(sub['file_name'])}** · {appkit.md(STATUS_WORDS[sub['status']])}  \n"
        + " · ".join(
            f"{label}: {appkit.md(value)}"
            for label, value in (
                ("Loại", FILE_KIND_WORDS.get(sub["file_kind"], "")),
                ("Kỳ", report_period_words(sub["year"], sub["quarter"])),
                ("Số liệu của", subjects_text(sub["subject"], figure_subjects(ctx.con, int(chosen)))),
                ("Cơ quan gửi", sub["sender"] if pd.notna(sub["sender"]) else ""),
                ("Ngày văn bản", format_date(sub["doc_date"]) if pd.notna(sub["doc_date"]) else ""),
                ("Tải lên", f"{sub['uploaded_at']:%d/%m/%Y %H:%M} bởi {actor_words(sub['uploaded_by'])}"),
                ("Gồm", appkit.upload_counts(sub)),  # no «0 cảnh báo» beside a note (black-box)
                ("Ghi chú", sub["status_note"] if pd.notna(sub["status_note"]) else ""),
            )
            if value
        )
    )
    # what the file says it replaces, and the stored report that says it replaces this one
    links = history_lines(ctx.con, int(chosen))
    if links:
        st.markdown("\n".join(f"- **{label}** {appkit.md(text)}" for label, text in links))
    changes = submission_changes(ctx.con, int(chosen))
    if len(changes):
        st.markdown(f"**Đã điều chỉnh so với báo cáo trước** (lần tải #{int(changes['previous_id'].iloc[0])}):")
        with st.container(key="data_chg"):  # as the preview showed it before saving: a phone shows it whole
            st.table(labelled_stored_changes(ctx.con, changes, ctx.year).map(appkit.md), hide_index=True)
    else:
        st.caption("Không có bản trước của cùng cơ quan, đối tượng và kỳ.")
    warnings = issues_of(ctx.con, int(chosen))
    if len(warnings):
        table = pd.DataFrame(
            {
                "Mức": warnings["severity"].map({"warning": "Cảnh báo", "info": "Ghi chú"}),
                "Ô": warnings["cell"].fillna(""),
                "Nội dung": warnings["message"],
            }
        )
        if len(table) <= 30:  # sentences: a table that wraps them, never cut mid-word
            st.table(table, hide_index=True)
        else:
            st.dataframe(table, hide_index=True, width="stretch", placeholder="")
    c1, c2 = st.columns(2)
    if sub["status"] != "withdrawn" and can_withdraw(ctx.con, ctx.actor, int(chosen)):
        # Two steps: the button opens the confirmation, which needs a reason (kept in the status
        # note and the logs).
        with c1.popover("Rút lần tải này", icon=":material/undo:"):
            with st.form(f"data_withdraw_form_{chosen}", border=False):
                st.markdown(
                    f"Rút lần tải **#{int(chosen)}** ({appkit.md(sub['file_name'])}): số liệu của nó thôi được tính, "
                    "bản trước của cùng cơ quan, đối tượng và kỳ (nếu có) được dùng lại. Không xoá gì; có thể khôi "
                    "phục sau."
                )
                why = st.text_input(
                    "Lý do rút", key=f"data_withdraw_reason_{chosen}", placeholder="Ví dụ: gửi nhầm tệp, số liệu sai"
                )
                if st.form_submit_button("Xác nhận rút", type="primary", key="data_withdraw"):
                    try:
                        done = withdraw_submission(ctx.con, int(chosen), ctx.actor, reason=why, require_reason=True)
                    except KpiError as exc:
                        appkit.show_error(exc)
                    else:
                        st.session_state["data_flash"] = done
                        st.rerun()
    if (
        sub["status"] != "active"
        and ctx.can("restore")
        and c2.button("Khôi phục làm bản đang dùng", key="data_restore")
    ):
        try:
            done = restore_submission(ctx.con, int(chosen), ctx.actor, reason="khôi phục từ trang Dữ liệu")
        except KpiError as exc:
            appkit.show_error(exc)
        else:
            st.session_state["data_flash"] = done
            st.rerun()

st.subheader("Tình hình báo cáo của các đơn vị")
try:
    owed = obligations(ctx.con, ctx.year, ctx.cfg.data_dir)
except KpiError as exc:  # the plan's obligations.csv is wrong: say where, show no table
    appkit.show_error(exc)
    st.stop()
comp = completeness(ctx.con, ctx.year, ctx.quarter, owed=owed)
if comp.empty:
    st.info("Không có đơn vị nào phải báo cáo trong các kỳ đã chọn.")
else:
    pivot = comp.pivot(index=["unit", "block"], columns="period", values="status_label").reset_index()
    pivot = pivot.rename(
        columns={"unit": "Đơn vị", "block": "Khối thi đua"} | {p: period_words(p) for p in comp["period"]}
    )
    with st.container(key="data_done"):  # a table that wraps the units' names (see the style above)
        st.table(pivot.fillna("").map(appkit.md), hide_index=True)
late = comp[comp["status"] == "late"]
st.caption(
    f"Hạn báo cáo: 15 ngày sau khi hết quý. {late['unit'].nunique()} đơn vị chậm ít nhất một kỳ. "
    "Một đơn vị được coi là đã báo cáo khi nó là cơ quan gửi hoặc là đối tượng của một báo cáo đang dùng."
)
st.caption(appkit.md(owed.rule))
