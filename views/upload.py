"""Tải lên báo cáo: upload → preview (sheet, period, subject, columns, rows, problems) → confirm → stored."""

import hashlib
import json

import pandas as pd
import streamlit as st

import appkit
from appkit import saved_entry, saved_in_session, upload_state
from kpi.errors import KpiError
from kpi.file_names import clean_file_name
from kpi.ingest import commit, log_refusal, prepare
from kpi.output.template import template_file_name, write_template
from kpi.preview import (
    figure_formats,
    file_kind_label,
    history_differences,
    history_only,
    labelled_changes,
    labelled_differences,
    labelled_observations,
    period_badge_words,
    plan_names,
    planned_changes,
    preview_effect,
    register_effect,
    report_sheet_choices,
    stored_state_words,
    warnings_heading,
)
from kpi.reading.checks import INFO, scale_offered
from kpi.reading.notes import folded_notes
from kpi.reading.register_open import REGISTER_COLUMN_WORDS, REGISTER_NEEDS, register_mapping_complete
from kpi.reading.registers import award_doubts, register_preview
from kpi.reading.report_sheets import ImportOptions
from kpi.reading.same_meaning import column_choices
from kpi.reading.workbook import col_letter
from kpi.storage.awards import roll_naming
from kpi.storage.catalogue import load_catalogue
from kpi.vn import format_number, period_words
from kpi.words import ALIAS_MATCH_WORDS, SAVE_STATUS_WORDS

ROW_STATUS = {
    "matched": "khớp chỉ tiêu",
    "not_in_plan": "không thuộc kế hoạch — không lưu",
    "section": "dòng mục",
    "note": "ghi chú, chữ ký — không phải chỉ tiêu",
    "duplicate": "trùng — không dùng",
    "hidden": "dòng ẩn — không dùng",
    "empty": "không có tên",
}
#: A row named near the plan's indicators while the file is held for it (``Prepared.near_rows``).
ROW_WAITING = "chưa khớp — chờ bạn chọn «Đây là: …» hoặc «lưu, các dòng này không tính»"
MATCH_HOW = {
    "exact": "đúng tên",
    "alias": ALIAS_MATCH_WORDS,
    "loose": "gần đúng",
    "folded": "khi bỏ dấu (kiểm tra!)",
    "key": "theo mã",
    "abbreviation": "theo chữ viết tắt",
    "similar": "gần giống (kiểm tra!)",
    "": "",
}

#: The preview's figures in the order a clerk checks them: which indicator, which figure, of
#: which period, of what kind; then what the file wrote, where and for whom.
FIGURE_COLUMNS = [
    "Chỉ tiêu",
    "Số (đơn vị kế hoạch)",
    "Kỳ",
    "Loại số",
    "Số ước",
    "Ghi trong tệp",
    "Đơn vị ghi",
    "Ô",
    "Đối tượng",
]


def figure_lines(figures: pd.DataFrame, units: dict, district: str | None) -> str:
    """The figures to be saved on a phone, where the table's later columns needed a sideways
    swipe: one Markdown line each, "**Tổng vốn đầu tư toàn xã hội** 2.438,3 tỷ đồng — Quý III/2024 ·
    lũy kế · tệp ghi 2.438.300 Triệu đồng · ô F9", the parts a row lacks left out, the reporting unit only when it
    is not the district (``units``: ``{key: (unit, …)}`` of :func:`kpi.preview.figure_formats`)."""
    lines = []
    for r in figures.fillna("").to_dict("records"):
        unit = (units.get(r["Mã"]) or ("",))[0] or ""
        head = f"**{appkit.md(r['Chỉ tiêu'])}** " + appkit.md(f"{r['Số (đơn vị kế hoạch)']} {unit}".strip())
        parts = [" · ".join(p for p in (r["Kỳ"], r["Loại số"]) if p) + (f" ({r['Số ước']})" if r["Số ước"] else "")]
        written, written_unit = str(r["Ghi trong tệp"]), str(r["Đơn vị ghi"])
        if written:  # «33 %» already says its unit
            parts.append(
                f"tệp ghi {written}"
                + ("" if not written_unit or written.endswith(written_unit) else f" {written_unit}")
            )
        parts.append(f"ô {r['Ô']}" if r["Ô"] else "")
        parts.append("" if r["Đối tượng"] == district else str(r["Đối tượng"]))
        lines.append(f"- {head} — " + " · ".join(appkit.md(p) for p in parts if p))
    return "\n".join(lines)


ctx = appkit.context()
catalogue = load_catalogue(ctx.con, ctx.year)
# The preview's tables (layout only): long ones scroll within 30 rem under their headings; a
# figure, a period, a cell's address stay on one line (a period wraps on a phone, so the
# indicator, the figure, its period and its kind fit its width); names wrap between words.
st.html(
    """<style>
:is([class*="st-key-up_figs_"], [class*="st-key-up_rows_"], [class*="st-key-up_reg_"]) [data-testid="stTable"] > div {
  max-height: 30rem; overflow-y: auto; }
:is([class*="st-key-up_figs_"], [class*="st-key-up_rows_"], [class*="st-key-up_reg_"]) th {
  position: sticky; top: 0; z-index: 1; background: #fcfcfb; }
[class*="st-key-up_figs_"] td:is(:nth-child(2), :nth-child(3), :nth-child(6), :nth-child(8)) p {
  white-space: nowrap !important; }
[class*="st-key-up_figs_"] :is(th, td):is(:nth-child(2), :nth-child(6)) { text-align: right !important; }
[class*="st-key-up_figs_"] td:nth-child(4) { min-width: 6em; }
@media screen and (max-width: 700px) { [class*="st-key-up_figs_"] td:nth-child(3) p { white-space: normal !important; } }
[class*="st-key-up_chg_"] [data-testid="stTable"] > div { max-height: 30rem; overflow-y: auto; }
[class*="st-key-up_chg_"] th { position: sticky; top: 0; z-index: 1; background: #fcfcfb; }
[class*="st-key-up_chg_"] td:nth-child(3) { text-align: right !important; }
[class*="st-key-up_regchg_"] :is(th, td):is(:nth-child(2), :nth-child(3)) { text-align: right !important; }
</style>"""
)
st.title("Tải lên báo cáo")
st.caption(
    "Chọn tệp → xem trước số liệu đọc được → bấm **Lưu**. Tệp có lỗi bị từ chối cả tệp và không lưu gì; "
    "bản sửa (cùng cơ quan, kỳ, ngày văn bản mới hơn) sẽ thay bản trước và bản cũ vẫn được giữ trong lịch sử."
)
st.download_button(
    f"Tải mẫu báo cáo năm {catalogue.year} (.xlsx)",
    data=write_template(catalogue),
    file_name=template_file_name(catalogue.year),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="up_template",
    icon=":material/download:",
)

if not ctx.can("upload"):
    st.warning(
        "Cần **đăng nhập** bằng tài khoản có quyền cập nhật số liệu để tải lên (ô đăng nhập ở thanh bên). "
        "Nếu chưa có tài khoản, hãy nhờ quản trị viên tạo ở trang **Quản trị** (mục «Thêm hoặc đổi người dùng», "
        "vai trò «cập nhật số liệu»)."
    )
    st.stop()

limit_mb = ctx.cfg.max_upload_bytes // (1024 * 1024)
state = upload_state()
chooser = "up_files" if not state.round else f"up_files_{state.round}"  # a new key empties the chooser
files = st.file_uploader(
    "Chọn một hoặc nhiều tệp báo cáo",
    accept_multiple_files=True,
    # No `type=`: with it Streamlit checks each name itself and a crafted one (a NUL in it) stops
    # the page in English; the reader recognises the format from the content and refuses in Vietnamese.
    key=chooser,
    help=f"Báo cáo quý, 6 tháng, 9 tháng, năm; danh sách đăng ký thi đua; danh sách khen thưởng. "
    f"Tệp Excel (.xlsx, .xls) hoặc LibreOffice (.ods), tối đa {limit_mb} MB mỗi tệp.",
)
state.forget_older_than(ctx.version)
if not files:
    st.info(
        "Chưa chọn tệp nào. Có thể kéo thả nhiều tệp cùng lúc vào ô trên. Tệp lớn hơn khoảng "
        f"{limit_mb} MB bị ô chọn tệp từ chối ngay (tên tệp hiện màu đỏ, kèm dòng «Tệp quá lớn»): hãy xóa "
        "ảnh, trang tính thừa hoặc tách tệp rồi chọn lại."
    )
    saved_in_session(state)
    st.stop()

logged = state.logged
done = state.done
progress = st.progress(0.0, text="Đang đọc tệp…")
items = []
first_name: dict[str, str] = {}  # sha256 → the name the content was first chosen under
repeated = []
for number, upload in enumerate(files, start=1):
    name = clean_file_name(upload.name)
    sha = state.sha_of(upload)
    if sha in first_name:  # the same content twice in one choice (a copy under another name)
        repeated.append((name, first_name[sha]))
        continue
    first_name[sha] = name
    if sha in done:  # saved (or found already stored) in this session: never read again
        items.append((name, None, sha, None))
        continue
    data = upload.getvalue()  # never .read(): a rerun must see the whole file again
    chosen = st.session_state.get(f"up_opts_{sha}", {})
    options = ImportOptions(
        period=chosen.get("period"),
        subject=chosen.get("subject"),
        mapping=chosen.get("mapping"),
        sheet=chosen.get("sheet"),
        doc_date=chosen.get("doc_date"),
        kind=chosen.get("kind"),
        accept_unmatched=bool(chosen.get("accept_unmatched")),
        year=chosen.get("year"),
        register_as=chosen.get("register_as"),
        correction=chosen.get("correction"),
        scale=chosen.get("scale"),
        ratios=chosen.get("ratios"),
        use_columns=tuple(chosen.get("use_columns") or ()) or None,
        replaced=chosen.get("replaced"),
        reinstate=bool(chosen.get("reinstate")),
        actual=chosen.get("actual"),
    )
    key = (sha, json.dumps(options.as_dict(), sort_keys=True), ctx.version)
    prep = state.prepared.get(key)
    if prep is None:
        prep = prepare(ctx.con, data, upload.name, options, ctx.cfg)
        state.prepared.put(key, prep)
    if prep.refused and not prep.awaiting_decision and sha not in logged:
        log_refusal(ctx.con, prep, ctx.actor)
        logged.put(sha, True)
    items.append((prep.file_name, data, sha, prep))
    progress.progress(number / len(files), text=f"Đã đọc {number}/{len(files)} tệp")
progress.empty()
for name, original in repeated:
    st.warning(
        f"Tệp «{appkit.md(name)}» có nội dung giống hệt tệp «{appkit.md(original)}» đã chọn cùng lúc: "
        "chỉ xem và lưu một lần."
    )


def store(data: bytes, sha: str, prep) -> bool:
    """Save one file; ``True`` when it was stored (a copy found already stored is not a save)."""
    try:
        result = commit(ctx.con, prep, data, ctx.actor, ctx.cfg)
    except KpiError as exc:  # refused, or no longer allowed (signed out, role changed)
        appkit.show_error(exc)
        return False
    saved = result.status != "duplicate"
    state.remember(sha, prep.file_name, result.message, saved)
    if saved:
        appkit.toast_done(result.message)
    return saved


def after_saving() -> None:
    """Rerun; once every chosen file is saved (or was already stored), empty the chooser (its files
    are let go) — what was saved stays listed under it. A file still to save, or refused (perhaps
    waiting for its period or its layout to be chosen here), keeps the chooser as it is."""
    if all(s in done or p.existing_id is not None for _n, _d, s, p in items):
        state.round += 1
    st.rerun()


KIND_CHOICES = {
    "": "(bỏ qua)",
    "quarter": "Thực hiện của quý",
    "ytd": "Lũy kế từ đầu năm",
    "year_estimate": "Ước cả năm",
    "plan": "Kế hoạch năm",
    "last_year": "Cùng kỳ năm trước",
}


def mapping_form(sha: str, prep) -> None:
    """Say which column holds what when the reader did not recognise the table — a report's name
    and figure columns, or a register's own columns (:func:`register_columns`) when the file's signs
    say it is a register; the choice is remembered for files of the same layout (and kept in the
    import log). The header row starts empty unless a row reads as one (never row 1 by default)."""
    registers = [name for name in prep.previews if (prep.suggestions.get(name) or {}).get("register")]
    with st.expander("Khai báo bố cục bảng (tệp có bố cục lạ)", expanded=True, icon=":material/table_edit:"):
        st.caption(
            (
                "Chọn trang tính, dòng tiêu đề và cột của từng thông tin trong danh sách."
                if registers
                else "Chọn trang tính, dòng tiêu đề, cột tên chỉ tiêu và ý nghĩa các cột số liệu."
            )
            + " Lần sau, tệp cùng mẫu biểu sẽ được đọc theo khai báo này."
        )
        sheets = list(prep.previews)
        named = registers or [name for name in sheets if prep.suggestions.get(name)]
        sheet = st.selectbox(
            "Trang tính",
            sheets,
            index=sheets.index(named[0]) if named else 0,
            key=f"map_sheet_{sha}",
            placeholder="Chọn…",
        )
        grid = prep.previews[sheet]
        guess = prep.suggestions.get(sheet) or {}
        width = max((len(r) for r in grid), default=0)
        letters = [col_letter(c) for c in range(width)]
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in grid], columns=letters)
        frame.index = range(1, len(frame) + 1)
        st.dataframe(frame, width="stretch", placeholder="")
        own = hashlib.sha256(sheet.encode()).hexdigest()[:12]  # a sheet's fields its own
        if guess.get("register"):
            register_columns(sha, sheet, own, guess, letters, len(grid))
            return
        c1, c2, c3 = st.columns(3)
        header_row = c1.number_input(
            "Dòng tiêu đề (dòng cuối của phần tiêu đề)",
            1,
            max(1, len(grid)),
            min(guess["header_row"], max(1, len(grid))) if guess.get("header_row") else None,
            key=f"map_header_{sha}_{own}",
            placeholder="Chọn dòng…",
        )
        name = c2.selectbox(
            "Cột tên chỉ tiêu",
            letters,
            index=letters.index(guess["name"]) if guess.get("name") in letters else min(1, len(letters) - 1),
            key=f"map_name_{sha}",
            placeholder="Chọn…",
        )
        unit_choices = ["", *letters]
        unit = c3.selectbox(
            "Cột đơn vị tính",
            unit_choices,
            index=unit_choices.index(guess["unit"]) if guess.get("unit") in letters else 0,
            format_func=lambda x: x or "(không có)",
            key=f"map_unit_{sha}",
            placeholder="Chọn…",
        )
        guessed_values = guess.get("values", {})
        rows = [
            {
                "Cột": letter,
                "Tiêu đề": grid[header_row - 1][i]
                if header_row and header_row - 1 < len(grid) and i < len(grid[header_row - 1])
                else "",
                "Nghĩa": (guessed_values.get(letter) or {}).get("kind") or "",
                "Quý": (guessed_values.get(letter) or {}).get("quarter"),
                "Số ước": False,
            }
            for i, letter in enumerate(letters)
            if letter not in (name, unit)
        ]
        edited = st.data_editor(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            key=f"map_values_{sha}",
            disabled=["Cột", "Tiêu đề"],
            column_config={
                "Nghĩa": st.column_config.SelectboxColumn(
                    options=list(KIND_CHOICES), format_func=KIND_CHOICES.get, required=False
                ),
                "Quý": st.column_config.SelectboxColumn(options=[1, 2, 3, 4], required=False),
                "Số ước": st.column_config.CheckboxColumn(),
            },
            placeholder="",
        )
        values = {}
        for r in edited.to_dict("records"):
            if r["Nghĩa"]:
                spec = {"kind": r["Nghĩa"], "vintage": "estimate" if r["Số ước"] else "official"}
                if r["Quý"] is not None and not pd.isna(r["Quý"]):
                    spec["quarter"] = int(r["Quý"])
                values[r["Cột"]] = spec
        if st.button(
            "Đọc lại theo bố cục này",
            key=f"map_apply_{sha}",
            disabled=not values or not header_row,
            icon=":material/refresh:",
        ):
            mapping = {"header_row": int(header_row), "name": name, "unit": unit or None, "values": values}
            read_again(sha, mapping, sheet)


def read_again(sha: str, mapping: dict, sheet: str) -> None:
    """Read the file again through the layout the clerk described."""
    current = st.session_state.get(f"up_opts_{sha}", {})
    st.session_state[f"up_opts_{sha}"] = {**current, "mapping": mapping, "sheet": sheet}
    st.rerun()


def register_columns(sha: str, sheet: str, own: str, guess: dict, letters: list[str], rows: int) -> None:
    """A register's layout: its header row and the column of each of its own pieces — a
    registration list's unit, block, date, document, mark and note; an award register's
    recipient, award, kind, unit, level, decision, year and note (:data:`REGISTER_COLUMN_WORDS`),
    those it needs first and marked (*). Round 7 blind finding 5: a registration list whose headings
    were not found was offered the indicator report's form («Cột tên chỉ tiêu», «Cột đơn vị tính»)
    starting at header row «1»."""
    kind = guess["register"]
    words = REGISTER_COLUMN_WORDS[kind]
    needed = {role for group in REGISTER_NEEDS[kind] for role in group}
    header_row = st.number_input(
        "Dòng tiêu đề (dòng cuối của phần tiêu đề)",
        1,
        max(1, rows),
        min(guess["header_row"], max(1, rows)) if guess.get("header_row") else None,
        key=f"map_reg_header_{sha}_{own}",
        placeholder="Chọn dòng…",
    )
    columns = {}
    for n, (role, label) in enumerate(words.items()):
        if n % 3 == 0:  # three a row, a row at a time: a phone stacks them in the form's order
            boxes = st.columns(3)
        chosen = guess.get("columns", {}).get(role)
        columns[role] = boxes[n % 3].selectbox(  # empty until chosen; its × empties it again
            label + (" *" if role in needed else ""),
            letters,
            index=letters.index(chosen) if chosen in letters else None,
            key=f"map_reg_{role}_{sha}_{own}",
            placeholder="Chọn cột…",  # needed or not: the label's «*» says which
        )
    st.caption(  # «Cần chọn (*): «Cột tên cơ quan, đơn vị» và một trong «Cột ngày đăng ký», …»
        r"Cần chọn (\*): "
        + " và ".join(
            f"«{words[group[0]]}»" if len(group) == 1 else "một trong " + ", ".join(f"«{words[r]}»" for r in group)
            for group in REGISTER_NEEDS[kind]
        )
        + "."
    )
    mapping = {
        "register": kind,
        "header_row": int(header_row) if header_row else None,
        "columns": {role: letter for role, letter in columns.items() if letter},
    }
    ready = register_mapping_complete(mapping)
    if st.button("Đọc lại theo bố cục này", key=f"map_apply_{sha}", disabled=not ready, icon=":material/refresh:"):
        read_again(sha, mapping, sheet)


def sheet_choice(sha: str, prep) -> None:
    """A workbook with a report on each of several sheets («Quý I», «Quý II», «Quý III»): which sheet
    this upload reads (the one read preselected; kpi.preview.report_sheet_choices). The sheets are
    remembered with the choice: once one is chosen, only that sheet is read and the others are no
    longer said."""
    current = st.session_state.get(f"up_opts_{sha}", {})
    if sha in done or prep.existing_id is not None or current.get("mapping"):
        return
    sheets = report_sheet_choices(prep) or current.get("report_sheets") or []
    if len(sheets) < 2 or prep.sheet not in sheets:
        return
    chosen = st.selectbox(
        "Trang tính được đọc (mỗi lần tải lên đọc một trang)",
        sheets,
        index=sheets.index(prep.sheet),
        key=f"up_sheet_{sha}",
        placeholder="Chọn trang…",
    )
    if chosen != prep.sheet:
        st.session_state[f"up_opts_{sha}"] = {**current, "sheet": chosen, "report_sheets": sheets}
        st.rerun()


# -- issue 13: the kind of file, "lưu, các dòng này không tính", and «Đây là: …» ----------------


def decide_and_teach(sha: str, prep) -> None:
    """The choices of a file held for its kind or for rows that count toward nothing, and «Đây
    là: …» for every name that matches nothing of the plan (taught once: :mod:`kpi.aliases`)."""
    from kpi.aliases import KINDS, add_alias, unmatched_names
    from kpi.reading.file_kind import KIND_WORDS_VI

    if sha in done or prep.existing_id is not None:
        return
    current = st.session_state.get(f"up_opts_{sha}", {})
    if prep.needs("kind") or current.get("kind"):
        kinds = [None, "report", "awards", "registrations"]
        kind = st.selectbox(
            "Loại tệp",
            kinds,
            index=kinds.index(current.get("kind")),
            format_func=lambda k: "Chọn loại tệp…" if k is None else KIND_WORDS_VI[k].capitalize(),
            key=f"up_kind_{sha}",
            placeholder="Chọn loại tệp…",
        )
        if kind != current.get("kind"):
            st.session_state[f"up_opts_{sha}"] = {**current, "kind": kind}
            st.rerun()
    if prep.needs("year") or current.get("year"):
        years = [None, catalogue.year - 1, catalogue.year]
        year = st.selectbox(
            "Năm thành tích",
            years,
            index=years.index(current.get("year")) if current.get("year") in years else 0,
            format_func=lambda y: "Chọn năm…" if y is None else str(y),
            key=f"up_year_{sha}",
            placeholder="Chọn năm…",
        )
        if year != current.get("year"):
            st.session_state[f"up_opts_{sha}"] = {**current, "year": year}
            st.rerun()
    registers = ("awards", "registrations")
    if prep.file_kind in registers and (prep.needs("subject") or current.get("subject")):
        # a list whose header names another place: the report's choice, said of a list
        owners = [None, catalogue.district_unit]
        owner = st.selectbox(
            "Danh sách của",
            owners,
            index=owners.index(current.get("subject")) if current.get("subject") in owners else 0,
            format_func=lambda u: "Chọn…" if u is None else u,
            key=f"up_owner_{sha}",
            placeholder="Chọn…",
        )
        if owner != current.get("subject"):
            st.session_state[f"up_opts_{sha}"] = {**current, "subject": owner}
            st.rerun()
    asked = unmatched_names(prep, catalogue) if prep.file_kind else []
    if asked:
        with st.expander(
            f"Đây là: … — {len(asked)} tên chưa khớp kế hoạch"
            # the held rows among them, so the box and the hold's count read together (black-box: «4 dòng» beside «8 tên»)
            + (f", {len(prep.near_rows)} dòng gần giống chỉ tiêu đang chờ bạn chọn" if prep.near_rows else "")
            + " (chọn một lần, chương trình ghi nhớ)",
            expanded=prep.needs("accept_unmatched"),
        ):
            for name in asked:
                labels = dict(name.choices)
                # each box is its name's, in this file: keyed by its place, a box took the choice
                # of the name taught before it when the list shrank (round 7 blind finding 4)
                own = hashlib.sha256(f"{name.kind}\0{name.written}".encode()).hexdigest()[:16]
                c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
                choice = c1.selectbox(
                    f"«{name.written}» ({', '.join(name.cells[:3])}) — Đây là {KINDS[name.kind][2]}:",
                    list(labels),
                    index=None,  # empty until chosen: the plan's names are offered, none is suggested
                    format_func=labels.get,
                    key=f"up_alias_{sha}_{own}",
                    placeholder="Bấm để chọn, hoặc gõ để tìm…",
                )
                if c2.button("Ghi nhớ", key=f"up_alias_save_{sha}_{own}", disabled=choice is None):
                    try:
                        message = add_alias(
                            ctx.con, ctx.actor, name.kind, name.written, choice, prep.file_name, prep.sha256
                        )
                    except KpiError as exc:
                        appkit.show_error(exc)
                    else:
                        appkit.toast_done(message)
                        st.rerun()
    if prep.needs("register_as") or current.get("register_as"):  # replace the list in use, or a supplement
        ways = {None: "Chọn…", "replace": "Thay danh sách đang dùng", "supplement": "Thêm làm danh sách bổ sung"}
        way = st.radio("Danh sách này", list(ways), format_func=ways.get, key=f"up_register_as_{sha}", horizontal=True)
        if way != current.get("register_as"):
            st.session_state[f"up_opts_{sha}"] = {**current, "register_as": way}
            st.rerun()
    if prep.needs("correction") or current.get("correction"):  # a correction lacking figures in use
        ways = {None: "Chọn…", "partial": "Chỉ điều chỉnh các số có trong tệp", "whole": "Thay cả bản đang dùng"}
        way = st.radio(
            "Bản điều chỉnh này", list(ways), format_func=ways.get, key=f"up_correction_{sha}", horizontal=True
        )
        if way != current.get("correction"):
            st.session_state[f"up_opts_{sha}"] = {**current, "correction": way}
            st.rerun()
    if prep.needs("scale") or current.get("scale"):  # a figure ~100× or 1000× its target
        ways = {None: "Chọn…", "as_written": "Số đúng như tệp ghi"}
        if current.get("scale") == "fraction" or scale_offered(prep.observations, catalogue, "fraction"):
            ways["fraction"] = "Tỷ lệ ghi dạng phân số: nhân 100"
        if current.get("scale") == "divide_1000" or scale_offered(prep.observations, catalogue, "divide_1000"):
            ways["divide_1000"] = "Tệp ghi theo đơn vị nhỏ hơn 1000 lần: chia 1000"
        if {"fraction", "divide_1000"} <= ways.keys() or current.get("scale") == "fraction+divide_1000":
            # a file with both slips: each way on the figures it applies to (black-box: one way
            # lifted one slip and the other brought it back)
            ways["fraction+divide_1000"] = "Cả hai: tỷ lệ nhân 100, số tiền chia 1000"
        way = st.radio(
            "Số lệch so với kế hoạch", list(ways), format_func=ways.get, key=f"up_scale_{sha}", horizontal=True
        )
        if way != current.get("scale"):
            st.session_state[f"up_opts_{sha}"] = {**current, "scale": way}
            st.rerun()
    if prep.needs("ratios") or current.get("ratios"):  # the file's own «% so KH» against its figures
        ways = {None: "Chọn…", "as_written": "Số liệu đúng như tệp ghi (chỉ cột tỷ lệ tính sai)"}
        way = st.radio(
            "Cột tỷ lệ không khớp số liệu", list(ways), format_func=ways.get, key=f"up_ratios_{sha}", horizontal=True
        )
        if way != current.get("ratios"):
            st.session_state[f"up_opts_{sha}"] = {**current, "ratios": way}
            st.rerun()
    if prep.needs("actual") or current.get("actual"):  # a bare «Thực hiện» under «quý III và 9 tháng»
        ways = {None: "Chọn…", "quarter": "Số của riêng quý", "ytd": "Lũy kế từ đầu năm"}
        way = st.radio("Cột không ghi kỳ là", list(ways), format_func=ways.get, key=f"up_actual_{sha}", horizontal=True)
        if way != current.get("actual"):
            st.session_state[f"up_opts_{sha}"] = {**current, "actual": way}
            st.rerun()
    for n, group in enumerate(column_choices(prep.issues)):  # two columns of one meaning that disagree
        ways = {None: "Chọn…"} | {letter: f"Cột {letter} «{header}»" for letter, header in group.columns}
        way = st.radio(
            "Cột cùng nghĩa ghi số khác nhau — cột được tính",
            list(ways),
            index=list(ways).index(group.chosen),
            format_func=ways.get,
            key=f"up_columns_{sha}_{n}",
            horizontal=True,
        )
        if way != group.chosen:
            others = [c for c in current.get("use_columns") or () if c not in dict(group.columns)]
            st.session_state[f"up_opts_{sha}"] = {**current, "use_columns": others + ([way] if way else [])}
            st.rerun()
    if prep.needs("replaced") or current.get("replaced"):  # it names a report of another unit or period
        unlinked = st.checkbox(
            "Vẫn lưu, không thay báo cáo đó", value=current.get("replaced") == "unlinked", key=f"up_replaced_{sha}"
        )
        if unlinked != (current.get("replaced") == "unlinked"):
            st.session_state[f"up_opts_{sha}"] = {**current, "replaced": "unlinked" if unlinked else None}
            st.rerun()
    if prep.needs("accept_unmatched") or current.get("accept_unmatched"):
        accept = st.checkbox(
            "Lưu, các dòng này không tính", value=bool(current.get("accept_unmatched")), key=f"up_accept_{sha}"
        )
        if accept != bool(current.get("accept_unmatched")):
            st.session_state[f"up_opts_{sha}"] = {**current, "accept_unmatched": accept}
            st.rerun()


def reinstate_choice(sha: str, effect) -> None:
    """The original sent again after a correction that says it replaces it: kept as history unless
    the clerk chooses to use it again (``effect.replaced_by``, :func:`kpi.ingest_history.decide`)."""
    current = st.session_state.get(f"up_opts_{sha}", {})
    if not (effect.replaced_by or current.get("reinstate")):
        return
    again = st.checkbox(
        "Dùng lại tệp này thay cho bản sửa", value=bool(current.get("reinstate")), key=f"up_reinstate_{sha}"
    )
    if again != bool(current.get("reinstate")):
        st.session_state[f"up_opts_{sha}"] = {**current, "reinstate": again}
        st.rerun()


ready = [(d, s, p) for _n, d, s, p in items if p is not None and not p.refused and p.existing_id is None]
if len(ready) > 1 and st.button(
    f"Lưu tất cả {len(ready)} tệp hợp lệ", type="primary", key="up_all", icon=":material/save:"
):
    for data, sha, prep in ready:
        store(data, sha, prep)
    after_saving()

for name, data, sha, prep in items:
    with st.container(border=True):
        if prep is None:  # saved in this session: what saving said, without reading the file again
            saved_entry(done[sha])
            continue
        history, not_in_use = None, stored_state_words(ctx.con, prep.existing_id)  # sent again after its correction
        if prep.existing_id is not None:
            badge = f":gray-badge[Đã có (lần tải \\#{prep.existing_id})]"
            badge += " · :orange-badge[không còn được dùng]" if not_in_use else ""
        elif prep.awaiting_decision:
            badge = ":orange-badge[Chờ bạn quyết định]"
        elif prep.refused:
            badge = ":red-badge[Bị từ chối]"
        elif (history := history_only(ctx.con, prep)) is not None:  # saving changes no figure in use
            counted = f" · {len(prep.warnings)} cảnh báo" if prep.warnings else ""
            badge = f":gray-badge[{SAVE_STATUS_WORDS['history_only']}{counted}]"
        elif prep.warnings:
            badge = f":orange-badge[{SAVE_STATUS_WORDS['ready']} · {len(prep.warnings)} cảnh báo]"
        elif (told := register_effect(prep)) is not None and told.level == "warning":
            badge = f":orange-badge[{SAVE_STATUS_WORDS['ready']} · thay danh sách đang dùng]"
        else:
            badge = f":blue-badge[{SAVE_STATUS_WORDS['ready']}]"
        kind = file_kind_label(prep)
        st.markdown(
            f"#### :material/description: {appkit.md(name)}  \n{badge} · {appkit.md(kind)}"
            + (f" · {appkit.md(period)}" if (period := period_badge_words(prep)) else "")
        )
        if prep.awaiting_decision:
            st.warning(
                "**Chưa lưu: cần bạn quyết định** ở các ô bên dưới, hoặc sửa tệp rồi tải lên lại:\n\n"
                + "\n".join(f"- {appkit.md(note.text)}" for note in folded_notes(prep.refusal_issues))
            )
        elif prep.refused:
            st.error(
                "**Tệp bị từ chối, không lưu gì.** Hãy sửa tệp rồi tải lên lại:\n\n"
                + "\n".join(f"- {appkit.md(note.text)}" for note in folded_notes(prep.refusal_issues))
            )
        warnings = [i for i in prep.warnings if i not in prep.refusal_issues]
        if warnings:
            st.warning(
                warnings_heading(prep, len(warnings))
                + "\n\n"
                + "\n".join(f"- {appkit.md(note.text)}" for note in folded_notes(warnings))
            )
        if not_in_use:
            st.warning(appkit.md(not_in_use), icon=":material/history:")
        sheet_choice(sha, prep)
        decide_and_teach(sha, prep)
        if prep.existing_id is None and sha not in done:  # the report it replaces, found among the stored ones
            for check in prep.replaced_checks:
                if check.text:
                    st.info(appkit.md(check.text), icon=":material/link:")
        if not prep.refused and prep.existing_id is None and sha not in done and prep.file_kind:
            effect, told = preview_effect(ctx.con, prep), register_effect(prep)
            if told is not None:  # a register: replaces a list (warning) or is added beside them
                (st.warning if told.level == "warning" else st.info)(told.markdown(appkit.md))
                if len(told.table):  # a table that wraps (a grid cut «Khi lưu» at 390 px); a phone's list
                    with st.container(key=f"up_regchg_{sha[:12]}"):
                        appkit.table_or_lines(told.table)
            elif effect.message:
                (st.warning if effect.status == "superseded" else st.info)(appkit.md(effect.message))
            elif history:  # a report of its own series whose every figure loses to one in use
                st.info(appkit.md(history), icon=":material/history:")
            reinstate_choice(sha, effect)
        if not prep.refused and prep.existing_id is None and sha not in done and prep.file_kind == "report":
            changes = planned_changes(ctx.con, prep)  # a correction: what saving changes, old → new
            if len(changes):
                st.markdown(f"**Khi lưu, {len(changes)} số sẽ thay đổi** so với bản đang dùng (số cũ → số mới):")
                with st.container(
                    key=f"up_chg_{sha[:12]}"
                ):  # wraps; a phone's list: «CT01 · … — Quý I/2024 · lũy kế · 520,4 → 530,1 · sửa»
                    appkit.table_or_lines(
                        labelled_changes(changes, prep.year, figure_formats(ctx.con, prep.year)), plain=3
                    )
            elif history is not None and len(differ := history_differences(ctx.con, prep)):
                st.markdown(
                    f"**{len(differ)} số của tệp khác số đang dùng** — số đang dùng được giữ, số của tệp chỉ "
                    "vào lịch sử; hãy kiểm tra trước khi họp:"
                )
                with st.container(key=f"up_diff_{sha[:12]}"):
                    appkit.table_or_lines(
                        labelled_differences(differ, prep.year, figure_formats(ctx.con, prep.year)), plain=3
                    )
        if prep.inferred:  # a few rows of sentences: a table that wraps them, never cut mid-word
            appkit.table_or_lines(pd.DataFrame(prep.inferred, columns=["Thông tin", "Giá trị", "Xác định từ"]))
        for note in prep.notes:
            st.caption(f":material/info: {appkit.md(note)}")
        if prep.file_kind == "report":
            c1, c2 = st.columns(2)
            periods = [None] + [f"{catalogue.year}-Q{q}" for q in range(1, 5)]
            current = st.session_state.get(f"up_opts_{sha}", {})
            period = c1.selectbox(
                "Kỳ báo cáo",
                periods,
                index=periods.index(current.get("period")),
                format_func=lambda p, auto=prep.period: (
                    f"Tự nhận ({period_words(auto) or 'chưa đọc được kỳ'})" if p is None else period_words(p)
                ),
                key=f"up_period_{sha}",
                disabled=sha in done,
                placeholder="Chọn…",
            )
            units = [None, *catalogue.units["unit"]]
            subject_guess = "chưa rõ — hãy chọn" if prep.subject_unclear else prep.subject
            subject = c2.selectbox(
                "Số liệu của (đối tượng)",
                units,
                index=units.index(current.get("subject")) if current.get("subject") in units else 0,
                format_func=lambda u, auto=subject_guess: f"Tự nhận ({auto})" if u is None else u,
                key=f"up_subject_{sha}",
                disabled=sha in done,
                placeholder="Chọn…",
            )
            if (period, subject) != (current.get("period"), current.get("subject")):
                st.session_state[f"up_opts_{sha}"] = {**current, "period": period, "subject": subject}
                st.rerun()
            if prep.needs("doc_date") or current.get("doc_date"):  # an impossible date, decided here
                c3, c4 = st.columns(2)
                day = c3.date_input(
                    "Ngày văn bản", value=None, format="DD/MM/YYYY", key=f"up_date_{sha}", disabled=sha in done
                )
                undated = c4.checkbox("Lưu không có ngày văn bản", key=f"up_undated_{sha}", disabled=sha in done)
                doc_date = "none" if undated else (day.isoformat() if day else None)
                if doc_date != current.get("doc_date"):
                    st.session_state[f"up_opts_{sha}"] = {**current, "doc_date": doc_date}
                    st.rerun()
            if prep.layout is not None:
                with st.expander("Các cột và ý nghĩa"):
                    appkit.table_or_lines(
                        pd.DataFrame(
                            [
                                {"Cột": c.letter, "Tiêu đề": c.header, "Ý nghĩa": c.meaning}
                                for c in prep.layout.columns
                                if c.header or c.role != "unknown"
                            ]
                        )
                    )
            if not prep.rows.empty:
                matched = int((prep.rows["status"] == "matched").sum())
                waiting = prep.needs("accept_unmatched")
                asked = len(prep.near_rows) if waiting else 0
                outside = int((prep.rows["status"] == "not_in_plan").sum()) - asked
                with st.expander(
                    f"Các dòng: {format_number(matched, 0)} dòng khớp chỉ tiêu"
                    + (f", {format_number(asked, 0)} dòng chờ bạn chọn" if asked else "")
                    + (f", {format_number(outside, 0)} dòng không thuộc kế hoạch" if outside else "")
                ):
                    # a phone's list: «**Tổng vốn đầu tư toàn xã hội** — CT01 · khớp: đúng tên · xử lý: … · dòng 11»
                    with st.container(key=f"up_rows_{sha[:12]}"):
                        appkit.table_or_lines(
                            pd.DataFrame(
                                {
                                    "Dòng": prep.rows["row"].astype(str),
                                    "Tên trong tệp": prep.rows["label"].fillna(""),
                                    "Mã": prep.rows["key"].fillna(""),
                                    "Khớp": prep.rows["how"].map(
                                        lambda h: MATCH_HOW.get(h, "khớp khác") if isinstance(h, str) else ""
                                    ),
                                    # a file held for names near the plan's: those rows wait for
                                    # the clerk's «Đây là: …», not yet "không lưu" (black-box)
                                    "Xử lý": [
                                        ROW_WAITING if waiting and row in prep.near_rows else ROW_STATUS.get(status, "")
                                        for row, status in zip(prep.rows["row"], prep.rows["status"], strict=True)
                                    ],
                                }
                            ),
                            last="Dòng",
                        )
            if not prep.observations.empty:
                title = (
                    "Số liệu đọc được (chưa lưu: chờ bạn quyết định)"
                    if prep.awaiting_decision
                    else "Số liệu đọc được (không lưu: tệp bị từ chối)"
                    if prep.refused
                    else f"Số liệu đọc được (đã lưu ở lần tải \\#{prep.existing_id})"
                    if prep.existing_id is not None
                    else "Số liệu đã lưu"
                    if sha in done
                    else "Số liệu sẽ lưu"
                )
                with st.expander(f"{title} ({len(prep.observations)} số)"), st.container(key=f"up_figs_{sha[:12]}"):
                    # a table that wraps (the grid cut «Đối tượng» at 1366 px); the indicator, the
                    # figure, its period and its kind first, in view on a phone (the rest scrolls)
                    formats = figure_formats(ctx.con, prep.year)
                    figures = labelled_observations(
                        prep.observations, prep.year, formats, plan_names(ctx.con, prep.year)
                    )
                    if appkit.narrow_screen():  # a phone: one line per figure, nothing to swipe (black-box)
                        st.markdown(figure_lines(figures, formats, catalogue.district_unit))
                    else:
                        st.table(figures[FIGURE_COLUMNS].fillna("").map(appkit.md), hide_index=True)
        elif prep.file_kind in ("awards", "registrations"):
            table = prep.awards if prep.file_kind == "awards" else prep.registrations
            # each award named as the honour roll will name it once saved (the same naming); two
            # spellings that may or may not be one award said before the rows
            scope = prep.register_scope
            naming = (
                roll_naming(ctx.con, table, scope.replaces if scope else ()) if prep.file_kind == "awards" else None
            )
            for doubt in award_doubts(table, naming) if naming else []:
                st.caption(f":material/help: {appkit.md(doubt)}")
            with st.expander(f"Các dòng đọc được ({len(table)})"), st.container(key=f"up_reg_{sha[:12]}"):
                # few columns, related ones joined; each indicator by the plan's name, not a bare key
                names = {k: ind.name for k, ind in catalogue.by_key.items()}
                shown = register_preview(table, prep.file_kind, names, prep.year, naming)
                if appkit.narrow_screen():  # a phone: one line per row, nothing to swipe
                    st.markdown(appkit.register_lines(shown))
                else:  # a table that wraps: the grid cut «Cờ thi đua của Chính ph…» at 1366 px (black-box)
                    st.table(shown.map(appkit.md), hide_index=True)
        if prep.file_kind is None and prep.previews and sha not in done:
            mapping_form(sha, prep)
        # notes said once per cell (14 dates read day/month/year) as one line per column, each cell in its details
        for note in folded_notes(i for i in prep.issues if i.severity == INFO):
            st.caption(f":material/info: {appkit.md(note.text)}")
            if len(note.issues) > 1:
                with st.expander(f"Từng ô ({len(note.issues)})"):
                    cells = {"Ô": [i.cell for i in note.issues], "Ghi chú": [i.message for i in note.issues]}
                    appkit.table_or_lines(pd.DataFrame(cells))
        if not prep.refused and prep.existing_id is None and sha not in done:
            if st.button("Lưu vào cơ sở dữ liệu", type="primary", key=f"up_save_{sha}", icon=":material/save:"):
                store(data, sha, prep)
                after_saving()
