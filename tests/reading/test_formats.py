"""The format readers of kpi.reading.formats, called directly: an XML Spreadsheet 2003 workbook,
an HTML table (a portal's ".xls" export) and an .ods ``content.xml``, each written here by hand so
each fact (a percent style, merged and hidden cells, dates, a hidden sheet) is known."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.config import settings
from kpi.errors import UnreadableFile
from kpi.reading.formats import read_html_table, read_xml2003, scan_ods_content

XML2003 = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:x="urn:schemas-microsoft-com:office:excel">
 <Styles>
  <Style ss:ID="pct"><NumberFormat ss:Format="0.00%"/></Style>
  <Style ss:ID="d"><NumberFormat ss:Format="Short Date"/></Style>
 </Styles>
 <Worksheet ss:Name="Biểu 1">
  <Table>
   <Column ss:Index="4" ss:Hidden="1"/>
   <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">BÁO CÁO QUÝ I NĂM 2024</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">Chỉ tiêu</Data></Cell><Cell><Data ss:Type="String">ĐVT</Data></Cell>
        <Cell><Data ss:Type="String">Thực hiện</Data></Cell></Row>
   <Row ss:Hidden="1"><Cell><Data ss:Type="String">dòng ẩn</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">Tỷ lệ dân số tham gia bảo hiểm y tế</Data></Cell>
        <Cell><Data ss:Type="String">%</Data></Cell>
        <Cell ss:StyleID="pct"><Data ss:Type="Number">0.941</Data></Cell></Row>
   <Row><Cell ss:Index="2"><Data ss:Type="String">ngày</Data></Cell>
        <Cell ss:StyleID="d"><Data ss:Type="DateTime">2024-03-31T00:00:00.000</Data></Cell></Row>
  </Table>
 </Worksheet>
 <Worksheet ss:Name="Ẩn">
  <Table><Row><Cell><Data ss:Type="Number">1</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet>
</Workbook>
"""


def test_xml2003_cells_merges_percent_styles_hidden_rows_and_sheets():
    wb = read_xml2003(XML2003.encode("utf-8"), settings())
    assert wb.format == "xml2003"
    first, hidden = wb.sheets
    assert first.name == "Biểu 1" and first.state == "visible"
    assert hidden.name == "Ẩn" and hidden.state == "hidden"
    assert first.rows[0][0] == "BÁO CÁO QUÝ I NĂM 2024"
    assert (0, 0, 0, 2) in first.merged  # MergeAcross="2": three columns of row 1
    assert first.rows[3][:3] == ["Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 0.941]
    assert (3, 2) in first.percent  # 0,941 shown as 94,10 %
    assert (1, 0) not in first.percent
    assert 2 in first.hidden_rows and 3 in first.hidden_cols  # ss:Index="4" is column D
    assert first.rows[4][1] == "ngày"  # ss:Index="2" skips column A
    assert first.rows[4][2] in (dt.datetime(2024, 3, 31), dt.date(2024, 3, 31))


def test_xml2003_with_a_dtd_is_refused_as_hostile():
    bomb = XML2003.replace('<?mso-application progid="Excel.Sheet"?>', '<!DOCTYPE x [<!ENTITY a "aaaa">]>')
    with pytest.raises(UnreadableFile) as caught:
        read_xml2003(bomb.encode("utf-8"), settings())
    assert caught.value.cause == "xml_bomb"
    assert "DTD" in str(caught.value)


def test_xml2003_cut_short_is_refused_as_damaged_in_vietnamese():
    with pytest.raises(UnreadableFile) as caught:
        read_xml2003(XML2003.encode("utf-8")[:700], settings())
    assert caught.value.cause == "corrupt"
    assert "bị hỏng" in str(caught.value)


HTML = """<html><head><meta charset="utf-8"></head><body>
<p>Cổng thông tin</p>
<table>
 <tr><td colspan="3">BÁO CÁO 6 THÁNG NĂM 2024</td></tr>
 <tr><td rowspan="2">Chỉ tiêu</td><td>ĐVT</td><td>Lũy kế</td></tr>
 <tr><td>tỷ đồng</td><td>1.426,0</td></tr>
</table></body></html>"""


def test_html_table_cells_as_texts_with_colspan_and_rowspan_as_merges():
    wb = read_html_table(HTML.encode("utf-8"), settings())
    (sheet,) = wb.sheets
    assert sheet.rows[0][0] == "BÁO CÁO 6 THÁNG NĂM 2024"
    assert (0, 0, 0, 2) in sheet.merged
    assert sheet.rows[1][:3] == ["Chỉ tiêu", "ĐVT", "Lũy kế"]
    # The rowspan keeps column A of row 3 for "Chỉ tiêu": the next cells shift right.
    assert (1, 0, 2, 0) in sheet.merged
    assert sheet.rows[2][1:3] == ["tỷ đồng", "1.426,0"]  # numbers stay text, read the Vietnamese way later


def test_an_html_page_without_a_table_is_refused():
    with pytest.raises(UnreadableFile):
        read_html_table(b"<html><body><p>Kh\xc3\xb4ng c\xc3\xb3 b\xe1\xba\xa3ng</p></body></html>", settings())


T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
S = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="{OFFICE}" xmlns:table="{T}" xmlns:style="{S}">
 <office:automatic-styles>
  <style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  <table:null-date table:date-value="1904-01-01"/>
  <table:table table:name="Biểu 1">
   <table:table-column table:number-columns-repeated="2"/>
   <table:table-column table:visibility="collapse"/>
   <table:table-row>
    <table:table-cell table:number-columns-spanned="3" office:value-type="string"/>
    <table:covered-table-cell table:number-columns-repeated="2"/>
   </table:table-row>
   <table:table-row table:number-rows-repeated="2" table:visibility="collapse"><table:table-cell/></table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="percentage" office:value="0.876"/>
    <table:table-cell table:formula="of:=[.A4]*2"/>
   </table:table-row>
  </table:table>
  <table:table table:name="Ẩn" table:style-name="ta2"/>
 </office:spreadsheet></office:body>
</office:document-content>"""


def test_ods_content_percent_cells_formulas_merges_hidden_rows_columns_and_sheets():
    facts = scan_ods_content(CONTENT.encode("utf-8"))
    assert facts["__date1904__"] is True
    sheet = facts["Biểu 1"]
    assert sheet["merged"] == [(0, 0, 0, 2)]
    assert sheet["hidden_rows"] == {1, 2}  # one row element repeated twice
    assert sheet["hidden_cols"] == {2}
    assert sheet["percent"] == {(3, 0)}  # the row after the two repeated ones is row 4
    assert sheet["formulas"] == {(3, 1): "of:=[.A4]*2"}
    assert facts["Ẩn"]["state"] == "hidden" and sheet["state"] == "visible"
