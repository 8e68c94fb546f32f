"""The annex table ("phụ lục") of a report, in the layout Vietnamese administrative reports use.

Sheet "Phụ lục" (A4 landscape, fit to one page wide, header rows repeated on every page)::

    UBND HUYỆN TAM NÔNG                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                           Độc lập - Tự do - Hạnh phúc
                                           Tam Nông, ngày 29 tháng 11 năm 2026
                                  PHỤ LỤC
        KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU <plan title>
                    Quý III/2024 – lũy kế 9 tháng
    STT | Chỉ tiêu | ĐVT | Kế hoạch năm | Thực hiện kỳ | Lũy kế | % so KH | Ước cả năm | Đánh giá
    (1) | (2)      | (3) | (4)          | (5)          | (6)    | (7)     | (8)        | (9)
    I   | KINH TẾ
    1   | Tổng vốn đầu tư toàn xã hội | tỷ đồng | 3.300,9 | 1.012,3 | 2.438,3 | 73,87 | 3.350,0 (ước) | Chậm tiến độ
    …     (sections I–IV: Kinh tế, Xã hội, Môi trường, Thi đua – Khen thưởng)
    Ghi chú …
    Nơi nhận: …                              TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / <name>

Sheet "Khen thưởng": the honour roll of the year's awards counted toward the targets, each award by
its full name (:func:`kpi.domain.award_identity.award_name`: the plan's award a list wrote «CSTĐCS»
or «BK CT UBND tỉnh» is printed «Chiến sĩ thi đua cơ sở», «Bằng khen của Chủ tịch UBND tỉnh»). «Cấp khen» is
who confers each award by one rule for every list's rows (:func:`kpi.domain.award_identity.award_level`:
the award's name, else the list's «Cấp khen» cell, else "Không rõ (danh sách không ghi)" — a clerk
reads a blank cell as a line left unfinished, a written "not known" as what the lists say).

Figures are real numbers (never text), shown with :func:`kpi.vn.figure_decimals` (a count none, a
measured figure max(1, the target's decimals); % so KH two) through number
formats tagged Vietnamese (``[$-42A]``: "3.300,9" where the office's Excel or LibreOffice uses
vi-VN separators), "(ước)" added by the format, so the cell stays a number. "Lũy kế" is the
figure judged (:func:`kpi.reporting.attainment_report.report_records`' ``actual``: a flow's year to date, a level's
latest figure, a count, or a year-end estimate when nothing else is known), "% so KH" its
``attainment_pct``; "Thực hiện kỳ" and "Ước cả năm" come from :func:`kpi.reporting.period_figures.period_figures`.
Every text from data (names, units, recipients) is written as a string cell with a quote prefix:
a recipient named "=HYPERLINK(…)" stays that text, never a formula. The district's and the
authority's names come from the plan's meta (``plan.toml``); the recipients («Nơi nhận») and the
signer are the draft report's (:func:`kpi.output.report_draft_text.document_fields`: the plan's
``[report]`` table, else ``data/report_draft.toml`` ``[document]``), one source for both files.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import tomllib
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from kpi.config import DATA_DIR
from kpi.domain.plan import GROUPS
from kpi.output.report_draft_text import document_fields, load_phrases
from kpi.reporting.attainment_report import Report, attainment_report, report_records
from kpi.reporting.period_figures import NOT_DERIVED_WORDS, not_derived_text, period_figures
from kpi.storage.awards import award_rows
from kpi.vn import distinct_decimals, figure_decimals, format_number
from kpi.words import GROUP_LABELS, RANGE_PCT_NOTE, REPORT_WORDS

__all__ = [
    "SECTIONS",
    "ANNEX_HEADER",
    "ROLL_HEADER",
    "annex_rows",
    "figure_notes",
    "quarter_cell",
    "overtaken_note",
    "annex_workbook",
    "judged_places",
    "number_format",
    "write_annex",
]

#: Section numerals of the groups, in the plan's order (II.2 a–d).
SECTIONS = {"economic": "I", "social": "II", "environment": "III", "awards": "IV"}


def _headings() -> dict:
    """The exported tables' column headings, from ``data/output.toml`` (words are data)."""
    return tomllib.loads((DATA_DIR / "output.toml").read_text(encoding="utf-8"))


#: The annex's columns: STT | Chỉ tiêu | ĐVT | Kế hoạch năm | Thực hiện kỳ | Lũy kế | % so KH | Ước cả năm | Đánh giá.
ANNEX_HEADER: list[str] = _headings()["annex"]["columns"]
#: The honour roll's columns (sheet "Khen thưởng").
ROLL_HEADER: list[str] = _headings()["honour_roll"]["columns"]
_WIDTHS = [6, 50, 13, 13, 13, 13, 10, 15, 17]
_FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ROW = 10  # the column titles; the next row numbers the columns (1)…(9)


def number_format(decimals: int, estimate: bool = False) -> str:
    """An Excel number format with ``decimals`` decimals, tagged Vietnamese (LCID 042A), with
    " (ước)" appended for an estimate: ``[$-42A]#,##0.0" (ước)"``."""
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return "[$-42A]" + body + ('" (ước)"' if estimate else "")


def judged_places(row: dict, value) -> int | None:
    """The decimals an annex row's ``value`` is written with when it *is* the judged figure (the
    year's figure is also the fourth quarter's own: «Thực hiện kỳ» and «Lũy kế» must read the
    same, 99,996 both — black-box finding), else ``None`` (the one formatter's decimals)."""
    actual = row.get("actual")
    if value is None or actual is None or pd.isna(value) or pd.isna(actual):
        return None
    return row.get("shown_decimals") if float(value) == float(actual) else None


def _none(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def annex_rows(con: duckdb.DuckDBPyConnection, report: Report) -> pd.DataFrame:
    """The annex's rows: one per indicator, in the plan's order, grouped into sections I–IV.

    :returns: DataFrame with ``section`` ("I"…"IV"), ``group``, ``stt`` (1… within the section),
        ``key``, ``name``, ``unit``, ``target`` (number or ``[lo, hi]``), ``target_text``
        ("3.300,9", "45–55"), ``decimals`` (int, the target's), ``quarter_value`` (float or None,
        the indicator's unit), ``quarter_basis``, ``actual`` (float or None: the figure judged, as
        reported; None when it is the year-end estimate, ``on_estimate``, which ``year_estimate``
        then holds), ``shown_decimals`` (int: the decimals it is written with, :func:`kpi.vn.distinct_decimals`),
        ``basis``, ``attainment_pct`` (0–100 or None: 2 decimals, or more where 2 would read 100,00
        for a figure that is not 100 %), ``year_estimate`` (float or None), ``on_estimate`` (bool),
        ``status``, ``status_label``, ``overtaken`` (``(estimate, quarter of its report)`` when the
        latest year-end estimate was overtaken by a later figure, :func:`overtaken_note`, or None),
        ``worked_out`` (``(ytd, ytd before, amount reported)`` when «Thực hiện kỳ» is the difference
        of the years to date in use, not the amount a report wrote, :func:`figure_notes`, or None),
        ``not_derived`` (the two years to date that decrease, so «Thực hiện kỳ» cannot be derived:
        :func:`quarter_cell`, :func:`not_derived_note`, or None).
    """
    records = report_records(report)
    table = report.table.set_index("key")
    if report.as_of:
        extra = period_figures(con, report.year, report.as_of, report.subject, report.catalogue).set_index("key")
    else:
        columns = ["quarter_value", "quarter_basis", "year_estimate", "overtaken", "worked_out", "not_derived"]
        extra = pd.DataFrame(columns=columns)
    rows = []
    numbers: dict[str, int] = {}
    for r in records:
        group = r["group"]
        numbers[group] = numbers.get(group, 0) + 1
        target = r["target"]
        target_text = (
            f"{format_number(target[0])}–{format_number(target[1])}"
            if isinstance(target, list)
            else format_number(target)
        )
        more = extra.loc[r["key"]].to_dict() if r["key"] in extra.index else {}
        # judged on the year-end estimate alone (nothing of the year to date is known): the figure
        # is the «Ước cả năm» column's, not a «Lũy kế» (black-box: 125,0 (ước) written in both,
        # read as a half-year figure); the % and the word are still of it
        on_estimate = table.at[r["key"], "kind"] == "year_estimate"
        actual = _none(table.at[r["key"], "actual"])
        estimate = _none(more.get("year_estimate"))
        rows.append(
            {
                "section": SECTIONS.get(group, ""),
                "group": group,
                "stt": numbers[group],
                "key": r["key"],
                "name": r["name"],
                "unit": r["unit"],
                "target": target,
                "target_text": target_text,
                "decimals": int(table.at[r["key"], "decimals"]),
                "quarter_value": _none(more.get("quarter_value")),
                "quarter_basis": _none(more.get("quarter_basis")),
                "actual": None if on_estimate else actual,
                "shown_decimals": int(table.at[r["key"], "shown_decimals"]),
                "basis": r["basis"],
                "attainment_pct": _none(table.at[r["key"], "attainment_pct"]),
                "year_estimate": actual if on_estimate and estimate is None else estimate,
                "on_estimate": bool(on_estimate),
                "status": r["status"],
                "status_label": r["status_label"],
                "overtaken": more.get("overtaken"),
                "worked_out": more.get("worked_out"),
                "not_derived": more.get("not_derived"),
            }
        )
    order = {g: i for i, g in enumerate(GROUPS)}
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values("group", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def _text(ws: Worksheet, ref: str, value: object, **style) -> None:
    """Write text from anywhere (data included) as a string cell, never a formula."""
    cell = ws[ref]
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    if cell.value.startswith(("=", "+", "-", "@")):
        cell.quotePrefix = True
    _style(cell, **style)


def _style(cell, bold=False, italic=False, size=12, align="left", wrap=True, border=False, valign="center"):
    cell.font = Font(name=_FONT, size=size, bold=bold, italic=italic)
    cell.alignment = Alignment(horizontal=align, vertical=valign, wrap_text=wrap)
    if border:
        cell.border = _BOX


def _fit_height(ws: Worksheet, row: int, widths: list[int], size: int = 12) -> None:
    """Set a row's height to the lines its wrapped texts need (openpyxl cannot measure, and
    LibreOffice keeps the default height of a row written without one): about 1.2 characters
    of Times New Roman 12 per unit of column width, 15.75 pt a line."""
    lines = max(_lines(ws.cell(row=row, column=i + 1).value, width, size) for i, width in enumerate(widths))
    ws.row_dimensions[row].height = 15.75 * lines * size / 12 + 2


def _lines(value, width: float, size: int) -> int:
    """The lines a wrapped text takes in a column ``width`` wide (:func:`_fit_height`'s measure)."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(1.0, width * 1.2 * 12 / size)
    return sum(math.ceil(max(1, len(part)) / per_line) for part in value.split("\n"))


def _merge_text(ws: Worksheet, cells: str, value: str, **style) -> None:
    ws.merge_cells(cells)
    _text(ws, cells.split(":")[0], value, **style)


def _vn_date(day: dt.date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _annex_sheet(ws: Worksheet, report: Report, rows: pd.DataFrame, today: dt.date, signature: dict) -> None:
    """Sheet "Phụ lục" (the module docstring's layout): the heading, the column titles, one row per
    indicator under its section, the notes and the signature (:func:`_annex_signature`), then the
    print settings."""
    meta = report.catalogue.meta
    authority = str(meta.get("authority_upper") or str(meta.get("authority") or "").upper())
    for i, width in enumerate(_WIDTHS):
        ws.column_dimensions[chr(65 + i)].width = width
    _annex_heading(ws, report, authority, today, str(signature.get("code") or ""))
    _annex_column_titles(ws)
    r = _annex_body(ws, rows, _HEADER_ROW + 2)
    r = _annex_notes(ws, r + 1, rows)
    last = _annex_signature(ws, r + 1, signature)
    _annex_print_settings(ws, last_row=last + 1)


def _annex_heading(ws: Worksheet, report: Report, authority: str, today: dt.date, code: str) -> None:
    """Rows 1–8: the authority beside the national motto, the place and date, the title, the
    period with the data's date, and the line that attaches the annex to its report (``code``:
    the report's number's code, "BC-UBND", as the draft writes it)."""
    meta = report.catalogue.meta
    place = str(meta.get("place") or "")
    title = str(meta.get("title") or f"Kế hoạch năm {report.year}")
    _merge_text(ws, "A1:C1", authority, bold=True, align="center")
    _merge_text(ws, "D1:I1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align="center")
    _merge_text(ws, "D2:I2", "Độc lập - Tự do - Hạnh phúc", bold=True, align="center")
    ws["D2"].font = Font(name=_FONT, size=13, bold=True, underline="single")
    _merge_text(
        ws,
        "D3:I3",
        f"{place}, {_vn_date(today)}" if place else _vn_date(today).capitalize(),
        italic=True,
        align="center",
    )
    _merge_text(ws, "A5:I5", "PHỤ LỤC", bold=True, size=14, align="center")
    _merge_text(ws, "A6:I6", f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {title.upper()}", bold=True, size=13, align="center")
    period = report.period_text
    when = f"{pd.Timestamp(report.data_as_of):%d/%m/%Y}" if report.data_as_of is not None else ""
    _merge_text(
        ws,
        "A7:I7",
        f"{period}" + (f" (số liệu cập nhật đến ngày {when})" if when else ""),
        bold=True,
        align="center",
    )
    _merge_text(
        ws,
        "A8:I8",
        f"(Kèm theo Báo cáo số      /{code} ngày     /     /{today.year} của {meta.get('authority') or authority})",
        italic=True,
        align="center",
    )
    ws.row_dimensions[6].height = 34


def _annex_column_titles(ws: Worksheet) -> None:
    """The column titles (:data:`ANNEX_HEADER`) on row :data:`_HEADER_ROW`, numbered (1)…(9) below."""
    for c, header in enumerate(ANNEX_HEADER):
        letter = chr(65 + c)
        _text(ws, f"{letter}{_HEADER_ROW}", header, bold=True, align="center", border=True)
        _text(ws, f"{letter}{_HEADER_ROW + 1}", f"({c + 1})", italic=True, align="center", border=True, size=11)
    ws.row_dimensions[_HEADER_ROW].height = 32


def _annex_body(ws: Worksheet, rows: pd.DataFrame, r: int) -> int:
    """One row per indicator (:func:`annex_rows`) from row ``r``, a section row ("I", "KINH TẾ")
    before each group's first; returns the row after the last."""
    current = None
    for row in rows.to_dict("records"):
        if row["group"] != current:
            current = row["group"]
            _annex_section_row(ws, r, row["section"], current)
            r += 1
        _annex_indicator_row(ws, r, row)
        r += 1
    return r


def _annex_section_row(ws: Worksheet, r: int, section: str, group: str) -> None:
    _text(ws, f"A{r}", section, bold=True, align="center", border=True)
    _text(ws, f"B{r}", GROUP_LABELS.get(group, group).upper(), bold=True, border=True)
    for letter in "CDEFGHI":
        _style(ws[f"{letter}{r}"], border=True)


def _annex_indicator_row(ws: Worksheet, r: int, row: dict) -> None:
    """Row ``r``: STT, name, unit, target (a range as text), the figures as numbers with their
    decimals (:func:`kpi.vn.figure_decimals`; % so KH two), the status."""
    ws[f"A{r}"].value = int(row["stt"])
    _style(ws[f"A{r}"], align="center", border=True)
    _text(ws, f"B{r}", row["name"], border=True)
    _text(ws, f"C{r}", row["unit"], align="center", border=True)
    target = row["target"]
    if isinstance(target, list):
        _text(ws, f"D{r}", row["target_text"], align="right", border=True)
    else:
        _number(ws, f"D{r}", target, row["decimals"], False)
    shown = figure_decimals(row["unit"], row["decimals"])  # the one rule of every output (kpi.vn)
    quarter_places = max(shown, judged_places(row, row["quarter_value"]) or 0)
    if words := quarter_cell(row):  # never a negative quarter: words, and the note says why
        _text(ws, f"E{r}", words, italic=True, align="right", border=True)
    else:
        _number(ws, f"E{r}", row["quarter_value"], quarter_places, row["quarter_basis"] == "estimate")
    # the judged figure with the decimals that keep it from reading as its target (99,996, not 100,0)
    _number(ws, f"F{r}", row["actual"], max(shown, int(row["shown_decimals"])), row["basis"] == "estimate")
    pct = row["attainment_pct"]
    _number(ws, f"G{r}", pct, distinct_decimals(pct, 100, 2) if pct is not None else 2, False)
    _number(ws, f"H{r}", row["year_estimate"], shown, True)
    _text(ws, f"I{r}", row["status_label"], align="center", border=True)
    _fit_height(ws, r, _WIDTHS)


_ANNEX_NOTES = [
    "Ghi chú: Lũy kế là số được đánh giá (chỉ tiêu cộng dồn: lũy kế từ đầu năm; chỉ tiêu thời điểm: số mới nhất; "
    "khen thưởng: số tập thể, cá nhân theo năm thành tích). «(ước)»: số ước thực hiện. Chỉ tiêu chưa có số lũy kế, "
    "chỉ có số ước cả năm: «Lũy kế» để trống, % so KH và đánh giá theo số ước cả năm.",
    RANGE_PCT_NOTE + " Chỉ tiêu càng thấp càng tốt tính bằng kế hoạch/thực hiện. Trong năm, chỉ tiêu cộng dồn "
    "so với tiến độ kế hoạch (kế hoạch × quý/4).",
]


def overtaken_note(rows: pd.DataFrame) -> str:
    """The sentence that names each «Ước cả năm» left empty because a later figure overtook the
    estimate (:func:`kpi.domain.estimates.estimate_overtaken`), so a reader who saw it in the earlier
    report does not take it as lost: "«Ước cả năm» để trống khi đã có số mới hơn ước của báo cáo
    trước: Số bác sĩ trên 1 vạn dân (ước 10,2 người, báo cáo 6 tháng)." — or "" when none was.

    :param rows: :func:`annex_rows`."""
    if rows.empty or "overtaken" not in rows:
        return ""
    named = [
        f"{r['name']} (ước {format_number(r['overtaken'][0], figure_decimals(r['unit'], int(r['decimals'])))}"
        f"{' ' + r['unit'] if r['unit'] else ''}, báo cáo {REPORT_WORDS.get(int(r['overtaken'][1]), '')})"
        for r in rows.to_dict("records")
        if isinstance(r.get("overtaken"), tuple)
    ]
    if not named:
        return ""
    return "«Ước cả năm» để trống khi đã có số mới hơn ước của báo cáo trước: " + "; ".join(named) + "."


def worked_out_note(rows: pd.DataFrame) -> str:
    """The sentence that shows how each «Thực hiện kỳ» no report wrote was worked out: the
    difference of the years to date in use, where the amount a report gave does not add up with
    them (:func:`kpi.domain.quarters.quarter_amount_stands`) — "«Thực hiện kỳ» tính từ lũy kế đang
    dùng khi số quý báo cáo ghi không khớp: Tổng vốn đầu tư toàn xã hội (2.450,8 − 1.430,5 =
    1.020,3 tỷ đồng; báo cáo ghi 1.024,8)." — or "" when none was. Black-box (December 2026): a
    «1.020,3» no file contained, beside a correction that said 1.024,8.

    :param rows: :func:`annex_rows`."""
    if rows.empty or "worked_out" not in rows:
        return ""
    named = []
    for r in rows.to_dict("records"):
        if not isinstance(r.get("worked_out"), tuple):
            continue
        places = figure_decimals(r["unit"], int(r["decimals"]))
        now, before, reported = (format_number(v, places) for v in r["worked_out"])
        amount = format_number(r["quarter_value"], places)
        named.append(
            f"{r['name']} ({now} − {before} = {amount}{' ' + r['unit'] if r['unit'] else ''}; báo cáo ghi {reported})"
        )
    if not named:
        return ""
    return "«Thực hiện kỳ» tính từ lũy kế đang dùng khi số quý báo cáo ghi không khớp: " + "; ".join(named) + "."


def not_derived_note(rows: pd.DataFrame) -> str:
    """The sentence that says why each «Thực hiện kỳ» reading «không tính được» cannot be derived:
    its years to date decrease, which two and from which reports
    (:func:`kpi.reporting.period_figures.not_derived_text`) — or "" when none does.

    :param rows: :func:`annex_rows`."""
    if rows.empty or "not_derived" not in rows:
        return ""
    named = [
        f"{r['name']}: {not_derived_text(r['not_derived'], r['unit'], figure_decimals(r['unit'], int(r['decimals'])))}"
        for r in rows.to_dict("records")
        if isinstance(r.get("not_derived"), tuple)
    ]
    if not named:
        return ""
    return (
        f"«Thực hiện kỳ» {NOT_DERIVED_WORDS} khi lũy kế từ đầu năm giảm (một trong hai báo cáo ghi sai, "
        "hãy kiểm tra): " + "; ".join(named) + "."
    )


def quarter_cell(row: dict) -> str | None:
    """What «Thực hiện kỳ» reads instead of a figure (:data:`NOT_DERIVED_WORDS` when the quarter
    cannot be derived), or None when it is a figure (or empty)."""
    return NOT_DERIVED_WORDS if isinstance(row.get("not_derived"), tuple) else None


def figure_notes(rows: pd.DataFrame) -> str:
    """The notes on this table's own figures, under its general notes: :func:`not_derived_note`,
    :func:`worked_out_note` and :func:`overtaken_note` (each "" when it has nothing to say)."""
    return " ".join(n for n in (not_derived_note(rows), worked_out_note(rows), overtaken_note(rows)) if n)


def _annex_notes(ws: Worksheet, r: int, rows: pd.DataFrame | None = None) -> int:
    """The notes under the table (:data:`_ANNEX_NOTES`, then :func:`figure_notes`) from row
    ``r``; returns the row after them."""
    extra = figure_notes(rows) if rows is not None else ""
    for note in _ANNEX_NOTES + ([extra] if extra else []):
        _merge_text(ws, f"A{r}:I{r}", note, italic=True, size=11)
        # as many lines as the note takes across the merged columns (a fixed 30 pt cut the third)
        ws.row_dimensions[r].height = max(30, 15.75 * _lines(note, sum(_WIDTHS[:9]), 11) * 11 / 12 + 4)
        r += 1
    return r


def _annex_signature(ws: Worksheet, r: int, signature: dict) -> int:
    """From row ``r``: "Nơi nhận:" and each recipient on the left, the signer on the right (who
    signs for, the title, the name under the room a signature takes) — the draft report's own
    (:func:`kpi.output.report_draft_text.document_fields`: the plan's ``[report]`` table, else the
    template's ``[document]``), never a list of the code's. :returns: the last row written."""
    recipients = [str(line) for line in signature.get("recipients", [])]
    _merge_text(ws, f"A{r}:C{r}", str(signature["label"]), bold=True, italic=True, size=11)
    for i, line in enumerate(recipients, start=1):
        _merge_text(ws, f"A{r + i}:C{r + i}", line, size=11)
    signer = [(0, signature.get("signer_for")), (1, signature.get("signer_title")), (5, signature.get("signer_name"))]
    last = r + len(recipients)
    for offset, line in signer:
        if line:
            _merge_text(ws, f"F{r + offset}:I{r + offset}", str(line), bold=True, align="center")
            last = max(last, r + offset)
    return last


def _annex_print_settings(ws: Worksheet, last_row: int) -> None:
    """Column titles repeated on every page, the print area to ``last_row``, A4 landscape, the
    titles and the first two columns frozen, zoom 90 %."""
    ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW + 1}"
    ws.print_area = f"A1:I{last_row}"
    _page_setup(ws)
    ws.freeze_panes = f"C{_HEADER_ROW + 2}"
    ws.sheet_view.zoomScale = 90


def _number(ws: Worksheet, ref: str, value, decimals: int, estimate: bool) -> None:
    cell = ws[ref]
    if value is not None and not pd.isna(value):
        cell.value = float(value) if not float(value).is_integer() else int(value)
        cell.number_format = number_format(decimals, estimate)
    _style(cell, align="right", border=True)


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = _FONT


#: The honour roll's column widths: the last, «Tính vào chỉ tiêu», holds the indicator's name.
_ROLL_WIDTHS = [6, 32, 28, 32, 20, 16, 14, 32]


def _roll_sheet(ws: Worksheet, con: duckdb.DuckDBPyConnection, report: Report) -> None:
    """The honour roll of the year's counted awards, one row each; «Tính vào chỉ tiêu» names the
    plan's indicator by its name, as the sheet «Phụ lục» does: a bare key («TD09») was explained
    nowhere in the file a clerk prints (black-box finding)."""
    meta = report.catalogue.meta
    names = {ind.key: ind.name for ind in report.catalogue.indicators}
    roll = award_rows(con, report.year)
    if not roll.empty:
        roll = roll[roll["counted"]]
    for i, width in enumerate(_ROLL_WIDTHS):
        ws.column_dimensions[chr(65 + i)].width = width
    _merge_text(ws, "A1:C1", str(meta.get("authority_upper") or ""), bold=True, align="center")
    _merge_text(
        ws,
        "A3:H3",
        f"DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG THÀNH TÍCH NĂM {report.year} (TÍNH VÀO CHỈ TIÊU)",
        bold=True,
        size=13,
        align="center",
    )
    for c, header in enumerate(ROLL_HEADER):
        _text(ws, f"{chr(65 + c)}5", header, bold=True, align="center", border=True)
    _fit_height(ws, 5, _ROLL_WIDTHS)
    r = 6
    for i, row in enumerate(roll.to_dict("records"), start=1):
        ws[f"A{r}"].value = i
        _style(ws[f"A{r}"], align="center", border=True)
        # «Cơ quan, đơn vị» is the body; a person's title beside the name (round 7 blind finding 15:
        # «Giáo viên Trường TH Thọ Văn» under «Cơ quan, đơn vị»)
        title = row["title"]
        _text(ws, f"B{r}", f"{row['recipient']}, {title}" if title else row["recipient"], border=True)
        _text(ws, f"C{r}", row["organisation"], border=True)
        _text(ws, f"D{r}", row["award_name"], border=True)  # the plan's name, not «CSTĐCS»
        _text(ws, f"E{r}", row["award_level"], border=True)
        _text(ws, f"F{r}", row["decision_number"], align="center", border=True)
        date = row["decision_date"]
        _text(
            ws,
            f"G{r}",
            f"{pd.Timestamp(date):%d/%m/%Y}" if date is not None and not pd.isna(date) else "",
            align="center",
            border=True,
        )
        _text(ws, f"H{r}", names.get(row["key"], row["key"]), border=True)
        _fit_height(ws, r, _ROLL_WIDTHS)
        r += 1
    if roll.empty:
        _merge_text(ws, f"A{r}:H{r}", "Chưa nạp danh sách khen thưởng của năm này.", italic=True)
    ws.print_title_rows = "5:5"
    _page_setup(ws)
    ws.freeze_panes = "B6"


def annex_workbook(
    con: duckdb.DuckDBPyConnection, report: Report, today: dt.date | None = None, data_dir: Path | None = None
) -> bytes:
    """The annex workbook (.xlsx bytes): sheet "Phụ lục" (the table, see the module docstring)
    and sheet "Khen thưởng" (the honour roll of the year's counted awards).

    :param today: the date written under the national motto (default: today).
    :param data_dir: the data folder whose ``plans/<year>/plan.toml`` names the recipients and the
        signer, as for the draft report (default: the settings').
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    phrases = load_phrases()
    signature = {**document_fields(report.year, phrases, data_dir), "label": phrases["text"]["recipients"]}
    _annex_sheet(ws, report, annex_rows(con, report), today or dt.date.today(), signature)
    _roll_sheet(wb.create_sheet("Khen thưởng"), con, report)
    wb.properties.title = f"Phụ lục — {report.period_text}"
    wb.properties.creator = str(report.catalogue.meta.get("authority") or "")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_annex(
    con: duckdb.DuckDBPyConnection, year: int, quarter: int | None = None, data_dir: Path | None = None
) -> bytes:
    """The annex table (.xlsx) of the attainment report as of ``quarter``; see :mod:`kpi.output.annex`.

    :param data_dir: the data folder that names the recipients and the signer (:func:`annex_workbook`).
    :raises NotFound: no plan for ``year``.
    """
    return annex_workbook(con, attainment_report(con, year, quarter), data_dir=data_dir)
