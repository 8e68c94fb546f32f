"""Plans as data in the database: nothing stored unconfirmed, confirmations that replace a year's
plan with history, the targets editor's checks, a new year copied from the last, a cut
(decrease_by) measured from last year's stored figure, and rebuild replaying it all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kpi.access.auth import add_user
from kpi.errors import PermissionDenied, PlanError
from kpi.ingest import ingest
from kpi.plans.review import OTHER_DISTRICT, other_district
from kpi.plans.source import (
    confirm_plan,
    copy_plan,
    plan_differences,
    plan_documents,
    plan_meta,
    plan_rows,
    proposal_rows,
    propose_plan,
    read_target_text,
    target_display,
    target_history,
)
from kpi.plans.text import read_plan_document, text_document
from kpi.reading.report_sheets import ImportOptions
from kpi.reporting.attainment_report import attainment_report
from kpi.storage.catalogue import load_catalogue, plan_years_in_db
from kpi.storage.database import data_version
from tests.support.ledger import report
from tests.support.paths import PROJECT
from tests.support.plans import SECOND, SEED, plan_file
from tests.support.samples import ACTOR, load


def without_source(rows):
    return [{k: v for k, v in r.items() if k != "source_text"} for r in rows]


def test_proposing_stores_nothing(con):
    before = (data_version(con), plan_rows(con, 2024), con.execute("SELECT count(*) FROM import_log").fetchall())
    proposal = propose_plan(con, 2024, plan_file(SEED))
    assert len(proposal.targets) == 23
    plan_differences(con, 2024, proposal_rows(proposal))
    after = (data_version(con), plan_rows(con, 2024), con.execute("SELECT count(*) FROM import_log").fetchall())
    assert after == before


def test_confirming_the_seed_keeps_the_2024_plan_identical(con):
    before = plan_rows(con, 2024)
    proposal = propose_plan(con, 2024, plan_file(SEED))
    rows = proposal_rows(proposal)
    assert plan_differences(con, 2024, rows).empty  # the document says what the data folder says
    saved = confirm_plan(
        con,
        2024,
        rows,
        ACTOR,
        meta={"doc_number": "25/KH-UBND", "doc_date": "2024-01-22"},
        reason="văn bản kế hoạch gốc",
        document=plan_file(SEED),
    )
    assert saved.replaced and saved.keys == tuple(r["key"] for r in before)
    assert without_source(plan_rows(con, 2024)) == without_source(before)
    # Only the document's identity changed, and that is history.
    history = target_history(con, 2024)
    assert sorted(zip(history["field"], history["old_value"], history["new_value"], strict=True)) == [
        ("doc_date", None, "2024-01-22"),
        ("doc_number", None, "25/KH-UBND"),
    ]
    assert set(history["actor"]) == {ACTOR} and set(history["reason"]) == {"văn bản kế hoạch gốc"}
    meta = plan_meta(con, 2024)
    assert (meta["doc_number"], meta["doc_date"]) == ("25/KH-UBND", dt.date(2024, 1, 22))
    docs = plan_documents(con, 2024)
    assert list(docs["version"]) == [2, 1]  # the seed's copy (1) and the confirmed one (2)
    assert docs["text"].iloc[0] == SEED.read_text(encoding="utf-8")
    assert plan_rows(con, 2024)[1]["source_text"] == "Tổng thu ngân sách nhà nước: 805 tỷ đồng"


def test_the_seeded_plan_keeps_each_targets_sentence_from_its_document(con, cfg):
    """The data folder's indicators.csv has no sentences; the plan's own text kept with it has
    them: each target gets its clause at load, and a database seeded without them gets them at its
    next start (black-box: «Câu trong kế hoạch» was empty for every target of the plan)."""
    from kpi.bootstrap import open_database

    sentences = {r["key"]: r["source_text"] for r in plan_rows(con, 2024)}
    assert sentences["CT02"] == "Tổng thu ngân sách nhà nước: 805 tỷ đồng"
    assert sentences["TD09"] == "45 đến 55 cá nhân đạt Danh hiệu CSTĐ cấp huyện."
    assert sentences["CT03"].startswith("Giá trị sản phẩm bình quân trên 1 ha đất canh tác")
    assert all(sentences.values()) and len(sentences) == 23
    con.execute("UPDATE indicators SET source_text = ''")
    con.close()
    again = open_database(cfg)
    try:
        assert {r["key"]: r["source_text"] for r in plan_rows(again, 2024)} == sentences
    finally:
        again.close()


def test_a_changed_target_replaces_the_plan_with_history(con, cfg):
    load(con, cfg, "q1")
    rows = plan_rows(con, 2024)
    ct02 = next(r for r in rows if r["key"] == "CT02")
    ct02["target"] = "850"
    changes = plan_differences(con, 2024, rows)
    assert list(zip(changes["key"], changes["field_text"], changes["old_text"], changes["new_text"], strict=True)) == [
        ("CT02", "kế hoạch", "805", "850")
    ]
    confirm_plan(con, 2024, rows, ACTOR, reason="Nghị quyết HĐND điều chỉnh dự toán", action="edit")
    table = attainment_report(con, 2024, 1).table.set_index("key")
    # 160,2 / 850 × 100 = 18,847… → 18,85 (it was 19,90 against 805).
    assert table.loc["CT02", "attainment_pct"] == 18.85
    (row,) = target_history(con, 2024).itertuples()
    assert (row.key, row.field, row.old_value, row.new_value, row.reason) == (
        "CT02",
        "target",
        "805",
        "850",
        "Nghị quyết HĐND điều chỉnh dự toán",
    )
    log = con.execute("SELECT action, actor, note FROM import_log ORDER BY seq").fetchall()
    assert log[-1] == ("plan", ACTOR, "Nghị quyết HĐND điều chỉnh dự toán")
    audit = con.execute("SELECT action FROM audit_log WHERE action LIKE 'plan_%'").fetchall()
    assert audit == [("plan_edit",)]


def test_only_admins_change_targets(con):
    add_user(con, ACTOR, "admin1", "admin", "mat-khau-quan-tri")
    add_user(con, ACTOR, "bientap", "editor", "mat-khau-bien-tap")
    rows = plan_rows(con, 2024)
    with pytest.raises(PermissionDenied):
        confirm_plan(con, 2024, rows, "bientap")
    with pytest.raises(PermissionDenied):
        copy_plan(con, 2024, 2025, "bientap")
    assert plan_years_in_db(con) == [2024]
    confirm_plan(con, 2024, rows, "admin1")


def test_every_problem_of_a_table_is_listed_and_nothing_is_stored(con):
    rows = plan_rows(con, 2024)
    rows[0]["name"] = ""
    rows[1]["target"] = "tám trăm"
    rows[2]["direction"] = "≥"
    rows[16]["target"] = "2-1"  # TD03, a range
    rows[3]["key"] = "CT05a"
    version = data_version(con)
    with pytest.raises(PlanError) as raised:
        confirm_plan(con, 2024, rows, ACTOR)
    message = raised.value.message_vi
    assert "hàng 1 của bảng (CT01): thiếu tên chỉ tiêu" in message
    assert "«tám trăm» không phải là một số" in message
    assert "chiều đánh giá «≥» không hợp lệ" in message
    assert "khoảng 2–1 có mức thấp lớn hơn mức cao" in message
    assert "trùng mã chỉ tiêu: CT05a" in message
    assert data_version(con) == version and plan_rows(con, 2024)[0]["name"] == "Tổng vốn đầu tư toàn xã hội"


@pytest.mark.parametrize(
    ("written", "stored", "shown"),
    [
        ("3.300,9", "3300.9", "3.300,9"),
        ("45 đến 55", "45-55", "45–55"),
        ("45–55", "45-55", "45–55"),
        ("0,17", "0.17", "0,17"),
        ("01 - 02", "1-2", "1–2"),
        ("1.250", "1250", "1.250"),
        (805, "805", "805"),
        ([12, 15], "12-15", "12–15"),
    ],
)
def test_targets_typed_the_vietnamese_way(written, stored, shown):
    assert read_target_text(written) == stored
    assert target_display(stored) == shown


def test_a_new_year_copied_then_edited_works_beside_2024(con, cfg):
    load(con, cfg, "q1")
    saved = copy_plan(con, 2024, 2025, ACTOR)
    assert plan_years_in_db(con) == [2024, 2025]
    c24, c25 = load_catalogue(con, 2024), load_catalogue(con, 2025)
    assert [i.key for i in c25.indicators] == [i.key for i in c24.indicators]  # keys kept across years
    assert c25.units.drop(columns="sort").equals(c24.units.drop(columns="sort"))
    assert c25.meta["title"] == "Kế hoạch phát động phong trào thi đua yêu nước năm 2025"
    assert set(saved.changes["field"]) == {"added"}
    assert set(target_history(con, 2025)["reason"]) == {"tạo từ kế hoạch năm 2024"}
    # Edit 2025: a new revenue target.
    rows = plan_rows(con, 2025)
    next(r for r in rows if r["key"] == "CT02")["target"] = "900"
    confirm_plan(con, 2025, rows, ACTOR, reason="dự toán 2025", action="edit")
    # A 2025 Q1 report is judged against 2025's plan; 2024 is untouched.
    data = report(
        2025, "QUÝ I", "Thực hiện Quý I/2025", [[1, "Tổng thu ngân sách nhà nước", "Tỷ đồng", 180]], "05/4/2025"
    )
    _prep, committed = ingest(con, data, "quy-1-2025.xlsx", ACTOR, ImportOptions(), cfg)
    assert committed.status == "active"
    t25 = attainment_report(con, 2025, 1).table.set_index("key")
    assert (t25.loc["CT02", "actual"], t25.loc["CT02", "attainment_pct"]) == (180, 20.0)  # 180 / 900
    t24 = attainment_report(con, 2024, 1).table.set_index("key")
    assert (t24.loc["CT02", "actual"], t24.loc["CT02", "attainment_pct"]) == (160.2, 19.9)
    with pytest.raises(PlanError, match="đã có kế hoạch"):
        copy_plan(con, 2024, 2025, ACTOR)


def test_a_second_plan_confirmed_for_2025_maps_to_last_years_keys(con):
    document = plan_file(SECOND)
    proposal = propose_plan(con, 2025, document)  # matched against 2024, the nearest earlier year
    saved = confirm_plan(con, 2025, proposal_rows(proposal), ACTOR, meta=proposal.meta, document=document)
    catalogue = load_catalogue(con, 2025)
    assert catalogue["CT02"].target == 910 and catalogue["TD09"].direction == "<="
    # New targets get the next free keys of their group's prefix; attributes proposed.
    new = [i for i in catalogue.indicators if i.key not in load_catalogue(con, 2024).by_key]
    assert [(i.key, i.name) for i in new] == [
        ("CT12", "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi"),
        ("CT13", "Thu nhập bình quân đầu người"),
        ("CT14", "Số doanh nghiệp thành lập mới"),
        ("CT15", "Tỷ lệ che phủ rừng"),
    ]
    assert catalogue["TD06"].award == "Bằng khen của Chủ tịch UBND tỉnh"  # kept from 2024's key
    assert (catalogue.meta["doc_number"], catalogue.meta["doc_date"].date()) == ("12/KH-UBND", dt.date(2025, 1, 15))
    assert catalogue.meta["authority"] == "UBND huyện Thanh Vân"
    assert len(saved.changes) == 27 and set(saved.changes["change"]) == {"added"}


def test_a_cut_is_measured_from_last_years_stored_year_end(con, cfg):
    year_end = report(2024, "NĂM", "Thực hiện năm 2024", [[1, "Tỷ lệ hộ nghèo", "%", 0.18]], "20/12/2024")
    ingest(con, year_end, "nam-2024.xlsx", ACTOR, ImportOptions(), cfg)
    copy_plan(con, 2024, 2025, ACTOR)
    rows = plan_rows(con, 2025)
    ct06a = next(r for r in rows if r["key"] == "CT06a")
    ct06a.update(direction="decrease_by", target="0.05", baseline="")
    confirm_plan(con, 2025, rows, ACTOR, reason="giảm 0,05 điểm %")
    ind = load_catalogue(con, 2025)["CT06a"]
    assert (ind.baseline, ind.threshold) == (Decimal("0.18"), Decimal("0.13"))
    data = report(2025, "NĂM", "Thực hiện năm 2025", [[1, "Tỷ lệ hộ nghèo", "%", 0.13]], "20/12/2025")
    ingest(con, data, "nam-2025.xlsx", ACTOR, ImportOptions(), cfg)
    row = attainment_report(con, 2025, 4).table.set_index("key").loc["CT06a"]
    # (0,18 − 0,13) / 0,05 × 100 = 100: the planned cut, met.
    assert (row["status"], row["attainment_pct"]) == ("met", 100.0)


def test_rebuild_replays_plans(con, cfg):
    from kpi.rebuild import rebuild

    load(con, cfg, "q1")
    copy_plan(con, 2024, 2025, ACTOR)
    rows = plan_rows(con, 2024)
    next(r for r in rows if r["key"] == "CT02")["target"] = "850"
    confirm_plan(con, 2024, rows, ACTOR, reason="điều chỉnh", document=plan_file(SEED))
    expected = {y: plan_rows(con, y) for y in (2024, 2025)}
    history = len(target_history(con))
    con.close()
    result = rebuild(cfg, "cli:test")
    assert result.replayed == 3 and not result.missing
    from kpi.bootstrap import open_database

    again = open_database(cfg)
    try:
        assert {y: plan_rows(again, y) for y in (2024, 2025)} == expected
        assert len(target_history(again)) == history
        assert list(plan_documents(again, 2024)["version"]) == [2, 1]
        assert attainment_report(again, 2024, 1).table.set_index("key").loc["CT02", "attainment_pct"] == 18.85
    finally:
        again.close()


def test_the_editor_round_trip_changes_nothing_and_reads_vietnamese_numbers(con):
    from kpi.plans.source import editor_frame, rows_from_editor

    frame = editor_frame(plan_rows(con, 2024))
    assert list(frame.loc[frame["key"].isin(["CT01", "TD09"]), "target"]) == ["3.300,9", "45–55"]
    assert plan_differences(con, 2024, rows_from_editor(frame)).empty
    frame.loc[frame["key"] == "CT01", "target"] = "3.400,5"
    frame.loc[len(frame)] = {c: "" for c in frame.columns} | {
        "group": "environment",
        "name": "Tỷ lệ che phủ rừng",
        "unit": "%",
        "target": "45,25",
        "direction": ">=",
    }
    changes = plan_differences(con, 2024, rows_from_editor(frame))
    assert list(zip(changes["key"], changes["field"], changes["new_text"], strict=True)) == [
        ("CT01", "target", "3.400,5"),
        ("CT12", "added", "Tỷ lệ che phủ rừng: 45,25 % (tối thiểu (≥))"),
    ]


def test_a_figure_with_three_decimals_keeps_them(con):
    document = read_plan_document("Tỷ lệ hộ nghèo: 1,250%".encode(), "a.txt")
    proposal = propose_plan(con, 2024, document)
    rows = proposal_rows(proposal)
    assert rows[0]["target"] == "1.250" and rows[0]["key"] == "CT06a"
    changes = plan_differences(con, 2024, rows)
    ct06a = changes[(changes["key"] == "CT06a") & (changes["field"] == "target")]
    assert list(ct06a["new_value"]) == ["1.250"] and list(ct06a["new_text"]) == ["1,250"]


def test_a_target_that_breaks_the_plans_rules_is_refused_by_name_and_nothing_is_stored(con, cfg):
    rows = plan_rows(con, 2024)
    by_key = {r["key"]: r for r in rows}
    by_key["CT02"]["target"] = "-5"  # tỷ đồng: negative
    by_key["CT08"]["target"] = "101"  # %: a share above 100
    by_key["TD08"]["target"] = "15-12"  # a range upside down
    by_key["CT09"]["target"] = "20.5"  # khu: a count
    by_key["TD05"]["target"] = "-1-2"  # a range whose low is negative
    version, log = data_version(con), con.execute("SELECT count(*) FROM import_log").fetchall()
    with pytest.raises(PlanError) as raised:
        confirm_plan(con, 2024, rows, ACTOR, reason="thử", action="edit")
    message = raised.value.message_vi
    assert "hàng 2 của bảng (CT02) «Tổng thu ngân sách nhà nước»: kế hoạch -5 là số âm" in message
    assert "hãy nhập số từ 0 trở lên" in message
    assert "(CT08) «Tỷ lệ dân số tham gia bảo hiểm y tế»: kế hoạch 101 % vượt quá 100 %" in message
    # (the editor's label names the indicator in full)
    assert "(TD08) «Số tập thể đạt danh hiệu Tập thể lao động xuất sắc»: khoảng 15–12 có mức thấp lớn hơn" in message
    assert (
        "(CT09) «Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế)»: kế hoạch 20,5 khu không phải là số nguyên"
        in message
    )
    assert "(TD05) «Số cá nhân đạt danh hiệu Chiến sĩ thi đua cấp tỉnh»: mức thấp của khoảng -1 là số âm" in message
    assert data_version(con) == version and con.execute("SELECT count(*) FROM import_log").fetchall() == log
    assert target_history(con, 2024).empty
    assert load_catalogue(con, 2024)["CT02"].target == 805
    # The same rows are what the editor shows as differences: refused before any button.
    with pytest.raises(PlanError, match="CT02"):
        plan_differences(con, 2024, rows)
    # The edges are allowed: 0, exactly 100 %, a whole count written with decimals.
    by_key = {r["key"]: r for r in plan_rows(con, 2024)}
    by_key["CT02"]["target"], by_key["CT08"]["target"], by_key["CT09"]["target"] = "0", "100", "21.0"
    confirm_plan(con, 2024, list(by_key.values()), ACTOR, reason="thử biên", action="edit")
    catalogue = load_catalogue(con, 2024)
    assert (catalogue["CT02"].target, catalogue["CT08"].target, catalogue["CT09"].target) == (0, 100, 21)


@pytest.mark.parametrize(
    ("key", "target", "words"),
    [
        ("CT02", "-5", "Chưa sửa chỉ tiêu CT02 «Tổng thu ngân sách nhà nước» năm 2024: kế hoạch -5 là số âm"),
        ("CT04", "120", "CT04 «Tỷ trọng lao động nông nghiệp trong tổng lao động xã hội» năm 2024: kế hoạch 120 %"),
        ("TD09", "55-45", "khoảng 55–45 có mức thấp lớn hơn mức cao"),
        ("TD07", "14,5", "kế hoạch 14,5 cá nhân không phải là số nguyên"),
    ],
    ids=["negative", "share-over-100", "range-upside-down", "count-not-whole"],
)
def test_one_target_changed_goes_through_the_same_rules(con, key, target, words):
    from kpi.plans.targets import change_target

    version = data_version(con)
    with pytest.raises(PlanError) as raised:
        change_target(con, ACTOR, 2024, key, target, "Quyết định điều chỉnh")
    assert words in raised.value.message_vi
    assert data_version(con) == version and target_history(con, 2024).empty


def test_a_plan_document_with_a_share_above_100_is_refused_on_confirmation(con):
    text = (
        "Mục tiêu cụ thể\n"
        "- Tỷ lệ dân số tham gia bảo hiểm y tế đạt 120%\n"
        "- Số khu dân cư đạt khu nông thôn mới kiểu mẫu (lũy kế) đạt 20,5 khu\n"
    )
    document = read_plan_document(text.encode(), "ke-hoach-sai.md")
    rows = proposal_rows(propose_plan(con, 2025, document))
    assert [(r["key"], r["target"]) for r in rows] == [("CT08", "120"), ("CT09", "20.5")]
    with pytest.raises(PlanError) as raised:
        confirm_plan(con, 2025, rows, ACTOR, document=document)
    assert "(CT08) «Tỷ lệ dân số tham gia bảo hiểm y tế»: kế hoạch 120 % vượt quá 100 %" in raised.value.message_vi
    assert "kế hoạch 20,5 khu không phải là số nguyên" in raised.value.message_vi
    assert plan_years_in_db(con) == [2024]


def test_a_plan_document_with_a_negative_target_or_an_upside_down_range_is_refused(con):
    # the reader keeps the minus and the worded range as written, so the target check can refuse
    text = (
        "Mục tiêu cụ thể\n"
        "- Tổng vốn đầu tư toàn xã hội đạt -100 tỷ đồng\n"
        "- Số tập thể đạt danh hiệu Tập thể lao động xuất sắc từ 15 đến 12 tập thể\n"
    )
    document = read_plan_document(text.encode(), "ke-hoach-sai.md")
    rows = proposal_rows(propose_plan(con, 2025, document))
    assert [(r["key"], r["target"]) for r in rows] == [("CT01", "-100"), ("TD08", "15-12")]
    with pytest.raises(PlanError) as raised:
        confirm_plan(con, 2025, rows, ACTOR, document=document)
    assert "kế hoạch -100 là số âm" in raised.value.message_vi
    assert "(TD08)" in raised.value.message_vi and "15" in raised.value.message_vi
    assert plan_years_in_db(con) == [2024]


def test_a_data_folder_with_a_negative_target_is_not_loaded(tmp_path):
    import shutil

    from kpi.domain.plan_files import read_plan_dir

    folder = tmp_path / "plans" / "2024"
    shutil.copytree(PROJECT / "data" / "plans" / "2024", folder)
    csv = folder / "indicators.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",805,", ",-805,"), encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        read_plan_dir(tmp_path, 2024)
    assert "CT02 «Tổng thu ngân sách nhà nước»: kế hoạch -805 là số âm" in raised.value.message_vi


def test_a_text_of_another_district_than_the_stored_plans_is_said_so(con):
    """The tester's plan of «huyện Yên Lập» read while the stored plan (the seed) is another
    district's: the proposal says whose each is, in the stored plan's words — and only then."""
    other = PROJECT / "tests" / "data" / "plans-2026" / "16-huyen-khac-yen-lap.txt"
    proposal = propose_plan(con, 2025, read_plan_document(other.read_bytes(), other.name))
    ours = plan_meta(con, 2024)["district"]
    assert other_district(con, proposal) == OTHER_DISTRICT.format(theirs="«huyện Yên Lập»", ours=f"«{ours}»")
    own = propose_plan(con, 2025, plan_file(SEED))
    assert own.meta["district"] == ours and other_district(con, own) == ""
    unnamed = propose_plan(con, 2025, text_document("Tổng thu ngân sách nhà nước: 620 tỷ đồng."))
    assert other_district(con, unnamed) == ""
