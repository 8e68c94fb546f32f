"""The quarter's report written as a Vietnamese draft (.docx) from the figures (issue 19).

This module lays the document out; its words, section by section, come from
:mod:`kpi.output.report_draft_text` (re-exported here: :func:`load_phrases`,
:func:`document_fields`, :func:`indicator_sentence`, :func:`quantity`). Every figure comes from
:func:`kpi.reporting.attainment_report.attainment_report` (through :func:`report_records`, the JSON
contract of ``python -m kpi report --format json``), the annex rows of :mod:`kpi.output.annex`, the
award register and the registration list (:mod:`kpi.storage.figures`), and is written by the
product's one number formatter as the app, the annex and the deck write it (issue 14): a figure with
:func:`kpi.vn.figure_decimals` decimals (:func:`kpi.output.report_draft_text.figure`), a target in
its own decimals, a % of plan with two (:func:`kpi.vn.format_pct`): no figure is typed twice. The words live in ``data/report_draft.toml``; who the authority is, its parent, who
receives the report and who signs it in the ``[report]`` table of the plan's ``plan.toml``.

Layout (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4 portrait, margins top and bottom 20 mm, left
30 mm, right 15 mm; Times New Roman (Unicode) 13 pt; page numbers centred in the top margin, none
on the first page; the heading block (parent and authority | national motto), "Số: …/BC-…" left
blank for the clerk, place and date, the title; "DỰ THẢO" in every page's header. The annex table
(the rows of the .xlsx annex, :func:`kpi.output.annex.annex_rows`) follows in an A4 landscape section.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from kpi.output.annex import ANNEX_HEADER, annex_rows, figure_notes, judged_places, quarter_cell
from kpi.output.report_draft_text import (
    NBSP,
    PHRASES_FILE,
    behind,
    closing,
    document_fields,
    draft_records,
    figure,
    indicator_sentence,
    intro,
    load_phrases,
    period_title,
    quantity,
    results,
    summary,
)
from kpi.reporting.attainment_report import Report, attainment_report
from kpi.vn import format_pct
from kpi.words import GROUP_LABELS, RANGE_PCT_NOTE

__all__ = [
    "PHRASES_FILE",
    "FONT",
    "load_phrases",
    "document_fields",
    "NBSP",
    "quantity",
    "indicator_sentence",
    "draft_document",
    "write_draft",
    "draft_file_name",
    "signing_year",
]

#: The font of administrative documents (Nghị định 30/2020: a Unicode Times New Roman font).
FONT = "Times New Roman"
_BODY_PT = 13
#: A4 and the margins of Nghị định 30/2020 (top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm).
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}


def draft_file_name(report: Report) -> str:
    """ "du-thao-bao-cao_2024-Q3.docx"."""
    period = f"{report.year}-Q{report.as_of}" if report.as_of else str(report.year)
    return f"du-thao-bao-cao_{period}.docx"


def signing_year(year: int, today: dt.date) -> int | None:
    """The year a draft of ``year``'s report will be signed in, when it can be told: the year it is
    written in, during the report's year or the next January (a year-end report); else ``None``,
    left for the signer (black-box: a 2024 draft made in 2026 was dated «… năm 2026» by the
    machine's clock)."""
    return today.year if today.year == year or (today.year == year + 1 and today.month == 1) else None


def signing_date(place: str, year: int, today: dt.date, phrases: dict) -> str:
    """The place and date under the motto of a draft: «Tam Nông, ngày      tháng      năm 2024»,
    the day and the month blank for the signer, the year :func:`signing_year` or «20…»
    (``data/report_draft.toml`` ``signing_date``, ``year_blank``)."""
    text = phrases["text"]
    signed = signing_year(year, today)
    words = str(signed) if signed else text["year_blank"]
    return (
        text["signing_date"].format(place=place, year=words)
        if place
        else text["signing_date_no_place"].format(year=words)
    )


def _set_font(style_or_run, size: float | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    if size:
        font.size = Pt(size)
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(container, text: str = "", *, bold=False, italic=False, size=None, align=None, indent=True, after=6):
    para = container.add_paragraph()
    fmt = para.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(0)
    if align is not None:
        para.alignment = align
    elif indent:
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Cm(1)
    if text:
        run = para.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return para


def _rule(cell, width_cm: float, cell_cm: float) -> None:
    """A short horizontal line centred in ``cell`` (under the authority and the motto)."""
    para = cell.add_paragraph()
    side = Cm(max(0.0, (cell_cm - width_cm) / 2))
    para.paragraph_format.left_indent = side
    para.paragraph_format.right_indent = side
    para.paragraph_format.space_after = Pt(6)
    run = para.add_run()
    run.font.size = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    borders.append(top)
    para._p.get_or_add_pPr().append(borders)


def _table(doc_or_cell, rows: int, cols: int, widths: list[float]):
    table = doc_or_cell.add_table(rows=rows, cols=cols)
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _cell_text(cell, lines: list[tuple[str, dict]]) -> None:
    first = True
    for text, style in lines:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        para.alignment = style.get("align", WD_ALIGN_PARAGRAPH.CENTER)
        para.paragraph_format.space_after = Pt(style.get("after", 0))
        run = para.add_run(text)
        run.bold = style.get("bold", False)
        run.italic = style.get("italic", False)
        run.font.size = Pt(style.get("size", 13))


def _field(run, instruction: str) -> None:
    """A Word field (PAGE) in ``run``."""
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _headers(section, width_mm: float, draft: str, first: bool) -> None:
    """Page number centred in the top margin (not on the document's first page); "DỰ THẢO" at
    the right of every page's header.

    :param first: the document's first section (whose first page has no number).
    """
    section.different_first_page_header_footer = first
    headers = [(section.header, True)] + ([(section.first_page_header, False)] if first else [])
    for header, numbered in headers:
        header.is_linked_to_previous = False
        para = header.paragraphs[0]
        para.text = ""
        stops = para.paragraph_format.tab_stops
        stops.add_tab_stop(Mm(width_mm / 2), WD_TAB_ALIGNMENT.CENTER)
        stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT)
        para.add_run("\t")
        if numbered:
            _field(para.add_run(), "PAGE")
        mark = para.add_run("\t" + draft)
        mark.bold = True
        mark.font.size = Pt(12)


def _page(section, landscape: bool = False) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE["height"], PAGE["width"]
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _heading_block(doc, report: Report, fields: dict, phrases: dict, today: dt.date) -> None:
    meta = report.catalogue.meta
    text = phrases["text"]
    authority = str(meta.get("authority_upper") or str(meta.get("authority") or "").upper())
    left_cm, right_cm = 6.5, 10.0
    table = _table(doc, 1, 2, [left_cm, right_cm])
    left, right = table.rows[0].cells
    lines = []
    if fields.get("parent"):
        lines.append((str(fields["parent"]), {"size": 13}))
    lines.append((authority, {"bold": True, "size": 13}))
    _cell_text(left, lines)
    _rule(left, 2.5, left_cm)
    number = left.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.add_run(text["number"].format(code=fields.get("code", ""))).font.size = Pt(13)
    _cell_text(right, [(text["motto"], {"bold": True, "size": 12}), (text["motto_2"], {"bold": True, "size": 13})])
    _rule(right, 5.5, right_cm)
    date = signing_date(str(meta.get("place") or ""), report.year, today, phrases)
    para = right.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(date)
    run.italic = True
    run.font.size = Pt(13)


def _signature(doc, fields: dict, phrases: dict) -> None:
    table = _table(doc, 1, 2, [8.0, 8.5])
    left, right = table.rows[0].cells
    lines = [
        (phrases["text"]["recipients"], {"bold": True, "italic": True, "size": 12, "align": WD_ALIGN_PARAGRAPH.LEFT})
    ]
    lines += [(str(r), {"size": 11, "align": WD_ALIGN_PARAGRAPH.LEFT}) for r in fields.get("recipients", [])]
    _cell_text(left, lines)
    sign = [
        (str(fields.get("signer_for", "")), {"bold": True, "size": 13}),
        (str(fields.get("signer_title", "")), {"bold": True, "size": 13, "after": 60}),
        (str(fields.get("signer_name", "")), {"bold": True, "size": 13}),
    ]
    _cell_text(right, [s for s in sign if s[0]])


def _annex(doc, con, report: Report, fields: dict, phrases: dict, today: dt.date) -> None:
    """The annex table in its own landscape section: the rows of the .xlsx annex."""
    text = phrases["text"]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    _headers(section, 297 - 30 - 15, text["draft"], first=False)
    period = period_title(report, phrases)
    _para(doc, text["annex_title"], bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(
        doc,
        text["annex_subtitle"].format(period_upper=period.upper(), period=period),
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=0,
    )
    meta = report.catalogue.meta
    _para(
        doc,
        text["annex_attached"].format(
            code=fields.get("code", ""),
            today_year=signing_year(report.year, today) or text["year_blank"],
            authority=meta.get("authority") or "",
        ),
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    rows = annex_rows(con, report)
    widths = [1.3, 7.4, 2.6, 2.3, 2.3, 2.3, 1.8, 2.5, 2.7]  # 25,2 cm: the landscape text width
    table = _table(doc, 2, len(ANNEX_HEADER), widths)
    table.style = doc.styles["Table Grid"]
    for c, header in enumerate(ANNEX_HEADER):
        _cell_text(table.rows[0].cells[c], [(header, {"bold": True, "size": 11})])
        _cell_text(table.rows[1].cells[c], [(f"({c + 1})", {"italic": True, "size": 10})])
    for row in (table.rows[0], table.rows[1]):
        tr_pr = row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    estimate = text["annex_estimate"]

    def num(r: dict, value, is_estimate=False, shown=None) -> str:
        """A figure of row ``r`` as every output writes it (:func:`figure`; ``shown``: the judged
        figure's shown_decimals), "(ước)" after an estimate."""
        if value is None or pd.isna(value):
            return ""
        return figure(value, r["unit"], r["decimals"], shown) + (f" {estimate}" if is_estimate else "")

    def pct(value) -> str:
        """A % of plan as every output writes it (:func:`kpi.vn.format_pct`), the column says "%"."""
        return "" if value is None or pd.isna(value) else format_pct(value).removesuffix(" %")

    current = None
    right, left = {"align": WD_ALIGN_PARAGRAPH.RIGHT, "size": 11}, {"align": WD_ALIGN_PARAGRAPH.LEFT, "size": 11}
    for r in rows.to_dict("records"):
        if r["group"] != current:
            current = r["group"]
            cells = table.add_row().cells
            _cell_text(cells[0], [(r["section"], {"bold": True, "size": 11})])
            merged = cells[1].merge(cells[-1])
            _cell_text(merged, [(GROUP_LABELS.get(current, current).upper(), {"bold": True, "size": 11, **left})])
        cells = table.add_row().cells
        places = judged_places(r, r["quarter_value"])
        values = [
            (str(r["stt"]), {"size": 11}),
            (r["name"], left),
            (r["unit"], {"size": 11}),
            (r["target_text"], right),
            (quarter_cell(r) or num(r, r["quarter_value"], r["quarter_basis"] == "estimate", places), right),
            (num(r, r["actual"], r["basis"] == "estimate", r.get("shown_decimals")), right),
            (pct(r["attainment_pct"]), right),
            (num(r, r["year_estimate"], True), right),
            (r["status_label"], {"size": 11}),
        ]
        for cell, (value, style) in zip(cells, values, strict=True):
            _cell_text(cell, [(value, style)])
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)
    note = f"{text['annex_note']} {RANGE_PCT_NOTE} {figure_notes(rows)}".rstrip()
    _para(doc, note, italic=True, size=11, indent=False, after=0)


def _document_language(doc, tag: str) -> None:
    """Set the language of the document's default run properties (``w:docDefaults``) to ``tag``."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        if attr == "w:val" or lang.get(qn(attr)) is not None:
            lang.set(qn(attr), tag)


def draft_document(
    con: duckdb.DuckDBPyConnection,
    year: int,
    quarter: int | None = None,
    today: dt.date | None = None,
    phrases: dict | Path | str | None = None,
    data_dir: Path | None = None,
):
    """The draft report as a python-docx ``Document`` (see the module docstring): the heading
    block, the title, part I (results by group), part II (behind), the closing and the
    signature, then the annex in a landscape section.

    :param quarter: the as-of quarter (default: the latest with a report, as the overview).
    :param today: the day the draft is written (default: today): the year under the motto
        (:func:`signing_year`) and the file's own date.
    :param phrases: the template's tables, or the path of a template file (default
        ``data/report_draft.toml``).
    :param data_dir: the data folder whose ``plans/<year>/plan.toml`` names the signer.
    :raises kpi.errors.NotFound: no plan for ``year``.
    """
    if not isinstance(phrases, dict):
        phrases = load_phrases(phrases)
    today = today or dt.date.today()
    report = attainment_report(con, year, quarter)
    fields = document_fields(year, phrases, data_dir)
    records = draft_records(report)
    doc = _new_document(report, phrases, today)
    _heading_block(doc, report, fields, phrases, today)
    _title(doc, report, phrases)
    _para(doc, phrases["text"]["part_results"], bold=True, indent=False)
    _para(doc, summary(records, phrases))
    for heading, lines in results(con, report, records, phrases):
        _part(doc, heading, lines)
    _part(doc, *behind(con, report, records, phrases))
    _para(doc, closing(report, phrases))
    _signature(doc, fields, phrases)
    _annex(doc, con, report, fields, phrases, today)
    return doc


def _new_document(report: Report, phrases: dict, today: dt.date):
    """An empty A4 portrait document: Times New Roman 13 pt, the draft's title, author, date and
    language (vi-VN) in its properties, the first section's page and headers."""
    text = phrases["text"]
    doc = Document()
    normal = doc.styles["Normal"]
    _set_font(normal, _BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    for name in ("Table Grid", "Header", "Footer"):
        if name in [s.name for s in doc.styles]:
            _set_font(doc.styles[name])
            doc.styles[name].paragraph_format.tab_stops.clear_all()  # each header sets its own
    period = period_title(report, phrases)
    doc.core_properties.title = f"{text['title']} {text['subtitle'].format(period=period)}"
    doc.core_properties.author = str(report.catalogue.meta.get("authority") or "")
    doc.core_properties.language = "vi-VN"
    # python-docx's template says it was made in 2013 by "python-docx", in US English (Word would
    # spell-check the Vietnamese as English): the draft's own date, author and language instead.
    doc.core_properties.created = doc.core_properties.modified = dt.datetime.combine(today, dt.time())
    doc.core_properties.last_modified_by = doc.core_properties.author
    doc.core_properties.comments = ""
    _document_language(doc, "vi-VN")
    section = doc.sections[0]
    _page(section)
    _headers(section, 210 - 30 - 15, text["draft"], first=True)
    return doc


def _title(doc, report: Report, phrases: dict) -> None:
    """The title, its period line and the opening paragraph."""
    text = phrases["text"]
    period = period_title(report, phrases)
    _para(
        doc, text["title"], bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0
    ).paragraph_format.space_before = Pt(12)
    _para(doc, text["subtitle"].format(period=period), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _para(doc, intro(report, phrases))


def _part(doc, heading: str, lines: list[str]) -> None:
    """A bold heading at the margin, then one justified, indented paragraph per line."""
    _para(doc, heading, bold=True, indent=False)
    for line in lines:
        _para(doc, line)


def write_draft(
    con: duckdb.DuckDBPyConnection,
    year: int,
    quarter: int | None = None,
    today: dt.date | None = None,
    phrases: dict | Path | str | None = None,
    data_dir: Path | None = None,
) -> bytes:
    """The draft report (.docx bytes) as of ``quarter``; see :func:`draft_document`.

    :raises kpi.errors.NotFound: no plan for ``year``.
    """
    out = io.BytesIO()
    draft_document(con, year, quarter, today, phrases, data_dir).save(out)
    return out.getvalue()
