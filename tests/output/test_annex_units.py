"""The annex's honour roll writes a body under «Cơ quan, đơn vị» (round 7 code-blind finding 15).

A register's «Chức vụ, đơn vị công tác» column holds a person's title and workplace in one cell.
A workplace the plan names was already read from its end («Chủ tịch UBND xã Dị Nậu» → Xã Dị Nậu);
one it does not name was kept whole, and the annex read «Giáo viên Trường TH Thọ Văn» under «Cơ
quan, đơn vị». The body goes there; the title stays beside the person («Bùi Thị Lan Anh, Giáo
viên»); a collective's unit is never split. The register is written here (openpyxl), read and
stored on a real database, the annex read back with openpyxl.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from kpi.domain.award_identity import title_and_organisation
from kpi.ingest import ingest
from kpi.output.annex import write_annex
from kpi.reading.report_sheets import ImportOptions
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

HEADER = ["TT", "Họ và tên / Tên tập thể", "Đối tượng", "Chức vụ, đơn vị công tác", "Hình thức khen thưởng"]
HEADER += ["Quyết định (số, ngày)", "Thành tích năm"]
ROWS = [
    ("Bùi Thị Lan Anh", "CN", "Giáo viên Trường TH Thọ Văn"),
    ("Kiều Văn Lâm", "CN", "Hiệu trưởng Trường THCS Vạn Xuân"),
    ("Đinh Thị Nga", "CN", "Kế toán Hợp tác xã Nông nghiệp Hồng Đà"),
    ("Lò Văn Sáng", "CN", "Thanh tra viên Thanh tra huyện"),
    ("Trường Mầm non Dân Quyền", "TT", "Phòng Giáo dục và Đào tạo"),
    ("Trạm Y tế xã Hương Nộn", "TT", "Trung tâm Y tế Huyện"),
    ("Mạc Thị Huyền", "CN", "Văn phòng HĐND và UBND huyện"),
]


def register() -> bytes:
    rows = [["DANH SÁCH KHEN THƯỞNG THÀNH TÍCH NĂM 2024"], [], HEADER]
    for i, (who, kind, where) in enumerate(ROWS, start=1):
        award = "Tập thể lao động xuất sắc" if kind == "TT" else "Chiến sĩ thi đua cơ sở"
        rows.append([i, who, kind, where, award, f"Số {200 + i}/QĐ-UBND ngày 26/12/2024", 2024])
    return xlsx(rows, sheet="Khen")


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("Giáo viên Trường TH Thọ Văn", ("Giáo viên", "Trường TH Thọ Văn")),
        ("Phó Trưởng Công an huyện", ("Phó Trưởng", "Công an huyện")),  # «Trưởng» the head, not a school
        ("Kế toán, Trạm Y tế xã Tề Lễ", ("Kế toán", "Trạm Y tế xã Tề Lễ")),
        ("Thanh tra viên Thanh tra huyện", ("Thanh tra viên", "Thanh tra huyện")),
        ("Tổ trưởng Tổ dân phố số 3", ("Tổ trưởng", "Tổ dân phố số 3")),
        ("Trạm Y tế Xã Tề Lễ", ("", "Trạm Y tế Xã Tề Lễ")),  # a body, then its commune
        ("Phòng Giáo dục và Đào tạo", ("", "Phòng Giáo dục và Đào tạo")),
        ("Giáo viên", ("", "Giáo viên")),
        ("", ("", "")),
    ],
)
def test_a_title_and_a_body_apart(written, parts):
    assert title_and_organisation(written) == parts


def test_the_annex_writes_the_body_under_the_unit_and_the_title_beside_the_person(con, cfg):
    _prep, done = ingest(con, register(), "khen-2024.xlsx", ACTOR, ImportOptions(), cfg)
    assert done.status != "refused", done.message
    sheet = openpyxl.load_workbook(io.BytesIO(write_annex(con, 2024, 4)))["Khen thưởng"]
    assert [c.value for c in sheet[5]][1:3] == ["Tên tập thể / Họ và tên", "Cơ quan, đơn vị"]
    shown = {row[1]: row[2] for row in sheet.iter_rows(min_row=6, values_only=True) if row[1]}
    assert shown == {
        "Bùi Thị Lan Anh, Giáo viên": "Trường TH Thọ Văn",
        "Kiều Văn Lâm, Hiệu trưởng": "Trường THCS Vạn Xuân",
        "Đinh Thị Nga, Kế toán": "Hợp tác xã Nông nghiệp Hồng Đà",
        "Lò Văn Sáng": "Thanh tra huyện",  # the plan's unit, read from the cell's end
        "Trường Mầm non Dân Quyền": "Phòng Giáo dục và Đào tạo",  # a collective: its unit as written
        "Trạm Y tế xã Hương Nộn": "Trung tâm Y tế huyện",
        "Mạc Thị Huyền": "Văn phòng HĐND và UBND huyện",
    }
