"""Generators of the real-world and broken workbooks of issue 4, each small and written like its sheet.

Every function returns ``(bytes, file name)``. The quarterly report they share is a Q1 district
report of Phòng Tài chính - Kế hoạch whose figures are those of the shared Q1 sample, so a test can
say which stored figure it expects.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from html import escape

import openpyxl

from tests.support.sheets import patch_zip, report_rows, xlsx, xlsxwriter_book

TITLE = "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2024"
REFERENCE = "(Kèm theo Báo cáo số 52/BC-TCKH ngày 05/4/2024 của Phòng Tài chính - Kế hoạch)"
HEADER = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2024", "Thực hiện Quý I/2024", "Lũy kế từ đầu năm"]
# Body rows start on sheet row 8 (report_rows: admin ×2, blank, title, reference, blank, header).
BODY = [
    [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 520.4, 520.4],
    [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, 160.2, 160.2],
    [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, 92.8, 92.8],
    [4, "Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)", "Khu", 20, 17, 17],
]


def q1_rows(body=None, header=None, title=TITLE) -> list[list]:
    """A fresh copy of the report's rows (callers may change cells)."""
    rows = [list(r) for r in (body if body is not None else BODY)]
    return report_rows(title, list(header or HEADER), rows, reference=REFERENCE)


def plain_report() -> tuple[bytes, str]:
    return xlsx(q1_rows()), "bao-cao.xlsx"


# 1 — formulas without trustworthy cached results ------------------------------------------------


def formulas_without_cache() -> tuple[bytes, str]:
    """openpyxl writes formulas with no cached value, as a program does. E9 = 100 + 60,2 and
    F8 = E8 can be evaluated; F10 uses VLOOKUP (not evaluated: "no value"); the derived column G
    (TH/KH) is never evaluated."""
    header = [*HEADER, "TH/KH (%)"]
    body = [
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 520.4, "=E8", "=ROUND(F8/D8*100,2)"],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, "=100+60.2", "=SUM(E9)", "=F9/D9*100"],
        [3, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 94.5, 92.8, "=VLOOKUP(B10,B8:F11,5,0)", "=F10/D10*100"],
        [4, "Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)", "Khu", 20, 17, 17, "=F11/D11*100"],
    ]
    return xlsx(q1_rows(body, header)), "cong-thuc.xlsx"


def formulas_cached_zero() -> tuple[bytes, str]:
    """XlsxWriter: every formula has a cached 0 and the workbook asks for a full recalculation."""
    rows = q1_rows()
    rows[7][4] = None
    rows[9][5] = None
    return xlsxwriter_book(rows, formulas={"E8": ("=500+20.4", 0), "F10": ("=SQRT(8611.84)", 0)}), "xlsxwriter.xlsx"


# 2 — merged headers over three rows, a label merged down, a truly empty cell ------------------------


def merged_headers() -> tuple[bytes, str]:
    rows = [
        ["UBND HUYỆN TAM NÔNG"],
        ["PHÒNG TÀI CHÍNH - KẾ HOẠCH"],
        [],
        [TITLE],
        [REFERENCE],
        [],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện", None, None, "Ghi chú"],
        [None, None, None, "Quý I/2024", None, "Lũy kế", None],
        [None, None, None, "Thực hiện", "Ước tính", None, None],
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 520.4, 521, 520.4, None],
        [None, None, None, None, None, None, "(số liệu sơ bộ của Chi cục Thống kê)"],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", None, 160, 160.2, "ô quý I để trống"],
    ]
    merges = ["A7:A9", "B7:B9", "C7:C9", "D7:F7", "D8:E8", "F8:F9", "G7:G9", "B10:B11", "A10:A11", "C10:C11"]
    return xlsx(rows, merges=merges), "tieu-de-gop.xlsx"


# 3 — one percent column, four ways of writing 72,89 % --------------------------------------------


def percent_forms() -> tuple[bytes, str]:
    header = ["STT", "Chỉ tiêu", "Đơn vị tính", "Lũy kế từ đầu năm"]
    body = [
        [1, "Tỷ lệ lao động đang làm việc đã qua đào tạo và truyền nghề", "%", 0.7289],
        [2, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", "72,89%"],
        [3, "Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đô thị và khu dân cư tập trung", "%", 72.89],
        [4, "Tỷ lệ dân cư nông thôn, thành thị được sử dụng nước sạch, nước hợp vệ sinh", "%", "72.89\u00a0%"],
    ]
    return xlsx(q1_rows(body, header), percent=["D8"]), "ty-le.xlsx"


def percent_mixed_scales() -> tuple[bytes, str]:
    header = ["STT", "Chỉ tiêu", "Đơn vị tính", "Lũy kế từ đầu năm"]
    body = [
        [1, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 0.941],
        [2, "Tỷ lệ thu gom và xử lý chất thải rắn sinh hoạt đô thị và khu dân cư tập trung", "%", 87.6],
    ]
    return xlsx(q1_rows(body, header)), "ty-le-tron.xlsx"


# 4 — dates in every form, and a 1904 workbook ----------------------------------------------------


def registration_dates(date1904: bool = False) -> tuple[bytes, str]:
    """A registration list whose dates are written five ways (all 31/03/2024) and one ambiguous."""
    serial = 43920 if date1904 else 45382
    rows = [
        ["DANH SÁCH CƠ QUAN, ĐƠN VỊ ĐĂNG KÝ THI ĐUA NĂM 2024"],
        [],
        ["STT", "Khối thi đua", "Cơ quan, đơn vị", "Ngày đăng ký", "Số văn bản đăng ký"],
        [1, "Khối các xã, thị trấn số 1", "Thị trấn Hưng Hóa", serial, "01/ĐK-TĐ"],
        [2, "Khối các xã, thị trấn số 1", "Xã Dân Quyền", dt.datetime(2024, 3, 31), "09"],
        [3, "Khối các xã, thị trấn số 1", "Xã Hương Nộn", "31/03/2024", "007"],
        [4, "Khối các xã, thị trấn số 1", "Xã Dị Nậu", "31-3-2024", "12/ĐK"],
        [5, "Khối các xã, thị trấn số 1", "Xã Thọ Văn", "03/04/2024", "13/ĐK"],
    ]
    data = xlsx(rows, formats={"D5": "dd/mm/yyyy"}, text_cells=["E5", "E6"], date1904=date1904)
    return data, "dang-ky-ngay.xlsx"


# 5 — numbers stored as text ----------------------------------------------------------------------


def numbers_as_text() -> tuple[bytes, str]:
    header = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2024", "Lũy kế từ đầu năm"]
    body = [
        ["01", "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", "3.300,9", " 980 "],
        ["02", "Tổng thu ngân sách nhà nước", "Tỷ đồng", "805", "1.250"],
        ["03", "Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)", "Khu", "20", "17"],
    ]
    return xlsx(q1_rows(body, header), text_cells=["A8", "A9", "A10"]), "so-dang-chu.xlsx"


def ambiguous_thousands() -> tuple[bytes, str]:
    header = ["STT", "Chỉ tiêu", "Đơn vị tính", "Lũy kế từ đầu năm"]
    body = [[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", "1.234"]]
    return xlsx(q1_rows(body, header)), "mo-ho.xlsx"


# 6 — header text full of invisible characters -----------------------------------------------------


def dirty_headers() -> tuple[bytes, str]:
    header = [
        "\ufeffSTT",
        "CHỈ\u00a0TIÊU",
        "Đơn vị\ntính",
        "kế hoạch NĂM 2024",
        "Thực hiện\u200b quý I/2024",
        "Lũy kế từ đầu năm__x0000_",
    ]
    body = [row[:] for row in BODY]
    data = xlsx(q1_rows(body, header))
    # NUL cannot be typed in openpyxl; the OOXML escape _x0000_ stands for it, as some writers use.
    return data, "tieu-de-ban.xlsx"


def unit_header_variants() -> list[tuple[bytes, str]]:
    out = []
    for label in ("ĐVT", "DVT", "Đơn vị tính", "ĐƠN VỊ TÍNH", "Đơn vị\ntính"):
        header = ["STT", "Chỉ tiêu", label, "Thực hiện Quý I/2024"]
        out.append((xlsx(q1_rows([[1, "Tổng thu ngân sách nhà nước", "Triệu đồng", 160200]], header)), f"{label}.xlsx"))
    return out


# 7 — hidden sheets, rows and columns --------------------------------------------------------------


def hidden_things() -> tuple[bytes, str]:
    header = [*HEADER, "Thực hiện Quý I/2023"]
    body = [
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 500.0, 500.0, 480.0],  # row 8: hidden, last year's
        [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3300.9, 520.4, 520.4, 480.0],
        [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 805, 160.2, 160.2, 150.0],
    ]
    old = {
        "rows": q1_rows([[1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", 3000, 400, 400]]),
        "state": "hidden",
        "first": True,
    }
    lookup = {"rows": [["Mã", "Tên"], ["CT01", "Tổng vốn đầu tư toàn xã hội"]], "state": "veryHidden"}
    data = xlsx(
        q1_rows(body, header),
        sheet="Báo cáo",
        hidden_rows=[8],
        hidden_cols=["G"],
        extra_sheets={"Mẫu cũ 2023": old, "DM": lookup},
    )
    return data, "an.xlsx"


# 8 — formats that lie about themselves ------------------------------------------------------------


def html_as_xls() -> tuple[bytes, str]:
    rows = q1_rows(
        [
            [1, "Tổng vốn đầu tư toàn xã hội", "Tỷ đồng", "3.300,9", "520,4", "520,4"],
            [2, "Tổng thu ngân sách nhà nước", "Tỷ đồng", "805", "160,2", "160,2"],
        ]
    )
    html = ["<html><head><meta charset='utf-8'><title>Báo cáo</title></head><body><table border='1'>"]
    for row in rows:
        html.append(
            "<tr>"
            + "".join(f"<td>{escape(str(v))}</td>" if v not in (None, "") else "<td></td>" for v in row)
            + "</tr>"
        )
    html.append("</table></body></html>")
    return "\n".join(html).encode("utf-8"), "bao-cao-cong-thong-tin.xls"


def spreadsheetml_2003() -> tuple[bytes, str]:
    rows = q1_rows()
    out = [
        '<?xml version="1.0"?>',
        '<?mso-application progid="Excel.Sheet"?>',
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">',
        '<Styles><Style ss:ID="pct"><NumberFormat ss:Format="Percent"/></Style></Styles>',
        '<Worksheet ss:Name="Bao cao"><Table>',
    ]
    for row in rows:
        out.append("<Row>")
        index = 0
        for c, value in enumerate(row, start=1):
            if value in (None, ""):
                continue
            index_attr = f' ss:Index="{c}"' if c != index + 1 else ""
            index = c
            kind = "Number" if isinstance(value, (int, float)) else "String"
            out.append(f'<Cell{index_attr}><Data ss:Type="{kind}">{escape(str(value))}</Data></Cell>')
        out.append("</Row>")
    out.append("</Table></Worksheet></Workbook>")
    return "\n".join(out).encode("utf-8"), "xml-2003.xls"


_STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships",
}


def strict_ooxml() -> tuple[bytes, str]:
    """The plain report with its parts rewritten in Strict OOXML namespaces (ISO/IEC 29500 strict)."""
    data, _ = plain_report()
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                text = zf.read(name)
                for old, new in _STRICT.items():
                    text = text.replace(old, new)
                text = text.replace(
                    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                    b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
                )
                parts[name] = text
    return patch_zip(data, parts), "strict.xlsx"


def cut_at(fraction: float = 0.6) -> tuple[bytes, str]:
    data, _ = plain_report()
    return data[: int(len(data) * fraction)], "cat-do.xlsx"


def password_protected() -> tuple[bytes, str]:
    from msoffcrypto.format.ooxml import OOXMLFile

    data, _ = plain_report()
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("matkhau2024", out)
    return out.getvalue(), "co-mat-khau.xlsx"


# 9 — used ranges that lie -------------------------------------------------------------------------


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode()


def wps_dimension() -> tuple[bytes, str]:
    """Data fill A1:H30 but the dimension tag says A1 (as WPS writes it)."""
    body = [row[:] + [None, None] for row in BODY] + [
        [n, f"Chỉ tiêu khác {n}", "cái", n, n, n, n, n] for n in range(5, 27)
    ]
    data = xlsx(q1_rows(body, [*HEADER, "Ghi chú", "Nguồn"]))
    xml = _sheet_xml(data)
    xml = re.sub(r'<dimension ref="[^"]+"/>', '<dimension ref="A1"/>', xml)
    return patch_zip(data, {"xl/worksheets/sheet1.xml": xml.encode()}), "wps.xlsx"


def no_dimension() -> tuple[bytes, str]:
    data, _ = plain_report()
    xml = re.sub(r'<dimension ref="[^"]+"/>', "", _sheet_xml(data))
    return patch_zip(data, {"xl/worksheets/sheet1.xml": xml.encode()}), "khong-dimension.xlsx"


def huge_used_range() -> tuple[bytes, str]:
    """One styled empty cell at XFD1048576, 500 formatted blank rows, and a dimension claiming the
    whole grid."""
    data, _ = plain_report()
    xml = _sheet_xml(data)
    blank = "".join(f'<row r="{r}"><c r="A{r}" s="1"/><c r="H{r}" s="1"/></row>' for r in range(20, 520))
    xml = xml.replace("</sheetData>", blank + '<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>')
    xml = re.sub(r'<dimension ref="[^"]+"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    return patch_zip(data, {"xl/worksheets/sheet1.xml": xml.encode()}), "vung-lon.xlsx"


def far_space_cell() -> tuple[bytes, str]:
    """A single space typed in XFD1048576 (a non-empty cell): calamine would allocate the whole
    grid; the sparse reader keeps the real cells."""
    data, _ = plain_report()
    xml = _sheet_xml(data).replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row></sheetData>'
    )
    return patch_zip(data, {"xl/worksheets/sheet1.xml": xml.encode()}), "o-xa.xlsx"


# 10 — error cells in value columns ----------------------------------------------------------------


def error_cells() -> tuple[bytes, str]:
    data, _ = plain_report()
    xml = _sheet_xml(data)
    for ref, err in (("E8", "#DIV/0!"), ("F9", "#N/A"), ("E10", "#VALUE!"), ("F11", "#REF!")):
        xml = re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', f'<c r="{ref}" t="e"><v>{err}</v></c>', xml, count=1)
    return patch_zip(data, {"xl/worksheets/sheet1.xml": xml.encode()}), "loi-cong-thuc.xlsx"


# 11 — NFD names (a Mac), old tone placement -------------------------------------------------------


def nfd_report() -> tuple[bytes, str]:
    import unicodedata

    rows = [[unicodedata.normalize("NFD", v) if isinstance(v, str) else v for v in row] for row in q1_rows()]
    return xlsx(rows), "mac-nfd.xlsx"


def registrations_spelled_differently() -> tuple[bytes, str]:
    import unicodedata

    rows = [
        ["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"],
        [],
        ["STT", "Cơ quan, đơn vị", "Ngày đăng ký"],
        [1, "Thị trấn Hưng Hoá", dt.datetime(2024, 2, 1)],
        [2, unicodedata.normalize("NFD", "Xã Thanh Uyên"), dt.datetime(2024, 2, 2)],
        [3, "UBND xã Tề Lễ", dt.datetime(2024, 2, 3)],
        [4, "XÃ HIỀN QUAN", dt.datetime(2024, 2, 4)],
    ]
    return xlsx(rows), "dang-ky-chinh-ta.xlsx"


# 12 — legacy Vietnamese encodings -----------------------------------------------------------------

_TCVN3_BY_HAND = {  # the Q1 report's words as an old .VnTime machine shows them, typed by hand
    "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU QUÝ I NĂM 2024": "BiÓu tæng hîp kÕt qu¶ thùc hiÖn c¸c chØ tiªu quý I n¨m 2024",
    "Chỉ tiêu": "ChØ tiªu",
    "Đơn vị tính": "§¬n vÞ tÝnh",
    "Kế hoạch năm 2024": "KÕ ho¹ch n¨m 2024",
    "Thực hiện Quý I/2024": "Thùc hiÖn Quý I/2024",
    "Lũy kế từ đầu năm": "Lòy kÕ tõ ®Çu n¨m",
    "Tổng vốn đầu tư toàn xã hội": "Tæng vèn ®Çu t\u00ad toµn x· héi",
    "Tổng thu ngân sách nhà nước": "Tæng thu ng©n s¸ch nhµ n\u00adíc",
    "Tỷ lệ dân số tham gia bảo hiểm y tế": "Tû lÖ d©n sè tham gia b¶o hiÓm y tÕ",
    "Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)": "Sè khu d©n c\u00ad ®¹t khu n«ng th«n míi kiÓu mÉu (lòy kÕ)",
    "Tỷ đồng": "Tû ®ång",
    "Khu": "Khu",
}


def tcvn3_report() -> tuple[bytes, str]:
    rows = [[_TCVN3_BY_HAND.get(v, v) if isinstance(v, str) else v for v in row] for row in q1_rows()]
    rows[0][0], rows[1][0] = "UBND HUYÖN TAM N¤NG", "PHßNG TµI CHÝNH - KÕ HO¹CH"
    return xlsx(rows), "tcvn3.xlsx"


def tcvn3_by_iconv() -> tuple[bytes, str]:
    """The second TCVN3 fixture is not typed by us: glibc's iconv encodes the report's Unicode text to
    TCVN5712-1 bytes, shown as Latin-1 (what an old font's text becomes in Excel)."""

    def legacy(text: str) -> str:
        # iconv encodes upper case in the VN1 area; old fonts typed lower-case codes, so lower first.
        done = subprocess.run(
            ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.lower().encode(), capture_output=True, check=True
        )
        return done.stdout.decode("latin-1")

    rows = [[legacy(v) if isinstance(v, str) and v else v for v in row] for row in q1_rows()]
    return xlsx(rows), "tcvn3-iconv.xlsx"


def vni_report() -> tuple[bytes, str]:
    vni = {
        "Chỉ tiêu": "Chæ tieâu",
        "Đơn vị tính": "Ñôn vò tính",
        "Kế hoạch năm 2024": "Keá hoaïch naêm 2024",
        "Thực hiện Quý I/2024": "Thöïc hieän Quyù I/2024",
        "Lũy kế từ đầu năm": "Luõy keá töø ñaàu naêm",
        "Tổng vốn đầu tư toàn xã hội": "Toång voán ñaàu tö toaøn xaõ hoäi",
        "Tổng thu ngân sách nhà nước": "Toång thu ngaân saùch nhaø nöôùc",
        "Tỷ lệ dân số tham gia bảo hiểm y tế": "Tyû leä daân soá tham gia baûo hieåm y teá",
        "Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)": "Soá khu daân cö ñaït khu noâng thoân môùi kieåu maãu (luõy keá)",
        "Tỷ đồng": "Tyû ñoàng",
        TITLE: "BIEÅU TOÅNG HÔÏP KEÁT QUAÛ THÖÏC HIEÄN CAÙC CHÆ TIEÂU QUYÙ I NAÊM 2024",
    }
    rows = [[vni.get(v, v) if isinstance(v, str) else v for v in row] for row in q1_rows()]
    rows[0][0], rows[1][0] = "UBND HUYEÄN TAM NOÂNG", "PHOØNG TAØI CHÍNH - KEÁ HOAÏCH"
    return xlsx(rows), "vni.xlsx"


def openpyxl_cells(data: bytes) -> dict[str, list[list]]:
    """Every sheet's cell values as openpyxl sees them (cached values), for the differential test."""
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


# Damaged blocks (issue 16, finding 10): one byte changed inside a file, its header left alone ----


def flipped(data: bytes, count: int = 24, mask: int = 0xFF) -> list[tuple[int, bytes]]:
    """``data`` with one byte XOR ``mask`` at each of ``count`` offsets spread evenly through it
    (deterministic: the middle of each of ``count`` equal slices)."""
    out = []
    for number in range(count):
        offset = len(data) * (2 * number + 1) // (2 * count)
        damaged = bytearray(data)
        damaged[offset] ^= mask
        out.append((offset, bytes(damaged)))
    return out


def _central_entry(data: bytes, member: str) -> int:
    """Where the central-directory entry of ``member`` starts in a zip's bytes."""
    name = member.encode()
    return next(i for i in _all(data, b"PK\x01\x02") if data[i + 46 : i + 46 + len(name)] == name)


def _all(data: bytes, needle: bytes):
    start = data.find(needle)
    while start != -1:
        yield start
        start = data.find(needle, start + 1)


def unknown_compression_method(data: bytes, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A zip whose central directory names a compression method that does not exist (95) for
    ``member``: what a damaged byte there looks like (Python's zipfile: NotImplementedError)."""
    at = _central_entry(data, member) + 10
    return data[:at] + (95).to_bytes(2, "little") + data[at + 2 :]


def undecodable_member_name(data: bytes, member: str = "content.xml") -> bytes:
    """A zip whose central directory says ``member``'s name is UTF-8 (flag bit 11) but holds a
    byte that is not (Python's zipfile: UnicodeDecodeError when it opens the file)."""
    at = _central_entry(data, member)
    flags = int.from_bytes(data[at + 8 : at + 10], "little") | 0x800
    out = bytearray(data)
    out[at + 8 : at + 10] = flags.to_bytes(2, "little")
    out[at + 46] = 0x9A
    return bytes(out)


def ods_bad_repeat_count(data: bytes) -> bytes:
    """An .ods whose first ``number-rows-repeated`` count is damaged ("!6384"): well-formed XML
    whose number is not one."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info, body in parts:
            if info.filename == "content.xml":
                body = re.sub(rb'number-rows-repeated="(\d+)"', rb'number-rows-repeated="!\1"', body, count=1)
            target.writestr(info, body)
    return out.getvalue()
