"""A supplementary register is added, never a replacement (black-box finding, December 2026).

A tester loaded its own 4-row "DANH SÁCH KHEN THƯỞNG BỔ SUNG" after the 97-row award register of
the samples: the new file *replaced* the register, every award target fell to "Không đạt", and the
preview only said, in a blue line, "Sẽ thay bản đang dùng #5". Now (kpi/ingest_registers.py):

* a title that says "bổ sung", "đợt 2"… makes the list a part of its own, counted with the lists
  in use (a row in both counted once);
* a list that would replace the one in use without saying whether it is a correction or a
  supplement, and is much smaller or shares few rows with it, is held for the clerk: replace or
  add (the upload page's choice, ``--register-as`` on the command line);
* a replacement says in a warning how the counts of each target change, old → new.

Every workbook here is written by the test (openpyxl), in layouts unlike the samples'.
"""

from __future__ import annotations

import pytest

from kpi.bootstrap import open_database
from kpi.cli import main
from kpi.ingest import ingest, prepare
from kpi.preview import register_effect
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.awards import award_counts
from tests.support.apptest import XLSX, texts
from tests.support.paths import PROJECT
from tests.support.samples import ACTOR
from tests.support.sheets import xlsx

CSTD, BK_TINH, TTLDXS = "Chiến sĩ thi đua cơ sở", "Bằng khen của Chủ tịch UBND tỉnh", "Tập thể lao động xuất sắc"
QD_HUYEN, QD_TINH, QD_TAP_THE = (
    "90/QĐ-UBND ngày 16/01/2025",
    "247/QĐ-UBND ngày 24/01/2025",
    "91/QĐ-UBND ngày 16/01/2025",
)
UNITS = ["Xã Dân Quyền", "Phòng Tư pháp", "Xã Tề Lễ", "Phòng Y tế", "Xã Bắc Sơn", "Công an huyện", "Phòng Nội vụ"]
PEOPLE = [
    "Hà Minh Quyết",
    "Lương Thị Nguyệt",
    "Đinh Văn Sáng",
    "Kiều Thị Hoà",
    "Tạ Quang Vĩnh",
    "Mạc Thị Lụa",
    "Quách Văn Tùng",
    "Khổng Thị Yến",
    "Lò Văn Thịnh",
    "Văn Thị Duyên",
]

#: The main list of these tests: 8 Chiến sĩ thi đua cơ sở (TD09), 2 Bằng khen tỉnh to persons
#: (TD07), 2 Tập thể lao động xuất sắc (TD08) — (award, recipient, unit, decision).
MAIN = (
    [(CSTD, PEOPLE[i], UNITS[i % 7], QD_HUYEN) for i in range(8)]
    + [(BK_TINH, PEOPLE[8], UNITS[1], QD_TINH), (BK_TINH, PEOPLE[9], UNITS[3], QD_TINH)]
    + [(TTLDXS, "Phòng Tư pháp", "Phòng Tư pháp", QD_TAP_THE), (TTLDXS, "Xã Tề Lễ", "Xã Tề Lễ", QD_TAP_THE)]
)
NEW_PEOPLE = ["Nông Văn Khuê", "Hầu Thị Phượng", "Bạch Đức Lâm", "Giáp Thị Thơm"]
HEADER = ["Số TT", "Danh hiệu thi đua", "Người được khen", "Nơi công tác", "QĐ số, ngày", "Năm"]


def award_list(title: list[str], rows, *, header=HEADER) -> bytes:
    """An award register: ``title`` lines, a blank line, the header, one line per (award,
    recipient, unit, decision) in the columns ``header`` names (same roles, any order)."""
    roles = {
        "Số TT": None,
        "Danh hiệu thi đua": 0,
        "Hình thức": 0,
        "Người được khen": 1,
        "Họ tên / Tập thể": 1,
        "Nơi công tác": 2,
        "Đơn vị": 2,
        "QĐ số, ngày": 3,
        "Quyết định": 3,
        "Năm": "year",
        "Năm thành tích": "year",
    }
    body = []
    for n, row in enumerate(rows, start=1):
        line = []
        for h in header:
            role = roles[h]
            line.append(n if role is None else 2024 if role == "year" else row[role])
        body.append(line)
    top = [[t] for t in title] + ([[]] if title else [])
    return xlsx([*top, header, *body])


def bo_sung(rows, title="DANH SÁCH KHEN THƯỞNG BỔ SUNG NĂM 2024") -> bytes:
    return award_list(["ỦY BAN NHÂN DÂN HUYỆN TAM NÔNG", title], rows, header=list(reversed(HEADER)))


def new_rows(n: int, start: int = 0):
    return [(CSTD, NEW_PEOPLE[start + i], UNITS[i], QD_HUYEN) for i in range(n)]


MAIN_FILE = award_list(["DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG NĂM 2024"], MAIN)
SMALL = award_list(["DANH SÁCH KHEN THƯỞNG NĂM 2024"], new_rows(3))


def statuses(con) -> dict[str, str]:
    return dict(con.execute("SELECT file_name, status FROM submissions ORDER BY seq").fetchall())


def with_main(con, cfg):
    ingest(con, MAIN_FILE, "chinh.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024) == {"TD09": 8, "TD07": 2, "TD08": 2}


# -- the finding: a supplement loaded after the samples' register -------------------------------


def test_a_supplementary_list_by_its_title_is_added_to_the_samples_register(loaded, cfg):
    con = loaded
    before = award_counts(con, 2024)
    rows = [*new_rows(2), (BK_TINH, NEW_PEOPLE[3], "Thanh tra huyện", QD_TINH)]
    prep = prepare(con, bo_sung(rows), "kt-bo-sung.xlsx", ImportOptions(), cfg)
    assert not prep.refused and prep.part == "bổ sung"
    assert prep.register_scope.how == "supplement" and prep.register_scope.replaces == ()
    level, lead, _text, counted, table = register_effect(prep)
    assert level == "info" and lead == "Danh sách bổ sung" and counted.startswith("Khi lưu, 2 số sẽ thay đổi")
    assert table.values.tolist() == [
        ["Số cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen", str(before["TD07"]), str(before["TD07"] + 1)],
        ["Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện", str(before["TD09"]), str(before["TD09"] + 2)],
    ]
    _prep, done = ingest(con, bo_sung(rows), "kt-bo-sung.xlsx", ACTOR, ImportOptions(), cfg)
    assert "danh sách bổ sung: tính cùng danh sách đang dùng" in done.message
    assert statuses(con)["khen-thuong-2024.xlsx"] == "active"  # the samples' register stays in use
    after = award_counts(con, 2024)
    assert after == before | {"TD09": before["TD09"] + 2, "TD07": before["TD07"] + 1}


def test_a_supplements_preview_counts_what_saving_adds_not_its_rows_that_repeat_the_list_in_use(con, cfg):
    """Black-box (December 2026): a supplement whose fifth row repeats the main list's («Ông Hà Minh
    Quyết», the same decision) previewed «Tính vào chỉ tiêu năm 2024: 5»; saving added 4."""
    with_main(con, cfg)
    award, person, unit, decision = MAIN[0]
    rows = [*new_rows(4), (award, f"Ông {person}", unit, decision)]
    prep = prepare(con, bo_sung(rows), "dot-2.xlsx", ImportOptions(), cfg)
    lines = {what: (value, how) for what, value, how in prep.inferred}
    value, how = lines["Tính vào chỉ tiêu năm 2024"]
    assert value == "4" and "1 dòng trùng với danh sách đang dùng" in how, lines
    assert lines["Số dòng khen thưởng"][0] == "5"
    ingest(con, bo_sung(rows), "dot-2.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024)["TD09"] == 8 + int(value)


# -- a smaller list that says nothing: held, both choices -----------------------------------------


def test_a_smaller_list_without_a_word_is_held_and_the_command_line_decides(con, cfg, tmp_path, capsys):
    with_main(con, cfg)
    con.close()
    small, other = tmp_path / "dot-sau.xlsx", tmp_path / "ds-moi.xlsx"
    small.write_bytes(SMALL)
    other.write_bytes(award_list(["DANH SÁCH KHEN THƯỞNG"], new_rows(1, start=3)))
    db = ["--db", str(cfg.db_path)]
    assert main(["ingest", str(small), *db]) == 1
    err = capsys.readouterr().err
    assert "không nói đây là bản sửa" in err and "«chinh.xlsx» (tải lên" in err and "12 dòng" in err and "3 dòng" in err
    assert "--register-as replace hoặc --register-as supplement" in err
    assert "Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện 8 → 3" in err  # what replacing would do
    assert main(["ingest", str(small), "--register-as", "supplement", *db]) == 0
    assert "tính cùng danh sách đang dùng «chinh.xlsx» (tải lên" in capsys.readouterr().out
    assert main(["ingest", str(small), *db]) == 0  # the same bytes again: "đã có", not held again
    assert "đã có: «dot-sau.xlsx» (tải lên" in capsys.readouterr().out
    assert main(["ingest", str(other), "--register-as", "replace", *db]) == 0
    out = capsys.readouterr().out
    assert (
        "thay cho bản trước «chinh.xlsx» (tải lên" in out
        and "Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện: 11 → 4" in out
    )
    con = open_database(cfg)
    try:
        assert statuses(con) == {"chinh.xlsx": "superseded", "dot-sau.xlsx": "active", "ds-moi.xlsx": "active"}
        assert award_counts(con, 2024) == {"TD09": 4}
    finally:
        con.close()


@pytest.mark.usefixtures("server_machine")
@pytest.mark.parametrize("choice", ["supplement", "replace"])
def test_a_held_list_is_decided_in_the_preview(con, cfg, monkeypatch, choice):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    with_main(con, cfg)
    con.close()
    monkeypatch.setenv("KPI_DB", str(cfg.db_path))
    monkeypatch.chdir(PROJECT)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT / "views/upload.py"), default_timeout=120).run()
    at.file_uploader(key="up_files").set_value([("ds.xlsx", SMALL, XLSX)]).run()
    assert not at.exception
    shown = texts(at)
    assert "Chờ bạn quyết định" in shown and "Chưa lưu: cần bạn quyết định" in shown
    assert "danh sách đang dùng «chinh.xlsx» (tải lên" in shown and "Sẵn sàng lưu" not in shown
    assert not [b for b in at.button if b.key and b.key.startswith("up_save_")]
    radio = next(r for r in at.radio if r.key and r.key.startswith("up_register_as_"))
    radio.set_value(choice).run()
    assert not at.exception and not at.error
    if choice == "replace":  # a warning, with the counts old → new
        warning = " ".join(w.value for w in at.warning).replace("\\", "")
        assert (
            "**Sẽ thay danh sách đang dùng** «chinh.xlsx» (tải lên" in warning
            and "Khi lưu, 3 số sẽ thay đổi" in warning
        )
        assert "Sẵn sàng lưu · thay danh sách đang dùng" in texts(at)  # the status line says it too
        table = next(d.value for d in at.table if "Khi lưu" in d.value.columns)
        assert table.values.tolist() == [
            ["Số cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen", "2", "0"],
            ["Số tập thể đạt danh hiệu Tập thể lao động xuất sắc", "2", "0"],
            ["Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện", "8", "3"],
        ]
    else:
        info = " ".join(i.value for i in at.info)
        assert "Danh sách bổ sung" in info and "bạn đã chọn" in info and "Khi lưu, 1 số sẽ thay đổi" in info
        table = next(d.value for d in at.table if "Khi lưu" in d.value.columns)
        assert table.values.tolist() == [["Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện", "8", "11"]]
    next(b for b in at.button if b.key and b.key.startswith("up_save_")).click().run()
    assert not at.exception
    con = open_database(cfg)
    try:
        expected = {"supplement": {"TD09": 11, "TD07": 2, "TD08": 2}, "replace": {"TD09": 3}}[choice]
        assert award_counts(con, 2024) == expected
        assert statuses(con)["chinh.xlsx"] == ("superseded" if choice == "replace" else "active")
    finally:
        con.close()
    st.cache_data.clear()
    st.cache_resource.clear()


# -- a full corrected list replaces, telling the counts old → new ---------------------------------


def test_a_full_corrected_list_replaces_the_one_in_use_with_the_counts_old_to_new(con, cfg, tmp_path, capsys):
    with_main(con, cfg)
    corrected = [
        *MAIN[1:],
        (BK_TINH, NEW_PEOPLE[0], "Xã Bắc Sơn", QD_TINH),
        (BK_TINH, NEW_PEOPLE[1], UNITS[0], QD_TINH),
    ]
    data = award_list(["DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG NĂM 2024"], corrected, header=HEADER[::-1])
    prep = prepare(con, data, "chinh-sua.xlsx", ImportOptions(), cfg)
    assert not prep.refused
    scope = prep.register_scope
    assert (scope.how, scope.said_by, scope.replaces, scope.old_rows, scope.new_rows, scope.shared) == (
        "replace",
        "rows",
        (1,),
        12,
        13,
        11,
    )
    assert scope.changes[["key", "old", "new"]].values.tolist() == [["TD07", 2, 4], ["TD09", 8, 7]]
    told = register_effect(prep)
    assert (told.level, told.lead) == ("warning", "Sẽ thay danh sách đang dùng")
    assert told.text.startswith("«chinh.xlsx» (tải lên") and told.counted.startswith("Khi lưu, 2 số sẽ thay đổi")
    con.close()
    path = tmp_path / "chinh-sua.xlsx"
    path.write_bytes(data)
    assert main(["ingest", str(path), "--db", str(cfg.db_path)]) == 0
    out = capsys.readouterr().out
    assert "2 số thay đổi (số đang dùng → số khi lưu)" in out
    assert "Số cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen: 2 → 4" in out
    assert "Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện: 8 → 7" in out
    con = open_database(cfg)
    try:
        assert statuses(con) == {"chinh.xlsx": "superseded", "chinh-sua.xlsx": "active"}
        assert award_counts(con, 2024) == {"TD09": 7, "TD07": 4, "TD08": 2}
    finally:
        con.close()


def test_a_supplement_with_a_row_of_the_main_list_counts_it_once(con, cfg):
    with_main(con, cfg)
    rows = [MAIN[0], *new_rows(1)]  # the first row is already in the main list
    prep, done = ingest(con, bo_sung(rows, "Danh sách bổ sung"), "bs.xlsx", ACTOR, ImportOptions(), cfg)
    assert done.status == "active" and prep.register_scope.changes[["key", "old", "new"]].values.tolist() == [
        ["TD09", 8, 9]
    ]
    assert award_counts(con, 2024) == {"TD09": 9, "TD07": 2, "TD08": 2}
    assert set(statuses(con).values()) == {"active"}


# -- ten inputs of our own --------------------------------------------------------------------------


def _heading_layout(title: list[str], rows) -> bytes:
    """No award column: each decision a heading row above its recipients ("Quyết định số 90/QĐ-UBND
    ngày 16/01/2025 tặng danh hiệu Chiến sĩ thi đua cơ sở"), the rows only a name and a unit."""
    lines = [[t] for t in title] + [[], ["TT", "Họ và tên", "Đơn vị công tác"]]
    for award, decision in dict.fromkeys((r[0], r[3]) for r in rows):
        lines.append([f"Quyết định số {decision} tặng danh hiệu {award}"])
        lines += [[n, r[1], r[2]] for n, r in enumerate(rows, start=1) if (r[0], r[3]) == (award, decision)]
    return xlsx(lines, sheet="Đợt bổ sung")


VARIANTS = {
    # title → (file, what happens: how / part / held)
    "bo-sung-dot-2": (
        bo_sung(new_rows(2), "BỔ SUNG ĐỢT 2 - DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG DANH HIỆU"),
        "supplement",
        "đợt 2",
    ),
    "dot-II": (bo_sung(new_rows(2), "Danh sách khen thưởng đợt II năm 2024"), "supplement", "đợt 2"),
    "bo-sung-lan-3": (bo_sung(new_rows(1), "Danh sách bổ sung lần thứ 3"), "supplement", "đợt 3"),
    "ke-theo-qd": (
        award_list(
            [
                "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG HUYỆN",
                "(Kèm theo Quyết định số 301/QĐ-UBND ngày 20/01/2025 về việc khen thưởng bổ sung)",
                "DANH SÁCH TẬP THỂ, CÁ NHÂN",
            ],
            new_rows(2),
            header=["Quyết định", "Họ tên / Tập thể", "Hình thức", "Đơn vị", "Năm thành tích"],
        ),
        "supplement",
        "bổ sung",
    ),
    "heading-rows-dot-3": (_heading_layout(["KHEN THƯỞNG ĐỢT 3 NĂM 2024"], new_rows(2)), "supplement", "đợt 3"),
    "no-title": (award_list([], new_rows(2)), "held", ""),
    "dot-1-is-the-main-list": (award_list(["DANH SÁCH KHEN THƯỞNG ĐỢT 1 NĂM 2024"], new_rows(3)), "held", ""),
    "thay-the": (
        award_list(["DANH SÁCH KHEN THƯỞNG NĂM 2024 (THAY THẾ DANH SÁCH KÈM THEO QĐ SỐ 90/QĐ-UBND)"], new_rows(2)),
        "replace",
        "",
    ),
    "sua-doi-bo-sung-is-an-amendment": (
        award_list(["QUYẾT ĐỊNH SỬA ĐỔI, BỔ SUNG DANH SÁCH KHEN THƯỞNG NĂM 2024"], new_rows(2)),
        "replace",
        "",
    ),
    "fewer-than-half-of-the-same-rows": (award_list(["Danh sách khen thưởng năm 2024"], MAIN[:5]), "held", ""),
    "full-list-other-order": (award_list(["Khen thưởng năm 2024"], MAIN[::-1], header=HEADER[::-1]), "replace", ""),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_own_inputs(con, cfg, name):
    data, how, part = VARIANTS[name]
    with_main(con, cfg)
    prep = prepare(con, data, f"{name}.xlsx", ImportOptions(), cfg)
    assert [i.code for i in prep.errors] == (["register_scope_unclear"] if how == "held" else []), prep.issues
    assert prep.part == part
    if how == "held":
        assert prep.awaiting_decision and prep.needs("register_as")
        return
    assert prep.register_scope.how == how
    ingest(con, data, f"{name}.xlsx", ACTOR, ImportOptions(), cfg)
    assert statuses(con)["chinh.xlsx"] == ("active" if how == "supplement" else "superseded")


def test_two_batches_count_together_and_a_corrected_batch_replaces_only_itself(con, cfg):
    with_main(con, cfg)
    dot2 = bo_sung(new_rows(2), "Danh sách khen thưởng bổ sung đợt 2")
    dot3 = bo_sung([new_rows(3)[2]], "Danh sách khen thưởng bổ sung đợt 3")
    for n, data in enumerate((dot2, dot3)):
        ingest(con, data, f"dot{n + 2}.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024)["TD09"] == 11
    corrected = bo_sung(new_rows(3), "Danh sách khen thưởng bổ sung đợt 2 (thay thế)")
    prep, _done = ingest(con, corrected, "dot2-sua.xlsx", ACTOR, ImportOptions(), cfg)
    assert prep.register_scope.replaces == (2,)
    assert statuses(con) == {
        "chinh.xlsx": "active",
        "dot2.xlsx": "superseded",
        "dot3.xlsx": "active",
        "dot2-sua.xlsx": "active",
    }
    # new_rows(3)'s third row is dot3's row: in both lists, counted once
    assert award_counts(con, 2024)["TD09"] == 11


def test_withdrawing_a_supplement_brings_back_nothing_else_and_rebuild_keeps_the_choice(con, cfg):
    """A supplement is a series of its own: withdrawing it leaves the main list as it is (and never
    makes an older version of another list active again); ``rebuild`` replays the clerk's choice."""
    from kpi.rebuild import rebuild
    from kpi.submissions import withdraw_submission

    with_main(con, cfg)
    ingest(con, SMALL, "bs.xlsx", ACTOR, ImportOptions(register_as="supplement"), cfg)
    ingest(con, bo_sung(new_rows(1, start=3)), "bs2.xlsx", ACTOR, ImportOptions(), cfg)
    assert award_counts(con, 2024)["TD09"] == 12
    withdraw_submission(con, 3, ACTOR, "gửi nhầm")
    assert statuses(con) == {"chinh.xlsx": "active", "bs.xlsx": "active", "bs2.xlsx": "withdrawn"}
    con.close()
    rebuild(cfg, ACTOR)
    con = open_database(cfg)
    try:
        assert statuses(con) == {"chinh.xlsx": "active", "bs.xlsx": "active", "bs2.xlsx": "withdrawn"}
        assert award_counts(con, 2024) == {"TD09": 11, "TD07": 2, "TD08": 2}
    finally:
        con.close()


# -- registration lists follow the same rule --------------------------------------------------------

BLOCK_UNITS = [
    "Xã Dân Quyền",
    "Xã Hương Nộn",
    "Xã Dị Nậu",
    "Xã Thọ Văn",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Công an huyện",
]


def registration_list(title: list[str], units: list[str]) -> bytes:
    header = ["Đơn vị đăng ký", "Ngày đăng ký", "Văn bản số", "TT"]
    body = [[u, f"{10 + n:02d}/02/2024", f"{n + 1}/ĐK-TĐ", n + 1] for n, u in enumerate(units)]
    return xlsx([*[[t] for t in title], [], header, *body], formats={})


def registered(con) -> int:
    from kpi.storage.figures import registered_units

    return len(registered_units(con, 2024))


def test_a_supplementary_registration_list_is_added_and_a_small_one_is_held(con, cfg):
    main_list = registration_list(["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"], BLOCK_UNITS[:6])
    ingest(con, main_list, "dk.xlsx", ACTOR, ImportOptions(), cfg)
    assert registered(con) == 6
    extra = registration_list(["Danh sách đơn vị đăng ký thi đua bổ sung năm 2024"], BLOCK_UNITS[6:])
    prep, _done = ingest(con, extra, "dk-bo-sung.xlsx", ACTOR, ImportOptions(), cfg)
    changes = prep.register_scope.changes
    assert prep.part == "bổ sung" and changes[["key", "old_written", "new_written"]].values.tolist() == [
        ["TD01", "20,0 % (6/30)", "23,3 % (7/30)"]
    ]
    assert registered(con) == 7 and set(statuses(con).values()) == {"active"}
    small = registration_list(["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"], BLOCK_UNITS[:2])
    prep = prepare(con, small, "dk-2.xlsx", ImportOptions(), cfg)
    assert prep.awaiting_decision and [i.code for i in prep.errors] == ["register_scope_unclear"]
    assert "Tỷ lệ cơ quan, đơn vị đăng ký thi đua 23,3 % (7/30) → 10,0 % (3/30)" in prep.errors[0].message


def test_a_registration_lists_preview_states_the_share_the_plan_targets_not_a_count_of_units(con, cfg):
    """Black-box (December 2026): the preview of a corrected registration list said «Số đơn vị đã
    đăng ký thi đua 30 → 27» where the plan's target (TD01) is a share, 100 %. It now says the
    indicator's figure in its own unit, as the report will judge it once saved."""
    from kpi.reporting.attainment_report import attainment_report
    from tests.support.samples import sample_bytes

    ingest(con, sample_bytes("registrations"), "dang-ky-thi-dua-2024.xlsx", ACTOR, ImportOptions(), cfg)
    sample = registered_rows(sample_bytes("registrations"))
    # the same units, blocks as headings, the unit first, dates as text; three say they have not registered
    rows, said_no = [], {"Xã Thọ Văn", "Xã Quang Húc", "Chi cục Thuế khu vực"}
    for block in dict.fromkeys(b for b, _u, _d in sample):
        rows.append([block])
        rows += [[u, "Chưa đăng ký" if u in said_no else f"{d:%d/%m/%Y}"] for b, u, d in sample if b == block]
    data = xlsx([["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024 (THAY THẾ)"], [], ["Cơ quan, đơn vị", "Ngày đăng ký"], *rows])
    told = register_effect(prepare(con, data, "dk-sua.xlsx", ImportOptions(), cfg))
    assert told.level == "warning" and told.table.values.tolist() == [
        ["Tỷ lệ cơ quan, đơn vị đăng ký thi đua", "100,0 % (30/30)", "90,0 % (27/30)"]
    ]
    ingest(con, data, "dk-sua.xlsx", ACTOR, ImportOptions(), cfg)
    td01 = attainment_report(con, 2024, 4).table.set_index("key").loc["TD01"]
    assert td01["actual"] == pytest.approx(90.0) and td01["unit"] == "%"  # what the preview said saving would give


def registered_rows(data: bytes) -> list[tuple]:
    """(block, unit, date) of the samples' registration list."""
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [(r[1], r[2], r[3]) for r in sheet.iter_rows(min_row=4, values_only=True) if r[2]]


def test_rebuild_replays_a_small_list_logged_before_the_hold_as_the_replacement_it_was(con, cfg):
    """An import log written before registers were held for this: the small list replaced the one
    in use, its entry has no choice; ``rebuild`` replays it so instead of stopping."""
    from kpi.rebuild import rebuild

    with_main(con, cfg)
    ingest(con, SMALL, "cu.xlsx", ACTOR, ImportOptions(register_as="replace"), cfg)
    con.execute("UPDATE import_log SET options = '{}' WHERE file_name = 'cu.xlsx'")  # as the old code logged it
    con.close()
    rebuild(cfg, ACTOR)
    con = open_database(cfg)
    try:
        assert statuses(con) == {"chinh.xlsx": "superseded", "cu.xlsx": "active"}
    finally:
        con.close()


# -- the honour roll says which rows repeat a row of another list ----------------------------------


def test_a_supplements_repeat_of_a_main_list_row_reads_trung_naming_the_row_it_repeats(loaded, cfg, app_env):
    """Black-box finding (December 2026): after the samples, a supplement in another column order
    repeating Trần Thu Nga's «Chiến sĩ thi đua cơ sở» (1985/QĐ-UBND) read «Tính vào: không» on the
    honour roll, which the legend explains as «not an award of any target»; it is «trùng», and
    the page says which row of which list counted it."""
    from tests.support.apptest import run

    before = award_counts(loaded, 2024)
    repeat = (CSTD, "Bà Trần Thu Nga", "Phòng Y tế", "1985/QĐ-UBND ngày 27/12/2024")
    prep, done = ingest(loaded, bo_sung([repeat, *new_rows(1)]), "kt-bo-sung.xlsx", ACTOR, ImportOptions(), cfg)
    assert done.status == "active" and award_counts(loaded, 2024)["TD09"] == before["TD09"] + 1
    at = run("views/awards.py")
    at.text_input(key="aw_query").set_value("tran thu nga").run()
    [roll] = [f.value for f in at.dataframe if "Tính vào" in f.value.columns]
    assert sorted(roll["Tính vào"]) == ["Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp huyện", "trùng"]
    captions = [c.value.replace("\\", "") for c in at.caption]
    [legend] = [c for c in captions if c.startswith("**Tính vào chỉ tiêu:**")]
    assert "«trùng»: đã tính ở một dòng khác" in legend and "«không»" not in legend
    [said] = [c for c in captions if c.startswith("**Dòng trùng:**")]
    assert "Bà Trần Thu Nga — Chiến sĩ thi đua cơ sở (kt-bo-sung.xlsx, dòng 5)" in said
    assert "đã tính ở dòng 47 của khen-thuong-2024.xlsx" in said
