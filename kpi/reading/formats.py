"""Format-specific readers used by :mod:`kpi.reading.workbook` where calamine alone is not enough.

* :func:`scan_ods_content` — one streaming pass (defusedxml, no DTD, no entities) over an .ods
  ``content.xml`` for percent value types, formulas without values, merged ranges and hidden
  rows/columns/sheets. Positions follow the same expansion of repeated rows and cells as
  calamine's, so they line up with its values.
* :func:`read_xml2003` — "XML Spreadsheet 2003" files saved with an .xls name.
* :func:`read_html_table` — an HTML table saved as ".xls" by a web portal (lxml, no network).
"""

from __future__ import annotations

import datetime as dt
import io

from kpi.config import Settings
from kpi.errors import UnreadableFile

__all__ = ["scan_ods_content", "read_xml2003", "read_html_table"]

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_S = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_MAX_REPEAT_VISIT = 1024  # repeated empty cells/rows are skipped arithmetically beyond this


def _iterparse(data: bytes, events=("start", "end")):
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        yield from iterparse(
            io.BytesIO(data), events=events, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise UnreadableFile(
            "xml_bomb",
            "Tệp chứa khai báo DTD/thực thể XML — dấu hiệu tệp độc hại («XML bomb»). Tệp bị từ chối.",
        ) from exc
    except Exception as exc:  # ParseError and friends: a damaged or truncated XML part
        raise UnreadableFile(
            "corrupt",
            f"Nội dung tệp bị hỏng, không đọc được ({type(exc).__name__}). Hãy mở tệp gốc, lưu lại rồi tải lên lại.",
        ) from exc


def scan_ods_content(content: bytes) -> dict:
    """Facts of each table (sheet) of an .ods ``content.xml``, by sheet name.

    :returns: ``{sheet name: {"percent": set[(r, c)], "formulas": {(r, c): formula},
        "merged": [(r0, c0, r1, c1)], "hidden_rows": set, "hidden_cols": set, "state": str}}``
        plus ``"__date1904__": bool``.
    """
    hidden_styles: set[str] = set()
    out: dict = {"__date1904__": False}
    table = None
    row = -1
    col = 0
    row_repeat = 1
    row_hidden = False
    col_index = 0
    table_style = None
    for event, el in _iterparse(content):
        tag = el.tag
        if event == "start":
            if tag == _T + "table":
                name = el.get(_T + "name", "")
                state = "hidden" if el.get(_T + "style-name") in hidden_styles else "visible"
                table = {
                    "percent": set(),
                    "formulas": {},
                    "merged": [],
                    "hidden_rows": set(),
                    "hidden_cols": set(),
                    "state": state,
                }
                out[name] = table
                row, col_index = -1, 0
            elif table is not None and tag == _T + "table-row":
                row += 1
                col = 0
                row_repeat = int(el.get(_T + "number-rows-repeated", "1") or 1)
                row_hidden = el.get(_T + "visibility", "visible") in ("collapse", "filter")
                if row_hidden:
                    table["hidden_rows"].update(range(row, row + min(row_repeat, _MAX_REPEAT_VISIT)))
            elif table is not None and tag == _T + "table-column":
                repeat = int(el.get(_T + "number-columns-repeated", "1") or 1)
                if el.get(_T + "visibility", "visible") in ("collapse", "filter"):
                    table["hidden_cols"].update(range(col_index, col_index + min(repeat, 16384)))
                col_index += repeat
            elif table is not None and tag in (_T + "table-cell", _T + "covered-table-cell"):
                repeat = int(el.get(_T + "number-columns-repeated", "1") or 1)
                if tag == _T + "table-cell":
                    vtype = el.get(_O + "value-type")
                    span_c = int(el.get(_T + "number-columns-spanned", "1") or 1)
                    span_r = int(el.get(_T + "number-rows-spanned", "1") or 1)
                    formula = el.get(_T + "formula")
                    for k in range(min(repeat, _MAX_REPEAT_VISIT) if (vtype or formula) else 0):
                        for rr in range(min(row_repeat, _MAX_REPEAT_VISIT)):
                            pos = (row + rr, col + k)
                            if vtype == "percentage":
                                table["percent"].add(pos)
                            if formula and not vtype:
                                table["formulas"][pos] = formula
                    if span_c > 1 or span_r > 1:
                        table["merged"].append((row, col, row + span_r - 1, col + span_c - 1))
                col += repeat
            elif tag == _S + "style":
                table_style = el.get(_S + "name") if el.get(_S + "family") == "table" else None
            elif tag == _S + "table-properties" and el.get(_T + "display") == "false":
                if table_style:
                    hidden_styles.add(table_style)
            elif tag == _T + "null-date" and (el.get(_T + "date-value") or "").startswith("1904"):
                out["__date1904__"] = True
        else:
            if tag == _T + "table-row":
                row += row_repeat - 1
            elif tag == _T + "table":
                table = None
            if tag in (_T + "table-cell", _T + "covered-table-cell", _T + "table-row"):
                el.clear()
    return out


# -- SpreadsheetML 2003 ------------------------------------------------------------------------

_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_X = "{urn:schemas-microsoft-com:office:excel}"


def read_xml2003(data: bytes, cfg: Settings):
    """Read an "XML Spreadsheet 2003" workbook (Excel's XML format with an .xls name).

    :raises UnreadableFile: damaged XML, or a DTD/entity declaration (refused as hostile).
    """
    from kpi.reading.workbook import Sheet, Workbook

    percent_styles: set[str] = set()
    sheets: list = []
    style_id = None
    sheet = None
    rows: list[list] = []
    r = -1
    c = -1
    cell_info: dict | None = None
    for event, el in _iterparse(data):
        tag = el.tag
        if event == "start":
            if tag == _SS + "Style":
                style_id = el.get(_SS + "ID")
            elif tag == _SS + "NumberFormat" and style_id:
                fmt = el.get(_SS + "Format", "")
                if "%" in fmt or fmt.lower() == "percent":
                    percent_styles.add(style_id)
            elif tag == _SS + "Worksheet":
                sheet = {
                    "name": el.get(_SS + "Name", f"Sheet{len(sheets) + 1}"),
                    "percent": set(),
                    "formulas": {},
                    "errors": {},
                    "merged": [],
                    "hidden_rows": set(),
                    "hidden_cols": set(),
                    "state": "visible",
                }
                rows, r, col_i = [], -1, 0
            elif tag == _SS + "Column" and sheet is not None:
                idx = el.get(_SS + "Index")
                col_i = int(idx) - 1 if idx else col_i
                span = int(el.get(_SS + "Span", "0") or 0) + 1
                if el.get(_SS + "Hidden") == "1":
                    sheet["hidden_cols"].update(range(col_i, col_i + span))
                col_i += span
            elif tag == _SS + "Row" and sheet is not None:
                idx = el.get(_SS + "Index")
                r = int(idx) - 1 if idx else r + 1
                c = -1
                if el.get(_SS + "Hidden") == "1":
                    sheet["hidden_rows"].add(r)
            elif tag == _SS + "Cell" and sheet is not None:
                idx = el.get(_SS + "Index")
                c = int(idx) - 1 if idx else c + 1
                across = int(el.get(_SS + "MergeAcross", "0") or 0)
                down = int(el.get(_SS + "MergeDown", "0") or 0)
                if across or down:
                    sheet["merged"].append((r, c, r + down, c + across))
                cell_info = {"style": el.get(_SS + "StyleID"), "across": across}
        else:
            if tag == _SS + "Data" and sheet is not None and cell_info is not None:
                text = "".join(el.itertext())
                kind = el.get(_SS + "Type", "String")
                value: object = text
                if kind == "Number":
                    try:
                        value = float(text)
                    except ValueError:
                        value = text
                    if cell_info["style"] in percent_styles:
                        sheet["percent"].add((r, c))
                elif kind == "DateTime":
                    try:
                        value = dt.datetime.fromisoformat(text[:19])
                    except ValueError:
                        value = text
                elif kind == "Boolean":
                    value = text.strip() == "1"
                elif kind == "Error":
                    sheet["errors"][(r, c)] = text.strip()
                    value = ""
                while len(rows) <= r:
                    rows.append([])
                line = rows[r]
                while len(line) <= c:
                    line.append("")
                line[c] = value
            elif tag == _SS + "Cell":
                if cell_info is not None:
                    c += cell_info["across"]
                cell_info = None
            elif tag == _X + "Visible" and sheet is not None:
                text = (el.text or "").strip()
                sheet["state"] = {"SheetHidden": "hidden", "SheetVeryHidden": "veryHidden"}.get(text, "visible")
            elif tag == _SS + "Worksheet" and sheet is not None:
                width = max((len(x) for x in rows), default=0)
                rows = [x + [""] * (width - len(x)) for x in rows]
                sheets.append(
                    Sheet(
                        name=sheet["name"],
                        rows=rows,
                        state=sheet["state"],
                        percent=frozenset(sheet["percent"]),
                        errors=sheet["errors"],
                        merged=tuple(sheet["merged"]),
                        hidden_rows=frozenset(sheet["hidden_rows"]),
                        hidden_cols=frozenset(sheet["hidden_cols"]),
                    )
                )
                sheet = None
            elif tag == _SS + "Style":
                style_id = None
    if not sheets:
        raise UnreadableFile("not_spreadsheet", "Tệp XML không chứa trang tính nào.")
    return Workbook("xml2003", sheets)


# -- HTML tables -------------------------------------------------------------------------------


def read_html_table(data: bytes, cfg: Settings):
    """Read every ``<table>`` of an HTML page (a web portal's ".xls" export) as a sheet.

    Cell values are the cells' texts (numbers are parsed later, the Vietnamese way); ``colspan``
    and ``rowspan`` become merged ranges with the value in the top-left cell.

    :raises UnreadableFile: no table in the page.
    """
    import lxml.html
    from lxml import etree

    from kpi.reading.workbook import Sheet, Workbook

    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, huge_tree=False)
    try:
        doc = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableFile("corrupt", "Trang HTML bị hỏng, không đọc được bảng.") from exc
    sheets = []
    for number, table in enumerate(doc.iter("table"), start=1):
        if table.getparent() is not None and any(a.tag == "table" for a in table.iterancestors()):
            continue  # nested tables are read as part of their parent's cells
        grid: dict[tuple[int, int], str] = {}
        merged = []
        r = -1
        for tr in table.iter("tr"):
            if any(
                a.tag == "table" and a is not table for a in tr.iterancestors() if a is not table and a.tag == "table"
            ):
                continue
            r += 1
            c = 0
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                while (r, c) in grid:
                    c += 1
                text = " ".join(td.text_content().split())
                try:
                    cs = max(1, min(int(td.get("colspan", "1")), 1000))
                    rs = max(1, min(int(td.get("rowspan", "1")), 10000))
                except ValueError:
                    cs = rs = 1
                for dr in range(rs):
                    for dc in range(cs):
                        grid[(r + dr, c + dc)] = ""
                grid[(r, c)] = text
                if cs > 1 or rs > 1:
                    merged.append((r, c, r + rs - 1, c + cs - 1))
                c += cs
        if not grid:
            continue
        height = max(k[0] for k in grid) + 1
        width = max(k[1] for k in grid) + 1
        rows = [[grid.get((i, j), "") for j in range(width)] for i in range(height)]
        sheets.append(Sheet(name=f"Bảng {number}", rows=rows, merged=tuple(merged)))
    if not sheets:
        raise UnreadableFile(
            "not_spreadsheet",
            "Tệp là trang HTML nhưng không có bảng số liệu nào. Hãy tải lên tệp Excel của báo cáo.",
        )
    return Workbook("html", sheets)
