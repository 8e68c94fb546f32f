"""A report photographed or scanned and pasted into a workbook: an image and no cell (blind round
7, finding 13: refused as «tệp không có ô nào có dữ liệu», never told it held only a picture).
The workbooks are written here with openpyxl and Pillow; the .ods and .xls by LibreOffice when
it is installed."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image, ImageDraw

from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.reading.workbook import read_workbook


def _scan_png() -> io.BytesIO:
    picture = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(picture)
    draw.text((20, 20), "BAO CAO 6 THANG 2024 (anh chup)", fill="black")
    for k in range(6):
        draw.line((20, 60 + k * 50, 580, 60 + k * 50), fill="black")
    out = io.BytesIO()
    picture.save(out, "PNG")
    out.seek(0)
    return out


def picture_workbook(*, title: str | None = None, pictures: int = 1) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Anh chup"
    if title:
        ws["A1"] = title
    for n in range(pictures):
        ws.add_image(SheetImage(_scan_png()), f"B{3 + 25 * n}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_only_a_picture_says_so(con, cfg):
    prep = prepare(con, picture_workbook(pictures=2), "anh-chup-bao-cao.xlsx", ImportOptions(), cfg)
    assert prep.refused
    [error] = prep.errors
    assert error.code == "only_pictures"
    assert error.message.startswith(
        "Tệp chỉ có hình ảnh (ảnh chụp/ảnh quét: 2 hình), không có ô số liệu nào: chương trình không đọc được số "
        "trong ảnh. Hãy nhập số liệu vào bảng tính"
    )
    assert "không có ô nào có dữ liệu" not in error.message


def test_a_picture_beside_a_title_is_said_too(con, cfg):
    prep = prepare(
        con, picture_workbook(title="BÁO CÁO QUÝ II/2024 (bản scan)"), "scan-co-tieu-de.xlsx", ImportOptions(), cfg
    )
    [error] = prep.errors
    assert error.code == "no_indicator"
    assert "Tệp có 1 hình ảnh (ảnh chụp/ảnh quét): số liệu trong hình ảnh không đọc được." in error.message


def test_an_empty_workbook_is_not_a_picture(con, cfg):
    wb = openpyxl.Workbook()
    out = io.BytesIO()
    wb.save(out)
    [error] = prepare(con, out.getvalue(), "trong.xlsx", ImportOptions(), cfg).errors
    assert error.code == "no_indicator" and "không có ô nào có dữ liệu" in error.message


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice converts the workbook to .ods and .xls")
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_pictures_in_ods_and_xls(tmp_path, fmt):
    source = tmp_path / "anh.xlsx"
    source.write_bytes(picture_workbook())
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", fmt, source.name],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=180,
    )
    wb = read_workbook((tmp_path / f"anh.{fmt}").read_bytes(), f"anh.{fmt}")
    assert wb.format == fmt and wb.pictures == 1 and not any(s.height for s in wb.sheets)
