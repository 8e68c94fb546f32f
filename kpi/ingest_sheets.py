"""Which sheet of a workbook holds what, for :func:`kpi.ingest.prepare` (a step of it, split out).

:func:`read_best_sheet` tries every sheet as a report, an award register and a registration list
and keeps the best (visible sheets first, then the most rows understood, then the first); the
others are named in the preview's notes. When nothing was read, :func:`mapping_help` gives each
sheet's first rows and a guessed mapping for the user to say which column holds what, and
:func:`explain_nothing_read` says why the file is refused (plan indicators named but no value
column, or no indicator at all).

Each function fills a :class:`kpi.ingest.Prepared` in place (``prep``); this module does not import
:mod:`kpi.ingest` (the layer above), it only sets the attributes it names.
"""

from __future__ import annotations

from kpi.domain.plan import Catalogue
from kpi.reading.checks import ERROR, Issue
from kpi.reading.file_kind import (
    awards_year_asked,
    decide_kind,
    kinds_to_try,
    note_kind,
    note_unread_register,
    review_unmatched,
)
from kpi.reading.mapping import layout_from_mapping, sheet_signature, suggest_mapping
from kpi.reading.messages import phrase
from kpi.reading.register_merge import joined_note, merge_registers, registers_disagree
from kpi.reading.register_open import register_mapping_kind, suggest_register
from kpi.reading.registers import read_awards, read_registrations
from kpi.reading.report_place import register_elsewhere
from kpi.reading.report_sheets import ImportOptions, read_report, unread_report_issue
from kpi.reading.workbook import cell_ref
from kpi.storage.layouts import all_mappings
from kpi.vn import clean_text, fold, format_number
from kpi.words import excerpt

__all__ = ["read_best_sheet", "remembered_mapping", "mapping_help", "explain_nothing_read"]

#: The preview's word for a sheet's state (a visible sheet has none).
_HIDDEN = {"hidden": "ẩn", "veryHidden": "ẩn sâu"}


def read_best_sheet(prep, wb, catalogue: Catalogue, vocab, options: ImportOptions) -> None:
    """Try every sheet as a report, an award register and a registration list; keep the best.

    Visible sheets come first; a hidden or very hidden sheet (an old template, a lookup list) is
    only used when no visible sheet holds anything, and the preview says so. The steps: the sheets
    to try (``options.sheet``) → each sheet read by the first reader that finds something
    (:func:`_candidates`) → the best one, the others noted (:func:`_note_unused`) → what it holds
    copied into ``prep`` (:func:`_take_report`, :func:`_take_register`).
    """
    sheets = wb.sheets
    if options.sheet:
        sheets = [s for s in wb.sheets if s.name == options.sheet]
        if not sheets:
            prep.issues.append(Issue(ERROR, "no_such_sheet", f"Tệp không có trang tính «{options.sheet}»."))
            return
    candidates, decisions = _candidates(prep, wb, sheets, catalogue, vocab, options)
    if not candidates:
        note_unread_register(prep, decisions)
        return
    candidates.sort(key=lambda c: (c[0], c[1], c[2]), reverse=True)
    candidates, joined = _same_registers(prep, candidates, catalogue, vocab)
    _note_unused(prep, wb, candidates)
    _visible, _score, _order, kind, sheet, read = candidates[0]
    prep.file_kind = kind
    prep.sheet = sheet.name
    prep.issues.extend(read.issues)
    prep.inferred = list(read.inferred)
    note_kind(prep, decisions[sheet.name], options.kind)
    if kind == "report":
        _take_report(prep, read)
    else:
        _take_register(prep, kind, read, catalogue)
        for one_sheet, one_read in joined or [(sheet, read)]:
            _register_place(prep, one_sheet, one_read, catalogue, vocab, options)
    review_unmatched(prep, catalogue)


def _candidates(prep, wb, sheets, catalogue: Catalogue, vocab, options: ImportOptions) -> tuple[list, dict]:
    """Each non-empty sheet that a reader understood, as ``(visible, score, -order, kind, sheet,
    what was read)``, and each sheet's kind decision (:func:`kpi.reading.file_kind.decide_kind`)."""
    candidates, decisions = [], {}
    for order, sheet in enumerate(sheets):
        if not sheet.height:
            continue
        decisions[sheet.name] = decision = decide_kind(sheet, catalogue)
        mapped = (register_mapping_kind(options.mapping) or "report") if options.mapping else None
        allowed = kinds_to_try(options.kind, decision, mapped)
        found = _read_sheet(prep, wb, sheet, allowed, catalogue, vocab, options)
        if found is not None:
            score, kind, read = found
            candidates.append((sheet.state == "visible", score, -order, kind, sheet, read))
    return candidates, decisions


def _read_sheet(prep, wb, sheet, allowed, catalogue: Catalogue, vocab, options: ImportOptions):
    """``(score, kind, what was read)`` from the first of report, award register and registration
    list (those ``allowed``) that finds something on ``sheet``; else ``None``, with a note when the
    sheet had a table whose rows matched no indicator. The score: rows matched to the plan, awards
    (plus one when the year asked for is told), registrations counted."""
    report = None
    register_layout = options.mapping if register_mapping_kind(options.mapping) else None
    if options.mapping and not register_layout and "report" in allowed:
        layout = layout_from_mapping(sheet, options.mapping, vocab)
        report = read_report(sheet, catalogue, vocab, options, layout=layout, date1904=wb.date1904)
    elif "report" in allowed:
        report = read_report(sheet, catalogue, vocab, options, date1904=wb.date1904)
    if report is not None:
        matched = int((report.rows["status"] == "matched").sum()) if not report.rows.empty else 0
        if matched:
            return matched, "report", report
    awards = (
        read_awards(sheet, catalogue, vocab, options.year, wb.date1904, register_layout)
        if "awards" in allowed
        else None
    )
    if awards is not None and (len(awards.table) or awards_year_asked(awards)):
        return len(awards.table) + awards_year_asked(awards), "awards", awards
    regs = (
        read_registrations(sheet, catalogue, vocab, wb.date1904, register_layout)
        if "registrations" in allowed
        else None
    )
    if regs is not None and len(regs.table):
        counted = int((regs.table["unit"] != "").sum())
        if counted:
            return counted, "registrations", regs
    if report is not None and report.layout is not None:
        prep.notes.append(
            f"Trang «{sheet.name}» có bảng (tiêu đề ở dòng {report.layout.header_range}) nhưng không "
            "dòng nào khớp chỉ tiêu của kế hoạch."
        )
    return None


def _same_registers(prep, candidates: list, catalogue: Catalogue, vocab) -> tuple[list, list]:
    """A workbook whose visible sheets are each a register of the kind of the best one (an award
    register's collectives on one sheet, its individuals on another: blind round 9, f07) read as
    one register (:func:`kpi.reading.register_merge.merge_registers`): ``candidates`` with those
    sheets as one, first, and the ``(sheet, register)`` pairs joined (``[]`` when one sheet is
    read). A sheet of another kind, or hidden, is still left out with its note; sheets that cannot
    be one list (another year, another issuing body) are held with the reason
    (:func:`kpi.reading.register_merge.registers_disagree`) and the best one alone is read."""
    visible, _score, _order, kind, _sheet, _read = candidates[0]
    if kind == "report":
        return candidates, []
    same = [c for c in candidates if c[3] == kind and c[0] == visible]
    if len(same) < 2:
        return candidates, []
    joined = [(c[4], c[5]) for c in same]
    held = registers_disagree(joined, vocab)
    if held is not None:
        prep.issues.append(held)
        return candidates, []
    merged = merge_registers([read for _sheet, read in joined], catalogue)
    rows = len(merged.table[["sheet", "row_number"]].drop_duplicates())  # a split cell's awards are one row
    prep.notes.append(joined_note([s.name for s, _r in joined], kind, rows))
    rest = [c for c in candidates if not any(c is s for s in same)]
    return [(*candidates[0][:5], merged), *rest], joined


def _note_unused(prep, wb, candidates: list) -> None:
    """The preview's notes on the sheets not used (``candidates`` sorted, the best first): other
    sheets read, hidden sheets left out, and a hidden sheet used because no visible one held data."""
    visible, _score, _order, kind, sheet, _read = candidates[0]
    for other in candidates[1:]:
        state = _HIDDEN.get(other[4].state, "")
        if kind == other[3] == "report" and not state:
            prep.issues.append(unread_report_issue(other[4].name, sheet.name, other[5], other[1]))
            continue
        prep.notes.append(
            f"Bỏ qua trang {state + ' ' if state else ''}«{other[4].name}» (đã dùng trang «{sheet.name}»)."
        )
    for s in wb.sheets:
        if s.state != "visible" and all(s is not c[4] for c in candidates) and s is not sheet:
            prep.notes.append(f"Trang «{s.name}» bị ẩn — không dùng (thường là mẫu cũ hoặc danh mục tra cứu).")
    if not visible:
        prep.notes.append(f"Chỉ trang ẩn «{sheet.name}» có số liệu nên đã dùng nó; hãy kiểm tra đây là bản đúng.")


def _take_report(prep, read) -> None:
    """A report's identity, layout, figures and rows into ``prep``."""
    prep.year, prep.quarter = read.year, read.quarter
    prep.sender, prep.subject = read.sender, read.subject
    prep.doc_date, prep.doc_number, prep.title = read.doc_date, read.doc_number, read.title
    prep.replaced = [c for c in read.cited if c.replaces]  # what it says it replaces: kpi.ingest_replaced
    prep.layout = read.layout
    prep.observations = read.observations
    prep.rows = read.rows  # its rows not in the plan are listed by kpi.reading.file_kind.review_unmatched


def _take_register(prep, kind: str, read, catalogue: Catalogue) -> None:
    """A register's year, title and rows into ``prep`` (the district is its subject); a
    registration list of a year without a plan is refused."""
    prep.year = read.year
    prep.title = read.title
    prep.subject = catalogue.district_unit
    if kind == "awards":
        prep.awards = read.table
    else:
        prep.registrations = read.table
        prep.register_keys = [i.key for i in catalogue.indicators if i.counted_from == "registrations"]
    if read.year is not None and read.year not in (catalogue.year,) and kind == "registrations":
        prep.issues.append(
            Issue(ERROR, "no_plan_year", f"Danh sách là của năm {read.year} nhưng chưa có kế hoạch năm {read.year}.")
        )
    elif read.year is not None and read.year != catalogue.year and kind == "awards":
        # kept (a list of last year's achievements decided this year is the office's record), counted
        # toward no target: the preview said «Tính vào chỉ tiêu năm 2023: 40» and «0 → 40» of the
        # 2024 plan's targets (round 11)
        counted = phrase("inferred_counted_in_year", year=str(read.year))
        none = f"0 — chưa có kế hoạch năm {read.year}, chưa tính vào chỉ tiêu nào (vẫn lưu danh sách)"
        prep.inferred = [(what, none, "") if what == counted else (what, v, how) for what, v, how in prep.inferred]


def _register_place(prep, sheet, read, catalogue: Catalogue, vocab, options: ImportOptions) -> None:
    """Hold a register whose own header names another district or province, as a report is held
    (:func:`kpi.reading.report_place.register_elsewhere`), unless the clerk said whose it is (the
    report's choice, ``options.subject``: the preview's «Danh sách của», ``--unit``)."""
    if options.subject:
        prep.inferred.append((phrase("inferred_register_owner"), prep.subject, phrase("chosen")))
        return
    held = register_elsewhere(sheet, read.header_row, catalogue, vocab)
    if held is not None:
        prep.issues.append(held[0])
        prep.inferred.append(held[1])


def indicator_names(wb, catalogue: Catalogue, max_rows: int = 300) -> tuple[str, str, list[str], str] | None:
    """Where a sheet names indicators of the plan although no table was recognised: (sheet, first
    cell, the names found, the cells' span when every name lies in one row — «B7:G7», a table of
    indicators as columns and periods as rows —, else ``""``), when at least two distinct
    indicators are named; else ``None``."""
    for sheet in wb.sheets:
        found: dict[str, str] = {}
        cells: list[tuple[int, int]] = []
        for r, row in enumerate(sheet.rows[:max_rows]):
            for c, value in enumerate(row):
                if not isinstance(value, str) or len(value) < 6:
                    continue
                match = catalogue.match_indicator(value)
                if match is not None and match.value not in found:
                    found[match.value] = value.strip()
                    cells.append((r, c))
        if len(found) >= 2:
            across = len({r for r, _c in cells}) == 1
            span = f"{cell_ref(*cells[0])}:{cell_ref(*cells[-1])}" if across else ""
            return sheet.name, cell_ref(*cells[0]), list(found.values()), span
    return None


def remembered_mapping(con, wb) -> tuple[str, dict, str] | None:
    """A remembered mapping whose signature matches a sheet of ``wb``: (sheet, mapping, example)."""
    for signature, mapping, example in all_mappings(con):
        row = int(mapping.get("header_row", 0)) - 1
        for sheet in wb.sheets:
            if sheet.height > row >= 0 and sheet_signature(sheet, row) == signature:
                return sheet.name, mapping, example
    return None


def preview(sheet, rows: int = 25, cols: int = 14) -> list[list[str]]:
    """The first rows and columns of a sheet as short texts (for the mapping form)."""

    def shown(value) -> str:  # numbers as a clerk reads them (vi-VN), not "40.2" or "1.0"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return format_number(value)
        return clean_text(value)[:40]

    width = min(cols, sheet.width)  # once: the width walks every row (issue 17: 26 × 64,000 rows)
    return [[shown(sheet.value(r, c)) for c in range(width)] for r in range(min(rows, sheet.height))]


def found_summary(wb) -> str:
    sheets = [s for s in wb.sheets if s.height]
    if not sheets:
        return " (tệp không có ô nào có dữ liệu)"
    names = ", ".join(f"«{s.name}» ({format_number(s.height)} dòng × {format_number(s.width)} cột)" for s in sheets[:4])
    more = f" và {len(sheets) - 4} trang khác" if len(sheets) > 4 else ""
    return f" (đã xem {len(sheets)} trang tính: {names}{more})"


def mapping_help(prep, wb, catalogue: Catalogue, vocab, previews: bool = True) -> None:
    """Set what the mapping form needs: the layout's signature when the table was read through a
    user's mapping (remembered at commit), and — when nothing was read and ``previews`` is asked
    for (the upload page; the command line has no mapping form) — each sheet's first rows
    (:func:`preview`) with a first guess of the mapping (:func:`kpi.reading.mapping.suggest_mapping`)."""
    if prep.options.mapping and prep.sheet:
        sheet = next(s for s in wb.sheets if s.name == prep.sheet)
        prep.layout_signature = sheet_signature(sheet, int(prep.options.mapping["header_row"]) - 1)
    if prep.file_kind is None and previews:
        prep.previews = {s.name: preview(s) for s in wb.sheets if s.height}
        # a sheet whose signs settle a register but whose headings were not found: the register's
        # own layout is asked, not a report's (round 7 blind finding 5; kpi.reading.register_open)
        registers = {name: guess["register"] for name, guess in prep.suggestions.items() if guess.get("register")}
        prep.suggestions = {
            name: suggest_register(grid, registers[name], vocab)
            if name in registers
            else suggest_mapping(grid, catalogue, vocab)
            for name, grid in prep.previews.items()
        }


def names_unmatched(wb, catalogue: Catalogue, scan: int = 30) -> tuple[str, str, str, list] | None:
    """A table whose header names a column of indicators («Chỉ tiêu», «Nội dung»…: the vocabulary's
    ``name`` columns) none of whose names is the plan's: ``(sheet, header cell, header text,
    [(name, keys it is near)])`` — so a refusal says what was there instead of asking for a column
    the file has (black-box: «Tệp cần có bảng với cột «Chỉ tiêu»» of a table with one, whose «Tổng
    vốn ĐTXH» is near CT01); ``None`` when no sheet has such a header."""
    from kpi.reading.layout import names_things, vocabulary

    vocab = vocabulary()
    for sheet in wb.sheets:
        for r in range(min(scan, sheet.height)):
            for c, value in enumerate(sheet.rows[r]):
                if not isinstance(value, str) or not names_things(value, vocab):
                    continue
                below = [clean_text(sheet.value(x, c)) for x in range(r + 1, min(sheet.height, r + 51))]
                names = [
                    t
                    for t in below
                    if isinstance(t, str) and len(t) >= 3 and not t.isdigit() and not vocab.is_note_line(fold(t))
                ]
                if names:
                    return (
                        sheet.name,
                        cell_ref(r, c),
                        clean_text(value),
                        [(t, catalogue.near_indicators(t)) for t in names],
                    )
    return None


def explain_nothing_read(prep, wb, catalogue: Catalogue) -> None:
    """When no sheet was read and nothing else refused the file, the refusal that says why:
    ``no_value_columns`` (indicators of the plan named, no column of figures recognised),
    ``only_pictures`` (no cell, only a picture: a photographed or scanned report) or
    ``no_indicator`` (what was looked at — and the pictures beside it —, and what a file needs)."""
    names = indicator_names(wb, catalogue) if prep.file_kind is None and not prep.errors else None
    if names and names[3]:  # indicators as columns, periods as rows: no column of names to declare
        sheet_name, cell, found, span = names
        prep.issues.append(
            Issue(
                ERROR,
                "indicators_across",
                f"Tệp có tên {len(found)} chỉ tiêu của kế hoạch nằm trên cùng một dòng (các ô {span}, ví dụ "
                f"«{found[0]}»): bảng xếp mỗi chỉ tiêu một cột, mỗi kỳ một dòng. Chương trình đọc bảng mỗi chỉ "
                "tiêu một dòng, các cột là kế hoạch, thực hiện, lũy kế. Hãy xoay bảng trong Excel (chép bảng, "
                "chọn ô trống, «Dán đặc biệt» › «Chuyển vị» — Paste Special › Transpose), lưu rồi tải lên lại; "
                "hoặc chép số vào mẫu báo cáo (nút «Tải mẫu báo cáo» trên trang «Tải lên báo cáo»; dòng lệnh: "
                "python -m kpi template).",
                sheet_name,
                cell,
            )
        )
    elif names:
        sheet_name, cell, found, _span = names
        prep.issues.append(
            Issue(
                ERROR,
                "no_value_columns",
                f"Tệp có tên {len(found)} chỉ tiêu của kế hoạch (từ ô {cell}, ví dụ «{found[0]}») nhưng không "
                "nhận ra cột số liệu nào: tiêu đề các cột không cho biết số nào là kế hoạch, thực hiện quý hay "
                "lũy kế. Hãy khai báo bố cục bảng (chọn dòng tiêu đề, cột tên chỉ tiêu và nghĩa của từng cột) "
                "ở khung «Khai báo bố cục bảng» khi xem trước trên trang «Tải lên báo cáo», hoặc dùng mẫu báo cáo "
                "(nút «Tải mẫu báo cáo» trên trang đó; dòng lệnh: python -m kpi template).",
                sheet_name,
                cell,
            )
        )
    elif prep.file_kind is None and not prep.errors and (named := names_unmatched(wb, catalogue)):
        sheet_name, cell, header, rows = named
        listed = "; ".join(
            f"«{excerpt(label, 40)}»" + (f" (gần giống «{excerpt(catalogue[near[0]].name, 40)}»)" if near else "")
            for label, near in rows[:4]
        ) + (f"; … (+{len(rows) - 4})" if len(rows) > 4 else "")
        prep.issues.append(
            Issue(
                ERROR,
                "no_indicator",
                f"Không tìm thấy chỉ tiêu nào của kế hoạch trong tệp: cột «{excerpt(header, 30)}» (ô {cell}) ghi "
                f"{listed}. Nếu tên nào là chỉ tiêu của kế hoạch viết khác hoặc viết tắt, hãy sửa cho đúng tên "
                "trong kế hoạch rồi tải lên lại (hoặc dùng mẫu báo cáo: nút «Tải mẫu báo cáo»).",
                sheet_name,
                cell,
            )
        )
    elif prep.file_kind is None and not prep.errors and wb.pictures and not any(s.height for s in wb.sheets):
        prep.issues.append(Issue(ERROR, "only_pictures", _ONLY_PICTURES.format(count=format_number(wb.pictures))))
    elif prep.file_kind is None and not prep.errors:
        pictures = _PICTURES_TOO.format(count=format_number(wb.pictures)) if wb.pictures else ""
        prep.issues.append(
            Issue(
                ERROR,
                "no_indicator",
                "Không tìm thấy chỉ tiêu nào của kế hoạch trong tệp" + found_summary(wb) + ". " + pictures + "Tệp "
                "cần có bảng với cột «Chỉ tiêu» và các cột số liệu (Kế hoạch, Thực hiện, Lũy kế…), hoặc là danh "
                "sách khen thưởng / đăng ký thi đua. Hãy dùng mẫu báo cáo (nút «Tải mẫu báo cáo» trên trang tải lên; "
                "dòng lệnh: python -m kpi template).",
            )
        )


#: A file whose only content is a picture (a report photographed or scanned, pasted into Excel):
#: said so, not «tệp không có ô nào có dữ liệu» (blind round 7, finding 13; kpi.reading.pictures).
_ONLY_PICTURES = (
    "Tệp chỉ có hình ảnh (ảnh chụp/ảnh quét: {count} hình), không có ô số liệu nào: chương trình không đọc "
    "được số trong ảnh. Hãy nhập số liệu vào bảng tính (gõ vào các ô của Excel), tốt nhất vào mẫu báo cáo "
    "(nút «Tải mẫu báo cáo» trên trang tải lên; dòng lệnh: python -m kpi template), rồi tải lên lại."
)
#: Beside cells that name nothing of the plan.
_PICTURES_TOO = "Tệp có {count} hình ảnh (ảnh chụp/ảnh quét): số liệu trong hình ảnh không đọc được. "
