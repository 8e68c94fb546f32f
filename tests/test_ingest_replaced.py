"""A correction names the report it replaces — «(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)» —
and that report is kept with it and looked up before saving (:mod:`kpi.ingest_replaced`): found
among the unit's stored reports, not found (a warning: the file still saves), stored as another
unit's or another period's (held), two of them named at once, the date written in words; after
saving the Dữ liệu page's history says «thay thế …» and «được thay bởi …»
(:func:`kpi.storage.replaced.history_lines`); and the original sent again after its correction
never replaces it back unless the clerk chooses to (:func:`kpi.ingest_history.decide`).

Every report is an .xlsx written with openpyxl (``tests/support/corrections.py``) and read as an upload is, into the test's own
DuckDB file.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kpi.ingest import commit, prepare
from kpi.ingest_history import planned_effect
from kpi.preview import planned_changes
from kpi.reading.report_sheets import ImportOptions
from kpi.storage.figures import current_figure_records
from kpi.storage.replaced import history_lines
from tests.support.corrections import TITLE_H1, report
from tests.support.samples import ACTOR

#: When each test saves its files: the day «lưu ngày …» names.
SAVED = dt.datetime(2026, 12, 7, 9, 30)


def save(con, cfg, name: str, data: bytes, **options):
    """Prepare and save one file as the upload page does; returns the prepared file."""
    prep = prepare(con, data, name, ImportOptions(**options), cfg)
    assert not prep.refused, [e.message for e in prep.errors]
    commit(con, prep, data, ACTOR, cfg, at=SAVED)
    return prep


def codes(prep) -> list[str]:
    return [i.code for i in prep.issues if i.code.startswith("replace")]


def status(con, name: str) -> str:
    return con.execute("SELECT status FROM submissions WHERE file_name = ?", [name]).fetchone()[0]


def in_use(con) -> float:
    """CT01's Q1 figure the district is judged by now (the winning stored one)."""
    (value,) = [r["value"] for r in current_figure_records(con, 2024, keys=["CT01"]) if r["kind"] == "quarter"]
    return value


# -- 1. found: said before saving, the supersession agrees, kept, in the history -------------------


@pytest.mark.parametrize("written", ["08/4/2024", "08 tháng 4 năm 2024"])
def test_the_report_it_replaces_is_found_whichever_way_its_date_is_written(con, cfg, written):
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    line = f"(Thay thế Báo cáo số 45/BC-TCKH ngày {written} của Phòng Tài chính - Kế hoạch)"
    data = report("52/BC-TCKH", "22 tháng 4 năm 2024", 530.1, replaces=line)
    prep = prepare(con, data, "sua.xlsx", ImportOptions(), cfg)
    assert not prep.refused and codes(prep) == []
    (check,) = prep.replaced_checks
    assert check.verdict == "found"
    assert check.text == (
        "Thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024 (tệp «goc.xlsx», lưu ngày 07/12/2026, lần tải #1)"
    )
    # the supersession the preview lists is the report the file names, old → new
    assert planned_effect(con, prep).replaces == (1,)
    changes = planned_changes(con, prep)
    assert changes[["key", "old_value", "new_value", "replaces"]].values.tolist() == [["CT01", 520.4, 530.1, 1]]
    commit(con, prep, data, ACTOR, cfg, at=SAVED)
    kept = con.execute("SELECT * FROM replaced_documents").fetchall()
    assert kept == [
        (2, "báo cáo", "45/BC-TCKH", dt.date(2024, 4, 8), "thay thế báo cáo số 45/BC-TCKH", line, "Bieu", "A6")
    ]
    assert (status(con, "goc.xlsx"), status(con, "sua.xlsx"), in_use(con)) == ("superseded", "active", 530.1)
    assert history_lines(con, 2) == [
        (
            "Thay thế",
            "báo cáo số 45/BC-TCKH ngày 08/04/2024 — tệp «goc.xlsx», lưu ngày 07/12/2026, lần tải #1 (đã được thay)",
        )
    ]
    assert history_lines(con, 1) == [
        ("Được thay bởi", "báo cáo số 52/BC-TCKH ngày 22/04/2024 — tệp «sua.xlsx», lưu ngày 07/12/2026, lần tải #2")
    ]


def test_a_correction_dated_before_the_report_it_names_still_replaces_it_and_says_the_dates_disagree(con, cfg):
    """What the file says comes before the dates: by its date alone the correction was an older
    version, kept in history, the wrong figure in use under a file that says it corrects it."""
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    line = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
    data = report("52/BC-TCKH", "05 tháng 4 năm 2024", 530.1, replaces=line)
    prep = save(con, cfg, "sua.xlsx", data)
    assert codes(prep) == ["replaced_dated_after"]
    (warning,) = [i for i in prep.issues if i.code == "replaced_dated_after"]
    assert warning.message.startswith(
        "Tệp ghi thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024 nhưng ngày văn bản của chính tệp (05/04/2024) sớm hơn"
    )
    assert (status(con, "goc.xlsx"), status(con, "sua.xlsx"), in_use(con)) == ("superseded", "active", 530.1)


# -- 2. not found: said, saved all the same; the original loaded later is linked then -------------


def test_a_correction_whose_original_is_not_stored_is_saved_with_a_warning_and_linked_when_it_comes(con, cfg):
    line = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
    data = report("52/BC-TCKH", "22 tháng 4 năm 2024", 530.1, replaces=line)
    prep = save(con, cfg, "sua.xlsx", data)
    assert [c.verdict for c in prep.replaced_checks] == ["not_found"]
    (warning,) = [i for i in prep.issues if i.code == "replaced_not_found"]
    assert (warning.severity, warning.sheet, warning.cell) == ("warning", "Bieu", "A6")
    assert warning.message == (
        "Tệp ghi thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024 nhưng báo cáo này chưa có trong các báo cáo đã lưu "
        "do Phòng Tài chính - Kế hoạch gửi, số liệu của UBND huyện Tam Nông, Quý I/2024: có thể báo cáo đó đã được "
        "tải lên với số hoặc ngày khác, hoặc chưa được tải lên. Tệp vẫn lưu được (bản sửa có thể đến trước bản "
        "gốc); hãy kiểm tra."
    )
    # the warning is kept with the stored file, as every warning is
    kept = con.execute("SELECT code FROM issues WHERE submission_id = 1").fetchall()
    assert ("replaced_not_found",) in kept
    assert history_lines(con, 1) == [
        ("Thay thế", "báo cáo số 45/BC-TCKH ngày 08/04/2024 — chưa có trong các báo cáo đã lưu của đơn vị và kỳ này")
    ]
    # the original arrives after its correction: kept in history, the correction stays in use
    original = report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4)
    save(con, cfg, "goc.xlsx", original)
    assert (status(con, "sua.xlsx"), status(con, "goc.xlsx"), in_use(con)) == ("active", "superseded", 530.1)
    assert history_lines(con, 1)[0][1].endswith("— tệp «goc.xlsx», lưu ngày 07/12/2026, lần tải #2 (đã được thay)")


def test_a_report_of_the_same_number_on_another_day_is_named_as_the_near_miss(con, cfg):
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "09 tháng 4 năm 2024", 520.4))
    line = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
    data = report("52/BC-TCKH", "22 tháng 4 năm 2024", 530.1, replaces=line)
    prep = prepare(con, data, "sua.xlsx", ImportOptions(), cfg)
    assert not prep.refused and codes(prep) == ["replaced_not_found", "replaces_unnamed"]
    said = {i.code: i.message for i in prep.issues}
    assert said["replaced_not_found"].endswith(
        " Đã lưu báo cáo số 45/BC-TCKH ngày 09/04/2024 (tệp «goc.xlsx», lưu ngày 07/12/2026, lần tải #1): cùng số "
        "nhưng khác ngày."
    )
    assert said["replaces_unnamed"].startswith(
        "Khi lưu, tệp này sẽ thay bản đang dùng báo cáo số 45/BC-TCKH ngày 09/04/2024 (tệp «goc.xlsx», lưu ngày "
        "07/12/2026, lần tải #1) — báo cáo mà tệp không ghi là thay thế"
    )


# -- 3. another unit's or another period's: held, with which and what to do ------------------------


def test_a_report_stored_as_another_communes_is_held_and_can_be_saved_unlinked(con, cfg):
    dan_quyen = report("45/BC-UBND", "08 tháng 4 năm 2024", 12.5, block=("UBND XÃ DÂN QUYỀN", ""))
    save(con, cfg, "dq.xlsx", dan_quyen)
    line = "(Thay thế Báo cáo số 45/BC-UBND ngày 08/4/2024)"
    te_le = report("52/BC-UBND", "22 tháng 4 năm 2024", 9.5, line, block=("UBND XÃ TỀ LỄ", ""))
    prep = prepare(con, te_le, "tl.xlsx", ImportOptions(), cfg)
    assert prep.refused and prep.awaiting_decision and prep.needs("replaced")
    (held,) = prep.errors
    assert (held.code, held.cell) == ("replaced_other_unit", "A6")
    assert held.message == (
        "Tệp ghi thay thế báo cáo số 45/BC-UBND ngày 08/04/2024, nhưng báo cáo đã lưu mang số và ngày này là của "
        "đơn vị khác: tệp «dq.xlsx», lưu ngày 07/12/2026, lần tải #1 — của Xã Dân Quyền, Quý I/2024; còn tệp này "
        "của Xã Tề Lễ. Lưu như vậy, số liệu sửa không thay số của báo cáo đó, cả hai đều trông như đúng. Nếu tệp "
        "ghi nhầm số báo cáo, hãy sửa tệp rồi tải lên lại, hoặc chọn «Vẫn lưu, không thay báo cáo đó» (dòng lệnh: "
        "--replaced unlinked)."
    )
    # the clerk's choice: saved, not as that report's replacement, a warning kept
    prep = save(con, cfg, "tl.xlsx", te_le, replaced="unlinked")
    assert codes(prep) == ["replaced_unlinked"]
    assert (status(con, "dq.xlsx"), status(con, "tl.xlsx")) == ("active", "active")
    assert history_lines(con, 1) == []
    assert history_lines(con, 2) == [
        ("Thay thế", "báo cáo số 45/BC-UBND ngày 08/04/2024 — chưa có trong các báo cáo đã lưu của đơn vị và kỳ này")
    ]


def test_a_report_stored_for_another_period_is_held_until_the_period_is_chosen(con, cfg):
    save(con, cfg, "q1.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    line = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
    data = report("52/BC-TCKH", "22 tháng 4 năm 2024", 530.1, replaces=line, title=TITLE_H1)
    prep = prepare(con, data, "h1.xlsx", ImportOptions(), cfg)
    assert prep.period == "2024-Q2" and prep.awaiting_decision
    (held,) = prep.errors
    assert held.code == "replaced_other_period"
    assert held.message.startswith(
        "Tệp ghi thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024, nhưng báo cáo đó đã lưu cho kỳ Quý I/2024 (tệp "
        "«q1.xlsx», lưu ngày 07/12/2026, lần tải #1), còn tệp này được đọc là của kỳ Quý II/2024 (báo cáo 6 tháng)."
    )
    assert "hãy chọn kỳ đó ở ô «Kỳ báo cáo» (dòng lệnh: --period 2024-Q1)" in held.message
    assert "(dòng lệnh" not in held.screen_text()
    # the period chosen: found, and it replaces the Q1 report (its year to date beside the Q1
    # report's own figures: the clerk says it replaces the whole of it)
    prep = prepare(con, data, "h1.xlsx", ImportOptions(period="2024-Q1", correction="whole"), cfg)
    assert not prep.refused and [c.verdict for c in prep.replaced_checks] == ["found"]
    assert planned_effect(con, prep).replaces == (1,)


# -- 4. two documents in one line ----------------------------------------------------------------


def test_two_reports_replaced_in_one_line_are_both_found_kept_and_linked(con, cfg):
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    first = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
    save(con, cfg, "sua1.xlsx", report("47/BC-TCKH", "10 tháng 4 năm 2024", 525.0, first))
    line = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024 và Báo cáo số 47/BC-TCKH ngày 10 tháng 4 năm 2024)"
    data = report("52/BC-TCKH", "22 tháng 4 năm 2024", 530.1, replaces=line)
    prep = prepare(con, data, "sua2.xlsx", ImportOptions(), cfg)
    assert not prep.refused and codes(prep) == []
    assert [c.text for c in prep.replaced_checks] == [
        "Thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024 (tệp «goc.xlsx», lưu ngày 07/12/2026, lần tải #1 — đã "
        "được thay trước đây, không còn được dùng)",
        "Thay thế báo cáo số 47/BC-TCKH ngày 10/04/2024 (tệp «sua1.xlsx», lưu ngày 07/12/2026, lần tải #2)",
    ]
    assert [v for w, v, _h in prep.inferred if w == "Văn bản dẫn chiếu"] == [
        "thay thế báo cáo số 45/BC-TCKH ngày 08/04/2024",
        "thay thế báo cáo số 47/BC-TCKH ngày 10/04/2024",
    ]
    assert planned_effect(con, prep).replaces == (2,)
    commit(con, prep, data, ACTOR, cfg, at=SAVED)
    assert con.execute("SELECT doc_number FROM replaced_documents WHERE submission_id = 3").fetchall() == [
        ("45/BC-TCKH",),
        ("47/BC-TCKH",),
    ]
    assert [label for label, _t in history_lines(con, 3)] == ["Thay thế", "Thay thế"]
    assert [t for _l, t in history_lines(con, 1)] == [
        "báo cáo số 47/BC-TCKH ngày 10/04/2024 — tệp «sua1.xlsx», lưu ngày 07/12/2026, lần tải #2 (đã được thay)",
        "báo cáo số 52/BC-TCKH ngày 22/04/2024 — tệp «sua2.xlsx», lưu ngày 07/12/2026, lần tải #3",
    ]
    assert in_use(con) == 530.1


# -- 5. the original sent again after its correction ----------------------------------------------


def test_the_original_sent_again_never_undoes_its_correction_of_the_same_day_unless_chosen(con, cfg):
    """Same document date: by the dates alone the later upload wins, and the original sent again
    (re-saved, so not the same bytes) replaced its correction."""
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    line = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
    save(con, cfg, "sua.xlsx", report("52/BC-TCKH", "08 tháng 4 năm 2024", 530.1, line))
    assert in_use(con) == 530.1
    again = report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4, note="gửi lại")
    prep = prepare(con, again, "goc-gui-lai.xlsx", ImportOptions(), cfg)
    effect = planned_effect(con, prep)
    assert (effect.status, effect.replaces, effect.replaced_by) == ("superseded", (), (2,))
    assert effect.message == (
        "Tệp này là báo cáo số 45/BC-TCKH ngày 08/04/2024, đã được thay bởi báo cáo số 52/BC-TCKH ngày 08/04/2024 "
        "(tệp «sua.xlsx», lưu ngày 07/12/2026, lần tải #2): chỉ lưu vào lịch sử, không thay lại bản sửa. Muốn dùng "
        "lại tệp này thay cho bản sửa: chọn «Dùng lại tệp này thay cho bản sửa» trước khi lưu, hoặc «Khôi phục làm "
        "bản đang dùng» ở trang Dữ liệu."
    )
    assert planned_changes(con, prep).empty
    commit(con, prep, again, ACTOR, cfg, at=SAVED)
    assert (status(con, "sua.xlsx"), status(con, "goc-gui-lai.xlsx"), in_use(con)) == ("active", "superseded", 530.1)
    # chosen explicitly: the original is used again
    chosen = report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4, note="lần 3")
    prep = prepare(con, chosen, "goc-lan-3.xlsx", ImportOptions(reinstate=True), cfg)
    effect = planned_effect(con, prep)
    assert (effect.status, effect.replaces) == ("active", (2,))
    assert "bản sửa thay cho tệp này: bạn đã chọn dùng lại tệp này" in effect.message
    commit(con, prep, chosen, ACTOR, cfg, at=SAVED)
    assert (status(con, "sua.xlsx"), status(con, "goc-lan-3.xlsx"), in_use(con)) == ("superseded", "active", 520.4)
    logged = con.execute("SELECT options FROM import_log WHERE file_name = 'goc-lan-3.xlsx'").fetchone()[0]
    assert '"reinstate": true' in logged  # rebuild replays the choice


def test_the_original_sent_again_after_a_later_dated_correction_stays_history_as_before(con, cfg):
    """What held before the link was stored holds still: an older document date keeps the original
    in history; the preview now names the correction that replaced it."""
    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    line = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
    save(con, cfg, "sua.xlsx", report("52/BC-TCKH", "22 tháng 4 năm 2024", 530.1, line))
    again = report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4, note="gửi lại")
    prep = save(con, cfg, "goc-2.xlsx", again)
    assert prep.replaced == []
    assert (status(con, "sua.xlsx"), status(con, "goc-2.xlsx"), in_use(con)) == ("active", "superseded", 530.1)
    note = con.execute("SELECT status_note FROM submissions WHERE file_name = 'goc-2.xlsx'").fetchone()[0]
    assert note.startswith("Tệp này là báo cáo số 45/BC-TCKH ngày 08/04/2024, đã được thay bởi báo cáo số 52/BC-TCKH")


def test_a_rebuild_reads_the_links_again_and_replays_the_clerks_choices(con, cfg):
    """``rebuild`` replays the import log from the raw files: each correction's replaced report is
    read again, the original sent again stays history, the one chosen to be used again is used."""
    from kpi.bootstrap import open_database
    from kpi.rebuild import rebuild

    save(con, cfg, "goc.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4))
    line = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
    save(con, cfg, "sua.xlsx", report("52/BC-TCKH", "08 tháng 4 năm 2024", 530.1, line))
    save(con, cfg, "goc-2.xlsx", report("45/BC-TCKH", "08 tháng 4 năm 2024", 520.4, note="gửi lại"))
    before = con.execute("SELECT file_name, status FROM submissions ORDER BY seq").fetchall()
    kept = con.execute("SELECT * FROM replaced_documents").fetchall()
    assert before == [("goc.xlsx", "superseded"), ("sua.xlsx", "active"), ("goc-2.xlsx", "superseded")]
    con.close()
    assert rebuild(cfg, ACTOR).replayed == 3
    again = open_database(cfg)
    try:
        assert again.execute("SELECT file_name, status FROM submissions ORDER BY seq").fetchall() == before
        assert again.execute("SELECT * FROM replaced_documents").fetchall() == kept
        assert in_use(again) == 530.1
    finally:
        again.close()


DAY = "08 tháng 4 năm 2024"
NAMES_A = "(Thay thế Báo cáo số 45/BC-TCKH ngày 08/4/2024)"
NAMES_B = "(Thay thế Báo cáo số 52/BC-TCKH ngày 08/4/2024)"


def test_the_original_sent_again_is_replaced_by_the_end_of_its_chain_of_corrections(con, cfg):
    """C replaces B, which replaced A, all of one document date: A sent again is replaced by C (the
    version in use), followed through B — looked one step back, only B (history) named A, and
    A, the later upload, replaced C."""
    save(con, cfg, "a.xlsx", report("45/BC-TCKH", DAY, 520.4))
    save(con, cfg, "b.xlsx", report("52/BC-TCKH", DAY, 530.1, NAMES_A))
    save(con, cfg, "c.xlsx", report("60/BC-TCKH", DAY, 540.2, NAMES_B))
    assert (status(con, "b.xlsx"), status(con, "c.xlsx"), in_use(con)) == ("superseded", "active", 540.2)
    again = report("45/BC-TCKH", DAY, 520.4, note="gửi lại")
    prep = prepare(con, again, "a-gui-lai.xlsx", ImportOptions(), cfg)
    effect = planned_effect(con, prep)
    assert (effect.status, effect.replaces, effect.replaced_by) == ("superseded", (), (3,))
    assert effect.message.startswith(
        "Tệp này là báo cáo số 45/BC-TCKH ngày 08/04/2024, đã được thay bởi báo cáo số 60/BC-TCKH ngày 08/04/2024"
    )
    commit(con, prep, again, ACTOR, cfg, at=SAVED)
    assert (status(con, "c.xlsx"), status(con, "a-gui-lai.xlsx"), in_use(con)) == ("active", "superseded", 540.2)


def test_a_correction_replaces_what_the_report_it_names_replaced_in_turn(con, cfg):
    """A, then B replacing it, then A used again by the clerk's choice; C names B: the version in
    use it replaces, A, is B's own original — no «không ghi là thay thế» warning, A is replaced as
    named (through B), not by its date alone."""
    save(con, cfg, "a.xlsx", report("45/BC-TCKH", DAY, 520.4))
    save(con, cfg, "b.xlsx", report("52/BC-TCKH", DAY, 530.1, NAMES_A))
    save(con, cfg, "a-lai.xlsx", report("45/BC-TCKH", DAY, 520.4, note="dùng lại"), reinstate=True)
    assert (status(con, "b.xlsx"), status(con, "a-lai.xlsx")) == ("superseded", "active")
    prep = prepare(con, report("60/BC-TCKH", "07 tháng 4 năm 2024", 540.2, NAMES_B), "c.xlsx", ImportOptions(), cfg)
    effect = planned_effect(con, prep)
    assert (effect.status, effect.replaces) == ("active", (3,))
    assert "replaces_unnamed" not in codes(prep), [i.message for i in prep.issues]
