"""The layout form a register is offered when its headings are not found (round 7 code-blind
finding 5): a registration list was refused and offered the indicator report's form («Cột tên chỉ
tiêu», «Cột đơn vị tính», «Nghĩa/Quý/Số ước») starting at header row «1». A register is offered its
own columns, the header row empty until chosen (or read), and the list described so is read, saved,
and the next list of that layout read without asking. The real upload page under AppTest; the lists
are written here (openpyxl) with headings no vocabulary knows.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.ingest import prepare
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.catalogue import load_catalogue
from tests.support.apptest import XLSX, texts, upload_page
from tests.support.sheets import xlsx

TITLE = "TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM 2024"


def odd_list(units: list[str], day: int) -> bytes:
    """A registration list whose headings say nothing a reader knows: «Cơ sở», «Hồ sơ gửi về»."""
    rows = [["HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG HUYỆN"], [TITLE], [], ["TT", "Cơ sở", "Hồ sơ gửi về", "Khác"]]
    for i, unit in enumerate(units, start=1):
        rows.append([i, unit, f"Số {i}/ĐK ngày {day:02d}/02/2024", ""])
    return xlsx(rows, sheet="TH")


def _form(at) -> dict[str, object]:
    """The layout form's fields by label."""
    fields = {box.label: box for box in at.selectbox if box.key and box.key.startswith("map_")}
    fields |= {n.label: n for n in at.number_input if n.key and n.key.startswith("map_")}
    return fields


@pytest.mark.usefixtures("app_env", "server_machine")
def test_a_register_without_known_headings_is_offered_its_own_layout(con, cfg):
    units = list(load_catalogue(con, 2024).block_units["unit"])
    at = upload_page(con)
    at.file_uploader(key="up_files").set_value([("dk-1.xlsx", odd_list(units, 5), XLSX)]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "không tìm thấy dòng tiêu đề cột cần thiết" in texts(at)
    form = _form(at)
    labels = set(form)
    assert {"Cột tên cơ quan, đơn vị *", "Cột ngày đăng ký *", "Cột số, ngày văn bản đăng ký *"} <= labels
    assert not {"Cột tên chỉ tiêu", "Cột đơn vị tính"} & labels and not at.get("arrow_data_frame_editor")
    header = form["Dòng tiêu đề (dòng cuối của phần tiêu đề)"]
    assert header.value is None  # not known: empty, never «1»
    (apply,) = [b for b in at.button if b.key and b.key.startswith("map_apply_")]
    assert apply.disabled
    header.set_value(4).run()
    _form(at)["Cột tên cơ quan, đơn vị *"].set_value("B").run()
    _form(at)["Cột số, ngày văn bản đăng ký *"].set_value("C").run()
    (apply,) = [b for b in at.button if b.key and b.key.startswith("map_apply_")]
    assert not apply.disabled
    apply.click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Danh sách đăng ký thi đua" in shown and "Bị từ chối" not in shown, shown
    (save,) = [b for b in at.button if b.key and b.key.startswith("up_save_")]
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]

    from kpi.bootstrap import open_database

    again = open_database(cfg)
    try:
        docs = dict(again.execute("SELECT unit, doc_number FROM registrations").fetchall())
        days = dict(again.execute("SELECT unit, registered_on FROM registrations").fetchall())
        assert docs[units[0]] == "1/ĐK" and days[units[0]] == dt.date(2024, 2, 5)
        # the next list of the same layout is read through the layout described, without asking
        later = prepare(again, odd_list(units, 9), "dk-2.xlsx", ImportOptions(), cfg)
        assert later.file_kind == "registrations" and not later.refused, [i.text() for i in later.issues]
        assert set(later.registrations["registered_on"]) == {dt.date(2024, 2, 9)}
    finally:
        again.close()


def test_the_guess_names_the_row_that_reads_as_the_header(con, cfg):
    """A list whose unit column is known but whose sign of registration is not: the form starts at
    that row with that column, the rest to choose."""
    units = list(load_catalogue(con, 2024).block_units["unit"])
    rows = [[TITLE], [], ["STT", "Tên cơ quan, đơn vị", "Hồ sơ gửi về"]]
    rows += [[i, u, f"Số {i}/ĐK ngày 05/02/2024"] for i, u in enumerate(units, start=1)]
    prep = prepare(con, xlsx(rows, sheet="DS"), "dk.xlsx", ImportOptions(), cfg)
    assert prep.file_kind is None
    assert prep.suggestions["DS"] == {"register": "registrations", "header_row": 3, "columns": {"unit": "B"}}


def test_an_award_register_without_known_headings_is_read_through_its_own_layout(con, cfg):
    """An award register whose headings name nothing a reader knows («Người, đơn vị được tặng»,
    «Được tặng», «Văn bản khen»): its layout is asked as an award register's (recipient, award,
    decision…), and read through it the awards count."""
    rows = [
        ["DANH SÁCH KHEN THƯỞNG THÀNH TÍCH NĂM 2024"],
        [],
        ["Thứ tự", "Văn bản khen", "Được tặng", "Người, đơn vị được tặng"],
    ]
    people = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
    for i, who in enumerate(people, start=1):
        rows.append([i, f"{100 + i}/QĐ-UBND ngày 20/12/2024", "Chiến sĩ thi đua cơ sở", who])
    data = xlsx(rows, sheet="KT")
    prep = prepare(con, data, "kt.xlsx", ImportOptions(), cfg)
    assert prep.file_kind is None and prep.suggestions["KT"]["register"] == "awards", prep.suggestions
    layout = {
        "register": "awards",
        "header_row": 3,
        "columns": {"recipient": "D", "award": "C", "decision_number": "B"},
    }
    read = prepare(con, data, "kt.xlsx", ImportOptions(mapping=layout, sheet="KT"), cfg)
    assert read.file_kind == "awards" and not read.refused, [i.text() for i in read.issues]
    assert list(read.awards["recipient"]) == people
    assert list(read.awards["decision_number"]) == ["101/QĐ-UBND", "102/QĐ-UBND", "103/QĐ-UBND", "104/QĐ-UBND"]
    assert set(read.awards["key"]) == {"TD09"}
