"""The slide deck (.pptx, 16:9) of a report, for the review meetings (python-pptx).

Slides, in order::

    1      cover: the plan's title, "Kết quả thực hiện các chỉ tiêu", the period, the authority, the date
    2–5    one per group (I. Kinh tế … IV. Thi đua – Khen thưởng): key lines (how many stand where;
           what the bars and the marks the chart draws mean, :func:`kpi.output.charts.marks_note`;
           the highest and the lowest % of plan) over the group's chart, which fills the slide's
           body (≥ 80 % of its width; a PNG drawn by kpi.output.render, no title inside, every
           text ≥ 14 pt at slide size — :func:`slide_figures`)
    6      awards: counts against targets (the chart as wide and as legible as a group's) over the
           honour roll's highlights (the highest awards, as many 14 pt lines as fit; all in the notes)
    7…     summary: the table of every indicator at 14 pt, on as many slides as hold it
           (:func:`table_pages`)

Every slide's speaker notes hold its figures in words ("CT01 Tổng vốn đầu tư toàn xã hội: thực
hiện 2.438,3 tỷ đồng; kế hoạch 3.300,9 tỷ đồng; 73,87 % kế hoạch; Chậm tiến độ; nguồn …"), the
presenter's script and the text a search finds. Text is set in Arial, which carries Vietnamese on
the office PCs (and maps to Liberation Sans elsewhere), never under 14 pt (issue 14: readable when
projected); a footer on each slide names the period, the data's as-of date and "số liệu ước" when
estimates are shown.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap

import duckdb
import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from kpi.domain.plan import GROUPS
from kpi.domain.rules import award_count_keys, figure_mark
from kpi.output import render
from kpi.output.annex import SECTIONS, annex_rows
from kpi.output.charts import SLIDE_WIDTH_PX, marks_note
from kpi.output.export import AWARD_PERIOD, awards_figure, foot_line, group_figure, group_period
from kpi.output.status_counts import counts_text
from kpi.reporting.attainment_report import Report, attainment_report
from kpi.storage.awards import award_rows
from kpi.vn import format_figure, format_number, format_pct
from kpi.words import GROUP_LABELS, STATUS_TINTS, excerpt

__all__ = [
    "deck",
    "write_deck",
    "FONT",
    "indicator_sentence",
    "slide_titles",
    "slide_figures",
    "CHART_LEFT",
    "CHART_WIDTH",
    "table_pages",
    "cell_lines",
    "TABLE_PT",
]

#: The deck's font: present on Vietnamese office PCs, with every Vietnamese glyph.
FONT = "Arial"
_W, _H = Inches(13.333), Inches(7.5)
#: Where a group slide's chart goes: the body's full width (92 % of the slide) under the key line.
CHART_LEFT, CHART_WIDTH = Inches(0.5), Inches(12.3)
_CHART_TOP, _CHART_BOTTOM = Inches(1.8), _H - Inches(0.47)
#: The space after each key line of a group slide (× its size).
_KEY_AFTER = 0.15
#: A group slide's title (one line of 28 pt: 0,2–0,85 in) and where its key lines start under it.
_GROUP_TITLE_TOP, _GROUP_TITLE_HEIGHT, _KEY_TOP = Inches(0.2), Inches(0.65), Inches(0.88)
#: The footer: one line of 14 pt at the slide's foot.
_FOOTER_TOP, _FOOTER_HEIGHT = _H - Inches(0.45), Inches(0.36)
#: The awards slide: its chart right under the title; a 14 pt line (1,25 × 14 pt, no space after); the
#: "Tiêu biểu" label's width.
_AWARDS_TOP, _LINE, _LABEL_WIDTH = Inches(1.2), Pt(14 * 1.25), Inches(1.2)
_INK = RGBColor(0x1F, 0x29, 0x33)
_GREY = RGBColor(0x52, 0x60, 0x6D)
#: Light cell colours of the summary table's status column (the word is always written too).
_CELL = {status: tint.lstrip("#").upper() for status, tint in STATUS_TINTS.items()}


def _figure(value, unit: str, basis: str | None = None, decimals: int | None = None, shown=None) -> str:
    """ "2.438,3 tỷ đồng (ước)": the one formatter's figure (``shown``: the report's shown_decimals)."""
    if value is None or pd.isna(value):
        return "chưa có số liệu"
    text = f"{format_figure(value, unit, decimals, shown)} {unit}"
    return text + figure_mark(basis)


def _target(target, unit: str) -> str:
    if isinstance(target, list):
        return f"{format_number(target[0])}–{format_number(target[1])} {unit}"
    return f"{format_number(target)} {unit}"


def indicator_sentence(row: dict) -> str:
    """One indicator's figures in words, as in the speaker notes: "CT01 Tổng vốn đầu tư toàn xã
    hội: thực hiện 2.438,3 tỷ đồng; kế hoạch 3.300,9 tỷ đồng; 73,87 % kế hoạch; Chậm tiến độ".

    :param row: a row of :func:`kpi.output.annex.annex_rows` (or of the JSON report).
    """
    if row.get("on_estimate"):  # judged on the year-end estimate alone (annex_rows)
        said = f"ước cả năm {_figure(row['year_estimate'], row['unit'], 'estimate', row.get('decimals'), row.get('shown_decimals'))}"
    else:
        said = f"thực hiện {_figure(row['actual'], row['unit'], row['basis'], row.get('decimals'), row.get('shown_decimals'))}"
    parts = [f"{row['key']} {row['name']}: {said}"]
    parts.append(f"kế hoạch {_target(row['target'], row['unit'])}")
    pct = row.get("attainment_pct")
    if pct is not None and not pd.isna(pct):
        parts.append(f"{format_pct(pct)} kế hoạch")
    parts.append(row["status_label"])
    return "; ".join(parts)


def _font(run, size: float, bold: bool = False, colour: RGBColor = _INK, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = colour


def _text_box(
    slide, left, top, width, height, lines: list[tuple[str, float, bool]], align=PP_ALIGN.LEFT, after: float = 0.5
):
    """A text box of ``lines`` (text, size in pt, bold), ``after`` × the size after each paragraph."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        para.space_after = Pt(size * after)
        _font(para.add_run(), size, bold)
        para.runs[0].text = text
    return box


def _title(slide, text: str, size: float = 30, top=Inches(0.25), height=Inches(0.9)) -> None:
    """The slide's title, one line of ``size`` pt in a box ``height`` tall from ``top``."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(0.5), top, _W - Inches(1.0), height
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    para = frame.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    run = para.add_run()
    run.text = text
    _font(run, size, bold=True)


def _box_height(lines: list[tuple[str, float, bool]], width, after: float = 0.5) -> int:
    """The height (EMU) a :func:`_text_box` of ``width`` takes: each line wrapped
    (:func:`cell_lines`: the box's side margins are a cell's) at 1,2 × its size, ``after`` × the
    size after each paragraph, the box's 0,05 in above and below."""
    text = sum(int(Pt(cell_lines(t, width, size) * size * _LEADING + size * after)) for t, size, _bold in lines)
    return text + Inches(0.1)


def _footer(slide, report: Report, estimates: bool, period: str | None = None) -> None:
    """The slide's foot: the authority, the period (``period``: the slide's own, the awards' year
    :func:`kpi.output.export.group_period`; else the report's), the data's date, "có số liệu ước"
    (:func:`kpi.output.export.foot_line`)."""
    box = slide.shapes.add_textbox(Inches(0.5), _FOOTER_TOP, _W - Inches(1.0), _FOOTER_HEIGHT)
    para = box.text_frame.paragraphs[0]
    run = para.add_run()
    run.text = foot_line(report, estimates, period)
    _font(run, 14, colour=_GREY)


def _notes(slide, lines: list[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _picture(slide, png: bytes, left, top, max_width, max_height):
    """The picture ``max_width`` wide at (``left``, ``top``), narrowed and centred when it would be
    taller than ``max_height``; returns the picture shape."""
    pic = slide.shapes.add_picture(io.BytesIO(png), left, top, width=max_width)
    if pic.height > max_height:
        ratio = max_height / pic.height
        pic.height = int(max_height)
        pic.width = int(pic.width * ratio)
        pic.left = int(left + (max_width - pic.width) / 2)
    return pic


def _awards_slide(prs, con: duckdb.DuckDBPyConnection, report: Report, title: str, png: bytes) -> None:
    """The award counts' chart across the body (as wide as a group's, so its text is as large),
    the honour roll's highest awards under it: as many lines of 14 pt as the room left holds, next to
    a "Tiêu biểu" label; every line in the speaker notes."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, title, 28)
    pic = _picture(slide, png, CHART_LEFT, _AWARDS_TOP, CHART_WIDTH, _CHART_BOTTOM - _AWARDS_TOP - _LINE)
    top = pic.top + pic.height + Inches(0.05)
    room = max(1, int((_CHART_BOTTOM - top) / _LINE))
    lines = [("Tiêu biểu", 14, True)], [(line, 14, False) for line in _highlights(con, report, room, names=2)]
    for left, width, text in zip((0, _LABEL_WIDTH), (_LABEL_WIDTH, CHART_WIDTH - _LABEL_WIDTH), lines, strict=True):
        frame = _text_box(slide, CHART_LEFT + left, top, width, _CHART_BOTTOM - top, text).text_frame
        frame.margin_top = frame.margin_bottom = frame.margin_left = 0
        for para in frame.paragraphs:
            para.space_after = Pt(0)
    rows = annex_rows(con, report)
    counted = rows[rows["key"].isin(award_count_keys(report.catalogue))]
    _footer(slide, report, False, AWARD_PERIOD.format(year=report.year))
    _notes(slide, [indicator_sentence(r) for r in counted.to_dict("records")] + _highlights(con, report, 50, 1000))


def slide_figures(report: Report) -> list:
    """The figures the deck's charts are drawn from, in slide order (each group, then the award
    counts): slide layout (:data:`kpi.output.charts.SLIDE_WIDTH_PX` wide, no title inside, the smallest
    text :data:`kpi.output.charts.SLIDE_MIN_FONT_PX` px). At :data:`CHART_WIDTH` on the slide a text of
    s px is s × 885,6 pt ÷ 880 px ≥ 14 pt."""

    groups = [g for g in GROUPS if (report.table["group"] == g).any()]
    return [group_figure(report, g, slide=True) for g in groups] + [awards_figure(report, slide=True)]


def _counts(rows: pd.DataFrame) -> str:
    return f"{len(rows)} chỉ tiêu: {counts_text(rows['status'])}"


def _judged(row: dict):
    """The figure a row is judged on: its «Lũy kế», or the year-end estimate when that is all
    there is (:func:`kpi.output.annex.annex_rows`' ``on_estimate``; the slide's «Thực hiện» is
    the judged figure, marked «(ước)»)."""
    return row.get("year_estimate") if row.get("on_estimate") else row["actual"]


def _short(row: dict, lead: str = "") -> str:
    """ "Cao nhất: <name> — <figure> <unit>, <% KH> (<word>)" on one line of the slide's body at 14 pt
    (:func:`cell_lines`; a second line would push the picture under it down and shrink its text below
    14 pt): the figure judged (:func:`_judged`) with its unit and «(ước)» when it is an estimate, as
    the table and the notes write it. When that is longer than a line, the name is cut between words
    («…», :func:`kpi.words.excerpt`), never the figure: the highest line of Kinh tế lost its figure
    and its «(ước)» while the lowest kept its own (black-box finding)."""
    pct = row.get("attainment_pct")
    pct_text = f"{format_pct(pct)} KH".replace(" %", "\u00a0%") if pct is not None and not pd.isna(pct) else ""
    figure = _figure(_judged(row), row["unit"], row["basis"], row.get("decimals"), row.get("shown_decimals"))
    tail = f" — {', '.join(filter(None, [figure, pct_text]))} ({row['status_label']})"
    name = str(row["name"])
    for limit in range(len(name), 1, -1):
        line = f"{lead}{excerpt(name, limit)}{tail}"
        if cell_lines(line, _W - Inches(1.0), 14) == 1:
            return line
    return f"{lead}{excerpt(name, 1)}{tail}"


def _key_lines(rows: pd.DataFrame) -> list[str]:
    """Three lines of key figures: where the group's indicators stand, then the highest and the
    lowest % of plan (the only one when a single indicator has a %). Several at the highest (or
    lowest) % as written are said together (:func:`_tied`), never one of them as if alone."""
    lines = [_counts(rows)]
    judged = rows[rows["attainment_pct"].notna()].sort_values("attainment_pct", kind="stable")
    if len(judged) >= 2:
        shown = judged["attainment_pct"].map(format_pct)
        top, bottom = judged[shown == shown.iloc[-1]], judged[shown == shown.iloc[0]]
        if len(top) == len(judged):
            lines.append(_tied(judged, ""))
        else:
            lines.append(_short(top.iloc[-1].to_dict(), "Cao nhất: ") if len(top) == 1 else _tied(top, "Cao nhất: "))
            lines.append(
                _short(bottom.iloc[0].to_dict(), "Thấp nhất: ") if len(bottom) == 1 else _tied(bottom, "Thấp nhất: ")
            )
    elif len(judged) == 1:
        lines.append(_short(judged.iloc[0].to_dict()))
    return lines[:3]


def _tied(rows: pd.DataFrame, lead: str) -> str:
    """ "<lead>7 chỉ tiêu cùng 100,0 % KH: <name>, <name>, …" on one line (:func:`_short`'s
    measure): as many names as fit (two or more, cut between words when long, before one whole)."""
    pct = format_pct(rows["attainment_pct"].iloc[0]).replace(" %", "\u00a0%")
    head = f"{lead}{len(rows)} chỉ tiêu cùng {pct} KH: "
    names = [str(n) for n in rows["name"]]
    tries = [(k, limit) for limit in (40, 30) for k in range(len(names), 1, -1)] + [(1, n) for n in (40, 25, 12)]
    for k, limit in tries:
        more = ", …" if k < len(names) else ""
        line = head + ", ".join(excerpt(n, limit) for n in names[:k]) + more
        if cell_lines(line, _W - Inches(1.0), 14) == 1:
            return line
    return head.rstrip(": ") + "."


def slide_titles(report: Report) -> list[str]:
    """The titles of the deck's slides, in order (what :func:`deck` writes)."""
    groups = [g for g in GROUPS if (report.table["group"] == g).any()]
    titles = [str(report.catalogue.meta.get("title") or f"Kế hoạch năm {report.year}")]
    titles += [f"{_numeral(report, g)}. {GROUP_LABELS[g]}: mức độ hoàn thành kế hoạch" for g in groups]
    titles.append(f"Khen thưởng thành tích năm {report.year} so với kế hoạch")
    pages = table_pages(report)
    for i, page in enumerate(pages, start=1):
        sections = dict.fromkeys(_numeral(report, g) for g, _keys in page)
        titles.append(f"Tổng hợp các chỉ tiêu ({i}/{len(pages)}): " + ", ".join(sections))
    return titles


def _numeral(report: Report, group: str) -> str:
    return SECTIONS.get(group, "")


#: The summary table (slides 7…): its columns, their widths (inches: the body's 12,33), its type
#: (pt: ≥ 14 for a projected slide, issue 14) and where it stands (under the title, above the footer).
TABLE_HEADER = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "% KH", "Đánh giá"]
#: «STT» in bold 14 pt is ≈ 0,4 in: its column of 0,55 in (0,35 in inside the margins) broke it «ST / T»
#: (black-box finding); every heading's longest word fits its column (tests/output/test_export.py).
TABLE_WIDTHS = [0.7, 4.85, 1.45, 1.15, 1.5, 0.95, 1.73]
TABLE_PT = 14
TABLE_TOP, TABLE_BOTTOM = Inches(1.25), _FOOTER_TOP - Inches(0.05)
#: A cell's inner margins (python-pptx's default 0,1 in at the sides; 0,02 in above and below).
_CELL_SIDE, _CELL_END = Inches(0.1), Inches(0.02)
#: Arial's average letter is under 0,55 em; a line is 1,2 × the type's size.
_EM, _LEADING = 0.55, 1.2


def cell_lines(text: str, width, size: float = TABLE_PT) -> int:
    """The lines ``text`` takes in a cell ``width`` (EMU) wide at ``size`` pt: wrapped between
    words at :data:`_EM` em a letter (an overestimate for Arial)."""
    per_line = max(1, int((width - 2 * _CELL_SIDE) / 12700 / (size * _EM)))
    return max(1, len(textwrap.wrap(str(text), per_line)))


def _row_height(cells: list[str]) -> int:
    """The height (EMU) of a summary row: its tallest cell's lines at :data:`TABLE_PT`."""
    lines = max(cell_lines(t, Inches(w)) for t, w in zip(cells, TABLE_WIDTHS, strict=False))
    return int(Pt(lines * TABLE_PT * _LEADING)) + 2 * _CELL_END


def _target_text(target) -> str:
    """The target as the annex writes it (:func:`kpi.output.annex.annex_rows`): "3.300,9", "45–55"."""
    if isinstance(target, (list, tuple)):
        return f"{format_number(target[0])}–{format_number(target[1])}"
    return format_number(target)


def _table_cells(row: dict) -> list[str]:
    """A summary row's cells: STT, name, unit, target, figure (with «(ước)»), % KH, the word."""
    actual, pct = _judged(row), row["attainment_pct"]
    # the judged figure with the decimals that keep it from reading as its target (the report's shown_decimals)
    places = row.get("shown_decimals")
    shown = "–" if actual is None or pd.isna(actual) else format_figure(actual, row["unit"], row["decimals"], places)
    return [
        str(row["stt"]),
        row["name"],
        row["unit"],
        row["target_text"],
        shown + figure_mark(row["basis"]),
        "–" if pct is None or pd.isna(pct) else format_pct(pct).removesuffix(" %"),
        row["status_label"],
    ]


def table_pages(report: Report) -> list[list[tuple[str, list[str]]]]:
    """The summary table cut into the fewest slides that hold it at :data:`TABLE_PT` pt, as evenly
    as they can: each slide a list of ``(group, keys)`` in the annex's order (groups in order, then
    the plan's), the rows' heights (:func:`_row_height`: the header, a group's line, each
    indicator's wrapped cells) within :data:`TABLE_TOP` … :data:`TABLE_BOTTOM`; a group cut by a
    slide continues on the next under its line again ("(tiếp)")."""
    table = report.table.copy()
    table["order"] = table["group"].map({g: i for i, g in enumerate(GROUPS)})
    table = table.sort_values("order", kind="stable")
    table["stt"] = table.groupby("group").cumcount() + 1
    table["target_text"] = table["target"].map(_target_text)
    rows = [(r["group"], r["key"], _row_height(_table_cells(r))) for r in table.to_dict("records")]
    most = TABLE_BOTTOM - TABLE_TOP
    fewest = len(_pack(rows, most))
    low, high = 0, most  # the smallest height that still needs no more slides: even slides
    while high - low > Pt(1):
        middle = (low + high) // 2
        low, high = (low, middle) if len(_pack(rows, middle)) <= fewest else (middle, high)
    return _pack(rows, high)


def _pack(rows: list[tuple[str, str, int]], room: int) -> list[list[tuple[str, list[str]]]]:
    """``(group, key, height)`` rows filled into slides whose table may be ``room`` EMU tall."""
    header = group_line = _row_height(TABLE_HEADER)  # the group's line is one line, as the header
    pages: list[list[tuple[str, list[str]]]] = [[]]
    used = header
    for group, key, height in rows:
        page = pages[-1]
        opens_group = not page or page[-1][0] != group
        need = height + (group_line if opens_group else 0)
        if page and used + need > room:
            pages.append([])
            page, used, opens_group = pages[-1], header, True
            need = height + group_line
        if opens_group:
            page.append((group, []))
        page[-1][1].append(key)
        used += need
    return pages


def _table_slide(prs, report: Report, rows: pd.DataFrame, page: list[tuple[str, list[str]]], title: str) -> None:
    """One slide of the summary table: the rows of ``page`` (:func:`table_pages`) at :data:`TABLE_PT`
    pt, each row as tall as its wrapped cells (so the table's height is what is drawn)."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, title, 26)
    by_key = rows.set_index("key", drop=False)
    lines = [("header", TABLE_HEADER)]
    for group, keys in page:
        label = GROUP_LABELS[group].upper() + (" (tiếp)" if int(by_key.loc[keys[0], "stt"]) > 1 else "")
        lines.append(("group", [by_key.loc[keys[0], "section"], label]))
        lines += [("row", by_key.loc[k].to_dict()) for k in keys]
    heights = [_row_height(_table_cells(item) if kind == "row" else TABLE_HEADER) for kind, item in lines]
    shape = slide.shapes.add_table(
        len(lines), len(TABLE_HEADER), CHART_LEFT, TABLE_TOP, Inches(sum(TABLE_WIDTHS)), sum(heights)
    )
    table = shape.table
    for i, w in enumerate(TABLE_WIDTHS):
        table.columns[i].width = Inches(w)
    for row, height in zip(table.rows, heights, strict=True):
        row.height = height

    def cell(r, c, text, bold=False, align=PP_ALIGN.LEFT, fill=None):
        target = table.cell(r, c)
        target.margin_top = target.margin_bottom = _CELL_END
        target.margin_left = target.margin_right = _CELL_SIDE
        frame = target.text_frame
        frame.clear()
        frame.word_wrap = True
        para = frame.paragraphs[0]
        para.alignment = align
        run = para.add_run()
        run.text = text
        _font(run, TABLE_PT, bold)
        if fill:
            target.fill.solid()
            target.fill.fore_color.rgb = RGBColor.from_string(fill)

    notes = []
    aligns = [PP_ALIGN.CENTER, PP_ALIGN.LEFT, PP_ALIGN.CENTER, PP_ALIGN.RIGHT, PP_ALIGN.RIGHT, PP_ALIGN.RIGHT]
    for r, (kind, item) in enumerate(lines):
        if kind == "header":
            for c, text in enumerate(item):
                cell(r, c, text, bold=True, align=PP_ALIGN.CENTER)
        elif kind == "group":
            cell(r, 0, item[0], bold=True, align=PP_ALIGN.CENTER, fill="E4E7EB")
            table.cell(r, 1).merge(table.cell(r, len(TABLE_HEADER) - 1))
            cell(r, 1, item[1], bold=True, fill="E4E7EB")
        else:
            cells = _table_cells(item)
            for c, (text, align) in enumerate(zip(cells[:-1], aligns, strict=True)):
                cell(r, c, text, align=align)
            cell(r, 6, cells[-1], align=PP_ALIGN.CENTER, fill=_CELL.get(item["status"]))
            notes.append(indicator_sentence(item))
    keys = [k for _group, ks in page for k in ks]
    _footer(slide, report, bool((by_key.loc[keys, "basis"] == "estimate").any()))
    _notes(slide, notes)


def _highlights(con: duckdb.DuckDBPyConnection, report: Report, limit: int = 8, names: int = 3) -> list[str]:
    """The honour roll's highest awards first: the award indicators in the plan's order (the plan
    lists them from the Government's down), each with up to ``names`` recipients, at most
    ``limit`` lines."""
    roll = award_rows(con, report.year)
    if roll.empty:
        return ["Chưa nạp danh sách khen thưởng của năm."]
    roll = roll[roll["counted"]]
    lines = []
    for ind in report.catalogue.indicators:
        if ind.counted_from != "awards":
            continue
        mine = roll[roll["key"] == ind.key]
        if mine.empty:
            continue
        everyone = list(mine["recipient"])
        shown = ", ".join(everyone[:names])
        if len(everyone) > names:
            shown += f" và {len(everyone) - names} tập thể, cá nhân khác"
        lines.append(f"{ind.award or ind.name}: {shown}")
        if len(lines) >= limit:
            break
    return lines


def deck(con: duckdb.DuckDBPyConnection, report: Report, today: dt.date | None = None) -> bytes:
    """The deck (.pptx bytes) of ``report``; see the module docstring for its slides.

    :param today: the date on the cover (default: today).
    :raises RenderUnavailable, RenderFailed: the charts could not be drawn (:mod:`kpi.output.render`).
    """
    today = today or dt.date.today()
    meta = report.catalogue.meta
    rows = annex_rows(con, report)
    groups = [g for g in GROUPS if (report.table["group"] == g).any()]
    titles = slide_titles(report)
    # Drawn SLIDE_WIDTH_PX wide at 3× and placed CHART_WIDTH wide: every text ≥ 14 pt on the slide.
    figures = slide_figures(report)
    images = render.pngs(figures, width=SLIDE_WIDTH_PX, scale=3)

    prs = Presentation()
    prs.slide_width, prs.slide_height = _W, _H
    prs.core_properties.title = f"{titles[0]} — {report.period_text}"
    prs.core_properties.author = str(meta.get("authority") or "")

    # 1. cover
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _title(slide, titles[0], 34)
    slide.shapes.title.top = Inches(1.6)
    slide.shapes.title.height = Inches(1.5)
    _text_box(
        slide,
        Inches(0.5),
        Inches(3.3),
        _W - Inches(1.0),
        Inches(3.0),
        [
            ("Kết quả thực hiện các chỉ tiêu", 28, True),
            (report.period_text, 26, False),
            (_counts(rows), 20, False),
            (f"{meta.get('authority') or ''} · ngày {today:%d/%m/%Y}", 20, False),
        ],
    )
    _footer(slide, report, report.has_estimates)
    _notes(
        slide,
        [f"{titles[0]} — {report.period_text}.", _counts(rows)]
        + [indicator_sentence(r) for r in rows.to_dict("records")],
    )

    # 2–5. one slide per group
    for i, group in enumerate(groups):
        mine = rows[rows["group"] == group]
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        _title(slide, titles[1 + i], 28, _GROUP_TITLE_TOP, _GROUP_TITLE_HEIGHT)
        keys = _key_lines(mine)
        # where the group stands; what the picture's bars and marks mean (read from the figure that
        # drew it: the picture has no axis title); "Cao nhất", "Thấp nhất": a line each
        legend = "; ".join(filter(None, ["thanh ngang: % so với kế hoạch", marks_note(figures[i], short=True)]))
        key_lines = [(keys[0], 16, True), (legend[0].upper() + legend[1:], 14, False)]
        key_lines += [(line, 14, False) for line in keys[1:]]
        height = _box_height(key_lines, _W - Inches(1.0), after=_KEY_AFTER) - Inches(0.1)
        frame = _text_box(slide, Inches(0.5), _KEY_TOP, _W - Inches(1.0), height, key_lines, after=_KEY_AFTER)
        frame.text_frame.margin_top = frame.text_frame.margin_bottom = 0
        # the chart under the key lines (a picture would hide the lines it covered)
        top = _KEY_TOP + height
        _picture(slide, images[i], CHART_LEFT, top, CHART_WIDTH, _CHART_BOTTOM - top)
        _footer(slide, report, bool((mine["basis"] == "estimate").any()), group_period(report, group))
        _notes(slide, [indicator_sentence(r) for r in mine.to_dict("records")])

    # 6. awards: counts against targets and the honour roll's highlights
    _awards_slide(prs, con, report, titles[1 + len(groups)], images[-1])

    # 7… the summary table, as many slides as hold it at 14 pt
    for page, title in zip(table_pages(report), titles[2 + len(groups) :], strict=True):
        _table_slide(prs, report, rows, page, title)

    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def write_deck(con: duckdb.DuckDBPyConnection, year: int, quarter: int | None = None) -> bytes:
    """The slide deck (.pptx, 16:9) of the attainment report as of ``quarter``; see
    :mod:`kpi.output.deck`.

    :raises NotFound: no plan for ``year``.
    :raises RenderUnavailable: no browser or no Vietnamese font (the charts are pictures).
    :raises RenderFailed: a chart took longer than the time limit.
    """
    render.check()
    return deck(con, attainment_report(con, year, quarter))
