"""Kế hoạch & chỉ tiêu: the year's targets and their history; reading a plan document into a
target table that an admin reviews, edits and confirms; a new year from the previous one.

Admins only (everyone else is told who can). Nothing is stored until a button says so; every
change goes to kpi.plans.source, which keeps the history.
"""

import datetime as dt

import pandas as pd
import streamlit as st

import appkit
from appkit.plan_grid import PHONE_NAME_PX, PROPOSAL_WRAPPED_PX, plan_grid
from kpi.access.audit import actor_words
from kpi.errors import KpiError, PlanError
from kpi.plans.review import key_suggestions, other_district, with_chosen_keys
from kpi.plans.source import (
    FIELD_WORDS,
    change_lines,
    confirm_plan,
    copy_plan,
    editor_frame,
    plan_differences,
    plan_documents,
    plan_meta,
    plan_rows,
    proposal_rows,
    propose_plan,
    rows_from_editor,
    target_history,
    value_words,
)
from kpi.plans.text import read_plan_document, text_document
from kpi.vn import format_date
from kpi.words import PLAN_MATCH_HINTS, PLAN_MATCH_WORDS, PLAN_NEW_WORDS

ctx = appkit.context()
st.title("Kế hoạch & chỉ tiêu")
if not ctx.can("edit_targets"):
    st.warning(
        "Chỉ **quản trị viên** mới xem và sửa được trang này. Hãy đăng nhập bằng tài khoản quản trị "
        "(ô đăng nhập ở thanh bên)."
    )
    st.stop()

#: The hint under the proposal: what «Khớp mã» says, and each word a clerk may not guess.
MATCH_HINT = (
    "«Khớp mã»: chỉ tiêu đã có trong kế hoạch trước (giữ mã để so sánh giữa các năm); mã trống là chỉ tiêu mới. "
    + " ".join(f"«{PLAN_MATCH_WORDS[how].capitalize()}»: {hint}" for how, hint in PLAN_MATCH_HINTS.items())
)


#: The columns of «Những đoạn chưa hiểu», which wrap too (a plan's line, why it is listed).
UNPARSED_PX = {"Nội dung": (480, 480), "Vì sao": (300, 300)}


def key_choices(proposal, suffix: str) -> dict[int, str | None]:
    """One click to accept a key the reader suggests («có thể là TD06 hoặc TD07»): a choice of
    those keys per new target that may be one of last year's (:func:`key_suggestions`); none
    chosen, it stays new. What is chosen goes into the rows stored (:func:`with_chosen_keys`)."""
    suggestions = key_suggestions(proposal)
    if not suggestions:
        return {}
    st.markdown("**Có thể là chỉ tiêu năm trước** — bấm mã nếu đúng (không bấm: chỉ tiêu mới, được cấp mã khi lưu):")
    choices = {}
    for i, keys in suggestions.items():
        t = proposal.targets[i]
        # «dòng … của văn bản»: a line of the text read, never a row of the grid («hàng … của bảng»)
        choices[i] = st.segmented_control(
            f"Dòng {t.number} của văn bản: {t.name}", list(keys), key=f"plan_rd_pick_{suffix}_{i}"
        )
    return choices


def show_changes(changes: pd.DataFrame, replaced: bool) -> None:
    if changes.empty:
        st.info("Không có thay đổi nào so với kế hoạch đang lưu.")
        return
    if not replaced:
        st.caption(f"Năm này chưa có kế hoạch: sẽ tạo mới với {len(changes)} chỉ tiêu.")
        return
    st.markdown(f"**{len(changes)} thay đổi so với kế hoạch đang lưu** (sẽ ghi vào lịch sử):")
    st.dataframe(
        pd.DataFrame({"Thay đổi": change_lines(changes)}),
        hide_index=True,
        width="stretch",
        key=f"chg_{id(changes)}",
        placeholder="",
    )


def meta_inputs(prefix: str, meta: dict) -> dict:
    """The plan's identity, editable: title, number, date, issuing authority."""
    a, b, c = st.columns([3, 1, 1])
    # a box as tall as the name: a one-line input cut it on a phone («…thi đua yêu nước năm 202»)
    title = a.text_area("Tên kế hoạch", value=meta.get("title") or "", key=f"{prefix}_title", height="content")
    number = b.text_input(
        "Số văn bản", value=meta.get("doc_number") or "", key=f"{prefix}_number", placeholder="15/KH-UBND"
    )
    date = c.date_input(
        "Ngày văn bản",
        value=meta.get("doc_date"),
        key=f"{prefix}_date",
        format="DD/MM/YYYY",
        min_value=dt.date(2000, 1, 1),
    )
    d, e = st.columns(2)
    authority = d.text_input("Cơ quan ban hành", value=meta.get("authority") or "", key=f"{prefix}_authority")
    district = e.text_input("Địa bàn", value=meta.get("district") or "", key=f"{prefix}_district")
    out = {"title": title, "doc_number": number, "doc_date": date, "authority": authority, "district": district}
    for k in ("authority_upper", "province", "place"):
        if meta.get(k):
            out[k] = meta[k]
    if authority and authority != meta.get("authority"):
        out["authority_upper"] = authority.upper()
    return out


flash = st.session_state.pop("plan_flash", None)
if flash:
    st.success(flash)

years = ctx.years
meta_now = plan_meta(ctx.con, ctx.year)
st.caption(
    f"{appkit.md(meta_now.get('title') or '')} — {appkit.md(meta_now.get('authority') or '')}"
    + (f" · số {appkit.md(meta_now['doc_number'])}" if meta_now.get("doc_number") else "")
    + (f" ngày {format_date(meta_now['doc_date'])}" if meta_now.get("doc_date") else "")
)
#: The tabs, short enough to fit a phone's width and a laptop's in one row (issue 14: «Lịch sử thay
#: đổi» a sideways scroll away at 390 px).
TABS = [f"Chỉ tiêu {ctx.year}", "Đọc văn bản", "Năm mới", "Lịch sử"]
tab_targets, tab_read, tab_new, tab_history = st.tabs(
    TABS,
    key="plan_tab",
    on_change="rerun",  # a tab's content is drawn when it is chosen, not on every visit (issue 17)
)

# -- the year's targets: edit with a reason ---------------------------------------------------
with tab_targets:
    st.markdown(
        "Sửa trực tiếp trong bảng (thêm dòng ở cuối, xoá dòng bằng ô chọn bên trái), ghi **lý do**, xem các "
        "thay đổi rồi bấm **Lưu thay đổi**. Mọi thay đổi được ghi vào lịch sử: ai sửa, sửa gì, lúc nào, vì sao."
    )
    edited_meta = meta_inputs(f"plan_ed_{ctx.year}_{ctx.version}", meta_now)
    rows = plan_rows(ctx.con, ctx.year)
    shown_rows = editor_frame(rows)
    # a phone reads a list (the grid, name and one column, is for editing), its rows as tall as its
    # longest name needs
    phone, narrow, row_px = appkit.narrow_screen(), {}, appkit.WRAPPED_ROW_PX
    if phone:
        narrow, row_px = appkit.wrapped_layout(shown_rows, {"name": (PHONE_NAME_PX, PHONE_NAME_PX)})
        st.container(key="plan_list").markdown(appkit.proposal_lines(shown_rows))
    with st.expander("Sửa trong bảng") if phone else st.container():
        grid_key = ("plan_editor_", f"{ctx.year}_{ctx.version}")
        edited = plan_grid(shown_rows, False, narrow, row_px, grid_key, phone)
    reason = st.text_input(
        "Lý do thay đổi", key="plan_ed_reason", placeholder="Ví dụ: Nghị quyết HĐND điều chỉnh dự toán"
    )
    try:
        changes = plan_differences(ctx.con, ctx.year, rows_from_editor(edited), edited_meta, ctx.cfg.data_dir)
    except PlanError as exc:
        st.error(exc.message_vi)
        changes = None
    if changes is not None:
        show_changes(changes, replaced=True)
        if not changes.empty:
            if not reason.strip():
                st.caption("Hãy ghi lý do thay đổi để lưu.")
            if st.button("Lưu thay đổi", type="primary", disabled=not reason.strip(), key="plan_ed_save"):
                try:
                    saved = confirm_plan(
                        ctx.con,
                        ctx.year,
                        rows_from_editor(edited),
                        ctx.actor,
                        meta=edited_meta,
                        reason=reason.strip(),
                        action="edit",
                        data_dir=ctx.cfg.data_dir,
                    )
                except KpiError as exc:
                    appkit.show_error(exc)
                else:
                    st.session_state["plan_flash"] = saved.message
                    st.rerun()

# -- read a plan document: propose, review, edit, confirm -------------------------------------
with tab_read:
    if tab_read.open:  # drawn only when chosen (issue 17: the closed tabs were ≈ 140 ms a visit)
        st.markdown(
            "Tải lên văn bản kế hoạch (.docx, .txt, .md) hoặc dán nội dung. Chương trình đề xuất bảng chỉ tiêu "
            "(số, đơn vị, khoảng, chiều, nhóm); hãy kiểm tra, sửa rồi **xác nhận**. Chưa xác nhận thì chưa lưu gì."
        )
        a, b = st.columns([1, 3])
        target_year = a.number_input(
            "Năm của kế hoạch", min_value=2000, max_value=2100, value=ctx.year, step=1, key="plan_rd_year"
        )
        upload = b.file_uploader("Văn bản kế hoạch", type=["docx", "txt", "md"], key="plan_rd_file")
        pasted = st.text_area("… hoặc dán nội dung kế hoạch", height=160, key="plan_rd_text")
        if st.button("Đọc chỉ tiêu", key="plan_rd_go", disabled=upload is None and not pasted.strip()):
            try:
                document = (
                    read_plan_document(upload.getvalue(), upload.name) if upload is not None else text_document(pasted)
                )
                proposal = propose_plan(ctx.con, int(target_year), document, ctx.cfg.data_dir)
            except KpiError as exc:
                appkit.show_error(exc)
            else:
                st.session_state["plan_proposal"] = {"year": int(target_year), "proposal": proposal}
        held = st.session_state.get("plan_proposal")
        if held:
            proposal, year = held["proposal"], held["year"]
            doc = proposal.document
            st.subheader(f"Đề xuất từ «{appkit.md(doc.file_name)}» cho năm {year}")
            if proposal.meta.get("year") and proposal.meta["year"] != year:
                st.warning(
                    f"Văn bản ghi năm {proposal.meta['year']} nhưng đang chọn năm {year}. Nếu sai, hãy sửa ô "
                    "«Năm của kế hoạch» rồi bấm «Đọc chỉ tiêu» lại."
                )
            elsewhere = other_district(ctx.con, proposal)
            if elsewhere:
                st.warning(elsewhere)
            if not proposal.targets:
                st.warning(
                    "Không tìm thấy chỉ tiêu nào. Văn bản cần có mục «Mục tiêu cụ thể» / «Các chỉ tiêu…», "
                    "hoặc bảng có cột «Chỉ tiêu» và cột «Kế hoạch»."
                )
            else:
                where = "; ".join(proposal.sections) or "toàn văn bản (không thấy mục «Mục tiêu cụ thể»)"
                st.caption(f"{len(proposal.targets)} chỉ tiêu, đọc từ: {appkit.md(where)}.")
                asked = [t.name for t in proposal.targets if not t.group]
                if asked:
                    st.warning(
                        f"**{len(asked)} chỉ tiêu chưa rõ thuộc nhóm nào** (không ở dưới đề mục nhóm nào, tên chỉ tiêu "
                        "không nói lên nhóm): hãy chọn ở cột «Nhóm» trước khi xác nhận — "
                        + appkit.md("; ".join(asked[:5]) + (" …" if len(asked) > 5 else ""))
                    )
            if proposal.unparsed:
                with st.expander(
                    f"Những đoạn chưa hiểu ({len(proposal.unparsed)}) — kiểm tra xem có chỉ tiêu nào bị sót"
                ):
                    left = pd.DataFrame(
                        {
                            "Dòng": [u.number for u in proposal.unparsed],
                            "Nội dung": [u.text for u in proposal.unparsed],
                            "Vì sao": [u.why_text for u in proposal.unparsed],
                        }
                    )
                    left_px, left_row_px = appkit.wrapped_layout(left, UNPARSED_PX)
                    # a phone: «**the line** — why · dòng 20», «Vì sao» a swipe away in the grid (black-box)
                    with st.container(key="plan_rd_left"):
                        appkit.grid_or_lines(
                            left,
                            last="Dòng",
                            column_config={
                                "Dòng": st.column_config.NumberColumn(
                                    "Dòng", width=60, help="Dòng của văn bản kế hoạch."
                                ),
                                **{c: st.column_config.TextColumn(c, width=px) for c, px in left_px.items()},
                            },
                            row_height=left_row_px,
                            height=38 + min(len(left), 6) * left_row_px,  # its rows in view, six at most
                        )
            if proposal.targets:
                base = plan_meta(ctx.con, year) or {}
                proposed_meta = {**base, **{k: v for k, v in proposal.meta.items() if v}}
                meta = meta_inputs(f"plan_rd_{doc.sha256[:8]}_{year}", proposed_meta)
                proposed = editor_frame(proposal_rows(proposal), proposal)
                proposed["match"] = proposed["match"].map(lambda m: PLAN_MATCH_WORDS.get(m, PLAN_NEW_WORDS))
                phone = appkit.narrow_screen()
                listed = (
                    st.container(key="plan_rd_list") if phone else None
                )  # a phone reads a list, the grid is for editing
                wrapped = PROPOSAL_WRAPPED_PX | ({"name": (PHONE_NAME_PX, PHONE_NAME_PX)} if phone else {})
                widths, row_px = appkit.wrapped_layout(proposed, wrapped)
                with st.expander("Sửa trong bảng") if phone else st.container():
                    grid_key = ("plan_rd_editor_", f"{doc.sha256[:12]}_{year}")
                    frame = plan_grid(proposed, True, widths, row_px, grid_key, phone)
                frame = with_chosen_keys(
                    frame, key_choices(proposal, f"{doc.sha256[:12]}_{year}"), key_suggestions(proposal)
                )
                if listed is not None:
                    listed.markdown(appkit.proposal_lines(frame))
                st.caption(MATCH_HINT)
                rows = rows_from_editor(frame)
                try:
                    changes = plan_differences(ctx.con, year, rows, meta, ctx.cfg.data_dir)
                except PlanError as exc:
                    st.error(exc.message_vi)
                    changes = None
                if changes is not None:
                    replaced = year in years
                    if replaced:
                        st.warning(f"Năm {year} đã có kế hoạch: xác nhận sẽ **thay** kế hoạch đó bằng bảng này.")
                    show_changes(changes, replaced)
                    reason = st.text_input(
                        "Lý do", value=f"nạp từ «{doc.file_name}»", key=f"plan_rd_reason_{doc.sha256[:12]}"
                    )
                    if st.button("Xác nhận và lưu", type="primary", key="plan_rd_confirm"):
                        try:
                            saved = confirm_plan(
                                ctx.con,
                                year,
                                rows,
                                ctx.actor,
                                meta={**meta, "source": doc.file_name},
                                reason=reason.strip(),
                                document=doc,
                                data_dir=ctx.cfg.data_dir,
                            )
                        except KpiError as exc:
                            appkit.show_error(exc)
                        else:
                            st.session_state.pop("plan_proposal", None)
                            st.session_state["plan_flash"] = saved.message
                            st.session_state["kpi_year"] = year
                            st.rerun()

# -- a new year from the previous one -----------------------------------------------------------
with tab_new:
    if tab_new.open:  # drawn only when chosen (issue 17: the closed tabs were ≈ 140 ms a visit)
        st.markdown(
            "Kế hoạch năm mới bắt đầu bằng bản sao kế hoạch một năm trước (cùng mã chỉ tiêu, cùng danh mục đơn vị), "
            f"rồi sửa ở thẻ «{TABS[0]}» hoặc nạp văn bản kế hoạch năm mới ở thẻ «{TABS[1]}»."
        )
        a, b = st.columns(2)
        source_year = a.selectbox(
            "Sao chép từ năm", sorted(years, reverse=True), key="plan_new_from", placeholder="Chọn…"
        )
        new_year = b.number_input(
            "Năm mới", min_value=2000, max_value=2100, value=max(years) + 1, step=1, key="plan_new_year"
        )
        if int(new_year) in years:
            st.info(f"Năm {int(new_year)} đã có kế hoạch.")
        elif st.button(f"Tạo kế hoạch năm {int(new_year)} từ năm {source_year}", key="plan_new_go"):
            try:
                saved = copy_plan(ctx.con, int(source_year), int(new_year), ctx.actor)
            except KpiError as exc:
                appkit.show_error(exc)
            else:
                st.session_state["plan_flash"] = saved.message + " Hãy sửa các chỉ tiêu của năm mới."
                st.session_state["kpi_year"] = int(new_year)
                st.rerun()

# -- history: who changed what, when, why; the plan documents ---------------------------------
with tab_history:
    if tab_history.open:  # drawn only when chosen (issue 17: the closed tabs were ≈ 140 ms a visit)
        history = target_history(ctx.con, ctx.year)
        if history.empty:
            st.info(f"Kế hoạch năm {ctx.year} chưa có thay đổi nào kể từ khi nạp.")
        else:
            # a phone: one line per change, «Lý do» a swipe away in the grid (issue 14)
            appkit.grid_or_lines(
                pd.DataFrame(
                    {
                        "Lúc": history["changed_at"].dt.strftime("%d/%m/%Y %H:%M"),
                        "Người sửa": history["actor"],
                        "Mã": history["key"].fillna(""),
                        "Nội dung": history["field"].map(lambda f: FIELD_WORDS.get(f, f)),
                        "Trước": [
                            value_words(f, v) for f, v in zip(history["field"], history["old_value"], strict=True)
                        ],
                        "Sau": [value_words(f, v) for f, v in zip(history["field"], history["new_value"], strict=True)],
                        "Lý do": history["reason"].fillna(""),
                    }
                )
            )
        documents = plan_documents(ctx.con, ctx.year)
        for doc in documents.itertuples():
            when = pd.Timestamp(doc.stored_at).strftime("%d/%m/%Y %H:%M") if doc.stored_at is not None else ""
            with st.expander(
                f"Văn bản kế hoạch (bản {doc.version}): {doc.file_name} — lưu {when} bởi {actor_words(doc.stored_by)}"
            ):
                st.download_button(
                    "Tải văn bản (.txt)",
                    data=(doc.text or "").encode("utf-8"),
                    file_name=f"ke-hoach-{ctx.year}-ban-{doc.version}.txt",
                    key=f"plan_doc_{doc.version}",
                )
                st.text(doc.text or "")
