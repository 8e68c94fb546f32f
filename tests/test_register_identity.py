"""One award is one award in every list, its level is said the same way, and the emulation page
says nothing of who registered when no registration list is loaded (black-box findings of a
code-blind user, December 2026):

1. with no registration list loaded, the emulation page listed every unit as «Chưa đăng ký» and
   showed 0/6 per block; the awards chart's source named an award list that was not loaded;
2. the annex's honour roll left «Cấp khen» blank for the rows of a supplementary list without such a
   column (:func:`kpi.domain.award_identity.award_level`);
3. a row of a main list repeated in a supplementary list counted twice when written «Ông Lê Văn A»,
   «Đ/c …», «bà …» or under «123/QD-UBND» (:func:`kpi.domain.award_identity.award_identity`).

Every register here is written by the test with openpyxl into its own folder, in layouts unlike
the shared samples': other column orders and header words, a merged group row above the header,
supplementary lists with and without a level column, names with honorifics, NFD text.
"""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from kpi.cli import main
from kpi.domain.award_identity import LEVEL_UNKNOWN, award_identity, decision_key, person_key
from kpi.ingest import ingest, prepare
from kpi.output.annex import write_annex
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.awards import award_counts, award_rows
from tests.support.apptest import run, summaries, texts
from tests.support.samples import ACTOR, load

CSTD, BK_TINH, TTLDXS = "Chiến sĩ thi đua cơ sở", "Bằng khen của Chủ tịch UBND tỉnh", "Tập thể lao động xuất sắc"
QD_HUYEN, QD_TINH, QD_TT = "1985/QĐ-UBND", "247/QĐ-UBND", "91/QĐ-UBND"


def write_register(
    folder: Path,
    name: str,
    title: list[str],
    header: list[str],
    rows: list[list],
    *,
    group: dict[str, tuple[int, int]] | None = None,
) -> Path:
    """An .xlsx register written with openpyxl: ``title`` lines, a blank line, an optional group
    row (``{text: (first column, last column)}``, 1-based, merged) over the header, the header,
    ``rows``. Returns its path."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS"
    r = 1
    for line in title:
        ws.cell(row=r, column=1, value=line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(header))
        r += 1
    r += 1
    if group:
        for text, (first, last) in group.items():
            ws.cell(row=r, column=first, value=text)
            if last > first:
                ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
        r += 1
    for c, h in enumerate(header, start=1):
        ws.cell(row=r, column=c, value=h)
    for row in rows:
        r += 1
        for c, value in enumerate(row, start=1):
            if value not in (None, ""):
                ws.cell(row=r, column=c, value=value)
    path = folder / name
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def save(con, cfg, path: Path, **options):
    prep, done = ingest(con, path.read_bytes(), path.name, ACTOR, ImportOptions(**options), cfg)
    assert not prep.refused, [i.message for i in prep.errors]
    return prep, done


#: The main list: (recipient, unit, award, decision, level as written).
MAIN_ROWS = [
    ("Lê Văn An", "Xã Tề Lễ", CSTD, QD_HUYEN, "Chủ tịch UBND huyện"),
    ("Nguyễn Thị Bình", "Phòng Tư pháp", CSTD, QD_HUYEN, "Chủ tịch UBND huyện"),
    ("Trần Văn Cảnh", "Xã Bắc Sơn", CSTD, QD_HUYEN, "Chủ tịch UBND huyện"),
    ("Phạm Thị Dung", "Phòng Y tế", BK_TINH, QD_TINH, "Chủ tịch UBND tỉnh"),
    ("Phòng Tư pháp", "Phòng Tư pháp", TTLDXS, QD_TT, "Chủ tịch UBND tỉnh"),
]
MAIN_COUNTS = {"TD09": 3, "TD07": 1, "TD08": 1}


def main_list(folder: Path) -> Path:
    """Columns unlike the samples' («Khen thưởng» merged over award, level and decision; the year
    first; the unit before the name)."""
    header = ["Năm thành tích", "Đơn vị công tác", "Họ và tên", "Hình thức khen thưởng", "Cấp khen", "Số QĐ"]
    rows = [[2024, u, n, a, lvl, d] for n, u, a, d, lvl in MAIN_ROWS]
    return write_register(
        folder,
        "ds-chinh.xlsx",
        ["ỦY BAN NHÂN DÂN HUYỆN TAM NÔNG", "DANH SÁCH KHEN THƯỞNG THÀNH TÍCH NĂM 2024"],
        header,
        rows,
        group={"Thông tin cá nhân, tập thể": (1, 3), "Thông tin khen thưởng": (4, 6)},
    )


def supplement(folder: Path, name: str, rows: list[tuple], *, level: bool = False, title: str = "") -> Path:
    """A supplementary list: rows (recipient, unit, award, decision[, level]); a «Cơ quan quyết
    định» column only when ``level``; columns in another order again."""
    header = ["Số QĐ khen thưởng", "Danh hiệu", "Tên cá nhân, tập thể", "Nơi công tác"]
    header += ["Cơ quan quyết định"] if level else []
    header += ["Năm"]
    body = []
    for row in rows:
        n, u, a, d = row[:4]
        body.append([d, a, n, u, *([row[4]] if level else []), 2024])
    return write_register(folder, name, [title or "DANH SÁCH KHEN THƯỞNG BỔ SUNG NĂM 2024"], header, body)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# -- 3. one award in two lists counts once, whatever its spelling ---------------------------------

#: A supplementary list repeating the main list's rows as other clerks write them, each a file.
SPELLINGS = {
    "ong-honorific": [("Ông Lê Văn An", "Xã Tề Lễ", CSTD, QD_HUYEN)],
    "dc-and-lower-case": [("Đ/c nguyễn thị bình", "Phòng Tư pháp", CSTD, QD_HUYEN)],
    "ba-doubled-spaces-nfd": [(nfd("Bà  Phạm   Thị Dung"), nfd("Phòng  Y tế"), nfd(BK_TINH), QD_TINH)],
    "dong-chi-decision-without-d": [("Đồng chí Trần Văn Cảnh", "Xã Bắc Sơn", CSTD, "1985/QD-UBND")],
    "decision-with-so-and-zero": [("Anh Trần Văn Cảnh", "Xã Bắc Sơn", CSTD, "Số 01985/QĐ-UBND")],
}


@pytest.mark.parametrize("name", list(SPELLINGS))
def test_a_row_of_the_main_list_in_a_supplement_counts_once_however_written(con, cfg, tmp_path, name):
    save(con, cfg, main_list(tmp_path))
    assert award_counts(con, 2024) == MAIN_COUNTS
    prep, _done = save(con, cfg, supplement(tmp_path, f"bs-{name}.xlsx", SPELLINGS[name]))
    assert prep.part == "bổ sung"
    assert prep.register_scope.changes.empty  # the preview said nothing would change…
    assert award_counts(con, 2024) == MAIN_COUNTS  # …and nothing did
    roll = award_rows(con, 2024)
    assert int(roll["counted"].sum()) == 5 and len(roll) == 6


def test_two_people_are_never_made_one(con, cfg, tmp_path):
    """Honorific spellings merge; another diacritic, another unit, another award or another
    decision is another award (a doubt is two)."""
    save(con, cfg, main_list(tmp_path))
    rows = [
        ("Ông Lê Văn An", "Xã Tề Lễ", CSTD, QD_HUYEN),  # the main list's: once
        ("Bà nguyễn thị bình", "Phòng Tư pháp", CSTD, QD_HUYEN),  # the main list's: once
        ("Lê Văn Ấn", "Xã Tề Lễ", CSTD, QD_HUYEN),  # another name (Ấn is not An)
        ("Ông Trần Văn Cảnh", "Phòng Nội vụ", CSTD, QD_HUYEN),  # the same name in another unit
        ("Cồ Văn Nam", "Xã Dân Quyền", CSTD, QD_HUYEN),  # «Cồ» is a surname, not «Cô»
        ("Văn Nam", "Xã Dân Quyền", CSTD, QD_HUYEN),
    ]
    save(con, cfg, supplement(tmp_path, "bs-nguoi-khac.xlsx", rows))
    assert award_counts(con, 2024) == MAIN_COUNTS | {"TD09": 3 + 4}
    assert person_key("Cồ Văn Nam") != person_key("Văn Nam") and person_key("Cô Tư") == person_key("cô tư")


def test_the_same_award_twice_in_one_list_is_one_with_a_decision_written_two_ways(con, cfg, tmp_path):
    rows = [
        ("Lò Văn Thịnh", "Xã Tề Lễ", CSTD, "90/QĐ-UBND"),
        ("Ông Lò Văn Thịnh", "Xã Tề Lễ", CSTD, "90/QD-UBND"),
        ("Giáp Thị Thơm", "Phòng Y tế", CSTD, "90/QĐ-UBND"),
    ]
    header = ["Họ tên", "Đơn vị", "Danh hiệu thi đua", "Quyết định số", "Năm thành tích"]
    path = write_register(
        tmp_path, "mot-danh-sach.xlsx", ["DANH SÁCH KHEN THƯỞNG NĂM 2024"], header, [[*r, 2024] for r in rows]
    )
    prep, _done = save(con, cfg, path)
    assert list(prep.awards["duplicate_of"].notna()) == [False, True, False]
    assert award_counts(con, 2024) == {"TD09": 2}


def test_a_full_list_again_with_honorifics_replaces_without_being_held(con, cfg, tmp_path):
    """The scope decision compares rows by the same rule: a corrected full list whose names now
    carry «Ông»/«Bà» is the same list (12 of 12 rows shared), not a stranger held for the clerk."""
    save(con, cfg, main_list(tmp_path))
    honour = {
        "Lê Văn An": "Ông Lê Văn An",
        "Nguyễn Thị Bình": "Bà Nguyễn Thị Bình",
        "Trần Văn Cảnh": "Đ/c Trần Văn Cảnh",
    }
    rows = [(honour.get(n, n), u, a, d) for n, u, a, d, _lvl in MAIN_ROWS]
    header = ["Quyết định số", "Họ và tên", "Danh hiệu", "Đơn vị", "Năm thành tích"]
    path = write_register(
        tmp_path,
        "ds-chinh-lan-2.xlsx",
        ["DANH SÁCH KHEN THƯỞNG NĂM 2024"],
        header,
        [[d, n, a, u, 2024] for n, u, a, d in rows],
    )
    prep = prepare(con, path.read_bytes(), path.name, ImportOptions(), cfg)
    assert [i.code for i in prep.errors] == []
    scope = prep.register_scope
    assert (scope.how, scope.old_rows, scope.new_rows, scope.shared) == ("replace", 5, 5, 5)
    assert scope.changes.empty


def test_the_identity_rule_by_itself():
    a = award_identity("123/QĐ-UBND", "Ông Lê Văn A", "Xã Tề Lễ", CSTD)
    assert a == award_identity("Số 123/QĐ-UBND ", "lê  văn a", "xã tề lễ", nfd(CSTD))
    assert a == award_identity("123 / QĐ - UBND", nfd("Đ/c Lê Văn A"), "Xã Tề Lễ", CSTD)
    assert a != award_identity("123/QĐ-UBND", "Lê Văn Á", "Xã Tề Lễ", CSTD)
    assert a != award_identity("1234/QĐ-UBND", "Lê Văn A", "Xã Tề Lễ", CSTD)
    assert decision_key("0123/qđ-ubnd") == decision_key("123/QĐ-UBND") != decision_key("123/QĐ-TTg")


# -- 2. «Cấp khen» by one rule for every list's rows ------------------------------------------------


def roll_levels(con, year: int = 2024) -> dict[str, str]:
    """The annex's honour-roll sheet: recipient → «Cấp khen» (column E), read back from the .xlsx."""
    wb = openpyxl.load_workbook(io.BytesIO(write_annex(con, year)))
    ws = wb["Khen thưởng"]
    assert ws["E5"].value == "Cấp khen"
    return {ws[f"B{r}"].value: ws[f"E{r}"].value for r in range(6, ws.max_row + 1) if ws[f"B{r}"].value}


def test_a_supplement_without_a_level_column_gets_the_main_lists_levels_in_the_annex(con, cfg, tmp_path):
    save(con, cfg, main_list(tmp_path))
    rows = [
        ("Hà Minh Quyết", "Xã Dân Quyền", CSTD, QD_HUYEN),
        ("Khổng Thị Yến", "Phòng Nội vụ", BK_TINH, QD_TINH),
        ("Xã Tề Lễ", "Xã Tề Lễ", TTLDXS, QD_TT),  # the province confers it (data/award_levels.csv)
    ]
    save(con, cfg, supplement(tmp_path, "bs-khong-cap-khen.xlsx", rows, title="Danh sách khen thưởng đợt 2 năm 2024"))
    levels = roll_levels(con)
    # the same award reads the same level, whichever list it came from
    assert levels["Hà Minh Quyết"] == levels["Lê Văn An"] == "Chủ tịch UBND huyện"
    assert levels["Khổng Thị Yến"] == levels["Phạm Thị Dung"] == "Chủ tịch UBND tỉnh"
    # the main list wrote TTLĐXS's level, the supplement did not: the award's name says it for both
    # (black-box: «Không rõ» beside the main list's «Chủ tịch UBND tỉnh» for the same award)
    assert levels["Phòng Tư pháp"] == levels["Xã Tề Lễ"] == "Chủ tịch UBND tỉnh"
    assert all(levels.values())


def test_a_level_column_in_other_words_is_read_by_the_same_rule(con, cfg, tmp_path):
    rows = [
        ("Hầu Thị Phượng", "Xã Tề Lễ", BK_TINH, QD_TINH, "UBND tỉnh"),
        ("Xã Bắc Sơn", "Xã Bắc Sơn", TTLDXS, QD_TT, "Chủ tịch UBND tỉnh Phú Thọ"),
        ("Bạch Đức Lâm", "Phòng Y tế", "Lao động tiên tiến", QD_HUYEN, ""),
    ]
    path = supplement(tmp_path, "ds-co-quan-qd.xlsx", rows, level=True, title="DANH SÁCH KHEN THƯỞNG NĂM 2024")
    save(con, cfg, path)
    levels = roll_levels(con)  # the annex lists the counted rows
    assert levels == {"Hầu Thị Phượng": "Chủ tịch UBND tỉnh", "Xã Bắc Sơn": "Chủ tịch UBND tỉnh"}
    roll = award_rows(con, 2024).set_index("recipient")
    assert roll.loc["Bạch Đức Lâm", "award_level"] == LEVEL_UNKNOWN
    assert roll.loc["Hầu Thị Phượng", "conferred_by"] == "UBND tỉnh"  # stored as the file wrote it


# -- 1. no registration list: nothing said of who registered ------------------------------------------


def registration_list(folder: Path, units: list[tuple[str, str]]) -> Path:
    """Block heading rows, the date before the unit, another header's words."""
    header = ["TT", "Ngày đăng ký", "Tên cơ quan, đơn vị", "Số văn bản đăng ký"]
    rows: list[list] = []
    block_above = None
    for n, (block, unit) in enumerate(units, start=1):
        if block != block_above:  # a heading row naming the block of the rows below
            rows.append([block])
            block_above = block
        rows.append([n, f"{n + 2:02d}/03/2024", unit, f"{n}/ĐK-TĐ"])
    return write_register(folder, "dang-ky-khoi.xlsx", ["DANH SÁCH ĐĂNG KÝ THI ĐUA NĂM 2024"], header, rows)


@pytest.mark.usefixtures("app_env", "server_machine")
def test_without_a_registration_list_the_page_says_so_and_gives_no_unit_a_verdict(con, cfg, tmp_path, capsys):
    load(con, cfg, "q1")
    save(con, cfg, main_list(tmp_path))
    at = run("views/awards.py")
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert not at.warning and not at.metric  # no «Chưa đăng ký» list, no 0/6 per block
    assert "Chưa nạp danh sách đăng ký thi đua năm 2024: chưa biết đơn vị nào đã đăng ký" in shown
    assert "Tải danh sách ở trang **Tải lên báo cáo**" in shown
    assert ":gray-badge[Chưa có số liệu] **Tỷ lệ cơ quan, đơn vị đăng ký thi đua**: – (kế hoạch 100 %)" in shown
    [chart] = at.get("plotly_chart")
    source = json.loads(chart.proto.spec)["layout"]["annotations"][-1]["text"]
    assert source.startswith("Nguồn: ds-chinh.xlsx (mỗi quyết định")
    # the overview and the command line say the same of the same state
    [overview] = summaries(run("views/overview.py"))
    assert overview.loc["TD01", "Đánh giá"] == "Chưa có số liệu"
    con.close()
    assert main(["report", "--format", "json", "--db", str(cfg.db_path)]) == 0
    td01 = next(r for r in json.loads(capsys.readouterr().out) if r["key"] == "TD01")
    assert (td01["status"], td01["actual"]) == ("no_data", None)


@pytest.mark.usefixtures("app_env", "server_machine")
def test_once_a_registration_list_is_loaded_the_page_judges_each_unit_as_the_report_does(con, cfg, tmp_path, capsys):
    save(
        con,
        cfg,
        registration_list(tmp_path, [("Khối nội chính", "Phòng Tư pháp"), ("Khối nội chính", "Công an huyện")]),
    )
    at = run("views/awards.py")
    assert not at.exception
    shown = texts(at)
    # no award list: the chart of targets names none
    [chart] = at.get("plotly_chart")
    source = json.loads(chart.proto.spec)["layout"]["annotations"][-1]["text"]
    assert source == "Nguồn: chưa nạp danh sách khen thưởng thành tích năm 2024 (mới có kế hoạch)"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Khối nội chính"] == "2/6" and metrics["Khối các xã, thị trấn số 1"] == "0/6"
    [warning] = at.warning
    assert warning.value.startswith("Chưa đăng ký (tính đến 31/12/2024): Thị trấn Hưng Hóa")
    assert "Phòng Tư pháp (" not in warning.value and "Theo danh sách: dang-ky-khoi.xlsx" in shown
    assert ":red-badge[Không đạt] **Tỷ lệ cơ quan, đơn vị đăng ký thi đua**: 6,7 %" in shown
    con.close()
    assert main(["report", "--format", "json", "--db", str(cfg.db_path)]) == 0
    td01 = next(r for r in json.loads(capsys.readouterr().out) if r["key"] == "TD01")
    assert td01["status"] == "not_met" and td01["source"].startswith("dang-ky-khoi.xlsx") and "2/30" in td01["source"]
