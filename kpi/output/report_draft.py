"""The quarter's report written as a Vietnamese draft (.docx) from the figures (issue 19).

Every figure comes from :func:`kpi.reporting.attainment_report.attainment_report` (through :func:`report_records`, the
JSON contract of ``python -m kpi report --format json``), the annex rows of :mod:`kpi.output.annex`, the
award register and the registration list (:mod:`kpi.storage.figures`), and is written by the product's one
number formatter (:func:`kpi.vn.format_number`, :func:`kpi.vn.format_pct`): no figure is typed
twice. The words live in ``data/report_draft.toml`` (one sentence per state and direction, with
named fields; :func:`load_phrases`); who the authority is, its parent, who receives the report and
who signs it in the ``[report]`` table of the plan's ``plan.toml`` (:func:`document_fields`).

Layout (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4 portrait, margins top and bottom 20 mm, left
30 mm, right 15 mm; Times New Roman (Unicode) 13 pt; page numbers centred in the top margin, none
on the first page; the heading block (parent and authority | national motto), "Số: …/BC-…" left
blank for the clerk, place and date, the title; "DỰ THẢO" in every page's header. The annex table
(the rows of the .xlsx annex, :func:`kpi.output.annex.annex_rows`) follows in an A4 landscape section.
"""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from decimal import Decimal
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

from kpi.config import DATA_DIR, settings
from kpi.domain.plan import GROUPS, Indicator
from kpi.domain.rules import progress_target
from kpi.output.annex import ANNEX_HEADER, annex_rows
from kpi.reporting.attainment_report import Report, attainment_report, quarter_end, report_records, unit_figures
from kpi.storage.figures import award_rows, registration_status
from kpi.vn import format_date, format_number, format_pct, int_to_roman, round_half_up, to_decimal
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
]

#: The template of the draft's words (an office edits it; no code changes).
PHRASES_FILE = DATA_DIR / "report_draft.toml"
#: The font of administrative documents (Nghị định 30/2020: a Unicode Times New Roman font).
FONT = "Times New Roman"
_BODY_PT = 13
#: A4 and the margins of Nghị định 30/2020 (top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm).
PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}


def load_phrases(path: Path | str | None = None) -> dict:
    """The draft's words: ``data/report_draft.toml`` or the file at ``path`` (same tables).

    :raises FileNotFoundError, tomllib.TOMLDecodeError: the file is missing or not TOML.
    """
    return tomllib.loads(Path(path or PHRASES_FILE).read_text(encoding="utf-8"))


def document_fields(year: int, phrases: dict, data_dir: Path | None = None) -> dict:
    """Who issues, receives and signs the report: the ``[report]`` table of the data folder's
    ``plans/<year>/plan.toml`` (else the nearest earlier year's), over the template's
    ``[document]`` defaults.

    :returns: ``parent`` (str, may be empty), ``code`` ("BC-UBND"), ``recipients`` (list of str),
        ``signer_for``, ``signer_title``, ``signer_name``.
    """
    fields = dict(phrases.get("document", {}))
    base = Path(data_dir or settings().data_dir) / "plans"
    years = sorted((int(p.name) for p in base.glob("*") if p.name.isdigit() and int(p.name) <= year), reverse=True)
    for y in years:
        toml = base / str(y) / "plan.toml"
        if toml.exists():
            written = tomllib.loads(toml.read_text(encoding="utf-8")).get("report")
            if written:
                fields.update(written)
                break
    return fields


# ---------------------------------------------------------------------------------------------
# Sentences


#: Between a figure and its unit: a no-break space, so "72,5 %" is never split across lines.
NBSP = "\u00a0"


def quantity(value, unit: str, decimals: int | None = None) -> str:
    """A figure with its unit, by the product's formatter: (2438.3, "tỷ đồng") → "2.438,3 tỷ
    đồng"; a percentage → "0,18 %" (:func:`kpi.vn.format_pct`); joined by a no-break space."""
    if unit == "%":
        return _pct(value, decimals)
    return f"{format_number(value, decimals)}{NBSP}{unit}" if unit else format_number(value, decimals)


def _pct(value, decimals: int | None = None) -> str:
    """:func:`kpi.vn.format_pct` with a no-break space before the sign."""
    return format_pct(value, decimals).replace(" %", NBSP + "%")


def _direction(direction: str) -> str:
    return {"<=": "lower", "decrease_by": "lower", "range": "range"}.get(direction, "higher")


def _sentence_key(phrases: dict, over: str, direction: str, state: str) -> str:
    table = phrases["sentence"]
    for key in (f"{over}_{direction}_{state}", f"{over}_{state}", f"{direction}_{state}", state):
        if key in table:
            return key
    raise KeyError(f"{over}_{direction}_{state}")


def _change(phrases: dict, actual: Decimal, last_year: Decimal, unit: str) -> str:
    """ "tăng 12,3 % so với cùng kỳ" (a rate: in percentage points), from last year's figure of the
    same period."""
    words = phrases["change"]
    if actual == last_year:
        return words["same"]
    if unit == "%":
        change = f"{format_number(abs(actual - last_year))}{NBSP}{words['points']}"
    else:
        if not last_year:
            return ""
        change = _pct(round_half_up(abs(actual / last_year - 1) * 100, 1), None)
    return words["up" if actual > last_year else "down"].format(change=change)


def indicator_sentence(
    row: dict, indicator: Indicator, as_of: int | None, year: int, phrases: dict, decisions: str = ""
) -> str:
    """One indicator's sentence, chosen by its state, direction and how it adds up over the year.

    :param row: a record of :func:`kpi.reporting.attainment_report.report_records` plus ``kind`` (``ytd``,
        ``year_estimate``…) and ``last_year`` (float or None) of the report's table.
    :param decisions: the award decisions in words, for the awards.
    :raises KeyError: the template has no sentence for the state (nor a fallback).
    """
    fields = _fields(row, indicator, as_of, year, phrases, decisions)
    over = indicator.over_year
    if over == "flow" and (row.get("kind") == "year_estimate" or row["status"] not in ("on_track", "behind")):
        over = "level"
    direction = _direction(indicator.direction)
    text = phrases["sentence"][_sentence_key(phrases, over, direction, row["status"])].format(**fields)
    last_year = row.get("last_year")
    if row.get("actual") is not None and last_year is not None and not pd.isna(last_year) and over != "count":
        change = _change(phrases, to_decimal(row["actual"]), to_decimal(last_year), indicator.unit)
        if change and text.endswith("."):
            text = f"{text[:-1]}, {change}."
    return text


def _fields(row: dict, ind: Indicator, as_of: int | None, year: int, phrases: dict, decisions: str = "") -> dict:
    q = as_of or 4
    periods = phrases["period"]
    unit = ind.unit
    actual = row.get("actual")
    basis = row.get("basis") or "actual"
    if row.get("kind") == "year_estimate":
        basis = "year_estimate"
    verb = phrases["verb"].get(f"{_direction(ind.direction)}_{basis}", phrases["verb"]["higher_actual"])
    progress = progress_target(ind, q)
    threshold = ind.threshold
    pct = row.get("attainment_pct")
    gap = ""
    if actual is not None:
        against = progress if ind.over_year == "flow" and row.get("kind") != "year_estimate" else threshold
        if against is not None:
            diff = abs(to_decimal(actual) - against)
            gap = f"{format_number(diff)}{NBSP}{phrases['change']['points']}" if unit == "%" else quantity(diff, unit)
    # the figure said as "the target": a cut's is last year's figure minus the cut (ind.threshold)
    target = None if ind.direction == "range" else ind.threshold if ind.direction == "decrease_by" else ind.target
    return {
        "name": row["name"],
        "span": str(periods["span"][str(q)]).format(year=year),
        "until": str(periods["until"][str(q)]).format(year=year),
        "year": year,
        "verb": verb,
        "unit": unit,
        "actual": quantity(actual, unit) if actual is not None else "",
        "actual_number": format_number(actual) if actual is not None else "",
        "target": quantity(target, unit) if target is not None else "",
        "lo": format_number(ind.lo) if ind.lo is not None else "",
        "hi": format_number(ind.hi) if ind.hi is not None else "",
        "pct": _pct(pct, None) if pct is not None else "",
        "progress": quantity(progress, unit) if progress is not None else "",
        "gap": gap,
        "decisions": decisions,
    }


def _behind_sentence(row: dict, ind: Indicator, as_of: int | None, year: int, phrases: dict) -> str:
    """The indicator in "Những chỉ tiêu chậm tiến độ": its figure and the gap to the pro-rata
    target (a flow) or to the target (a level, an estimate)."""
    fields = _fields(row, ind, as_of, year, phrases)
    words = phrases["behind"]
    lower = _direction(ind.direction) == "lower"
    if ind.direction == "range":
        key = "range"
    elif ind.over_year == "flow" and row.get("kind") != "year_estimate" and not row.get("final"):
        key = "flow_lower" if lower else "flow"
    else:
        key = "level_lower" if lower else "level"
        if ind.over_year == "flow":
            fields["target"] = quantity(ind.target, ind.unit)
    return words[key].format(**fields)


def _units_behind(con, report: Report, ind: Indicator, phrases: dict, limit: int = 3) -> str:
    """The units furthest behind, where units report their own figures of a rate (a flow or a
    count summed over units has no per-unit target): those worse than the target, worst first."""
    if ind.over_year != "level" or ind.across_units == "sum" or ind.counted_from != "reports" or ind.threshold is None:
        return ""
    frame = unit_figures(con, report.year, ind.key, report.as_of, report.catalogue)
    if frame.empty:
        return ""
    lower = _direction(ind.direction) == "lower"
    values = frame["value"].map(to_decimal)
    worse = frame[values > ind.threshold] if lower else frame[values < ind.threshold]
    if worse.empty:
        return ""
    worse = worse.sort_values("value", ascending=not lower).head(limit)
    words = phrases["behind"]
    items = []
    for r in worse.to_dict("records"):
        value = quantity(r["value"], ind.unit)
        if report.as_of and int(r["quarter"]) != report.as_of:
            items.append(
                words["unit_other_quarter"].format(unit=r["unit"], value=value, quarter=_quarter(r["quarter"]))
            )
        else:
            items.append(words["unit"].format(unit=r["unit"], value=value))
    return words["units_lower" if lower else "units"].format(units=", ".join(items))


def _quarter(q) -> str:
    return f"quý {int_to_roman(int(q))}"


def _decisions(awards: pd.DataFrame, key: str, phrases: dict) -> str:
    """ "Quyết định số 247/QĐ-UBND ngày 24/01/2025" for each decision of the key's counted awards."""
    if awards.empty:
        return ""
    rows = awards[(awards["key"] == key) & awards["counted"]]
    seen: list[tuple[str, str]] = []
    for number, date in zip(rows["decision_number"], rows["decision_date"], strict=True):
        day = format_date(pd.Timestamp(date).date()) if date is not None and not pd.isna(date) else ""
        if (str(number), day) not in seen:
            seen.append((str(number), day))
    words = phrases["emulation"]
    return "; ".join(
        words["decision"].format(number=n, date=d) if d else words["decision_undated"].format(number=n) for n, d in seen
    )


# ---------------------------------------------------------------------------------------------
# The document


def draft_file_name(report: Report) -> str:
    """ "du-thao-bao-cao_2024-Q3.docx"."""
    period = f"{report.year}-Q{report.as_of}" if report.as_of else str(report.year)
    return f"du-thao-bao-cao_{period}.docx"


def _period_title(report: Report, phrases: dict) -> str:
    """ "Quý III/2024", "6 tháng đầu năm 2024", "năm 2024"."""
    return str(phrases["period"]["title"][str(report.as_of or 4)]).format(year=report.year)


def _vn_date(day: dt.date) -> str:
    """ "ngày 06 tháng 12 năm 2026": a day below 10 and the months 1 and 2 with a leading zero
    (Nghị định 30/2020, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


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
    place = str(meta.get("place") or "")
    date = f"{place}, {_vn_date(today)}" if place else _vn_date(today).capitalize()
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
    period = _period_title(report, phrases)
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
            code=fields.get("code", ""), today_year=today.year, authority=meta.get("authority") or ""
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

    def num(value, is_estimate=False) -> str:
        if value is None or pd.isna(value):
            return ""
        return format_number(value) + (f" {estimate}" if is_estimate else "")

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
        values = [
            (str(r["stt"]), {"size": 11}),
            (r["name"], left),
            (r["unit"], {"size": 11}),
            (r["target_text"], right),
            (num(r["quarter_value"], r["quarter_basis"] == "estimate"), right),
            (num(r["actual"], r["basis"] == "estimate"), right),
            (num(r["attainment_pct"]), right),
            (num(r["year_estimate"], True), right),
            (r["status_label"], {"size": 11}),
        ]
        for cell, (value, style) in zip(cells, values, strict=True):
            _cell_text(cell, [(value, style)])
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)
    _para(doc, f"{text['annex_note']} {RANGE_PCT_NOTE}", italic=True, size=11, indent=False, after=0)


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
    """The draft report as a python-docx ``Document`` (see the module docstring).

    :param quarter: the as-of quarter (default: the latest with a report, as the overview).
    :param today: the date under the motto (default: today).
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
    text = phrases["text"]
    meta = report.catalogue.meta
    period = _period_title(report, phrases)
    records = report_records(report)
    extra = report.table.set_index("key")[["kind", "last_year"]].to_dict("index")
    for r in records:
        r.update(
            {k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in extra[r["key"]].items()}
        )

    doc = Document()
    normal = doc.styles["Normal"]
    _set_font(normal, _BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    for name in ("Table Grid", "Header", "Footer"):
        if name in [s.name for s in doc.styles]:
            _set_font(doc.styles[name])
            doc.styles[name].paragraph_format.tab_stops.clear_all()  # each header sets its own
    doc.core_properties.title = f"{text['title']} {text['subtitle'].format(period=period)}"
    doc.core_properties.author = str(meta.get("authority") or "")
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

    _heading_block(doc, report, fields, phrases, today)
    _para(
        doc, text["title"], bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0
    ).paragraph_format.space_before = Pt(12)
    _para(doc, text["subtitle"].format(period=period), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    authority = str(meta.get("authority") or "")
    _para(doc, text["intro"].format(plan=meta.get("title") or "", authority=authority, period=period))

    # I. Results: the summary, then one section per group
    _para(doc, text["part_results"], bold=True, indent=False)
    labels = phrases["summary"]
    counts = pd.Series([r["status"] for r in records]).value_counts()
    order = ["exceeded", "met", "not_met", "on_track", "behind", "not_due", "no_data"]
    said = ", ".join(f"{format_number(int(counts[s]))} {labels[s]}" for s in order if s in counts.index)
    _para(doc, labels["lead"].format(total=format_number(len(records)), counts=said))
    awards = award_rows(con, year)
    by_group: dict[str, list[dict]] = {}
    for r in records:
        by_group.setdefault(r["group"], []).append(r)
    groups = [g for g in GROUPS if g in by_group]
    for n, group in enumerate(groups, start=1):
        _para(doc, f"{n}. {GROUP_LABELS.get(group, group)}", bold=True, indent=False)
        for r in by_group[group]:
            ind = report.catalogue[r["key"]]
            if ind.counted_from == "registrations":
                for line in _registration(con, report, r, phrases):
                    _para(doc, line)
                if any(report.catalogue[x["key"]].counted_from == "awards" for x in by_group[group]):
                    _para(doc, phrases["emulation"]["awards_lead"].format(year=year))
                continue
            decisions = _decisions(awards, r["key"], phrases) if ind.counted_from == "awards" else ""
            line = indicator_sentence(r, ind, report.as_of, year, phrases, decisions)
            _para(doc, ("- " if ind.counted_from == "awards" else "") + line)

    # II. Behind (during the year) or not met (year end)
    final = bool(
        report.as_of == 4 and any(r["final"] for r in records if report.catalogue[r["key"]].counted_from == "reports")
    )
    wanted = ("not_met", "behind") if final else ("behind",)  # at year end: not met, and behind without a final figure
    _para(doc, text["part_behind_final" if final else "part_behind"], bold=True, indent=False)
    late = [r for r in records if r["status"] in wanted]
    if not late:
        _para(doc, phrases["behind"]["none_final" if final else "none"])
    for r in late:
        ind = report.catalogue[r["key"]]
        line = "- " + _behind_sentence(r, ind, report.as_of, year, phrases)
        units = _units_behind(con, report, ind, phrases)
        _para(doc, f"{line} {units}" if units else line)

    _para(doc, text["closing"].format(period=period, authority=authority))
    _signature(doc, fields, phrases)
    _annex(doc, con, report, fields, phrases, today)
    return doc


def _registration(con, report: Report, row: dict, phrases: dict) -> list[str]:
    """ "Có 30/30 cơ quan, đơn vị đăng ký thi đua, đạt 100 %." and who has not."""
    words = phrases["emulation"]
    if row["actual"] is None:
        return [words["no_registration"]]
    status = registration_status(con, report.catalogue, report.year, quarter_end(report.year, report.as_of or 4))
    registered = int(status["registered"].sum())
    lines = [
        words["registration"].format(
            registered=format_number(registered),
            total=format_number(len(status)),
            pct=_pct(row["actual"], None),
        )
    ]
    missing = status.loc[~status["registered"], "unit"].tolist()
    lines.append(words["not_registered"].format(units=", ".join(missing)) if missing else words["all_registered"])
    return lines


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
