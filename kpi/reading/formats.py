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
from kpi.reading.messages import unreadable

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
        raise unreadable("xml_bomb") from exc
    except Exception as exc:  # ParseError and friends: a damaged or truncated XML part
        raise unreadable("corrupt.xml", error=type(exc).__name__) from exc


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
    """Read an "XML Spreadsheet 2003" workbook (Excel's XML format with an .xls name): one pass
    over the XML, the styles first (which of them are percent formats), then each worksheet's
    columns, rows and cells (:class:`_Xml2003Sheet`) with their merges, errors and hidden state.

    :raises UnreadableFile: damaged XML, a DTD/entity declaration (refused as hostile), or no
        worksheet.
    """
    from kpi.reading.workbook import Workbook

    percent_styles: set[str] = set()
    sheets: list = []
    style_id = None
    sheet: _Xml2003Sheet | None = None
    for event, el in _iterparse(data):
        tag = el.tag
        if tag == _SS + "Style":
            style_id = el.get(_SS + "ID") if event == "start" else None
        elif tag == _SS + "NumberFormat" and style_id and event == "start":
            fmt = el.get(_SS + "Format", "")
            if "%" in fmt or fmt.lower() == "percent":
                percent_styles.add(style_id)
        elif tag == _SS + "Worksheet":
            if event == "start":
                sheet = _Xml2003Sheet(el.get(_SS + "Name", f"Sheet{len(sheets) + 1}"), percent_styles)
            elif sheet is not None:
                sheets.append(sheet.finish())
                sheet = None
        elif sheet is not None:
            sheet.element(event, tag, el)
    if not sheets:
        raise unreadable("not_spreadsheet.xml2003")
    return Workbook("xml2003", sheets)


class _Xml2003Sheet:
    """One ``<Worksheet>`` being read: its cells' values by row, percent cells, errors, merged
    ranges, hidden rows and columns and the sheet's state (``x:Visible``)."""

    def __init__(self, name: str, percent_styles: set[str]):
        self.name = name
        self.percent_styles = percent_styles  # filled by the <Styles> block before any sheet
        self.percent: set[tuple[int, int]] = set()
        self.errors: dict[tuple[int, int], str] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.hidden_rows: set[int] = set()
        self.hidden_cols: set[int] = set()
        self.state = "visible"
        self.rows: list[list] = []
        self.r, self.c, self.col_i = -1, -1, 0
        self.cell: dict | None = None  # the open <Cell>: its style and how many columns it spans

    def element(self, event: str, tag: str, el) -> None:
        """One parse event inside the worksheet."""
        if event == "start":
            if tag == _SS + "Column":
                self._column(el)
            elif tag == _SS + "Row":
                idx = el.get(_SS + "Index")
                self.r = int(idx) - 1 if idx else self.r + 1
                self.c = -1
                if el.get(_SS + "Hidden") == "1":
                    self.hidden_rows.add(self.r)
            elif tag == _SS + "Cell":
                self._cell(el)
        elif tag == _SS + "Data" and self.cell is not None:
            self._put(self._value(el))
        elif tag == _SS + "Cell":
            if self.cell is not None:
                self.c += self.cell["across"]
            self.cell = None
        elif tag == _X + "Visible":
            text = (el.text or "").strip()
            self.state = {"SheetHidden": "hidden", "SheetVeryHidden": "veryHidden"}.get(text, "visible")

    def _column(self, el) -> None:
        idx = el.get(_SS + "Index")
        self.col_i = int(idx) - 1 if idx else self.col_i
        span = int(el.get(_SS + "Span", "0") or 0) + 1
        if el.get(_SS + "Hidden") == "1":
            self.hidden_cols.update(range(self.col_i, self.col_i + span))
        self.col_i += span

    def _cell(self, el) -> None:
        idx = el.get(_SS + "Index")
        self.c = int(idx) - 1 if idx else self.c + 1
        across = int(el.get(_SS + "MergeAcross", "0") or 0)
        down = int(el.get(_SS + "MergeDown", "0") or 0)
        if across or down:
            self.merged.append((self.r, self.c, self.r + down, self.c + across))
        self.cell = {"style": el.get(_SS + "StyleID"), "across": across}

    def _value(self, el) -> object:
        """A ``<Data>`` element's value by its ``ss:Type``; a number in a percent style and an
        error value are noted."""
        text = "".join(el.itertext())
        kind = el.get(_SS + "Type", "String")
        value: object = text
        if kind == "Number":
            try:
                value = float(text)
            except ValueError:
                value = text
            if self.cell["style"] in self.percent_styles:
                self.percent.add((self.r, self.c))
        elif kind == "DateTime":
            try:
                value = dt.datetime.fromisoformat(text[:19])
            except ValueError:
                value = text
        elif kind == "Boolean":
            value = text.strip() == "1"
        elif kind == "Error":
            self.errors[(self.r, self.c)] = text.strip()
            value = ""
        return value

    def _put(self, value: object) -> None:
        while len(self.rows) <= self.r:
            self.rows.append([])
        line = self.rows[self.r]
        while len(line) <= self.c:
            line.append("")
        line[self.c] = value

    def finish(self):
        """The :class:`~kpi.reading.workbook.Sheet`, its rows padded to one width."""
        from kpi.reading.workbook import Sheet

        width = max((len(x) for x in self.rows), default=0)
        return Sheet(
            name=self.name,
            rows=[x + [""] * (width - len(x)) for x in self.rows],
            state=self.state,
            percent=frozenset(self.percent),
            errors=self.errors,
            merged=tuple(self.merged),
            hidden_rows=frozenset(self.hidden_rows),
            hidden_cols=frozenset(self.hidden_cols),
        )


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
        raise unreadable("corrupt.html") from exc
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
        raise unreadable("not_spreadsheet.html")
    return Workbook("html", sheets)
