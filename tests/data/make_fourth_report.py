"""Makes tests/data/bao-cao-xa-hien-quan-6-thang-2024.xlsx: a report in a layout none of the shared
samples use, saved by LibreOffice Calc (run once by hand; the output is committed, CI needs no
LibreOffice):

* a commune's report (admin block "ỦY BAN NHÂN DÂN / XÃ HIỀN QUAN": the subject is the commune);
* the document number and date in the right-hand block, the title lower down, a unit note;
* the header on rows 10–11 with a merged parent "Thực hiện" over "Ước thực hiện quý" and
  "Lũy kế 6 tháng"; the plan column after them; the unit column last but one;
* money in "Tr.đồng" (triệu đồng), a percent typed as text "93,6%", names written as aliases,
  a row that is not in the plan, and a "Ghi chú" column.

    python tests/data/make_fourth_report.py   # needs libreoffice (Debian: libreoffice-calc-nogui)
"""

import pathlib
import subprocess
import tempfile

import openpyxl

ROWS = [
    ["ỦY BAN NHÂN DÂN", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["XÃ HIỀN QUAN", None, None, "Độc lập - Tự do - Hạnh phúc"],
    [None, None, None, None],
    ["Số: 45/BC-UBND", None, None, "Hiền Quan, ngày 18 tháng 6 năm 2024"],
    [None],
    ["BÁO CÁO ƯỚC THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2024"],
    ["(Phục vụ sơ kết phong trào thi đua đợt 1)"],
    [None],
    [None, None, None, None, None, None, "Đơn vị tính: như cột ĐVT"],
    ["TT", "Nội dung chỉ tiêu", "Thực hiện", None, "Kế hoạch 2024", "ĐVT", "Ghi chú"],
    [None, None, "Ước thực hiện quý", "Lũy kế 6 tháng", None, None, None],
    ["1", "Vốn đầu tư toàn xã hội", "24.100", "45.200", "98.000", "Tr.đồng", None],
    ["2", "Thu NSNN trên địa bàn", "4.150", "8.350", "17.500", "Tr.đồng", None],
    ["3", "Diện tích lúa gieo cấy", "310", "620", "640", "ha", "không thuộc kế hoạch thi đua"],
    ["4", "Tỷ lệ người dân tham gia BHYT", "93,6%", "93,6%", "94,5%", "%", None],
    ["5", "Khu dân cư nông thôn mới kiểu mẫu", "2", "2", "3", "Khu", "lũy kế"],
    ["6", "Tỷ lệ dân số được sử dụng nước sạch, nước hợp vệ sinh", "100", "100", "100", "%", None],
    [None],
    [None, "NGƯỜI LẬP BIỂU", None, None, "TM. ỦY BAN NHÂN DÂN"],
]

out = pathlib.Path(__file__).with_name("bao-cao-xa-hien-quan-6-thang-2024.xlsx")
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "BC 6 thang"
for r, row in enumerate(ROWS, start=1):
    for c, value in enumerate(row, start=1):
        if value is not None:
            ws.cell(row=r, column=c, value=value)
for ref in ("A10:A11", "B10:B11", "C10:D10", "E10:E11", "F10:F11", "G10:G11", "A6:G6"):
    ws.merge_cells(ref)
with tempfile.TemporaryDirectory() as tmp:
    src = pathlib.Path(tmp) / "draft.xlsx"
    wb.save(src)
    outdir = pathlib.Path(tmp) / "out"
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir),
                    str(src)], check=True, capture_output=True, timeout=120)
    converted = outdir / "draft.xlsx"
    out.write_bytes(converted.read_bytes())
print(out)
